package bot

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
)

func TestCommandDefinitionsValid(t *testing.T) {
	defs := commandDefinitions()
	if err := discordtest.CheckCommands(defs); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, c := range defs {
		names[c.Name] = true
	}
	for _, n := range []string{cmdBrief, cmdSchedule, cmdStatus} {
		if !names[n] {
			t.Errorf("missing /%s", n)
		}
	}
	// default_member_permissions goes out as the string Discord expects.
	js, err := json.Marshal(defs[1])
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	json.Unmarshal(js, &raw)
	if raw["default_member_permissions"] != "32" || raw["dm_permission"] != false {
		t.Errorf("schedule: default_member_permissions %v, dm_permission %v", raw["default_member_permissions"], raw["dm_permission"])
	}
}

// roundTrip turns definitions into what Discord answers for them: JSON
// through the wire, with the defaults Discord fills in.
func roundTrip(t *testing.T, defs []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	t.Helper()
	js, err := json.Marshal(defs)
	if err != nil {
		t.Fatal(err)
	}
	var out []*discordgo.ApplicationCommand
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatal(err)
	}
	yes := true
	for i, c := range out {
		c.ID = "1" + string(rune('0'+i))
		c.Version = "1"
		c.DefaultPermission = &yes
		if c.IntegrationTypes == nil {
			it := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
			c.IntegrationTypes = &it
		}
	}
	// Discord lists commands in its own order.
	out[0], out[len(out)-1] = out[len(out)-1], out[0]
	return out
}

func TestSameCommands(t *testing.T) {
	want := commandDefinitions()
	if !sameCommands(roundTrip(t, want), want) {
		t.Fatal("identical definitions compare different")
	}
	tests := []struct {
		name   string
		change func([]*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand
	}{
		{"missing command", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand { return c[1:] }},
		{"none registered", func([]*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand { return nil }},
		{"description", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			c[0].Description = "old text"
			return c
		}},
		{"option max length", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			for _, x := range c {
				if x.Name == cmdBrief {
					x.Options[0].MaxLength = 50
				}
			}
			return c
		}},
		{"permission dropped", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			for _, x := range c {
				x.DefaultMemberPermissions = nil
			}
			return c
		}},
		{"extra command", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			return append(c, &discordgo.ApplicationCommand{Name: "old", Description: "gone"})
		}},
		{"subcommand option", func(c []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
			for _, x := range c {
				if x.Name == cmdSchedule {
					x.Options[0].Options[1].Required = false
				}
			}
			return c
		}},
	}
	for _, tc := range tests {
		have := tc.change(roundTrip(t, commandDefinitions()))
		if sameCommands(have, want) {
			t.Errorf("%s: not noticed", tc.name)
		}
	}
}
