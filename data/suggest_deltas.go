package data

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Autocomplete counts of a bulk ingest, deferred. Adding a batch's counts
// to the terms table is an upsert for each of its rows (some 6,700 for a
// thousand generated reports), each moving the row in the terms_n index
// too, and with a term table of a hundred thousand rows a batch dirtied
// nearly every page of both: at 100k stored articles, counting was a fifth
// of ingest's CPU (1.66 -> 1.41 ms an article without it, interleaved
// runs). A bulk ingest's batch instead appends its counts to term_deltas
// as one row, in the batch's transaction (so they are stored exactly when
// its articles are), and the deltas are added to the terms table together
// every termDeltaMerge batches and when the ingest ends: rows that several
// batches count are written once, and the pages of the terms table are
// dirtied once for many batches.
//
// Until then autocomplete does not offer the pending words. Anything that
// takes counts off the shared list merges the deltas first (a count must be
// in the table to be taken off), and Open merges what a crash left.

// termDeltaMerge is how many pending deltas a bulk ingest lets build up
// before it adds them to the terms table: a bound on what autocomplete
// misses while a long ingest runs and on the memory the merge takes.
const termDeltaMerge = 16

// saveTermDelta appends the shared list's counts of a batch to the pending
// deltas.
func saveTermDelta(ctx context.Context, tx *Tx, c termCounts) error {
	if len(c) == 0 {
		return nil
	}
	data, err := encodeTermDelta(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO term_deltas (data) VALUES (?)`, data); err != nil {
		return fmt.Errorf("save term counts: %w", err)
	}
	return nil
}

// pendingTermDeltas is how many deltas wait to be merged.
func pendingTermDeltas(ctx context.Context, tx *Tx) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM term_deltas`).Scan(&n); err != nil {
		return 0, fmt.Errorf("pending term counts: %w", err)
	}
	return n, nil
}

// mergeTermDeltas adds every pending delta to the terms table and deletes
// them, in tx (a write transaction: no other writer appends meanwhile).
func mergeTermDeltas(ctx context.Context, tx *Tx) error {
	rows, err := tx.QueryContext(ctx, `DELETE FROM term_deltas RETURNING data`)
	if err != nil {
		return fmt.Errorf("merge term counts: %w", err)
	}
	sum := termCounts{}
	var derr error
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return fmt.Errorf("merge term counts: %w", err)
		}
		if derr == nil {
			derr = decodeTermDelta(data, sum)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("merge term counts: %w", err)
	}
	if derr != nil {
		return fmt.Errorf("merge term counts: %w", derr)
	}
	return sum.save(ctx, tx, "")
}

// mergeTermDeltasNow merges the pending deltas in a transaction of its
// own, on conn (nil: any connection).
func (s *Store) mergeTermDeltasNow(ctx context.Context, conn *Conn) error {
	var tx *Tx
	var err error
	if conn != nil {
		tx, err = conn.BeginTx(ctx, nil)
	} else {
		// Nothing pending (as nearly always at Open) takes no write lock.
		var pending bool
		if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM term_deltas)`).Scan(&pending); err != nil || !pending {
			return err
		}
		tx, err = s.db.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("merge term counts: %w", err)
	}
	defer tx.Rollback()
	if n, err := pendingTermDeltas(ctx, tx); err != nil || n == 0 {
		return err
	}
	if err := mergeTermDeltas(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("merge term counts: %w", err)
	}
	return nil
}

// encodeTermDelta writes counts as compressed records, sorted by key: the
// key, the display form (each a length and its bytes) and the count.
func encodeTermDelta(c termCounts) ([]byte, error) {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var raw []byte
	for _, k := range keys {
		raw = binary.AppendUvarint(raw, uint64(len(k)))
		raw = append(raw, k...)
		d := c[k].display
		raw = binary.AppendUvarint(raw, uint64(len(d)))
		raw = append(raw, d...)
		raw = binary.AppendVarint(raw, int64(c[k].n))
	}
	return deflate(raw)
}

var errTermDelta = errors.New("damaged term counts")

// decodeTermDelta adds a delta's counts to into; a key counted already
// keeps the display form it has.
func decodeTermDelta(data []byte, into termCounts) error {
	raw, err := inflate(data)
	if err != nil {
		return err
	}
	str := func() (string, bool) {
		l, k := binary.Uvarint(raw)
		if k <= 0 || uint64(len(raw)-k) < l {
			return "", false
		}
		s := string(raw[k : k+int(l)])
		raw = raw[k+int(l):]
		return s, true
	}
	for len(raw) > 0 {
		key, ok := str()
		if !ok {
			return errTermDelta
		}
		display, ok := str()
		if !ok {
			return errTermDelta
		}
		n, k := binary.Varint(raw)
		if k <= 0 {
			return errTermDelta
		}
		raw = raw[k:]
		tc := into[key]
		if tc == nil {
			tc = &termCount{display: display}
			into[key] = tc
		}
		tc.n += int(n)
	}
	return nil
}
