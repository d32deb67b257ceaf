// Package pgtest gives a test a fresh, empty PostgreSQL schema of its own when
// BRIEFBOT_TEST_DATABASE_URL names a server (see .ci/pg.sh), so the store's
// tests run against PostgreSQL as well as SQLite.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// EnvURL names the variable that holds the test server's URL, such as
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const EnvURL = "BRIEFBOT_TEST_DATABASE_URL"

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// Enabled reports whether tests run against PostgreSQL.
func Enabled() bool { return os.Getenv(EnvURL) != "" }

// URL returns the URL of a new empty schema on the test server, dropped when
// the test ends, or "" when no server is configured. The schema is the
// first on the URL's search_path, so everything a store creates lands in it.
// A configured server that cannot be reached fails the test: only .ci/pg.sh
// decides whether there is a server.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return ""
	}
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", base)
		if adminErr == nil {
			admin.SetMaxOpenConns(4)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			adminErr = admin.PingContext(ctx)
		}
	})
	if adminErr != nil {
		t.Fatalf("%s=%s: %v", EnvURL, base, adminErr)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
