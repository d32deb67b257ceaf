package discordtest

import (
	"errors"
	"slices"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestGuildsRolesMembers: a second guild, its roles and the bot member are
// served as Discord serves them, and the gateway announces every guild.
func TestGuildsRolesMembers(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	g2, ch2 := srv.AddGuild("Second")
	if got := srv.GuildIDs(); !slices.Equal(got, []string{srv.GuildID(), g2}) {
		t.Fatalf("GuildIDs = %v", got)
	}
	c, err := dg.Channel(ch2)
	if err != nil || c.GuildID != g2 {
		t.Fatalf("channel of the second guild = %+v, %v", c, err)
	}
	roles, err := dg.GuildRoles(g2)
	if err != nil || len(roles) != 2 || roles[0].ID != g2 || roles[0].Permissions != DefaultEveryonePermissions ||
		roles[1].ID != srv.BotRoleIn(g2) || !roles[1].Managed || roles[1].Permissions != BotPermissions {
		t.Fatalf("roles = %+v, %v", roles, err)
	}
	m, err := dg.GuildMember(g2, srv.BotUserID())
	if err != nil || !slices.Equal(m.Roles, []string{srv.BotRoleIn(g2)}) {
		t.Fatalf("bot member = %+v, %v", m, err)
	}
	if _, err := dg.GuildMember(g2, "123456789012345678"); !isCode(err, CodeUnknownMember) {
		t.Errorf("unknown member: %v", err)
	}
	if _, err := dg.GuildRoles("999999999999999999"); !isCode(err, CodeUnknownGuild) {
		t.Errorf("unknown guild: %v", err)
	}

	guilds := make(chan string, 4)
	dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { guilds <- g.ID })
	openSession(t, srv, dg)
	ctx := testCtx(t)
	var got []string
	for len(got) < 2 {
		select {
		case id := <-guilds:
			got = append(got, id)
		case <-ctx.Done():
			t.Fatalf("GUILD_CREATE for %v only", got)
		}
	}
	g3, _ := srv.AddGuild("Third")
	select {
	case id := <-guilds:
		if id != g3 {
			t.Errorf("GUILD_CREATE for %s, want the new guild %s", id, g3)
		}
	case <-ctx.Done():
		t.Error("no GUILD_CREATE for a guild added while connected")
	}
}

// TestChannelPermissions: roles and overwrites combine as Discord documents,
// and the fake refuses what the bot may not do.
func TestChannelPermissions(t *testing.T) {
	t.Parallel()
	const (
		view  = discordgo.PermissionViewChannel
		send  = discordgo.PermissionSendMessages
		embed = discordgo.PermissionEmbedLinks
	)
	srv := newServer(t)
	dg := newSession(t, srv)
	g := srv.GuildID()
	ch := srv.AddChannel("news")
	extra := srv.AddRole(g, "helpers", embed)
	tests := []struct {
		name  string
		setup func()
		want  int64 // of view|send|embed
	}{
		{"defaults", func() {}, view | send | embed},
		{"everyone denied send", func() { srv.SetChannelOverwrite(ch, g, 0, send) }, view | embed},
		{"bot role allows it back", func() { srv.SetChannelOverwrite(ch, srv.BotRoleID(), send, 0) }, view | send | embed},
		{"member overwrite wins", func() { srv.SetChannelOverwrite(ch, srv.BotUserID(), 0, embed) }, view | send},
		{"no view", func() { srv.SetChannelOverwrite(ch, srv.BotUserID(), 0, view) }, send | embed},
		{"administrator ignores overwrites", func() {
			srv.SetRolePermissions(srv.BotRoleID(), discordgo.PermissionAdministrator)
		}, view | send | embed},
		{"roles lose their permissions", func() {
			srv.SetRolePermissions(srv.BotRoleID(), 0)
			srv.SetRolePermissions(g, 0)
			srv.SetChannelOverwrite(ch, srv.BotUserID(), 0, 0)
			srv.SetChannelOverwrite(ch, srv.BotRoleID(), 0, 0)
			srv.SetChannelOverwrite(ch, g, 0, 0)
		}, 0},
		{"another role of the bot", func() {
			srv.SetRolePermissions(g, view|send)
			srv.SetBotRoles(g, srv.BotRoleID(), extra)
		}, view | send | embed},
	}
	for _, tt := range tests {
		tt.setup()
		if got := srv.BotChannelPermissions(ch) & (view | send | embed); got != tt.want {
			t.Errorf("%s: permissions %b, want %b", tt.name, got, tt.want)
		}
	}
	srv.SetChannelOverwrite(ch, srv.BotUserID(), 0, send)
	if _, err := sendHello(dg, ch); !isCode(err, CodeMissingPermissions) {
		t.Errorf("post without Send Messages: %v, want 50013", err)
	}
	srv.SetChannelOverwrite(ch, srv.BotUserID(), 0, view)
	if _, err := dg.Channel(ch); !isCode(err, CodeMissingAccess) {
		t.Errorf("get a channel without View Channel: %v, want 50001", err)
	}
	c, err := dg.Channel(srv.ChannelID())
	if err != nil || len(c.PermissionOverwrites) != 0 {
		t.Errorf("untouched channel: %+v, %v", c, err)
	}
}

func isCode(err error, code int) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Message != nil && re.Message.Code == code
}

// TestChannelMessagesNeedHistory: as on Discord, listing a channel without
// Read Message History lists nothing, and without View Channel is refused.
func TestChannelMessagesNeedHistory(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	ch := srv.AddChannel("news")
	if _, err := sendHello(dg, ch); err != nil {
		t.Fatal(err)
	}
	if msgs, err := dg.ChannelMessages(ch, 10, "", "", ""); err != nil || len(msgs) != 1 {
		t.Fatalf("with history: %d messages, %v", len(msgs), err)
	}
	srv.SetChannelOverwrite(ch, srv.BotRoleID(), 0, discordgo.PermissionReadMessageHistory)
	if msgs, err := dg.ChannelMessages(ch, 10, "", "", ""); err != nil || len(msgs) != 0 {
		t.Errorf("without Read Message History: %d messages, %v; want none and no error", len(msgs), err)
	}
	srv.SetChannelOverwrite(ch, srv.BotRoleID(), 0, discordgo.PermissionViewChannel)
	if _, err := dg.ChannelMessages(ch, 10, "", "", ""); !isCode(err, CodeMissingAccess) {
		t.Errorf("without View Channel: %v, want 50001", err)
	}
}
