package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// scheduler runs the subscriptions on cron. Every job runs under
// cron.Recover and cron.SkipIfStillRunning; what makes a slot post once is
// the store's claim on (subscription, slot), not cron.
type scheduler struct {
	b *Bot
	c *cron.Cron

	mu      sync.Mutex
	entries map[int64]cron.EntryID
	catchUp sync.WaitGroup
}

func newScheduler(b *Bot) *scheduler {
	l := cronLogger{b.log}
	return &scheduler{
		b:       b,
		c:       cron.New(cron.WithLogger(l), cron.WithChain(cron.Recover(l), cron.SkipIfStillRunning(l))),
		entries: map[int64]cron.EntryID{},
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

// start syncs the env subscriptions, schedules every stored one, starts
// cron, and catches up, once, a slot missed earlier today.
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
	subs, err := sc.b.store.Subscriptions(ctx)
	if err != nil {
		return err
	}
	now := sc.b.now()
	for _, sub := range subs {
		// Another process runs the shard of this server (and posts for it).
		if !sc.b.ownsGuild(sub.GuildID) {
			continue
		}
		sched, loc, err := sc.add(sub)
		if err != nil {
			sc.b.log.Error("schedule not started", "subscription", sub.ID, "err", err)
			continue
		}
		if slot, ok := lastSlotToday(sched, loc, now, sub.Created); ok {
			sc.catchUp.Add(1)
			go func() {
				defer sc.catchUp.Done()
				sc.b.log.Info("catching up a missed slot", "subscription", sub.ID, "slot", slot)
				sc.b.postSlot(sc.b.work, sub, slot)
			}()
		}
	}
	sc.c.Start()
	return nil
}

// stop stops cron; the returned context is done when running posts,
// scheduled or catching up, have finished.
func (sc *scheduler) stop() context.Context {
	cronDone := sc.c.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-cronDone.Done()
		sc.catchUp.Wait()
		cancel()
	}()
	return ctx
}

// add schedules sub. The job asks cron for the time it was due (the entry's
// Prev) so the slot is the scheduled minute, not whenever the job got to run.
func (sc *scheduler) add(sub data.Subscription) (cron.Schedule, *time.Location, error) {
	sched, loc, err := parseSchedule(sub.Spec, sub.TZ)
	if err != nil {
		return nil, nil, err
	}
	var id atomic.Int64
	job := cron.FuncJob(func() {
		fired := sc.c.Entry(cron.EntryID(id.Load())).Prev
		if fired.IsZero() {
			fired = sc.b.now()
		}
		sc.b.postSlot(sc.b.work, sub, fired)
	})
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if old, ok := sc.entries[sub.ID]; ok {
		sc.c.Remove(old)
	}
	eid := sc.c.Schedule(sched, job)
	id.Store(int64(eid))
	sc.entries[sub.ID] = eid
	return sched, loc, nil
}

// remove unschedules a subscription.
func (sc *scheduler) remove(subID int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if eid, ok := sc.entries[subID]; ok {
		sc.c.Remove(eid)
		delete(sc.entries, subID)
	}
}

