package data

import (
	"context"
	"database/sql"
)

// RawRankedQuery is the floor benchmarks compare searching and briefing
// with: one ranked full-text query for the best limit matches of topic's
// words, straight to the engine, nothing else. It returns how many rows
// came back.
func (s *Store) RawRankedQuery(ctx context.Context, topic string, limit int) (int, error) {
	rows, err := s.db.QueryContext(ctx, s.db.d.ftsRank()+` ORDER BY score DESC LIMIT ?`, s.db.d.ftsExpr(queryGroups(topic), true), limit)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// CountArticlesScan counts the articles and outlets with the table scan
// /status used to make, for benchmarks to compare Stats with.
func (s *Store) CountArticlesScan(ctx context.Context) (int, error) {
	var n, sources int
	err := s.db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT nullif(source, '')) FROM articles`).Scan(&n, &sources)
	return n, err
}

// RawStoryRows is the floor a briefing's story read is compared with: every
// row of the given stories, each article with its stored analysis, read
// as raw bytes and decoded no further. It returns how many rows came back.
func (s *Store) RawStoryRows(ctx context.Context, ids []int64) (int, error) {
	n := 0
	for _, id := range ids {
		rows, err := s.db.QueryContext(ctx, `SELECT a.*, n.data FROM articles a LEFT JOIN analyses n ON n.seq = a.seq WHERE a.story_id = ?`, id)
		if err != nil {
			return n, err
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return n, err
		}
		raw := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return n, err
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	return n, nil
}
