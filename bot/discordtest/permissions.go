package discordtest

import (
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// Roles, members and channel permission overwrites: enough of Discord's
// permission model for a bot to compute its own permissions in a channel
// (discordgo's Session.UserChannelPermissions: GET channel, guild and
// member) and for the fake to refuse what Discord refuses.

// DefaultEveryonePermissions is the @everyone role's permissions in the
// fake's guild unless a test changes them: what a new server grants.
const DefaultEveryonePermissions int64 = 1071698660929

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

// permState is the guild's roles and the channels' overwrites.
type permState struct {
	everyone     int64
	botRole      string
	botRolePerms int64
	overwrites   map[string][]overwrite // by channel ID
}

func (p *permState) init(botRole string) {
	p.everyone = DefaultEveryonePermissions
	p.botRole = botRole
	p.overwrites = map[string][]overwrite{}
}

// BotRoleID returns the ID of the bot's own role in the guild (the managed
// role Discord creates when a bot is invited with permissions).
func (s *Server) BotRoleID() string { return s.perms.botRole }

// SetRolePermissions sets a role's permissions: GuildID() is @everyone,
// BotRoleID() the bot's role.
func (s *Server) SetRolePermissions(roleID string, perms int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch roleID {
	case s.guildID:
		s.perms.everyone = perms
	case s.perms.botRole:
		s.perms.botRolePerms = perms
	}
	s.notifyLocked()
}

// SetChannelOverwrite sets a permission overwrite on a channel for a role
// (GuildID() for @everyone, BotRoleID()) or for the bot's member
// (BotUserID()), replacing any earlier one for the same target.
func (s *Server) SetChannelOverwrite(channelID, targetID string, allow, deny int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := overwrite{ID: targetID, Member: targetID == s.botID, Allow: allow, Deny: deny}
	list := s.perms.overwrites[channelID]
	for i := range list {
		if list[i].ID == targetID {
			list[i] = o
			s.notifyLocked()
			return
		}
	}
	s.perms.overwrites[channelID] = append(list, o)
	s.notifyLocked()
}

// BotChannelPermissions returns the bot's permissions in a channel of the
// guild, computed as Discord does: @everyone, then the bot's role, then the
// channel's @everyone, role and member overwrites in that order.
func (s *Server) BotChannelPermissions(channelID string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.botPermsLocked(channelID)
}

func (s *Server) botPermsLocked(channelID string) int64 {
	p := s.perms.everyone | s.perms.botRolePerms
	if p&discordgo.PermissionAdministrator != 0 {
		return discordgo.PermissionAll
	}
	ows := s.perms.overwrites[channelID]
	apply := func(match func(overwrite) bool) {
		var allow, deny int64
		for _, o := range ows {
			if match(o) {
				allow |= o.Allow
				deny |= o.Deny
			}
		}
		p = p&^deny | allow
	}
	apply(func(o overwrite) bool { return !o.Member && o.ID == s.guildID })
	apply(func(o overwrite) bool { return !o.Member && o.ID == s.perms.botRole })
	apply(func(o overwrite) bool { return o.Member && o.ID == s.botID })
	return p
}

// channelAccessLocked answers as Discord does when the bot may not use a
// guild channel: 403 Missing Access without View Channel, 403 Missing
// Permissions without need. ok is true when it may.
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

func (s *Server) rolesJSONLocked() []any {
	role := func(id, name string, perms int64, pos int, managed bool) map[string]any {
		return map[string]any{
			"id": id, "name": name, "permissions": itoa(perms),
			"position": pos, "color": 0, "hoist": false, "managed": managed, "mentionable": false,
		}
	}
	return []any{
		role(s.guildID, "@everyone", s.perms.everyone, 0, false),
		role(s.perms.botRole, "briefbot-test", s.perms.botRolePerms, 1, true),
	}
}

func (s *Server) overwritesJSONLocked(channelID string) []any {
	out := []any{}
	for _, o := range s.perms.overwrites[channelID] {
		out = append(out, o.wire())
	}
	return out
}

// getGuildMember answers GET guilds/{guild}/members/{user}: the bot is the
// one member the fake knows.
func (s *Server) getGuildMember(r *http.Request, _ []byte) answer {
	if !s.guilds[r.PathValue("guild")] {
		return fail(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	if r.PathValue("user") != s.botID {
		return fail(http.StatusNotFound, CodeUnknownMember, "Unknown Member")
	}
	return ok(map[string]any{
		"user":      s.botUser(),
		"roles":     []any{s.perms.botRole},
		"joined_at": "2026-01-01T00:00:00Z",
		"deaf":      false,
		"mute":      false,
		"flags":     0,
	})
}

// channelJSONLocked is a channel's wire form with its overwrites.
func (s *Server) channelJSONLocked(c *channel) map[string]any {
	out := c.wire()
	if c.GuildID != "" {
		out["permission_overwrites"] = s.overwritesJSONLocked(c.ID)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
