package data

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT * FROM t WHERE a = ? AND b = ?`, `SELECT * FROM t WHERE a = $1 AND b = $2`},
		{`INSERT INTO t (a) VALUES ('?'), (?)`, `INSERT INTO t (a) VALUES ('?'), ($1)`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT E'a\'?', ?`, `SELECT E'a\'?', $1`},
		{`SELECT e'\\', ?`, `SELECT e'\\', $1`},
		{`SELECT 'a\', ?`, `SELECT 'a\', $1`}, // no E: a backslash is a plain character
		{`SELECT "odd?name" FROM t WHERE x = ?`, `SELECT "odd?name" FROM t WHERE x = $1`},
		{"SELECT ? -- a comment?\n, ?", "SELECT $1 -- a comment?\n, $2"},
		{`SELECT /* why? /* nested? */ still? */ ?`, `SELECT /* why? /* nested? */ still? */ $1`},
		{`SELECT $$what?$$, ?`, `SELECT $$what?$$, $1`},
		{`SELECT $tag$ $$ ? $tag$, ?`, `SELECT $tag$ $$ ? $tag$, $1`},
		{`SELECT a$b, ?`, `SELECT a$b, $1`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
		{`SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`, `SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11`},
	}
	for _, tt := range tests {
		if got := rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

var (
	placeholderRE  = regexp.MustCompile(`\$[0-9]+`)
	digitAfterMark = regexp.MustCompile(`\?([0-9])`)
)

// FuzzRebind checks that rebind only ever turns a ? into the next $n: put
// the ? back and the query is as it was.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{`SELECT ? WHERE '?' = ?`, `"a?" -- ?` + "\n?", `/* ? */ ?`, `E'\'?'?`, `$x$?$x$?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		// Digits after a $ in the input would read as placeholders, and
		// so would digits after a ? (SQLite's ?NNN, not portable SQL).
		q = strings.ReplaceAll(q, "$", "$x")
		q = digitAfterMark.ReplaceAllString(q, "? $1")
		got := rebind(q)
		n := 0
		back := placeholderRE.ReplaceAllStringFunc(got, func(p string) string {
			n++
			if p != "$"+strconv.Itoa(n) {
				t.Fatalf("rebind(%q) = %q: placeholder %s where $%d belongs", q, got, p, n)
			}
			return "?"
		})
		if back != q {
			t.Fatalf("rebind(%q) = %q changed more than placeholders", q, got)
		}
		if !strings.Contains(q, "?") && got != q {
			t.Fatalf("rebind(%q) = %q without a ?", q, got)
		}
	})
}

func TestIntBools(t *testing.T) {
	in := []any{true, false, "x", int64(3)}
	got := intBools(in)
	if got[0] != 1 || got[1] != 0 || got[2] != "x" || got[3] != int64(3) {
		t.Errorf("intBools = %v", got)
	}
	if in[0] != true {
		t.Error("intBools changed its argument")
	}
}

// The engine runs what the wrapper sends: quoted question marks stay text,
// booleans land in integer columns.
func TestPortableQueries(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var lit, arg string
	var yes, no int
	err := s.db.QueryRowContext(ctx, `SELECT '?', ?, ? + 0, ? + 0 -- and a ? in a comment`, "arg", true, false).Scan(&lit, &arg, &yes, &no)
	if err != nil || lit != "?" || arg != "arg" || yes != 1 || no != 0 {
		t.Fatalf("got %q %q %d %d, %v", lit, arg, yes, no, err)
	}
	// A prepared statement in a transaction is rebound too.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) RETURNING key`)
	if err != nil {
		t.Fatal(err)
	}
	var key string
	if err := st.QueryRowContext(ctx, "k?", "v").Scan(&key); err != nil || key != "k?" {
		t.Fatalf("prepared insert: %q, %v", key, err)
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestCachedQuery: a query text is prepared once and its answers follow the
// data; past maxCachedStmts texts a query still runs, uncached; a cached
// statement is rebound like any other query (on PostgreSQL), and Close
// closes it.
func TestCachedQuery(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	read := func(key string) (string, error) {
		var v string
		err := s.db.cachedQueryRow(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
		return v, err
	}
	before := s.db.nstmts.Load()
	for i, v := range []string{"one", "two"} {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('cached', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, v); err != nil {
			t.Fatal(err)
		}
		if got, err := read("cached"); err != nil || got != v {
			t.Fatalf("read %d: %q, %v; want %q", i, got, err, v)
		}
	}
	if got := s.db.nstmts.Load() - before; got != 1 {
		t.Fatalf("one query text prepared %d statements", got)
	}
	if _, err := read("absent"); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("absent key: %v", err)
	}
	// Fill the cache with distinct texts: every query still answers.
	for i := 0; i < maxCachedStmts+5; i++ {
		rows, err := s.db.cachedQuery(ctx, `SELECT ? + `+strconv.Itoa(i), 1)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if !rows.Next() || rows.Scan(&n) != nil || n != 1+i {
			t.Fatalf("query %d: %d", i, n)
		}
		rows.Close()
	}
	if n := s.db.nstmts.Load(); n != maxCachedStmts {
		t.Fatalf("%d statements cached, want the bound %d", n, maxCachedStmts)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := read("cached"); err == nil {
		t.Fatal("a cached statement answered after Close")
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"briefbot.db", "briefbot.db"},
		{"postgres://bot:s3cret@db:5432/briefbot", "postgres://bot:xxxxx@db:5432/briefbot"},
		{"postgresql://bot@db/briefbot", "postgresql://bot@db/briefbot"},
		{"postgres://db/briefbot?x=a@b", "postgres://db/briefbot?x=a@b"},
		{"postgres://bot:p@ss@db/b", "postgres://bot:xxxxx@db/b"},
	}
	for _, tt := range tests {
		if got := RedactDSN(tt.in); got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
