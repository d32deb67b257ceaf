package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// postgresDialect is PostgreSQL through pgx's database/sql driver: tsvector
// and a GIN index for search, a schema_version table for the schema version.
type postgresDialect struct{}

func (postgresDialect) name() string       { return "postgres" }
func (postgresDialect) dollarParams() bool { return true }
func (postgresDialect) migrations() []string {
	return pgMigrations
}

// lockWrites takes a transaction-scoped advisory lock, the same one for every
// write transaction on this schema: PostgreSQL's twin of SQLite's single
// writer (see DB.BeginTx). Keyed by the schema so that installs (and tests)
// in separate schemas of one database do not wait for each other.
func (postgresDialect) lockWrites(ctx context.Context, tx *Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('briefbot:' || coalesce(current_schema(), '')))`)
	if err != nil {
		return fmt.Errorf("lock for writing: %w", err)
	}
	return nil
}

// bulkWrites and checkpoint have nothing to do: the server checkpoints.
func (postgresDialect) bulkWrites(context.Context, *Conn, bool) error { return nil }
func (postgresDialect) checkpoint(context.Context, *DB) error         { return nil }

func (postgresDialect) schemaVersion(ctx context.Context, tx *Tx) (int, error) {
	// Created here rather than by a migration: it records the migrations.
	// Under the write lock, so two processes starting together do not race.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`); err != nil {
		return 0, err
	}
	var v int
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

func (postgresDialect) setSchemaVersion(ctx context.Context, tx *Tx, v int) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, v)
	return err
}

// ftsConfig is the text search configuration: English, with the Snowball
// English stemmer (Porter's successor; SQLite's index uses Porter's).
const ftsConfig = "english"

// insertFTS weights title lexemes A, body lexemes D and focus tokens C
// (taken as they are, by the simple configuration); ftsRank's weights make an
// A match count titleWeight times a D match, and a C match nothing.
func (postgresDialect) insertFTS() string {
	return `INSERT INTO articles_fts (rowid, tsv) VALUES (?,
		setweight(to_tsvector('` + ftsConfig + `', ?), 'A') || setweight(to_tsvector('` + ftsConfig + `', ?), 'D') ||
		setweight(to_tsvector('simple', ?), 'C'))`
}

// ftsRank ranks with ts_rank_cd (cover density: Clarke, Cormack & Tudhope,
// "Relevance ranking for one to three term queries", 2000), the weights
// {D, C, B, A} making a title match count titleWeight times a body match as
// bm25's column weights do on SQLite, and normalization 1 dividing by
// 1 + log(length) as BM25 discounts long documents.
func (postgresDialect) ftsRank() string {
	return fmt.Sprintf(`SELECT f.rowid AS seq, ts_rank_cd('{%g, 0, %g, 1.0}', f.tsv, q.q, 1) AS score
		FROM articles_fts f, to_tsquery('`+ftsConfig+`', ?) AS q(q)
		WHERE f.tsv @@ q.q`, 1/titleWeight, 1/titleWeight)
}

// focusRanks is false: cover density rewards query words side by side, which
// the focus tiers (term frequency) do not see, so every match is ranked.
// Cheap common words on PostgreSQL need a ranking the tiers follow.
func (postgresDialect) focusRanks() bool { return false }

func (postgresDialect) ftsMatches() string {
	return `SELECT f.rowid AS seq FROM articles_fts f WHERE f.tsv @@ to_tsquery('` + ftsConfig + `', ?)`
}

// ftsFocus: a focus token is letters and digits, which to_tsquery keeps
// as it is.
func (postgresDialect) ftsFocus(tokens []string, expr string) string {
	return `('` + strings.Join(tokens, `' | '`) + `') & (` + expr + `)`
}

// ftsExpr writes groups as a tsquery. queryGroups left only letters and
// digits in a word, so no tsquery syntax can come from the user; each word
// is still quoted. A hyphenated group matches as the phrase (<->) or as the
// joined word, which the index also holds. to_tsquery stems each word and
// drops English stop words, which FTS5 would have required.
func (d postgresDialect) ftsExpr(groups [][]string, all bool) string {
	terms := make([]string, len(groups))
	for i, g := range groups {
		words := make([]string, len(g))
		for j, w := range g {
			words[j] = "'" + d.indexText(w) + "'"
		}
		if len(g) == 1 {
			terms[i] = words[0]
			continue
		}
		terms[i] = "(" + strings.Join(words, " <-> ") + " | '" + d.indexText(strings.Join(g, "")) + "')"
	}
	return strings.Join(terms, map[bool]string{true: " & ", false: " | "}[all])
}

