package briefing

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// buildLoadCorpus reads up to limit articles that keep accepts from a JSON Lines
// corpus under ../shared/corpus, skipping the test when it is absent.
func buildLoadCorpus(t testing.TB, path string, keep func(title, body string) bool, limit int) []Article {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("corpus absent: %v", err)
	}
	arts, err := buildLoadCorpusFile(path, keep, limit)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// buildLoadCorpusFile reads up to limit articles that keep accepts.
func buildLoadCorpusFile(path string, keep func(title, body string) bool, limit int) ([]Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open corpus: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []Article
	for sc.Scan() && len(out) < limit {
		var r struct {
			ID        any    `json:"id"`
			Title     string `json:"title"`
			Body      string `json:"body"`
			Published string `json:"published"`
			Source    string `json:"source"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("decode %s: %w", path, err)
		}
		if !keep(r.Title, r.Body) {
			continue
		}
		p, _ := time.Parse(time.RFC3339, r.Published)
		src := r.Source
		if src == "reuters21578" {
			src = "Reuters"
		}
		out = append(out, Article{ID: fmt.Sprint(r.ID), Title: r.Title, Body: r.Body, Published: p, Source: src,
			URL: fmt.Sprintf("https://corpus.example/%s/%v", r.Source, r.ID)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}
