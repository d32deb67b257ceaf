package data

import (
	"context"
	"testing"
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
