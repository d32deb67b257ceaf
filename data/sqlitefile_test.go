package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReclaimOldDatabase: a database made before auto-vacuum was set is
// rewritten once by a full reclaim and is incremental from then on; a
// partial reclaim leaves it alone.
func TestReclaimOldDatabase(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	sdb, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db := &DB{sql: sdb, d: sqliteDialect{}}
	if err := migrate(ctx, db, migrations); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var arts []Article
	for i := 0; i < 300; i++ {
		arts = append(arts, Article{Title: fmt.Sprint("Story ", i), Published: time.Now().AddDate(-1, 0, 0),
			Body: fmt.Sprintf("Body %d %s", i, strings.Repeat("words and more words ", 100))})
	}
	s.now = func() time.Time { return time.Now().AddDate(-1, 0, 0) }
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prune(ctx, time.Now().AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	sz, _ := s.Size(ctx)
	if sz.Incremental || sz.Free == 0 {
		t.Fatalf("old database: %+v; want non-incremental with free pages", sz)
	}
	if freed, err := s.Reclaim(ctx, false); err != nil || freed != 0 {
		t.Errorf("partial reclaim of an old database: %d, %v; want nothing done", freed, err)
	}
	freed, err := s.Reclaim(ctx, true)
	after, _ := s.Size(ctx)
	if err != nil || freed <= 0 || !after.Incremental || after.Free != 0 {
		t.Errorf("full reclaim: freed %d, %v; now %+v", freed, err, after)
	}
}

func TestCheckFile(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s, err := Open(good)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("garbage ", 1000)), 0o644)
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite", "file:"+other)
	db.Exec(`CREATE TABLE x (a)`)
	db.Close()
	tests := []struct {
		path, want string
		exists     bool
	}{
		{good, "", true},
		{filepath.Join(dir, "new.db"), "", false},
		{dir, "is a folder", false},
		{garbage, "not an SQLite database", true},
		{other, "another program", true},
		{filepath.Join(dir, "missing", "x.db"), "does not exist", false},
	}
	for _, tt := range tests {
		fc, err := CheckFile(ctx, tt.path)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckFile(%s) = %v, want %q", filepath.Base(tt.path), err, tt.want)
		}
		if err == nil && fc.Exists != tt.exists {
			t.Errorf("CheckFile(%s).Exists = %v", filepath.Base(tt.path), fc.Exists)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); err == nil {
		t.Error("CheckFile created the file")
	}
}

func TestIsBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := sql.Open("sqlite", sqliteDSN(path, "_pragma=busy_timeout(1)&_txlock=immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	_, err = other.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('x', 'y')`)
	if !IsBusy(err) {
		t.Errorf("IsBusy(%v) = false", err)
	}
	if IsBusy(fmt.Errorf("wrapped: %w", context.DeadlineExceeded)) || IsBusy(nil) {
		t.Error("IsBusy true for other errors")
	}
}

// TestConnectBesideWriter: the pool opens a new connection, and reads on
// it, while another connection holds a write transaction (an ingest's),
// without waiting for the writer: no connection setting may need the write
// lock (as setting auto_vacuum on every connection did), and a new file is
// still made auto-vacuum.
func TestConnectBesideWriter(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	s := openTest(t)
	var mode int
	if err := s.db.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil || mode != 2 {
		t.Fatalf("auto_vacuum %d (%v), want 2 (incremental) in a new file", mode, err)
	}
	writer, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	tx, err := writer.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('held', '1')`); err != nil {
		t.Fatal(err)
	}
	// Every other connection the pool may open, each new.
	s.db.sql.SetMaxIdleConns(0)
	rctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	for i := range 3 {
		c, err := s.db.sql.Conn(rctx)
		if err != nil {
			t.Fatalf("connection %d beside the writer: %v", i, err)
		}
		var n int
		err = c.QueryRowContext(rctx, `SELECT count(*) FROM meta WHERE key = 'held'`).Scan(&n)
		c.Close()
		if err != nil || n != 0 {
			t.Fatalf("read %d beside the writer: %d, %v", i, n, err)
		}
	}
}
