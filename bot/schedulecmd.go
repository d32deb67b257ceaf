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
	case subAlert:
		return b.scheduleAlert(ctx, r, opts)
	}
	return r.text(ctx, "Use /schedule add, /schedule alert, /schedule list or /schedule remove.", true)
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

// Longest time and time zone options /schedule add takes: Discord enforces
// the options' max_length, but nothing stops a client sending more.
const (
	maxTimeOption = 100
	maxZoneOption = 64
)

// scheduleFilter reads /schedule add's filter options.
func scheduleFilter(opts optionMap) data.Filter {
	return data.Filter{
		Include: strings.TrimSpace(opts.str(optInclude)), Exclude: strings.TrimSpace(opts.str(optExclude)),
		Allow: strings.TrimSpace(opts.str(optOutlets)), Block: strings.TrimSpace(opts.str(optBlock)),
	}
}

func (b *Bot) scheduleAdd(ctx context.Context, r *responder, opts optionMap) error {
	topic := cleanTopic(opts.str(optTopic))
	channelID := opts.str(optChannel)
	rawTime, tz := opts.str(optTime), strings.TrimSpace(opts.str(optTimezone))
	if topic == "" {
		return r.text(ctx, "Give a topic, such as `ceasefire`.", true)
	}
	if !isSnowflake(channelID) {
		return r.text(ctx, "Pick a text channel to post into.", true)
	}
	if n := len([]rune(rawTime)); n > maxTimeOption {
		return r.text(ctx, fmt.Sprintf("That time is %d characters long; use HH:MM such as 08:00, or a five-field cron spec such as `0 8 * * 1-5`.", n), true)
	}
	if len([]rune(tz)) > maxZoneOption {
		return r.text(ctx, "That is not a time zone: use an IANA name such as Europe/Kyiv.", true)
	}
	set := b.guildSettings(ctx, r.i.GuildID)
	if tz == "" {
		tz = b.zone(set).String()
	}
	spec, err := timeSpec(rawTime)
	if err == nil {
		err = validateUserSchedule(spec, tz, b.now())
	}
	if err != nil {
		return r.text(ctx, "That schedule does not work: "+fit(err.Error(), 1500), true)
	}
	// The zone the spec is read in: a CRON_TZ= prefix wins over the option.
	_, loc, _ := parseSchedule(spec, tz)
	sub, ok, err := b.addSubscription(ctx, r, data.Subscription{
		ChannelID: channelID, Topic: topic, Spec: spec, TZ: loc.String(), Filter: scheduleFilter(opts),
	})
	if !ok {
		return err
	}
	next := nextRun(sub, b.now())
	return r.text(ctx, fmt.Sprintf("Scheduled #%d: **%s** in <#%s>, `%s` (%s). Next post <t:%d:F>.",
		sub.No, fit(topic, maxTopic*2), channelID, strings.ReplaceAll(spec, "`", "'"), loc.String(), next.Unix())+
		filterNote(sub.Filter), true)
}

// addSubscription is the end of /schedule add and /schedule alert: it
// checks the filter, the server's limit and the channel (replying why when
// one fails: ok is false then, and err says whether replying failed),
// stores the subscription for this server and member, and schedules it.
func (b *Bot) addSubscription(ctx context.Context, r *responder, sub data.Subscription) (data.Subscription, bool, error) {
	if _, err := sub.Filter.Compile(); err != nil {
		return sub, false, r.text(ctx, "That filter does not work: "+fit(strings.ReplaceAll(err.Error(), "\n", "; "), 1500), true)
	}
	subs, err := b.guildSubscriptions(ctx, r.i.GuildID)
	if err != nil {
		return sub, false, err
	}
	if len(subs) >= maxGuildSchedules {
		return sub, false, r.text(ctx, fmt.Sprintf("This server already has %d scheduled briefings and alerts, the most it may have. Remove one with /schedule remove.", len(subs)), true)
	}
	if ok, err := b.channelUsable(ctx, r, sub.ChannelID, RequiredPermissions); !ok {
		return sub, false, err
	}
	sub.GuildID = r.i.GuildID
	if r.i.Member != nil && r.i.Member.User != nil {
		sub.CreatedBy = r.i.Member.User.ID
	}
	sub, err = b.store.AddSubscription(ctx, sub)
	if err != nil {
		return sub, false, err
	}
	if _, _, err := b.sched.add(sub); err != nil {
		return sub, false, err
	}
	return sub, true, nil
}

