package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"sync/atomic"
)

// samples are a demo, never data: two outlets' reports of the same
// Russia-Ukraine ceasefire story, so `briefbot brief ceasefire` has
// something to say on a fresh clone. They are never stored; a store with no
// articles is briefed from SampleStore instead, and says so.
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

var sampleStore struct {
	once sync.Once
	s    *Store
	err  error
}

// sampleDBs numbers the in-memory sample databases (one a process, but
// tests may make more).
var sampleDBs atomic.Int64

// SampleStore returns a store in memory holding only the samples, made once
// a process: what briefings and searches read while the real store has no
// article. Nothing written to it is kept.
func SampleStore() (*Store, error) {
	sampleStore.once.Do(func() {
		sampleStore.s, sampleStore.err = openSamples(context.Background())
	})
	return sampleStore.s, sampleStore.err
}

func openSamples(ctx context.Context) (*Store, error) {
	// Every connection of a shared-cache memory database with one name sees
	// the same database.
	name := fmt.Sprintf("file:briefbot-samples-%d?mode=memory&cache=shared&_pragma=foreign_keys(1)", sampleDBs.Add(1))
	sdb, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("sample store: %w", err)
	}
	// One connection: shared-cache memory databases lock per table, and
	// the samples are read one query at a time.
	sdb.SetMaxOpenConns(1)
	db := &DB{sql: sdb, d: sqliteDialect{}}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("sample store: %w", err)
	}
	s := newStore(db, openConfig{})
	arts, err := Samples()
	if err != nil {
		db.Close()
		return nil, err
	}
	if _, err := s.Add(ctx, arts); err != nil {
		db.Close()
		return nil, fmt.Errorf("sample store: %w", err)
	}
	return s, nil
}

// legacySampleIDs are the IDs briefbot releases up to b1b4566 gave the
// samples when they stored them in every new database (recorded in meta as
// samples_loaded).
var legacySampleIDs = []any{"7f531481a52e42d2", "8306be7a6864c180"}

// removeLegacySamples deletes the sample articles an earlier release stored,
// once: a database that never had them, or has been cleaned, is left alone.
func (s *Store) removeLegacySamples(ctx context.Context) error {
	var loaded int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = 'samples_loaded'`).Scan(&loaded); err != nil {
		return err
	}
	if loaded == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := s.deleteArticles(ctx, tx, `id IN (?, ?)`, legacySampleIDs...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'samples_loaded'`); err != nil {
		return err
	}
	return tx.Commit()
}
