package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAddDeduplicates(t *testing.T) {
	s := openTest(t)
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

// TestAddReturnsSeqs: add gives each article the row it is stored as, and
// each article a story that is stored, though the article's insert fires
// a trigger inserting rows of its own (an outlet's first article adds the
// outlet's row): an id read after the trigger would be the outlet's. The
// outlets come in orders whose rows number unlike the articles.
func TestAddReturnsSeqs(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		sources []string
	}{
		{"one outlet", []string{"Alpha", "Alpha", "Alpha"}},
		{"a new outlet late", []string{"Alpha", "Alpha", "Alpha", "Beta"}},
		{"new outlets between", []string{"Alpha", "Beta", "Alpha", "Gamma", "Delta", "Alpha"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t)
			// A first batch, so the second's rows number past the outlets'.
			if _, err := s.Add(ctx, []Article{{Title: "Earlier", Source: "Omega", URL: "https://o.example/0", Body: "An earlier report on grain."}}); err != nil {
				t.Fatal(err)
			}
			var arts []Article
			for i, src := range tt.sources {
				arts = append(arts, Article{Title: fmt.Sprintf("Report %d from %s", i, src), Source: src,
					URL: fmt.Sprintf("https://%s.example/%d", strings.ToLower(src), i), Body: fmt.Sprintf("Report %d: the %s harbour reopened on day %d.", i, src, i)})
			}
			_, seqs, err := s.add(ctx, arts, false, sharedVisibility)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range arts {
				var seq int64
				if err := s.db.QueryRow(`SELECT seq FROM articles WHERE url = ?`, a.URL).Scan(&seq); err != nil || seqs[i] != seq {
					t.Errorf("%s: returned row %d, stored as %d (%v)", a.Title, seqs[i], seq, err)
				}
			}
			var orphans int
			if err := s.db.QueryRow(`SELECT count(*) FROM articles WHERE story_id NOT IN (SELECT id FROM stories WHERE reports > 0)`).Scan(&orphans); err != nil || orphans != 0 {
				t.Errorf("%d articles in no stored story (%v)", orphans, err)
			}
		})
	}
}

// openWithSamples opens a fresh store holding the sample articles.
func openWithSamples(t testing.TB) *Store {
	t.Helper()
	s := openTest(t)
	arts, err := Samples()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStatsCounters(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	arts := []Article{
		{Title: "A", Source: "Reuters", Body: "One.", Published: day(3)},
		{Title: "B", Source: "Reuters", Body: "Two.", Published: day(1)},
		{Title: "C", Source: "AP", Body: "Three.", Published: day(9)},
		{Title: "D", Body: "Four, from no named outlet.", Published: day(5)},
	}
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		change  string
		want    Stats
		wantTop []string
	}{
		{"after add", "", Stats{Articles: 4, Sources: 2, Oldest: day(1), Newest: day(9)}, []string{"Reuters", "AP"}},
		{"after delete", `DELETE FROM articles WHERE title = 'C'`, Stats{Articles: 3, Sources: 1, Oldest: day(1), Newest: day(5)}, []string{"Reuters"}},
		{"all deleted", `DELETE FROM articles`, Stats{}, nil},
	}
	for _, tt := range tests {
		if tt.change != "" {
			if _, err := s.db.Exec(tt.change); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.Stats(ctx, AllArticles())
		if err != nil {
			t.Fatal(err)
		}
		if st.Articles != tt.want.Articles || st.Sources != tt.want.Sources || !st.Oldest.Equal(tt.want.Oldest) ||
			!st.Newest.Equal(tt.want.Newest) || strings.Join(st.TopSources, ",") != strings.Join(tt.wantTop, ",") {
			t.Errorf("%s: %+v, want %+v top %v", tt.name, st, tt.want, tt.wantTop)
		}
	}
}
