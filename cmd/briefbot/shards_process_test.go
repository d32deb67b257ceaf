package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/pgtest"
	"github.com/briefbot/briefbot/internal/syncbuf"
)

// botProcess is a `briefbot run` started by a test.
type botProcess struct {
	name   string
	cmd    *exec.Cmd
	logs   *syncbuf.Buffer
	exited chan error
}

// startProcess runs `briefbot run` as its own process with env added to the
// test's environment; it is killed when the test ends.
func startProcess(t *testing.T, name string, env ...string) *botProcess {
	t.Helper()
	p := &botProcess{name: name, cmd: exec.Command(os.Args[0], "run"), logs: &syncbuf.Buffer{}, exited: make(chan error, 1)}
	p.cmd.Dir = t.TempDir()
	p.cmd.Env = append(append(os.Environ(), "BRIEFBOT_TEST_MAIN=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("%s log:\n%s", name, p.logs.String())
		}
	})
	return p
}

// kill ends the process at once, as a crash or kill -9 would.
func (p *botProcess) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.exited
	}
}

// answered counts the /brief answers a process logged.
func (p *botProcess) answered() int { return strings.Count(p.logs.String(), "answered /brief") }

// countingFeed serves a small Atom feed under /feed.xml and records when it
// was fetched.
type countingFeed struct {
	*httptest.Server
	mu   sync.Mutex
	hits []time.Time
}

