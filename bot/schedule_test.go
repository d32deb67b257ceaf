package bot

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// zebrafish are articles on a topic the samples do not cover, published
// just before at.
func addZebrafish(t *testing.T, store *data.Store, at time.Time) {
	t.Helper()
	_, err := store.Add(context.Background(), []data.Article{
		{Title: "Zebrafish regrow hearts, lab says", Source: "Science Daily", URL: "https://example.com/zebrafish-1", Published: at.Add(-time.Hour),
			Body: "Zebrafish can regrow heart tissue within 60 days, researchers at the Kyiv lab said on Monday. The team studied 40 fish over two years."},
		{Title: "Zebrafish heart study", Source: "Lab Times", URL: "https://example.com/zebrafish-2", Published: at.Add(-2 * time.Hour),
			Body: "Zebrafish can regrow heart tissue within 60 days, researchers at the Kyiv lab said on Monday. \"This changes how we think about healing,\" said lead author Olena Shevchenko."},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// zebrafishByHand starts a bot whose zebrafish subscription has spec, on
// a manual clock at the top of the previous hour, with the scheduler's loop stopped:
// the test drives the deliveries itself.
func zebrafishByHand(t *testing.T, spec string) (*harness, *data.Store, data.Subscription, time.Time) {
	t.Helper()
	store := openStore(t)
	// The top of an hour, as the slots of the specs the callers use are:
	// a slot a few minutes before the next one would leave an hourly
	// schedule's retries no time whatever the clock says now.
	slot := time.Now().UTC().Truncate(time.Hour).Add(-time.Hour)
	addZebrafish(t, store, slot)
	h, sub := envSub(t, harnessOpts{store: store, clock: newManualClock(slot)}, "zebrafish", spec, "")
	h.stopLoop()
	return h, store, sub, slot
}

// zebrafishPosted starts a bot with a zebrafish subscription whose first
// post, two days ago, has been made. The bot runs on a manual clock.
func zebrafishPosted(t *testing.T) (*harness, *data.Store, data.Subscription, time.Time) {
	t.Helper()
	store := openStore(t)
	slot := time.Now().UTC().Truncate(time.Minute).Add(-48 * time.Hour)
	addZebrafish(t, store, slot)
	h, sub := envSub(t, harnessOpts{store: store, clock: newManualClock(slot)}, "zebrafish", "0 8 * * *", "")
	h.stopLoop()
	if !h.postAt(testCtx(t), sub, slot) {
		t.Fatal("first post failed")
	}
	return h, store, sub, slot
}

// envSub starts a bot with one env subscription on topic and returns it.
func envSub(t *testing.T, o harnessOpts, topic, spec, tz string) (*harness, data.Subscription) {
	t.Helper()
	if o.srv == nil {
		o.srv = newServer(t)
	}
	srv := o.srv
	prev := o.config
	o.config = func(c *Config) {
		c.ChannelID = srv.ChannelID()
		c.Topics = []string{topic}
		c.Schedule = spec
		c.TZ = tz
		if prev != nil {
			prev(c)
		}
	}
	h := startBot(t, o)
	subs, err := h.store.Subscriptions(context.Background())
	if err != nil || len(subs) != 1 {
		t.Fatalf("subscriptions %+v, %v", subs, err)
	}
	return h, subs[0]
}

func lastPost(t *testing.T, store *data.Store, subID int64) data.Post {
	t.Helper()
	posts, err := store.Posts(context.Background(), subID, 1)
	if err != nil || len(posts) == 0 {
		t.Fatalf("posts of %d: %v %v", subID, posts, err)
	}
	return posts[0]
}

func TestScheduledPostOncePerSlot(t *testing.T) {
	store := openStore(t)
	slot := time.Now().UTC().Truncate(time.Minute)
	addZebrafish(t, store, slot)
	h, sub := envSub(t, harnessOpts{store: store}, "zebrafish", "0 8 * * *", "")
	ctx := testCtx(t)

	if !h.bot.postSlot(ctx, sub, slot) {
		t.Fatal("first firing did not post")
	}
	msgs := h.srv.ChannelMessages(h.srv.ChannelID())
	if len(msgs) != 1 || len(msgs[0].Embeds) == 0 {
		t.Fatalf("channel has %d messages: %+v", len(msgs), msgs)
	}
	if !strings.Contains(msgs[0].Text(), "Zebrafish") || msgs[0].Content != "Briefing on **zebrafish**" {
		t.Errorf("post:\n%s", msgs[0].Text())
	}
	if errs := limitErrors(msgs[0].Content, msgs[0].Embeds); len(errs) > 0 {
		t.Error(errs)
	}
	p := lastPost(t, store, sub.ID)
	if p.Status != data.PostSent || p.MessageID != msgs[0].ID || len(p.Said) == 0 || !p.Slot.Equal(slot) {
		t.Errorf("recorded %+v", p)
	}

	// A second firing of the same slot (cron twice, a retry) posts nothing.
	for _, again := range []time.Time{slot, slot.Add(30 * time.Second)} {
		if h.bot.postSlot(ctx, sub, again) {
			t.Errorf("slot %s posted twice", again)
		}
	}
	if n := len(h.srv.ChannelMessages(h.srv.ChannelID())); n != 1 {
		t.Errorf("%d messages after repeated firings", n)
	}
	h.checkClean()
}

func TestScheduledPostDSTFallBackOnce(t *testing.T) {
	store := openStore(t)
	ny, _ := time.LoadLocation("America/New_York")
	// 2026-11-01 01:30 happens twice in New York: EDT, then EST.
	first := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)
	second := time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)
	if a, b := first.In(ny), second.In(ny); a.Hour() != 1 || b.Hour() != 1 || a.Minute() != 30 || b.Minute() != 30 {
		t.Fatalf("test times are not both 01:30 local: %s %s", a, b)
	}
	addZebrafish(t, store, first)
	h, sub := envSub(t, harnessOpts{store: store, clock: newManualClock(first)}, "zebrafish", "30 1 * * *", "America/New_York")
	ctx := testCtx(t)
	if !h.postAt(ctx, sub, first) {
		t.Fatal("01:30 EDT did not post")
	}
	if h.postAt(ctx, sub, second) {
		t.Error("01:30 EST posted again")
	}
	if n := len(h.srv.ChannelMessages(h.srv.ChannelID())); n != 1 {
		t.Errorf("%d messages on the fall-back day", n)
	}
}

// postNothingNew turns on a server's "Nothing new" posts.
func postNothingNew(t *testing.T, store *data.Store, guildID string) {
	t.Helper()
	if err := store.SaveSettings(context.Background(), data.GuildSettings{GuildID: guildID, NothingNew: true}); err != nil {
		t.Fatal(err)
	}
}

func TestNothingNewSinceLastPost(t *testing.T) {
	h, store, sub, slot := zebrafishPosted(t)
	ctx := testCtx(t)
	// A day later nothing was published: by default the channel hears
	// nothing, and the slot is done.
	if h.postAt(ctx, sub, slot.Add(24*time.Hour)) {
		t.Fatal("posted with nothing new")
	}
	if p := lastPost(t, store, sub.ID); p.Status != data.PostSkipped {
		t.Errorf("quiet slot recorded as %+v", p)
	}
	if h.postAt(ctx, sub, slot.Add(24*time.Hour)) {
		t.Error("a quiet slot was posted by a second firing")
	}
	// A server that asked for them gets a brief note, since the last post
	// that was sent.
	postNothingNew(t, store, h.srv.GuildID())
	if !h.postAt(ctx, sub, slot.Add(30*time.Hour)) {
		t.Fatal("second post failed")
	}
	msgs := h.srv.ChannelMessages(h.srv.ChannelID())
	if len(msgs) != 2 {
		t.Fatalf("%d messages", len(msgs))
	}
	if want := fmt.Sprintf("Nothing new on **zebrafish** since <t:%d:", slot.Unix()); !strings.HasPrefix(msgs[1].Content, want) || len(msgs[1].Embeds) != 0 {
		t.Errorf("second post: %q with %d embeds, want %q…", msgs[1].Content, len(msgs[1].Embeds), want)
	}
	// A new article repeating what was posted plus one new fact: only the
	// new fact is posted.
	_, err := store.Add(ctx, []data.Article{{Title: "Zebrafish trial expands", Source: "Lab Times", URL: "https://example.com/zebrafish-3",
		Published: slot.Add(36 * time.Hour),
		Body:      "Zebrafish can regrow heart tissue within 60 days, researchers at the Kyiv lab said on Monday. The lab will now test mice in a trial funded with 2 million euros."}})
	if err != nil {
		t.Fatal(err)
	}
	if !h.postAt(ctx, sub, slot.Add(48*time.Hour)) {
		t.Fatal("third post failed")
	}
	msgs = h.srv.ChannelMessages(h.srv.ChannelID())
	third := msgs[len(msgs)-1].Text()
	if !strings.Contains(third, "mice") {
		t.Errorf("third post lacks the new fact:\n%s", third)
	}
	if strings.Contains(third, "within 60 days") {
		t.Errorf("third post repeats what was already posted:\n%s", third)
	}
	h.checkClean()
}

func TestCatchUpAfterRestart(t *testing.T) {
	// The slot is 08:00 on 29 February 2028, so real cron never fires it
	// during the test; the bot's clock says it is noon that day.
	slot := time.Date(2028, 2, 29, 8, 0, 0, 0, time.UTC)
	created := slot.Add(-2 * time.Hour)
	store := openStore(t, data.WithClock(func() time.Time { return created }))
	addZebrafish(t, store, slot)
	srv := newServer(t)
	o := harnessOpts{srv: srv, store: store, setup: func(b *Bot) {
		b.now = func() time.Time { return slot.Add(4 * time.Hour) }
	}}
	h, sub := envSub(t, o, "zebrafish", "0 8 29 2 *", "")
	h.waitIdle()
	msgs := srv.ChannelMessages(srv.ChannelID())
	if len(msgs) != 1 {
		t.Fatalf("catch-up posted %d messages, want 1", len(msgs))
	}
	if p := lastPost(t, store, sub.ID); !p.Slot.Equal(slot) || p.Status != data.PostSent {
		t.Errorf("recorded %+v", p)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}

	// A restart the same day does not catch the slot up again.
	h2, sub2 := envSub(t, o, "zebrafish", "0 8 29 2 *", "")
	h2.waitIdle()
	if sub2.ID != sub.ID {
		t.Errorf("env subscription changed ID across restarts: %d -> %d", sub.ID, sub2.ID)
	}
	if n := len(srv.ChannelMessages(srv.ChannelID())); n != 1 {
		t.Errorf("restart posted again: %d messages", n)
	}
}

func TestNoCatchUpBeforeSlotOrSubscription(t *testing.T) {
	slot := time.Date(2028, 2, 29, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		created, now time.Time
	}{
		{"slot still ahead", slot.Add(-2 * time.Hour), slot.Add(-time.Hour)},
		{"subscribed after the slot", slot.Add(time.Hour), slot.Add(2 * time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := openStore(t, data.WithClock(func() time.Time { return tc.created }))
			srv := newServer(t)
			h, _ := envSub(t, harnessOpts{srv: srv, store: store, setup: func(b *Bot) {
				b.now = func() time.Time { return tc.now }
			}}, "zebrafish", "0 8 29 2 *", "")
			h.waitIdle()
			if n := len(srv.ChannelMessages(srv.ChannelID())); n != 0 {
				t.Errorf("posted %d messages", n)
			}
		})
	}
}

func TestScheduledPostRateLimitedThenSent(t *testing.T) {
	store := openStore(t)
	slot := time.Now().UTC().Truncate(time.Minute)
	addZebrafish(t, store, slot)
	h, sub := envSub(t, harnessOpts{store: store}, "zebrafish", "0 8 * * *", "")
	h.srv.RateLimitNext("POST", "/channels/*/messages", 150*time.Millisecond, 1)
	if !h.bot.postSlot(testCtx(t), sub, slot) {
		t.Fatal("not posted after a 429")
	}
	if n := len(h.srv.ChannelMessages(h.srv.ChannelID())); n != 1 {
		t.Errorf("%d messages", n)
	}
	if h.srv.PendingFaults() != 0 {
		t.Error("the 429 was never served")
	}
	h.checkClean()
}

// TestScheduledPostRetriedUntilSent: an attempt that fails is recorded for
// a retry after a backoff, not given up; the retry first looks in the
// channel for a message the failed attempt may have created, and posts only
// when there is none. Every case ends with exactly one message.
func TestScheduledPostRetriedUntilSent(t *testing.T) {
	const msgs = "/channels/*/messages"
	tests := []struct {
		name      string
		faults    []discordtest.Fault
		wantPOSTs int
		wantErr   string
	}{
		{"500", []discordtest.Fault{{Method: "POST", Path: msgs, Status: 500}}, 2, "500"},
		{"dropped connection", []discordtest.Fault{{Method: "POST", Path: msgs, Drop: true}}, 2, "post to channel"},
		{"created, then 500", []discordtest.Fault{{Method: "POST", Path: msgs, Status: 500, CreateFirst: true}}, 1, "500"},
		{"the lookup fails first", []discordtest.Fault{
			{Method: "POST", Path: msgs, Status: 502, CreateFirst: true}, {Method: "GET", Path: msgs, Status: 503},
		}, 1, "502"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, store, sub, slot := zebrafishByHand(t, "0 8 * * *")
			ctx := testCtx(t)
			for _, f := range tc.faults {
				h.srv.Inject(f)
			}
			start := time.Now()
			if h.postAt(ctx, sub, slot) {
				t.Fatal("posted through the fault")
			}
			if el := time.Since(start); el > 20*time.Second {
				t.Errorf("the failed attempt took %s", el)
			}
			p := lastPost(t, store, sub.ID)
			if p.Status != data.PostRetry || !strings.Contains(p.Error, tc.wantErr) || !p.NextTry.After(h.clock.Now()) || p.LeaseOwner != "" {
				t.Fatalf("after the failure: %+v", p)
			}
			if h.bot.postSlot(ctx, sub, slot) {
				t.Fatal("retried before its next try")
			}
			for i := 0; i < 3 && !p.Status.Final(); i++ {
				h.clock.set(p.NextTry)
				h.bot.postSlot(ctx, sub, slot)
				p = lastPost(t, store, sub.ID)
			}
			got := h.srv.ChannelMessages(h.srv.ChannelID())
			if p.Status != data.PostSent || len(got) != 1 || p.MessageID != got[0].ID {
				t.Fatalf("after retrying: %+v with %d messages", p, len(got))
			}
			posts := 0
			for _, r := range h.srv.Requests() {
				if r.Method == "POST" && r.Route == discordtest.RouteChannelMessages {
					posts++
				}
			}
			if posts != tc.wantPOSTs {
				t.Errorf("%d POSTs, want %d", posts, tc.wantPOSTs)
			}
		})
	}
}

