package data

import (
	"context"
	"database/sql"
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
	// Kind is "" for a scheduled briefing, KindAlert for a story alert,
	// which has no Spec and posts once about each story that reaches
	// Threshold outlets.
	Kind      string
	Threshold int
}

const subscriptionColumns = `id, guild_id, channel_id, topic, spec, tz, created_by, from_env, created,
	no, include_words, exclude_words, allow_outlets, block_outlets, kind, threshold`

func scanSubscription(r scanner) (Subscription, error) {
	var sub Subscription
	var created int64
	f := &sub.Filter
	err := r.Scan(&sub.ID, &sub.GuildID, &sub.ChannelID, &sub.Topic, &sub.Spec, &sub.TZ, &sub.CreatedBy, &sub.FromEnv, &created,
		&sub.No, &f.Include, &f.Exclude, &f.Allow, &f.Block, &sub.Kind, &sub.Threshold)
	sub.Created = timeOrZero(created)
	return sub, err
}

// AddSubscription stores a new subscription and returns it with its ID
// and, for a server's own, its number in that server.
func (s *Store) AddSubscription(ctx context.Context, sub Subscription) (Subscription, error) {
	switch {
	case sub.ChannelID == "":
		return sub, errors.New("add subscription: a channel is required")
	case sub.Kind == KindAlert && sub.Threshold < 2:
		return sub, errors.New("add subscription: an alert needs a story to reach 2 outlets or more")
	case sub.Kind == "" && sub.Spec == "":
		return sub, errors.New("add subscription: a schedule is required")
	case sub.Kind != "" && sub.Kind != KindAlert:
		return sub, fmt.Errorf("add subscription: unknown kind %q", sub.Kind)
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
		 no, include_words, exclude_words, allow_outlets, block_outlets, kind, threshold)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		sub.GuildID, sub.ChannelID, sub.Topic, sub.Spec, sub.TZ, sub.CreatedBy, sub.FromEnv, sub.Created.Unix(),
		sub.No, f.Include, f.Exclude, f.Allow, f.Block, sub.Kind, sub.Threshold).Scan(&sub.ID)
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
