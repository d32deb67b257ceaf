package data

import (
	"context"
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