// TestScheduledPostRateLimitedPastDeadline: a 429 asking for longer than
// the call may take fails the attempt at once instead of sleeping (discordgo
// would sleep 40 s, then hold the bucket as long again); the slot's next
// try is no sooner than Discord asked, and an attempt while the bucket is
// still exhausted fails at once too.
func TestScheduledPostRateLimitedPastDeadline(t *testing.T) {
	h, store, sub, slot := zebrafishByHand(t, "0 8 * * *")
	h.srv.RateLimitNext("POST", "/channels/*/messages", 40*time.Second, 1)
	ctx := testCtx(t)
	start := time.Now()
	if h.postAt(ctx, sub, slot) {
		t.Fatal("posted through a 429")
	}
	p := lastPost(t, store, sub.ID)
	if p.Status != data.PostRetry || !strings.Contains(p.Error, "Rate limit") || p.NextTry.Before(h.clock.Now().Add(40*time.Second)) {
		t.Fatalf("after the 429: %+v", p)
	}
	h.clock.set(p.NextTry)
	h.bot.postSlot(ctx, sub, slot)
	if p := lastPost(t, store, sub.ID); p.Status != data.PostRetry || !strings.Contains(p.Error, "Rate limit") {
		t.Errorf("second attempt while the bucket is exhausted: %+v", p)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("two attempts took %s: one waited on the rate limit", el)
	}
	if n := len(h.srv.ChannelMessages(h.srv.ChannelID())); n != 0 {
		t.Errorf("%d messages", n)
	}
}

