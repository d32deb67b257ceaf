package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
	"github.com/briefbot/briefbot/internal/pgtest"
)

// TestTwoProcessesShareTheLog: two bots (two processes: each its own
// connections to one database, its own lease owner) run the same schedule.
// Each slot is posted once, by whichever claims it; while one holds a slot
// (Discord slow to answer it), the other leaves it alone; when the holder
// stops mid-send, the other takes the slot over and finds the message
// instead of posting it again. (A holder killed outright is the chaos
// test's and TestDeliveryLeaseRecovery's.)
func TestTwoProcessesShareTheLog(t *testing.T) {
	dsn := pgtest.URL(t)
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "shared.db")
	}
	first := time.Date(2028, 2, 29, 8, 0, 0, 0, time.UTC)
	clock := newManualClock(first.Add(-30 * time.Minute))
	open := func() *data.Store {
		st, err := data.Open(dsn, data.WithClock(clock.Now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	// The fake stamps messages on the bots' clock, as Discord and a host
	// kept right by NTP agree on the time.
	srv := newServer(t, discordtest.WithNonceWindow(0), discordtest.WithClock(clock.Now))
	storeA, storeB := open(), open()
	addZebrafish(t, storeA, first)
	if err := storeA.SaveSettings(context.Background(), data.GuildSettings{GuildID: srv.GuildID(), NothingNew: true}); err != nil {
		t.Fatal(err)
	}
	a, sub := envSub(t, harnessOpts{srv: srv, store: storeA, clock: clock}, "zebrafish", "0 * * * *", "")
	b, subB := envSub(t, harnessOpts{srv: srv, store: storeB, clock: clock}, "zebrafish", "0 * * * *", "")
	// A stops (below) without waiting the usual 30 s for its post.
	a.bot.grace = 100 * time.Millisecond
	if sub.ID != subB.ID {
		t.Fatalf("two processes made two env schedules: %d, %d", sub.ID, subB.ID)
	}
	settle := func() {
		a.waitIdle()
		b.waitIdle()
	}
	botMessages := func() int {
		n := 0
		for _, m := range srv.ChannelMessages(srv.ChannelID()) {
			if m.AuthorID == "" {
				n++
			}
		}
		return n
	}
	for k := range 4 {
		slot := first.Add(time.Duration(k) * time.Hour)
		if k == 3 {
			// Discord holds the post for a while: the holder keeps its
			// lease, the other process does not step in.
			srv.Inject(discordtest.Fault{Method: "POST", Path: "/channels/*/messages", Hold: 500 * time.Millisecond})
		}
		clock.set(slot.Add(time.Second))
		settle()
		for range 3 {
			clock.advance(10 * time.Second)
			settle()
		}
		if n := botMessages(); n != k+1 {
			t.Fatalf("after slot %d: %d messages", k, n)
		}
		if p := lastPost(t, storeA, sub.ID); !p.Slot.Equal(slot) || p.Status != data.PostSent {
			t.Fatalf("slot %d: %+v", k, p)
		}
	}

	// Process A stops while sending slot 4: the message reached Discord,
	// its answer never came back. B takes the slot over and finds it.
	slot := first.Add(4 * time.Hour)
	b.stopLoop()
	srv.Inject(discordtest.Fault{Method: "POST", Path: "/channels/*/messages", CreateFirst: true, Hold: time.Minute,
		OnHold: func(discordtest.Request) { go a.stop() }})
	clock.set(slot.Add(time.Second))
	if _, err := srv.WaitChannelMessages(testCtx(t), srv.ChannelID(), botMessages()+1); err != nil {
		t.Fatal(err)
	}
	a.stop()
	if p := lastPost(t, storeB, sub.ID); p.Status.Final() || p.Body == "" {
		t.Fatalf("slot 4 after A died: %+v", p)
	}
	clock.advance(leaseTime + 2*time.Second)
	if _, posted := b.bot.deliver(testCtx(t), sub, slot, slot.Add(time.Hour)); posted {
		t.Error("B posted slot 4 again")
	}
	if p := lastPost(t, storeB, sub.ID); p.Status != data.PostSent || botMessages() != 5 {
		t.Errorf("slot 4 after B took over: %+v with %d messages", p, botMessages())
	}
}

// BenchmarkSchedulerPass measures one pass of the scheduler over 1,000
// subscriptions whose slots are all done (the steady state between slots:
// read the subscriptions, find each one's latest slot, ask for open slots),
// beside the floor of reading the subscriptions alone.
func BenchmarkSchedulerPass(b *testing.B) {
	const n = 1000
	ctx := context.Background()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	store := openStore(b, data.WithClock(func() time.Time { return now.AddDate(0, 0, -7) }))
	for i := range n {
		sub, err := store.AddSubscription(ctx, data.Subscription{GuildID: "1", ChannelID: "2", Topic: fmt.Sprint("topic ", i), Spec: "0 8 * * *"})
		if err != nil {
			b.Fatal(err)
		}
		slot := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)
		p, _, err := store.ClaimPost(ctx, data.Claim{SubscriptionID: sub.ID, Slot: slot, Deadline: slot.Add(24 * time.Hour), Owner: "x", Now: now, Lease: time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		p.Status = data.PostSent
		if err := store.FinishPost(ctx, p, "x", now); err != nil {
			b.Fatal(err)
		}
	}
	bot, err := New(Config{Token: testToken, APIURL: "http://127.0.0.1:1/api/v9/"}, store)
	if err != nil {
		b.Fatal(err)
	}
	bot.now, bot.work = func() time.Time { return now }, ctx
	b.Run("floor-subscriptions", func(b *testing.B) {
		for range b.N {
			if _, err := store.Subscriptions(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pass", func(b *testing.B) {
		sc := newScheduler(bot)
		sc.pass(ctx) // learns that every slot is done
		sc.running.Wait()
		b.ResetTimer()
		for range b.N {
			sc.pass(ctx)
		}
		b.StopTimer()
		if len(sc.busy) != 0 {
			b.Fatal("a pass started a delivery")
		}
	})
}