// maxTSVectorText bounds the text given to to_tsvector: a tsvector may not
// exceed 1 MB. An article's first half megabyte says what it is about.
const maxTSVectorText = 512 << 10

// indexText folds diacritics ("café" is found by "cafe"), as SQLite's
// unicode61 tokenizer with remove_diacritics does; PostgreSQL's own
// unaccent is an extension that needs rights a database user may not have.
// It also removes NUL, which PostgreSQL text cannot hold.
func (postgresDialect) indexText(s string) string {
	if len(s) > maxTSVectorText {
		cut := maxTSVectorText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if isASCIIText(s) {
		return strings.ReplaceAll(s, "\x00", " ")
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ReplaceAll(out, "\x00", " ")
}

func isASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// schemaTables selects the tables of the store's schema (the first on the
// search path) as pg_class rows c.
const schemaTables = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = current_schema() AND c.relkind = 'r'`

// size is the store's tables with their indexes and TOAST, not the whole
// database: the store may share a database with other schemas. Free is
// unknown (dead rows are reused after autovacuum); Incremental says no
// rewrite is needed for that.
func (postgresDialect) size(ctx context.Context, db *DB) (DBSize, error) {
	var b int64
	err := db.QueryRowContext(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::BIGINT `+schemaTables).Scan(&b)
	return DBSize{Bytes: b, Incremental: true}, err
}

// reclaim rewrites the store's tables with VACUUM FULL when full is set
// (the CLI's prune; it locks each table while it runs). Otherwise there is
// nothing to do: autovacuum makes deleted rows' space reusable.
func (postgresDialect) reclaim(ctx context.Context, db *DB, _ DBSize, full bool) error {
	if !full {
		return nil
	}
	rows, err := db.QueryContext(ctx, `SELECT quote_ident(c.relname) `+schemaTables)
	if err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("vacuum: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, `VACUUM (FULL, ANALYZE) `+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	return nil
}

// checkPostgres is CheckFile for a PostgreSQL URL: it connects, and checks
// without changing anything that the schema is one this briefbot knows.
// Exists says the schema has briefbot's tables.
func checkPostgres(ctx context.Context, dsn string) (FileCheck, error) {
	var fc FileCheck
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fc, fmt.Errorf("is not a PostgreSQL URL pgx accepts: %v", err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return fc, fmt.Errorf("cannot be reached: %v", err)
	}
	var hasVersion bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&hasVersion); err != nil {
		return fc, err
	}
	if !hasVersion {
		var tables int
		if err := db.QueryRowContext(ctx, `SELECT count(*) `+schemaTables).Scan(&tables); err != nil {
			return fc, err
		}
		if tables > 0 {
			return fc, errors.New("names a schema of another program (it has tables but no briefbot schema): give briefbot its own database or schema (?search_path=briefbot)")
		}
		return fc, nil
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return fc, err
	}
	if version > len(pgMigrations) {
		return fc, fmt.Errorf("was written by a newer briefbot (schema version %d, this one knows %d): upgrade briefbot", version, len(pgMigrations))
	}
	fc.Exists = true
	if version > 0 {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&fc.Articles); err != nil {
			return fc, fmt.Errorf("is damaged: %v", err)
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::BIGINT `+schemaTables).Scan(&fc.Bytes); err != nil {
		return fc, err
	}
	return fc, nil
}

// postgresBusy reports whether err is PostgreSQL giving up on a lock
// (lock_not_available, deadlock_detected) or a statement timeout
// (query_canceled): work that can be tried again.
// https://www.postgresql.org/docs/current/errcodes-appendix.html
func postgresBusy(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "55P03", "40P01", "57014":
		return true
	}
	return false
}

// lastInsertID is false: pgx's database/sql driver has no LastInsertId, and
// PostgreSQL's RETURNING is how an insert gives its id.
func (postgresDialect) lastInsertID() bool { return false }

// articlesBySeq is the table: PostgreSQL's planner chooses the way in.
func (postgresDialect) articlesBySeq() string { return `articles a` }
