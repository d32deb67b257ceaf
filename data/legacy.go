package data

import (
	"context"
	"fmt"
)

// AdoptedFeed is a feed from before servers had feeds of their own, and the
// servers it was given to (none: it could not be placed and stays shared).
type AdoptedFeed struct {
	Feed   Feed
	Guilds []string
	// Private counts the stored articles it brought that are now visible
	// only to those servers.
	Private int
}

// AdoptLegacyFeeds gives each feed added through Discord before servers had
// feeds of their own to the server it was added from: the one server where
// the member who added it created schedules, else the servers in fallback
// (the bot's DISCORD_GUILD_ID, where alone its commands were registered, or
// every server the bot is in, which all saw the feed before). The feed
// keeps its number there. The articles such a feed brought first (not an
// env feed, the articles folder or `briefbot ingest`) become visible only
// to those servers, as new ones will be, and their words leave the shared
// autocomplete; as far as the feeds' item memory reaches (90 days), older
// ones stay shared. Running it again does nothing.
func (s *Store) AdoptLegacyFeeds(ctx context.Context, fallback []string) ([]AdoptedFeed, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("adopt feeds: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE from_env = 0
		AND NOT EXISTS (SELECT 1 FROM feed_follows ff WHERE ff.feed_id = f.id) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("adopt feeds: %w", err)
	}
	var orphans []Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("adopt feeds: %w", err)
		}
		orphans = append(orphans, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(orphans) == 0 {
		return nil, err
	}
	// Items remembered before tenancy name their article by URL only.
	if _, err := tx.ExecContext(ctx, `UPDATE feed_items SET article_seq = coalesce((SELECT a.seq FROM articles a
		WHERE a.canonical_url = substr(feed_items.key, 5)), 0) WHERE article_seq = 0 AND key LIKE 'url:%'`); err != nil {
		return nil, fmt.Errorf("adopt feeds: %w", err)
	}
	out := make([]AdoptedFeed, 0, len(orphans))
	for _, f := range orphans {
		guilds, err := creatorGuilds(ctx, tx, f.AddedBy)
		if err != nil {
			return nil, err
		}
		if len(guilds) != 1 {
			guilds = fallback
		}
		ad := AdoptedFeed{Feed: f, Guilds: guilds}
		for _, g := range guilds {
			if _, err := insertFollow(ctx, tx, f.ID, g, f.AddedBy, f.Created, f.ID); err != nil {
				return nil, err
			}
		}
		if len(guilds) > 0 {
			if ad.Private, err = privatizeFirstBrought(ctx, tx, f.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, ad)
	}
	// Then every adopted feed's servers see the private articles it
	// brought, first or not.
	for _, ad := range out {
		if len(ad.Guilds) == 0 {
			continue
		}
		if _, err := grantFeedArticles(ctx, tx, ad.Feed.ID, ad.Guilds); err != nil {
			return nil, err
		}
	}
	return out, tx.Commit()
}

// creatorGuilds lists the servers where a member created schedules.
func creatorGuilds(ctx context.Context, tx *Tx, userID string) ([]string, error) {
	if userID == "" || userID == "env" {
		return nil, nil
	}
	out, err := queryStrings(ctx, tx, `SELECT DISTINCT guild_id FROM subscriptions
		WHERE created_by = ? AND from_env = 0 AND guild_id <> '' ORDER BY guild_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("guilds of %s: %w", userID, err)
	}
	return out, nil
}

// privatizeFirstBrought makes the shared articles a feed stored itself (it
// saw the item no later than the article was stored, and no env feed ever
// carried it) no longer shared, taking their words out of the shared
// autocomplete. grantFeedArticles then gives them to the feed's servers.
func privatizeFirstBrought(ctx context.Context, tx *Tx, feedID int64) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT a.seq, a.title, a.body FROM feed_items fi
		JOIN articles a ON a.seq = fi.article_seq
		WHERE fi.feed_id = ? AND fi.article_seq <> 0 AND a.shared = 1 AND fi.seen <= a.ingested
		AND NOT EXISTS (SELECT 1 FROM feed_items e JOIN feeds ef ON ef.id = e.feed_id
			WHERE e.article_seq = a.seq AND ef.from_env = 1)`, feedID)
	if err != nil {
		return 0, fmt.Errorf("articles of feed %d: %w", feedID, err)
	}
	var seqs []int64
	counts := termCounts{}
	for rows.Next() {
		var seq int64
		var a Article
		if err := rows.Scan(&seq, &a.Title, &a.Body); err != nil {
			rows.Close()
			return 0, fmt.Errorf("articles of feed %d: %w", feedID, err)
		}
		seqs = append(seqs, seq)
		counts.addArticle(a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("articles of feed %d: %w", feedID, err)
	}
	for _, seq := range seqs {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET shared = 0 WHERE seq = ?`, seq); err != nil {
			return 0, fmt.Errorf("article %d: %w", seq, err)
		}
	}
	if err := counts.remove(ctx, tx, ""); err != nil {
		return 0, err
	}
	return len(seqs), nil
}
