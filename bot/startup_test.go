package bot

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/syncbuf"
)

// TestRunRetriesUnreachableDiscord: with Discord (here a REST proxy URL)
// unreachable, Run names the URL it really tried, retries with backoff, and
// gives up after its bounded attempts instead of exiting at once or never.
func TestRunRetriesUnreachableDiscord(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	logs := &syncbuf.Buffer{}
	apiURL := "http://" + addr + "/proxy/api/v9/"
	b, err := New(Config{Token: testToken, APIURL: apiURL,
		Logger: slog.New(slog.NewTextHandler(logs, nil))}, openStore(t))
	if err != nil {
		t.Fatal(err)
	}
	b.startWaits = []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}
	err = b.Run(testCtx(t))
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.URL != apiURL || !strings.Contains(err.Error(), "cannot reach Discord at "+apiURL) {
		t.Fatalf("Run: %v; want an UnreachableError naming %s", err, apiURL)
	}
	if strings.Contains(err.Error(), "discord.com") {
		t.Errorf("error names discord.com, not the configured URL: %v", err)
	}
	if n := strings.Count(logs.String(), "retrying"); n != 3 {
		t.Errorf("logged %d retries, want 3:\n%s", n, logs.String())
	}
}

// TestRunComesUpWhenDiscordDoes: Discord unreachable for the first
// attempts, then up: Run connects and serves.
func TestRunComesUpWhenDiscordDoes(t *testing.T) {
	srv := newServer(t)
	down := make(chan struct{})
	h := startBot(t, harnessOpts{srv: srv, setup: func(b *Bot) {
		b.startWaits = []time.Duration{5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond}
		real := b.s.Client.Transport
		fails := 2
		b.s.Client.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if fails > 0 {
				fails--
				if fails == 0 {
					close(down)
				}
				return nil, errors.New("connection refused")
			}
			return real.RoundTrip(r)
		})
	}})
	<-down
	if !strings.Contains(h.logs.String(), "retrying") {
		t.Errorf("no retry logged:\n%s", h.logs.String())
	}
}

// TestRunLogsChannelProblems: a BRIEFBOT_CHANNEL_ID the bot may not post in
// is logged plainly at start, with the invite link, and the bot still runs.
func TestRunLogsChannelProblems(t *testing.T) {
	srv := newServer(t)
	srv.SetChannelOverwrite(srv.ChannelID(), srv.GuildID(), 0, discordgo.PermissionEmbedLinks)
	h := startBot(t, harnessOpts{srv: srv, config: func(c *Config) { c.ChannelID = srv.ChannelID() }})
	logs := h.logs.String()
	for _, want := range []string{"BRIEFBOT_CHANNEL_ID " + srv.ChannelID() + " (#general): the bot lacks Embed Links", "permissions=84992"} {
		if !strings.Contains(logs, want) {
			t.Errorf("start logs lack %q:\n%s", want, logs)
		}
	}
}

// TestRetentionPrunes: the running bot's prune deletes what is past the
// retention and keeps the rest.
func TestRetentionPrunes(t *testing.T) {
	// Both stored 200 days ago; only one is old news.
	store := openStore(t, data.WithClock(func() time.Time { return time.Now().AddDate(0, 0, -200) }))
	ctx := testCtx(t)
	old := data.Article{Title: "Old harbour news", Published: time.Now().AddDate(0, 0, -200), Body: "The old harbour closed."}
	fresh := data.Article{Title: "Harbour reopens", Published: time.Now(), Body: "The harbour reopened on Monday."}
	if _, err := store.Add(ctx, []data.Article{old, fresh}); err != nil {
		t.Fatal(err)
	}
	logs := &syncbuf.Buffer{}
	b, err := New(Config{Token: testToken, Retention: 30 * 24 * time.Hour, Logger: slog.New(slog.NewTextHandler(logs, nil))}, store)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { b.runRetention(runCtx, 0); close(done) }()
	for !strings.Contains(logs.String(), "pruned old articles") && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	arts, err := store.Recent(ctx, data.SearchOptions{})
	if err != nil || len(arts) != 1 || arts[0].Title != fresh.Title {
		t.Errorf("after the prune: %d articles, %v; want only the fresh one\n%s", len(arts), err, logs.String())
	}
}
