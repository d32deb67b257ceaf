package bot

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
)

// feedSite serves data's feed fixtures on 127.0.0.1, or an error status
// while failing is set.
type feedSite struct {
	*httptest.Server
	mu      sync.Mutex
	failing bool
}

func newFeedSite(t *testing.T) *feedSite {
	t.Helper()
	fs := &feedSite{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		failing := fs.failing
		fs.mu.Unlock()
		if failing {
			http.Error(w, "upstream exploded", http.StatusInternalServerError)
			return
		}
		raw, err := os.ReadFile("../data/testdata/feeds/" + strings.TrimPrefix(r.URL.Path, "/"))
		if err != nil || strings.Contains(r.URL.Path, "..") {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(strings.ReplaceAll(string(raw), "{{BASE}}", fs.URL)))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedSite) setFailing(v bool) {
	fs.mu.Lock()
	fs.failing = v
	fs.mu.Unlock()
}

// feedsBot is a bot with its own store for the feed tests: a running
// harness bot (when given) lends it its Discord session, but its own feed
// poller, once wired, never sees this store, so the tests own every poll.
func feedsBot(t *testing.T, h *harness, now func() time.Time) *Bot {
	t.Helper()
	b := &Bot{
		store:   openStore(t),
		log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		now:     now,
		backoff: []time.Duration{10 * time.Millisecond},
	}
	if h != nil {
		b.s, b.log = h.bot.s, h.bot.log
	}
	return b
}

func TestFeedsCommandValid(t *testing.T) {
	defs := commandDefinitions()
	wired := false
	for _, c := range defs {
		wired = wired || c.Name == cmdFeeds
	}
	if !wired {
		defs = append(defs, feedsCommand())
	}
	if err := discordtest.CheckCommands(defs); err != nil {
		t.Fatal(err)
	}
	c := feedsCommand()
	if c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != manageServer || c.DMPermission == nil || *c.DMPermission {
		t.Errorf("/feeds is not limited to Manage Server in servers: %+v", c)
	}
}

func TestFeedsAddListRemove(t *testing.T) {
	site := newFeedSite(t)
	ctx := testCtx(t)
	b := feedsBot(t, nil, time.Now)
	guarded := newFeeds(b, FeedConfig{Version: "test"})

	// A Discord-added feed on 127.0.0.1 is refused with a clear reply.
	reply, err := guarded.addReply(ctx, "G", site.URL+"/atom_full.xml", "42")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Refused", "loopback", "BRIEFBOT_FEEDS_ALLOW_PRIVATE=true"} {
		if !strings.Contains(reply, want) {
			t.Errorf("refusal lacks %q: %s", want, reply)
		}
	}
	if fs, _ := b.store.Feeds(ctx); len(fs) != 0 {
		t.Fatalf("refused feed stored: %+v", fs)
	}
	reply, _ = guarded.addReply(ctx, "G", "file:///etc/passwd", "42")
	if !strings.Contains(reply, "Could not follow") || !strings.Contains(reply, "only http and https") {
		t.Errorf("file URL: %s", reply)
	}

	open := newFeeds(b, FeedConfig{Version: "test", AllowPrivate: true, URLs: []string{site.URL + "/feed.json"}})
	if err := open.start(ctx); err != nil {
		t.Fatal(err)
	}
	reply, err = open.addReply(ctx, "G", site.URL+"/atom_full.xml", "42")
	if err != nil || !strings.Contains(reply, "Following `#1` **Valley Courier**") || !strings.Contains(reply, "Stored 2 new articles from its 2 items") {
		t.Fatalf("add: %v %s", err, reply)
	}
	if dlen(reply) > limitContent {
		t.Errorf("reply over Discord's limit: %d", dlen(reply))
	}
	reply, _ = open.addReply(ctx, "G", site.URL+"/atom_full.xml/", "43")
	if !strings.Contains(reply, "Already following that feed as `#1`") {
		t.Errorf("second add: %s", reply)
	}
	reply, _ = open.addReply(ctx, "G", site.URL+"/malformed.xml", "42")
	if !strings.Contains(reply, "Could not follow") || !strings.Contains(reply, "malformed feed") {
		t.Errorf("malformed feed: %s", reply)
	}

	reply, err = open.listReply(ctx, "G")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**Feeds** (1)", "`#1` **Valley Courier**", "last success <t:", "owner also reads 1 feed for every server"} {
		if !strings.Contains(reply, want) {
			t.Errorf("list lacks %q:\n%s", want, reply)
		}
	}

	for _, c := range []struct {
		no   int64
		want string
	}{{99, "no feed #99 in this server"}, {1, "Stopped following #1"}, {1, "no feed #1 in this server"}} {
		reply, err := open.removeReply(ctx, "G", c.no)
		if err != nil || !strings.Contains(reply, c.want) {
			t.Errorf("remove %d: %v %q, want %q", c.no, err, reply, c.want)
		}
	}
	if fs, _ := b.store.Feeds(ctx); len(fs) != 1 || !fs[0].FromEnv {
		t.Errorf("after remove: %+v, want the env feed only", fs)
	}
	if st, _ := b.store.Stats(ctx, data.AllArticles()); st.Articles != 2 {
		t.Errorf("removing a feed changed the stored articles: %d", st.Articles)
	}
}

