package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/data"
)

// maxGuildSchedules caps one server's scheduled briefings.
const maxGuildSchedules = 25

const (
	guildOnlyReply  = "This command only works in a server."
	permissionReply = "You need the Manage Server permission for this."
)

// handleSchedule answers /schedule add, list and remove. The command is
// registered for Manage Server only; the handler checks again because a
// server admin may widen who sees it, and a schedule posts into channels.
func (b *Bot) handleSchedule(ctx context.Context, r *responder, opts optionMap) error {
	if r.i.GuildID == "" {
		return r.text(ctx, guildOnlyReply, true)
	}
	if !canManage(r.i) {
		return r.text(ctx, permissionReply, true)
	}
	switch opts.sub {
	case subAdd:
		return b.scheduleAdd(ctx, r, opts)
	case subList:
		return b.scheduleList(ctx, r)
	case subRemove:
		return b.scheduleRemove(ctx, r, opts)
	}
	return r.text(ctx, "Use /schedule add, /schedule list or /schedule remove.", true)
}

var clockRE = regexp.MustCompile(`^(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]\.?m\.?)?$`)

// timeSpec turns /schedule add's time into a cron spec: "08:00", "8:30pm"
// and "20h15" mean daily at that time; anything else is read as a cron spec.
func timeSpec(s string) (string, error) {
	raw := strings.TrimSpace(s)
	s = strings.ToLower(raw)
	m := clockRE.FindStringSubmatch(s)
	if m == nil {
		if s == "" {
			return "", errors.New("give a time such as 08:00")
		}
		return raw, nil // a cron spec; zone names are case-sensitive
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	if ampm := strings.ReplaceAll(m[3], ".", ""); ampm != "" {
		if h < 1 || h > 12 {
			return "", fmt.Errorf("%q: with am/pm the hour is 1 to 12", s)
		}
		h %= 12
		if ampm == "pm" {
			h += 12
		}
	}
	if h > 23 || min > 59 {
		return "", fmt.Errorf("%q is not a time of day: use HH:MM, 00:00 to 23:59", s)
	}
	return fmt.Sprintf("%d %d * * *", min, h), nil
}

// minUserGap is the shortest time between posts /schedule add accepts:
// members with Manage Server should not be able to make the bot flood a
// channel. The env file may schedule more often.
const minUserGap = 15 * time.Minute

// validateUserSchedule checks a spec from /schedule add: valid, and never
// firing twice within minUserGap.
func validateUserSchedule(spec, tz string, now time.Time) error {
	sched, _, err := parseSchedule(spec, tz)
	if err != nil {
		return err
	}
	t := sched.Next(now)
	for i := 0; i < 50; i++ {
		n := sched.Next(t)
		if n.Sub(t) < minUserGap {
			return fmt.Errorf("schedule %q posts more often than every %s", spec, minUserGap)
		}
		t = n
	}
	return nil
}

func (b *Bot) scheduleAdd(ctx context.Context, r *responder, opts optionMap) error {
	topic := cleanTopic(opts.str(optTopic))
	channelID := opts.str(optChannel)
	tz := strings.TrimSpace(opts.str(optTimezone))
	if tz == "" {
		tz = b.cfg.TZ
	}
	if topic == "" {
		return r.text(ctx, "Give a topic, such as `ceasefire`.", true)
	}
	if !isSnowflake(channelID) {
		return r.text(ctx, "Pick a text channel to post into.", true)
	}
	spec, err := timeSpec(opts.str(optTime))
	if err == nil {
		err = validateUserSchedule(spec, tz, b.now())
	}
	if err != nil {
		return r.text(ctx, "That schedule does not work: "+fit(err.Error(), 1500), true)
	}
	loc, _ := LoadZone(tz)
	subs, err := b.guildSubscriptions(ctx, r.i.GuildID)
	if err != nil {
		return err
	}
	if len(subs) >= maxGuildSchedules {
		return r.text(ctx, fmt.Sprintf("This server already has %d scheduled briefings, the most it may have. Remove one with /schedule remove.", len(subs)), true)
	}
	by := ""
	if r.i.Member != nil && r.i.Member.User != nil {
		by = r.i.Member.User.ID
	}
	sub, err := b.store.AddSubscription(ctx, data.Subscription{
		GuildID: r.i.GuildID, ChannelID: channelID, Topic: topic, Spec: spec, TZ: loc.String(), CreatedBy: by,
	})
	if err != nil {
		return err
	}
	if _, _, err := b.sched.add(sub); err != nil {
		return err
	}
	next := nextRun(sub, b.now())
	return r.text(ctx, fmt.Sprintf("Scheduled #%d: **%s** in <#%s>, `%s` (%s). Next post <t:%d:F>.",
		sub.ID, fit(topic, maxTopic*2), channelID, strings.ReplaceAll(spec, "`", "'"), loc.String(), next.Unix()), true)
}

// guildSubscriptions lists a server's subscriptions, including the env
// file's when they post into this server.
func (b *Bot) guildSubscriptions(ctx context.Context, guildID string) ([]data.Subscription, error) {
	all, err := b.store.Subscriptions(ctx)
	if err != nil {
		return nil, err
	}
	var out []data.Subscription
	for _, sub := range all {
		if sub.GuildID == guildID || (sub.GuildID == "" && b.channelGuild(sub.ChannelID) == guildID) {
			out = append(out, sub)
		}
	}
	return out, nil
}

// channelGuild is the server a channel belongs to, from the gateway's cache.
func (b *Bot) channelGuild(channelID string) string {
	if ch, err := b.s.State.Channel(channelID); err == nil && ch != nil {
		return ch.GuildID
	}
	return ""
}

func (b *Bot) scheduleList(ctx context.Context, r *responder) error {
	subs, err := b.guildSubscriptions(ctx, r.i.GuildID)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		return r.text(ctx, "No scheduled briefings in this server. Add one with /schedule add.", true)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Scheduled briefings** (%d)\n", len(subs))
	for _, sub := range subs {
		sb.WriteString(b.subscriptionLine(ctx, sub))
		sb.WriteByte('\n')
	}
	return r.text(ctx, sb.String(), true)
}

// subscriptionLine describes one subscription with its next and last run.
func (b *Bot) subscriptionLine(ctx context.Context, sub data.Subscription) string {
	topic := "top stories"
	if sub.Topic != "" {
		topic = fit(sub.Topic, maxTopic*2)
	}
	zone := sub.TZ
	if zone == "" {
		zone = "UTC"
	}
	line := fmt.Sprintf("`#%d` **%s** → <#%s> · `%s` %s", sub.ID, topic, sub.ChannelID, strings.ReplaceAll(sub.Spec, "`", "'"), zone)
	if sub.FromEnv {
		line += " · from the env file"
	}
	if next := nextRun(sub, b.now()); !next.IsZero() {
		line += fmt.Sprintf(" · next <t:%d:f>", next.Unix())
	}
	if posts, err := b.store.Posts(ctx, sub.ID, 1); err == nil && len(posts) > 0 {
		p := posts[0]
		line += fmt.Sprintf(" · last <t:%d:R> (%s)", p.Slot.Unix(), p.Status)
	}
	return line
}

func (b *Bot) scheduleRemove(ctx context.Context, r *responder, opts optionMap) error {
	id, ok := opts.integer(optID)
	if !ok || id <= 0 {
		return r.text(ctx, "Give the schedule's number from /schedule list.", true)
	}
	subs, err := b.guildSubscriptions(ctx, r.i.GuildID)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if sub.ID != id {
			continue
		}
		if sub.FromEnv {
			return r.text(ctx, fmt.Sprintf("Schedule #%d comes from the bot's env file (BRIEFBOT_CHANNEL_ID, BRIEFBOT_TOPICS); change it there.", id), true)
		}
		if err := b.store.RemoveSubscription(ctx, r.i.GuildID, id); err != nil {
			if errors.Is(err, data.ErrNotFound) {
				break
			}
			return err
		}
		b.sched.remove(id)
		return r.text(ctx, fmt.Sprintf("Removed schedule #%d (%s).", id, fit(sub.Topic, maxTopic*2)), true)
	}
	return r.text(ctx, fmt.Sprintf("There is no schedule #%d in this server. /schedule list shows them.", id), true)
}

