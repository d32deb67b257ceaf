package discordtest

import (
	"context"
	"strings"
	"testing"
	"time"
)

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
	r, err := srv.WaitRequest(ctx, func(r Request) bool { return r.Method == "POST" && r.Route == RouteChannelMessages })
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
