package data

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// samples are the articles a fresh install starts with: two outlets'
// reports of the same Russia-Ukraine ceasefire story, so `briefbot brief
// ceasefire` has something to say on a fresh clone.
//
//go:embed samples/*.md
var samples embed.FS

// Samples parses the embedded sample articles.
func Samples() ([]Article, error) {
	names, err := fs.Glob(samples, "samples/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Article
	for _, name := range names {
		raw, err := samples.ReadFile(name)
		if err != nil {
			return nil, err
		}
		arts, err := Parse(name, raw)
		if err != nil {
			return nil, fmt.Errorf("sample %s: %w", name, err)
		}
		out = append(out, arts...)
	}
	return out, nil
}

// loadSamplesOnce adds the samples to a store that has never had them, and
// remembers that it did, so a store its owner emptied on purpose stays empty.
func (s *Store) loadSamplesOnce(ctx context.Context) error {
	var done int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = 'samples_loaded'`).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		arts, err := Samples()
		if err != nil {
			return err
		}
		if _, err := s.Add(ctx, arts); err != nil {
			return err
		}
	}
	_, err := s.db.ExecContext(ctx, `INSERT OR REPLACE INTO meta (key, value) VALUES ('samples_loaded', '1')`)
	return err
}
