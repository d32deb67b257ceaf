package discordtest

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Guilds, their roles and members, and channel permission overwrites:
// enough of Discord's model for a bot in several servers to tell them apart
// and to compute its own permissions in a channel as Discord documents it
// (https://discord.com/developers/docs/topics/permissions), and for the
// fake to refuse what Discord refuses.

// DefaultEveryonePermissions is the @everyone role's permissions in a new
// guild unless a test changes them: what a new server grants (View
// Channel, Send Messages, Embed Links among them).
const DefaultEveryonePermissions int64 = 1071698660929

// guild is one server the bot is in.
type guild struct {
	id, name, ownerID string
	roles             []*role             // @everyone (ID = guild ID) first
	members           map[string][]string // user ID → role IDs; the bot is a member
	botRole           string              // the managed role Discord gives an invited bot
	created           time.Time
}

type role struct {
	id, name string
	perms    int64
	position int
	managed  bool
}

// overwrite is one channel permission overwrite.
type overwrite struct {
	ID          string
	Member      bool // a member's overwrite; else a role's
	Allow, Deny int64
}

func (o overwrite) wire() map[string]any {
	typ := discordgo.PermissionOverwriteTypeRole
	if o.Member {
		typ = discordgo.PermissionOverwriteTypeMember
	}
	return map[string]any{"id": o.ID, "type": typ, "allow": itoa(o.Allow), "deny": itoa(o.Deny)}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// newGuildLocked creates a guild with @everyone, the bot as a member with
// its own role (BotPermissions, as an invite with Send Messages and Embed
// Links grants), and one text channel, and returns the guild and channel.
func (s *Server) newGuildLocked(name string) (*guild, string) {
	return s.newGuildWithIDLocked(s.ids.next(), name)
}

// newGuildWithIDLocked is newGuildLocked for a guild ID chosen by the caller.
func (s *Server) newGuildWithIDLocked(id, name string) (*guild, string) {
	g := &guild{id: id, name: name, ownerID: "1", members: map[string][]string{}, created: time.Now()}
	g.roles = []*role{{id: g.id, name: "@everyone", perms: DefaultEveryonePermissions}}
	g.botRole = s.ids.next()
	g.roles = append(g.roles, &role{id: g.botRole, name: "briefbot-test", perms: BotPermissions, position: 1, managed: true})
	g.members[s.botID] = []string{g.botRole}
	s.guilds[g.id] = g
	ch := s.ids.next()
	s.channels[ch] = &channel{ID: ch, GuildID: g.id, Name: "general", Type: 0}
	return g, ch
}

// AddGuild adds another server the bot is in, with a text channel, and
// returns their IDs. A bot already connected gets its GUILD_CREATE, as when
// it is invited to a server.
func (s *Server) AddGuild(name string) (guildID, channelID string) {
	s.mu.Lock()
	g, ch := s.newGuildLocked(name)
	s.mu.Unlock()
	s.guildCreated(g.id)
	return g.id, ch
}

// AddChannelIn creates a text channel in a guild and returns its ID.
func (s *Server) AddChannelIn(guildID, name string) string {
	id := s.ids.next()
	s.mu.Lock()
	s.channels[id] = &channel{ID: id, GuildID: guildID, Name: name, Type: 0}
	s.notifyLocked()
	s.mu.Unlock()
	return id
}

// BotRoleID returns the bot's own role in the first guild.
func (s *Server) BotRoleID() string { return s.BotRoleIn(s.guildID) }

// BotRoleIn returns the bot's own role in a guild.
func (s *Server) BotRoleIn(guildID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guildID]; g != nil {
		return g.botRole
	}
	return ""
}

// AddRole creates a role in a guild and returns its ID; give it to the bot
// with SetBotRoles.
func (s *Server) AddRole(guildID, name string, perms int64) string {
	id := s.ids.next()
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guildID]; g != nil {
		g.roles = append(g.roles, &role{id: id, name: name, perms: perms, position: len(g.roles)})
	}
	s.notifyLocked()
	return id
}

// SetBotRoles sets the bot member's roles in a guild (its own role is one
// only if listed).
func (s *Server) SetBotRoles(guildID string, roleIDs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guildID]; g != nil {
		g.members[s.botID] = append([]string{}, roleIDs...)
	}
	s.notifyLocked()
}

// SetRolePermissions sets a role's permissions, in whichever guild it is:
// a guild's ID names its @everyone role.
func (s *Server) SetRolePermissions(roleID string, perms int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.guilds {
		for _, r := range g.roles {
			if r.id == roleID {
				r.perms = perms
			}
		}
	}
	s.notifyLocked()
}

// SetChannelOverwrite sets a permission overwrite on a channel for a role
// (a guild's ID for @everyone) or for the bot's member (BotUserID()),
// replacing any earlier one for the same target.
func (s *Server) SetChannelOverwrite(channelID, targetID string, allow, deny int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	if c == nil {
		return
	}
	o := overwrite{ID: targetID, Member: targetID == s.botID, Allow: allow, Deny: deny}
	for i := range c.overwrites {
		if c.overwrites[i].ID == targetID {
			c.overwrites[i] = o
			s.notifyLocked()
			return
		}
	}
	c.overwrites = append(c.overwrites, o)
	s.notifyLocked()
}

