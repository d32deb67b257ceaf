package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/pgtest"
)

// postgresOnly skips a test of PostgreSQL's side when the suite runs on SQLite.
func postgresOnly(t testing.TB) string {
	t.Helper()
	u := pgtest.URL(t)
	if u == "" {
		t.Skip("needs PostgreSQL: set " + pgtest.EnvURL + " (see .ci/pg.sh)")
	}
	return u
}

func TestCheckPostgres(t *testing.T) {
	ctx := context.Background()
	fresh := postgresOnly(t)
	if fc, err := CheckFile(ctx, fresh); err != nil || fc.Exists {
		t.Errorf("empty schema: %+v, %v; want fine and not yet made", fc, err)
	}
	s, err := Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, []Article{{Title: "One", Body: "Body one."}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	fc, err := CheckFile(ctx, fresh)
	if err != nil || !fc.Exists || fc.Articles != 1 || fc.Bytes == 0 {
		t.Errorf("briefbot schema: %+v, %v; want it found with 1 article", fc, err)
	}

	other := pgtest.URL(t)
	db, err := openDB(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	db.ExecContext(ctx, `CREATE TABLE x (a INT)`)
	db.Close()
	if _, err := CheckFile(ctx, other); err == nil || !strings.Contains(err.Error(), "another program") {
		t.Errorf("a schema of another program: %v", err)
	}

	newer := pgtest.URL(t)
	s, err = Open(newer)
	if err != nil {
		t.Fatal(err)
	}
	s.db.ExecContext(ctx, `UPDATE schema_version SET version = 999`)
	s.Close()
	if _, err := CheckFile(ctx, newer); err == nil || !strings.Contains(err.Error(), "newer briefbot") {
		t.Errorf("a newer schema: %v", err)
	}
	if _, err := Open(newer); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema: %v, want a clear error", err)
	}

	// Nothing listens on port 1.
	if _, err := CheckFile(ctx, "postgres://briefbot:secret@127.0.0.1:1/briefbot?connect_timeout=2"); err == nil || !strings.Contains(err.Error(), "cannot be reached") {
		t.Errorf("unreachable server: %v", err)
	}
	if _, err := Open("postgres://briefbot:secret@127.0.0.1:1/briefbot?connect_timeout=2"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open of an unreachable server: %v; want an error without the password", err)
	}
}

func TestReclaimPostgres(t *testing.T) {
	postgresOnly(t)
	ctx := context.Background()
	s := openTest(t, WithClock(func() time.Time { return time.Now().AddDate(-1, 0, 0) }))
	var arts []Article
	for i := 0; i < 300; i++ {
		arts = append(arts, Article{Title: fmt.Sprint("Story ", i), Published: time.Now().AddDate(-1, 0, 0),
			Body: fmt.Sprintf("Body %d %s", i, strings.Repeat("words and more words ", 100))})
	}
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	before, err := s.Size(ctx)
	if err != nil || before.Bytes == 0 || !before.Incremental {
		t.Fatalf("size: %+v, %v", before, err)
	}
	if _, err := s.Prune(ctx, time.Now().AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	if freed, err := s.Reclaim(ctx, false); err != nil || freed != 0 {
		t.Errorf("partial reclaim: %d, %v; want nothing done (autovacuum's job)", freed, err)
	}
	if freed, err := s.Reclaim(ctx, true); err != nil || freed <= 0 {
		t.Errorf("full reclaim: freed %d, %v", freed, err)
	}
}
