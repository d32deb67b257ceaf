package data

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openTest opens a fresh store in a temporary folder.
func openTest(t testing.TB, opts ...Option) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSamplesLoadedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 {
		t.Fatalf("fresh store has %d articles, want the 2 samples", st.Articles)
	}
	if _, err := s.db.Exec(`DELETE FROM articles`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, _ := s.Stats(ctx); st.Articles != 0 {
		t.Fatalf("samples came back into a store emptied on purpose: %d articles", st.Articles)
	}
}

func TestSearchSamples(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, q := range []string{"ceasefire", "Ceasefire", "cease-fire", "CEASE-FIRE", "Witkoff", "putin's ceasefire"} {
		hits, err := s.Search(ctx, q, SearchOptions{})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if len(hits) != 2 {
			t.Errorf("Search(%q) = %d hits, want both samples", q, len(hits))
		}
		for _, h := range hits {
			if h.Snippet == "" || h.Title == "" {
				t.Errorf("Search(%q): hit without title or snippet: %+v", q, h.Article.ID)
			}
		}
	}
	hits, err := s.Search(ctx, "zebra", SearchOptions{})
	if err != nil || len(hits) != 0 {
		t.Fatalf("Search(zebra) = %d hits, %v; want none", len(hits), err)
	}
}

func TestSearchHyphenBothWays(t *testing.T) {
	s := openTest(t, WithoutSamples())
	ctx := context.Background()
	_, err := s.Add(ctx, []Article{
		{Title: "Truce holds", Body: "The cease-fire held overnight in the north."},
		{Title: "Talks resume", Body: "Ceasefire talks resumed in Doha on Monday."},
		{Title: "Unrelated", Body: "Cocoa prices fell in Bahia."},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"ceasefire", "cease-fire", "Cease-Fire", "CEASEFIRE"} {
		hits, err := s.Search(ctx, q, SearchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 2 {
			t.Errorf("Search(%q) = %d hits, want 2", q, len(hits))
		}
	}
}

func TestSearchHostileQueries(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	queries := []string{
		`"`, `""`, `"ceasefire`, `*`, `cease*`, `NEAR(ceasefire putin)`, `NEAR(`, `AND`, `OR`, `NOT`,
		`ceasefire AND`, `OR ceasefire`, `NOT putin`, `-ceasefire`, `-`, `--`, `title:ceasefire`,
		`body:`, `:`, `(`, `)`, `(ceasefire`, `{title}: x`, `^ceasefire`, `ceasefire + putin`,
		`🕊️ ceasefire 🇺🇦`, `🕊️`, "\x00", "cease\x00fire", `'; DROP TABLE articles; --`,
		strings.Repeat("ceasefire ", 1000), strings.Repeat("(", 10000), strings.Repeat("é", 5000),
		`Putin’s`, `a.b.c`, `$1.13bn`, `100%`, `@everyone`, `<@&123>`,
	}
	for _, q := range queries {
		if _, err := s.Search(ctx, q, SearchOptions{}); err != nil {
			t.Errorf("Search(%.40q): %v", q, err)
		}
	}
	hits, err := s.Search(ctx, `"ceasefire" AND (putin OR NEAR(x))`, SearchOptions{})
	if err != nil || len(hits) == 0 {
		t.Errorf("a query full of syntax still finds its words: %d hits, %v", len(hits), err)
	}
}

func FuzzSearch(f *testing.F) {
	for _, q := range []string{"ceasefire", `"`, `NEAR(a b)`, `a OR b`, `-x`, `col:x`, `🕊️`, `*`, `(((`} {
		f.Add(q)
	}
	s := openTest(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.Search(ctx, q, SearchOptions{Limit: 3}); err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}

func TestSearchSinceAndRecency(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	s := openTest(t, WithoutSamples(), WithClock(func() time.Time { return now }))
	ctx := context.Background()
	_, err := s.Add(ctx, []Article{
		{Title: "Old ceasefire news", Body: "A ceasefire was agreed long ago.", Published: now.AddDate(-1, 0, 0)},
		{Title: "New ceasefire news", Body: "A ceasefire was agreed today.", Published: now.Add(-time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, "ceasefire", SearchOptions{})
	if err != nil || len(hits) != 2 {
		t.Fatalf("got %d hits, %v", len(hits), err)
	}
	if hits[0].Title != "New ceasefire news" {
		t.Errorf("recency: first hit %q, want the new one", hits[0].Title)
	}
	hits, err = s.Search(ctx, "ceasefire", SearchOptions{Since: now.AddDate(0, 0, -1)})
	if err != nil || len(hits) != 1 || hits[0].Title != "New ceasefire news" {
		t.Fatalf("since: got %d hits, %v", len(hits), err)
	}
}

func TestAddDeduplicates(t *testing.T) {
	s := openTest(t, WithoutSamples())
	ctx := context.Background()
	base := Article{Title: "A", URL: "https://www.example.com/story?utm_source=x&id=7#top", Body: "Body one."}
	tests := []struct {
		name      string
		art       Article
		wantAdded int
	}{
		{"first", base, 1},
		{"same canonical URL", Article{Title: "A2", URL: "http://example.com/story/?id=7&fbclid=abc", Body: "Edited body."}, 0},
		{"amp variant", Article{Title: "A3", URL: "https://amp.example.com/story/amp?id=7", Body: "AMP body."}, 0},
		{"same text no URL", Article{Title: "Other title", Body: "body   ONE"}, 0},
		{"different", Article{Title: "B", URL: "https://example.com/other", Body: "Body two."}, 1},
		{"different query param", Article{Title: "C", URL: "https://example.com/story?id=8", Body: "Body three."}, 1},
	}
	for _, tt := range tests {
		res, err := s.Add(ctx, []Article{tt.art})
		if err != nil {
			t.Fatal(err)
		}
		if res.Added != tt.wantAdded || res.Added+res.Duplicates != 1 {
			t.Errorf("%s: added %d, duplicates %d; want added %d", tt.name, res.Added, res.Duplicates, tt.wantAdded)
		}
	}
	// Duplicates within one batch too.
	res, err := s.Add(ctx, []Article{{Title: "D", Body: "Fresh."}, {Title: "D", Body: "Fresh."}})
	if err != nil || res.Added != 1 || res.Duplicates != 1 {
		t.Errorf("in-batch: %+v, %v", res, err)
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.com/a/b/?utm_source=tw&utm_medium=x", "https://example.com/a/b"},
		{"http://example.com/a#frag", "https://example.com/a"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://example.com/news/story/amp", "https://example.com/news/story"},
		{"https://example.com/amp/news/story", "https://example.com/news/story"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"ftp://example.com/x", ""},
		{"not a url", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMigrateExistingDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	// A database as the first release left it: schema version 1 with data.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, migrations[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO articles (id, title, ingested, text_key, body) VALUES ('x1', 'Old ceasefire story', 1, 'k1', 'The ceasefire held.');
		INSERT INTO articles_fts (rowid, title, body) VALUES (1, 'Old ceasefire story', 'The ceasefire held.');`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open v1 database: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v; want %d", v, err, len(migrations))
	}
	hits, err := s.Search(ctx, "ceasefire", SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].ID != "x1" {
		t.Fatalf("old data after migration: %d hits, %v", len(hits), err)
	}
	if _, err := s.AddSubscription(ctx, Subscription{ChannelID: "1", Spec: "@daily"}); err != nil {
		t.Fatalf("new tables after migration: %v", err)
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`PRAGMA user_version = 999`)
	db.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: %v, want a clear error", err)
	}
}

func TestPostsClaimedOnce(t *testing.T) {
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	s := openTest(t, WithoutSamples(), WithClock(func() time.Time { return now }))
	ctx := context.Background()
	sub, err := s.AddSubscription(ctx, Subscription{GuildID: "g", ChannelID: "c", Topic: "ceasefire", Spec: "0 8 * * *", TZ: "Europe/Kyiv"})
	if err != nil {
		t.Fatal(err)
	}
	slot := now
	if ok, err := s.ClaimPost(ctx, sub.ID, slot); !ok || err != nil {
		t.Fatalf("first claim: %v, %v", ok, err)
	}
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot); ok {
		t.Fatal("second claim of a pending slot succeeded")
	}
	if err := s.FinishPost(ctx, Post{SubscriptionID: sub.ID, Slot: slot, Status: PostSent, MessageID: "m1", Said: []string{"A fact."}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot); ok {
		t.Fatal("claim of a sent slot succeeded")
	}
	last, ok, err := s.LastPost(ctx, sub.ID)
	if err != nil || !ok || last.MessageID != "m1" {
		t.Fatalf("LastPost = %+v, %v, %v", last, ok, err)
	}
	said, err := s.Said(ctx, sub.ID)
	if err != nil || len(said) != 1 || said[0] != "A fact." {
		t.Fatalf("Said = %q, %v", said, err)
	}
	// A claim left pending by a crash may be retried once it is stale.
	slot2 := slot.Add(24 * time.Hour)
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot2); !ok {
		t.Fatal("claim slot2")
	}
	now = now.Add(staleClaim + time.Minute)
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot2); !ok {
		t.Fatal("stale pending claim was not retried")
	}
	if err := s.RemoveSubscription(ctx, "other-guild", sub.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove from another guild: %v, want ErrNotFound", err)
	}
	if err := s.RemoveSubscription(ctx, "g", sub.ID); err != nil {
		t.Fatal(err)
	}
}

func TestReplaceEnvSubscriptionsKeepsIDs(t *testing.T) {
	s := openTest(t, WithoutSamples())
	ctx := context.Background()
	a := Subscription{ChannelID: "c1", Topic: "ceasefire", Spec: "0 8 * * *", TZ: "UTC"}
	b := Subscription{ChannelID: "c1", Topic: "oil", Spec: "0 8 * * *", TZ: "UTC"}
	first, err := s.ReplaceEnvSubscriptions(ctx, []Subscription{a, b})
	if err != nil || len(first) != 2 {
		t.Fatal(first, err)
	}
	second, err := s.ReplaceEnvSubscriptions(ctx, []Subscription{a})
	if err != nil || len(second) != 1 || second[0].ID != first[0].ID {
		t.Fatalf("unchanged env subscription changed ID: %+v vs %+v (%v)", second, first, err)
	}
	all, _ := s.Subscriptions(ctx)
	if len(all) != 1 {
		t.Fatalf("stale env subscription kept: %+v", all)
	}
}

func TestSuggest(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	got, err := s.Suggest(ctx, "wit", 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || !strings.Contains(strings.ToLower(got[0]), "witkoff") {
		t.Fatalf("Suggest(wit) = %q", got)
	}
	got, err = s.Suggest(ctx, "", 25)
	if err != nil || len(got) == 0 {
		t.Fatalf("Suggest('') = %q, %v", got, err)
	}
	for _, q := range []string{`"`, "%", "_", "🕊️", strings.Repeat("x", 500)} {
		if _, err := s.Suggest(ctx, q, 25); err != nil {
			t.Errorf("Suggest(%.20q): %v", q, err)
		}
	}
}

func TestSearchIngestedSince(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	s := openTest(t, WithoutSamples(), WithClock(func() time.Time { return now }))
	ctx := context.Background()
	_, err := s.Add(ctx, []Article{
		{Title: "Ceasefire stored earlier", Body: "A ceasefire story stored long ago.", Published: now.Add(-2 * time.Hour), Ingested: now.Add(-2 * time.Hour)},
		{Title: "Ceasefire fetched late", Body: "A ceasefire story fetched late.", Published: now.Add(-3 * time.Hour), Ingested: now.Add(-time.Minute)},
		{Title: "Ceasefire backlog", Body: "A ceasefire story from a new feed's backlog.", Published: now.AddDate(0, -1, 0), Ingested: now.Add(-time.Minute)},
	})
	if err != nil {
		t.Fatal(err)
	}
	opt := SearchOptions{IngestedSince: now.Add(-time.Hour), Since: now.Add(-25 * time.Hour)}
	for name, get := range map[string]func() ([]Article, error){
		"search": func() ([]Article, error) {
			hits, err := s.Search(ctx, "ceasefire", opt)
			var arts []Article
			for _, h := range hits {
				arts = append(arts, h.Article)
			}
			return arts, err
		},
		"recent": func() ([]Article, error) { return s.Recent(ctx, opt) },
	} {
		arts, err := get()
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != 1 || arts[0].Title != "Ceasefire fetched late" {
			var titles []string
			for _, a := range arts {
				titles = append(titles, a.Title)
			}
			t.Errorf("%s: got %q, want only the article fetched late", name, titles)
		}
	}
}
