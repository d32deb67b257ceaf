package data

import "context"

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
