package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Moving a store from SQLite to PostgreSQL (briefbot migrate-to-postgres).
// Both stores are opened, so both schemas are at this briefbot's version and
// name the same tables and columns (TestMigrationsPaired); the rows are then
// copied table by table, parents before the tables that refer to them, in
// batches, all in one PostgreSQL transaction: a copy that fails leaves the
// target empty, to be run again. The full-text index is not copied but
// rebuilt by the store's own reindex (marked in meta inside the copy, so an
// interrupted rebuild finishes at the next Open); tables the target keeps
// itself by triggers (derivedTables) are filled by those as the rows go in;
// identity sequences are moved past the copied keys so new rows get new
// ones.

// derivedTables are kept by triggers on both engines (counts of the
// articles, per outlet): the copy leaves them to the target's triggers.
var derivedTables = map[string]bool{"counters": true, "outlets": true}

// copyBatch is how many rows one INSERT carries: under PostgreSQL's 65,535
// parameters for the widest table, and few enough to keep memory flat.
const copyBatch = 500

// ErrTargetNotEmpty is returned by CopyToPostgres when the target already
// holds data: copying into it could mix two stores.
var ErrTargetNotEmpty = errors.New("the PostgreSQL database already holds a briefbot store")

// CopyProgress reports rows copied so far in a table.
type CopyProgress func(table string, rows int)

// CopyToPostgres copies every row of src, an SQLite store, into dst, a
// PostgreSQL store that holds nothing yet, and returns the rows copied per
// table.
func CopyToPostgres(ctx context.Context, src, dst *Store, progress CopyProgress) (map[string]int, error) {
	if src.Engine() != "sqlite" || dst.Engine() != "postgres" {
		return nil, fmt.Errorf("copy from %s to %s: want SQLite to PostgreSQL", src.Engine(), dst.Engine())
	}
	if progress == nil {
		progress = func(string, int) {}
	}
	tables, err := sqliteTablesInOrder(ctx, src.db)
	if err != nil {
		return nil, fmt.Errorf("read the SQLite schema: %w", err)
	}
	tx, err := dst.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, t := range tables {
		// meta is the store's own bookkeeping, which opening the target
		// wrote (the analysis version): it is replaced below, not data.
		if derivedTables[t] || t == "meta" {
			continue
		}
		var any int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+t+` LIMIT 1) AS one`).Scan(&any); err != nil {
			return nil, fmt.Errorf("table %s has no PostgreSQL twin (%v): the schemas differ", t, err)
		}
		if any > 0 {
			return nil, fmt.Errorf("%w (table %s has rows): copy into an empty database or schema", ErrTargetNotEmpty, t)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta`); err != nil {
		return nil, fmt.Errorf("clear the target's meta: %w", err)
	}
	copied := map[string]int{}
	for _, t := range tables {
		if derivedTables[t] {
			continue
		}
		n, err := copyTable(ctx, src.db, tx, t, progress)
		copied[t] = n
		if err != nil {
			return copied, fmt.Errorf("copy %s: %w", t, err)
		}
	}
	if err := resetIdentities(ctx, tx); err != nil {
		return copied, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('reindex', '1')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`); err != nil {
		return copied, err
	}
	if err := tx.Commit(); err != nil {
		return copied, fmt.Errorf("commit the copy: %w", err)
	}
	progress("articles_fts", 0)
	if err := dst.upgrade(ctx); err != nil {
		return copied, fmt.Errorf("the rows are copied; the search index is not yet rebuilt (the next start finishes it): %w", err)
	}
	return copied, nil
}

// sqliteTablesInOrder lists the SQLite store's tables, each after the
// tables its foreign keys refer to. Virtual tables (the full-text index)
// and their shadow tables are left out: they are rebuilt, not copied.
func sqliteTablesInOrder(ctx context.Context, db *DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names, virtual []string
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			rows.Close()
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(ddl)), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, name)
			continue
		}
		names = append(names, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	shadow := func(n string) bool {
		for _, v := range virtual {
			if strings.HasPrefix(n, v+"_") {
				return true
			}
		}
		return false
	}
	deps := map[string][]string{}
	var tables []string
	for _, n := range names {
		if shadow(n) {
			continue
		}
		tables = append(tables, n)
		fk, err := db.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, n)
		if err != nil {
			return nil, err
		}
		for fk.Next() {
			var parent string
			if err := fk.Scan(&parent); err != nil {
				fk.Close()
				return nil, err
			}
			if parent != n {
				deps[n] = append(deps[n], parent)
			}
		}
		fk.Close()
		if err := fk.Err(); err != nil {
			return nil, err
		}
	}
	// Depth-first: each table after its parents; names sorted for a stable order.
	sort.Strings(tables)
	var out []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("foreign keys form a cycle through %s", n)
		case 2:
			return nil
		}
		state[n] = 1
		for _, p := range deps[n] {
			if err := visit(p); err != nil {
				return err
			}
		}
		state[n] = 2
		out = append(out, n)
		return nil
	}
	for _, t := range tables {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// copyTable streams one table's rows from SQLite into the transaction, by
// column name, in batches, in rowid order (keys keep their order).
func copyTable(ctx context.Context, src *DB, tx *Tx, table string, progress CopyProgress) (int, error) {
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + c + `"`
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	insert := func(batch []any, n int) error {
		if n == 0 {
			return nil
		}
		q := `INSERT INTO ` + table + ` (` + strings.Join(quoted, ", ") + `) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		_, err := tx.ExecContext(ctx, q, batch...)
		return err
	}
	total, n := 0, 0
	batch := make([]any, 0, copyBatch*len(cols))
	for rows.Next() {
		vals, err := scanValues(rows, len(cols))
		if err != nil {
			return total, err
		}
		for i, v := range vals {
			// SQLite hands TEXT back as string (PostgreSQL text holds no
			// NUL) and BLOB as []byte, which goes into BYTEA as it is.
			if s, ok := v.(string); ok && strings.ContainsRune(s, 0) {
				return total, fmt.Errorf("column %s of row %d holds a NUL character, which PostgreSQL text cannot", cols[i], total+n+1)
			}
			batch = append(batch, v)
		}
		n++
		if n == copyBatch {
			if err := insert(batch, n); err != nil {
				return total, err
			}
			total += n
			n, batch = 0, batch[:0]
			progress(table, total)
		}
	}
	if err := rows.Err(); err != nil {
		return total, err
	}
	if err := insert(batch, n); err != nil {
		return total, err
	}
	total += n
	progress(table, total)
	return total, nil
}

// resetIdentities moves every identity column's sequence past the largest
// key copied, so the next row inserted gets a new key.
func resetIdentities(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return fmt.Errorf("identity columns: %w", err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		// setval(seq, max, true) makes the next value max+1; an empty
		// table starts at 1.
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), coalesce((SELECT max(%s) FROM %s), 0) + 1, false)`,
			c.table, c.column, c.column, c.table)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("identity of %s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

// scanValues reads a row of n columns as the driver gives them.
func scanValues(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}
