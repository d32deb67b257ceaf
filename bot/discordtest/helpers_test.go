package discordtest

import (
	"context"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

const testToken = "Bot test-token"

// testCtx bounds every wait in a test; generous because -race on a shared
// 2-core machine is slow, and never asserted as a speed limit.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newServer starts a fake and closes it after the test. It keeps the default
// 1 s heartbeat: discordgo reconnects on its own once five intervals pass
// without an ACK, and under the race detector on a loaded CI machine a
// 200 ms interval's 1 s of grace was missed, so a test's interaction went to
// a connection the client was closing. Tests of heartbeats shorten it.
func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// newSession returns a real discordgo session pointed at srv, not opened.
func newSession(t *testing.T, srv *Server) *discordgo.Session {
	t.Helper()
	dg, err := discordgo.New(testToken)
	if err != nil {
		t.Fatalf("discordgo.New: %v", err)
	}
	dg.Client = &http.Client{Transport: srv.Transport(), Timeout: 20 * time.Second}
	dg.LogLevel = discordgo.LogError
	if os.Getenv("DG_DEBUG") != "" {
		dg.LogLevel = discordgo.LogInformational
	}
	return dg
}

// openSession opens a session and closes it when the test ends (before the
// server closes, as cleanups run last-in first-out).
func openSession(t *testing.T, srv *Server, dg *discordgo.Session) {
	t.Helper()
	if err := dg.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		// Close does not stop a reconnect under way; switch reconnects off
		// first. The lock orders this write before discordgo's next
		// Close/Open, after which its reconnect() reads the field; without
		// it -race reports a stale heartbeat goroutine's read.
		dg.Lock()
		dg.ShouldReconnectOnError = false
		dg.Unlock()
		_ = dg.Close()
	})
}

// ready opens a session with a handler that answers every interaction via
// respond, and waits for READY.
func ready(t *testing.T, srv *Server, handle func(*discordgo.Session, *discordgo.InteractionCreate)) *discordgo.Session {
	t.Helper()
	dg := newSession(t, srv)
	if handle != nil {
		dg.AddHandler(handle)
	}
	openSession(t, srv, dg)
	if err := srv.WaitConnected(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	return dg
}

// registerBrief registers a /brief command like the bot's in the guild.
func registerBrief(t *testing.T, srv *Server, dg *discordgo.Session) {
	t.Helper()
	manage := int64(discordgo.PermissionManageGuild)
	dmOff := false
	cmds := []*discordgo.ApplicationCommand{
		{Name: "brief", Description: "A briefing on a topic", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Topic", Autocomplete: true, MaxLength: 100},
		}},
		{Name: "schedule", Description: "Manage scheduled briefings", DefaultMemberPermissions: &manage, DMPermission: &dmOff,
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "List schedules"},
			}},
	}
	if _, err := dg.ApplicationCommandBulkOverwrite(srv.AppID(), "", cmds); err != nil {
		t.Fatalf("register: %v", err)
	}
}
