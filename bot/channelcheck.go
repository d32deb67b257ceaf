package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// needNotice is what the bot needs in a channel for admin notices: to see
// it and post into it. Briefings need RequiredPermissions, Embed Links too.
const needNotice = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages

// channelUsable answers a command whose channel option is channelID: it
// defers the reply (asking Discord may take longer than 3 seconds), checks
// the channel, and when it cannot be used replies why. ok is false when the
// command must stop there (err says whether replying failed).
func (b *Bot) channelUsable(ctx context.Context, r *responder, channelID string, need int64) (ok bool, err error) {
	if err := r.deferReply(ctx, true); err != nil {
		return false, err
	}
	problem, err := b.checkChannel(ctx, r.i.GuildID, channelID, need)
	if err != nil {
		return false, err
	}
	if problem != "" {
		return false, r.text(ctx, problem, true)
	}
	return true, nil
}

// checkChannel makes sure a channel option can be used: it is a text or
// announcement channel of this server (Discord's answer to GET channel, not
// the option's word for it), and the bot has the permissions need there.
// A problem comes back as the reply to give; err is for Discord failing.
func (b *Bot) checkChannel(ctx context.Context, guildID, channelID string, need int64) (problem string, err error) {
	ch, err := b.s.Channel(channelID, discordgo.WithContext(ctx))
	switch code := restCode(err); {
	case err == nil:
	case code == discordgo.ErrCodeUnknownChannel:
		return fmt.Sprintf("There is no channel %s.", channelID), nil
	case code == discordgo.ErrCodeMissingAccess:
		return fmt.Sprintf("I cannot see <#%s>: give briefbot's role the View Channel permission there "+
			"(Edit Channel → Permissions), then try again.", channelID), nil
	default:
		return "", fmt.Errorf("look up channel %s: %w", channelID, err)
	}
	if ch.GuildID != guildID {
		return fmt.Sprintf("<#%s> is not a channel of this server: pick one of this server's channels.", channelID), nil
	}
	if ch.Type != discordgo.ChannelTypeGuildText && ch.Type != discordgo.ChannelTypeGuildNews {
		return fmt.Sprintf("<#%s> is not a text or announcement channel: pick one the bot can post messages in.", channelID), nil
	}
	perms, err := memberChannelPermissions(ctx, b.s, ch, b.botUserID())
	if err != nil {
		return "", err
	}
	missing := need &^ perms
	if missing == 0 {
		return "", nil
	}
	var names []string
	for _, n := range permissionList(missing) {
		names = append(names, "**"+n+"**")
	}
	return fmt.Sprintf("I cannot post in <#%s>: I am missing %s there. Give briefbot's role %s in the channel's "+
		"settings (Edit Channel → Permissions), then try again.", channelID, joinAnd(names), plural(len(names), "that permission", "those permissions")), nil
}

// memberChannelPermissions asks Discord for a guild channel's server's
// roles and a member's roles (GET roles, GET member: never the gateway's
// cache, which may be stale) and computes the member's permissions in the
// channel.
func memberChannelPermissions(ctx context.Context, s *discordgo.Session, ch *discordgo.Channel, userID string) (int64, error) {
	roles, err := s.GuildRoles(ch.GuildID, discordgo.WithContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("roles of guild %s: %w", ch.GuildID, err)
	}
	member, err := s.GuildMember(ch.GuildID, userID, discordgo.WithContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("member %s of guild %s: %w", userID, ch.GuildID, err)
	}
	return channelPermissions(ch.GuildID, userID, member.Roles, roles, ch.PermissionOverwrites), nil
}

// channelPermissions computes a member's permissions in a guild channel as
// Discord documents it (developers/docs/topics/permissions, "Permission
// Overwrites"): the @everyone role's permissions and the member's roles',
// everything with Administrator; then the channel's @everyone overwrite, its
// role overwrites together, and the member's own overwrite, each removing
// its denials and adding its grants. Without View Channel a member has no
// permission in the channel, and without Send Messages none that sends
// (Embed Links among them). A bot is never a server's owner.
func channelPermissions(guildID, userID string, memberRoles []string, roles []*discordgo.Role, overwrites []*discordgo.PermissionOverwrite) int64 {
	has := map[string]bool{guildID: true}
	for _, id := range memberRoles {
		has[id] = true
	}
	var p int64
	for _, r := range roles {
		if has[r.ID] {
			p |= r.Permissions
		}
	}
	if p&discordgo.PermissionAdministrator != 0 {
		return discordgo.PermissionAll
	}
	apply := func(match func(*discordgo.PermissionOverwrite) bool) {
		var allow, deny int64
		for _, o := range overwrites {
			if o != nil && match(o) {
				allow |= o.Allow
				deny |= o.Deny
			}
		}
		p = p&^deny | allow
	}
	apply(func(o *discordgo.PermissionOverwrite) bool {
		return o.Type == discordgo.PermissionOverwriteTypeRole && o.ID == guildID
	})
	apply(func(o *discordgo.PermissionOverwrite) bool {
		return o.Type == discordgo.PermissionOverwriteTypeRole && o.ID != guildID && has[o.ID]
	})
	apply(func(o *discordgo.PermissionOverwrite) bool {
		return o.Type == discordgo.PermissionOverwriteTypeMember && o.ID == userID
	})
	if p&discordgo.PermissionViewChannel == 0 {
		return 0
	}
	if p&discordgo.PermissionSendMessages == 0 {
		p &^= discordgo.PermissionEmbedLinks | discordgo.PermissionAttachFiles | discordgo.PermissionMentionEveryone |
			discordgo.PermissionSendTTSMessages
	}
	return p
}

// restCode is the JSON error code of a Discord REST error, 0 for others.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// joinAnd joins names as "a", "a and b", "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
