package data

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// pollNow is the tests' clock: a few days after the fixtures' items.
var pollNow = time.Date(2026, 11, 6, 12, 0, 0, 0, time.UTC)

// envFeed stores url as an env-file (trusted) feed.
func envFeed(t *testing.T, s *Store, url string) Feed {
	t.Helper()
	feeds, err := s.ReplaceEnvFeeds(context.Background(), []string{url})
	if err != nil || len(feeds) != 1 {
		t.Fatalf("ReplaceEnvFeeds: %v, %d feeds", err, len(feeds))
	}
	return feeds[0]
}

// articlesByTitle lists the stored articles by title.
func articlesByTitle(t *testing.T, s *Store) map[string]Article {
	t.Helper()
	arts, err := s.Recent(context.Background(), SearchOptions{Limit: 1000, Scope: AllArticles()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Article{}
	for _, a := range arts {
		out[a.Title] = a
	}
	return out
}

func TestPollRSSSummariesFetchesPages(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feed := envFeed(t, s, srv.URL+"/rss_summaries.xml")

	res := Poll(ctx, s, f, feed, pollNow, PollOptions{})
	if res.Err != nil {
		t.Fatalf("poll: %v", res.Err)
	}
	if res.Items != 3 || res.New != 3 || res.Added != 3 || res.Pages != 3 {
		t.Fatalf("poll: items %d new %d added %d pages %d, want 3 each (notes %v)", res.Items, res.New, res.Added, res.Pages, res.Notes)
	}
	if ua := srv.lastHeader("/articles/storm-road.html").Get("User-Agent"); ua != "briefbot/test (+https://github.com/briefbot/briefbot)" {
		t.Errorf("User-Agent = %q", ua)
	}
	arts := articlesByTitle(t, s)
	ferry, ok := arts["Port Ellery council approves new ferry terminal"]
	if !ok {
		t.Fatalf("ferry article missing (markup in the title not removed?): %v", keys(arts))
	}
	for _, want := range []string{"voted 7-2 on Monday night", "most important decision this council has made", "harbor master said."} {
		if !strings.Contains(ferry.Body, want) {
			t.Errorf("ferry body lacks %q:\n%s", want, ferry.Body)
		}
	}
	for _, bad := range []string{"TRACKING-SCRIPT", "HIDDEN-TRACKING-TEXT", "NOSCRIPT-PIXEL", "Buy boats", "Manage your account", "WhatsApp", "pixel.gif", "<", "font-family"} {
		if strings.Contains(ferry.Body, bad) {
			t.Errorf("ferry body carries %q:\n%s", bad, ferry.Body)
		}
	}
	if n := strings.Count(ferry.Body, "\n\n"); n < 3 {
		t.Errorf("ferry body has %d paragraph breaks, want the page's paragraphs kept:\n%s", n, ferry.Body)
	}
	if want := time.Date(2026, 11, 2, 9, 15, 0, 0, time.UTC); !ferry.Published.Equal(want) {
		t.Errorf("ferry published %v, want the feed's %v", ferry.Published, want)
	}
	if ferry.Source != "Harbor Gazette" || ferry.Author != "Mara Lindqvist" {
		t.Errorf("ferry source %q author %q", ferry.Source, ferry.Author)
	}
	if strings.Contains(ferry.URL, "utm_") {
		t.Errorf("ferry URL keeps tracking parameters: %s", ferry.URL)
	}
	// The feed gives no date for the fish market and neither does its
	// page: the article falls back to its ingest time.
	if fish := arts["Fish market reopens after renovation"]; !fish.Published.IsZero() || !strings.Contains(fish.Body, "Lena Marsh") {
		t.Errorf("fish market: published %v body %q", fish.Published, fish.Body)
	}

	pages := srv.pageHits()
	feed, err := s.Feed(ctx, feed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if feed.LastSuccess != pollNow || feed.Failures != 0 || feed.Title != "Harbor Gazette - Local news" || feed.SiteName != "Harbor Gazette" {
		t.Errorf("feed after poll: %+v", feed)
	}
	second := Poll(ctx, s, f, feed, pollNow.Add(20*time.Minute), PollOptions{})
	if second.Err != nil || second.New != 0 || second.Added != 0 || second.Pages != 0 {
		t.Fatalf("second poll: err %v new %d added %d pages %d, want nothing new", second.Err, second.New, second.Added, second.Pages)
	}
	if srv.pageHits() != pages {
		t.Errorf("second poll fetched %d pages again", srv.pageHits()-pages)
	}
}

func keys(m map[string]Article) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestPollAtomFullContentFetchesNoPages(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	res := Poll(ctx, s, testFetcher(FetcherOptions{}), envFeed(t, s, srv.URL+"/atom_full.xml"), pollNow, PollOptions{})
	if res.Err != nil || res.Added != 2 {
		t.Fatalf("poll: err %v added %d, want 2 (notes %v)", res.Err, res.Added, res.Notes)
	}
	if res.Pages != 0 || srv.pageHits() != 0 {
		t.Errorf("full-content entries fetched %d pages", srv.pageHits())
	}
	arts := articlesByTitle(t, s)
	res1, ok := arts["Reservoir levels fall to record low"]
	if !ok {
		t.Fatalf("reservoir article missing: %v", keys(arts))
	}
	if strings.Contains(res1.Body, "track.gif") || strings.Count(res1.Body, "\n\n") != 3 || !strings.Contains(res1.Body, "Millford wells") {
		t.Errorf("reservoir body:\n%s", res1.Body)
	}
	if res1.Source != "Valley Courier" || res1.Author != "Priya Natarajan" || !res1.Published.Equal(time.Date(2026, 11, 4, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("reservoir: source %q author %q published %v", res1.Source, res1.Author, res1.Published)
	}
	if trains := arts["Valley rail line to add weekend trains"]; strings.Count(trains.Body, "\n\n") != 2 {
		t.Errorf("xhtml content lost its paragraphs:\n%s", trains.Body)
	}
}

func TestPollJSONFeed(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	res := Poll(ctx, s, testFetcher(FetcherOptions{}), envFeed(t, s, srv.URL+"/feed.json"), pollNow, PollOptions{})
	if res.Err != nil || res.Added != 2 || res.Pages != 0 {
		t.Fatalf("poll: err %v added %d pages %d (notes %v)", res.Err, res.Added, res.Pages, res.Notes)
	}
	arts := articlesByTitle(t, s)
	mine := arts["Copper mine to reopen with 400 jobs"]
	if mine.Author != "Jonas Aho" || !mine.Published.Equal(time.Date(2026, 11, 5, 5, 0, 0, 0, time.UTC)) || mine.Source != "Northern Ledger" {
		t.Errorf("mine: %+v", mine)
	}
	// content_text keeps its own paragraphs.
	if ice := arts["Ice road to the islands opens early"]; strings.Count(ice.Body, "\n\n") != 2 {
		t.Errorf("content_text paragraphs lost:\n%s", ice.Body)
	}
}

func TestPollMalformedFeedBacksOffWarnsOnceAndRecovers(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	srv.alias("/herald.xml", "malformed.xml")
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feed := envFeed(t, s, srv.URL+"/herald.xml")
	opt := PollOptions{Interval: 15 * time.Minute}

	now := pollNow
	var lastWait time.Duration
	for i := 1; i <= 5; i++ {
		res := Poll(ctx, s, f, feed, now, opt)
		if res.Err == nil {
			t.Fatalf("poll %d of a malformed feed succeeded", i)
		}
		if !strings.Contains(res.Err.Error(), "malformed feed") {
			t.Errorf("poll %d: error %q does not say the feed is malformed", i, res.Err)
		}
		if res.Warn != (i == 3) {
			t.Errorf("poll %d: warn = %v, want a warning on the 3rd failure only", i, res.Warn)
		}
		feed, _ = s.Feed(ctx, feed.ID)
		if feed.Failures != i || feed.LastError == "" || !feed.Warned == (i >= 3) {
			t.Errorf("poll %d: feed %+v", i, feed)
		}
		wait := feed.NextPoll.Sub(now)
		if wait <= lastWait {
			t.Errorf("poll %d: next poll in %v, not longer than the last wait %v", i, wait, lastWait)
		}
		lastWait = wait
		now = feed.NextPoll
	}
	rep, err := PollDue(ctx, s, f, now.Add(-time.Second), opt)
	if err != nil || len(rep.Results) != 0 {
		t.Fatalf("PollDue before the backoff ended polled %d feeds (%v)", len(rep.Results), err)
	}

	srv.alias("/herald.xml", "atom_full.xml")
	rep, err = PollDue(ctx, s, f, now, opt)
	if err != nil || len(rep.Results) != 1 {
		t.Fatalf("PollDue after the backoff: %d results, %v", len(rep.Results), err)
	}
	res := rep.Results[0]
	if res.Err != nil || !res.Recovered || res.Added != 2 || res.Feed.Failures != 0 || res.Feed.Warned {
		t.Fatalf("recovery poll: %+v", res)
	}
	feed, _ = s.Feed(ctx, feed.ID)
	if feed.Failures != 0 || feed.LastError != "" || feed.Warned || !feed.LastSuccess.Equal(now) {
		t.Errorf("feed after recovery: %+v", feed)
	}
}

func TestPollNotModified(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	const etag = `"v1-atom"`
	const lastMod = "Wed, 04 Nov 2026 12:00:00 GMT"
	srv.route("/cond.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		srv.serveFixture(w, r, "atom_full.xml")
	})
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feed := envFeed(t, s, srv.URL+"/cond.xml")
	if res := Poll(ctx, s, f, feed, pollNow, PollOptions{}); res.Err != nil || res.Added != 2 {
		t.Fatalf("first poll: %+v", res)
	}
	feed, _ = s.Feed(ctx, feed.ID)
	if feed.ETag != etag || feed.LastModified != lastMod {
		t.Fatalf("validators not stored: %q %q", feed.ETag, feed.LastModified)
	}
	res := Poll(ctx, s, f, feed, pollNow.Add(15*time.Minute), PollOptions{})
	if res.Err != nil || !res.NotModified || res.Added != 0 || res.Items != 0 {
		t.Fatalf("second poll: %+v", res)
	}
	feed, _ = s.Feed(ctx, feed.ID)
	if !feed.LastSuccess.Equal(pollNow.Add(15*time.Minute)) || feed.ETag != etag {
		t.Errorf("304 not recorded as success with validators kept: %+v", feed)
	}
}

func TestRedirectToPrivateAddressRefusedWhenGuarded(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	targets := map[string]string{
		"/to-metadata": "http://169.254.169.254/latest/meta-data/",
		"/to-private":  "http://10.0.0.1/feed.xml",
		"/to-loopback": "http://127.0.0.2:" + srv.Listener.Addr().(interface{ String() string }).String()[len("127.0.0.1:"):] + "/atom_full.xml",
	}
	for p, target := range targets {
		srv.route(p, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target, http.StatusFound) })
	}
	f := testFetcher(FetcherOptions{})
	for p, target := range targets {
		_, err := f.Fetch(ctx, srv.URL+p, false, Validators{})
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("untrusted fetch redirected to %s: err %v, want ErrBlockedAddress", target, err)
			continue
		}
		if !strings.Contains(err.Error(), "refused") {
			t.Errorf("error does not say it was refused: %v", err)
		}
	}
	// A Discord user following it gets the refusal and nothing is stored.
	s := openTest(t)
	if _, err := FollowFeed(ctx, s, f, srv.URL+"/to-private", "g1", "user1", pollNow, PollOptions{}); !errors.Is(err, ErrBlockedAddress) {
		t.Fatalf("FollowFeed through a redirect to 10.0.0.1: %v", err)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 0 {
		t.Errorf("a refused feed was stored: %+v", feeds)
	}
}

func TestGuardAtConnectTime(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	guarded := NewFetcher(FetcherOptions{Version: "test"})
	// A name, not an address, in the URL: only the connect-time check can
	// see that it resolves to loopback.
	for _, u := range []string{srv.URL + "/atom_full.xml", "http://localhost:" + port + "/atom_full.xml"} {
		if _, err := guarded.Fetch(ctx, u, false, Validators{}); !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("guarded fetch of %s: %v, want ErrBlockedAddress", u, err)
		}
		if _, err := guarded.Fetch(ctx, u, true, Validators{}); err != nil {
			t.Errorf("trusted (env) fetch of %s: %v", u, err)
		}
	}
	open := NewFetcher(FetcherOptions{Version: "test", AllowPrivate: true})
	if _, err := open.Fetch(ctx, srv.URL+"/atom_full.xml", false, Validators{}); err != nil {
		t.Errorf("fetch with private addresses allowed: %v", err)
	}
	// The clear reply a Discord user gets before any fetch.
	s := openTest(t)
	_, err := FollowFeed(ctx, s, guarded, srv.URL+"/atom_full.xml", "g1", "user1", pollNow, PollOptions{})
	if !errors.Is(err, ErrBlockedAddress) || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("FollowFeed(127.0.0.1) = %v, want a refusal naming loopback", err)
	}
	if res, err := FollowFeed(ctx, s, open, srv.URL+"/atom_full.xml", "g1", "user1", pollNow, PollOptions{}); err != nil || res.Added != 2 {
		t.Errorf("FollowFeed with private allowed: %v, %+v", err, res)
	}
}

