package discordtest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

var noPings = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// briefHandler behaves like the bot's /brief: defer, then edit with an
// embed, then a follow-up; autocomplete answers two choices.
func briefHandler(t *testing.T) func(*discordgo.Session, *discordgo.InteractionCreate) {
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
			return sub.Name == "add" && sub.Options[0].StringValue() == "gaza" && sub.Options[1].IntValue() == 8 &&
				sub.Options[2].Value == srv.ChannelID()
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

// rawCallback posts a callback body directly, as a misbehaving bot might.
func rawCallback(t *testing.T, srv *Server, dg *discordgo.Session, ex *Exchange, body string) error {
	t.Helper()
	_, err := dg.RequestWithBucketID(http.MethodPost, discordgo.EndpointInteractionResponse(ex.ID(), ex.Token()), rawJSON(body), "cb")
	return err
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func restCode(err error) (int, int) {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		code := -1
		if re.Message != nil {
			code = re.Message.Code
		}
		return re.Response.StatusCode, code
	}
	return 0, 0
}

func TestCallbackRules(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithInteractionDeadline(time.Second))
	dg := ready(t, srv, nil)
	registerBrief(t, srv, dg)
	ctx := testCtx(t)
	dispatched := func(in Interaction) *Exchange {
		t.Helper()
		ex, err := srv.Interact(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.waitFor(ctx, func() bool { return !ex.st.dispatched.IsZero() }); err != nil {
			t.Fatal(err)
		}
		return ex
	}
	reply := `{"type":4,"data":{"content":"hi","allowed_mentions":{"parse":[]}}}`
	cmd := Interaction{Name: "brief"}
	auto := Interaction{Name: "brief", Type: discordgo.InteractionApplicationCommandAutocomplete, Options: []*discordgo.ApplicationCommandInteractionDataOption{FocusedOpt("topic", "g")}}

	t.Run("twice", func(t *testing.T) {
		ex := dispatched(cmd)
		if err := rawCallback(t, srv, dg, ex, reply); err != nil {
			t.Fatal(err)
		}
		err := rawCallback(t, srv, dg, ex, reply)
		if st, code := restCode(err); st != 400 || code != CodeAlreadyAcknowledged {
			t.Errorf("second callback: %v", err)
		}
	})
	t.Run("autocomplete result to a command", func(t *testing.T) {
		ex := dispatched(cmd)
		err := rawCallback(t, srv, dg, ex, `{"type":8,"data":{"choices":[]}}`)
		if st, _ := restCode(err); st != 400 {
			t.Errorf("err = %v", err)
		}
		// A refused callback does not acknowledge: a valid one still works.
		if err := rawCallback(t, srv, dg, ex, reply); err != nil {
			t.Errorf("valid callback after a refused one: %v", err)
		}
	})
	t.Run("too many choices", func(t *testing.T) {
		ex := dispatched(auto)
		body := `{"type":8,"data":{"choices":[` + strings.Repeat(`{"name":"a","value":"a"},`, 25) + `{"name":"a","value":"a"}]}}`
		if st, code := restCode(rawCallback(t, srv, dg, ex, body)); st != 400 || code != CodeInvalidFormBody {
			t.Errorf("26 choices: status %d code %d", st, code)
		}
	})
	t.Run("reply too long", func(t *testing.T) {
		ex := dispatched(cmd)
		body := `{"type":4,"data":{"content":"` + strings.Repeat("x", 2001) + `"}}`
		if st, code := restCode(rawCallback(t, srv, dg, ex, body)); st != 400 || code != CodeInvalidFormBody {
			t.Errorf("2001 chars: status %d code %d", st, code)
		}
	})
	t.Run("unknown interaction", func(t *testing.T) {
		ex := dispatched(cmd)
		fake := &Exchange{s: srv, st: &interactionState{id: ex.ID(), token: "wrong"}}
		if st, code := restCode(rawCallback(t, srv, dg, fake, reply)); st != 404 || code != CodeUnknownInteraction {
			t.Errorf("wrong token: status %d code %d", st, code)
		}
	})
	t.Run("too late", func(t *testing.T) {
		ex := dispatched(cmd)
		time.Sleep(time.Second + 100*time.Millisecond)
		if st, code := restCode(rawCallback(t, srv, dg, ex, reply)); st != 404 || code != CodeUnknownInteraction {
			t.Errorf("late callback: status %d code %d", st, code)
		}
	})
	t.Run("edit before acknowledging", func(t *testing.T) {
		ex := dispatched(cmd)
		i := &discordgo.Interaction{ID: ex.ID(), AppID: srv.AppID(), Token: ex.Token()}
		content := "x"
		_, err := dg.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content})
		if st, code := restCode(err); st != 404 || code != CodeUnknownMessage {
			t.Errorf("edit before ack: status %d code %d", st, code)
		}
	})
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithTokenLifetime(500*time.Millisecond))
	dg := ready(t, srv, nil)
	registerBrief(t, srv, dg)
	ctx, cancel := context.WithTimeout(testCtx(t), 20*time.Second)
	defer cancel()
	ex, err := srv.Interact(ctx, Interaction{Name: "brief"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.waitFor(ctx, func() bool { return !ex.st.dispatched.IsZero() }); err != nil {
		t.Fatal(err)
	}
	i := &discordgo.Interaction{ID: ex.ID(), AppID: srv.AppID(), Token: ex.Token()}
	if err := dg.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	content := "late"
	_, err = dg.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content})
	if st, code := restCode(err); st != 401 || code != CodeInvalidWebhookToken {
		t.Errorf("edit after token expiry: %v", err)
	}
}
