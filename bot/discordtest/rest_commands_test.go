package discordtest

import (
	"errors"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestBulkOverwrite(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	for _, guild := range []string{"", srv.GuildID()} {
		name := "global"
		if guild != "" {
			name = "guild"
		}
		t.Run(name, func(t *testing.T) {
			first, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), guild, []*discordgo.ApplicationCommand{
				{Name: "brief", Description: "d"}, {Name: "status", Description: "d"},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(first) != 2 || first[0].ID == "" || first[0].ApplicationID != srv.AppID() || first[0].GuildID != guild ||
				first[0].Type != discordgo.ChatApplicationCommand || first[0].Version == "" {
				t.Fatalf("created = %+v", first[0])
			}
			second, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), guild, []*discordgo.ApplicationCommand{
				{Name: "brief", Description: "changed"}, {Name: "schedule", Description: "d"},
			})
			if err != nil {
				t.Fatal(err)
			}
			if second[0].ID != first[0].ID || second[0].Description != "changed" {
				t.Errorf("overwrite changed brief's ID or kept its old description: %+v", second[0])
			}
			if second[1].ID == first[1].ID {
				t.Error("a new command reused a removed one's ID")
			}
			got, err := dg.ApplicationCommands(srv.AppID(), guild)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Name != "brief" || got[1].Name != "schedule" {
				t.Errorf("GET = %+v", got)
			}
			if n := len(srv.Commands(guild)); n != 2 {
				t.Errorf("Commands(%q) = %d", guild, n)
			}
		})
	}
	// Clearing: an empty overwrite removes everything.
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), "", nil); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Commands("")); n != 0 {
		t.Errorf("after clearing: %d global commands", n)
	}
}

func TestCommandsRejected(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	str := discordgo.ApplicationCommandOptionString
	tests := []struct {
		name   string
		guild  string
		app    string
		cmds   []*discordgo.ApplicationCommand
		status int
	}{
		{"uppercase name", "", "", []*discordgo.ApplicationCommand{{Name: "Brief", Description: "d"}}, 400},
		{"long name", "", "", []*discordgo.ApplicationCommand{{Name: rep(33), Description: "d"}}, 400},
		{"space in name", "", "", []*discordgo.ApplicationCommand{{Name: "my brief", Description: "d"}}, 400},
		{"no description", "", "", []*discordgo.ApplicationCommand{{Name: "brief"}}, 400},
		{"long description", "", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: rep(101)}}, 400},
		{"duplicate", "", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d"}, {Name: "brief", Description: "d"}}, 400},
		{"required after optional", "", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "a", Description: "d"}, {Type: str, Name: "b", Description: "d", Required: true},
		}}}, 400},
		{"autocomplete with choices", "", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "a", Description: "d", Autocomplete: true, Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "x", Value: "x"}}},
		}}}, 400},
		{"option description missing", "", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "a"},
		}}}, 400},
		{"unknown guild", "42", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d"}}, 403},
		{"other application", "", "42", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d"}}, 403},
		{"valid", "", "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d", Options: []*discordgo.ApplicationCommandOption{
			{Type: str, Name: "topic", Description: "d", Required: true}, {Type: str, Name: "when", Description: "d"},
		}}}, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := srv.AppID()
			if tc.app != "" {
				app = tc.app
			}
			_, err := dg.ApplicationCommandBulkOverwrite(app, tc.guild, tc.cmds)
			status := 200
			var re *discordgo.RESTError
			if errors.As(err, &re) {
				status = re.Response.StatusCode
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tc.status {
				t.Errorf("status = %d, want %d (%v)", status, tc.status, err)
			}
		})
	}
}

func TestCommandCreateGetDelete(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	c, err := dg.ApplicationCommandCreate(srv.AppID(), srv.GuildID(), &discordgo.ApplicationCommand{Name: "status", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := dg.ApplicationCommandCreate(srv.AppID(), srv.GuildID(), &discordgo.ApplicationCommand{Name: "status", Description: "e"})
	if err != nil || again.ID != c.ID {
		t.Fatalf("re-create = %+v, %v; want the same ID", again, err)
	}
	got, err := dg.ApplicationCommand(srv.AppID(), srv.GuildID(), c.ID)
	if err != nil || got.Description != "e" {
		t.Fatalf("get = %+v, %v", got, err)
	}
	if err := dg.ApplicationCommandDelete(srv.AppID(), srv.GuildID(), c.ID); err != nil {
		t.Fatal(err)
	}
	if err := dg.ApplicationCommandDelete(srv.AppID(), srv.GuildID(), c.ID); err == nil {
		t.Error("second delete succeeded")
	}
}
