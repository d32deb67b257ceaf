package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/pgtest"
)

// The chaos test's machinery: a simulated clock shared through a file with
// every briefbot process and the fake Discord, the real `briefbot run`
// process started, killed with SIGKILL and restarted, and the counts the
// test reports.

// simClock is the harness's side of the simulated time: the real time plus
// an offset the harness moves forward and writes to the file every
// briefbot process reads (bot.FileClock).
type simClock struct {
	file   string
	offset atomic.Int64
}

func (c *simClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// jump moves the simulated time forward by d.
func (c *simClock) jump(t *testing.T, d time.Duration) {
	if d <= 0 {
		return
	}
	off := time.Duration(c.offset.Add(int64(d)))
	if err := bot.SetFileClockOffset(c.file, off); err != nil {
		t.Fatal(err)
	}
}

// jumpTo moves the simulated time forward to at, if it is not past it.
func (c *simClock) jumpTo(t *testing.T, at time.Time) { c.jump(t, at.Sub(c.Now())) }

// chaos is one chaos run: the fake Discord, the database, the clock, the
// process running now, and what happened.
type chaos struct {
	t     *testing.T
	dir   string
	db    string
	clock *simClock
	srv   *discordtest.Server
	store *data.Store // the harness's own connection: articles, the log
	subID int64

	mu    sync.Mutex
	proc  *botProcess   // the one running now (see startProcess)
	procs []*botProcess // every process, for the counts
	stats chaosStats
}

// chaosStats are the counts the test reports.
type chaosStats struct {
	rounds, slotsSent                  int
	kills                              map[string]int
	restarts, gracefulRestarts         int
	restartDelays                      []time.Duration
	storms5xx, storms429               int
	storm5xxSim                        []time.Duration
	storm429Real                       []time.Duration
	ambiguous                          int // create-then-5xx without a kill
	noise                              int // other users' messages posted
	posts, lookups, injected, goneReqs int
	found, retries                     int
}

// newChaos prepares a run: simulated time starts at simStart.
func newChaos(t *testing.T, simStart time.Time) *chaos {
	dir := t.TempDir()
	c := &chaos{t: t, dir: dir, db: filepath.Join(dir, "chaos.db"), clock: &simClock{file: filepath.Join(dir, "clock")}}
	// On PostgreSQL when the suite runs there: the processes share a
	// schema, as shards do.
	if u := pgtest.URL(t); u != "" {
		c.db = u
	}
	c.stats.kills = map[string]int{}
	c.clock.offset.Store(int64(time.Until(simStart)))
	if err := bot.SetFileClockOffset(c.clock.file, time.Duration(c.clock.offset.Load())); err != nil {
		t.Fatal(err)
	}
	// Nonce deduplication off: exactly-once must come from the delivery
	// log alone, not from Discord forgiving a repeat within minutes.
	c.srv = discordtest.NewServer(discordtest.WithHeartbeatInterval(500*time.Millisecond),
		discordtest.WithClock(c.clock.Now), discordtest.WithNonceWindow(0))
	t.Cleanup(c.srv.Close)
	store, err := data.Open(c.db, data.WithClock(c.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	c.store = store
	// A slot with nothing new still posts a line, so every slot has its
	// message to count.
	if err := store.SaveSettings(context.Background(), data.GuildSettings{GuildID: c.srv.GuildID(), NothingNew: true}); err != nil {
		t.Fatal(err)
	}
	return c
}

// databaseURL is DATABASE_URL for the processes: c.db when it is a
// PostgreSQL URL, else empty (SQLite in BRIEFBOT_DB).
func (c *chaos) databaseURL() string {
	if data.IsPostgresURL(c.db) {
		return c.db
	}
	return ""
}

// start runs a new `briefbot run` process and waits until it is running.
func (c *chaos) start() {
	c.t.Helper()
	p := startProcess(c.t, fmt.Sprintf("process %d", len(c.procs)+1),
		"DISCORD_TOKEN="+goodToken,
		"DISCORD_API_URL="+c.srv.URL(),
		"DISCORD_GUILD_ID="+c.srv.GuildID(),
		"BRIEFBOT_CHANNEL_ID="+c.srv.ChannelID(),
		"BRIEFBOT_TOPICS=ceasefire",
		"BRIEFBOT_SCHEDULE=0 * * * *",
		"BRIEFBOT_DB="+filepath.Join(c.dir, "chaos.db"),
		"DATABASE_URL="+c.databaseURL(),
		"LOG_LEVEL=debug",
		testClockEnv+"="+c.clock.file,
	)
	c.mu.Lock()
	c.proc = p
	c.procs = append(c.procs, p)
	c.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(p.logs.String(), "briefbot running") {
		select {
		case err := <-p.exited:
			c.t.Fatalf("briefbot exited while starting: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.t.Fatal("briefbot did not start within a minute")
		}
	}
	if engine := c.store.Engine(); !strings.Contains(p.logs.String(), "engine="+engine) {
		c.t.Fatalf("the process does not run on %s, the test's engine", engine)
	}
	if c.subID == 0 {
		subs, err := c.store.Subscriptions(context.Background())
		if err != nil || len(subs) != 1 {
			c.t.Fatalf("subscriptions: %+v %v", subs, err)
		}
		c.subID = subs[0].ID
	}
}

// kill kills the running process with SIGKILL, as a crash or an OOM killer
// does, and reports whether there was one to kill. Safe to call from the
// fake's handlers.
func (c *chaos) kill(kind string) bool {
	c.mu.Lock()
	p := c.proc
	c.proc = nil
	if p != nil {
		c.stats.kills[kind]++
	}
	c.mu.Unlock()
	if p == nil {
		return false
	}
	p.kill()
	return true
}

// stop ends the running process with SIGTERM (graceful) or SIGKILL.
func (c *chaos) stop(graceful bool) {
	c.mu.Lock()
	p := c.proc
	c.proc = nil
	c.mu.Unlock()
	if p == nil {
		return
	}
	if !graceful {
		p.kill()
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		if err != nil {
			c.t.Errorf("briefbot exited with %v after SIGTERM", err)
		}
	case <-time.After(60 * time.Second):
		c.t.Error("briefbot did not stop within a minute of SIGTERM")
		p.kill()
	}
}

func (c *chaos) running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proc != nil
}

// pumpUntil moves simulated time forward, step every tick of real time
// but never past limit, until done reports true; it fails the test after
// realLimit of real time.
func (c *chaos) pumpUntil(done func() bool, limit time.Time, realLimit time.Duration, what string) {
	c.t.Helper()
	const step, tick = 2 * time.Second, 10 * time.Millisecond
	end := time.Now().Add(realLimit)
	for !done() {
		if time.Now().After(end) {
			c.t.Fatalf("%s: not done after %s of real time (simulated %s)", what, realLimit, c.clock.Now().Format(time.RFC3339))
		}
		if now := c.clock.Now(); now.Before(limit) {
			c.clock.jump(c.t, min(step, limit.Sub(now)))
		}
		time.Sleep(tick)
	}
}

// post is the delivery log's row for slot.
func (c *chaos) post(slot time.Time) (data.Post, bool) {
	p, ok, err := c.store.Post(context.Background(), c.subID, slot)
	if err != nil {
		c.t.Fatal(err)
	}
	return p, ok
}

// messagesFor returns the channel's messages created for slot (by its nonce).
func (c *chaos) messagesFor(slot time.Time) []*discordtest.Message {
	nonce := fmt.Sprintf("bb%d-%d", c.subID, slot.Unix())
	var out []*discordtest.Message
	for _, m := range c.srv.ChannelMessages(c.srv.ChannelID()) {
		if m.Nonce == nonce && !m.Deleted {
			out = append(out, m)
		}
	}
	return out
}

// countRequests fills the request counts from the fake's record.
func (c *chaos) countRequests() {
	for _, r := range c.srv.Requests() {
		if r.Route != discordtest.RouteChannelMessages {
			continue
		}
		switch r.Method {
		case "POST":
			c.stats.posts++
		case "GET":
			c.stats.lookups++
		}
		if r.Injected {
			c.stats.injected++
		}
		if r.Gone {
			c.stats.goneReqs++
		}
	}
	for _, p := range c.procs {
		logs := p.logs.String()
		c.stats.found += strings.Count(logs, "found the post an interrupted attempt sent")
		c.stats.retries += strings.Count(logs, "will retry")
	}
}

// report is the run's summary: rounds, the fault mix and the counts.
func (s chaosStats) report(seed int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "chaos seed %d: %d rounds, %d slots sent, each with exactly one message (0 lost, 0 doubled)\n", seed, s.rounds, s.slotsSent)
	kinds := make([]string, 0, len(s.kills))
	total := 0
	for k, n := range s.kills {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(&b, "  kill -9: %d (%s); restarts %d after a kill, %d after SIGTERM\n", total, strings.Join(kinds, ", "), s.restarts, s.gracefulRestarts)
	fmt.Fprintf(&b, "  restart delays (simulated): %s\n", durations(s.restartDelays))
	fmt.Fprintf(&b, "  5xx storms: %d, lasting (simulated) %s\n", s.storms5xx, durations(s.storm5xxSim))
	fmt.Fprintf(&b, "  429 storms: %d, lasting (real) %s\n", s.storms429, durations(s.storm429Real))
	fmt.Fprintf(&b, "  created-then-5xx without a kill: %d; other users' messages in the channel: %d\n", s.ambiguous, s.noise)
	fmt.Fprintf(&b, "  requests: %d POSTs of a post, %d channel searches, %d answered by a fault, %d held until the client died or gave up\n",
		s.posts, s.lookups, s.injected, s.goneReqs)
	fmt.Fprintf(&b, "  delivery log: %d posts found by a search instead of sent again, %d attempts recorded for a retry\n", s.found, s.retries)
	return b.String()
}

// durations summarizes a list: how many, min, median, max.
func durations(ds []time.Duration) string {
	if len(ds) == 0 {
		return "none"
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	r := func(d time.Duration) time.Duration { return d.Round(time.Second / 10) }
	return fmt.Sprintf("n=%d min %s median %s max %s", len(s), r(s[0]), r(s[len(s)/2]), r(s[len(s)-1]))
}