// TestScheduledPostGivenUpWhenTooLate: through an outage that lasts until
// the schedule's next slot, the slot is retried with growing waits and then
// given up, said in the log; nothing is posted for it.
func TestScheduledPostGivenUpWhenTooLate(t *testing.T) {
	h, store, sub, slot := zebrafishByHand(t, "0 * * * *")
	h.srv.Inject(discordtest.Fault{Method: "POST", Path: "/channels/*/messages", Status: 503, Times: discordtest.Forever})
	ctx := testCtx(t)
	h.postAt(ctx, sub, slot)
	var waits []time.Duration
	p := lastPost(t, store, sub.ID)
	for i := 0; i < 50 && !p.Status.Final(); i++ {
		waits = append(waits, p.NextTry.Sub(h.clock.Now()))
		h.clock.set(p.NextTry)
		h.bot.postSlot(ctx, sub, slot)
		p = lastPost(t, store, sub.ID)
	}
	if next := slot.Truncate(time.Hour).Add(time.Hour); p.Status != data.PostAbandoned || !strings.Contains(p.Error, "too late") || !h.clock.Now().Equal(next) {
		t.Fatalf("after the outage: %+v at %s", p, h.clock.Now())
	}
	if len(waits) < 5 || waits[1] <= waits[0] || waits[3] <= waits[1] {
		t.Errorf("waits between attempts do not grow: %v", waits)
	}
	if n := len(h.srv.ChannelMessages(h.srv.ChannelID())); n != 0 {
		t.Errorf("%d messages", n)
	}
	if !h.logContains("scheduled post given up") || !h.logContains("will retry") {
		t.Error("failures not logged")
	}
}

