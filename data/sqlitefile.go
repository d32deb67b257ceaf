package data

// The SQLite-specific operations on the database file live here, together:
// how a file path becomes a driver DSN, checking a file before use, its size
// on disk and giving freed pages back to the file system. A PostgreSQL twin
// (pg_database_size, VACUUM) belongs beside this file, behind the same
// Store methods.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDSN is the modernc.org/sqlite DSN for the file at path with the
// given query (pragmas and options, without the "?").
func sqliteDSN(path, query string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + query
}

// FileCheck is what CheckFile found.
type FileCheck struct {
	// Exists is false when the file does not exist yet: Open will create
	// it in a folder CheckFile found writable.
	Exists bool
	// Articles is how many articles the file holds (when it exists and has
	// the articles table).
	Articles int
	// Bytes is the file's size.
	Bytes int64
}

// CheckFile checks, without changing anything, that path can be opened as a
// briefbot database: an SQLite file of a schema this briefbot knows, or no
// file yet in a folder it may create one in. The error says what is wrong
// with the file, not which setting named it: the caller knows that.
func CheckFile(ctx context.Context, path string) (FileCheck, error) {
	var fc FileCheck
	if strings.TrimSpace(path) == "" {
		return fc, errors.New("no file named")
	}
	if IsPostgresURL(path) {
		return checkPostgres(ctx, path)
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if err := writableDir(dir); err != nil {
			return fc, fmt.Errorf("the file does not exist and cannot be created: %w", err)
		}
		return fc, nil
	case err != nil:
		return fc, err
	case st.IsDir():
		return fc, errors.New("is a folder, not a database file: name a file inside it, such as " + filepath.Join(path, "briefbot.db"))
	case !st.Mode().IsRegular():
		return fc, errors.New("is not a regular file")
	}
	fc.Exists, fc.Bytes = true, st.Size()
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err != nil {
		return fc, fmt.Errorf("cannot be opened for writing: %w", err)
	} else {
		f.Close()
	}
	// SQLite keeps its -wal and -shm files beside the database.
	if err := writableDir(filepath.Dir(path)); err != nil {
		return fc, err
	}
	db, err := sql.Open("sqlite", sqliteDSN(path, "mode=ro&_pragma=busy_timeout(5000)"))
	if err != nil {
		return fc, err
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fc, fmt.Errorf("is not an SQLite database (%v)", err)
	}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&tables); err != nil {
		return fc, fmt.Errorf("is not a readable SQLite database (%v)", err)
	}
	if version > len(migrations) {
		return fc, fmt.Errorf("was written by a newer briefbot (schema version %d, this one knows %d): upgrade briefbot", version, len(migrations))
	}
	if version == 0 && tables > 0 {
		return fc, errors.New("is an SQLite database of another program (it has tables but no briefbot schema)")
	}
	if version > 0 {
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&fc.Articles); err != nil {
			return fc, fmt.Errorf("is damaged: %v", err)
		}
	}
	return fc, nil
}

// writableDir reports, as an error, why dir is not a folder a file can be
// created in.
func writableDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("folder %s does not exist", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	f, err := os.CreateTemp(dir, ".briefbot-check-*")
	if err != nil {
		return fmt.Errorf("folder %s is not writable", dir)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

// DBSize is how much room the database takes.
type DBSize struct {
	// Bytes is the database's size (pages in use and free).
	Bytes int64
	// Free is the part of Bytes in free pages: reused by later writes, and
	// given back to the file system by Reclaim.
	Free int64
	// Incremental is true when Reclaim can give free pages back without
	// rewriting the whole file.
	Incremental bool
}

// Size reports the database's size.
func (s *Store) Size(ctx context.Context) (DBSize, error) {
	sz, err := s.db.d.size(ctx, s.db)
	if err != nil {
		return DBSize{}, fmt.Errorf("database size: %w", err)
	}
	return sz, nil
}

// Reclaim gives the database's free space back to the file system and
// returns the bytes given back. On SQLite, a database made with incremental
// auto-vacuum (every one this release creates) frees its pages in place; an
// older one is rewritten whole by VACUUM when full is set (which needs as
// much free disk as the database and blocks writers while it runs; the
// CLI's prune does it, the running bot does not), and converted to
// incremental so it never needs that again. On PostgreSQL, autovacuum makes
// freed space reusable by itself; full rewrites the tables (VACUUM FULL).
func (s *Store) Reclaim(ctx context.Context, full bool) (int64, error) {
	before, err := s.Size(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.db.d.reclaim(ctx, s.db, before, full); err != nil {
		return 0, err
	}
	after, err := s.Size(ctx)
	if err != nil {
		return 0, err
	}
	return before.Bytes - after.Bytes, nil
}

func (sqliteDialect) size(ctx context.Context, db *DB) (DBSize, error) {
	var pages, free, pageSize, mode int64
	for _, q := range []struct {
		pragma string
		v      *int64
	}{{"page_count", &pages}, {"freelist_count", &free}, {"page_size", &pageSize}, {"auto_vacuum", &mode}} {
		if err := db.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(q.v); err != nil {
			return DBSize{}, err
		}
	}
	return DBSize{Bytes: pages * pageSize, Free: free * pageSize, Incremental: mode == 2}, nil
}

func (sqliteDialect) reclaim(ctx context.Context, db *DB, before DBSize, full bool) error {
	switch {
	case before.Free == 0:
		return nil
	case before.Incremental:
		// Each step of the pragma frees a page: read it to the end.
		rows, err := db.QueryContext(ctx, `PRAGMA incremental_vacuum`)
		if err != nil {
			return fmt.Errorf("incremental vacuum: %w", err)
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("incremental vacuum: %w", err)
		}
	case full:
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
			return fmt.Errorf("vacuum: %w", err)
		}
	default:
		return nil
	}
	// The write-ahead log grew by what was moved; empty it.
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// sqliteBusy reports whether err is SQLite saying another writer held the
// database longer than the busy timeout (SQLITE_BUSY, SQLITE_LOCKED and
// their extended codes).
func sqliteBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	primary := se.Code() & 0xff
	return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
}
