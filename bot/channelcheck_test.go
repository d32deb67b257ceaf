package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestChannelPermissions follows Discord's documented examples of how
// roles and overwrites combine, and its implicit rules.
func TestChannelPermissions(t *testing.T) {
	const (
		guild = "100"
		bot   = "200"
		mine  = "300" // a role the bot has
		other = "400" // a role it does not
		view  = discordgo.PermissionViewChannel
		send  = discordgo.PermissionSendMessages
		embed = discordgo.PermissionEmbedLinks
		all3  = view | send | embed
	)
	role := func(id string, p int64) *discordgo.Role { return &discordgo.Role{ID: id, Permissions: p} }
	ow := func(id string, member bool, allow, deny int64) *discordgo.PermissionOverwrite {
		t := discordgo.PermissionOverwriteTypeRole
		if member {
			t = discordgo.PermissionOverwriteTypeMember
		}
		return &discordgo.PermissionOverwrite{ID: id, Type: t, Allow: allow, Deny: deny}
	}
	tests := []struct {
		name  string
		roles []*discordgo.Role
		ows   []*discordgo.PermissionOverwrite
		want  int64 // of view|send|embed
	}{
		{"everyone grants", []*discordgo.Role{role(guild, all3)}, nil, all3},
		{"own role grants", []*discordgo.Role{role(guild, 0), role(mine, all3)}, nil, all3},
		{"a role the bot lacks grants nothing", []*discordgo.Role{role(guild, view), role(other, all3)}, nil, view},
		{"administrator ignores denials", []*discordgo.Role{role(guild, 0), role(mine, discordgo.PermissionAdministrator)},
			[]*discordgo.PermissionOverwrite{ow(guild, false, 0, all3), ow(bot, true, 0, all3)}, all3},
		{"everyone overwrite denies", []*discordgo.Role{role(guild, all3)}, []*discordgo.PermissionOverwrite{ow(guild, false, 0, embed)}, view | send},
		{"role overwrite allows over everyone's denial", []*discordgo.Role{role(guild, all3), role(mine, 0)},
			[]*discordgo.PermissionOverwrite{ow(guild, false, 0, embed), ow(mine, false, embed, 0)}, all3},
		{"role overwrites combine, allow wins over deny among roles", []*discordgo.Role{role(guild, all3), role(mine, 0), role("500", 0)},
			[]*discordgo.PermissionOverwrite{ow(mine, false, 0, embed), ow("500", false, embed, 0)}, all3},
		{"another role's overwrite does not apply", []*discordgo.Role{role(guild, all3)}, []*discordgo.PermissionOverwrite{ow(other, false, 0, all3)}, all3},
		{"member overwrite wins over roles", []*discordgo.Role{role(guild, all3), role(mine, 0)},
			[]*discordgo.PermissionOverwrite{ow(mine, false, embed, 0), ow(bot, true, 0, embed)}, view | send},
		{"member overwrite of someone else", []*discordgo.Role{role(guild, all3)}, []*discordgo.PermissionOverwrite{ow("999", true, 0, all3)}, all3},
		{"no view means nothing", []*discordgo.Role{role(guild, all3)}, []*discordgo.PermissionOverwrite{ow(bot, true, 0, view)}, 0},
		{"no send means no embeds", []*discordgo.Role{role(guild, all3)}, []*discordgo.PermissionOverwrite{ow(guild, false, 0, send)}, view},
	}
	for _, tt := range tests {
		got := channelPermissions(guild, bot, []string{mine, "500"}, tt.roles, tt.ows) & all3
		if got != tt.want {
			t.Errorf("%s: %03b, want %03b", tt.name, got>>10, tt.want>>10)
		}
	}
}