func TestScheduledPostPanicRecorded(t *testing.T) {
	store := openStore(t)
	slot := time.Now().UTC().Truncate(time.Minute)
	addZebrafish(t, store, slot)
	h, sub := envSub(t, harnessOpts{store: store, config: func(c *Config) {
		c.Build = func(context.Context, []briefing.Article, briefing.Options) (briefing.Briefing, error) {
			panic("engine exploded")
		}
	}}, "zebrafish", "0 8 * * *", "")
	if h.bot.postSlot(testCtx(t), sub, slot) {
		t.Fatal("posted despite a panic")
	}
	if p := lastPost(t, store, sub.ID); p.Status != data.PostRetry || !strings.Contains(p.Error, "engine exploded") {
		t.Errorf("recorded %+v", p)
	}
}

// TestLoopPostsDueSlot: the scheduler's loop finds a subscription's
// current slot (the minute, for "* * * * *") and posts it, keyed by the
// minute, without waiting for cron.
func TestLoopPostsDueSlot(t *testing.T) {
	created := time.Now().Add(-2 * time.Minute)
	store := openStore(t, data.WithClock(func() time.Time { return created }))
	addZebrafish(t, store, time.Now())
	srv := newServer(t)
	h := startBot(t, harnessOpts{srv: srv, store: store})
	sub, err := store.AddSubscription(context.Background(), data.Subscription{GuildID: srv.GuildID(), ChannelID: srv.ChannelID(), Topic: "zebrafish", Spec: "* * * * *"})
	if err != nil {
		t.Fatal(err)
	}
	// "* * * * *" is not accepted from users; the scheduler takes any
	// valid spec.
	if _, _, err := h.bot.sched.add(sub); err != nil {
		t.Fatal(err)
	}
	msgs, err := srv.WaitChannelMessages(testCtx(t), srv.ChannelID(), 1)
	if err != nil {
		t.Fatal(err)
	}
	h.waitIdle()
	p := lastPost(t, store, sub.ID)
	if p.Slot.Second() != 0 || time.Since(p.Slot) > 2*time.Minute || p.MessageID != msgs[0].ID || p.Status != data.PostSent {
		t.Errorf("recorded %+v for %s", p, msgs[0].ID)
	}
}

