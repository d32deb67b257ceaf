package data

import (
	"context"
	"strconv"
)

// recodeBatch is how many analyses recode rewrites in one transaction.
const recodeBatch = 2000

// recode rewrites the analyses stored as compressed JSON by earlier
// versions in the binary form (analysiscodec.go), so every briefing reads
// the fast form. The meaning of an analysis does not change, so its
// version is kept and no story is regrouped. It walks the table in seq
// order, a batch a transaction, and keeps how far it got in its meta key,
// so an interrupted upgrade resumes where it stopped; a row written in the
// binary form meanwhile is left as it is. A row that cannot be read is left
// too: readers analyse its article's body again, as they did before.
func (s *Store) recode(ctx context.Context) error {
	var last int64
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'recode'`).Scan(&v); err == nil {
		last, _ = strconv.ParseInt(v, 10, 64) // the migration sets '0': from the start
	}
	for {
		n, next, err := s.recodeFrom(ctx, last, recodeBatch)
		if err != nil || n == 0 {
			return err
		}
		last = next
	}
}

// recodeFrom rewrites the next batch (at most size) of analyses after seq
// last in one transaction, and returns how many rows it read and the last
// one's seq.
func (s *Store) recodeFrom(ctx context.Context, last int64, size int) (int, int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT seq, data FROM analyses WHERE seq > ? ORDER BY seq LIMIT ?`, last, size)
	if err != nil {
		return 0, 0, err
	}
	type row struct {
		seq  int64
		data []byte
	}
	var rs []row
	read := 0
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.data); err != nil {
			rows.Close()
			return 0, 0, err
		}
		read++
		last = r.seq
		if len(r.data) > 0 && r.data[0] != analysisMagic {
			rs = append(rs, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	if read == 0 {
		return 0, last, nil
	}
	// Reading JSON is most of the cost: on every core.
	eachOnCores(len(rs), func(next func() (int, bool)) {
		for k, ok := next(); ok; k, ok = next() {
			if an, err := decodeAnalysis(rs[k].data); err == nil {
				rs[k].data = encodeAnalysis(an)
			} else {
				rs[k].data = nil
			}
		}
	})
	if len(rs) > 0 {
		upd, err := tx.PrepareContext(ctx, `UPDATE analyses SET data = ? WHERE seq = ?`)
		if err != nil {
			return 0, 0, err
		}
		defer upd.Close()
		for _, r := range rs {
			if r.data == nil {
				continue
			}
			if _, err := upd.ExecContext(ctx, r.data, r.seq); err != nil {
				return 0, 0, err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'recode'`, strconv.FormatInt(last, 10)); err != nil {
		return 0, 0, err
	}
	return read, last, tx.Commit()
}
