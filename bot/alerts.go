package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// Story alerts (beyond MonitoRSS, which posts item by item): a channel
// hears about a story once, as soon as it first reaches N outlets among the
// articles its server reads that the alert's topic and filters let through,
// instead of waiting for the next scheduled briefing. The scheduler's pass
// looks at the stories that changed since its last look; each alert is a
// slot of the delivery log keyed by its story (data.AlertSlot), so it is
// posted once whatever happens.

const (
	// alertWindow is how long after a story reached its outlets an alert
	// is still worth posting (and the delivery's deadline): news a day
	// old is the next briefing's.
	alertWindow = 12 * time.Hour
	// alertOverlap is how far back each look starts before the last one,
	// for articles stored while it ran.
	alertOverlap = time.Minute
	// alertCandidates bounds the stories one look weighs per alert.
	alertCandidates = 200
	// maxAlertOutlets is the most outlets an alert may wait for.
	maxAlertOutlets = 20
)

// alertState is what an alert's entry keeps between passes.
type alertState struct {
	// since is where the next look at the stories starts.
	since time.Time
	// pending are alerts found but not yet final in the delivery log
	// (one running, or its subscription busy when found), by story.
	pending map[int64]job
}

// newAlertEntry starts watching for an alert: from when it was made, or
// at most alertWindow back (an alert a restart missed is caught up within
// the window).
func newAlertEntry(sub data.Subscription, now time.Time) *entry {
	since := now.Add(-alertWindow)
	if sub.Created.After(since) {
		since = sub.Created
	}
	return &entry{sub: sub, settled: true, alert: &alertState{since: since, pending: map[int64]job{}}}
}

// alertMatch is what an alert counts of a story: articles with its topic as
// a phrase (none: any) that its filter lets through.
func alertMatch(sub data.Subscription) (func(data.Article) bool, error) {
	filter, err := sub.Filter.Compile()
	if err != nil {
		return nil, err
	}
	var topic *data.Matcher
	if t := strings.TrimSpace(sub.Topic); t != "" {
		if topic, err = (data.Filter{Include: `"` + strings.ReplaceAll(t, `"`, " ") + `"`}).Compile(); err != nil {
			return nil, err
		}
	}
	return func(a data.Article) bool { return topic.Match(a) && filter.Match(a) }, nil
}

// alertJobs finds the stories that reached the alert's outlets since its
// last look (and are not alerted yet), and returns them, with the ones
// still pending, as slots to deliver.
func (sc *scheduler) alertJobs(ctx context.Context, e *entry, now time.Time) []job {
	st, sub := e.alert, e.sub
	log := sc.b.log.With("subscription", sub.ID)
	match, err := alertMatch(sub)
	if err != nil {
		log.Error("alert filter", "err", err)
		return nil
	}
	stories, err := sc.b.store.AlertCandidates(ctx, st.since.Add(-alertOverlap), sub.Threshold, alertCandidates)
	if err != nil {
		log.Error("alert candidates", "err", err)
		return nil
	}
	var slots []time.Time
	for _, s := range stories {
		slots = append(slots, data.AlertSlot(s.ID))
	}
	for id := range st.pending {
		slots = append(slots, data.AlertSlot(id))
	}
	final, err := sc.b.store.FinalSlots(ctx, sub.ID, slots)
	if err != nil {
		log.Error("alert posts", "err", err)
		return nil
	}
	for id := range st.pending {
		if final[id] {
			delete(st.pending, id)
		}
	}
	scope := data.GuildScope(sub.GuildID)
	for _, s := range stories {
		if final[s.ID] {
			continue
		}
		if _, ok := st.pending[s.ID]; ok {
			continue
		}
		c, ok, err := sc.b.store.StoryCrossing(ctx, s.ID, scope, match, sub.Threshold)
		switch {
		case err != nil:
			log.Error("alert: story outlets", "story", s.ID, "err", err)
			return nil // look again next pass
		case !ok:
			continue
		case c.At.Before(sub.Created):
			continue // it had the outlets before the alert was made
		case !now.Before(c.At.Add(alertWindow)):
			continue // too late to be news
		}
		log.Info("story reached the alert's outlets", "story", s.ID, "outlets", c.Outlets, "at", c.At)
		st.pending[s.ID] = job{slot: data.AlertSlot(s.ID), deadline: c.At.Add(alertWindow)}
	}
	st.since = now
	jobs := make([]job, 0, len(st.pending))
	for _, j := range st.pending {
		jobs = append(jobs, j)
	}
	return jobs
}

// postMessage builds what a subscription posts for a slot: a scheduled
// briefing, or a story alert's message.
func (b *Bot) postMessage(ctx context.Context, sub data.Subscription, slot time.Time, set data.GuildSettings) (Message, []string, error) {
	if sub.Kind == data.KindAlert {
		msg, err := b.alertMessage(ctx, sub, data.AlertStory(slot), set)
		return msg, nil, err
	}
	return b.scheduledMessage(ctx, sub, slot, set)
}