func newCountingFeed(t *testing.T) *countingFeed {
	f := &countingFeed{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			// The entry's own page, which the poller may fetch.
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><head><title>Harbour reopens</title></head><body><article><p>The harbour reopened on Monday after the storm, the port authority said.</p></article></body></html>")
			return
		}
		f.mu.Lock()
		f.hits = append(f.hits, time.Now())
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Wire</title><id>urn:harbour</id><updated>%[1]s</updated>
<entry><id>urn:harbour:1</id><title>Harbour reopens after the storm</title><link href="%[2]s/harbour-reopens"/><updated>%[1]s</updated>
<content type="html">&lt;p&gt;The harbour reopened on Monday after the storm, the port authority said. Ferries resumed their crossings in the afternoon and the authority expects the backlog of freight to clear within a week.&lt;/p&gt;&lt;p&gt;Repairs to the eastern breakwater will take a month, the authority said.&lt;/p&gt;</content></entry>
</feed>`, time.Now().UTC().Format(time.RFC3339), f.URL)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *countingFeed) fetches() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.hits...)
}

// TestTwoShardProcesses runs shards 0 and 1 of 2 as two `briefbot run`
// processes against the fake Discord and one PostgreSQL database: each
// server is answered by its own shard's process, every scheduled slot is
// posted exactly once, the feed is polled once per interval between them,
// and killing one process leaves the other's servers working. It takes a
// few minutes of real time (schedules and feeds tick by the minute).
func TestTwoShardProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes for minutes")
	}
	dsn := pgtest.URL(t)
	if dsn == "" {
		t.Skip("needs PostgreSQL: set " + pgtest.EnvURL + " (see .ci/pg.sh)")
	}
	srv := discordtest.NewServer()
	defer srv.Close()
	gA, cA := srv.AddGuildOnShard("A", 0, 2)
	gB, cB := srv.AddGuildOnShard("B", 1, 2)
	feed := newCountingFeed(t)

	// A schedule in each server, every minute.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	store, err := data.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []data.Subscription{{GuildID: gA, ChannelID: cA, Spec: "* * * * *"}, {GuildID: gB, ChannelID: cB, Spec: "* * * * *"}} {
		if _, err := store.AddSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
		// Post every slot, "nothing new" included, so that every slot shows.
		if err := store.SaveSettings(ctx, data.GuildSettings{GuildID: sub.GuildID, NothingNew: true}); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	env := []string{
		"DISCORD_TOKEN=" + goodToken,
		"DISCORD_API_URL=" + srv.URL(),
		"DISCORD_GUILD_ID=", // global commands: every server has them
		"DATABASE_URL=" + dsn,
		"DISCORD_SHARD_COUNT=2",
		"BRIEFBOT_FEEDS=" + feed.URL + "/feed.xml",
		"BRIEFBOT_FEEDS_ALLOW_PRIVATE=true",
		"BRIEFBOT_FEED_INTERVAL=1m",
		"LOG_LEVEL=debug",
	}
	a := startProcess(t, "shard 0", append(env, "DISCORD_SHARD_ID=0")...)
	b := startProcess(t, "shard 1", append(env, "DISCORD_SHARD_ID=1")...)
	if err := srv.WaitShards(ctx, 2, 0, 1); err != nil {
		t.Fatal(err)
	}
	waitCommands(ctx, t, srv, "")

	// brief asks in a guild and waits for the answer and its log line.
	brief := func(guild string, want *botProcess, others ...*botProcess) {
		t.Helper()
		before := want.answered()
		ex, err := srv.Interact(ctx, discordtest.Interaction{Name: "brief", GuildID: guild,
			Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt("topic", "harbour")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.Response(ctx); err != nil {
			t.Fatalf("/brief in guild %s: %v", guild, err)
		}
		for want.answered() == before && ctx.Err() == nil {
			time.Sleep(20 * time.Millisecond)
		}
		if want.answered() != before+1 {
			t.Errorf("/brief in guild %s was not answered by %s", guild, want.name)
		}
	}
	otherBefore := b.answered()
	brief(gA, a)
	brief(gB, b)
	if a.answered() != 1 || b.answered() != otherBefore+1 {
		t.Errorf("one /brief in each server: %s answered %d, %s %d; want one each", a.name, a.answered(), b.name, b.answered()-otherBefore)
	}

	// Each server's schedule posts, by its own shard's process.
	waitPost := func(channel string, after time.Time) {
		t.Helper()
		for ctx.Err() == nil {
			for _, p := range posts(srv, channel) {
				if p.Time.After(after) {
					return
				}
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Fatalf("no scheduled post in channel %s after %s", channel, after.Format(time.TimeOnly))
	}
	started := time.Now()
	waitPost(cA, started)
	waitPost(cB, started)

	// Kill shard 0's process: shard 1's server goes on being answered and
	// posted to.
	a.kill()
	killed := time.Now()
	brief(gB, b)
	waitPost(cB, killed.Add(time.Minute-time.Duration(killed.Second())*time.Second))

	// Every slot was posted exactly once: one accepted POST per nonce
	// (subscription and slot).
	for _, ch := range []string{cA, cB} {
		seen := map[string]int{}
		for _, p := range posts(srv, ch) {
			seen[p.Nonce]++
		}
		for nonce, n := range seen {
			if n != 1 {
				t.Errorf("slot %s posted %d times in channel %s", nonce, n, ch)
			}
		}
	}
	// The feed was polled once per interval (1m) between the processes:
	// never two polls within half an interval.
	fetches := feed.fetches()
	if len(fetches) == 0 {
		t.Error("the feed was never polled")
	}
	for i := 1; i < len(fetches); i++ {
		if gap := fetches[i].Sub(fetches[i-1]); gap < 30*time.Second {
			t.Errorf("feed polled twice within %v: %v", gap.Round(time.Millisecond), fetches)
		}
	}
	if err := srv.CheckAllowedMentionsNone(); err != nil {
		t.Error(err)
	}
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-b.exited:
		if err != nil {
			t.Errorf("%s after SIGTERM: %v", b.name, err)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("%s still running 30 s after SIGTERM", b.name)
	}
}

// post is one accepted POST of a channel message.
type post struct {
	Time  time.Time
	Nonce string
}

// posts lists the messages posted into a channel through its REST route.
func posts(srv *discordtest.Server, channel string) []post {
	var out []post
	for _, r := range srv.Requests() {
		if r.Method != "POST" || r.Path != "/channels/"+channel+"/messages" || r.Status != http.StatusOK {
			continue
		}
		var nonce string
		if m, ok := r.JSON.(map[string]any); ok {
			nonce, _ = m["nonce"].(string)
		}
		out = append(out, post{Time: r.Time, Nonce: nonce})
	}
	return out
}
