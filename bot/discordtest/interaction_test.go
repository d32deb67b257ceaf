package discordtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

var noPings = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// briefHandler behaves like the bot's /brief: defer, then edit with an
// embed, then a follow-up; autocomplete answers two choices.
func briefHandler(t testing.TB) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		switch i.Type {
		case discordgo.InteractionApplicationCommandAutocomplete:
			typed := i.ApplicationCommandData().Options[0].StringValue()
			err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionApplicationCommandAutocompleteResult,
				Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: typed + " talks", Value: typed + " talks"},
					{Name: typed, Value: typed},
				}},
			})
			if err != nil {
				t.Errorf("autocomplete: %v", err)
			}
		case discordgo.InteractionApplicationCommand:
			topic := ""
			if opts := i.ApplicationCommandData().Options; len(opts) > 0 {
				topic = opts[0].StringValue()
			}
			if err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			}); err != nil {
				t.Errorf("defer: %v", err)
				return
			}
			_, err := s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{
				Embeds:          &[]*discordgo.MessageEmbed{{Title: "Briefing: " + topic, Description: "- Witkoff met envoys @everyone"}},
				AllowedMentions: noPings,
			})
			if err != nil {
				t.Errorf("edit: %v", err)
				return
			}
			if _, err := s.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{
				Content: "sources", AllowedMentions: noPings,
			}); err != nil {
				t.Errorf("follow-up: %v", err)
			}
		}
	}
}

func TestBriefDeferEditFollowup(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := ready(t, srv, briefHandler(t))
	registerBrief(t, srv, dg)
	ctx := testCtx(t)

	ex, err := srv.Interact(ctx, Interaction{Name: "brief", Options: []*discordgo.ApplicationCommandInteractionDataOption{Opt("topic", "ceasefire")}})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := ex.Callback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("callback type = %d, want 5", cb.Type)
	}
	m, err := ex.Response(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Embeds) != 1 || m.Embeds[0].Title != "Briefing: ceasefire" || m.Edits != 1 || m.Loading() {
		t.Errorf("original = %+v", m)
	}
	if !strings.Contains(m.Text(), "Witkoff") {
		t.Errorf("text = %q", m.Text())
	}
	fu, err := ex.WaitFollowups(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fu[0].Content != "sources" {
		t.Errorf("follow-up = %+v", fu[0])
	}
	if err := srv.CheckAllowedMentionsNone(); err != nil {
		t.Error(err)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
	if n := len(ex.Requests()); n != 3 {
		t.Errorf("interaction requests = %d, want 3 (callback, edit, follow-up)", n)
	}
}

func TestAutocompleteChoices(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := ready(t, srv, briefHandler(t))
	registerBrief(t, srv, dg)
	ctx := testCtx(t)
	ex, err := srv.Interact(ctx, Interaction{
		Type:    discordgo.InteractionApplicationCommandAutocomplete,
		Name:    "brief",
		Options: []*discordgo.ApplicationCommandInteractionDataOption{FocusedOpt("topic", "gaza")},
	})
	if err != nil {
		t.Fatal(err)
	}
	choices, err := ex.Choices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(choices) != 2 || choices[0].Name != "gaza talks" || choices[1].Value != "gaza" {
		t.Errorf("choices = %+v", choices)
	}
}

// TestInteractionPayloadDecodes guards the design note: with permissions as
// numbers discordgo silently yields an empty interaction.
func TestInteractionPayloadDecodes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		name string
		in   Interaction
		want func(*discordgo.Interaction) bool
	}{
		{"guild member", Interaction{Name: "brief", Permissions: AdminPermissions, SkipChecks: true}, func(i *discordgo.Interaction) bool {
			return i.Member != nil && i.Member.Permissions&discordgo.PermissionManageGuild != 0 &&
				i.GuildID == srv.GuildID() && i.AppPermissions == BotPermissions && i.User == nil
		}},
		{"dm user", Interaction{Name: "brief", DM: true, SkipChecks: true}, func(i *discordgo.Interaction) bool {
			return i.Member == nil && i.User != nil && i.GuildID == "" && i.ChannelID != srv.ChannelID()
		}},
		{"subcommand", Interaction{Name: "schedule", SkipChecks: true, Options: []*discordgo.ApplicationCommandInteractionDataOption{
			SubOpt("add", Opt("topic", "gaza"), Opt("hour", 8), TypedOpt("channel", discordgo.ApplicationCommandOptionChannel, srv.ChannelID())),
		}}, func(i *discordgo.Interaction) bool {
			sub := i.ApplicationCommandData().Options[0]
			res := i.ApplicationCommandData().Resolved
			return sub.Name == "add" && sub.Options[0].StringValue() == "gaza" && sub.Options[1].IntValue() == 8 &&
				sub.Options[2].Value == srv.ChannelID() &&
				res != nil && res.Channels[srv.ChannelID()] != nil && res.Channels[srv.ChannelID()].Name == "general"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, payload, err := srv.newInteraction(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var i discordgo.Interaction
			if err := i.UnmarshalJSON(payload); err != nil {
				t.Fatalf("decode: %v\n%s", err, payload)
			}
			if i.Type != discordgo.InteractionApplicationCommand || i.ID != st.id || i.Token != st.token || i.AppID != srv.AppID() {
				t.Fatalf("decoded interaction = %+v", i)
			}
			if i.ApplicationCommandData().Name != tc.in.Name || !tc.want(&i) {
				t.Errorf("decoded interaction does not match: %s", payload)
			}
		})
	}
}