// TestLoopRetriesAndRecovers: the running loop (not only a start-up)
// retries a failed slot when its next try comes, and takes over a slot
// that a dead process left sending once that process's lease runs out: it
// finds the dead process's message in the channel instead of posting again
// when the message is there, and posts when it is not.
func TestLoopRetriesAndRecovers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(h *harness, sub data.Subscription, slot time.Time)
	}{
		{"failed attempt", func(h *harness, _ data.Subscription, _ time.Time) {
			h.srv.FailNext("POST", "/channels/*/messages", 500, 1)
		}},
		{"dead process, message sent", func(h *harness, sub data.Subscription, slot time.Time) {
			deadSending(h, sub, slot, true)
		}},
		{"dead process, message not sent", func(h *harness, sub data.Subscription, slot time.Time) {
			deadSending(h, sub, slot, false)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slot := time.Date(2028, 2, 29, 8, 0, 0, 0, time.UTC)
			store := openStore(t, data.WithClock(func() time.Time { return slot.Add(-time.Hour) }))
			addZebrafish(t, store, slot)
			clock := newManualClock(slot.Add(-time.Minute))
			h, sub := envSub(t, harnessOpts{store: store, clock: clock}, "zebrafish", "0 8 29 2 *", "")
			tc.prepare(h, sub, slot)
			clock.set(slot.Add(time.Second))
			h.waitIdle()
			// Whatever happened so far, an hour later the slot has exactly
			// one message: the loop retried or took over on its own.
			for range 12 {
				clock.advance(5 * time.Minute)
				h.waitIdle()
			}
			p := lastPost(t, store, sub.ID)
			var got []*discordtest.Message
			for _, m := range h.srv.ChannelMessages(h.srv.ChannelID()) {
				if m.AuthorID == "" {
					got = append(got, m)
				}
			}
			if p.Status != data.PostSent || len(got) != 1 || p.MessageID != got[0].ID {
				t.Fatalf("recorded %+v with %d messages", p, len(got))
			}
		})
	}
}

