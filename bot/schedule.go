package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// The scheduler decides when a slot is due; deliver (delivery.go) sends it
// exactly once. A loop on the bot's clock looks, on every pass, at each
// subscription's latest slot and at every slot the delivery log holds open
// (failed and due for a retry, or left by a process that died), and
// delivers them. So a slot missed while the bot was down is caught up, and a
// failed or interrupted one is retried, whenever it happens, not only at
// start-up; a slot whose schedule's next slot has come is given up.
// Subscriptions are read from the store on every pass, so ones another
// process added are seen; only those of the servers in this process's
// shards are delivered here (the delivery log's leases would keep two
// processes from posting one slot twice all the same).
type scheduler struct {
	b *Bot

	mu      sync.Mutex
	entries map[int64]*entry // scheduled subscriptions by ID
	busy    map[int64]bool   // subscriptions with a delivery running here
	bad     map[int64]string // specs that do not parse, logged once
	wake    chan struct{}
	running sync.WaitGroup // the loop and the deliveries
	stopped chan struct{}  // closed when the loop has returned
	cancel  context.CancelFunc
	begun   int // passes begun, for tests
	// edits counts add and remove calls, so a reload whose store query ran
	// across one reads the subscriptions again rather than bringing back a
	// removed entry (or dropping a new one) until the next pass.
	edits int
	// whole is the number (in begun) of the latest pass that finished
	// having started every delivery it found due, none left to a delivery
	// of an earlier pass still running: tests wait on it (see waitIdle).
	whole int
	// queried, when set (by tests), runs between reload's store query and
	// its applying the result: the window an edit must not be lost in.
	queried func()
}

// entry is a scheduled subscription with its parsed schedule and the slot
// it last settled (sent or given up), so passes need not ask the store
// about it again.
type entry struct {
	sub     data.Subscription
	sched   cron.Schedule
	loc     *time.Location
	slot    time.Time // the latest due slot, as of the last pass
	next    time.Time // when the slot after it is due
	settled bool      // slot is final in the delivery log
	// alert holds what a story alert (no schedule: sched is nil) knows
	// between passes.
	alert *alertState
}

// maxIdle is the longest the loop sleeps: it then sees subscriptions and
// slots other processes changed.
const maxIdle = 30 * time.Second

// minIdle keeps a pass from running again at once.
const minIdle = time.Second

// openBatch bounds the open slots one pass takes on.
const openBatch = 100

func newScheduler(b *Bot) *scheduler {
	return &scheduler{
		b:       b,
		entries: map[int64]*entry{},
		busy:    map[int64]bool{},
		bad:     map[int64]string{},
		wake:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
	}
}

// envSubscriptions are the subscriptions the env file defines: one per
// topic (or one of the top stories) in BRIEFBOT_CHANNEL_ID.
func (c Config) envSubscriptions() []data.Subscription {
	if c.ChannelID == "" {
		return nil
	}
	topics := c.Topics
	if len(topics) == 0 {
		topics = []string{""}
	}
	var subs []data.Subscription
	for _, t := range topics {
		subs = append(subs, data.Subscription{
			GuildID: c.GuildID, ChannelID: c.ChannelID, Topic: cleanTopic(t),
			Spec: strings.TrimSpace(c.schedule()), TZ: c.TZ, CreatedBy: "env", FromEnv: true,
		})
	}
	return subs
}

// start syncs the env subscriptions and starts the loop, whose first pass
// runs at once: it catches up a slot missed while the bot was down and
// takes over slots left open by an earlier run.
func (sc *scheduler) start(ctx context.Context) error {
	env := sc.b.cfg.envSubscriptions()
	if len(env) > 0 {
		// The env file's schedules belong to the server of their channel:
		// they read its articles and show in its /schedule list.
		guild := sc.b.channelGuild(ctx, sc.b.cfg.ChannelID)
		for i := range env {
			env[i].GuildID = guild
		}
	}
	if _, err := sc.b.store.ReplaceEnvSubscriptions(ctx, env); err != nil {
		return fmt.Errorf("env subscriptions: %w", err)
	}
	if err := sc.reload(ctx); err != nil {
		return err
	}
	// Deliveries run on the bot's work context, which outlives ctx by the
	// shutdown grace, so a post being sent at shutdown is finished.
	loopCtx, cancel := context.WithCancel(sc.b.work)
	sc.cancel = cancel
	stop := context.AfterFunc(ctx, cancel)
	sc.running.Add(1)
	go func() {
		defer sc.running.Done()
		defer close(sc.stopped)
		defer stop()
		sc.run(loopCtx)
	}()
	return nil
}

