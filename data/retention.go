package data

import (
	"context"
	"fmt"
	"time"
)

// DefaultRetention is how long articles are kept unless BRIEFBOT_RETENTION
// says otherwise: a quarter covers the stories people ask about, and at
// about 2.2 KB an article keeps the file bounded.
const DefaultRetention = 90 * 24 * time.Hour

// pruneBatch is how many articles one transaction deletes, so the bot's
// writers (ingest, posts) wait at most a moment for a prune.
const pruneBatch = 1000

// PruneResult says what Prune removed.
type PruneResult struct {
	Articles int
}

// Prune deletes the articles that are old both as news and as stored
// data: published (or, undated, ingested) before cutoff and ingested before
// it too, so an archive ingested today is kept for the retention period
// rather than deleted at the next prune. It deletes in batches and returns
// what it removed so far if ctx ends. Freed space is reused by later
// writes; Reclaim gives it back to the file system.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (PruneResult, error) {
	var res PruneResult
	c := cutoff.Unix()
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return res, fmt.Errorf("prune: %w", err)
		}
		n, err := s.deleteArticles(ctx, tx, `seq IN (SELECT seq FROM articles WHERE `+whenExpr+` < ? AND ingested < ? LIMIT ?)`, c, c, pruneBatch)
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			tx.Rollback()
			return res, fmt.Errorf("prune: %w", err)
		}
		res.Articles += n
		if n < pruneBatch {
			return res, nil
		}
	}
}

// deleteArticles deletes the articles matching where (a condition on the
// articles table, with its arguments) and everything derived from them:
// their full-text index rows and their share of autocomplete's counts. It
// returns how many it deleted.
func (s *Store) deleteArticles(ctx context.Context, tx *Tx, where string, args ...any) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, shared, `+articleColumns+`, story_id FROM articles WHERE `+where, args...)
	if err != nil {
		return 0, err
	}
	var seqs, private []int64
	arts := map[int64]Article{}
	counts := scopedTerms{}
	storySet := map[int64]bool{}
	for rows.Next() {
		var seq, story int64
		var shared bool
		var a Article
		var pub, ing int64
		if err := rows.Scan(&seq, &shared, &a.ID, &a.Title, &a.Source, &a.URL, &a.Author, &pub, &ing, &a.Body, &story); err != nil {
			rows.Close()
			return 0, err
		}
		seqs = append(seqs, seq)
		if story != 0 {
			storySet[story] = true
		}
		if shared {
			counts.addArticle(a, []string{""})
		} else {
			private = append(private, seq)
			arts[seq] = a
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// A server's own article counts in that server's autocomplete.
	for _, seq := range private {
		guilds, err := articleGuilds(ctx, tx, seq)
		if err != nil {
			return 0, err
		}
		counts.addArticle(arts[seq], guilds)
	}
	if len(seqs) == 0 {
		return 0, nil
	}
	delFTS, err := tx.PrepareContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`)
	if err != nil {
		return 0, err
	}
	defer delFTS.Close()
	del, err := tx.PrepareContext(ctx, `DELETE FROM articles WHERE seq = ?`)
	if err != nil {
		return 0, err
	}
	defer del.Close()
	for _, seq := range seqs {
		if _, err := delFTS.ExecContext(ctx, seq); err != nil {
			return 0, fmt.Errorf("unindex article: %w", err)
		}
		if _, err := del.ExecContext(ctx, seq); err != nil {
			return 0, err
		}
	}
	// Their stories lose them (and a story with none left goes).
	storyIDs := make([]int64, 0, len(storySet))
	for id := range storySet {
		storyIDs = append(storyIDs, id)
	}
	if err := s.recountStories(ctx, tx, storyIDs); err != nil {
		return 0, err
	}
	if err := counts.remove(ctx, tx); err != nil {
		return 0, err
	}
	return len(seqs), nil
}