func TestHugePageCutOff(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	const total = 50 << 20
	written := make(chan int64, 1)
	srv.route("/huge.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		var n int64
		defer func() { written <- n }()
		chunk := []byte(strings.Repeat("<p>The harbor commission met again today and discussed the dredging plan at length.</p>\n", 100))
		m, _ := w.Write([]byte("<html><head><title>Huge</title></head><body><article>"))
		n += int64(m)
		for n < total {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				return
			}
		}
	})
	// The test is about where a page is cut, not how fast: 10 MB through
	// the race detector on a loaded machine can take seconds, so the
	// fetch deadline is generous (a 5 s one was missed in CI).
	f := testFetcher(FetcherOptions{Timeout: 2 * time.Minute})
	resp, err := f.Fetch(ctx, srv.URL+"/huge.html", false, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != DefaultMaxBytes {
		t.Fatalf("50 MB page: truncated %v, %d bytes kept; want cut at %d", resp.Truncated, len(resp.Body), DefaultMaxBytes)
	}
	if n := <-written; n >= total {
		t.Errorf("the server sent all %d bytes: the fetcher read past its limit", n)
	}
	srv.alias("/hostile.xml", "rss_hostile.xml")
	srv.route("/slow.html", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	// Through a poll, the page is cut at the fetcher's limit, said so, and
	// its text cut again at maxTextBytes. A 1 MB limit shows the same
	// (1 MB of this page is ~4x maxTextBytes of text) as the default 10 MB
	// checked above, at a tenth of the cost of extracting it.
	s := openTest(t)
	f = testFetcher(FetcherOptions{Timeout: 2 * time.Minute, MaxBytes: 1 << 20})
	res := Poll(ctx, s, f, envFeed(t, s, srv.URL+"/hostile.xml"), pollNow, PollOptions{})
	if res.Err != nil {
		t.Fatalf("poll: %v", res.Err)
	}
	<-written
	if !strings.Contains(strings.Join(res.Notes, "\n"), "cut off") {
		t.Errorf("notes do not say the page was cut off: %v", res.Notes)
	}
	huge := articlesByTitle(t, s)["An enormous page"]
	if len(huge.Body) > maxTextBytes || len(huge.Body) < maxTextBytes/2 || !strings.Contains(huge.Body, "dredging plan") {
		t.Errorf("huge page stored %d bytes of text (limit %d)", len(huge.Body), maxTextBytes)
	}
}

func TestPageThatNeverFinishesTimesOut(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv.route("/slow.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><article><p>The first paragraph arrives"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	srv.route("/huge.html", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	srv.alias("/hostile.xml", "rss_hostile.xml")
	f := testFetcher(FetcherOptions{Timeout: 300 * time.Millisecond})
	_, err := f.Fetch(ctx, srv.URL+"/slow.html", true, Validators{})
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 300ms") {
		t.Fatalf("fetch of a page that never finishes: %v", err)
	}
	// Through a poll, the page is cut at the fetcher's limit, said so, and
	// its text cut again at maxTextBytes. A 1 MB limit shows the same
	// (1 MB of this page is ~4x maxTextBytes of text) as the default 10 MB
	// checked above, at a tenth of the cost of extracting it.
	s := openTest(t)
	f = testFetcher(FetcherOptions{Timeout: 2 * time.Minute, MaxBytes: 1 << 20})
	res := Poll(ctx, s, f, envFeed(t, s, srv.URL+"/hostile.xml"), pollNow, PollOptions{})
	if res.Err != nil {
		t.Fatalf("a slow page failed the whole poll: %v", res.Err)
	}
	// Both pages failed; their summaries are kept and the notes say why.
	if res.Added != 2 || !strings.Contains(strings.Join(res.Notes, "\n"), "no complete answer") {
		t.Errorf("added %d, notes %v", res.Added, res.Notes)
	}
}

func TestRedatedAndRepublishedItemsAreNotNew(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	srv.alias("/gazette.xml", "rss_summaries.xml")
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feed := envFeed(t, s, srv.URL+"/gazette.xml")
	if res := Poll(ctx, s, f, feed, pollNow, PollOptions{}); res.Err != nil || res.Added != 3 {
		t.Fatalf("first poll: %+v", res)
	}
	pages := srv.pageHits()
	srv.alias("/gazette.xml", "rss_redated.xml")
	feed, _ = s.Feed(ctx, feed.ID)
	res := Poll(ctx, s, f, feed, pollNow.Add(time.Hour), PollOptions{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	// Only the lifeboat item is new; the re-dated ones are known by GUID,
	// the re-published one by its AMP link's canonical URL.
	if res.Added != 1 || res.Pages != 1 || srv.pageHits() != pages+1 {
		t.Errorf("re-dated feed: added %d, pages %d (server saw %d), want only the lifeboat story", res.Added, res.Pages, srv.pageHits()-pages)
	}
	arts := articlesByTitle(t, s)
	if len(arts) != 4 {
		t.Errorf("store holds %d articles, want 4: %v", len(arts), keys(arts))
	}
	if ferry := arts["Port Ellery council approves new ferry terminal"]; !ferry.Published.Equal(time.Date(2026, 11, 2, 9, 15, 0, 0, time.UTC)) {
		t.Errorf("the edited date replaced the original: %v", ferry.Published)
	}
	// The same text under a new URL and GUID from another feed is the same
	// article too.
	srv.route("/mirror.json", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"Mirror","items":[{"id":"m1","url":"` + srv.URL +
			`/mirror/ferry","title":"Ferry terminal approved","content_text":` + jsonString(arts["Port Ellery council approves new ferry terminal"].Body) + `}]}`))
	})
	res = Poll(ctx, s, f, envFeed(t, s, srv.URL+"/mirror.json"), pollNow, PollOptions{})
	if res.Err != nil || res.Added != 0 || res.Duplicates != 1 {
		t.Errorf("mirrored text: added %d duplicates %d err %v", res.Added, res.Duplicates, res.Err)
	}
}

func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func TestFollowedFeedBacklogIsNotNew(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	res, err := FollowFeed(ctx, s, f, srv.URL+"/atom_full.xml", "g1", "user1", now, PollOptions{})
	if err != nil || res.Added != 2 {
		t.Fatalf("FollowFeed: %v %+v", err, res)
	}
	if res.Feed.ID == 0 || res.Feed.FromEnv || res.Feed.AddedBy != "user1" || res.Feed.LastSuccess != now {
		t.Errorf("followed feed: %+v", res.Feed)
	}
	// A daily briefing looks back a day: the two-week-old items are not in it.
	recent, err := s.Recent(ctx, SearchOptions{Since: now.Add(-24 * time.Hour), Limit: 10, Scope: GuildScope("g1")})
	if err != nil || len(recent) != 0 {
		t.Errorf("backlog looks new: %d articles since yesterday (%v)", len(recent), err)
	}
	if _, err := FollowFeed(ctx, s, f, strings.Replace(srv.URL, "http://", "HTTP://", 1)+"/atom_full.xml/", "g1", "user2", now, PollOptions{}); !errors.Is(err, ErrFeedExists) {
		t.Errorf("following the same feed again: %v, want ErrFeedExists", err)
	}
	if _, err := FollowFeed(ctx, s, f, srv.URL+"/articles/storm-road.html", "g1", "user1", now, PollOptions{}); err == nil || !strings.Contains(err.Error(), "web page, not an RSS") {
		t.Errorf("following an article page: %v", err)
	}
	if _, err := FollowFeed(ctx, s, f, "ftp://example.com/feed", "g1", "user1", now, PollOptions{}); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("following an ftp URL: %v", err)
	}
}

func TestFollowFeedDiscoversFeedFromHomePage(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	srv.route("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><link rel="alternate" type="application/atom+xml" href="/atom_full.xml"></head><body>Home</body></html>`))
	})
	s := openTest(t)
	res, err := FollowFeed(ctx, s, testFetcher(FetcherOptions{}), srv.URL+"/", "g1", "user1", pollNow, PollOptions{})
	if err != nil || res.Feed.URL != srv.URL+"/atom_full.xml" || res.Added != 2 {
		t.Fatalf("FollowFeed(home page): %v, %+v", err, res)
	}
}

func TestPollDueSpreadsAndClaims(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feeds, err := s.ReplaceEnvFeeds(ctx, []string{srv.URL + "/atom_full.xml", srv.URL + "/feed.json", srv.URL + "/rss_summaries.xml"})
	if err != nil {
		t.Fatal(err)
	}
	opt := PollOptions{Interval: 15 * time.Minute}
	rep, err := PollDue(ctx, s, f, pollNow, opt)
	if err != nil || len(rep.Results) != 3 || rep.Failed != 0 || rep.Added != 7 {
		t.Fatalf("first PollDue: %v, %d results, %d failed, %d added", err, len(rep.Results), rep.Failed, rep.Added)
	}
	next := map[time.Time]bool{}
	for _, fd := range feeds {
		got, _ := s.Feed(ctx, fd.ID)
		d := got.NextPoll.Sub(pollNow)
		if d < opt.Interval/2 || d > opt.Interval*3/2 {
			t.Errorf("feed %d next poll in %v, want within half to one and a half intervals", fd.ID, d)
		}
		next[got.NextPoll] = true
	}
	if len(next) != 3 {
		t.Errorf("feeds share next-poll times: %v", next)
	}
	if rep, _ := PollDue(ctx, s, f, pollNow.Add(time.Minute), opt); len(rep.Results) != 0 {
		t.Errorf("PollDue a minute later polled %d feeds", len(rep.Results))
	}
	if rep, _ := PollDue(ctx, s, f, pollNow.Add(2*opt.Interval), opt); len(rep.Results) != 3 || rep.Added != 0 {
		t.Errorf("PollDue two intervals later: %d polled, %d added; want 3, 0", len(rep.Results), rep.Added)
	}
}

func TestIngestURL(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	// The CLI's URL is trusted; the pages its items link to pass the
	// guard only because testFetcher lets 127.0.0.1 through (see
	// TestFeedContentLinksAreGuarded).
	f := testFetcher(FetcherOptions{})
	res, err := IngestURL(ctx, s, f, srv.URL+"/rss_summaries.xml", pollNow)
	if err != nil || res.Added != 3 || res.Pages != 3 {
		t.Fatalf("ingest feed: %v %+v", err, res)
	}
	for _, a := range articlesByTitle(t, s) {
		if len(a.Body) < 400 {
			t.Errorf("%q stored without its full text: %q", a.Title, a.Body)
		}
	}
	pages := srv.pageHits()
	res, err = IngestURL(ctx, s, f, srv.URL+"/rss_summaries.xml", pollNow)
	if err != nil || res.Added != 0 || srv.pageHits() != pages {
		t.Fatalf("second ingest: %v, added %d, %d pages fetched again", err, res.Added, srv.pageHits()-pages)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 0 {
		t.Errorf("a one-off ingest followed the feed: %+v", feeds)
	}
	res, err = IngestURL(ctx, s, f, srv.URL+"/articles/lifeboat.html", pollNow)
	if err != nil || res.Added != 1 {
		t.Fatalf("ingest page: %v %+v", err, res)
	}
	lb := articlesByTitle(t, s)["Lifeboat crew rescues two kayakers"]
	if lb.Source != "Harbor Gazette" || !strings.Contains(lb.Body, "Pete Arnott") || strings.Count(lb.Body, "\n\n") != 2 {
		t.Errorf("lifeboat page: %+v", lb)
	}
	if _, err := IngestURL(ctx, s, f, srv.URL+"/nope.xml", pollNow); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("ingest of a missing URL: %v", err)
	}
}

func TestBackoffAndNextPoll(t *testing.T) {
	iv := 15 * time.Minute
	tests := []struct {
		failures   int
		retry      time.Duration
		min, below time.Duration
	}{
		{1, 0, 30 * time.Minute, 33 * time.Minute},
		{2, 0, time.Hour, 66 * time.Minute},
		{3, 0, 2 * time.Hour, 132 * time.Minute},
		{7, 0, 24 * time.Hour, 26*time.Hour + 25*time.Minute},
		{60, 0, 24 * time.Hour, 26*time.Hour + 25*time.Minute},
		{1, 3 * time.Hour, 3 * time.Hour, 3*time.Hour + 19*time.Minute},
		{1, 72 * time.Hour, 24 * time.Hour, 26*time.Hour + 25*time.Minute},
	}
	for _, tt := range tests {
		for id := int64(1); id <= 5; id++ {
			d := backoff(id, iv, tt.failures, tt.retry)
			if d < tt.min || d >= tt.below {
				t.Errorf("backoff(id %d, %d failures, retry %v) = %v, want in [%v, %v)", id, tt.failures, tt.retry, d, tt.min, tt.below)
			}
		}
	}
	phases := map[time.Duration]bool{}
	for id := int64(1); id <= 20; id++ {
		p := feedPhase(id, iv)
		if p != feedPhase(id, iv) || p < 0 || p >= iv {
			t.Fatalf("phase of %d: %v", id, p)
		}
		phases[p] = true
		n := nextPoll(id, pollNow, iv)
		if d := n.Sub(pollNow); d < iv/2 || d >= iv*3/2 {
			t.Errorf("nextPoll(%d) in %v", id, d)
		}
		if nextPoll(id, n, iv).Sub(n) != iv {
			t.Errorf("feed %d polled on its slot does not keep the interval", id)
		}
	}
	if len(phases) < 15 {
		t.Errorf("20 feeds got only %d distinct phases", len(phases))
	}
}

func TestIsFullText(t *testing.T) {
	long := strings.Repeat("The council met on Monday and voted on the plan for the harbor. ", 20)
	tests := []struct {
		name        string
		text        string
		fromContent bool
		want        bool
	}{
		{"short summary", "The council voted 7-2 to build the terminal.", false, false},
		{"short content", "The council voted 7-2 to build the terminal.", true, false},
		{"content in paragraphs", long[:300] + "\n\n" + long[:300], true, true},
		{"description in paragraphs", long + "\n\n" + long + "\n\nThe end.", false, true},
		{"medium description", long[:300] + "\n\n" + long[:300], false, false},
		{"long single content block", long + long, true, true},
		{"ends with ellipsis", long + long + " and then…", true, false},
		{"ends with read more", long + "\n\n" + long + "\n\nRead more »", true, false},
		{"ends with dots", long + long + " so...", true, false},
		{"ends with continue reading", long + "\n\nContinue reading:", true, false},
	}
	for _, tt := range tests {
		if got := isFullText(tt.text, tt.fromContent); got != tt.want {
			t.Errorf("%s: isFullText = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestStripTracking(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"},
		{"https://example.com/a?id=5&fbclid=x#comments", "https://example.com/a?id=5"},
		{"http://www.example.com/a", "http://www.example.com/a"},
	}
	for _, tt := range tests {
		if got := stripTracking(tt.in); got != tt.want {
			t.Errorf("stripTracking(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPollCancelledReleasesFeed(t *testing.T) {
	srv := newFeedServer(t)
	srv.alias("/hostile.xml", "rss_hostile.xml")
	srv.route("/huge.html", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	srv.route("/slow.html", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feed := envFeed(t, s, srv.URL+"/hostile.xml")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for srv.hitCount("/slow.html") == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	res := Poll(ctx, s, f, feed, pollNow, PollOptions{})
	if res.Err == nil {
		t.Fatal("a cancelled poll reported success")
	}
	feed, _ = s.Feed(context.Background(), feed.ID)
	if feed.Failures != 0 || feed.LastError != "" || !feed.NextPoll.Equal(pollNow) {
		t.Errorf("shutdown counted as the feed's failure: %+v", feed)
	}
}

func TestSeenItemsForgottenButNotRefetched(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	feed := envFeed(t, s, srv.URL+"/rss_summaries.xml")
	if res := Poll(ctx, s, f, feed, pollNow, PollOptions{}); res.Err != nil || res.Added != 3 {
		t.Fatalf("first poll: %+v", res)
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM feed_items WHERE feed_id = ?`, feed.ID).Scan(&n)
	if n != 6 {
		t.Errorf("%d item keys remembered, want GUID and URL of 3 items", n)
	}
	pages := srv.pageHits()
	later := pollNow.Add(seenRetention + 24*time.Hour)
	feed, _ = s.Feed(ctx, feed.ID)
	feed.ETag, feed.LastModified = "", ""
	res := Poll(ctx, s, f, feed, later, PollOptions{})
	if res.Err != nil || res.Added != 0 || srv.pageHits() != pages {
		t.Errorf("after the keys expired: added %d, %d pages refetched, err %v", res.Added, srv.pageHits()-pages, res.Err)
	}
	s.db.QueryRow(`SELECT count(*) FROM feed_items WHERE feed_id = ? AND seen < ?`, feed.ID, later.Add(-seenRetention).Unix()).Scan(&n)
	if n != 0 {
		t.Errorf("%d expired keys kept", n)
	}
	// The items are still in the feed: known again by their stored
	// articles' URLs, without fetching their pages.
	res = Poll(ctx, s, f, res.Feed, later.Add(time.Hour), PollOptions{})
	if res.Err != nil || res.New != 3 || res.Duplicates != 3 || res.Added != 0 || srv.pageHits() != pages {
		t.Errorf("after the keys expired: new %d dup %d added %d, %d pages refetched, err %v", res.New, res.Duplicates, res.Added, srv.pageHits()-pages, res.Err)
	}
}

func TestTransientFetchErr(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"404", &StatusError{Code: 404}, false},
		{"410", &StatusError{Code: 410}, false},
		{"429", &StatusError{Code: 429}, true},
		{"503", &StatusError{Code: 503}, true},
		{"blocked", fmt.Errorf("GET x: refused: %w", ErrBlockedAddress), false},
		{"timeout", fmt.Errorf("GET x: no complete answer: %w", context.DeadlineExceeded), true},
		{"not html", errors.New("x is \"application/pdf\", not a web page"), false},
	}
	for _, tt := range tests {
		if got := transientFetchErr(tt.err); got != tt.want {
			t.Errorf("%s: transient = %v, want %v", tt.name, got, tt.want)
		}
	}
}
