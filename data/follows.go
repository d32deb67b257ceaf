package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A feed is stored once however many servers follow it: it is polled once,
// and what it brings is visible to each of them (see Scope). feed_follows
// records who follows what, with the number each server knows its feeds by.

// FeedFollow is one server's following of a feed.
type FeedFollow struct {
	FeedID  int64
	GuildID string
	No      int64 // the feed's number in that server
	AddedBy string
	Created time.Time
}

// Names of the per-server numbers (guild_counters.name).
const (
	counterFeed     = "feed"
	counterSchedule = "schedule"
)

// nextNumber hands out the next number of a kind in a server: 1, 2, 3...,
// never one handed out before there, even after its owner was removed, so
// an old "/feeds remove 3" can never hit a newer feed.
func nextNumber(ctx context.Context, tx *Tx, guildID, name string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO guild_counters (guild_id, name, last) VALUES (?, ?, 1)
		ON CONFLICT (guild_id, name) DO UPDATE SET last = guild_counters.last + 1 RETURNING last`, guildID, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("number a %s in guild %s: %w", name, guildID, err)
	}
	return n, nil
}

// reserveNumber makes sure the counter is at least n, for a number given
// out by a migration.
func reserveNumber(ctx context.Context, tx *Tx, guildID, name string, n int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO guild_counters (guild_id, name, last) VALUES (?, ?, ?)
		ON CONFLICT (guild_id, name) DO UPDATE SET last = CASE WHEN guild_counters.last > excluded.last
		THEN guild_counters.last ELSE excluded.last END`, guildID, name, n)
	if err != nil {
		return fmt.Errorf("reserve %s %d in guild %s: %w", name, n, guildID, err)
	}
	return nil
}

// insertFollow records that guildID follows feedID, under number no (0: the
// server's next feed number), and returns the number.
func insertFollow(ctx context.Context, tx *Tx, feedID int64, guildID, by string, created time.Time, no int64) (int64, error) {
	var err error
	if no == 0 {
		if no, err = nextNumber(ctx, tx, guildID, counterFeed); err != nil {
			return 0, err
		}
	} else if err := reserveNumber(ctx, tx, guildID, counterFeed, no); err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO feed_follows (feed_id, guild_id, no, added_by, created) VALUES (?, ?, ?, ?, ?)`,
		feedID, guildID, no, by, created.Unix())
	if err != nil {
		return 0, fmt.Errorf("follow feed %d in guild %s: %w", feedID, guildID, err)
	}
	return no, nil
}

// FollowStoredFeed makes a server follow a feed that is already stored:
// the server sees the articles the feed has brought (as far as the feed's
// item memory reaches) and everything it brings from now on. It returns
// the feed under the server's number and how many stored articles the
// server can now read; a feed the server already follows comes back with
// ErrFeedExists.
func (s *Store) FollowStoredFeed(ctx context.Context, feedID int64, guildID, by string, now time.Time) (Feed, int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Feed{}, 0, fmt.Errorf("follow feed %d: %w", feedID, err)
	}
	defer tx.Rollback()
	f, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE id = ?`, feedID))
	if errors.Is(err, sql.ErrNoRows) {
		return f, 0, fmt.Errorf("feed %d: %w", feedID, ErrNotFound)
	}
	if err != nil {
		return f, 0, fmt.Errorf("follow feed %d: %w", feedID, err)
	}
	f.GuildID = guildID
	err = tx.QueryRowContext(ctx, `SELECT no FROM feed_follows WHERE feed_id = ? AND guild_id = ?`, feedID, guildID).Scan(&f.No)
	switch {
	case err == nil:
		return f, 0, fmt.Errorf("%s is feed %d here: %w", f.URL, f.No, ErrFeedExists)
	case !errors.Is(err, sql.ErrNoRows):
		return f, 0, fmt.Errorf("follow feed %d: %w", feedID, err)
	}
	if f.No, err = insertFollow(ctx, tx, feedID, guildID, by, now, 0); err != nil {
		return f, 0, err
	}
	granted, err := grantFeedArticles(ctx, tx, feedID, []string{guildID})
	if err != nil {
		return f, 0, err
	}
	return f, granted, tx.Commit()
}

