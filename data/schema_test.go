package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

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