// deadSending makes the slot look like a process died while sending it:
// claimed by another owner whose lease runs a minute past the slot, the
// message frozen and, when sent, in the channel (posted directly, as the
// dead process's request was).
func deadSending(h *harness, sub data.Subscription, slot time.Time, sent bool) {
	h.t.Helper()
	ctx := context.Background()
	p, ok, err := h.store.ClaimPost(ctx, data.Claim{SubscriptionID: sub.ID, Slot: slot, Deadline: slot.Add(24 * time.Hour), Owner: "dead", Now: slot, Lease: time.Minute})
	if !ok || err != nil {
		h.t.Fatalf("claim: %v %v", ok, err)
	}
	body := `{"content":"Briefing on **zebrafish**","embeds":[{"title":"Zebrafish","description":"They regrow hearts."}],"allowed_mentions":{"parse":[]},"nonce":"dead","enforce_nonce":true}`
	if err := h.store.StartSending(ctx, p, "dead", body, nil, slot); err != nil {
		h.t.Fatal(err)
	}
	h.srv.PostUserMessage(h.srv.ChannelID(), "42", "Briefing on **zebrafish**") // someone else's, same words
	if sent {
		req, _ := http.NewRequest("POST", h.srv.URL()+"channels/"+sub.ChannelID+"/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bot "+testToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			h.t.Fatalf("post the dead process's message: %v %v", err, resp)
		}
		resp.Body.Close()
	}
}

