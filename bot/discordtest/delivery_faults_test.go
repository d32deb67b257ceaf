package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// postRaw POSTs a channel message body with a plain client and returns the
// status and the decoded answer.
func postRaw(t *testing.T, ctx context.Context, srv *Server, body string) (int, map[string]any, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL()+"channels/"+srv.ChannelID()+"/messages", bytes.NewBufferString(body))
	req.Header.Set("Authorization", testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, nil
}

func listRaw(t *testing.T, srv *Server, query string) []map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL()+"channels/"+srv.ChannelID()+"/messages"+query, nil)
	req.Header.Set("Authorization", testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

const hello = `{"content":"hello","allowed_mentions":{"parse":[]},"nonce":"n1","enforce_nonce":true}`

// TestHoldFaults: a request held before it is processed does nothing when
// its client gives up; a create-then-hold request creates the message
// although its client sees a 500 or gives up; OnHold runs as the hold
// begins.
func TestHoldFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       Fault
		clientWait  time.Duration
		wantStatus  int // 0: the client gave up
		wantCreated bool
	}{
		{"held, client gives up", Fault{Hold: time.Minute}, 100 * time.Millisecond, 0, false},
		{"held, then served", Fault{Hold: 50 * time.Millisecond}, 5 * time.Second, 200, true},
		{"created, then 500", Fault{CreateFirst: true, Status: 500}, 5 * time.Second, 500, true},
		{"created, client gives up", Fault{CreateFirst: true, Hold: time.Minute}, 100 * time.Millisecond, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			var held sync.WaitGroup
			held.Add(1)
			f := tc.fault
			f.Method, f.Path = "POST", "/channels/*/messages"
			f.OnHold = func(r Request) {
				if r.Method == "POST" {
					held.Done()
				}
			}
			srv.Inject(f)
			ctx, cancel := context.WithTimeout(context.Background(), tc.clientWait)
			defer cancel()
			status, _, _ := postRaw(t, ctx, srv, hello)
			held.Wait()
			if status != tc.wantStatus {
				t.Errorf("client saw %d, want %d", status, tc.wantStatus)
			}
			// The fake records a request once it is done with it.
			reqs, err := srv.WaitRequests(testCtx(t), 1, func(r Request) bool { return r.Method == "POST" })
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantStatus == 0 && !reqs[0].Gone {
				t.Errorf("recorded %+v, want Gone", reqs[0])
			}
			if n := len(srv.ChannelMessages(srv.ChannelID())); (n == 1) != tc.wantCreated || n > 1 {
				t.Errorf("%d messages, want created %v", n, tc.wantCreated)
			}
		})
	}
}

// TestStormUntilCleared: a Forever fault fails every matching request until
// ClearFaults.
func TestStormUntilCleared(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Inject(Fault{Method: "POST", Path: "/channels/*/messages", Status: 503, Times: Forever})
	for range 5 {
		if st, _, _ := postRaw(t, context.Background(), srv, hello); st != 503 {
			t.Fatalf("status %d during the storm", st)
		}
	}
	if srv.PendingFaults() != -1 {
		t.Errorf("PendingFaults = %d during a storm", srv.PendingFaults())
	}
	srv.ClearFaults()
	if st, _, _ := postRaw(t, context.Background(), srv, hello); st != 200 {
		t.Errorf("status %d after the storm", st)
	}
}

// TestEnforceNonce: a repeat with the same nonce within the window returns
// the first message; after the window (on the fake's clock), or with the
// window off, it creates another. The nonce is in the create answer only.
func TestEnforceNonce(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	for _, window := range []time.Duration{DefaultNonceWindow, 0} {
		srv := newServer(t, WithClock(clock), WithNonceWindow(window))
		_, first, _ := postRaw(t, context.Background(), srv, hello)
		if first["nonce"] != "n1" {
			t.Errorf("create answer lacks the nonce: %v", first)
		}
		_, again, _ := postRaw(t, context.Background(), srv, hello)
		if same := again["id"] == first["id"]; same != (window > 0) {
			t.Errorf("window %s: repeat returned the first message: %v", window, same)
		}
		advance(window + time.Second)
		_, later, _ := postRaw(t, context.Background(), srv, hello)
		if later["id"] == first["id"] {
			t.Errorf("window %s: a repeat after the window was deduplicated", window)
		}
		for _, m := range listRaw(t, srv, "") {
			if _, ok := m["nonce"]; ok {
				t.Errorf("listing shows a nonce: %v", m)
			}
		}
		if ts, _ := snowflakeTime(first["id"].(string)); ts.Year() != 2026 {
			t.Errorf("message ID does not encode the fake's clock: %s", ts)
		}
	}
}

// TestListMessagesPaging: after and before select the messages beside an
// ID, newest first; other users' messages carry their author.
func TestListMessagesPaging(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var ids []string
	for i := range 5 {
		if i == 2 {
			ids = append(ids, srv.PostUserMessage(srv.ChannelID(), "42", "hi"))
			continue
		}
		_, m, _ := postRaw(t, context.Background(), srv, `{"content":"m","allowed_mentions":{"parse":[]}}`)
		ids = append(ids, m["id"].(string))
	}
	got := func(ms []map[string]any) string {
		var out []string
		for _, m := range ms {
			out = append(out, m["id"].(string))
		}
		return strings.Join(out, ",")
	}
	if g, w := got(listRaw(t, srv, "?after="+ids[0]+"&limit=2")), ids[2]+","+ids[1]; g != w {
		t.Errorf("after: %s, want %s", g, w)
	}
	if g, w := got(listRaw(t, srv, "?before="+ids[4]+"&limit=2")), ids[3]+","+ids[2]; g != w {
		t.Errorf("before: %s, want %s", g, w)
	}
	for _, m := range listRaw(t, srv, "") {
		author := m["author"].(map[string]any)["id"]
		if (m["id"] == ids[2]) != (author == "42") {
			t.Errorf("message %v by %v", m["id"], author)
		}
	}
}

// TestFaultUntil: a storm with an end on the fake's clock stops there.
func TestFaultUntil(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := newServer(t, WithClock(clock))
	srv.Inject(Fault{Path: "/channels/*/messages", Status: 503, Times: Forever, Until: now.Add(3 * time.Minute)})
	if st, _, _ := postRaw(t, context.Background(), srv, hello); st != 503 {
		t.Fatalf("status %d during the storm", st)
	}
	mu.Lock()
	now = now.Add(3 * time.Minute)
	mu.Unlock()
	if st, _, _ := postRaw(t, context.Background(), srv, hello); st != 200 {
		t.Errorf("status %d after the storm's end", st)
	}
}
