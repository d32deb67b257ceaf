package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrFeedExists is returned (with the stored feed) by AddFeed when the feed
// is already followed, under the same URL or a variant of it.
var ErrFeedExists = errors.New("feed already followed")

// Feed is a followed RSS, Atom or JSON feed and where its polling stands.
type Feed struct {
	ID    int64
	URL   string
	Title string // the feed's own title, once it has been read
	// SiteName is the outlet's name as its article pages give it
	// (og:site_name), learned while polling.
	SiteName string
	AddedBy  string // Discord user ID, or "env"
	// FromEnv marks feeds from BRIEFBOT_FEEDS: the owner's, so the feed URL
	// itself is trusted to reach private addresses (the pages its items
	// link to are not: see feedSource).
	FromEnv      bool
	ETag         string
	LastModified string
	LastSuccess  time.Time // zero: never read successfully
	LastError    string    // empty after a success
	LastErrorAt  time.Time
	// Failures counts failed polls since the last success.
	Failures int
	NextPoll time.Time
	// Warned is set once the bot has been told to warn about this feed's
	// failures; a success clears it.
	Warned  bool
	Created time.Time
	// GuildID and No are the server a feed is read for and the number that
	// server knows it by (never reused there), when it comes from
	// GuildFeeds or is added for a server; zero otherwise.
	GuildID string
	No      int64
}

// Outlet is the name articles from this feed are credited to: the outlet's
// site name when the feed's title contains it ("World news | The Guardian"
// becomes "The Guardian"), else the feed's title, else the site name.
func (f Feed) Outlet() string {
	switch {
	case f.SiteName != "" && strings.Contains(strings.ToLower(f.Title), strings.ToLower(f.SiteName)):
		return f.SiteName
	case f.Title != "":
		return f.Title
	}
	return f.SiteName
}

const feedColumns = `id, url, title, site_name, added_by, from_env, etag, last_modified,
	last_success, last_error, last_error_at, failures, next_poll, warned, created`

func scanFeed(r scanner) (Feed, error) {
	var f Feed
	var success, errAt, next, created int64
	err := r.Scan(&f.ID, &f.URL, &f.Title, &f.SiteName, &f.AddedBy, &f.FromEnv, &f.ETag, &f.LastModified,
		&success, &f.LastError, &errAt, &f.Failures, &next, &f.Warned, &created)
	f.LastSuccess, f.LastErrorAt, f.NextPoll, f.Created = timeOrZero(success), timeOrZero(errAt), timeOrZero(next), timeOrZero(created)
	return f, err
}

