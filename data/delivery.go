package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The delivery log: one row per scheduled slot of a subscription, moving
// through recorded states until the slot is sent or given up. It is the
// truth about what was posted, so a kill at any moment, a restart after any
// delay or a Discord outage neither loses a slot nor posts it twice:
//
//	claimed   a process holds the slot's lease; nothing was sent yet
//	sending   the message is frozen in Body and a POST may have reached
//	          Discord; before sending again, the channel is searched for it
//	retry     the last attempt failed; try again at NextTry (Body set: a
//	          POST may have reached Discord, so look first)
//	sent      MessageID is the message (final)
//	abandoned too late (the schedule's next slot came) or refused for good
//	          (final)
//	skipped   nothing new, and the server asked for no "nothing new" posts
//	          (final; the next post covers everything since the last sent)
//
// A process works on a slot only while it holds the slot's lease
// (LeaseOwner until LeaseUntil), renewed while it sends. A process that dies
// stops renewing, and once the lease runs out any process (the restarted
// one, or another sharing the database) takes the slot over. Every change a
// holder makes is conditional on still holding the lease, so a process that
// lost it (paused past its lease) changes nothing. The statements are
// single conditional INSERT ... ON CONFLICT and UPDATE statements in the
// portable SQL subset, so they hold across processes on SQLite and
// PostgreSQL alike. Times are the caller's clock, in Unix seconds.

// PostStatus is where a scheduled slot stands in the delivery log.
type PostStatus string

// The states of a slot; see the delivery log above.
const (
	PostClaimed   PostStatus = "claimed"
	PostSending   PostStatus = "sending"
	PostRetry     PostStatus = "retry"
	PostSent      PostStatus = "sent"
	PostAbandoned PostStatus = "abandoned"
	PostSkipped   PostStatus = "skipped"
)

// Final reports whether a slot in this state is done with.
func (st PostStatus) Final() bool { return st == PostSent || st == PostAbandoned || st == PostSkipped }

// openStatuses is the SQL list of the states still being worked on.
const openStatuses = `('claimed', 'sending', 'retry')`

// ErrLeaseLost is returned when the caller no longer holds a slot's lease:
// another process took the slot over after the lease ran out.
var ErrLeaseLost = errors.New("delivery lease lost to another process")

// Post records one scheduled slot of a subscription.
type Post struct {
	SubscriptionID int64
	Slot           time.Time // the scheduled time, to the minute
	Status         PostStatus
	MessageID      string
	Said           []string // bullet and quote texts the post carries
	Error          string   // why the last attempt failed
	Attempts       int      // POSTs begun
	Updated        time.Time
	// Deadline is when the slot becomes too late to send: the schedule's
	// next slot.
	Deadline time.Time
	// NextTry is when a slot in retry may be tried again.
	NextTry    time.Time
	LeaseOwner string
	LeaseUntil time.Time
	// Body is the message (the JSON sent to Discord), frozen when the
	// first POST began, so every attempt sends the same message and it can
	// be recognised in the channel. Empty: nothing was ever sent.
	Body string
	// SendingSince is when the first POST began: a search of the channel
	// for the message starts there.
	SendingSince time.Time
}

const postColumns = `subscription_id, slot, status, message_id, said, error, attempts, updated,
	deadline, next_try, lease_owner, lease_until, body, sending_since`

func scanPost(r scanner) (Post, error) {
	var p Post
	var slot, updated, deadline, next, leaseUntil, since int64
	var said string
	if err := r.Scan(&p.SubscriptionID, &slot, &p.Status, &p.MessageID, &said, &p.Error, &p.Attempts, &updated,
		&deadline, &next, &p.LeaseOwner, &leaseUntil, &p.Body, &since); err != nil {
		return p, err
	}
	p.Slot, p.Updated = time.Unix(slot, 0).UTC(), time.Unix(updated, 0).UTC()
	p.Deadline, p.NextTry, p.LeaseUntil, p.SendingSince = timeOrZero(deadline), timeOrZero(next), timeOrZero(leaseUntil), timeOrZero(since)
	if err := json.Unmarshal([]byte(said), &p.Said); err != nil {
		return p, fmt.Errorf("post said: %w", err)
	}
	return p, nil
}

// Claim asks for a slot's lease.
type Claim struct {
	SubscriptionID int64
	Slot           time.Time
	// Deadline is recorded when the slot is first claimed.
	Deadline time.Time
	Owner    string // this process
	Now      time.Time
	Lease    time.Duration
}

// ClaimPost takes a slot's lease for c.Owner: a slot not seen before is
// created as claimed; an open one (claimed, sending, retry) is taken over
// when its lease has run out and, for retry, its NextTry has come. It
// returns the slot as it stands and whether the caller now holds it. A
// final slot, or one another process holds, is not claimed: this is what
// makes a second firing, a restart or a second process leave it alone.
func (s *Store) ClaimPost(ctx context.Context, c Claim) (Post, bool, error) {
	now := c.Now.Unix()
	row := s.db.QueryRowContext(ctx, `INSERT INTO posts
		(subscription_id, slot, status, deadline, lease_owner, lease_until, updated)
		VALUES (?, ?, 'claimed', ?, ?, ?, ?)
		ON CONFLICT (subscription_id, slot) DO UPDATE SET
			lease_owner = excluded.lease_owner, lease_until = excluded.lease_until, updated = excluded.updated
		WHERE posts.status IN `+openStatuses+` AND posts.lease_until < ? AND posts.next_try <= ?
		RETURNING `+postColumns,
		c.SubscriptionID, c.Slot.Unix(), c.Deadline.Unix(), c.Owner, c.Now.Add(c.Lease).Unix(), now, now, now)
	p, err := scanPost(row)
	switch {
	case err == nil:
		return p, true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return p, false, fmt.Errorf("claim post %d@%s: %w", c.SubscriptionID, c.Slot.Format(time.RFC3339), err)
	}
	p, ok, err := s.Post(ctx, c.SubscriptionID, c.Slot)
	if err == nil && !ok {
		err = fmt.Errorf("claim post %d@%s: neither claimed nor found", c.SubscriptionID, c.Slot.Format(time.RFC3339))
	}
	return p, false, err
}

