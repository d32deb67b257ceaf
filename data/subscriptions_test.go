package data

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPostsClaimedOnce(t *testing.T) {
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	s := openTest(t, WithClock(func() time.Time { return now }))
	ctx := context.Background()
	sub, err := s.AddSubscription(ctx, Subscription{GuildID: "g", ChannelID: "c", Topic: "ceasefire", Spec: "0 8 * * *", TZ: "Europe/Kyiv"})
	if err != nil {
		t.Fatal(err)
	}
	slot := now
	if ok, err := s.ClaimPost(ctx, sub.ID, slot); !ok || err != nil {
		t.Fatalf("first claim: %v, %v", ok, err)
	}
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot); ok {
		t.Fatal("second claim of a pending slot succeeded")
	}
	if err := s.FinishPost(ctx, Post{SubscriptionID: sub.ID, Slot: slot, Status: PostSent, MessageID: "m1", Said: []string{"A fact."}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot); ok {
		t.Fatal("claim of a sent slot succeeded")
	}
	last, ok, err := s.LastPost(ctx, sub.ID)
	if err != nil || !ok || last.MessageID != "m1" {
		t.Fatalf("LastPost = %+v, %v, %v", last, ok, err)
	}
	said, err := s.Said(ctx, sub.ID)
	if err != nil || len(said) != 1 || said[0] != "A fact." {
		t.Fatalf("Said = %q, %v", said, err)
	}
	// A claim left pending by a crash may be retried once it is stale.
	slot2 := slot.Add(24 * time.Hour)
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot2); !ok {
		t.Fatal("claim slot2")
	}
	now = now.Add(staleClaim + time.Minute)
	if ok, _ := s.ClaimPost(ctx, sub.ID, slot2); !ok {
		t.Fatal("stale pending claim was not retried")
	}
	if _, err := s.RemoveSubscription(ctx, "other-guild", sub.No); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove from another guild: %v, want ErrNotFound", err)
	}
	if _, err := s.RemoveSubscription(ctx, "g", sub.No); err != nil {
		t.Fatal(err)
	}
}

func TestReplaceEnvSubscriptionsKeepsIDs(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a := Subscription{ChannelID: "c1", Topic: "ceasefire", Spec: "0 8 * * *", TZ: "UTC"}
	b := Subscription{ChannelID: "c1", Topic: "oil", Spec: "0 8 * * *", TZ: "UTC"}
	first, err := s.ReplaceEnvSubscriptions(ctx, []Subscription{a, b})
	if err != nil || len(first) != 2 {
		t.Fatal(first, err)
	}
	second, err := s.ReplaceEnvSubscriptions(ctx, []Subscription{a})
	if err != nil || len(second) != 1 || second[0].ID != first[0].ID {
		t.Fatalf("unchanged env subscription changed ID: %+v vs %+v (%v)", second, first, err)
	}
	all, _ := s.Subscriptions(ctx)
	if len(all) != 1 {
		t.Fatalf("stale env subscription kept: %+v", all)
	}
}