// feedKey is what two URLs of one feed have in common.
func feedKey(raw string) (string, error) {
	key := CanonicalURL(raw)
	if key == "" {
		return "", fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return key, nil
}

// AddFeed stores a feed to follow; with f.GuildID set, that server
// follows it and f.No is the number it gets there. A feed already stored
// (the same URL up to scheme, "www.", tracking parameters and the like) is
// not added twice: the stored one is returned with ErrFeedExists. A server
// follows a feed that is already stored with FollowStoredFeed.
func (s *Store) AddFeed(ctx context.Context, f Feed) (Feed, error) {
	f.URL = strings.TrimSpace(f.URL)
	key, err := feedKey(f.URL)
	if err != nil {
		return f, fmt.Errorf("add feed: %w", err)
	}
	if f.Created.IsZero() {
		f.Created = s.now().UTC()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return f, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	defer tx.Rollback()
	existing, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE canonical_url = ?`, key))
	switch {
	case err == nil:
		return existing, fmt.Errorf("%s is feed %d: %w", f.URL, existing.ID, ErrFeedExists)
	case !errors.Is(err, sql.ErrNoRows):
		return f, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO feeds (url, canonical_url, title, site_name, added_by, from_env,
		etag, last_modified, last_success, last_error, last_error_at, failures, next_poll, warned, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.URL, key, f.Title, f.SiteName, f.AddedBy, f.FromEnv, f.ETag, f.LastModified, unixOrZero(f.LastSuccess),
		f.LastError, unixOrZero(f.LastErrorAt), f.Failures, unixOrZero(f.NextPoll), f.Warned, f.Created.Unix()).Scan(&f.ID)
	if err != nil {
		return f, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	if f.GuildID != "" {
		if f.No, err = insertFollow(ctx, tx, f.ID, f.GuildID, f.AddedBy, f.Created, 0); err != nil {
			return f, fmt.Errorf("add feed %s: %w", f.URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return f, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	return f, nil
}

// Feed returns the feed with the given ID.
func (s *Store) Feed(ctx context.Context, id int64) (Feed, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feed %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("feed %d: %w", id, err)
	}
	return f, nil
}

// feedByKey finds a feed by its canonical URL.
func (s *Store) feedByKey(ctx context.Context, key string) (Feed, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE canonical_url = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feed %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("feed %s: %w", key, err)
	}
	return f, nil
}

// Feeds lists every followed feed, oldest first.
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	return s.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY id`)
}

func (s *Store) queryFeeds(ctx context.Context, q string, args ...any) ([]Feed, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("feeds: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RemoveFeed stops following a feed. Its articles stay in the store.
func (s *Store) RemoveFeed(ctx context.Context, id int64) error {
	r, err := s.db.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove feed %d: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("feed %d: %w", id, ErrNotFound)
	}
	return nil
}

// ReplaceEnvFeeds makes the env-file feeds equal to urls. A feed listed
// before keeps its ID and polling state across restarts; one the env file no
// longer lists is no longer followed, unless servers follow it (it stays
// theirs, no longer trusted). A URL that a server had already added becomes
// an env feed (trusted, shared) and keeps its ID.
func (s *Store) ReplaceEnvFeeds(ctx context.Context, urls []string) ([]Feed, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("env feeds: %w", err)
	}
	defer tx.Rollback()
	keep := map[int64]bool{}
	var out []Feed
	for _, raw := range urls {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		key, err := feedKey(raw)
		if err != nil {
			return nil, fmt.Errorf("env feeds: %w", err)
		}
		f, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds WHERE canonical_url = ?`, key))
		switch {
		case err == nil:
			if !f.FromEnv {
				if _, err := tx.ExecContext(ctx, `UPDATE feeds SET from_env = 1 WHERE id = ?`, f.ID); err != nil {
					return nil, fmt.Errorf("env feeds: %w", err)
				}
				f.FromEnv = true
			}
		case errors.Is(err, sql.ErrNoRows):
			f = Feed{URL: raw, AddedBy: "env", FromEnv: true, Created: s.now().UTC()}
			if err := tx.QueryRowContext(ctx, `INSERT INTO feeds (url, canonical_url, added_by, from_env, created)
				VALUES (?, ?, 'env', 1, ?) RETURNING id`, raw, key, f.Created.Unix()).Scan(&f.ID); err != nil {
				return nil, fmt.Errorf("env feeds: %w", err)
			}
		default:
			return nil, fmt.Errorf("env feeds: %w", err)
		}
		if !keep[f.ID] {
			keep[f.ID] = true
			out = append(out, f)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM feeds WHERE from_env = 1`)
	if err != nil {
		return nil, fmt.Errorf("env feeds: %w", err)
	}
	var stale []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("env feeds: %w", err)
		}
		if !keep[id] {
			stale = append(stale, id)
		}
	}
	rows.Close()
	for _, id := range stale {
		// A feed servers follow stays theirs, no longer trusted.
		if _, err := tx.ExecContext(ctx, `UPDATE feeds SET from_env = 0 WHERE id = ?`, id); err != nil {
			return nil, fmt.Errorf("env feeds: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM feed_follows WHERE feed_id = ?)`, id, id); err != nil {
			return nil, fmt.Errorf("env feeds: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("env feeds: %w", err)
	}
	return out, nil
}

// dueFeeds lists the feeds whose next poll is at or before now.
func (s *Store) dueFeeds(ctx context.Context, now time.Time) ([]Feed, error) {
	return s.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds WHERE next_poll <= ? ORDER BY next_poll, id`, now.Unix())
}

// claimFeed takes a due feed for this poller by moving its next poll past
// the lease, so an overlapping PollDue (a slow tick, a second process) does
// not poll it too. The outcome then sets the real next poll.
func (s *Store) claimFeed(ctx context.Context, id int64, now time.Time, lease time.Duration) (bool, error) {
	r, err := s.db.ExecContext(ctx, `UPDATE feeds SET next_poll = ? WHERE id = ? AND next_poll <= ?`,
		now.Add(lease).Unix(), id, now.Unix())
	if err != nil {
		return false, fmt.Errorf("claim feed %d: %w", id, err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// feedLease is how long a claimed feed is left alone by other pollers:
// half an interval, at least a minute, at most pollLease. The poller renews
// it while it polls (holdFeed), so a slow poll keeps its feed, and a poller
// that died lets another process (or its own restart) poll the feed within
// one interval: its lease runs out and the next minute's PollDue takes it.
func feedLease(interval time.Duration) time.Duration {
	return min(pollLease, max(interval/2, time.Minute))
}

// holdFeed renews a claimed feed's lease every third of it until the
// returned stop is called. Each renewal is conditional on the lease still
// being this poller's (next_poll unchanged since its claim or last
// renewal), so a poller that lost its lease, paused past it, takes nothing
// back. now is the claim's time; renewals add the time since.
func (s *Store) holdFeed(ctx context.Context, id int64, now time.Time, lease time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		held := now.Add(lease).Unix()
		tick := time.NewTicker(lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			until := now.Add(time.Since(start) + lease).Unix()
			r, err := s.db.ExecContext(ctx, `UPDATE feeds SET next_poll = ? WHERE id = ? AND next_poll = ?`, until, id, held)
			if err != nil {
				continue // the database is away: try again next tick
			}
			if n, _ := r.RowsAffected(); n != 1 {
				return // lost (or already finished and rescheduled)
			}
			held = until
		}
	}()
	return func() { cancel(); <-done }
}

// releaseFeed undoes a claim: the feed is due again at now.
func (s *Store) releaseFeed(ctx context.Context, id int64, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE feeds SET next_poll = ? WHERE id = ?`, now.Unix(), id); err != nil {
		return fmt.Errorf("release feed %d: %w", id, err)
	}
	return nil
}

// forgetOldItems drops the feed's delivered-item keys first seen before
// cutoff, so the table does not grow without end.
func (s *Store) forgetOldItems(ctx context.Context, feedID int64, cutoff time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM feed_items WHERE feed_id = ? AND seen < ?`, feedID, cutoff.Unix()); err != nil {
		return fmt.Errorf("feed %d items: %w", feedID, err)
	}
	return nil
}

// maxErrorLen bounds a stored error message; /feeds list shows it.
const maxErrorLen = 500

// recordFeedSuccess stores a successful poll: the feed's title, the
// validators for the next conditional request (kept as they were when v is
// nil), the failure count reset.
func (s *Store) recordFeedSuccess(ctx context.Context, f Feed, v *Validators, now, next time.Time) error {
	etag, lastMod := f.ETag, f.LastModified
	if v != nil {
		etag, lastMod = v.ETag, v.LastModified
	}
	_, err := s.db.ExecContext(ctx, `UPDATE feeds SET title = ?, site_name = ?, etag = ?, last_modified = ?,
		last_success = ?, last_error = '', failures = 0, warned = 0, next_poll = ? WHERE id = ?`,
		f.Title, f.SiteName, etag, lastMod, now.Unix(), next.Unix(), f.ID)
	if err != nil {
		return fmt.Errorf("record poll of feed %d: %w", f.ID, err)
	}
	return nil
}

// recordFeedFailure counts a failed poll and schedules the retry. It
// returns the failure count and whether this failure is the one the bot
// should warn about: the first to reach warnAfter since the last success.
func (s *Store) recordFeedFailure(ctx context.Context, id int64, msg string, now, next time.Time, warnAfter int) (failures int, warn bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("record failure of feed %d: %w", id, err)
	}
	defer tx.Rollback()
	var warned bool
	if err := tx.QueryRowContext(ctx, `SELECT failures, warned FROM feeds WHERE id = ?`, id).Scan(&failures, &warned); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = ErrNotFound
		}
		return 0, false, fmt.Errorf("record failure of feed %d: %w", id, err)
	}
	failures++
	warn = !warned && failures >= warnAfter
	if len(msg) > maxErrorLen {
		msg = strings.ToValidUTF8(msg[:maxErrorLen], "") + "…"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET failures = ?, last_error = ?, last_error_at = ?,
		next_poll = ?, warned = ? WHERE id = ?`, failures, msg, now.Unix(), next.Unix(), warned || warn, id); err != nil {
		return 0, false, fmt.Errorf("record failure of feed %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("record failure of feed %d: %w", id, err)
	}
	return failures, warn, nil
}

// seenKeys reports whether the feed has already delivered an item under
// any of keys.
func (s *Store) seenKeys(ctx context.Context, feedID int64, keys []string) (bool, error) {
	for _, k := range keys {
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM feed_items WHERE feed_id = ? AND key = ?`, feedID, k).Scan(&one)
		switch {
		case err == nil:
			return true, nil
		case !errors.Is(err, sql.ErrNoRows):
			return false, fmt.Errorf("feed %d items: %w", feedID, err)
		}
	}
	return false, nil
}

// markSeen records that the feed delivered an item under these keys, stored
// as article seq (0: none was stored).
func (s *Store) markSeen(ctx context.Context, feedID int64, keys []string, seq int64, now time.Time) error {
	for _, k := range keys {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO feed_items (feed_id, key, seen, article_seq) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, feedID, k, now.Unix(), seq); err != nil {
			return fmt.Errorf("feed %d items: %w", feedID, err)
		}
	}
	return nil
}

// articleByURL finds the stored article with this canonical URL, so a page
// is not fetched again for an item another feed (or an earlier one-off
// ingest) already brought in; seq is 0 when there is none.
func (s *Store) articleByURL(ctx context.Context, canonical string) (seq int64, shared bool, err error) {
	if canonical == "" {
		return 0, false, nil
	}
	err = s.db.QueryRowContext(ctx, `SELECT seq, shared FROM articles WHERE canonical_url = ? AND canonical_url <> ''`, canonical).Scan(&seq, &shared)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look up %s: %w", canonical, err)
	}
	return seq, shared, nil
}
