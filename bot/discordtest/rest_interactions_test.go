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

func TestWebhookRoutes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := ready(t, srv, nil)
	registerBrief(t, srv, dg)
	ctx := testCtx(t)
	ex, err := srv.Interact(ctx, Interaction{Name: "brief"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.waitFor(ctx, func() bool { return !ex.st.dispatched.IsZero() }); err != nil {
		t.Fatal(err)
	}
	i := &discordgo.Interaction{ID: ex.ID(), AppID: srv.AppID(), Token: ex.Token()}

	// A follow-up before any acknowledgement has no webhook to go to.
	if _, err := dg.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "early"}); err == nil {
		t.Error("follow-up before acknowledging succeeded")
	}
	if err := dg.InteractionRespond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "only you", Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noPings},
	}); err != nil {
		t.Fatal(err)
	}
	if o := ex.Original(); o == nil || !o.Ephemeral() || o.Content != "only you" {
		t.Errorf("original = %+v", o)
	}
	got, err := dg.InteractionResponse(i)
	if err != nil || got.Content != "only you" || got.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("GET @original = %+v, %v", got, err)
	}
	// wait=false: Discord answers 204 and discordgo returns no message.
	if m, err := dg.FollowupMessageCreate(i, false, &discordgo.WebhookParams{Content: "one", AllowedMentions: noPings}); err != nil || m != nil {
		t.Errorf("follow-up without wait = %+v, %v", m, err)
	}
	m, err := dg.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "two", AllowedMentions: noPings})
	if err != nil || m.ID == "" {
		t.Fatalf("follow-up = %+v, %v", m, err)
	}
	content := "two, edited"
	if _, err := dg.FollowupMessageEdit(i, m.ID, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noPings}); err != nil {
		t.Fatal(err)
	}
	if fu := ex.Followups(); len(fu) != 2 || fu[1].Content != content || fu[1].Edits != 1 {
		t.Errorf("follow-ups = %+v", fu)
	}
	if err := dg.InteractionResponseDelete(i); err != nil {
		t.Fatal(err)
	}
	if _, err := dg.InteractionResponse(i); err == nil {
		t.Error("GET @original after delete succeeded")
	}
	if !ex.Original().Deleted {
		t.Error("original not marked deleted")
	}
	if err := srv.CheckAllowedMentionsNone(); err != nil {
		t.Error(err)
	}
}