// stop ends the loop; the returned context is done when the deliveries
// running have finished.
func (sc *scheduler) stop() context.Context {
	if sc.cancel != nil {
		sc.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		sc.running.Wait()
		cancel()
	}()
	return ctx
}

// run passes until ctx ends.
func (sc *scheduler) run(ctx context.Context) {
	for ctx.Err() == nil {
		next := sc.pass(ctx)
		wait := min(max(next.Sub(sc.b.now()), minIdle), maxIdle)
		sleep, cancel := context.WithCancel(ctx)
		watched := make(chan struct{})
		go func() {
			defer close(watched)
			select {
			case <-sc.wake:
				cancel()
			case <-sleep.Done():
			}
		}()
		sc.b.clock.Sleep(sleep, wait)
		cancel()
		// The watcher is gone before the next pass begins: one left
		// behind could take a wake meant for a pass begun after it (its
		// sleep already over, select picks either ready case), and that
		// pass then slept the whole wait with the wake lost (a test's
		// waitIdle timed out so, once in a CI run).
		<-watched
	}
}

// poke makes the loop pass again now.
func (sc *scheduler) poke() {
	select {
	case sc.wake <- struct{}{}:
	default:
	}
}

// add schedules sub (or reschedules it) and wakes the loop. A story alert
// has no schedule: its entry watches the stories.
func (sc *scheduler) add(sub data.Subscription) (cron.Schedule, *time.Location, error) {
	if sub.Kind == data.KindAlert {
		sc.mu.Lock()
		sc.entries[sub.ID] = newAlertEntry(sub, sc.b.now())
		sc.edits++
		sc.mu.Unlock()
		sc.poke()
		return nil, nil, nil
	}
	sched, loc, err := parseSchedule(sub.Spec, sub.TZ)
	if err != nil {
		return nil, nil, err
	}
	sc.mu.Lock()
	sc.entries[sub.ID] = &entry{sub: sub, sched: sched, loc: loc}
	sc.edits++
	sc.mu.Unlock()
	sc.poke()
	return sched, loc, nil
}

// remove unschedules a subscription.
func (sc *scheduler) remove(subID int64) {
	sc.mu.Lock()
	delete(sc.entries, subID)
	sc.edits++
	sc.mu.Unlock()
}

// reload makes the entries the store's subscriptions, keeping what each
// entry knows of its slot while its schedule is unchanged.
func (sc *scheduler) reload(ctx context.Context) error {
	// /schedule add and remove write the store, then the entries: a query
	// begun before such a write and applied after it would undo the edit
	// (a removed schedule kept, once in a CI run). Read again when an edit
	// came between; edits are rare, so a few tries settle, and a pass after
	// the last one mends whatever is left.
	for try := 0; ; try++ {
		sc.mu.Lock()
		edits, queried := sc.edits, sc.queried
		sc.mu.Unlock()
		subs, err := sc.b.store.Subscriptions(ctx)
		if err != nil {
			return fmt.Errorf("subscriptions: %w", err)
		}
		if queried != nil {
			queried()
		}
		sc.mu.Lock()
		if sc.edits != edits && try < 3 {
			sc.mu.Unlock()
			continue
		}
		sc.apply(subs)
		sc.mu.Unlock()
		return nil
	}
}

// apply makes the entries subs; sc.mu is held.
func (sc *scheduler) apply(subs []data.Subscription) {
	keep := make(map[int64]*entry, len(subs))
	for _, sub := range subs {
		// Another process runs the shard of this server (and posts for it).
		if !sc.b.ownsGuild(sub.GuildID) {
			continue
		}
		if e, ok := sc.entries[sub.ID]; ok && e.sub.Spec == sub.Spec && e.sub.TZ == sub.TZ && e.sub.Kind == sub.Kind {
			e.sub = sub
			keep[sub.ID] = e
			continue
		}
		if sub.Kind == data.KindAlert {
			keep[sub.ID] = newAlertEntry(sub, sc.b.now())
			continue
		}
		sched, loc, err := parseSchedule(sub.Spec, sub.TZ)
		if err != nil {
			if sc.bad[sub.ID] != sub.Spec {
				sc.b.log.Error("schedule not started", "subscription", sub.ID, "err", err)
				sc.bad[sub.ID] = sub.Spec
			}
			continue
		}
		keep[sub.ID] = &entry{sub: sub, sched: sched, loc: loc}
	}
	sc.entries = keep
}

// job is one slot to deliver.
type job struct {
	slot, deadline time.Time
}