// grantFeedArticles makes every stored article the feed brought that is
// not shared visible to the servers, and counts its words in their
// autocomplete lists. It returns how many articles the feed brought that
// the servers can read.
func grantFeedArticles(ctx context.Context, tx *Tx, feedID int64, guilds []string) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT a.seq, a.shared, a.title, a.body FROM feed_items fi
		JOIN articles a ON a.seq = fi.article_seq WHERE fi.feed_id = ? AND fi.article_seq <> 0`, feedID)
	if err != nil {
		return 0, fmt.Errorf("articles of feed %d: %w", feedID, err)
	}
	type stored struct {
		seq    int64
		shared bool
		a      Article
	}
	var arts []stored
	for rows.Next() {
		var st stored
		if err := rows.Scan(&st.seq, &st.shared, &st.a.Title, &st.a.Body); err != nil {
			rows.Close()
			return 0, fmt.Errorf("articles of feed %d: %w", feedID, err)
		}
		arts = append(arts, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("articles of feed %d: %w", feedID, err)
	}
	counts := newTermMoves()
	for _, st := range arts {
		added, removed, err := grant(ctx, tx, st.seq, st.shared, visibility{guilds: guilds})
		if err != nil {
			return 0, err
		}
		counts.move(st.a, added, removed)
	}
	return len(arts), counts.save(ctx, tx)
}

// shareStored makes an article another source stored first visible to vis
// as well, with its words in their autocomplete lists.
func (s *Store) shareStored(ctx context.Context, seq int64, shared bool, vis visibility) error {
	if shared {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("share article %d: %w", seq, err)
	}
	defer tx.Rollback()
	added, removed, err := grant(ctx, tx, seq, shared, vis)
	if err != nil {
		return err
	}
	if len(added)+len(removed) > 0 {
		var a Article
		if err := tx.QueryRowContext(ctx, `SELECT title, body FROM articles WHERE seq = ?`, seq).Scan(&a.Title, &a.Body); err != nil {
			return fmt.Errorf("share article %d: %w", seq, err)
		}
		counts := newTermMoves()
		counts.move(a, added, removed)
		if err := counts.save(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// feedVisibility is who reads what a feed brings: everyone for the owner's
// feeds, else the servers that follow it. A feed nobody follows is one
// from before servers had feeds of their own, not yet given to a server
// (AdoptLegacyFeeds): it stays shared, as it was.
func (s *Store) feedVisibility(ctx context.Context, f Feed) (visibility, error) {
	if f.FromEnv {
		return sharedVisibility, nil
	}
	follows, err := s.FeedFollowers(ctx, f.ID)
	if err != nil {
		return visibility{}, err
	}
	if len(follows) == 0 {
		return sharedVisibility, nil
	}
	v := visibility{}
	for _, fl := range follows {
		v.guilds = append(v.guilds, fl.GuildID)
	}
	return v, nil
}

// FeedFollowers lists the servers that follow a feed, in the order they
// began to.
func (s *Store) FeedFollowers(ctx context.Context, feedID int64) ([]FeedFollow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT feed_id, guild_id, no, added_by, created FROM feed_follows
		WHERE feed_id = ? ORDER BY created, guild_id`, feedID)
	if err != nil {
		return nil, fmt.Errorf("followers of feed %d: %w", feedID, err)
	}
	defer rows.Close()
	var out []FeedFollow
	for rows.Next() {
		var fl FeedFollow
		var created int64
		if err := rows.Scan(&fl.FeedID, &fl.GuildID, &fl.No, &fl.AddedBy, &created); err != nil {
			return nil, fmt.Errorf("followers of feed %d: %w", feedID, err)
		}
		fl.Created = timeOrZero(created)
		out = append(out, fl)
	}
	return out, rows.Err()
}

// followedFeedColumns are feedColumns read through a join with
// feed_follows ff, whose number and follower come after them.
var followedFeedColumns = "f." + strings.Join(strings.Split(strings.Join(strings.Fields(feedColumns), " "), ", "), ", f.") +
	", ff.guild_id, ff.no"

// scanFollowedFeed reads a row of followedFeedColumns.
func scanFollowedFeed(r scanner) (Feed, error) {
	var guild string
	var no int64
	f, err := scanFeed(extraScan{r, []any{&guild, &no}})
	f.GuildID, f.No = guild, no
	return f, err
}

// extraScan scans a row whose first columns another scanner reads and
// whose last ones go to extra.
type extraScan struct {
	r     scanner
	extra []any
}

func (e extraScan) Scan(dest ...any) error { return e.r.Scan(append(dest, e.extra...)...) }

// GuildFeeds lists the feeds a server follows, by their number there.
// AddedBy is who added the feed to that server.
func (s *Store) GuildFeeds(ctx context.Context, guildID string) ([]Feed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+followedFeedColumns+`, ff.added_by FROM feeds f
		JOIN feed_follows ff ON ff.feed_id = f.id WHERE ff.guild_id = ? ORDER BY ff.no`, guildID)
	if err != nil {
		return nil, fmt.Errorf("feeds of guild %s: %w", guildID, err)
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		var by string
		f, err := scanFollowedFeed(extraScan{rows, []any{&by}})
		if err != nil {
			return nil, fmt.Errorf("feeds of guild %s: %w", guildID, err)
		}
		f.AddedBy = by
		out = append(out, f)
	}
	return out, rows.Err()
}

// UnfollowFeed stops a server following its feed number no. The articles
// the feed brought stay, and stay visible to the server. A feed nobody
// follows any more, and that is not the owner's, is no longer polled.
func (s *Store) UnfollowFeed(ctx context.Context, guildID string, no int64) (Feed, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Feed{}, fmt.Errorf("remove feed %d: %w", no, err)
	}
	defer tx.Rollback()
	f, err := scanFollowedFeed(tx.QueryRowContext(ctx, `SELECT `+followedFeedColumns+` FROM feeds f
		JOIN feed_follows ff ON ff.feed_id = f.id WHERE ff.guild_id = ? AND ff.no = ?`, guildID, no))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feed %d: %w", no, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("remove feed %d: %w", no, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM feed_follows WHERE feed_id = ? AND guild_id = ?`, f.ID, guildID); err != nil {
		return f, fmt.Errorf("remove feed %d: %w", no, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ? AND from_env = 0
		AND NOT EXISTS (SELECT 1 FROM feed_follows WHERE feed_id = ?)`, f.ID, f.ID); err != nil {
		return f, fmt.Errorf("remove feed %d: %w", no, err)
	}
	return f, tx.Commit()
}
