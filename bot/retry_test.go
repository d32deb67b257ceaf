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
	"sync/atomic"
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

func rateLimitErr(after time.Duration) error {
	return &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{RetryAfter: after}, URL: "x"}}
}

// TestCall: 5xx and network errors are retried after each wait, other
// errors are not; a 429 is waited out when its wait fits before the
// deadline and fails the call at once when it does not; nothing runs past
// the deadline.
func TestCall(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	waits := []time.Duration{time.Millisecond, time.Millisecond}
	tests := []struct {
		name      string
		timeout   time.Duration
		errs      []error
		wantCalls int
		wantErr   bool
	}{
		{"ok", time.Second, []error{nil}, 1, false},
		{"500 then ok", time.Second, []error{restErr(500), nil}, 2, false},
		{"always 500", time.Second, []error{restErr(500), restErr(500), restErr(500), restErr(500)}, 3, true},
		{"400 not retried", time.Second, []error{restErr(400), nil}, 1, true},
		{"429 waited out", time.Second, []error{rateLimitErr(20 * time.Millisecond), rateLimitErr(20 * time.Millisecond), nil}, 3, false},
		{"429 past the deadline", time.Second, []error{rateLimitErr(3500 * time.Millisecond), nil}, 1, true},
		{"429 storm until the deadline", 200 * time.Millisecond, repeatErr(rateLimitErr(50*time.Millisecond), 100), -1, true},
	}
	for _, tc := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
		calls := 0
		start := time.Now()
		_, err := call(ctx, log, tc.name, waits, func(opts ...discordgo.RequestOption) (int, error) {
			calls++
			return calls, tc.errs[calls-1]
		})
		cancel()
		// -1: some calls, as many as the deadline allows, not all.
		if tc.wantCalls < 0 && calls >= 2 && calls < len(tc.errs) {
			calls = tc.wantCalls
		}
		if calls != tc.wantCalls || (err != nil) != tc.wantErr {
			t.Errorf("%s: %d calls, err %v; want %d calls, error %v", tc.name, calls, err, tc.wantCalls, tc.wantErr)
		}
		if el := time.Since(start); el > tc.timeout+time.Second {
			t.Errorf("%s: took %s, past its %s deadline", tc.name, el, tc.timeout)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32 // the call may still be running when call returns
	call(ctx, log, "cancelled", []time.Duration{time.Hour}, func(...discordgo.RequestOption) (int, error) { calls.Add(1); return 0, restErr(500) })
	time.Sleep(10 * time.Millisecond)
	if n := calls.Load(); n > 1 {
		t.Errorf("retried after cancel: %d calls", n)
	}
}

func repeatErr(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

// TestCallReturnsAtDeadlineWhileDiscordgoBlocks: discordgo sleeps on a rate
// limit bucket without a context; the call still returns at its deadline.
func TestCallReturnsAtDeadlineWhileDiscordgoBlocks(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	release := make(chan struct{})
	defer close(release)
	start := time.Now()
	_, err := call(ctx, log, "blocked", nil, func(...discordgo.RequestOption) (int, error) { <-release; return 0, nil })
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
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
