package discordtest

import (
	"net/http"
	"testing"
	"time"
)

type recordingTransport struct{ urls []string }

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.urls = append(r.urls, req.URL.String()+" host="+req.Host)
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
}

func TestRewriteTransport(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://discord.com/api/v9/gateway", "http://127.0.0.1:1/x/api/v9/gateway host=127.0.0.1:1"},
		{"https://discord.com/api/v9/channels/1/messages?limit=5", "http://127.0.0.1:1/x/api/v9/channels/1/messages?limit=5 host=127.0.0.1:1"},
		{"https://discord.com/api/v9/users/@me", "http://127.0.0.1:1/x/api/v9/users/@me host=127.0.0.1:1"},
		{"https://cdn.discordapp.com/avatars/1.png", "https://cdn.discordapp.com/avatars/1.png host=cdn.discordapp.com"},
		{"https://discord.com/api/v8/gateway", "https://discord.com/api/v8/gateway host=discord.com"},
	}
	for _, tc := range tests {
		rec := &recordingTransport{}
		rt := RewriteTransport(DiscordAPI, "http://127.0.0.1:1/x/api/v9/", rec)
		req, _ := http.NewRequest("GET", tc.in, nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if len(rec.urls) != 1 || rec.urls[0] != tc.want {
			t.Errorf("%s -> %v, want %s", tc.in, rec.urls, tc.want)
		}
		if req.URL.String() != tc.in {
			t.Errorf("caller's request modified: %s", req.URL)
		}
	}
}

func TestCloseEndsWaitsAndIsIdempotent(t *testing.T) {
	srv := NewServer()
	ctx := testCtx(t)
	done := make(chan error, 1)
	go func() {
		_, err := srv.Interact(ctx, Interaction{Name: "brief"}) // no client: waits for a session
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	srv.Close()
	srv.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Interact on a closed server succeeded")
		}
	case <-ctx.Done():
		t.Fatal("Interact still waiting after Close")
	}
}