func TestFeedListStaysWithinLimit(t *testing.T) {
	ctx := testCtx(t)
	b := feedsBot(t, nil, time.Now)
	for i := range 60 {
		_, err := b.store.AddFeed(ctx, data.Feed{URL: "https://news" + strings.Repeat("x", i%7) + ".example/" + strings.Repeat("section/", 5) + string(rune('a'+i%26)) + "/" + strings.Repeat("z", i) + "/feed.xml",
			Title: strings.Repeat("A very long outlet name ", 4), LastError: strings.Repeat("GET failed: timeout ", 10), Failures: 2, GuildID: "G"})
		if err != nil {
			t.Fatal(err)
		}
	}
	reply, err := newFeeds(b, FeedConfig{}).listReply(ctx, "G")
	if err != nil {
		t.Fatal(err)
	}
	if dlen(reply) > limitContent || !strings.Contains(reply, "more.") {
		t.Errorf("list of 60 feeds: %d characters, ends %q", dlen(reply), reply[max(0, len(reply)-40):])
	}
}

func TestFeedWarningPostedOnceAndRecovery(t *testing.T) {
	site := newFeedSite(t)
	srv := newServer(t)
	alerts := srv.AddChannel("alerts")
	clock := newManualClock(time.Date(2026, 11, 6, 12, 0, 0, 0, time.UTC))
	h := startBot(t, harnessOpts{srv: srv})
	ctx := testCtx(t)
	fd := newFeeds(feedsBot(t, h, clock.Now), FeedConfig{URLs: []string{site.URL + "/atom_full.xml"}, WarnChannelID: alerts, Interval: 15 * time.Minute})
	if err := fd.start(ctx); err != nil {
		t.Fatal(err)
	}
	site.setFailing(true)
	for i := 1; i <= 5; i++ {
		rep := fd.pollOnce(ctx)
		if len(rep.Results) != 1 || rep.Results[0].Err == nil {
			t.Fatalf("poll %d: %+v", i, rep.Results)
		}
		want := 0
		if i >= 3 {
			want = 1
		}
		if got := len(srv.ChannelMessages(alerts)); got != want {
			t.Fatalf("after failure %d: %d warnings posted, want %d", i, got, want)
		}
		clock.set(rep.Results[0].Feed.NextPoll)
	}
	warn := srv.ChannelMessages(alerts)[0].Content
	for _, want := range []string{"⚠️ Feed `#1` <" + site.URL + "/atom_full.xml>", "failed 3 times in a row", "500 Internal Server Error", "keeps retrying", "/feeds remove 1"} {
		if !strings.Contains(warn, want) {
			t.Errorf("warning lacks %q:\n%s", want, warn)
		}
	}
	site.setFailing(false)
	rep := fd.pollOnce(ctx)
	if len(rep.Results) != 1 || rep.Results[0].Err != nil || !rep.Results[0].Recovered {
		t.Fatalf("recovery poll: %+v", rep.Results)
	}
	msgs, err := srv.WaitChannelMessages(ctx, alerts, 2)
	if err != nil || !strings.Contains(msgs[1].Content, "works again") {
		t.Errorf("recovery notice: %v %+v", err, msgs)
	}
	if rep := fd.pollOnce(ctx); len(rep.Results) != 0 {
		t.Errorf("a feed polled again before its interval: %+v", rep.Results)
	}
	h.checkClean()
}

func TestFeedConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  FeedConfig
		want string // "" for valid
	}{
		{FeedConfig{}, ""},
		{FeedConfig{URLs: []string{"https://a.example/rss", "http://10.0.0.5/feed"}, Interval: 5 * time.Minute}, ""},
		{FeedConfig{URLs: []string{"ftp://a.example/rss"}}, "BRIEFBOT_FEEDS"},
		{FeedConfig{URLs: []string{"a.example/rss"}}, "must start with https://"},
		{FeedConfig{Interval: 10 * time.Second}, "BRIEFBOT_FEED_INTERVAL"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

// TestFeedsCommandEndToEnd drives /feeds through the fake Discord once
// the command is wired into the bot's command list and handler map; until
// then there is nothing to drive.
func TestFeedsCommandEndToEnd(t *testing.T) {
	site := newFeedSite(t)
	h := startBot(t, harnessOpts{store: openStore(t)})
	if _, ok := h.bot.handlers()[cmdFeeds]; !ok {
		t.Skip("/feeds is not wired into Bot.handlers yet")
	}
	ctx := testCtx(t)
	feedsCmd := func(perms int64, sub *discordgo.ApplicationCommandInteractionDataOption) *discordtest.Message {
		t.Helper()
		ex := h.interact(ctx, discordtest.Interaction{Name: cmdFeeds, Permissions: perms, Options: []*discordgo.ApplicationCommandInteractionDataOption{sub}})
		m, err := ex.WaitOriginal(ctx, func(m *discordtest.Message) bool { return !m.Loading() })
		if err != nil {
			t.Fatal(err)
		}
		if !m.Ephemeral() {
			t.Errorf("/feeds reply is public: %q", m.Content)
		}
		return m
	}
	m := feedsCmd(discordtest.AdminPermissions, discordtest.SubOpt(subAdd, discordtest.Opt(optURL, site.URL+"/atom_full.xml")))
	if !strings.Contains(m.Content, "Refused") || !strings.Contains(m.Content, "loopback") {
		t.Errorf("/feeds add 127.0.0.1: %q", m.Content)
	}
	m = feedsCmd(discordtest.AdminPermissions, discordtest.SubOpt(subList))
	if !strings.Contains(m.Content, "No feeds followed") {
		t.Errorf("/feeds list: %q", m.Content)
	}
	if _, err := h.srv.Interact(ctx, discordtest.Interaction{Name: cmdFeeds, Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subList)}}); !errors.Is(err, discordtest.ErrNotPermitted) {
		t.Errorf("/feeds as a member: %v, want ErrNotPermitted", err)
	}
	m, err := h.interact(ctx, discordtest.Interaction{Name: cmdFeeds, DM: true, SkipChecks: true,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subList)}}).Response(ctx)
	if err != nil || m.Content != guildOnlyReply {
		t.Errorf("/feeds in a DM: %v %+v", err, m)
	}
	h.checkClean()
}
