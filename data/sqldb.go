package data

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// DB is the store's database handle: a *sql.DB whose queries are written once,
// in portable SQL with ? placeholders, and run on either engine. For
// PostgreSQL each query is rebound to $1, $2, ... (cached, so once per
// distinct query) and Go booleans become the integers 0 and 1 that the schema
// stores on both engines. What truly differs between the engines lives in the
// dialect, not here.
type DB struct {
	sql *sql.DB
	d   dialect
	// rebound caches rebind's output per query text.
	rebound sync.Map
	// stmts holds the statements prepared for cachedQuery, by query text;
	// nstmts counts them (at most maxCachedStmts).
	stmts  sync.Map
	nstmts atomic.Int32
}

// maxCachedStmts bounds the statements cachedQuery keeps: the queries it
// is given are a fixed few (their text varies only with the scope's kind),
// and a bound keeps a mistaken caller from growing the cache forever.
const maxCachedStmts = 64

// q returns query as the engine wants it.
func (db *DB) q(query string) string {
	if !db.d.dollarParams() {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	r := rebind(query)
	db.rebound.Store(query, r)
	return r
}

// args converts arguments the engine cannot take as they are.
func (db *DB) args(args []any) []any {
	if !db.d.dollarParams() {
		return args
	}
	return intBools(args)
}

// ExecContext is sql.DB.ExecContext for portable SQL.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.sql.ExecContext(ctx, db.q(query), db.args(args)...)
}

// QueryContext is sql.DB.QueryContext for portable SQL.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.sql.QueryContext(ctx, db.q(query), db.args(args)...)
}

// QueryRowContext is sql.DB.QueryRowContext for portable SQL.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.sql.QueryRowContext(ctx, db.q(query), db.args(args)...)
}

// cachedQuery is QueryContext through a statement prepared once for query
// (a database/sql Stmt, which prepares it once on each connection that
// runs it). Parsing and planning a query costs about as much as running a
// small one, and a /brief runs the same few queries a few dozen times (in
// a profile of /brief "oil" at 300k stored articles, preparing was 1.5 ms
// of its CPU). Only for query texts from a fixed set: never one with
// values written into it.
func (db *DB) cachedQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, db.args(args)...)
}

// cachedQueryRow is cachedQuery for a query of one row.
func (db *DB) cachedQueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := db.stmt(ctx, query)
	if err != nil || st == nil {
		return db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, db.args(args)...)
}

// stmt returns the statement cached for query, preparing it the first
// time; nil when the cache is full.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := db.stmts.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	if db.nstmts.Load() >= maxCachedStmts {
		return nil, nil
	}
	st, err := db.sql.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	if v, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	db.nstmts.Add(1)
	return st, nil
}

// PrepareContext is sql.DB.PrepareContext for portable SQL.
func (db *DB) PrepareContext(ctx context.Context, query string) (*Stmt, error) {
	st, err := db.sql.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	return &Stmt{st: st, db: db}, nil
}

// BeginTx starts a transaction. Write transactions are serialized on both
// engines: SQLite's BEGIN IMMEDIATE takes the database's write lock, and on
// PostgreSQL the transaction takes one advisory lock first. So logic that
// reads and then writes inside a transaction (look up, then insert if
// missing) is as safe across processes on PostgreSQL as it is on SQLite,
// without retry loops for serialization failures. Single statements (claims,
// leases, upserts) need no transaction and take no such lock. A read-only
// transaction (opts.ReadOnly) takes no lock.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	return db.begin(ctx, db.sql, opts)
}

// begin starts a transaction on from (the pool or one connection of it).
func (db *DB) begin(ctx context.Context, from interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, opts *sql.TxOptions) (*Tx, error) {
	tx, err := from.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	t := &Tx{tx: tx, db: db}
	if opts == nil || !opts.ReadOnly {
		if err := db.d.lockWrites(ctx, t); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	return t, nil
}

// Close closes the database, and the statements cached for it.
func (db *DB) Close() error {
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	return db.sql.Close()
}

// Conn is one connection of the pool, held for a run of transactions.
type Conn struct {
	c  *sql.Conn
	db *DB
}

// Conn takes a connection from the pool until its Close.
func (db *DB) Conn(ctx context.Context) (*Conn, error) {
	c, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &Conn{c: c, db: db}, nil
}

// ExecContext runs a statement on the connection, outside a transaction.
func (c *Conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.c.ExecContext(ctx, c.db.q(query), c.db.args(args)...)
}

// BeginTx is DB.BeginTx on this connection.
func (c *Conn) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	return c.db.begin(ctx, c.c, opts)
}

// Close gives the connection back to the pool.
func (c *Conn) Close() error { return c.c.Close() }

// Tx is a transaction that takes portable SQL, like DB.
type Tx struct {
	tx *sql.Tx
	db *DB
}

// ExecContext is sql.Tx.ExecContext for portable SQL.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.q(query), t.db.args(args)...)
}

// QueryContext is sql.Tx.QueryContext for portable SQL.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.q(query), t.db.args(args)...)
}

// QueryRowContext is sql.Tx.QueryRowContext for portable SQL.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.q(query), t.db.args(args)...)
}

