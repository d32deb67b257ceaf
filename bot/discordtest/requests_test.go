package discordtest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
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

func TestCheckAllowedMentionsNone(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	if _, err := sendHello(dg, srv.ChannelID()); err != nil {
		t.Fatal(err)
	}
	if err := srv.CheckAllowedMentionsNone(); err != nil {
		t.Errorf("all messages had parse []: %v", err)
	}
	// An edit without allowed_mentions is caught too.
	msgs := srv.ChannelMessages(srv.ChannelID())
	if _, err := dg.ChannelMessageEdit(srv.ChannelID(), msgs[0].ID, "@everyone edited"); err != nil {
		t.Fatal(err)
	}
	err := srv.CheckAllowedMentionsNone()
	if err == nil || !strings.Contains(err.Error(), "PATCH") || !strings.Contains(err.Error(), "(absent)") {
		t.Errorf("err = %v, want the PATCH named", err)
	}
	if got := srv.ChannelMessages(srv.ChannelID())[0]; got.Content != "@everyone edited" || got.Edits != 1 || !MentionsNone(got.AllowedMentions) {
		t.Errorf("edited message = %+v (allowed_mentions kept from create)", got)
	}
	if n := len(srv.MessageRequests()); n != 2 {
		t.Errorf("message requests = %d, want 2", n)
	}
}

func TestWaitRequestSeesFutureRequests(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	ctx := testCtx(t)
	go func() {
		time.Sleep(50 * time.Millisecond)
		_, _ = sendHello(dg, srv.ChannelID())
	}()
	r, err := srv.WaitRequest(ctx, func(r Request) bool { return r.Method == "POST" && r.Route == routeChannelMessages })
	if err != nil {
		t.Fatal(err)
	}
	if r.Authorization() != testToken || r.JSON.(map[string]any)["content"] != "hello" {
		t.Errorf("request = %+v", r)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := srv.WaitRequest(short, func(r Request) bool { return r.Method == "DELETE" }); err == nil {
		t.Error("WaitRequest for a request that never comes returned no error")
	}
	msgs, err := srv.WaitChannelMessages(ctx, srv.ChannelID(), 1)
	if err != nil || len(msgs) != 1 {
		t.Errorf("channel messages = %v, %v", msgs, err)
	}
}

func TestChannelAndGuildRoutes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	news := srv.AddChannel("news")
	c, err := dg.Channel(news)
	if err != nil || c.GuildID != srv.GuildID() || c.Name != "news" || c.Type != discordgo.ChannelTypeGuildText {
		t.Fatalf("channel = %+v, %v", c, err)
	}
	chans, err := dg.GuildChannels(srv.GuildID())
	if err != nil || len(chans) != 2 {
		t.Fatalf("guild channels = %v, %v", chans, err)
	}
	g, err := dg.Guild(srv.GuildID())
	if err != nil || g.ID != srv.GuildID() {
		t.Fatalf("guild = %+v, %v", g, err)
	}
	m, err := sendHello(dg, news)
	if err != nil {
		t.Fatal(err)
	}
	if m.ChannelID != news || m.Author == nil || m.Author.ID != srv.BotUserID() || m.Timestamp.IsZero() {
		t.Errorf("message = %+v", m)
	}
	got, err := dg.ChannelMessage(news, m.ID)
	if err != nil || got.Content != "hello" {
		t.Errorf("get message = %+v, %v", got, err)
	}
	list, err := dg.ChannelMessages(news, 10, "", "", "")
	if err != nil || len(list) != 1 {
		t.Errorf("list = %v, %v", list, err)
	}
	me, err := dg.User("@me")
	if err != nil || me.ID != srv.BotUserID() || !me.Bot {
		t.Errorf("me = %+v, %v", me, err)
	}
	app, err := dg.Application("@me")
	if err != nil || app.ID != srv.AppID() {
		t.Errorf("application = %+v, %v", app, err)
	}
	gb, err := dg.GatewayBot()
	if err != nil || !strings.HasPrefix(gb.URL, srv.GatewayURL()) || gb.Shards != 1 {
		t.Errorf("gateway/bot = %+v, %v", gb, err)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
}

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

func TestSnowflakesIncreaseAndCarryTime(t *testing.T) {
	var g snowflakes
	prev := ""
	for i := 0; i < 1000; i++ {
		id := g.next()
		if prev != "" && (len(id) < len(prev) || len(id) == len(prev) && id <= prev) {
			t.Fatalf("id %s not after %s", id, prev)
		}
		prev = id
	}
	ts, err := snowflakeTime(prev)
	if err != nil || time.Since(ts) > time.Minute || time.Until(ts) > time.Minute {
		t.Errorf("time of %s = %v, %v", prev, ts, err)
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
