package data

import (
	"context"
	"errors"
	"testing"
)

func TestRemoveSubscriptionOnlyFromItsGuild(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	sub, err := s.AddSubscription(ctx, Subscription{GuildID: "g", ChannelID: "c", Topic: "ceasefire", Spec: "0 8 * * *", TZ: "Europe/Kyiv"})
	if err != nil {
		t.Fatal(err)
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
