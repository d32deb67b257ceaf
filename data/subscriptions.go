package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Subscription is a scheduled briefing: a topic posted into a channel on a
// cron schedule.
type Subscription struct {
	ID        int64
	GuildID   string
	ChannelID string
	Topic     string // empty: the top stories
	Spec      string // cron spec, as validated by the bot
	TZ        string // IANA zone the spec is read in; empty: UTC
	CreatedBy string // Discord user ID, or "env"
	FromEnv   bool   // defined by the env file, not by /schedule add
	Created   time.Time
	// No is the number the server knows the schedule by, never reused
	// there; 0 for the env file's.
	No int64
	// Filter narrows the articles the schedule reads.
	Filter Filter
}

const subscriptionColumns = `id, guild_id, channel_id, topic, spec, tz, created_by, from_env, created,
	no, include_words, exclude_words, allow_outlets, block_outlets`

func scanSubscription(r scanner) (Subscription, error) {
	var sub Subscription
	var created int64
	f := &sub.Filter
	err := r.Scan(&sub.ID, &sub.GuildID, &sub.ChannelID, &sub.Topic, &sub.Spec, &sub.TZ, &sub.CreatedBy, &sub.FromEnv, &created,
		&sub.No, &f.Include, &f.Exclude, &f.Allow, &f.Block)
	sub.Created = timeOrZero(created)
	return sub, err
}

// AddSubscription stores a new subscription and returns it with its ID
// and, for a server's own, its number in that server.
func (s *Store) AddSubscription(ctx context.Context, sub Subscription) (Subscription, error) {
	if sub.ChannelID == "" || sub.Spec == "" {
		return sub, errors.New("add subscription: channel and schedule are required")
	}
	if sub.Created.IsZero() {
		sub.Created = s.now().UTC()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return sub, fmt.Errorf("add subscription: %w", err)
	}
	defer tx.Rollback()
	sub.No = 0
	if !sub.FromEnv && sub.GuildID != "" {
		if sub.No, err = nextNumber(ctx, tx, sub.GuildID, counterSchedule); err != nil {
			return sub, fmt.Errorf("add subscription: %w", err)
		}
	}
	f := sub.Filter
	err = tx.QueryRowContext(ctx, `INSERT INTO subscriptions
		(guild_id, channel_id, topic, spec, tz, created_by, from_env, created,
		 no, include_words, exclude_words, allow_outlets, block_outlets)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		sub.GuildID, sub.ChannelID, sub.Topic, sub.Spec, sub.TZ, sub.CreatedBy, sub.FromEnv, sub.Created.Unix(),
		sub.No, f.Include, f.Exclude, f.Allow, f.Block).Scan(&sub.ID)
	if err != nil {
		return sub, fmt.Errorf("add subscription: %w", err)
	}
	return sub, tx.Commit()
}

// GuildSubscriptions lists a server's subscriptions: the env file's that
// post there first, then its own by number.
func (s *Store) GuildSubscriptions(ctx context.Context, guildID string) ([]Subscription, error) {
	return s.querySubscriptions(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE guild_id = ? ORDER BY from_env DESC, no, id`, guildID)
}

// ReplaceEnvSubscriptions makes the stored env-file subscriptions equal to
// subs. One that is unchanged keeps its ID, and so its post history, across
// restarts; one the env file no longer names is removed.
func (s *Store) ReplaceEnvSubscriptions(ctx context.Context, subs []Subscription) ([]Subscription, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("env subscriptions: %w", err)
	}
	defer tx.Rollback()
	keep := map[int64]bool{}
	out := make([]Subscription, 0, len(subs))
	for _, sub := range subs {
		sub.FromEnv = true
		if sub.CreatedBy == "" {
			sub.CreatedBy = "env"
		}
		found, err := scanSubscription(tx.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions
			WHERE from_env = 1 AND guild_id = ? AND channel_id = ? AND topic = ? AND spec = ? AND tz = ?`,
			sub.GuildID, sub.ChannelID, sub.Topic, sub.Spec, sub.TZ))
		switch {
		case err == nil:
			sub = found
		case errors.Is(err, sql.ErrNoRows):
			sub.Created = s.now().UTC()
			if err := tx.QueryRowContext(ctx, `INSERT INTO subscriptions
				(guild_id, channel_id, topic, spec, tz, created_by, from_env, created) VALUES (?, ?, ?, ?, ?, ?, 1, ?)
				RETURNING id`,
				sub.GuildID, sub.ChannelID, sub.Topic, sub.Spec, sub.TZ, sub.CreatedBy, sub.Created.Unix()).Scan(&sub.ID); err != nil {
				return nil, fmt.Errorf("env subscriptions: %w", err)
			}
		default:
			return nil, fmt.Errorf("env subscriptions: %w", err)
		}
		keep[sub.ID] = true
		out = append(out, sub)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM subscriptions WHERE from_env = 1`)
	if err != nil {
		return nil, fmt.Errorf("env subscriptions: %w", err)
	}
	var stale []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("env subscriptions: %w", err)
		}
		if !keep[id] {
			stale = append(stale, id)
		}
	}
	rows.Close()
	for _, id := range stale {
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id); err != nil {
			return nil, fmt.Errorf("env subscriptions: %w", err)
		}
	}
	return out, tx.Commit()
}