// pass starts the deliveries that are due now and returns when the next
// pass is needed.
func (sc *scheduler) pass(ctx context.Context) time.Time {
	sc.mu.Lock()
	sc.begun++
	number := sc.begun
	sc.mu.Unlock()
	now := sc.b.now()
	wakeAt := now.Add(maxIdle)
	if err := sc.reload(ctx); err != nil && ctx.Err() == nil {
		sc.b.log.Error("scheduler", "err", err)
	}
	work := map[int64][]job{}
	sc.mu.Lock()
	var alerts []*entry
	for id, e := range sc.entries {
		if e.alert != nil {
			alerts = append(alerts, e)
			continue
		}
		if !now.Before(e.next) {
			if slot, deadline, ok := dueSlot(e.sched, e.loc, now, e.sub.Created); ok {
				if !slot.Equal(e.slot) {
					e.slot, e.settled = slot, false
				}
				e.next = deadline
			} else {
				e.slot, e.settled, e.next = time.Time{}, true, e.sched.Next(now)
			}
		}
		if !e.next.IsZero() && e.next.Before(wakeAt) {
			wakeAt = e.next
		}
		if !e.settled {
			work[id] = append(work[id], job{e.slot, e.next})
		}
	}
	sc.mu.Unlock()

	// Stories that reached an alert's outlets since the last pass.
	for _, e := range alerts {
		for _, j := range sc.alertJobs(ctx, e, now) {
			work[e.sub.ID] = append(work[e.sub.ID], j)
		}
	}

	// Slots failed or interrupted earlier, by this process or another.
	open, err := sc.b.store.OpenPosts(ctx, now, openBatch)
	if err != nil && ctx.Err() == nil {
		sc.b.log.Error("scheduler: open slots", "err", err)
	}
	for _, p := range open {
		if !slices.ContainsFunc(work[p.SubscriptionID], func(j job) bool { return j.slot.Equal(p.Slot) }) {
			work[p.SubscriptionID] = append(work[p.SubscriptionID], job{p.Slot, p.Deadline})
		}
	}
	// A slot open already was taken above (or belongs to a subscription
	// not scheduled here); wake for the next one to open.
	if t, ok, err := sc.b.store.NextOpenPost(ctx); err == nil && ok && t.After(now) && t.Before(wakeAt) {
		wakeAt = t
	}

	sc.mu.Lock()
	defer sc.mu.Unlock()
	whole := true
	for id, jobs := range work {
		e := sc.entries[id]
		if e == nil {
			continue
		}
		if sc.busy[id] {
			// A delivery of an earlier pass still runs for it; it wakes
			// the loop when it ends, and the next pass takes this up.
			whole = false
			continue
		}
		slices.SortFunc(jobs, func(a, b job) int { return a.slot.Compare(b.slot) })
		sc.busy[id] = true
		sc.running.Add(1)
		sub := e.sub // reload may replace e.sub meanwhile
		go func() {
			defer sc.running.Done()
			sc.deliverAll(ctx, sc.b.work, e, sub, jobs)
		}()
	}
	if whole {
		sc.whole = number
	}
	return wakeAt
}

// deliverAll delivers one subscription's slots, oldest first, then marks
// the latest settled once it is final and wakes the loop. A delivery runs on
// work, which outlives the loop's ctx at shutdown so a post being sent is
// finished; no new one starts once ctx is done.
func (sc *scheduler) deliverAll(ctx, work context.Context, e *entry, sub data.Subscription, jobs []job) {
	defer func() {
		sc.mu.Lock()
		delete(sc.busy, sub.ID)
		sc.mu.Unlock()
		sc.poke()
	}()
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		p, _ := sc.b.deliver(work, sub, j.slot, j.deadline)
		if p.Status.Final() {
			sc.mu.Lock()
			if e.slot.Equal(j.slot) {
				e.settled = true
			}
			sc.mu.Unlock()
		}
	}
}

// channelGuild asks Discord which server a channel is in; when it cannot
// tell, the answer is DISCORD_GUILD_ID (logged).
func (b *Bot) channelGuild(ctx context.Context, channelID string) string {
	ch, err := call(ctx, b.log, "look up the server of "+channelID, b.backoff, func(opts ...discordgo.RequestOption) (*discordgo.Channel, error) {
		return b.s.Channel(channelID, opts...)
	})
	if err == nil && ch.GuildID != "" {
		return ch.GuildID
	}
	b.log.Warn("could not look up the server of BRIEFBOT_CHANNEL_ID; using DISCORD_GUILD_ID", "channel", channelID,
		"guild", b.cfg.GuildID, "err", shortErr(err))
	return b.cfg.GuildID
}

// nextRun is when sub posts next, or zero for a spec that does not parse.
func nextRun(sub data.Subscription, now time.Time) time.Time {
	sched, _, err := parseSchedule(sub.Spec, sub.TZ)
	if err != nil {
		return time.Time{}
	}
	return sched.Next(now)
}

