package discordtest

import (
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestReadyCarriesApplicationAndIdentifyIsRecorded(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	// The state cache mutates READY's guild when GUILD_CREATE arrives, racing
	// with this test's reads; the test needs the raw events only.
	dg.StateEnabled = false
	readyCh := make(chan *discordgo.Ready, 1)
	guildCh := make(chan *discordgo.GuildCreate, 1)
	dg.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { readyCh <- r })
	dg.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { guildCh <- g })
	openSession(t, srv, dg)
	ctx := testCtx(t)

	var r *discordgo.Ready
	select {
	case r = <-readyCh:
	case <-ctx.Done():
		t.Fatal("no READY")
	}
	if r.SessionID == "" || r.User == nil || r.User.ID != srv.BotUserID() || !r.User.Bot {
		t.Errorf("READY user/session = %+v / %q", r.User, r.SessionID)
	}
	if r.Application == nil || r.Application.ID != srv.AppID() {
		t.Errorf("READY application = %+v, want id %s", r.Application, srv.AppID())
	}
	if len(r.Guilds) != 1 || r.Guilds[0].ID != srv.GuildID() {
		t.Errorf("READY guilds = %+v", r.Guilds)
	}
	select {
	case g := <-guildCh:
		if g.ID != srv.GuildID() || len(g.Channels) != 1 || g.Channels[0].ID != srv.ChannelID() {
			t.Errorf("GUILD_CREATE = %+v", g.Guild)
		}
	case <-ctx.Done():
		t.Fatal("no GUILD_CREATE")
	}

	ids := srv.Identifies()
	if len(ids) != 1 {
		t.Fatalf("identifies = %d, want 1", len(ids))
	}
	if ids[0].Token != testToken || !ids[0].Compress || ids[0].Intents != discordgo.IntentsAllWithoutPrivileged {
		t.Errorf("identify = token %q compress %v intents %d", ids[0].Token, ids[0].Compress, ids[0].Intents)
	}
	if got := srv.Requests(); len(got) == 0 || got[0].Path != "/gateway" || got[0].Status != 200 {
		t.Errorf("first request = %v, want GET /gateway", got)
	}
}

func TestWrongTokenIsRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithToken("right"))
	dg := newSession(t, srv) // sends "Bot test-token"
	dg.ShouldReconnectOnError = false
	if _, err := dg.User("@me"); err == nil {
		t.Error("REST with a wrong token succeeded")
	}
	if err := dg.Open(); err == nil {
		// Open succeeds only if the fake sent READY; it must close with 4004 instead.
		dg.Close()
		t.Error("Open with a wrong token succeeded")
	}
}

func TestHeartbeatsAreAcked(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithHeartbeatInterval(200*time.Millisecond))
	dg := ready(t, srv, nil)
	ctx := testCtx(t)
	lastAck := func() time.Time {
		dg.RLock()
		defer dg.RUnlock()
		return dg.LastHeartbeatAck
	}
	before := lastAck()
	n := srv.GatewayStats().Heartbeats
	if _, err := srv.WaitGateway(ctx, func(g GatewayStats) bool { return g.Heartbeats >= n+2 }); err != nil {
		t.Fatal(err)
	}
	// The ACK to the newest heartbeat may still be in flight; the one before has landed.
	if after := lastAck(); !after.After(before) {
		t.Errorf("LastHeartbeatAck did not advance (%v -> %v)", before, after)
	}
	if st := srv.GatewayStats(); st.Resumes != 0 || st.Identifies != 1 {
		t.Errorf("stats = %+v, want a single steady session", st)
	}
}

func TestMissingAcksMakeTheClientReconnect(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithHeartbeatInterval(200*time.Millisecond))
	ready(t, srv, replyHandler(t))
	ctx := testCtx(t)
	// discordgo gives up after five unacknowledged intervals and closes with
	// 1000, which on Discord ends the session: its RESUME gets op 9 and it
	// identifies again.
	srv.SetHeartbeatAcks(false)
	if _, err := srv.WaitGateway(ctx, func(g GatewayStats) bool { return g.Connections >= 2 }); err != nil {
		t.Fatal(err)
	}
	srv.SetHeartbeatAcks(true)
	st, err := srv.WaitGateway(ctx, func(g GatewayStats) bool { return g.Identifies >= 2 && g.Connected })
	if err != nil {
		t.Fatal(err)
	}
	if st.Resumes != 0 {
		t.Errorf("resumes = %d, want 0 (a session closed with 1000 is gone)", st.Resumes)
	}
}

// replyHandler answers every command with a reply naming the command.
func replyHandler(t *testing.T) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		if i.Type != discordgo.InteractionApplicationCommand {
			return
		}
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content:         "pong " + i.ApplicationCommandData().Name,
				AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
			},
		})
		if err != nil {
			t.Errorf("respond: %v", err)
		}
	}
}

func TestInteractionsSurviveGatewayInterruptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		interrupt     func(*Server) error
		resumes       int
		identifies    int
		interactFirst bool // dispatch while the client is away: delivered on RESUME
	}{
		{"dropped connection", (*Server).DropConnection, 1, 1, true},
		{"op 7 reconnect", (*Server).Reconnect, 1, 1, false},
		{"close 4000", func(s *Server) error { return s.CloseConnection(CloseUnknownError, "x") }, 1, 1, true},
		{"op 9 invalid session", (*Server).InvalidateSession, 0, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			dg := ready(t, srv, replyHandler(t))
			registerBrief(t, srv, dg)
			ctx := testCtx(t)
			if err := tc.interrupt(srv); err != nil {
				t.Fatal(err)
			}
			if !tc.interactFirst {
				if _, err := srv.WaitGateway(ctx, func(g GatewayStats) bool {
					return g.Resumes >= tc.resumes && g.Identifies >= tc.identifies && g.Connected
				}); err != nil {
					t.Fatal(err)
				}
			}
			ex, err := srv.Interact(ctx, Interaction{Name: "brief"})
			if err != nil {
				t.Fatal(err)
			}
			m, err := ex.Response(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if m.Content != "pong brief" {
				t.Errorf("content = %q", m.Content)
			}
			st := srv.GatewayStats()
			if st.Resumes != tc.resumes || st.Identifies != tc.identifies {
				t.Errorf("stats = %+v, want %d resumes, %d identifies", st, tc.resumes, tc.identifies)
			}
		})
	}
}

func TestEventsAreDeliveredOnceAcrossResume(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var mu sync.Mutex
	var seen []string
	dg := newSession(t, srv)
	dg.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
		mu.Lock()
		seen = append(seen, i.ID)
		mu.Unlock()
	})
	openSession(t, srv, dg)
	registerBrief(t, srv, dg)
	ctx := testCtx(t)
	var want []string
	for i := 0; i < 6; i++ {
		if i == 3 {
			if err := srv.DropConnection(); err != nil {
				t.Fatal(err)
			}
		}
		ex, err := srv.Interact(ctx, Interaction{Name: "brief"})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, ex.ID())
	}
	if _, err := srv.WaitGateway(ctx, func(g GatewayStats) bool { return g.Resumes == 1 && g.Connected }); err != nil {
		t.Fatal(err)
	}
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n >= len(want) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("saw %d of %d interactions", n, len(want))
		case <-time.After(10 * time.Millisecond):
		}
	}
	time.Sleep(100 * time.Millisecond) // let a duplicate, if any, arrive
	mu.Lock()
	defer mu.Unlock()
	got := map[string]int{}
	for _, id := range seen {
		got[id]++
	}
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("interaction %s delivered %d times, want once (seen %v)", id, got[id], seen)
		}
	}
}