// BotChannelPermissions returns the bot's permissions in a guild channel,
// computed as Discord documents: base permissions from @everyone and the
// bot's roles (everything with Administrator), then the channel's
// @everyone, role and member overwrites in that order.
func (s *Server) BotChannelPermissions(channelID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.botPermsLocked(channelID)
}

func (s *Server) botPermsLocked(channelID string) int64 {
	c := s.channels[channelID]
	if c == nil {
		return 0
	}
	g := s.guilds[c.GuildID]
	if g == nil {
		return 0
	}
	mine, inGuild := g.members[s.botID]
	if !inGuild {
		return 0
	}
	has := map[string]bool{g.id: true}
	for _, id := range mine {
		has[id] = true
	}
	var p int64
	for _, r := range g.roles {
		if has[r.id] {
			p |= r.perms
		}
	}
	if p&discordgo.PermissionAdministrator != 0 {
		return discordgo.PermissionAll
	}
	apply := func(match func(overwrite) bool) {
		var allow, deny int64
		for _, o := range c.overwrites {
			if match(o) {
				allow |= o.Allow
				deny |= o.Deny
			}
		}
		p = p&^deny | allow
	}
	apply(func(o overwrite) bool { return !o.Member && o.ID == g.id })
	apply(func(o overwrite) bool { return !o.Member && o.ID != g.id && has[o.ID] })
	apply(func(o overwrite) bool { return o.Member && o.ID == s.botID })
	return p
}

// channelAccessLocked answers as Discord does when the bot may not use a
// guild channel: 403 Missing Access without View Channel (or outside its
// guilds), 403 Missing Permissions without need. ok is true when it may.
func (s *Server) channelAccessLocked(c *channel, need int64) (answer, bool) {
	if c.GuildID == "" {
		return answer{}, true
	}
	p := s.botPermsLocked(c.ID)
	if p&discordgo.PermissionViewChannel == 0 {
		return fail(http.StatusForbidden, CodeMissingAccess, "Missing Access"), false
	}
	if p&need != need {
		return fail(http.StatusForbidden, CodeMissingPermissions, "Missing Permissions"), false
	}
	return answer{}, true
}

func (g *guild) rolesJSON() []any {
	out := make([]any, 0, len(g.roles))
	for _, r := range g.roles {
		out = append(out, map[string]any{
			"id": r.id, "name": r.name, "permissions": itoa(r.perms),
			"position": r.position, "color": 0, "hoist": false, "managed": r.managed, "mentionable": false,
		})
	}
	return out
}

// guildIDsLocked lists the guilds in creation order (IDs are snowflakes).
func (s *Server) guildIDsLocked() []string {
	ids := make([]string, 0, len(s.guilds))
	for id := range s.guilds {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) < len(ids[j]) || len(ids[i]) == len(ids[j]) && ids[i] < ids[j] })
	return ids
}

// GuildIDs returns the IDs of every guild the bot is in, oldest first.
func (s *Server) GuildIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guildIDsLocked()
}

// guildJSON renders a guild; full adds channels and the lazy-load fields
// GUILD_CREATE carries. It takes s.mu.
func (s *Server) guildJSON(id string, full bool) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guildJSONLocked(id, full)
}

func (s *Server) guildJSONLocked(id string, full bool) map[string]any {
	g := s.guilds[id]
	if g == nil {
		return nil
	}
	out := map[string]any{
		"id":                            g.id,
		"name":                          g.name,
		"owner_id":                      g.ownerID,
		"roles":                         g.rolesJSON(),
		"emojis":                        []any{},
		"features":                      []any{},
		"verification_level":            0,
		"default_message_notifications": 0,
		"explicit_content_filter":       0,
		"mfa_level":                     0,
		"preferred_locale":              "en-US",
	}
	if full {
		chans := []any{}
		for _, cid := range s.channelIDsLocked() {
			if c := s.channels[cid]; c.GuildID == g.id {
				chans = append(chans, c.wire())
			}
		}
		out["channels"] = chans
		out["threads"] = []any{}
		out["members"] = []any{}
		out["voice_states"] = []any{}
		out["presences"] = []any{}
		out["member_count"] = 2
		out["large"] = false
		out["unavailable"] = false
		out["joined_at"] = g.created.UTC().Format(time.RFC3339)
	}
	return out
}

func (s *Server) getGuild(r *http.Request, _ []byte) answer {
	if s.guilds[r.PathValue("guild")] == nil {
		return fail(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	return ok(s.guildJSONLocked(r.PathValue("guild"), false))
}

func (s *Server) getGuildRoles(r *http.Request, _ []byte) answer {
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		return fail(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	return ok(g.rolesJSON())
}

// getGuildMember answers GET guilds/{guild}/members/{user}: the bot is the
// one member the fake knows.
func (s *Server) getGuildMember(r *http.Request, _ []byte) answer {
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		return fail(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	roles, ok2 := g.members[r.PathValue("user")]
	if !ok2 {
		return fail(http.StatusNotFound, CodeUnknownMember, "Unknown Member")
	}
	ids := make([]any, 0, len(roles))
	for _, id := range roles {
		ids = append(ids, id)
	}
	return ok(map[string]any{
		"user":      s.botUser(),
		"roles":     ids,
		"joined_at": g.created.UTC().Format(time.RFC3339),
		"deaf":      false,
		"mute":      false,
		"flags":     0,
	})
}
