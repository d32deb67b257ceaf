package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the pure-Go "sqlite" driver
)

// dialect is what differs between SQLite and PostgreSQL. Everything else in
// the store is one portable SQL text for both engines (see DB). Keep this
// small: a difference that portable SQL can express belongs in the query.
type dialect interface {
	// name is "sqlite" or "postgres", for messages.
	name() string
	// dollarParams says placeholders are $n, not ?.
	dollarParams() bool
	// lockWrites serializes write transactions (see DB.BeginTx).
	lockWrites(ctx context.Context, tx *Tx) error
	// bulkWrites sets a connection for a long run of write transactions
	// (on) and back (off): its commits leave the write-ahead log to
	// checkpoint, which another connection runs meanwhile.
	bulkWrites(ctx context.Context, c *Conn, on bool) error
	// checkpoint copies the write-ahead log into the database as far as
	// it can without waiting for anyone.
	checkpoint(ctx context.Context, db *DB) error
	// migrations are this engine's schema steps; step i of one engine makes
	// the same tables as step i of the other.
	migrations() []string
	// schemaVersion reads how many migrations have run; setSchemaVersion
	// records it inside the migration's transaction.
	schemaVersion(ctx context.Context, tx *Tx) (int, error)
	setSchemaVersion(ctx context.Context, tx *Tx, v int) error

	// insertFTS is the statement that indexes an article: its arguments
	// are the article's seq, its title's index text, its body's and its
	// focus tokens (see searchindex.go).
	insertFTS() string
	// ftsRank is a query for the matches of a full-text expression (its
	// one argument), as rows (seq, score) with a higher score a better
	// match, title matches weighing titleWeight times body matches and
	// focus tokens nothing. A caller may append ORDER BY seq DESC LIMIT ?.
	ftsRank() string
	// ftsMatches is the matches of an expression as rows (seq), unranked.
	ftsMatches() string
	// ftsFocus is an expression for the matches of expr that hold any of
	// the focus tokens.
	ftsFocus(tokens []string, expr string) string
	// focusRanks says whether ftsRank orders matches as the focus tiers
	// do (BM25's term-frequency saturation), so that Store.match may rank
	// only the top tiers of a common word; otherwise it ranks every match.
	focusRanks() bool
	// ftsExpr writes query word groups (see queryGroups) as the engine's
	// full-text expression, all groups joined by AND (all true) or OR.
	ftsExpr(groups [][]string, all bool) string
	// indexText is text as the engine's full-text index should get it.
	indexText(s string) string
	// lastInsertID says an insert's generated id is read from its result
	// (sql.Result.LastInsertId) rather than returned by the statement
	// (RETURNING): see Tx.prepareInsert.
	lastInsertID() bool
	// articlesBySeq is the articles table, aliased a, for a query that
	// looks up many articles by seq and reads only their times, shared,
	// story_id and id (see the schema's step 13).
	articlesBySeq() string

	// size measures the database; reclaim gives free space back (see
	// Store.Reclaim), before being the size measured just before.
	size(ctx context.Context, db *DB) (DBSize, error)
	reclaim(ctx context.Context, db *DB, before DBSize, full bool) error
}

// IsBusy reports whether err is the database being held by other work for
// longer than the store waits: a condition that passes, worth trying again
// later.
func IsBusy(err error) bool {
	return err != nil && (sqliteBusy(err) || postgresBusy(err))
}

// IsPostgresURL reports whether dsn names a PostgreSQL server (a postgres://
// or postgresql:// URL) rather than an SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openDB opens the database dsn names: a postgres:// or postgresql:// URL
// is a PostgreSQL server, anything else an SQLite file path.
func openDB(ctx context.Context, dsn string) (*DB, error) {
	var d dialect = sqliteDialect{}
	driver, source := "sqlite", sqliteDSN(dsn, sqliteOptions)
	if IsPostgresURL(dsn) {
		d, driver, source = postgresDialect{}, "pgx", dsn
	}
	if d.name() == "sqlite" {
		if err := newFileAutoVacuum(ctx, dsn); err != nil {
			return nil, err
		}
	}
	sdb, err := sql.Open(driver, source)
	if err != nil {
		return nil, err
	}
	if _, ok := d.(postgresDialect); ok {
		// A server takes many connections; bound them so that several bot
		// processes stay well under max_connections (100 by default).
		sdb.SetMaxOpenConns(10)
		sdb.SetMaxIdleConns(4)
	} else {
		sdb.SetMaxOpenConns(4)
		sdb.SetMaxIdleConns(2)
	}
	if err := ping(ctx, sdb, d); err != nil {
		sdb.Close()
		return nil, err
	}
	return &DB{sql: sdb, d: d}, nil
}

// ping makes the first connection. A new SQLite file's first connections
// switch it to WAL, which needs the file to itself and gets SQLITE_BUSY at
// once, without waiting out busy_timeout, while another process (a bot and
// a `briefbot ingest` started together) does the same: SQLite does not wait
// where waiting could deadlock (https://www.sqlite.org/wal.html#sometimes_queries_return_sqlite_busy_in_wal_mode).
// The switch takes milliseconds, so a busy first connection is tried again
// for as long as busy_timeout (sqliteOptions) would have waited.
func ping(ctx context.Context, sdb *sql.DB, d dialect) error {
	deadline := time.Now().Add(10 * time.Second)
	wait := 5 * time.Millisecond
	for {
		err := sdb.PingContext(ctx)
		if err == nil || d.name() != "sqlite" || !sqliteBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// RedactDSN is dsn fit for a message: a URL's password is hidden.
func RedactDSN(dsn string) string {
	if !IsPostgresURL(dsn) {
		return dsn
	}
	scheme, rest, _ := strings.Cut(dsn, "://")
	at := strings.LastIndex(rest, "@")
	if slash := strings.IndexByte(rest, '/'); at < 0 || (slash >= 0 && slash < at) {
		return dsn
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return dsn
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// migrate brings the database schema up to date. Each step runs in its own
// write transaction (both engines have transactional DDL), so a failure
// leaves the database at the last good version, and two processes starting
// together migrate once: the second finds the work done.
func migrate(ctx context.Context, db *DB, steps []string) error {
	for {
		done, err := migrateStep(ctx, db, steps)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep runs the next migration, if any; done says there was none.
func migrateStep(ctx context.Context, db *DB, steps []string) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	v, err := db.d.schemaVersion(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case v > len(steps):
		return false, fmt.Errorf("database schema version %d is newer than this briefbot knows (%d): upgrade briefbot", v, len(steps))
	case v == len(steps):
		return true, tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, steps[v]); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", v+1, err)
	}
	if err := db.d.setSchemaVersion(ctx, tx, v+1); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate to schema version %d: %w", v+1, err)
	}
	return false, nil
}
