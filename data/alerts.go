package data

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Story alerts are subscriptions of kind KindAlert: instead of posting on a
// schedule, one posts once when a story first reaches Threshold outlets in
// what its server reads and its filters let through. Delivery goes through
// the same log as scheduled posts, keyed by AlertSlot(story), so an alert is
// posted once whatever happens.

// KindAlert is Subscription.Kind for a story alert; "" is a scheduled
// briefing.
const KindAlert = "alert"

// DefaultAlertOutlets is how many outlets a story must reach before an
// alert unless the alert says otherwise: three independent reports are the
// usual newsroom bar for "this is a real story".
const DefaultAlertOutlets = 3

// AlertSlot is the delivery log's key for an alert about a story: its ID
// where a scheduled post has its slot's time.
func AlertSlot(storyID int64) time.Time { return time.Unix(storyID, 0).UTC() }

// AlertStory is the story an alert's delivery key names.
func AlertStory(slot time.Time) int64 { return slot.Unix() }

// AlertCandidates lists the stories with a report stored at or after since
// that have at least n outlets counting every report (what one server reads
// of a story has no more), most recently updated first, at most limit.
func (s *Store) AlertCandidates(ctx context.Context, since time.Time, n, limit int) ([]Story, error) {
	return s.queryStories(ctx, `WHERE s.ingested >= ? AND s.outlets >= ? ORDER BY s.ingested DESC, s.id DESC LIMIT ?`,
		unixOrZero(since), n, limit)
}

// Crossing is when a story first reached a number of outlets in what one
// reader sees of it.
type Crossing struct {
	StoryID int64
	// At is when the report that brought the last of those outlets was
	// stored.
	At time.Time
	// Outlets are the first outlets to report it, in the order their
	// reports were stored.
	Outlets []string
}

// crossingReports bounds the reports StoryCrossing reads, oldest first: a
// story reaches an alert's outlets among its first reports, and the cost of
// a look stays bounded however long a story runs.
const crossingReports = 300

// StoryCrossing tells when the reports of a story that the scope sees and
// match lets through (nil: all) first came from n different outlets; ok is
// false when they have not yet.
func (s *Store) StoryCrossing(ctx context.Context, id int64, sc Scope, match func(Article) bool, n int) (Crossing, bool, error) {
	visible, vargs := sc.visibleSQL("a")
	rows, err := s.db.QueryContext(ctx, `SELECT `+prefixed("a", articleColumns)+` FROM articles a
		WHERE a.story_id = ? AND `+visible+` ORDER BY a.ingested, a.seq LIMIT ?`,
		append(append([]any{id}, vargs...), crossingReports)...)
	if err != nil {
		return Crossing{}, false, fmt.Errorf("story %d: %w", id, err)
	}
	defer rows.Close()
	c := Crossing{StoryID: id}
	seen := map[string]bool{}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return c, false, fmt.Errorf("story %d: %w", id, err)
		}
		if a.Source == "" || seen[a.Source] || (match != nil && !match(a)) {
			continue
		}
		seen[a.Source] = true
		c.Outlets = append(c.Outlets, a.Source)
		if len(c.Outlets) == n {
			c.At = a.Ingested
			return c, true, nil
		}
	}
	return c, false, rows.Err()
}

// FinalSlots reports which of a subscription's slots the delivery log holds
// as final (sent, given up or skipped), so an alert already posted is not
// weighed again.
func (s *Store) FinalSlots(ctx context.Context, subID int64, slots []time.Time) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(slots) == 0 {
		return out, nil
	}
	list := make([]string, len(slots))
	for i, t := range slots {
		list[i] = strconv.FormatInt(t.Unix(), 10)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT slot, status FROM posts WHERE subscription_id = ? AND slot IN (`+
		strings.Join(list, ",")+`)`, subID)
	if err != nil {
		return nil, fmt.Errorf("posts of %d: %w", subID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var slot int64
		var st PostStatus
		if err := rows.Scan(&slot, &st); err != nil {
			return nil, fmt.Errorf("posts of %d: %w", subID, err)
		}
		if st.Final() {
			out[slot] = true
		}
	}
	return out, rows.Err()
}
