package data

import (
	"context"
	"errors"
	"slices"
	"sort"
	"testing"
	"time"
)

// titles are the titles of articles, sorted.
func titles(arts []Article) []string {
	out := make([]string, 0, len(arts))
	for _, a := range arts {
		out = append(out, a.Title)
	}
	sort.Strings(out)
	return out
}

func hitTitles(hits []Hit) []string {
	arts := make([]Article, len(hits))
	for i, h := range hits {
		arts[i] = h.Article
	}
	return titles(arts)
}

// addFor stores articles as a feed of these servers would (none: shared).
func addFor(t *testing.T, s *Store, guilds []string, arts ...Article) {
	t.Helper()
	vis := visibility{guilds: guilds, shared: len(guilds) == 0}
	if _, _, err := s.add(context.Background(), arts, false, vis); err != nil {
		t.Fatal(err)
	}
}

// TestScopeVisibility: shared articles are seen everywhere, a server's own
// only there, an article two servers' feeds bring is stored once and seen by
// both, and one the owner also brings becomes shared.
func TestScopeVisibility(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	shared := Article{Title: "Harbour ferry strike ends", Source: "Owner Wire", URL: "https://owner.example/ferry", Body: "The harbour ferry strike ended on Monday after talks."}
	onlyA := Article{Title: "Glacier ferry route opens to Quillmore", Source: "Alpha Post", URL: "https://alpha.example/glacier", Body: "A glacier ferry route opened for Quillmore travellers."}
	both := Article{Title: "Zanthor ferry fares rise in spring", Source: "Common Times", URL: "https://common.example/fares", Body: "Ferry fares rise in spring, Zanthor Line said."}
	laterShared := Article{Title: "Brenwick ferry captain honoured", Source: "Beta Daily", URL: "https://beta.example/captain", Body: "A ferry captain was honoured by the Brenwick council."}
	addFor(t, s, nil, shared)
	addFor(t, s, []string{"A"}, onlyA)
	addFor(t, s, []string{"A"}, both)
	addFor(t, s, []string{"B"}, both) // B's feed brings it too: a duplicate, now B's as well
	addFor(t, s, []string{"B"}, laterShared)
	addFor(t, s, nil, laterShared) // the owner ingests it: shared from now on

	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d articles stored (%v), want 4: each stored once", n, err)
	}
	// An article the owner shared counts in the shared word list alone, so
	// pruning it takes its words off the list that has them.
	if err := s.db.QueryRow(`SELECT count(*) FROM guild_terms WHERE guild_id = 'B' AND term LIKE 'brenwick%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("B's own word list still counts a shared article: %d rows, %v", n, err)
	}
	tests := []struct {
		name  string
		scope Scope
		want  []string
	}{
		{"dm", SharedOnly(), []string{laterShared.Title, shared.Title}},
		{"guild A", GuildScope("A"), []string{both.Title, laterShared.Title, onlyA.Title, shared.Title}},
		{"guild B", GuildScope("B"), []string{both.Title, laterShared.Title, shared.Title}},
		{"guild C", GuildScope("C"), []string{laterShared.Title, shared.Title}},
		{"owner", AllArticles(), []string{both.Title, laterShared.Title, onlyA.Title, shared.Title}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(tt.want)
			sort.Strings(want)
			recent, err := s.Recent(ctx, SearchOptions{Scope: tt.scope})
			if err != nil || !slices.Equal(titles(recent), want) {
				t.Errorf("Recent = %q, %v; want %q", titles(recent), err, want)
			}
			hits, err := s.Search(ctx, "ferry", SearchOptions{Scope: tt.scope})
			if err != nil || !slices.Equal(hitTitles(hits), want) {
				t.Errorf("Search = %q, %v; want %q", hitTitles(hits), err, want)
			}
			st, err := s.Stats(ctx, tt.scope)
			if err != nil || st.Articles != len(want) || st.Sources != len(want) || len(st.TopSources) != len(want) ||
				st.Newest.IsZero() || st.Oldest.IsZero() {
				t.Errorf("Stats = %+v, %v; want %d articles and outlets", st, err, len(want))
			}
			// Autocomplete offers a name only where its article is seen.
			for _, c := range []struct {
				prefix string
				art    Article
			}{{"quill", onlyA}, {"zanth", both}, {"brenw", laterShared}} {
				got, err := s.Suggest(ctx, tt.scope, c.prefix, 10)
				seen := slices.Contains(want, c.art.Title)
				if err != nil || (len(got) > 0) != seen {
					t.Errorf("Suggest(%s) = %q, %v; article seen here: %v", c.prefix, got, err, seen)
				}
			}
		})
	}
}

// TestFeedsSharedBetweenServers: a feed two servers follow is stored and
// polled once; the second server sees what the first one's reading stored;
// another feed bringing the same articles makes them visible to its server;
// numbers are per server and never reused.
func TestFeedsSharedBetweenServers(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	srv.alias("/mirror.xml", "atom_full.xml")
	s := openTest(t)
	f := testFetcher(FetcherOptions{})
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

	a, err := FollowFeed(ctx, s, f, srv.URL+"/atom_full.xml", "A", "alice", now, PollOptions{})
	if err != nil || a.Added != 2 || a.Feed.No != 1 || a.Feed.GuildID != "A" {
		t.Fatalf("A follows: %v %+v", err, a)
	}
	seenBy := func(g string) int {
		arts, err := s.Recent(ctx, SearchOptions{Scope: GuildScope(g)})
		if err != nil {
			t.Fatal(err)
		}
		return len(arts)
	}
	if seenBy("A") != 2 || seenBy("B") != 0 || seenBy("") != 0 {
		t.Fatalf("after A follows: A sees %d, B %d, DMs %d; want 2, 0, 0", seenBy("A"), seenBy("B"), seenBy(""))
	}
	hits := srv.hitCount("/atom_full.xml")
	b, err := FollowFeed(ctx, s, f, srv.URL+"/atom_full.xml", "B", "bob", now, PollOptions{})
	if err != nil || !b.Joined || b.Feed.No != 1 || b.Feed.ID != a.Feed.ID || b.Duplicates != 2 {
		t.Fatalf("B follows the same feed: %v %+v", err, b)
	}
	if srv.hitCount("/atom_full.xml") != hits {
		t.Error("joining a stored feed fetched it again")
	}
	if seenBy("B") != 2 {
		t.Errorf("B sees %d articles of the feed it joined, want 2", seenBy("B"))
	}
	if _, err := FollowFeed(ctx, s, f, srv.URL+"/atom_full.xml", "B", "bob", now, PollOptions{}); !errors.Is(err, ErrFeedExists) {
		t.Errorf("B follows it twice: %v, want ErrFeedExists", err)
	}
	// C reads the same articles through another feed: stored once, seen by C.
	c, err := FollowFeed(ctx, s, f, srv.URL+"/mirror.xml", "C", "carol", now, PollOptions{})
	if err != nil || c.Added != 0 || c.Duplicates != 2 {
		t.Fatalf("C follows a mirror: %v %+v", err, c)
	}
	if seenBy("C") != 2 {
		t.Errorf("C sees %d, want 2", seenBy("C"))
	}
	// A's second feed is A's number 2; removing it frees nothing for reuse.
	a2, err := FollowFeed(ctx, s, f, srv.URL+"/feed.json", "A", "alice", now, PollOptions{})
	if err != nil || a2.Feed.No != 2 {
		t.Fatalf("A's second feed: %v %+v", err, a2)
	}
	if _, err := s.UnfollowFeed(ctx, "B", 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("B removes A's number 2: %v, want ErrNotFound", err)
	}
	if got, err := s.UnfollowFeed(ctx, "A", 2); err != nil || got.ID != a2.Feed.ID {
		t.Fatalf("A removes its feed 2: %+v %v", got, err)
	}
	if _, err := s.Feed(ctx, a2.Feed.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("a feed nobody follows is still stored: %v", err)
	}
	if seenBy("A") != 4 {
		t.Errorf("A sees %d articles after removing a feed, want its 4: they stay", seenBy("A"))
	}
	a3, err := FollowFeed(ctx, s, f, srv.URL+"/feed.json", "A", "alice", now, PollOptions{})
	if err != nil || a3.Feed.No != 3 {
		t.Fatalf("A's next feed: %v %+v, want number 3 (2 is never reused)", err, a3)
	}
	// A feed B still follows is kept when A leaves it.
	if _, err := s.UnfollowFeed(ctx, "A", 1); err != nil {
		t.Fatal(err)
	}
	if feeds, _ := s.GuildFeeds(ctx, "B"); len(feeds) != 1 || feeds[0].ID != a.Feed.ID || feeds[0].AddedBy != "bob" {
		t.Errorf("B's feeds after A left the shared one: %+v", feeds)
	}
	if feeds, _ := s.GuildFeeds(ctx, "A"); len(feeds) != 1 || feeds[0].No != 3 {
		t.Errorf("A's feeds: %+v", feeds)
	}
	// The next poll of the shared feed reads for B (and the mirror for C).
	if fl, err := s.FeedFollowers(ctx, a.Feed.ID); err != nil || len(fl) != 1 || fl[0].GuildID != "B" {
		t.Errorf("followers: %+v %v", fl, err)
	}
}

// TestEnvFeedDroppedKeepsFollowers: a feed the env file no longer lists
// stays for the servers that follow it, no longer trusted.
func TestEnvFeedDroppedKeepsFollowers(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	env := envFeed(t, s, "https://wire.example/rss")
	if _, _, err := s.FollowStoredFeed(ctx, env.ID, "A", "alice", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReplaceEnvFeeds(ctx, nil); err != nil {
		t.Fatal(err)
	}
	f, err := s.Feed(ctx, env.ID)
	if err != nil || f.FromEnv {
		t.Fatalf("followed feed after the env file dropped it: %+v, %v", f, err)
	}
	other := envFeed(t, s, "https://other.example/rss")
	if _, err := s.ReplaceEnvFeeds(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Feed(ctx, other.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("unfollowed env feed kept: %v", err)
	}
}

// TestScheduleNumbersPerServer: each server numbers its schedules 1, 2, 3
// and never reuses one; another server's number is not found.
func TestScheduleNumbersPerServer(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	add := func(g string) Subscription {
		t.Helper()
		sub, err := s.AddSubscription(ctx, Subscription{GuildID: g, ChannelID: "c" + g, Spec: "@daily",
			Filter: Filter{Include: `"peace talks" -rumor`, Block: "Tabloid"}})
		if err != nil {
			t.Fatal(err)
		}
		return sub
	}
	a1, a2, b1 := add("A"), add("A"), add("B")
	if a1.No != 1 || a2.No != 2 || b1.No != 1 {
		t.Fatalf("numbers %d %d %d, want 1 2 1", a1.No, a2.No, b1.No)
	}
	if _, err := s.RemoveSubscription(ctx, "B", 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("B removes A's 2: %v", err)
	}
	got, err := s.RemoveSubscription(ctx, "A", 2)
	if err != nil || got.ID != a2.ID || got.Filter.Include != `"peace talks" -rumor` {
		t.Fatalf("A removes 2: %+v %v", got, err)
	}
	if a3 := add("A"); a3.No != 3 {
		t.Errorf("next number %d, want 3", a3.No)
	}
	subs, err := s.GuildSubscriptions(ctx, "A")
	if err != nil || len(subs) != 2 || subs[0].No != 1 || subs[1].No != 3 || subs[1].Filter.Block != "Tabloid" {
		t.Errorf("A's schedules: %+v %v", subs, err)
	}
}

func TestSettingsDefaultsAndSave(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	tests := []struct {
		name string
		save *GuildSettings
		want GuildSettings
	}{
		{"defaults", nil, GuildSettings{GuildID: "A"}},
		{"all set", &GuildSettings{GuildID: "A", TZ: "Europe/Kyiv", NoticeChannel: "123", NothingNew: true, Length: "short"},
			GuildSettings{GuildID: "A", TZ: "Europe/Kyiv", NoticeChannel: "123", NothingNew: true, Length: "short"}},
		{"back to defaults", &GuildSettings{GuildID: "A"}, GuildSettings{GuildID: "A"}},
	}
	for _, tt := range tests {
		if tt.save != nil {
			if err := s.SaveSettings(ctx, *tt.save); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Settings(ctx, "A")
		got.Updated = time.Time{}
		if err != nil || got != tt.want {
			t.Errorf("%s: Settings = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	if other, _ := s.Settings(ctx, "B"); other != (GuildSettings{GuildID: "B"}) {
		t.Errorf("another server's settings: %+v", other)
	}
	if err := s.SaveSettings(ctx, GuildSettings{}); err == nil {
		t.Error("settings saved without a server")
	}
}

// TestAdoptLegacyFeeds: feeds added before servers had their own are given
// to the server they were added from, keep their numbers, and what they
// brought first becomes that server's; the owner's articles stay shared.
func TestAdoptLegacyFeeds(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	// As tenancy-less briefbot left it: feeds 1 (by alice, who made a
	// schedule in A) and 2 (by dave, unknown), an env feed, their items.
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// (Numbers above the identity sequence's start, so PostgreSQL's next
	// generated ID does not collide.)
	exec(`INSERT INTO feeds (id, url, canonical_url, added_by, from_env, created) VALUES
		(101, 'https://a.example/rss', 'a.example/rss', 'alice', 0, 1),
		(102, 'https://d.example/rss', 'd.example/rss', 'dave', 0, 1),
		(103, 'https://env.example/rss', 'env.example/rss', 'env', 1, 1)`)
	exec(`INSERT INTO subscriptions (guild_id, channel_id, spec, created_by, created, no) VALUES ('A', 'c', '@daily', 'alice', 1, 4)`)
	arts := []Article{
		{Title: "Orlavin mill closes", URL: "https://a.example/mill", Body: "The Orlavin mill closed."},
		{Title: "Delta bridge repaired", URL: "https://d.example/bridge", Body: "The Pemberly bridge was repaired."},
		{Title: "Wire report on mill", URL: "https://env.example/mill", Body: "A wire report about the mill."},
		{Title: "Owner file", URL: "https://files.example/x", Body: "Something the owner put in the folder."},
	}
	for i, a := range arts {
		a.Ingested = day.Add(time.Duration(i) * time.Hour)
		if _, err := s.Add(ctx, []Article{a}); err != nil {
			t.Fatal(err)
		}
	}
	seen := day.Unix()
	exec(`INSERT INTO feed_items (feed_id, key, seen) VALUES
		(101, 'url:https://a.example/mill', ?), (102, 'url:https://d.example/bridge', ?), (103, 'url:https://env.example/mill', ?),
		(101, 'url:https://env.example/mill', ?), (102, 'url:https://files.example/x', ?)`, seen, seen, seen, seen, seen+86400)
	// feed 1 also carried the wire's report (an env feed brought it: stays
	// shared); feed 2 saw the owner's file a day after it was stored (stays
	// shared).

	got, err := s.AdoptLegacyFeeds(ctx, []string{"A", "B"})
	if err != nil || len(got) != 2 {
		t.Fatalf("AdoptLegacyFeeds = %+v, %v", got, err)
	}
	if !slices.Equal(got[0].Guilds, []string{"A"}) || got[0].Private != 1 {
		t.Errorf("alice's feed went to %v with %d private articles, want [A] and 1", got[0].Guilds, got[0].Private)
	}
	if !slices.Equal(got[1].Guilds, []string{"A", "B"}) || got[1].Private != 1 {
		t.Errorf("dave's feed went to %v with %d private articles, want [A B] and 1", got[1].Guilds, got[1].Private)
	}
	for _, g := range []string{"A", "B"} {
		feeds, err := s.GuildFeeds(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		var nos []int64
		for _, f := range feeds {
			nos = append(nos, f.No)
		}
		want := map[string][]int64{"A": {101, 102}, "B": {102}}[g]
		if !slices.Equal(nos, want) {
			t.Errorf("%s's feeds numbered %v, want %v (their old numbers)", g, nos, want)
		}
	}
	visible := func(sc Scope) []string {
		arts, err := s.Recent(ctx, SearchOptions{Scope: sc})
		if err != nil {
			t.Fatal(err)
		}
		return titles(arts)
	}
	if got, want := visible(SharedOnly()), []string{"Owner file", "Wire report on mill"}; !slices.Equal(got, want) {
		t.Errorf("shared after adoption: %q, want %q", got, want)
	}
	if got := visible(GuildScope("B")); len(got) != 3 || slices.Contains(got, "Orlavin mill closes") {
		t.Errorf("B sees %q: want the shared ones and dave's bridge, not alice's mill", got)
	}
	if got := visible(GuildScope("A")); len(got) != 4 {
		t.Errorf("A sees %q, want all 4", got)
	}
	if sugg, _ := s.Suggest(ctx, SharedOnly(), "orlav", 5); len(sugg) != 0 {
		t.Errorf("the shared autocomplete still offers a now-private name: %q", sugg)
	}
	if sugg, _ := s.Suggest(ctx, GuildScope("A"), "orlav", 5); len(sugg) == 0 {
		t.Error("A's autocomplete lacks its article's name")
	}
	// The next number in A follows the adopted ones.
	next, err := s.AddFeed(ctx, Feed{URL: "https://new.example/rss", GuildID: "A"})
	if err != nil || next.No != 103 {
		t.Errorf("next feed in A: %+v %v, want number 103", next, err)
	}
	if again, err := s.AdoptLegacyFeeds(ctx, []string{"A"}); err != nil || len(again) != 0 {
		t.Errorf("second adoption: %+v, %v; want nothing to do", again, err)
	}
}

// TestMigrateKeepsScheduleNumbers (SQLite: the only engine with old databases): schedules from before tenancy keep the
// numbers (their IDs) members know them by, and new ones count on.
func TestMigrateKeepsScheduleNumbers(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t, 4, oldArticle+`INSERT INTO subscriptions (id, guild_id, channel_id, spec, created) VALUES
		(3, 'A', 'c', '@daily', 1), (7, 'A', 'c', '@daily', 1), (5, 'B', 'c', '@daily', 1)`)
	subs, err := s.GuildSubscriptions(ctx, "A")
	if err != nil || len(subs) != 2 || subs[0].No != 3 || subs[1].No != 7 {
		t.Fatalf("A's schedules after migration: %+v %v", subs, err)
	}
	sub, err := s.AddSubscription(ctx, Subscription{GuildID: "A", ChannelID: "c", Spec: "@daily"})
	if err != nil || sub.No != 8 {
		t.Errorf("new schedule in A: %+v %v, want number 8", sub, err)
	}
	var shared int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles WHERE shared = 1`).Scan(&shared); err != nil || shared != 1 {
		t.Errorf("old articles shared: %d %v, want 1", shared, err)
	}
}

