package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestMigrationsPaired(t *testing.T) {
	if len(migrations) != len(pgMigrations) {
		t.Fatalf("SQLite has %d schema steps, PostgreSQL %d: add each step to both (schema.go, schema_postgres.go)",
			len(migrations), len(pgMigrations))
	}
}

func TestMigrateExistingDatabase(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	// A database as the first release left it: schema version 1 with data.
	db, err := openDB(ctx, path)
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
	// Autocomplete keys as schema 2 wrote them, a NUL before the name.
	if err := migrate(ctx, db, migrations[:2]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO terms (term, display, n) VALUES ('witkoff'||char(0)||'steve witkoff', 'Steve Witkoff', 3),
		('steve witkoff', 'Steve Witkoff', 3)`); err != nil {
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
	for _, prefix := range []string{"", "wit", "ste"} {
		got, err := s.Suggest(ctx, SharedOnly(), prefix, 5)
		if err != nil || len(got) != 1 || got[0] != "Steve Witkoff" {
			t.Errorf("Suggest(%q) after migration = %q, %v; want [Steve Witkoff]", prefix, got, err)
		}
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	sqliteOnly(t)
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

// Processes that start together against one empty database migrate it once
// and all open it.
func TestOpenConcurrently(t *testing.T) {
	dsn := testDSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dsn)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
		}
	}
	s, err := Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	err = s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM articles`).Scan(&v)
	if err != nil {
		t.Fatalf("store after concurrent opens: %v", err)
	}
}

func TestMigrateCountsAndGroupsExistingArticles(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	s := openMigrated(t, 4, `INSERT INTO articles (id, title, source, ingested, text_key, body) VALUES
		('x1', 'One', 'AP', 1, 'k1', 'One.'), ('x2', 'Two', 'AP', 2, 'k2', 'Two.'), ('x3', 'Three', '', 3, 'k3', 'Three.')`)
	st, err := s.Stats(ctx, AllArticles())
	if err != nil || st.Articles != 3 || st.Sources != 1 || len(st.TopSources) != 1 || st.TopSources[0] != "AP" {
		t.Fatalf("stats of a migrated store: %+v, %v", st, err)
	}
	hits, err := s.Search(ctx, "two", SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].ID != "x2" {
		t.Fatalf("search of a migrated store: %d hits, %v", len(hits), err)
	}
	// Stories were made for the articles stored before there were any.
	stories, err := s.Stories(ctx, StoryOptions{})
	reports := 0
	for _, st := range stories {
		reports += st.Reports
	}
	if err != nil || reports != 3 || partition(t, s) == nil {
		t.Fatalf("stories of a migrated store: %+v, %v", stories, err)
	}
}

// openMigrated opens a SQLite store whose database was at schema version v
// (the first v migrations) holding the given rows: what an upgrade meets.
func openMigrated(t *testing.T, v int, rows string) *Store {
	t.Helper()
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, migrations[:v]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(rows); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