// channelGuild asks Discord which server a channel is in; when it cannot
// tell, the answer is DISCORD_GUILD_ID (logged).
func (b *Bot) channelGuild(ctx context.Context, channelID string) string {
	ch, err := b.s.Channel(channelID, discordgo.WithContext(ctx))
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

// postSlot posts sub's briefing for the slot it fired at, at most once per
// slot: the slot is claimed in the store before anything is sent and
// recorded as sent or failed after, so a second firing (DST fall-back, a
// retry, a restart's catch-up) finds it taken. It reports whether it posted.
func (b *Bot) postSlot(ctx context.Context, sub data.Subscription, fired time.Time) (posted bool) {
	_, loc, err := parseSchedule(sub.Spec, sub.TZ)
	if err != nil {
		b.log.Error("bad schedule", "subscription", sub.ID, "err", err)
		return false
	}
	slot := canonicalSlot(fired, loc)
	log := b.log.With("subscription", sub.ID, "slot", slot.Format(time.RFC3339))
	ok, err := b.store.ClaimPost(ctx, sub.ID, slot)
	if err != nil {
		log.Error("claim slot", "err", err)
		return false
	}
	if !ok {
		log.Info("slot already posted or in progress; not posting again")
		return false
	}
	rec := data.Post{SubscriptionID: sub.ID, Slot: slot}
	defer func() {
		if p := recover(); p != nil {
			log.Error("scheduled post panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			rec.Status, rec.Error = data.PostFailed, fmt.Sprint("panic: ", p)
			if err := b.store.FinishPost(context.WithoutCancel(ctx), rec); err != nil {
				log.Error("record failed post", "err", err)
			}
			posted = false
		}
	}()
	set := b.guildSettings(ctx, sub.GuildID)
	msg, said, err := b.scheduledMessage(ctx, sub, slot, set)
	if errors.Is(err, errNothingNew) {
		// Nothing to say and the server wants quiet: the slot is done, and
		// the next post covers everything since the last one sent.
		log.Info("nothing new; not posting (/settings nothing-new)")
		rec.Status = data.PostSkipped
		if ferr := b.store.FinishPost(context.WithoutCancel(ctx), rec); ferr != nil {
			log.Error("record post", "err", ferr)
		}
		return false
	}
	if err == nil {
		rec.MessageID, err = b.postToChannel(ctx, sub, slot, msg)
	}
	if err != nil {
		log.Error("scheduled post failed", "channel", sub.ChannelID, "err", shortErr(err))
		rec.Status, rec.Error = data.PostFailed, shortErr(err)
		b.notice(context.WithoutCancel(ctx), sub.GuildID, fmt.Sprintf("⚠️ Scheduled briefing %s could not be posted in <#%s>: %s",
			scheduleName(sub), sub.ChannelID, fit(shortErr(err), 500)))
	} else {
		rec.Status, rec.Said = data.PostSent, said
		log.Info("posted scheduled briefing", "channel", sub.ChannelID, "message", rec.MessageID)
	}
	if ferr := b.store.FinishPost(context.WithoutCancel(ctx), rec); ferr != nil {
		log.Error("record post", "err", ferr)
	}
	return err == nil
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
	arts, err := b.findArticles(ctx, sub.Topic, opt)
	if err != nil {
		return Message{}, nil, err
	}
	said, err := b.store.Said(ctx, sub.ID)
	if err != nil {
		return Message{}, nil, err
	}
	what := "the top stories"
	if sub.Topic != "" {
		what = "**" + fit(sub.Topic, maxTopic*2) + "**"
	}
	var br briefing.Briefing
	if len(arts) > 0 {
		br, err = b.build(ctx, EngineArticles(arts), lengthOptions(set.Length, briefing.Options{Topic: sub.Topic, Now: slot, Said: said}))
		if err != nil {
			return Message{}, nil, err
		}
	}
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

// channelMessage is a channel message with Discord's nonce fields, which
// discordgo's MessageSend lacks: with enforce_nonce, a retry whose first
// attempt did reach Discord returns that message instead of posting twice.
type channelMessage struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
}

// postToChannel sends msg into the subscription's channel, retrying 5xx and
// network errors (discordgo waits out 429s), and returns the message ID.
func (b *Bot) postToChannel(ctx context.Context, sub data.Subscription, slot time.Time, msg Message) (string, error) {
	body := channelMessage{
		Content:         msg.Content,
		Embeds:          msg.Embeds,
		AllowedMentions: noMentions(),
		Nonce:           fmt.Sprintf("bb%d-%d", sub.ID, slot.Unix()),
		EnforceNonce:    true,
	}
	endpoint := discordgo.EndpointChannelMessages(sub.ChannelID)
	var resp []byte
	err := retry(ctx, b.log, "post to channel "+sub.ChannelID, b.backoff, func() error {
		var err error
		resp, err = b.s.RequestWithBucketID("POST", endpoint, body, endpoint, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		return "", err
	}
	var m discordgo.Message
	if err := json.Unmarshal(resp, &m); err != nil {
		return "", fmt.Errorf("decode posted message: %w", err)
	}
	return m.ID, nil
}

// cronLogger sends cron's logs (including recovered panics) to slog.
type cronLogger struct{ l *slog.Logger }

// Info logs cron's routine events at debug level: they fire every minute.
func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

// Error logs cron's errors, such as a recovered panic.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
