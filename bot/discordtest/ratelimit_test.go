package discordtest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRateLimitBucketsAreObeyedByDiscordgo(t *testing.T) {
	t.Parallel()
	const window = 400 * time.Millisecond
	srv := newServer(t, WithRateLimit(2, window))
	dg := newSession(t, srv)
	for i := 0; i < 5; i++ {
		if _, err := sendHello(dg, srv.ChannelID()); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 5 {
		t.Fatalf("requests = %v, want 5 with no 429 (discordgo reads the headers)", reqs)
	}
	for _, r := range reqs {
		if r.Status != 200 {
			t.Errorf("request %v", r)
		}
	}
	// The third request had to wait for the bucket to reset (a lower bound).
	if gap := reqs[2].Time.Sub(reqs[0].Time); gap < window*9/10 {
		t.Errorf("third request %v after the first, want >= %v", gap, window)
	}
	// Another channel is another bucket.
	other := srv.AddChannel("other")
	if _, err := sendHello(dg, other); err != nil {
		t.Fatal(err)
	}
}

func TestRateLimitHitByAClientIgnoringHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithRateLimit(2, time.Minute))
	post := func() *http.Response {
		req, _ := http.NewRequest("POST", srv.URL()+"channels/"+srv.ChannelID()+"/messages", strings.NewReader(`{"content":"x"}`))
		req.Header.Set("Authorization", testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i, want := range []struct {
		status    int
		remaining string
	}{{200, "1"}, {200, "0"}, {429, "0"}} {
		resp := post()
		if resp.StatusCode != want.status || resp.Header.Get("X-RateLimit-Remaining") != want.remaining {
			t.Errorf("request %d: %d remaining %q, want %d %q", i, resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"), want.status, want.remaining)
		}
	}
	if p := srv.Problems(); len(p) != 1 || p[0].Status != 429 || p[0].Injected {
		t.Errorf("problems = %v, want the real 429", p)
	}
	if n := len(srv.ChannelMessages(srv.ChannelID())); n != 2 {
		t.Errorf("messages = %d, want 2", n)
	}
}