// PrepareContext is sql.Tx.PrepareContext for portable SQL.
func (t *Tx) PrepareContext(ctx context.Context, query string) (*Stmt, error) {
	st, err := t.tx.PrepareContext(ctx, t.db.q(query))
	if err != nil {
		return nil, err
	}
	return &Stmt{st: st, db: t.db}, nil
}

// prepareInsert prepares an insert of one row whose generated id, column
// col, the caller wants back (Stmt.insertID): returned by the statement or
// read from its result, as the engine does it best (dialect.lastInsertID).
func (t *Tx) prepareInsert(ctx context.Context, query, col string) (*Stmt, error) {
	return t.PrepareContext(ctx, t.db.returning(query, col))
}

// insertID runs an insert of one row and returns the row's generated id,
// column col (see prepareInsert).
func (t *Tx) insertID(ctx context.Context, query, col string, args ...any) (int64, error) {
	if t.db.d.lastInsertID() {
		return resultID(t.ExecContext(ctx, query, args...))
	}
	var id int64
	err := t.QueryRowContext(ctx, t.db.returning(query, col), args...).Scan(&id)
	return id, err
}

// returning adds a RETURNING clause for col to an insert when the engine
// returns generated ids that way.
func (db *DB) returning(query, col string) string {
	if db.d.lastInsertID() {
		return query
	}
	return query + " RETURNING " + col
}

// resultID is the generated id of an insert's result.
func resultID(r sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

// Commit commits the transaction.
func (t *Tx) Commit() error { return t.tx.Commit() }

// Rollback aborts the transaction; after Commit it does nothing.
func (t *Tx) Rollback() error { return t.tx.Rollback() }

// Stmt is a prepared statement of portable SQL.
type Stmt struct {
	st *sql.Stmt
	db *DB
}

// ExecContext runs the statement.
func (s *Stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.st.ExecContext(ctx, s.db.args(args)...)
}

// QueryContext runs the statement for rows.
func (s *Stmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return s.st.QueryContext(ctx, s.db.args(args)...)
}

// QueryRowContext runs the statement for one row.
func (s *Stmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return s.st.QueryRowContext(ctx, s.db.args(args)...)
}

// insertID runs an insert prepared by Tx.prepareInsert and returns the new
// row's id.
func (s *Stmt) insertID(ctx context.Context, args ...any) (int64, error) {
	if s.db.d.lastInsertID() {
		return resultID(s.ExecContext(ctx, args...))
	}
	var id int64
	err := s.QueryRowContext(ctx, args...).Scan(&id)
	return id, err
}

// Close closes the statement.
func (s *Stmt) Close() error { return s.st.Close() }

// rebind turns ? placeholders into PostgreSQL's $1, $2, ... A ? inside a
// string literal ('...'), a quoted identifier ("..."), a dollar-quoted
// string ($tag$...$tag$) or a comment (-- to the end of the line, /* */) is
// left alone. sqlx.Rebind (github.com/jmoiron/sqlx) replaces every ?
// without looking at quotes; this is the same job done with the quoting
// rules of PostgreSQL's lexer (https://www.postgresql.org/docs/15/sql-syntax-lexical.html).
// Portable queries never use PostgreSQL's ? operators (jsonb), so a bare ?
// is always a placeholder.
func rebind(q string) string {
	if !strings.ContainsRune(q, '?') {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		case c == '\'' || c == '"':
			// Quoted to the matching quote; a doubled quote is an escaped one
			// and simply closes and reopens. An E'' string's backslash
			// escapes one character.
			escapes := c == '\'' && i > 0 && (q[i-1] == 'E' || q[i-1] == 'e') && (i < 2 || !isIdentByte(q[i-2]))
			j := i + 1
			for j < len(q) && q[j] != c {
				if escapes && q[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(q))
			b.WriteString(q[i:j])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			// Block comments nest in PostgreSQL.
			depth, j := 1, i+2
			for j < len(q) && depth > 0 {
				switch {
				case strings.HasPrefix(q[j:], "/*"):
					depth++
					j += 2
				case strings.HasPrefix(q[j:], "*/"):
					depth--
					j += 2
				default:
					j++
				}
			}
			b.WriteString(q[i:j])
			i = j
		case c == '$' && (i == 0 || !isIdentByte(q[i-1])):
			// $tag$ ... $tag$ (the tag may be empty); $1 is a parameter.
			end := strings.IndexByte(q[i+1:], '$')
			tag := ""
			if end >= 0 {
				tag = q[i : i+1+end+1]
			}
			if tag == "" || !isDollarTag(tag[1:len(tag)-1]) {
				b.WriteByte(c)
				i++
				continue
			}
			body := strings.Index(q[i+len(tag):], tag)
			j := len(q)
			if body >= 0 {
				j = i + len(tag) + body + len(tag)
			}
			b.WriteString(q[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isDollarTag reports whether s can be the tag of a dollar-quoted string:
// empty, or an identifier that does not start with a digit.
func isDollarTag(s string) bool {
	if s == "" {
		return true
	}
	if s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}

// intBools returns args with every bool as the integer 0 or 1: the schema
// keeps booleans as integers on both engines, and PostgreSQL will not take a
// boolean for an integer column. args is not changed.
func intBools(args []any) []any {
	var out []any
	for i, a := range args {
		b, ok := a.(bool)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = 0
		if b {
			out[i] = 1
		}
	}
	if out == nil {
		return args
	}
	return out
}