// handleStatus answers /status: the version, what is stored, the database
// size, feed health, uptime and the schedules.
func (b *Bot) handleStatus(ctx context.Context, r *responder, _ optionMap) error {
	if r.i.GuildID == "" {
		return r.text(ctx, guildOnlyReply, true)
	}
	if !canManage(r.i) {
		return r.text(ctx, permissionReply, true)
	}
	st, err := b.store.Stats(ctx)
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString("**briefbot status**")
	if b.cfg.Version != "" {
		sb.WriteString(" · " + b.cfg.Version)
	}
	sb.WriteByte('\n')
	fmt.Fprintf(&sb, "Stored: %d %s from %d %s", st.Articles, plural(st.Articles, "article", "articles"), st.Sources, plural(st.Sources, "outlet", "outlets"))
	if !st.Newest.IsZero() {
		fmt.Fprintf(&sb, " · newest <t:%d:f>", st.Newest.Unix())
	}
	sb.WriteByte('\n')
	if len(st.TopSources) > 0 {
		names := make([]string, len(st.TopSources))
		for i, s := range st.TopSources {
			names[i] = fit(s, 60)
		}
		fmt.Fprintf(&sb, "Top outlets: %s\n", strings.Join(names, ", "))
	}
	sb.WriteString(b.storageLine(ctx))
	sb.WriteString(b.feedHealthLine(ctx))
	fmt.Fprintf(&sb, "Up for %s", FormatSpan(b.now().Sub(b.started)))
	// discordgo writes LastHeartbeatSent under a lock it does not export, so
	// HeartbeatLatency would race; the ack time is written under the
	// session's own lock.
	b.s.RLock()
	ack := b.s.LastHeartbeatAck
	b.s.RUnlock()
	if !ack.IsZero() {
		fmt.Fprintf(&sb, " · last gateway heartbeat ack <t:%d:R>", ack.Unix())
	}
	sb.WriteByte('\n')
	subs, err := b.guildSubscriptions(ctx, r.i.GuildID)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		sb.WriteString("No scheduled briefings.")
	} else {
		fmt.Fprintf(&sb, "Schedules (%d):\n", len(subs))
		for _, sub := range subs {
			sb.WriteString(b.subscriptionLine(ctx, sub))
			sb.WriteByte('\n')
		}
	}
	return r.text(ctx, sb.String(), true)
}