// Subscriptions lists every subscription, oldest first.
func (s *Store) Subscriptions(ctx context.Context) ([]Subscription, error) {
	return s.querySubscriptions(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions ORDER BY id`)
}

func (s *Store) querySubscriptions(ctx context.Context, q string, args ...any) ([]Subscription, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	defer rows.Close()
	var out []Subscription
	for rows.Next() {
		sub, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// RemoveSubscription deletes a server's subscription number no, with its
// post history, and returns what it was. A subscription of another server,
// or the env file's, is not found, so one server's admins cannot remove
// another's.
func (s *Store) RemoveSubscription(ctx context.Context, guildID string, no int64) (Subscription, error) {
	sub, err := scanSubscription(s.db.QueryRowContext(ctx, `DELETE FROM subscriptions
		WHERE guild_id = ? AND no = ? AND from_env = 0 RETURNING `+subscriptionColumns, guildID, no))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("subscription %d: %w", no, ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("remove subscription %d: %w", no, err)
	}
	return sub, nil
}

// PostStatus is where a scheduled post stands.
type PostStatus string

// The states of a post. A slot is claimed as pending before sending, so a
// second firing of the same slot finds it taken.
const (
	PostPending PostStatus = "pending"
	PostSent    PostStatus = "sent"
	PostFailed  PostStatus = "failed"
	// PostSkipped is a slot with nothing new, left unposted as the server
	// asked (/settings nothing-new); the next post covers everything since
	// the last one sent.
	PostSkipped PostStatus = "skipped"
)

// Post records one scheduled slot of a subscription.
type Post struct {
	SubscriptionID int64
	Slot           time.Time // the scheduled time, to the minute
	Status         PostStatus
	MessageID      string
	Said           []string // bullet and quote texts the post carried
	Error          string
	Attempts       int
	Updated        time.Time
}

// staleClaim is how long a pending claim holds. A process that died between
// claiming and finishing leaves a pending row; after this it may be retried.
const staleClaim = 10 * time.Minute

// ClaimPost takes the slot for the caller. It returns false when the slot is
// already sent, failed, or pending under a live claim: the caller must then
// not post. This is what makes a retry, a restart or cron's double firing on
// a DST fall-back day post once.
func (s *Store) ClaimPost(ctx context.Context, subID int64, slot time.Time) (bool, error) {
	now := s.now().UTC()
	r, err := s.db.ExecContext(ctx, `INSERT INTO posts (subscription_id, slot, status, attempts, updated)
		VALUES (?, ?, 'pending', 1, ?)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET attempts = posts.attempts + 1, updated = excluded.updated
		WHERE posts.status = 'pending' AND posts.updated < ?`,
		subID, slot.Unix(), now.Unix(), now.Add(-staleClaim).Unix())
	if err != nil {
		return false, fmt.Errorf("claim post %d@%s: %w", subID, slot.Format(time.RFC3339), err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// FinishPost records how a claimed slot ended.
func (s *Store) FinishPost(ctx context.Context, p Post) error {
	said, err := json.Marshal(p.Said)
	if err != nil {
		return err
	}
	if p.Said == nil {
		said = []byte("[]")
	}
	_, err = s.db.ExecContext(ctx, `UPDATE posts SET status = ?, message_id = ?, said = ?, error = ?, updated = ?
		WHERE subscription_id = ? AND slot = ?`,
		string(p.Status), p.MessageID, string(said), p.Error, s.now().UTC().Unix(), p.SubscriptionID, p.Slot.Unix())
	if err != nil {
		return fmt.Errorf("finish post %d@%s: %w", p.SubscriptionID, p.Slot.Format(time.RFC3339), err)
	}
	return nil
}

const postColumns = `subscription_id, slot, status, message_id, said, error, attempts, updated`

func scanPost(r scanner) (Post, error) {
	var p Post
	var slot, updated int64
	var said string
	if err := r.Scan(&p.SubscriptionID, &slot, &p.Status, &p.MessageID, &said, &p.Error, &p.Attempts, &updated); err != nil {
		return p, err
	}
	p.Slot, p.Updated = time.Unix(slot, 0).UTC(), time.Unix(updated, 0).UTC()
	if err := json.Unmarshal([]byte(said), &p.Said); err != nil {
		return p, fmt.Errorf("post said: %w", err)
	}
	return p, nil
}

// LastPost returns the newest post of a subscription that was sent; ok is
// false when none was.
func (s *Store) LastPost(ctx context.Context, subID int64) (p Post, ok bool, err error) {
	p, err = scanPost(s.db.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts
		WHERE subscription_id = ? AND status = 'sent' ORDER BY slot DESC LIMIT 1`, subID))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("last post of %d: %w", subID, err)
	}
	return p, true, nil
}

// Posts returns a subscription's posts, newest first, at most limit.
func (s *Store) Posts(ctx context.Context, subID int64, limit int) ([]Post, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+postColumns+` FROM posts
		WHERE subscription_id = ? ORDER BY slot DESC LIMIT ?`, subID, limit)
	if err != nil {
		return nil, fmt.Errorf("posts of %d: %w", subID, err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("posts of %d: %w", subID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// saidHistory is how many past posts count as what a subscription already
// said: enough to cover a story's life, few enough to stay cheap.
const saidHistory = 30

// Said returns the bullet and quote texts the subscription's recent sent
// posts carried, for briefing.Options.Said.
func (s *Store) Said(ctx context.Context, subID int64) ([]string, error) {
	posts, err := s.Posts(ctx, subID, saidHistory)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range posts {
		if p.Status == PostSent {
			out = append(out, p.Said...)
		}
	}
	return out, nil
}
