package data

import (
	"context"
	"strconv"

	"database/sql"
	"errors"
	"fmt"
	"github.com/briefbot/briefbot/briefing"
)

// upgrade finishes schema migrations that SQL alone cannot do, each marked
// by a key in meta that the migration sets: the full-text index is refilled
// from the stored articles (its text is prepared in Go), analyses stored
// as compressed JSON are rewritten in the binary form, and stories are
// grouped for the articles stored before there were stories. Each step
// commits in batches and clears its key last, so an interrupted upgrade
// starts that step again on the next Open.
func (s *Store) upgrade(ctx context.Context) error {
	steps := []struct {
		key, what string
		run       func(context.Context) error
	}{
		{"reindex", "rebuild the search index", s.reindex},
		{"recode", "rewrite the stored analyses in the binary form", s.recode},
		{"regroup", "group the stored articles into stories", func(ctx context.Context) error { return s.Regroup(ctx, nil) }},
	}
	// Analyses made by an older engine are made again, and the stories
	// with them: the engine that reads them changed.
	var made string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'analysis_version'`).Scan(&made)
	if err == nil && made != strconv.Itoa(briefing.AnalysisVersion) {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('regroup', '1')
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`); err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
	}
	for _, st := range steps {
		var v string
		err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, st.key).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
		if err := st.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
		if _, err := s.db.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, st.key); err != nil {
			return fmt.Errorf("upgrade: %w", err)
		}
	}
	return nil
}

// reindex fills the full-text index from the articles table, in batches of
// rowids, replacing whatever an interrupted run left for each batch.
func (s *Store) reindex(ctx context.Context) error {
	const batch = 2000
	var last int64
	stems := &stemCache{}
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT seq, title, body FROM articles WHERE seq > ? ORDER BY seq LIMIT ?`, last, batch)
		if err != nil {
			tx.Rollback()
			return err
		}
		type row struct {
			seq         int64
			title, body string
		}
		var rs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.seq, &r.title, &r.body); err != nil {
				rows.Close()
				tx.Rollback()
				return err
			}
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			tx.Rollback()
			return err
		}
		if len(rs) == 0 {
			return tx.Rollback()
		}
		for _, r := range rs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`, r.seq); err != nil {
				tx.Rollback()
				return err
			}
			d := s.db.d
			if _, err := tx.ExecContext(ctx, d.insertFTS(),
				r.seq, d.indexText(indexText(r.title)), d.indexText(indexText(r.body)), focusText(r.title, r.body, stems)); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		last = rs[len(rs)-1].seq
	}
}