// RenewLease extends the caller's lease on a slot to until. It returns
// ErrLeaseLost when the caller no longer holds it.
func (s *Store) RenewLease(ctx context.Context, subID int64, slot time.Time, owner string, until time.Time) error {
	r, err := s.db.ExecContext(ctx, `UPDATE posts SET lease_until = ?
		WHERE subscription_id = ? AND slot = ? AND lease_owner = ? AND status IN `+openStatuses,
		until.Unix(), subID, slot.Unix(), owner)
	return leaseHeld(r, err, "renew lease", subID, slot)
}

// StartSending records, before a POST, that it may reach Discord: the slot
// becomes sending with its message frozen in body (kept from the first
// attempt on, as is SendingSince) and one more attempt counted. It returns
// ErrLeaseLost when the caller no longer holds the slot, and then nothing
// may be sent.
func (s *Store) StartSending(ctx context.Context, p Post, owner, body string, said []string, now time.Time) error {
	js, err := json.Marshal(said)
	if err != nil {
		return err
	}
	if said == nil {
		js = []byte("[]")
	}
	r, err := s.db.ExecContext(ctx, `UPDATE posts SET status = 'sending', body = ?, said = ?,
			sending_since = CASE WHEN sending_since = 0 THEN ? ELSE sending_since END,
			attempts = attempts + 1, updated = ?
		WHERE subscription_id = ? AND slot = ? AND lease_owner = ? AND status IN `+openStatuses,
		body, string(js), now.Unix(), now.Unix(), p.SubscriptionID, p.Slot.Unix(), owner)
	return leaseHeld(r, err, "start sending", p.SubscriptionID, p.Slot)
}

// FinishPost records how the caller's attempt at a slot ended and releases
// the lease: sent with p.MessageID, retry at p.NextTry with p.Error,
// abandoned with p.Error, or skipped. The message frozen by StartSending stays. It
// returns ErrLeaseLost when the caller no longer holds the slot.
func (s *Store) FinishPost(ctx context.Context, p Post, owner string, now time.Time) error {
	switch p.Status {
	case PostSent, PostRetry, PostAbandoned, PostSkipped:
	default:
		return fmt.Errorf("finish post %d@%s: %q is not an outcome", p.SubscriptionID, p.Slot.Format(time.RFC3339), p.Status)
	}
	r, err := s.db.ExecContext(ctx, `UPDATE posts SET status = ?, message_id = ?, error = ?, next_try = ?,
			lease_owner = '', lease_until = 0, updated = ?
		WHERE subscription_id = ? AND slot = ? AND lease_owner = ? AND status IN `+openStatuses,
		string(p.Status), p.MessageID, p.Error, unixOrZero(p.NextTry), now.Unix(), p.SubscriptionID, p.Slot.Unix(), owner)
	return leaseHeld(r, err, "finish post", p.SubscriptionID, p.Slot)
}

// leaseHeld turns a conditional UPDATE's outcome into ErrLeaseLost when it
// changed no row.
func leaseHeld(r sql.Result, err error, what string, subID int64, slot time.Time) error {
	if err != nil {
		return fmt.Errorf("%s %d@%s: %w", what, subID, slot.Format(time.RFC3339), err)
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("%s %d@%s: %w", what, subID, slot.Format(time.RFC3339), ErrLeaseLost)
	}
	return nil
}

// Post returns one slot of a subscription; ok is false when it has none.
func (s *Store) Post(ctx context.Context, subID int64, slot time.Time) (p Post, ok bool, err error) {
	p, err = scanPost(s.db.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts
		WHERE subscription_id = ? AND slot = ?`, subID, slot.Unix()))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("post %d@%s: %w", subID, slot.Format(time.RFC3339), err)
	}
	return p, true, nil
}

// OpenPosts lists slots that a process may take over now, oldest first, at
// most limit: open, with the lease run out (the holder died, or finished an
// attempt and released it) and, for retry, the next try due. This is how
// interrupted and failed slots are found at any time, not only at start-up.
func (s *Store) OpenPosts(ctx context.Context, now time.Time, limit int) ([]Post, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+postColumns+` FROM posts
		WHERE status IN `+openStatuses+` AND lease_until < ? AND next_try <= ?
		ORDER BY slot, subscription_id LIMIT ?`, now.Unix(), now.Unix(), limit)
	if err != nil {
		return nil, fmt.Errorf("open posts: %w", err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("open posts: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// NextOpenPost is the earliest time an open slot becomes free to take over
// (its lease run out and its next try come); ok is false when no slot is
// open.
func (s *Store) NextOpenPost(ctx context.Context) (t time.Time, ok bool, err error) {
	var at sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MIN(CASE WHEN lease_until + 1 > next_try THEN lease_until + 1 ELSE next_try END)
		FROM posts WHERE status IN `+openStatuses).Scan(&at)
	if err != nil {
		return t, false, fmt.Errorf("next open post: %w", err)
	}
	if !at.Valid {
		return t, false, nil
	}
	return time.Unix(at.Int64, 0).UTC(), true, nil
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
