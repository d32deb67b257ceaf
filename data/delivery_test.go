package data

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func testSub(t testing.TB, s *Store) Subscription {
	t.Helper()
	sub, err := s.AddSubscription(context.Background(), Subscription{GuildID: "g", ChannelID: "c", Topic: "ceasefire", Spec: "0 8 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// TestDeliveryLogStates walks one slot through the log: claimed by one
// owner and refused to a second while the lease holds; sending with its
// message frozen; a failed attempt retried only once its next try comes,
// keeping the frozen message; sent, after which nobody claims it again.
func TestDeliveryLogStates(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	sub := testSub(t, s)
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	slot, deadline := t0, t0.Add(24*time.Hour)
	claim := func(owner string, now time.Time) (Post, bool) {
		t.Helper()
		p, ok, err := s.ClaimPost(ctx, Claim{SubscriptionID: sub.ID, Slot: slot, Deadline: deadline, Owner: owner, Now: now, Lease: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		return p, ok
	}

	p, ok := claim("a", t0)
	if !ok || p.Status != PostClaimed || p.LeaseOwner != "a" || !p.LeaseUntil.Equal(t0.Add(time.Minute)) || !p.Deadline.Equal(deadline) || p.Body != "" {
		t.Fatalf("first claim: %v %+v", ok, p)
	}
	if p, ok := claim("b", t0.Add(30*time.Second)); ok || p.LeaseOwner != "a" {
		t.Fatalf("claimed under a live lease: %+v", p)
	}
	if err := s.StartSending(ctx, p, "b", `{"content":"x"}`, nil, t0); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("non-holder started sending: %v", err)
	}
	if err := s.StartSending(ctx, p, "a", `{"content":"x"}`, []string{"A fact."}, t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	p.Status, p.Error, p.NextTry = PostRetry, "503 Service Unavailable", t0.Add(5*time.Minute)
	if err := s.FinishPost(ctx, p, "a", t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, ok := claim("b", t0.Add(4*time.Minute)); ok {
		t.Fatal("retry claimed before its next try")
	}
	p, ok = claim("b", t0.Add(5*time.Minute))
	if !ok || p.Status != PostRetry || p.Body != `{"content":"x"}` || !p.SendingSince.Equal(t0.Add(time.Second)) || p.Attempts != 1 || p.Error == "" {
		t.Fatalf("retry claim: %v %+v", ok, p)
	}
	if err := s.StartSending(ctx, p, "b", p.Body, p.Said, t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	p.Status, p.MessageID = PostSent, "m1"
	if err := s.FinishPost(ctx, p, "b", t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, _, _ := s.Post(ctx, sub.ID, slot)
	if got.Status != PostSent || got.MessageID != "m1" || got.Attempts != 2 || !got.SendingSince.Equal(t0.Add(time.Second)) || got.LeaseOwner != "" {
		t.Errorf("sent slot: %+v", got)
	}
	if _, ok := claim("c", t0.Add(48*time.Hour)); ok {
		t.Error("a sent slot was claimed again")
	}
	if err := s.FinishPost(ctx, got, "b", t0.Add(49*time.Hour)); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("finish of a final slot: %v", err)
	}
	said, err := s.Said(ctx, sub.ID)
	if err != nil || len(said) != 1 || said[0] != "A fact." {
		t.Errorf("Said = %q, %v", said, err)
	}
	if last, ok, err := s.LastPost(ctx, sub.ID); !ok || err != nil || last.MessageID != "m1" {
		t.Errorf("LastPost = %+v %v %v", last, ok, err)
	}
}

// TestDeliveryLeaseRecovery: a holder that dies (stops renewing) loses the
// slot once its lease runs out, not after a fixed long wait; a holder that
// renews keeps it; and the one that lost it can change nothing after the
// take-over (fencing).
func TestDeliveryLeaseRecovery(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	sub := testSub(t, s)
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	c := Claim{SubscriptionID: sub.ID, Slot: t0, Deadline: t0.Add(time.Hour), Owner: "a", Now: t0, Lease: time.Minute}
	p, ok, err := s.ClaimPost(ctx, c)
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := s.StartSending(ctx, p, "a", `{"content":"x"}`, nil, t0); err != nil {
		t.Fatal(err)
	}
	// Renewed at 50 s: still a's at 90 s.
	if err := s.RenewLease(ctx, sub.ID, t0, "a", t0.Add(110*time.Second)); err != nil {
		t.Fatal(err)
	}
	c.Owner, c.Now = "b", t0.Add(90*time.Second)
	if _, ok, _ := s.ClaimPost(ctx, c); ok {
		t.Fatal("taken over under a renewed lease")
	}
	if open, _ := s.OpenPosts(ctx, c.Now, 10); len(open) != 0 {
		t.Errorf("open under a live lease: %+v", open)
	}
	// a dies: no renewal. Just after 110 s the slot is b's, still sending
	// (so b must look for the message before sending again).
	at, ok, err := s.NextOpenPost(ctx)
	if !ok || err != nil || !at.Equal(t0.Add(111*time.Second)) {
		t.Errorf("NextOpenPost = %v %v %v", at, ok, err)
	}
	c.Now = t0.Add(111 * time.Second)
	if open, _ := s.OpenPosts(ctx, c.Now, 10); len(open) != 1 {
		t.Errorf("open after the lease ran out: %+v", open)
	}
	p, ok, err = s.ClaimPost(ctx, c)
	if !ok || err != nil || p.Status != PostSending || p.Body == "" {
		t.Fatalf("take-over: %v %v %+v", ok, err, p)
	}
	for what, err := range map[string]error{
		"renew":  s.RenewLease(ctx, sub.ID, t0, "a", t0.Add(time.Hour)),
		"send":   s.StartSending(ctx, p, "a", p.Body, nil, c.Now),
		"finish": s.FinishPost(ctx, Post{SubscriptionID: sub.ID, Slot: t0, Status: PostSent, MessageID: "dup"}, "a", c.Now),
	} {
		if !errors.Is(err, ErrLeaseLost) {
			t.Errorf("%s by the old holder after the take-over: %v", what, err)
		}
	}
}

// TestDeliveryClaimAcrossProcesses: two stores on one database (two
// processes, each with its own connections: one SQLite file, or one
// PostgreSQL schema) race for the same slots; each slot goes to exactly one
// of them.
func TestDeliveryClaimAcrossProcesses(t *testing.T) {
	dsn := testDSN(t)
	var stores []*Store
	for range 2 {
		st, err := Open(dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
	}
	ctx := context.Background()
	sub := testSub(t, stores[0])
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	const slots = 50
	wins := make([][]int, 2)
	var wg sync.WaitGroup
	for i, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range slots {
				slot := t0.Add(time.Duration(k) * time.Hour)
				_, ok, err := st.ClaimPost(ctx, Claim{SubscriptionID: sub.ID, Slot: slot, Deadline: slot.Add(time.Hour), Owner: string(rune('a' + i)), Now: t0, Lease: time.Minute})
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					wins[i] = append(wins[i], k)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(wins[0]) + len(wins[1]); n != slots {
		t.Errorf("%d claims won for %d slots: %v", n, slots, wins)
	}
}

// TestMigrationClosesOldOpenPosts: a database from before the delivery log
// with pending and failed posts opens with those closed as abandoned and
// its sent posts kept.
func TestMigrationClosesOldOpenPosts(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	step := slices.IndexFunc(migrations, func(m string) bool { return strings.Contains(m, "ADD COLUMN lease_owner") })
	if step < 0 {
		t.Fatal("no delivery log migration")
	}
	s := openMigrated(t, step, `INSERT INTO subscriptions (id, channel_id, spec, created) VALUES (1, 'c', '0 8 * * *', 1);
		INSERT INTO posts (subscription_id, slot, status, message_id, updated) VALUES
		(1, 1000, 'sent', 'm1', 1), (1, 1001, 'pending', '', 1), (1, 1002, 'failed', '', 1)`)
	sub := Subscription{ID: 1}
	posts, err := s.Posts(ctx, sub.ID, 10)
	if err != nil || len(posts) != 3 {
		t.Fatalf("%+v %v", posts, err)
	}
	want := map[int64]PostStatus{1000: PostSent, 1001: PostAbandoned, 1002: PostAbandoned}
	for _, p := range posts {
		if p.Status != want[p.Slot.Unix()] {
			t.Errorf("slot %d: %s, want %s", p.Slot.Unix(), p.Status, want[p.Slot.Unix()])
		}
	}
	if open, _ := s.OpenPosts(ctx, time.Now(), 10); len(open) != 0 {
		t.Errorf("old posts left open: %+v", open)
	}
}

// BenchmarkDeliveryLog measures the delivery log's bookkeeping for one slot
// (claim, start sending with a 4 kB message, finish as sent: three
// statements, each its own write), beside the floor of the same database
// doing one plain INSERT of a posts row per slot.
func BenchmarkDeliveryLog(b *testing.B) {
	body := `{"content":"` + strings.Repeat("x", 4000) + `"}`
	t0 := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)
	b.Run("floor-insert", func(b *testing.B) {
		s := openTest(b)
		sub := testSub(b, s)
		b.ResetTimer()
		for i := range b.N {
			if _, err := s.db.Exec(`INSERT INTO posts (subscription_id, slot, status, body, updated) VALUES (?, ?, 'sent', ?, 1)`,
				sub.ID, t0.Add(time.Duration(i)*time.Minute).Unix(), body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("claim-send-finish", func(b *testing.B) {
		s := openTest(b)
		sub := testSub(b, s)
		ctx := context.Background()
		b.ResetTimer()
		for i := range b.N {
			slot := t0.Add(time.Duration(i) * time.Minute)
			p, ok, err := s.ClaimPost(ctx, Claim{SubscriptionID: sub.ID, Slot: slot, Deadline: slot.Add(time.Hour), Owner: "a", Now: slot, Lease: time.Minute})
			if err != nil || !ok {
				b.Fatal(ok, err)
			}
			if err := s.StartSending(ctx, p, "a", body, nil, slot); err != nil {
				b.Fatal(err)
			}
			p.Status, p.MessageID = PostSent, "m"
			if err := s.FinishPost(ctx, p, "a", slot); err != nil {
				b.Fatal(err)
			}
		}
	})
}
