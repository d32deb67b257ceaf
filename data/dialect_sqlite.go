package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
)

// sqliteDialect is SQLite through modernc.org/sqlite: FTS5 for search, PRAGMA
// user_version for the schema version.
type sqliteDialect struct{}

// sqliteOptions are the store's connection settings (see sqliteDSN). WAL
// lets readers run beside the one writer; _txlock=immediate makes every
// transaction take the write lock at BEGIN, so two writers never deadlock
// upgrading read locks (and DB.BeginTx's promise holds). auto_vacuum is not
// among them: see newFileAutoVacuum.
//
// Pages stay SQLite's default 4 KB. 8 KB pages halved the log frames an
// ingest writes (10,000 articles into the 100k store: 45-54k frames of 4
// KB, 27k of 8 KB) and took it from about 1,800 to 1,940 articles/s, but
// made /brief at 300k a fifth slower (oil 49-51 -> 60-64 ms median): the
// page cache, sized in KB, holds half as many pages, and a search's
// scattered candidate lookups cost a page each whatever its size.
//
// Nor do connections read through a memory map (mmap_size): it cut a
// /brief's CPU at 300k by about an eighth (no more pread copies), but every
// page a brief touches then counts in the process's resident memory:
// `briefbot run` at 300k went from 63 MB to 294 MB after 100 /brief
// (TestRunResidentMemory), against the 80 MB a small box is promised.
const sqliteOptions = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)&_pragma=cache_size(-8000)&_pragma=temp_store(2)&_txlock=immediate"

// newFileAutoVacuum makes a new database file (none yet, or empty) give
// pages back on request (Reclaim); an older one needs a VACUUM first, as
// auto_vacuum takes effect only while the file has no header yet (switching
// to WAL writes one). It is set once, by a connection of its own made
// before the pool's, rather than by every connection the pool opens:
// setting it runs a write transaction, so a connection opened while a
// writer held the database (a /brief's read beside an ingest) waited for
// the writer's whole transaction.
// https://www.sqlite.org/pragma.html#pragma_auto_vacuum
func newFileAutoVacuum(ctx context.Context, path string) error {
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		return nil
	}
	db, err := sql.Open("sqlite", sqliteDSN(path, "_pragma=busy_timeout(10000)&_pragma=auto_vacuum(2)&_pragma=journal_mode(WAL)"))
	if err != nil {
		return err
	}
	defer db.Close()
	return ping(ctx, db, sqliteDialect{})
}

func (sqliteDialect) name() string       { return "sqlite" }
func (sqliteDialect) dollarParams() bool { return false }
func (sqliteDialect) migrations() []string {
	return migrations
}

// bulkWrites sets the connection up for a bulk ingest (on) or back.
//
// Its automatic checkpoint goes off, or back to SQLite's default of 1000
// pages. A batch of a thousand articles fills more than that, so every
// batch's commit copied the log into the database before the writer could
// go on (a tenth of the writer's time at 100k articles); with checkpoint
// run by another connection after its commits (bulkCheckpointCommits), the
// copy overlaps the next batches. PASSIVE checkpoints never block the writer, and a later writer
// still restarts the log once it is copied.
// https://www.sqlite.org/wal.html#automatic_checkpoint
//
// Its page cache stays at the store's 8 MB. A bulk transaction dirties
// some 9,000 pages (see bulkTxArticles), and a cache of 64 MB took the
// file reads and writes of ingesting 10,000 articles into the 100k store
// from 480k to 293k (strace -c), but not the CPU: modernc's SQLite puts
// each cached page in an 8 KB slot of its own allocator, whose regions,
// given back as the cache recycles and shrinks, cost as much in madvise
// calls (CPU profiles of the same ingest, interleaved: 11.9 and 11.9 s).
func (sqliteDialect) bulkWrites(ctx context.Context, c *Conn, on bool) error {
	pages := 1000
	if on {
		pages = 0
	}
	_, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", pages))
	return err
}

func (sqliteDialect) checkpoint(ctx context.Context, db *DB) error {
	_, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	return err
}

// lockWrites has nothing to do: _txlock=immediate took the lock at BEGIN.
func (sqliteDialect) lockWrites(context.Context, *Tx) error { return nil }

func (sqliteDialect) schemaVersion(ctx context.Context, tx *Tx) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func (sqliteDialect) setSchemaVersion(ctx context.Context, tx *Tx, v int) error {
	_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}

func (sqliteDialect) insertFTS() string {
	return `INSERT INTO articles_fts (rowid, title, body, focus) VALUES (?, ?, ?, ?)`
}

// ftsRank ranks with FTS5's bm25() (negative, lower is better; negated
// here), which reads every match: the search keeps the matches it ranks few
// (see Store.match).
func (sqliteDialect) ftsRank() string {
	return fmt.Sprintf(`SELECT rowid AS seq, -bm25(articles_fts, %g, 1.0, 0.0) AS score FROM articles_fts
		WHERE articles_fts MATCH ?`, titleWeight)
}

func (sqliteDialect) focusRanks() bool { return true }

func (sqliteDialect) ftsMatches() string {
	return `SELECT rowid AS seq FROM articles_fts WHERE articles_fts MATCH ?`
}

func (sqliteDialect) ftsFocus(tokens []string, expr string) string {
	return `focus : ("` + strings.Join(tokens, `" OR "`) + `") AND (` + expr + `)`
}

// ftsExpr writes groups as an FTS5 expression of quoted strings only. A
// hyphenated group matches either as the phrase or as the joined word, which
// the index also holds.
func (sqliteDialect) ftsExpr(groups [][]string, all bool) string {
	terms := make([]string, len(groups))
	for i, g := range groups {
		if len(g) == 1 {
			terms[i] = `"` + g[0] + `"`
			continue
		}
		terms[i] = `("` + strings.Join(g, " ") + `" OR "` + strings.Join(g, "") + `")`
	}
	return strings.Join(terms, map[bool]string{true: " AND ", false: " OR "}[all])
}

// indexText: FTS5's unicode61 tokenizer folds diacritics itself.
func (sqliteDialect) indexText(s string) string { return s }

// lastInsertID is true: SQLite's RETURNING builds a temporary table at
// every execution, and an insert that returned its id took 25-30 µs where
// the same insert and sqlite3_last_insert_rowid took 5 (a story row into
// an empty store, in one transaction). The id is the inserted row's even
// when its triggers insert rows of their own (the articles' counters):
// https://www.sqlite.org/c3ref/last_insert_rowid.html
func (sqliteDialect) lastInsertID() bool { return true }

// articlesBySeq names the covering index: SQLite looks a seq up in the
// table itself whenever it can, and an article's row there, its text
// inline, is a page read of its own.
func (sqliteDialect) articlesBySeq() string { return `articles a INDEXED BY articles_seq_meta` }
