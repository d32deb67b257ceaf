package discordtest

import (
	"net/http"
	"testing"
)

func TestUnknownRoutesAndAuth(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		method, path, auth string
		status             int
		known              bool
	}{
		{"GET", "users/@me", "Bot x", 200, true},
		{"GET", "users/@me", "", 401, true},
		{"GET", "users/@me", "x", 401, true}, // a user token, not a bot token
		{"GET", "gateway", "", 200, true},    // no auth needed, as on Discord
		{"GET", "guilds/1/members", "Bot x", 404, false},
		{"DELETE", "users/@me", "Bot x", 404, false}, // known path, unknown method
		{"POST", "channels/1/typing", "Bot x", 404, false},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(tc.method, srv.URL()+tc.path, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
		last := srv.Requests()[len(srv.Requests())-1]
		if (last.Route != "") != tc.known || last.Status != tc.status || last.Path != "/"+tc.path {
			t.Errorf("%s %s recorded as %+v", tc.method, tc.path, last)
		}
	}
	if n := len(srv.UnknownRoutes()); n != 3 {
		t.Errorf("unknown routes = %d, want 3", n)
	}
}