// postSlot delivers sub's slot for the time it fired at, at most once: see
// deliver. It reports whether this call posted it.
func (b *Bot) postSlot(ctx context.Context, sub data.Subscription, fired time.Time) bool {
	sched, loc, err := parseSchedule(sub.Spec, sub.TZ)
	if err != nil {
		b.log.Error("bad schedule", "subscription", sub.ID, "err", err)
		return false
	}
	_, posted := b.deliver(ctx, sub, canonicalSlot(fired, loc), slotDeadline(sched, loc, fired))
	return posted
}

// lateArrival is how long before the last post an article may be dated and
// still be news in the next one: feeds are polled every few minutes, and
// outlets date items when written, not when published.
const lateArrival = 24 * time.Hour

// errNothingNew is scheduledMessage's answer when there is nothing to post
// and the server wants no "Nothing new" posts.
var errNothingNew = errors.New("nothing new")

// scheduleName is how a notice names a schedule.
func scheduleName(sub data.Subscription) string {
	topic := "top stories"
	if sub.Topic != "" {
		topic = sub.Topic
	}
	if sub.FromEnv {
		return "**" + fit(topic, maxTopic*2) + "** (env file)"
	}
	return fmt.Sprintf("#%d **%s**", sub.No, fit(topic, maxTopic*2))
}

// postName is how a notice names one post of a subscription.
func postName(sub data.Subscription, slot time.Time) string {
	if sub.Kind == data.KindAlert {
		return fmt.Sprintf("Story alert %s about story %d", scheduleName(sub), data.AlertStory(slot))
	}
	return fmt.Sprintf("Scheduled briefing %s for <t:%d:f>", scheduleName(sub), slot.Unix())
}

// scheduledMessage builds what a subscription posts for slot from the
// articles its server sees that pass its filter: what is new since its last
// post (everything, for its first), leaving out what earlier posts said; or,
// when the server's settings ask for it, a short note that nothing is
// (errNothingNew otherwise). It also returns the texts it says, for the
// post's record.
func (b *Bot) scheduledMessage(ctx context.Context, sub data.Subscription, slot time.Time, set data.GuildSettings) (Message, []string, error) {
	var since time.Time
	last, ok, err := b.store.LastPost(ctx, sub.ID)
	if err != nil {
		return Message{}, nil, err
	}
	if ok && last.Slot.Before(slot) {
		since = last.Slot
	}
	// New is what the bot stored since the last post, so an article a feed
	// delivered late still counts; but not a backlog a newly added feed
	// brought in, dated long before the last post.
	filter, err := sub.Filter.Compile()
	if err != nil {
		return Message{}, nil, fmt.Errorf("filter of schedule %d: %w", sub.ID, err)
	}
	opt := data.SearchOptions{Scope: data.GuildScope(sub.GuildID), Filter: filter}
	if !since.IsZero() {
		opt.IngestedSince, opt.Since = since, since.Add(-lateArrival)
	}
	said, err := b.store.Said(ctx, sub.ID)
	if err != nil {
		return Message{}, nil, err
	}
	what := "the top stories"
	if sub.Topic != "" {
		what = "**" + fit(sub.Topic, maxTopic*2) + "**"
	}
	// The stories with news since the last post, each briefed from all its
	// reports, leaving out what earlier posts said: what is new in each.
	sb, err := BriefStories(ctx, b.store, sub.Topic, opt, lengthOptions(set.Length, briefing.Options{Now: slot, Said: said}), b.build)
	if err != nil {
		return Message{}, nil, err
	}
	br := sb.Briefing
	var stories []briefing.Story
	for _, st := range br.Stories {
		if !st.NothingNew && (len(st.Bullets) > 0 || len(st.Quotes) > 0) {
			stories = append(stories, st)
		}
	}
	if len(stories) == 0 || br.NothingNew {
		if !set.NothingNew {
			return Message{}, nil, errNothingNew
		}
		if since.IsZero() {
			return Message{Content: fmt.Sprintf("Nothing stored on %s yet.", what)}, nil, nil
		}
		return Message{Content: fmt.Sprintf("Nothing new on %s since <t:%d:f>.", what, since.Unix())}, nil, nil
	}
	br.Stories = stories
	header := "Briefing on " + what
	if !since.IsZero() {
		header += fmt.Sprintf(": what's new since <t:%d:f>", since.Unix())
	}
	msg := RenderEmbeds(br, EmbedOptions{Location: b.zone(set), Content: header})
	// Only the stories that fit the message were said.
	br.Stories = stories[:min(len(stories), len(msg.Embeds))]
	return msg, br.Said(), nil
}
