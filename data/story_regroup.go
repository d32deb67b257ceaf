package data

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/briefing"
)

// Regroup rebuilds every story from the stored articles: the stories and
// document frequencies are cleared, and the articles are grouped again one
// by one in an order fixed by their content (time, outlet, title), so the
// result does not depend on the order they arrived in. Articles stored
// without an analysis, or with one from another version of the engine, are
// analysed again and the analysis kept. progress, when not nil, is told
// how far it is after each batch.
func (s *Store) Regroup(ctx context.Context, progress func(done, total int)) error {
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	s.group.reset()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("regroup: %w", err)
	}
	for _, q := range []string{`DELETE FROM story_outlets`, `DELETE FROM stories`, `UPDATE articles SET story_id = 0 WHERE story_id <> 0`, `DELETE FROM doc_freq`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			tx.Rollback()
			return fmt.Errorf("regroup: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("regroup: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq FROM articles ORDER BY `+whenExpr+`, source, title, seq`)
	if err != nil {
		return fmt.Errorf("regroup: %w", err)
	}
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			rows.Close()
			return fmt.Errorf("regroup: %w", err)
		}
		seqs = append(seqs, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("regroup: %w", err)
	}
	const batch = 1000
	for i := 0; i < len(seqs); i += batch {
		if err := s.regroupBatch(ctx, seqs[i:min(i+batch, len(seqs))]); err != nil {
			s.group.reset()
			return fmt.Errorf("regroup: %w", err)
		}
		if progress != nil {
			progress(min(i+batch, len(seqs)), len(seqs))
		}
	}
	// Every analysis is now this engine's (see Store.upgrade).
	if _, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('analysis_version', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, strconv.Itoa(briefing.AnalysisVersion)); err != nil {
		return fmt.Errorf("regroup: %w", err)
	}
	return nil
}

// regroupBatch groups the articles seqs, in that order, in one transaction.
func (s *Store) regroupBatch(ctx context.Context, seqs []int64) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	list := make([]string, len(seqs))
	for i, seq := range seqs {
		list[i] = strconv.FormatInt(seq, 10)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+analyzedColumns+`
		FROM articles a LEFT JOIN analyses n ON n.seq = a.seq WHERE a.seq IN (`+strings.Join(list, ",")+`)`)
	if err != nil {
		return err
	}
	type row struct {
		a        Article
		ingested int64
	}
	bySeq := map[int64]row{}
	for rows.Next() {
		a, seq, err := scanAnalyzed(rows)
		if err != nil {
			rows.Close()
			return err
		}
		bySeq[seq] = row{a: a, ingested: unixOrZero(a.Ingested)}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The batch's analyses first: grouping counts them all before it
	// groups any (see groupBatch).
	var order []int64
	var analyses []*briefing.Analysis
	for _, seq := range seqs {
		r, ok := bySeq[seq]
		if !ok {
			continue
		}
		if r.a.Analysis == nil {
			r.a.Analysis = briefing.Analyze(engineArticle(r.a))
			if _, err := tx.ExecContext(ctx, `INSERT INTO analyses (seq, version, data) VALUES (?, ?, ?)
				ON CONFLICT (seq) DO UPDATE SET version = excluded.version, data = excluded.data`, seq, briefing.AnalysisVersion, encodeAnalysis(r.a.Analysis)); err != nil {
				return err
			}
			bySeq[seq] = r
		}
		order = append(order, seq)
		analyses = append(analyses, r.a.Analysis)
	}
	b, err := s.beginGroup(ctx, tx, analyses, nil)
	if err != nil {
		return err
	}
	committed := false
	defer func() { b.end(committed) }()
	for _, seq := range order {
		r := bySeq[seq]
		when := unixOrZero(r.a.Published)
		if when == 0 {
			when = r.ingested
		}
		story, err := b.assign(ctx, r.a.Analysis, r.a.Source, when, r.ingested)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET story_id = ? WHERE seq = ?`, story, seq); err != nil {
			return err
		}
	}
	if err := b.finish(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}

// recountStories brings the stories ids up to date after some of their
// articles were deleted: their coverage and span counted again from the
// articles left, their profile rebuilt from those articles' analyses, and a
// story with no article left deleted. The grouper's memory is marked stale:
// it is read again from the store by the next batch (taking its lock here,
// inside a transaction, could deadlock with a batch waiting to begin one).
func (s *Store) recountStories(ctx context.Context, tx *Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	s.group.stale.Store(true)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		rows, err := tx.QueryContext(ctx, `SELECT `+analyzedColumns+`
			FROM articles a LEFT JOIN analyses n ON n.seq = a.seq WHERE a.story_id = ? ORDER BY `+whenExpr+`, a.seq`, id)
		if err != nil {
			return fmt.Errorf("recount story %d: %w", id, err)
		}
		var arts []Article
		for rows.Next() {
			a, _, err := scanAnalyzed(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("recount story %d: %w", id, err)
			}
			arts = append(arts, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("recount story %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM story_outlets WHERE story_id = ?`, id); err != nil {
			return fmt.Errorf("recount story %d: %w", id, err)
		}
		if len(arts) == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM stories WHERE id = ?`, id); err != nil {
				return fmt.Errorf("recount story %d: %w", id, err)
			}
			continue
		}
		p := &briefing.Profile{}
		outlets := map[string]int{}
		var first, last int64
		headline := ""
		for _, a := range arts {
			an := a.Analysis
			if an == nil {
				an = briefing.Analyze(engineArticle(a))
			}
			p.Add(an)
			if a.Source != "" {
				outlets[a.Source]++
			}
			when := unixOrZero(a.Published)
			if when == 0 {
				when = unixOrZero(a.Ingested)
			}
			if first == 0 || when < first {
				first = when
			}
			last = max(last, when)
			if headline == "" {
				headline = storyHeadline(an)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stories SET headline = ?, first_seen = ?, last_update = ?, reports = ?, outlets = ?, profile = ?
			WHERE id = ?`, headline, first, last, len(arts), len(outlets), encodeProfile(p), id); err != nil {
			return fmt.Errorf("recount story %d: %w", id, err)
		}
		for src, n := range outlets {
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_outlets (story_id, source, articles) VALUES (?, ?, ?)`, id, src, n); err != nil {
				return fmt.Errorf("recount story %d: %w", id, err)
			}
		}
	}
	return nil
}

// logp is ln(1+n).
func logp(n int) float64 { return math.Log1p(float64(n)) }

// sortStoryHits orders stories by score, ties by the rank of their best
// report (first: the lower rank).
func sortStoryHits(hits []StoryHit, rank func(id int64) int) {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return rank(hits[i].ID) < rank(hits[j].ID)
	})
}