// alertMessage is a story alert: the story briefed from the reports its
// server reads that the alert counts, under a line naming its outlets.
func (b *Bot) alertMessage(ctx context.Context, sub data.Subscription, storyID int64, set data.GuildSettings) (Message, error) {
	match, err := alertMatch(sub)
	if err != nil {
		return Message{}, err
	}
	_, reports, err := b.store.StoryReports(ctx, storyID, data.GuildScope(sub.GuildID), data.ReportOptions{Texts: briefing.MaxStoryTexts, Keep: match})
	if err != nil {
		return Message{}, err
	}
	var arts []data.Article
	outlets := map[string]bool{}
	var names []string
	// Oldest first (StoryReports gives the newest first): the outlets in
	// the order they reported it.
	for i := len(reports) - 1; i >= 0; i-- {
		a := reports[i]
		arts = append(arts, a)
		if a.Source != "" && !outlets[a.Source] {
			outlets[a.Source] = true
			names = append(names, a.Source)
		}
	}
	if len(arts) == 0 {
		return Message{}, fmt.Errorf("story %d: no report left to alert about", storyID)
	}
	eng := EngineArticles(arts)
	for i := range eng {
		eng[i].Story = strconv.FormatInt(storyID, 10) // the stored story, as it is
	}
	br, err := b.build(ctx, eng, lengthOptions(set.Length, briefing.Options{Topic: sub.Topic, Now: b.now(), MaxStories: 1}))
	if err != nil {
		return Message{}, err
	}
	shown := names
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("%d more", len(names)-5))
	}
	header := fmt.Sprintf("🔔 **Story alert**: %d outlets now report this story (%s)", len(names), fit(strings.Join(shown, ", "), 600))
	if len(br.Stories) == 0 {
		return Message{Content: truncateContent(header + ".")}, nil
	}
	br.Stories = br.Stories[:1]
	return RenderEmbeds(br, EmbedOptions{Location: b.zone(set), Content: header}), nil
}

// alertLine describes an alert in /schedule list.
func alertLine(sub data.Subscription) string {
	what := "any story"
	if sub.Topic != "" {
		what = "stories on **" + fit(sub.Topic, maxTopic*2) + "**"
	}
	return fmt.Sprintf("`#%d` 🔔 alert: %s reaching %d outlets → <#%s>", sub.No, what, sub.Threshold, sub.ChannelID)
}

// Names of /schedule alert and its option.
const (
	subAlert = "alert"
	optReach = "reach"
)

// alertSubcommand is /schedule alert: topic (optional), channel, how many
// outlets, and the filters /schedule add takes.
func alertSubcommand(topic *discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	minReach, maxReach := 2.0, float64(maxAlertOutlets)
	return &discordgo.ApplicationCommandOption{
		Type:        discordgo.ApplicationCommandOptionSubCommand,
		Name:        subAlert,
		Description: "Post once, at once, when a story first reaches several outlets",
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type:         discordgo.ApplicationCommandOptionChannel,
				Name:         optChannel,
				Description:  "The channel to post alerts into",
				Required:     true,
				ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews},
			},
			topic,
			{
				Type:        discordgo.ApplicationCommandOptionInteger,
				Name:        optReach,
				Description: fmt.Sprintf("How many outlets a story must reach (default %d)", data.DefaultAlertOutlets),
				MinValue:    &minReach,
				MaxValue:    maxReach,
			},
			filterOption(optInclude, `Count only articles with one of these words: "exact phrase", word*, -not`),
			filterOption(optExclude, `Do not count articles with these words: "exact phrase", -unless`),
			filterOption(optOutlets, "Count only these outlets, comma-separated: names or domains"),
			filterOption(optBlock, "Never count these outlets, comma-separated: names or domains"),
		},
	}
}

// scheduleAlert answers /schedule alert.
func (b *Bot) scheduleAlert(ctx context.Context, r *responder, opts optionMap) error {
	channelID := opts.str(optChannel)
	if !isSnowflake(channelID) {
		return r.text(ctx, "Pick a text channel to post alerts into.", true)
	}
	reach := int64(data.DefaultAlertOutlets)
	if v, ok := opts.integer(optReach); ok {
		reach = v
	}
	if reach < 2 || reach > maxAlertOutlets {
		return r.text(ctx, fmt.Sprintf("A story alert waits for 2 to %d outlets.", maxAlertOutlets), true)
	}
	topic := cleanTopic(opts.str(optTopic))
	sub, ok, err := b.addSubscription(ctx, r, data.Subscription{
		ChannelID: channelID, Topic: topic, Kind: data.KindAlert, Threshold: int(reach), Filter: scheduleFilter(opts),
	})
	if !ok {
		return err
	}
	what := "a story"
	if topic != "" {
		what = "a story on **" + fit(topic, maxTopic*2) + "**"
	}
	return r.text(ctx, fmt.Sprintf("Alert #%d: 🔔 in <#%s> as soon as %s first reaches %d outlets, once a story.",
		sub.No, channelID, what, reach)+filterNote(sub.Filter), true)
}
