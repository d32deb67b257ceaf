package data

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestSearchSamples(t *testing.T) {
	s := openWithSamples(t)
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
	s := openTest(t)
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
	s := openWithSamples(t)
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
	s := openWithSamples(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.Search(ctx, q, SearchOptions{Limit: 3}); err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}

func TestSearchSinceAndRecency(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	s := openTest(t, WithClock(func() time.Time { return now }))
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

func TestSearchIngestedSince(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	s := openTest(t, WithClock(func() time.Time { return now }))
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
