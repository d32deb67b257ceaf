package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/briefbot/briefbot/internal/pgtest"
)

// openTest opens a fresh store: an SQLite file in a temporary folder or, when
// BRIEFBOT_TEST_DATABASE_URL names a PostgreSQL server, a schema of its own
// there. So the whole suite runs on either engine (.ci/run runs it on both).
func openTest(t testing.TB, opts ...Option) *Store {
	t.Helper()
	s, err := Open(testDSN(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testDSN names a fresh database for the engine under test.
func testDSN(t testing.TB) string {
	if u := pgtest.URL(t); u != "" {
		return u
	}
	return filepath.Join(t.TempDir(), "test.db")
}

// sqliteOnly skips a test of SQLite's own files and pragmas when the suite
// runs on PostgreSQL.
func sqliteOnly(t testing.TB) {
	t.Helper()
	if pgtest.Enabled() {
		t.Skip("tests SQLite itself; the suite is running on PostgreSQL")
	}
}

// The store's code passes a context to every query; tests may be brief.

func (db *DB) Exec(query string, args ...any) (sql.Result, error) {
	return db.ExecContext(context.Background(), query, args...)
}

func (db *DB) QueryRow(query string, args ...any) *sql.Row {
	return db.QueryRowContext(context.Background(), query, args...)
}

func (db *DB) Query(query string, args ...any) (*sql.Rows, error) {
	return db.QueryContext(context.Background(), query, args...)
}
