package data

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestStoryCrossing: when a story first reached n outlets depends on what
// the reader sees of it and what the alert counts.
func TestStoryCrossing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var ferry []Article
	for _, a := range twoEvents() {
		if a.URL[:len("https://ferry")] == "https://ferry" {
			ferry = append(ferry, a)
		}
	}
	// Outlets 1 and 2 are shared, 3 is server A's own, 4 server B's.
	owners := [][]string{nil, nil, {"A"}, {"B"}}
	for i, a := range ferry {
		a.Ingested = time.Date(2026, 5, 4, 8+i, 0, 0, 0, time.UTC)
		addFor(t, s, owners[i], a)
	}
	stories, err := s.AlertCandidates(ctx, time.Time{}, 3, 10)
	if err != nil || len(stories) != 1 || stories[0].Outlets != 4 {
		t.Fatalf("AlertCandidates = %+v, %v", stories, err)
	}
	if few, _ := s.AlertCandidates(ctx, time.Time{}, 5, 10); len(few) != 0 {
		t.Errorf("a story of 4 outlets is a candidate for 5: %+v", few)
	}
	if later, _ := s.AlertCandidates(ctx, time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC), 3, 10); len(later) != 0 {
		t.Errorf("a story not updated since is a candidate: %+v", later)
	}
	id := stories[0].ID
	notCoast := func(a Article) bool { return a.Source != "Coast Wire" }
	tests := []struct {
		name   string
		sc     Scope
		match  func(Article) bool
		n      int
		at     int // index of the report that crossed; -1 none
		first3 []string
	}{
		{"owner", AllArticles(), nil, 3, 2, []string{"Harbour Times", "Coast Wire", "Daily Ledger"}},
		{"server A", GuildScope("A"), nil, 3, 2, []string{"Harbour Times", "Coast Wire", "Daily Ledger"}},
		{"server B", GuildScope("B"), nil, 3, 3, []string{"Harbour Times", "Coast Wire", "Evening Post"}},
		{"server C", GuildScope("C"), nil, 3, -1, nil},
		{"server A, Coast Wire not counted", GuildScope("A"), notCoast, 3, -1, nil},
		{"owner, Coast Wire not counted", AllArticles(), notCoast, 3, 3, []string{"Harbour Times", "Daily Ledger", "Evening Post"}},
		{"two outlets", SharedOnly(), nil, 2, 1, []string{"Harbour Times", "Coast Wire"}},
	}
	for _, tt := range tests {
		c, ok, err := s.StoryCrossing(ctx, id, tt.sc, tt.match, tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (tt.at >= 0) {
			t.Errorf("%s: crossed %v, want %v", tt.name, ok, tt.at >= 0)
			continue
		}
		if ok && (!c.At.Equal(time.Date(2026, 5, 4, 8+tt.at, 0, 0, 0, time.UTC)) || !slices.Equal(c.Outlets, tt.first3)) {
			t.Errorf("%s: crossed at %s with %q, want report %d with %q", tt.name, c.At, c.Outlets, tt.at, tt.first3)
		}
	}
}

func TestFinalSlots(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	sub, err := s.AddSubscription(ctx, Subscription{GuildID: "A", ChannelID: "c", Kind: KindAlert, Threshold: 3})
	if err != nil || sub.No != 1 || sub.Kind != KindAlert {
		t.Fatalf("alert subscription: %+v %v", sub, err)
	}
	if _, err := s.AddSubscription(ctx, Subscription{GuildID: "A", ChannelID: "c", Kind: KindAlert, Threshold: 1}); err == nil {
		t.Error("an alert for one outlet was stored")
	}
	now := time.Now()
	for i, st := range []PostStatus{PostSent, PostRetry} {
		p, ok, err := s.ClaimPost(ctx, Claim{SubscriptionID: sub.ID, Slot: AlertSlot(int64(10 + i)), Deadline: now.Add(time.Hour), Owner: "me", Now: now, Lease: time.Minute})
		if err != nil || !ok {
			t.Fatal(err)
		}
		p.Status = st
		if err := s.FinishPost(ctx, p, "me", now); err != nil {
			t.Fatal(err)
		}
	}
	final, err := s.FinalSlots(ctx, sub.ID, []time.Time{AlertSlot(10), AlertSlot(11), AlertSlot(12)})
	if err != nil || !final[10] || final[11] || final[12] || len(final) != 1 {
		t.Errorf("FinalSlots = %v, %v; want story 10 only", final, err)
	}
	if AlertStory(AlertSlot(12345)) != 12345 {
		t.Error("AlertStory does not undo AlertSlot")
	}
}
