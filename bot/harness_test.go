package bot

import (
	"context"
	"encoding/base64"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/pgtest"
	"github.com/briefbot/briefbot/internal/syncbuf"
)

// testToken is shaped like a real bot token (its first part encodes a
// numeric user ID) so it passes ValidateToken; the fake accepts any.
var testToken = base64.RawURLEncoding.EncodeToString([]byte("123456789012345678")) + ".GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"

// harness is a bot running against a fake Discord.
type harness struct {
	t      *testing.T
	srv    *discordtest.Server
	store  *data.Store
	bot    *Bot
	clock  *manualClock // nil: the bot runs on the wall clock
	logs   *syncbuf.Buffer
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

type harnessOpts struct {
	srv    *discordtest.Server // nil: a new one
	store  *data.Store         // nil: a new one holding the samples
	config func(*Config)
	setup  func(*Bot)   // before Run
	clock  *manualClock // nil: the wall clock
}

// testCtx is a context for waits in a test; no test waits longer.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openStore opens a fresh store: an SQLite file, or a PostgreSQL schema of
// its own when BRIEFBOT_TEST_DATABASE_URL names a server.
func openStore(t testing.TB, opts ...data.Option) *data.Store {
	t.Helper()
	dsn := pgtest.URL(t)
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "briefbot.db")
	}
	st, err := data.Open(dsn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openStoreWithSamples opens a store holding the sample articles as if an
// owner had ingested them.
func openStoreWithSamples(t *testing.T) *data.Store {
	t.Helper()
	st := openStore(t)
	arts, err := data.Samples()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return st
}

// newServer starts a fake with its default 1 s heartbeat: discordgo drops a
// connection after five intervals without an ACK, and 200 ms (1 s of grace)
// was missed under the race detector on a loaded machine.
func newServer(t *testing.T, opts ...discordtest.Option) *discordtest.Server {
	srv := discordtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// startBot runs a bot against the fake and waits until it is registered
// and scheduling.
func startBot(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	if o.srv == nil {
		o.srv = newServer(t)
	}
	if o.store == nil {
		o.store = openStoreWithSamples(t)
	}
	logs := &syncbuf.Buffer{}
	cfg := Config{
		Token:   testToken,
		GuildID: o.srv.GuildID(),
		APIURL:  o.srv.URL(),
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if o.config != nil {
		o.config(&cfg)
	}
	b, err := New(cfg, o.store)
	if err != nil {
		t.Fatal(err)
	}
	b.backoff = []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond}
	if o.clock != nil {
		useClock(o.clock)(b)
	}
	if o.setup != nil {
		o.setup(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, srv: o.srv, store: o.store, bot: b, clock: o.clock, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		h.stop()
		if t.Failed() {
			t.Logf("bot log:\n%s", logs.String())
		}
	})
	select {
	case <-b.running:
	case err := <-h.done:
		t.Fatalf("bot stopped while starting: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("bot did not start\n%s", logs.String())
	}
	return h
}

// stop cancels the bot and returns Run's error.
func (h *harness) stop() error {
	h.once.Do(func() {
		h.cancel()
		select {
		case h.err = <-h.done:
		case <-time.After(40 * time.Second):
			h.t.Errorf("bot did not stop")
		}
	})
	return h.err
}

func (h *harness) interact(ctx context.Context, in discordtest.Interaction) *discordtest.Exchange {
	h.t.Helper()
	ex, err := h.srv.Interact(ctx, in)
	if err != nil {
		h.t.Fatalf("interact %s: %v", in.Name, err)
	}
	return ex
}

// brief sends /brief topic and returns the answer the user ends up seeing.
func (h *harness) brief(ctx context.Context, topic string) (*discordtest.Exchange, *discordtest.Message) {
	h.t.Helper()
	var opts []*discordgo.ApplicationCommandInteractionDataOption
	if topic != "" {
		opts = append(opts, discordtest.Opt(optTopic, topic))
	}
	ex := h.interact(ctx, discordtest.Interaction{Name: cmdBrief, Options: opts})
	m, err := ex.Response(ctx)
	if err != nil {
		h.t.Fatalf("/brief %q: %v", topic, err)
	}
	return ex, m
}

// checkClean fails the test if the fake saw a request it rejected (other
// than injected faults) or a message that could ping someone.
func (h *harness) checkClean() {
	h.t.Helper()
	for _, r := range h.srv.Problems() {
		h.t.Errorf("Discord rejected a request: %s", r.String())
	}
	for _, r := range h.srv.UnknownRoutes() {
		h.t.Errorf("request to a route the fake lacks: %s", r.String())
	}
	if err := h.srv.CheckAllowedMentionsNone(); err != nil {
		h.t.Error(err)
	}
}

func (h *harness) logContains(s string) bool { return strings.Contains(h.logs.String(), s) }

// manualClock is a Clock tests move by hand; Sleep ends once the clock has
// been moved far enough.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func newManualClock(t time.Time) *manualClock { return &manualClock{now: t} }

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *manualClock) advance(d time.Duration) { c.set(c.Now().Add(d)) }

func (c *manualClock) Sleep(ctx context.Context, d time.Duration) bool {
	end := c.Now().Add(d)
	for c.Now().Before(end) {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(2 * time.Millisecond):
		}
	}
	return ctx.Err() == nil
}

// postAt delivers sub's slot with the bot's clock just after the slot, as
// when the scheduler does it on time.
func (h *harness) postAt(ctx context.Context, sub data.Subscription, slot time.Time) bool {
	h.t.Helper()
	h.clock.set(slot.Add(30 * time.Second))
	return h.bot.postSlot(ctx, sub, slot)
}

// useClock makes the bot run on c.
func useClock(c *manualClock) func(*Bot) {
	return func(b *Bot) { b.clock, b.now = c, c.Now }
}

// waitIdle waits until a scheduler pass begun after the call (so on the
// clock as the test set it) has started every delivery it found due, and no
// delivery is running. A pass that found a subscription busy with a delivery
// of an earlier pass (begun on the clock before the test moved it, which
// may have found its slot not yet due) does not count: that subscription is
// only taken up by the pass after, which its delivery wakes when it ends.
func (h *harness) waitIdle() {
	h.t.Helper()
	sc := h.bot.sched
	sc.mu.Lock()
	from := sc.begun
	sc.mu.Unlock()
	sc.poke()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		sc.mu.Lock()
		done := sc.whole > from && len(sc.busy) == 0
		sc.mu.Unlock()
		if done {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	h.t.Fatal("the scheduler did not settle")
}

// stopLoop stops the scheduler's loop (the bot keeps running), for tests
// that drive deliveries by hand and must not race the loop for the slot.
func (h *harness) stopLoop() {
	h.t.Helper()
	sc := h.bot.sched
	sc.cancel()
	<-sc.stopped
	sc.running.Wait()
}
