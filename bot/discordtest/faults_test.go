package discordtest

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func sendHello(dg *discordgo.Session, channelID string) (*discordgo.Message, error) {
	return dg.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{Content: "hello", AllowedMentions: noPings})
}

func TestRateLimitIsWaitedOutAndRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		global bool
	}{{"bucket", false}, {"global", true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			dg := newSession(t, srv)
			const wait = 300 * time.Millisecond
			srv.Inject(Fault{Method: "POST", Path: "/channels/*/messages", Status: 429, RetryAfter: wait, Global: tc.global})
			if _, err := sendHello(dg, srv.ChannelID()); err != nil {
				t.Fatalf("send after 429: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 || !reqs[0].Injected || reqs[0].Status != 429 || reqs[1].Status != 200 {
				t.Fatalf("requests = %v", reqs)
			}
			// discordgo must have waited retry_after before retrying (a lower bound, not a speed limit).
			if gap := reqs[1].Time.Sub(reqs[0].Time); gap < wait*9/10 {
				t.Errorf("retried after %v, want >= %v", gap, wait)
			}
			if got := len(srv.ChannelMessages(srv.ChannelID())); got != 1 {
				t.Errorf("messages = %d, want 1 (the 429 must not post)", got)
			}
		})
	}
}

func TestRateLimitResponseShape(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.RateLimitNext("GET", "/users/@me", 1500*time.Millisecond, 1)
	dg := newSession(t, srv)
	dg.ShouldRetryOnRateLimit = false
	_, err := dg.User("@me")
	var rl *discordgo.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want *RateLimitError", err)
	}
	if rl.RetryAfter != 1500*time.Millisecond || rl.Message != "You are being rate limited." {
		t.Errorf("rate limit = %+v", rl.TooManyRequests)
	}
	r := srv.Requests()[0]
	if !r.Injected || r.Status != 429 {
		t.Errorf("recorded = %v", r)
	}
	// Requests do not keep response headers; check them through a raw client.
	resp, err := (&http.Client{}).Get(srv.URL() + "gateway")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-RateLimit-Remaining") == "" {
		t.Error("normal answers carry no X-RateLimit-Remaining")
	}
	srv.RateLimitNext("GET", "/gateway", 1500*time.Millisecond, 1)
	resp, err = (&http.Client{}).Get(srv.URL() + "gateway")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for k, want := range map[string]string{"Retry-After": "2", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1.500", "X-RateLimit-Scope": "user"} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestServerErrorsAndDrops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      Fault
		wantStatus int  // status discordgo reports; 0 for a network error
		wantCode   int  // JSON error code
		succeeds   bool // discordgo retries this one itself
		requests   int
	}{
		{"500 returned to the caller", Fault{Status: 500}, 500, 0, false, 1},
		{"503 returned to the caller", Fault{Status: 503}, 503, 0, false, 1},
		{"502 retried by discordgo", Fault{Status: 502}, 0, 0, true, 2},
		{"dropped connection", Fault{Drop: true}, 0, 0, false, 1},
		{"403", Fault{Status: 403}, 403, 0, false, 1},
		{"403 missing permissions", Fault{Status: 403, Code: CodeMissingPermissions, Message: "Missing Permissions"}, 403, CodeMissingPermissions, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			dg := newSession(t, srv)
			tc.fault.Method, tc.fault.Path = "POST", "channels/*/messages" // no leading slash: normalised
			srv.Inject(tc.fault)
			_, err := sendHello(dg, srv.ChannelID())
			if tc.succeeds != (err == nil) {
				t.Fatalf("err = %v, want success %v", err, tc.succeeds)
			}
			if st, code := restCode(err); st != tc.wantStatus || st != 0 && code != tc.wantCode {
				t.Errorf("status %d code %d, want %d code %d (err %v)", st, code, tc.wantStatus, tc.wantCode, err)
			}
			if n := len(srv.Requests()); n != tc.requests {
				t.Errorf("requests = %d, want %d", n, tc.requests)
			}
			if srv.PendingFaults() != 0 {
				t.Error("fault not consumed")
			}
			// The fault was used up: the next send goes through.
			if _, err := sendHello(dg, srv.ChannelID()); err != nil {
				t.Errorf("send after fault: %v", err)
			}
			want := 1
			if tc.succeeds {
				want = 2
			}
			if got := len(srv.ChannelMessages(srv.ChannelID())); got != want {
				t.Errorf("messages = %d, want %d", got, want)
			}
			if p := srv.Problems(); len(p) != 0 {
				t.Errorf("injected faults listed as problems: %v", p)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.FailNext("PATCH", "/webhooks/*/*/messages/@original", 500, 2)
	srv.FailNext("", "", 503, 1) // any request, after the first fault is used up
	tests := []struct {
		method, path string
		want         int
	}{
		{"POST", "/channels/1/messages", 503},
		{"PATCH", "/webhooks/1/tok/messages/@original", 500},
		{"patch", "/webhooks/2/tok/messages/@original", 500},
		{"PATCH", "/webhooks/2/tok/messages/@original", 0},
		{"GET", "/gateway", 0},
	}
	for i, tc := range tests {
		srv.mu.Lock()
		f, ok := srv.takeFaultLocked(tc.method, tc.path)
		srv.mu.Unlock()
		got := 0
		if ok {
			got = f.Status
		}
		if got != tc.want {
			t.Errorf("#%d %s %s: fault %d, want %d", i, tc.method, tc.path, got, tc.want)
		}
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("pending = %d", n)
	}
}