// TestMigrateSharedHasNoOwners: step 11 drops the owners a shared article
// kept from before and copies each owned article's outlet, so a server's
// count of its own articles and outlets, read from article_guilds alone,
// neither counts a shared one twice nor misses an outlet.
func TestMigrateSharedHasNoOwners(t *testing.T) {
	s := openMigrated(t, 10, oldArticle+`INSERT INTO articles (id, title, source, ingested, text_key, body, shared) VALUES
			('x2', 'Own story', 'Alpha Post', 2, 'k2', 'Its text.', 0);
		INSERT INTO article_guilds (guild_id, seq) VALUES ('A', 1), ('A', 2);`)
	st, err := s.Stats(context.Background(), GuildScope("A"))
	if err != nil || st.Articles != 2 || st.Sources != 1 || len(st.TopSources) != 1 || st.TopSources[0] != "Alpha Post" {
		t.Errorf("A's stats after step 11: %+v, %v; want the shared article once and its own with its outlet", st, err)
	}
}

// TestPruneServerArticle: pruning a server's own article takes its words
// out of that server's autocomplete, as for shared ones.
func TestPruneServerArticle(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	old := time.Now().AddDate(0, 0, -200)
	addFor(t, s, []string{"A"}, Article{Title: "Quillmore dam opens", Source: "Alpha Post", URL: "https://a.example/dam", Body: "The dam opened.", Published: old, Ingested: old})
	if sugg, _ := s.Suggest(ctx, GuildScope("A"), "quill", 5); len(sugg) != 1 {
		t.Fatalf("before pruning: %q", sugg)
	}
	if res, err := s.Prune(ctx, time.Now().AddDate(0, 0, -90)); err != nil || res.Articles != 1 {
		t.Fatalf("Prune = %+v, %v", res, err)
	}
	if sugg, _ := s.Suggest(ctx, GuildScope("A"), "quill", 5); len(sugg) != 0 {
		t.Errorf("a pruned article's name is still offered: %q", sugg)
	}
	if st, err := s.Stats(ctx, GuildScope("A")); err != nil || st.Articles != 0 || st.Sources != 0 || !st.Newest.IsZero() {
		t.Errorf("A's stats after pruning its article: %+v, %v", st, err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM article_guilds`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d article_guilds rows left (%v)", n, err)
	}
}

// oldArticle is one article of a store from before the servers' own feeds.
const oldArticle = `INSERT INTO articles (id, title, ingested, text_key, body) VALUES ('x1', 'Old story', 1, 'k1', 'Old text.');`