// filterNote is the line a reply adds for a filter, "" for none.
func filterNote(f data.Filter) string {
	if f.IsZero() {
		return ""
	}
	return "\nFilter: " + fit(f.String(), 1200)
}

// guildSubscriptions lists a server's subscriptions, including the env
// file's when they post into this server.
func (b *Bot) guildSubscriptions(ctx context.Context, guildID string) ([]data.Subscription, error) {
	return b.store.GuildSubscriptions(ctx, guildID)
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
	for i, sub := range subs {
		line := b.subscriptionLine(ctx, sub)
		// Keep whole lines within Discord's limit and say what was left out.
		if dlen(sb.String())+dlen(line)+40 > limitContent {
			fmt.Fprintf(&sb, "…and %d more.", len(subs)-i)
			break
		}
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	return r.text(ctx, sb.String(), true)
}

// subscriptionLine describes one subscription with its filter and its next
// and last run.
func (b *Bot) subscriptionLine(ctx context.Context, sub data.Subscription) string {
	if sub.Kind == data.KindAlert {
		line := alertLine(sub)
		if !sub.Filter.IsZero() {
			line += " · " + fit(sub.Filter.String(), 300)
		}
		if posts, err := b.store.Posts(ctx, sub.ID, 1); err == nil && len(posts) > 0 {
			line += fmt.Sprintf(" · last alert <t:%d:R> (%s)", posts[0].Updated.Unix(), posts[0].Status)
		}
		return line
	}
	topic := "top stories"
	if sub.Topic != "" {
		topic = fit(sub.Topic, maxTopic*2)
	}
	zone := sub.TZ
	if zone == "" {
		zone = "UTC"
	}
	id := fmt.Sprintf("`#%d`", sub.No)
	if sub.FromEnv {
		id = "`env`"
	}
	line := fmt.Sprintf("%s **%s** → <#%s> · `%s` %s", id, topic, sub.ChannelID, strings.ReplaceAll(sub.Spec, "`", "'"), zone)
	if sub.FromEnv {
		line += " · from the env file"
	}
	if !sub.Filter.IsZero() {
		line += " · " + fit(sub.Filter.String(), 300)
	}
	if next := nextRun(sub, b.now()); !next.IsZero() {
		line += fmt.Sprintf(" · next <t:%d:f>", next.Unix())
	}
	if posts, err := b.store.Posts(ctx, sub.ID, 1); err == nil && len(posts) > 0 {
		p := posts[0]
		line += fmt.Sprintf(" · last <t:%d:R> (%s)", p.Slot.Unix(), p.Status)
		if p.Status == data.PostRetry {
			line += fmt.Sprintf(", retrying <t:%d:R>", p.NextTry.Unix())
		}
	}
	return line
}

func (b *Bot) scheduleRemove(ctx context.Context, r *responder, opts optionMap) error {
	no, ok := opts.integer(optID)
	if !ok || no <= 0 {
		return r.text(ctx, "Give the schedule's number from /schedule list.", true)
	}
	sub, err := b.store.RemoveSubscription(ctx, r.i.GuildID, no)
	if errors.Is(err, data.ErrNotFound) {
		return r.text(ctx, fmt.Sprintf("There is no schedule #%d in this server. /schedule list shows them; the env file's are changed there.", no), true)
	}
	if err != nil {
		return err
	}
	b.sched.remove(sub.ID)
	return r.text(ctx, fmt.Sprintf("Removed schedule #%d (%s).", no, fit(sub.Topic, maxTopic*2)), true)
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
	st, err := b.store.Stats(ctx, scopeOf(r.i))
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
	sb.WriteString(b.feedHealthLine(ctx, r.i.GuildID))
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