func TestInteractRefusesWhatDiscordWouldNotDispatch(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := ready(t, srv, nil)
	registerBrief(t, srv, dg)
	ctx := testCtx(t)
	tests := []struct {
		name string
		in   Interaction
		want error
	}{
		{"unregistered", Interaction{Name: "nope"}, ErrUnknownCommand},
		{"admin command as member", Interaction{Name: "schedule"}, ErrNotPermitted},
		{"admin command in DM", Interaction{Name: "schedule", DM: true, Permissions: AdminPermissions}, ErrNotPermitted},
		{"admin command as admin", Interaction{Name: "schedule", Permissions: AdminPermissions}, nil},
		{"administrator bit", Interaction{Name: "schedule", Permissions: discordgo.PermissionAdministrator}, nil},
		{"brief in DM", Interaction{Name: "brief", DM: true}, nil},
		{"skip checks", Interaction{Name: "schedule", SkipChecks: true}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.Interact(ctx, tc.in)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// BenchmarkInteractionRoundTrip measures one /brief through the fake and a
// real discordgo session: dispatch, defer, edit, follow-up.
func BenchmarkInteractionRoundTrip(b *testing.B) {
	srv := NewServer()
	defer srv.Close()
	dg, err := discordgo.New(testToken)
	if err != nil {
		b.Fatal(err)
	}
	dg.Client = &http.Client{Transport: srv.Transport()}
	dg.LogLevel = discordgo.LogError
	dg.AddHandler(briefHandler(b))
	if err := dg.Open(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		dg.Lock()
		dg.ShouldReconnectOnError = false
		dg.Unlock()
		_ = dg.Close()
	}()
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), "", []*discordgo.ApplicationCommand{{Name: "brief", Description: "d"}}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		ex, err := srv.Interact(ctx, Interaction{Name: "brief"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ex.WaitFollowups(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDispatchAnyEvent(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	got := make(chan *discordgo.MessageCreate, 1)
	dg := newSession(t, srv)
	dg.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { got <- m })
	openSession(t, srv, dg)
	ctx := testCtx(t)
	err := srv.Dispatch(ctx, "MESSAGE_CREATE", map[string]any{
		"id": "1", "channel_id": srv.ChannelID(), "content": "hi", "author": map[string]any{"id": "2", "username": "u"},
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m.Content != "hi" || m.ChannelID != srv.ChannelID() {
			t.Errorf("message = %+v", m.Message)
		}
	case <-ctx.Done():
		t.Fatal("no MESSAGE_CREATE")
	}
}
