package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func restErr(status int) error {
	return &discordgo.RESTError{Response: &http.Response{StatusCode: status, Status: http.StatusText(status)}}
}

func TestTransient(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{restErr(500), true},
		{restErr(503), true},
		{restErr(400), false},
		{restErr(403), false},
		{restErr(404), false},
		{&url.Error{Op: "Post", URL: "x", Err: io.ErrUnexpectedEOF}, true},
		{errors.New("Exceeded Max retries HTTP 502 Bad Gateway, "), true},
		{errors.New("json unmarshal"), false},
	}
	for _, tc := range tests {
		if got := transient(tc.err); got != tc.want {
			t.Errorf("transient(%v) = %v", tc.err, got)
		}
	}
}

func TestRetry(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	waits := []time.Duration{time.Millisecond, time.Millisecond}
	tests := []struct {
		name      string
		errs      []error
		wantCalls int
		wantErr   bool
	}{
		{"ok", []error{nil}, 1, false},
		{"500 then ok", []error{restErr(500), nil}, 2, false},
		{"always 500", []error{restErr(500), restErr(500), restErr(500), restErr(500)}, 3, true},
		{"400 not retried", []error{restErr(400), nil}, 1, true},
	}
	for _, tc := range tests {
		calls := 0
		err := retry(context.Background(), log, tc.name, waits, func() error {
			calls++
			return tc.errs[calls-1]
		})
		if calls != tc.wantCalls || (err != nil) != tc.wantErr {
			t.Errorf("%s: %d calls, err %v", tc.name, calls, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	retry(ctx, log, "cancelled", []time.Duration{time.Hour}, func() error { calls++; return restErr(500) })
	if calls != 1 {
		t.Errorf("retried after cancel: %d calls", calls)
	}
}

func TestNoMentionsMarshalsEmptyParse(t *testing.T) {
	bodies := []any{
		discordgo.MessageSend{Content: "@everyone", AllowedMentions: noMentions()},
		discordgo.WebhookEdit{AllowedMentions: noMentions()},
		discordgo.InteractionResponseData{AllowedMentions: noMentions()},
		channelMessage{Content: "@everyone", AllowedMentions: noMentions()},
	}
	for _, b := range bodies {
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(js), `"allowed_mentions":{"parse":[],`) {
			t.Errorf("%T marshals as %s", b, js)
		}
	}
}

func TestBaseRewriter(t *testing.T) {
	var got *http.Request
	rt := &baseRewriter{from: discordgo.EndpointAPI, to: "http://127.0.0.1:1/proxy/api/v9/", next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 204, Body: http.NoBody}, nil
	})}
	req, _ := http.NewRequest("GET", discordgo.EndpointGateway+"?x=1", nil)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got.URL.String() != "http://127.0.0.1:1/proxy/api/v9/gateway?x=1" || got.Host != "127.0.0.1:1" {
		t.Errorf("rewritten to %s (host %s)", got.URL, got.Host)
	}
	if req.URL.String() != discordgo.EndpointGateway+"?x=1" {
		t.Error("the caller's request was modified")
	}
	other, _ := http.NewRequest("GET", "https://cdn.discordapp.com/x.png", nil)
	rt.RoundTrip(other)
	if got.URL.Host != "cdn.discordapp.com" {
		t.Errorf("rewrote a non-API URL: %s", got.URL)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