// TestShutdownWaitsForRunningPost cancels the bot while a scheduled post is
// being built: Run returns only after the post went out and was recorded.
func TestShutdownWaitsForRunningPost(t *testing.T) {
	slot := time.Date(2028, 2, 29, 8, 0, 0, 0, time.UTC)
	store := openStore(t, data.WithClock(func() time.Time { return slot.Add(-time.Hour) }))
	addZebrafish(t, store, slot)
	entered, release := make(chan struct{}, 1), make(chan struct{})
	h, sub := envSub(t, harnessOpts{store: store,
		config: func(c *Config) {
			c.Build = func(ctx context.Context, a []briefing.Article, o briefing.Options) (briefing.Briefing, error) {
				entered <- struct{}{}
				<-release
				return briefing.Build(ctx, a, o)
			}
		},
		setup: func(b *Bot) { b.now = func() time.Time { return slot.Add(time.Hour) } },
	}, "zebrafish", "0 8 29 2 *", "")
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- h.stop() }()
	select {
	case err := <-stopped:
		t.Fatalf("Run returned (%v) while a post was running", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(h.srv.ChannelMessages(h.srv.ChannelID())); n != 1 {
		t.Errorf("%d messages", n)
	}
	if p := lastPost(t, store, sub.ID); p.Status != data.PostSent {
		t.Errorf("recorded %+v", p)
	}
}

// TestFirstPostCoversEverything: a subscription's first post briefs on all
// that is stored on its topic, however old; the next says nothing is new.
func TestFirstPostCoversEverything(t *testing.T) {
	h, sub := envSub(t, harnessOpts{}, "ceasefire", "0 8 * * *", "")
	ctx := testCtx(t)
	postNothingNew(t, h.store, h.srv.GuildID())
	slot := time.Now().UTC().Truncate(time.Minute)
	if !h.bot.postSlot(ctx, sub, slot) || !h.bot.postSlot(ctx, sub, slot.Add(time.Minute)) {
		t.Fatal("not posted")
	}
	msgs := h.srv.ChannelMessages(h.srv.ChannelID())
	if len(msgs) != 2 || !strings.Contains(msgs[0].Text(), "Witkoff") {
		t.Fatalf("first post: %+v", msgs)
	}
	if !strings.HasPrefix(msgs[1].Content, "Nothing new on **ceasefire** since") {
		t.Errorf("second post: %q", msgs[1].Content)
	}
	h.checkClean()
}

// An article a feed delivered after the last post counts as new even when
// dated a little before it; a newly added feed's old backlog does not.
func TestScheduledPostLateArrivalNotBacklog(t *testing.T) {
	h, store, sub, slot := zebrafishPosted(t)
	ctx := testCtx(t)
	_, err := store.Add(ctx, []data.Article{
		{Title: "Zebrafish funding announced", Source: "Lab Times", URL: "https://example.com/zebrafish-late",
			Published: slot.Add(-3 * time.Hour),
			Body:      "The zebrafish lab in Kyiv won a grant of 5 million euros to build a new aquarium wing."},
		{Title: "Zebrafish archive story", Source: "Old Feed", URL: "https://example.com/zebrafish-archive",
			Published: slot.AddDate(0, -1, 0),
			Body:      "Zebrafish were first used as a model organism by George Streisinger in the 1970s."},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !h.bot.postSlot(ctx, sub, slot.Add(24*time.Hour)) {
		t.Fatal("second post failed")
	}
	msgs := h.srv.ChannelMessages(h.srv.ChannelID())
	second := msgs[len(msgs)-1].Text()
	if !strings.Contains(second, "5 million euros") {
		t.Errorf("second post misses the article fetched after the first post:\n%s", second)
	}
	if strings.Contains(second, "Streisinger") {
		t.Errorf("second post includes a month-old backlog article:\n%s", second)
	}
	h.checkClean()
}

// TestNoResendWithoutReadMessageHistory: Discord lists no messages to a bot
// without Read Message History, so a search that finds nothing proves
// nothing; the slot waits (no second post) until the permission is back,
// and then the dead process's message is found.
func TestNoResendWithoutReadMessageHistory(t *testing.T) {
	slot := time.Date(2028, 2, 29, 8, 0, 0, 0, time.UTC)
	store := openStore(t, data.WithClock(func() time.Time { return slot.Add(-time.Hour) }))
	addZebrafish(t, store, slot)
	clock := newManualClock(slot.Add(-time.Minute))
	h, sub := envSub(t, harnessOpts{store: store, clock: clock}, "zebrafish", "0 8 29 2 *", "")
	deadSending(h, sub, slot, true)
	h.srv.SetChannelOverwrite(sub.ChannelID, h.srv.BotRoleID(), 0, discordgo.PermissionReadMessageHistory)
	clock.set(slot.Add(2 * time.Minute))
	h.waitIdle()
	for range 3 {
		clock.advance(5 * time.Minute)
		h.waitIdle()
	}
	botMsgs := func() (n int, id string) {
		for _, m := range h.srv.ChannelMessages(h.srv.ChannelID()) {
			if m.AuthorID == "" {
				n, id = n+1, m.ID
			}
		}
		return n, id
	}
	p := lastPost(t, store, sub.ID)
	if n, _ := botMsgs(); n != 1 || p.Status != data.PostRetry || !strings.Contains(p.Error, "Read Message History") {
		t.Fatalf("without the permission: %d messages, %+v", n, p)
	}
	h.srv.SetChannelOverwrite(sub.ChannelID, h.srv.BotRoleID(), 0, 0)
	clock.advance(10 * time.Minute)
	h.waitIdle()
	p = lastPost(t, store, sub.ID)
	if n, id := botMsgs(); n != 1 || p.Status != data.PostSent || p.MessageID != id {
		t.Fatalf("with the permission back: %d messages, %+v", n, p)
	}
}

// TestReloadKeepsEdits: a reload whose store query ran before a
// /schedule remove (or add) and finished after it neither brings the
// removed schedule back nor drops the added one. The loop's own passes
// reload too, so the test drives reload itself with its query held open
// while the edit lands.
func TestReloadKeepsEdits(t *testing.T) {
	for _, tc := range []struct {
		name string
		// edit changes the store, then the entries, as /schedule does,
		// and returns the subscription IDs scheduled after it.
		edit func(t *testing.T, h *harness, sub data.Subscription) []int64
	}{
		{"remove", func(t *testing.T, h *harness, sub data.Subscription) []int64 {
			if _, err := h.store.RemoveSubscription(context.Background(), sub.GuildID, sub.ID); err != nil {
				t.Fatal(err)
			}
			h.bot.sched.remove(sub.ID)
			return nil
		}},
		{"add", func(t *testing.T, h *harness, sub data.Subscription) []int64 {
			sub.ID, sub.Topic = 0, "gaza"
			added, err := h.store.AddSubscription(context.Background(), sub)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.bot.sched.add(added); err != nil {
				t.Fatal(err)
			}
			return []int64{added.ID}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startBot(t, harnessOpts{})
			ctx := testCtx(t)
			sub, err := h.store.AddSubscription(ctx, data.Subscription{GuildID: h.srv.GuildID(), ChannelID: h.srv.ChannelID(), Topic: "ceasefire", Spec: "30 7 * * *"})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.bot.sched.add(sub); err != nil {
				t.Fatal(err)
			}
			sc := h.bot.sched
			want := []int64{sub.ID}
			var once sync.Once
			sc.mu.Lock()
			sc.queried = func() {
				once.Do(func() {
					if tc.name == "remove" {
						want = nil
					}
					want = append(want, tc.edit(t, h, sub)...)
				})
			}
			sc.mu.Unlock()
			if err := sc.reload(ctx); err != nil {
				t.Fatal(err)
			}
			sc.mu.Lock()
			var got []int64
			for id := range sc.entries {
				got = append(got, id)
			}
			sc.mu.Unlock()
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("scheduled %v after the %s, want %v", got, tc.name, want)
			}
		})
	}
}
