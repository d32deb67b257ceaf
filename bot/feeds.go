package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/data"
)

// Names of /feeds and its options.
const (
	cmdFeeds = "feeds"
	optURL   = "url"
)

// maxFeeds caps how many feeds may be followed, so a server's admins cannot
// make the bot poll without end.
const maxFeeds = 200

// feedTick is how often due feeds are looked for; each feed has its own
// interval and slot within it (data.PollDue).
const feedTick = time.Minute

// FeedConfig configures feed following.
type FeedConfig struct {
	// URLs are the owner's feeds (BRIEFBOT_FEEDS): trusted, so they may be
	// on a private network, and not removable by command.
	URLs []string
	// Interval between polls of a feed (BRIEFBOT_FEED_INTERVAL); zero
	// means data.DefaultFeedInterval.
	Interval time.Duration
	// AllowPrivate lets feeds added through Discord reach private and
	// loopback addresses (BRIEFBOT_FEEDS_ALLOW_PRIVATE).
	AllowPrivate bool
	// Version is briefbot's, for the User-Agent.
	Version string
	// WarnChannelID is where the one-time warning about a failing feed is
	// posted; empty means the bot's channel (BRIEFBOT_CHANNEL_ID), and with
	// neither the warning is only logged.
	WarnChannelID string
	// Fetcher overrides the fetcher built from the fields above (tests).
	Fetcher *data.Fetcher
}

// Validate checks the env file's feed settings, naming every problem.
func (fc FeedConfig) Validate() error {
	var errs []error
	for _, u := range fc.URLs {
		if _, err := data.CheckFeedURL(u, true); err != nil {
			errs = append(errs, fmt.Errorf("BRIEFBOT_FEEDS: %w", err))
		}
	}
	if fc.Interval < 0 || fc.Interval > 0 && fc.Interval < time.Minute {
		errs = append(errs, fmt.Errorf("BRIEFBOT_FEED_INTERVAL %s: use at least 1m (feeds are checked once a minute)", fc.Interval))
	}
	return errors.Join(errs...)
}

// feeds follows RSS, Atom and JSON feeds: it answers /feeds, polls the due
// feeds every minute, and warns once in the channel about a feed that keeps
// failing.
type feeds struct {
	b       *Bot
	cfg     FeedConfig
	fetcher *data.Fetcher
	log     *slog.Logger
}

func newFeeds(b *Bot, cfg FeedConfig) *feeds {
	if cfg.Interval <= 0 {
		cfg.Interval = data.DefaultFeedInterval
	}
	if cfg.WarnChannelID == "" {
		cfg.WarnChannelID = b.cfg.ChannelID
	}
	f := cfg.Fetcher
	if f == nil {
		f = data.NewFetcher(data.FetcherOptions{Version: cfg.Version, AllowPrivate: cfg.AllowPrivate})
	}
	return &feeds{b: b, cfg: cfg, fetcher: f, log: b.log.With("part", "feeds")}
}

func (fd *feeds) pollOptions() data.PollOptions {
	return data.PollOptions{Interval: fd.cfg.Interval}
}

// feedsCommand is /feeds: Manage Server, in servers only, like /schedule.
func feedsCommand() *discordgo.ApplicationCommand {
	minID := 1.0
	minURL := 8
	return adminCommand(cmdFeeds, "News feeds (RSS, Atom, JSON Feed) the bot reads articles from",
		&discordgo.ApplicationCommandOption{
			Type:        discordgo.ApplicationCommandOptionSubCommand,
			Name:        subAdd,
			Description: "Follow a news feed: its articles are stored, full text included",
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionString,
				Name:        optURL,
				Description: "The feed's URL (or a site's home page that links its feed)",
				Required:    true,
				MinLength:   &minURL,
				MaxLength:   2000,
			}},
		},
		&discordgo.ApplicationCommandOption{
			Type:        discordgo.ApplicationCommandOptionSubCommand,
			Name:        subList,
			Description: "List the followed feeds with their last success and errors",
		},
		&discordgo.ApplicationCommandOption{
			Type:        discordgo.ApplicationCommandOptionSubCommand,
			Name:        subRemove,
			Description: "Stop following a feed (its stored articles stay)",
			Options: []*discordgo.ApplicationCommandOption{{
				Type:        discordgo.ApplicationCommandOptionInteger,
				Name:        optID,
				Description: "The feed's number, as /feeds list shows it",
				Required:    true,
				MinValue:    &minID,
			}},
		},
	)
}

// handle answers /feeds add, list and remove. Discord shows the command to
// Manage Server only; the handler checks again, as /schedule does, because
// a server admin may widen who sees it.
func (fd *feeds) handle(ctx context.Context, r *responder, opts optionMap) error {
	if r.i.GuildID == "" {
		return r.text(ctx, guildOnlyReply, true)
	}
	if !canManage(r.i) {
		return r.text(ctx, permissionReply, true)
	}
	var reply string
	var err error
	switch opts.sub {
	case subAdd:
		// Reading the feed and its pages takes longer than Discord's 3 s.
		if err := r.deferReply(ctx, true); err != nil {
			return err
		}
		by := ""
		if r.i.Member != nil && r.i.Member.User != nil {
			by = r.i.Member.User.ID
		}
		reply, err = fd.addReply(ctx, opts.str(optURL), by)
	case subList:
		reply, err = fd.listReply(ctx)
	case subRemove:
		id, ok := opts.integer(optID)
		if !ok || id <= 0 {
			return r.text(ctx, "Give the feed's number from /feeds list.", true)
		}
		reply, err = fd.removeReply(ctx, id)
	default:
		reply = "Use /feeds add, /feeds list or /feeds remove."
	}
	if err != nil {
		return err
	}
	return r.text(ctx, reply, true)
}

// showURL renders a URL as plain text Discord will not unfurl.
func showURL(u string) string {
	if s := safeURL(u); s != "" {
		return "<" + s + ">"
	}
	return fit(u, 200)
}

// addReply follows rawURL and says how that went. Refusals and feeds that
// cannot be read are answers, not errors: the user learns what is wrong.
func (fd *feeds) addReply(ctx context.Context, rawURL, by string) (string, error) {
	rawURL = strings.TrimSpace(rawURL)
	all, err := fd.b.store.Feeds(ctx)
	if err != nil {
		return "", err
	}
	if len(all) >= maxFeeds {
		return fmt.Sprintf("The bot already follows %d feeds, the most it may. Remove one with /feeds remove.", len(all)), nil
	}
	res, err := data.FollowFeed(ctx, fd.b.store, fd.fetcher, rawURL, by, fd.b.now(), fd.pollOptions())
	switch {
	case errors.Is(err, data.ErrFeedExists):
		return fmt.Sprintf("Already following that feed as `#%d` %s.", res.Feed.ID, feedName(res.Feed)), nil
	case errors.Is(err, data.ErrBlockedAddress):
		fd.log.Info("feed refused: private address", "url", rawURL, "by", by, "err", err)
		return "Refused: " + fit(err.Error(), 600) + ".\nFeeds added from Discord must be on the public internet. " +
			"The bot's owner can list private feeds in BRIEFBOT_FEEDS, or allow them with BRIEFBOT_FEEDS_ALLOW_PRIVATE=true.", nil
	case err != nil && res.Feed.ID == 0:
		return "Could not follow " + showURL(rawURL) + ": " + fit(err.Error(), 900), nil
	case err != nil:
		return "", err
	}
	fd.log.Info("feed followed", "feed", res.Feed.ID, "url", res.Feed.URL, "by", by, "added", res.Added)
	var sb strings.Builder
	fmt.Fprintf(&sb, "Following `#%d` %s. Stored %d new %s from its %d %s",
		res.Feed.ID, feedName(res.Feed), res.Added, plural(res.Added, "article", "articles"), res.Items, plural(res.Items, "item", "items"))
	if res.Duplicates > 0 {
		fmt.Fprintf(&sb, " (%d already stored)", res.Duplicates)
	}
	fmt.Fprintf(&sb, "; next check <t:%d:R>.", res.Feed.NextPoll.Unix())
	if len(res.Notes) > 0 {
		fmt.Fprintf(&sb, "\n%d %s could not be read in full, e.g. %s", len(res.Notes), plural(len(res.Notes), "article", "articles"), fit(res.Notes[0], 300))
	}
	return sb.String(), nil
}

// feedName is a feed's title and URL for a reply.
func feedName(f data.Feed) string {
	name := f.Outlet()
	if name == "" {
		return showURL(f.URL)
	}
	return "**" + fit(name, 100) + "** " + showURL(f.URL)
}

// listReply lists every followed feed with its health.
func (fd *feeds) listReply(ctx context.Context) (string, error) {
	all, err := fd.b.store.Feeds(ctx)
	if err != nil {
		return "", err
	}
	if len(all) == 0 {
		return "No feeds followed. Add one with /feeds add.", nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Feeds** (%d)\n", len(all))
	for i, f := range all {
		line := feedLine(f)
		// Keep whole lines within Discord's limit and say what was left out.
		if dlen(sb.String())+dlen(line)+40 > limitContent {
			fmt.Fprintf(&sb, "…and %d more.", len(all)-i)
			break
		}
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	return sb.String(), nil
}

// feedLine is one feed in /feeds list: last success, failures, last error.
func feedLine(f data.Feed) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "`#%d` %s", f.ID, feedName(f))
	if f.FromEnv {
		sb.WriteString(" · env file")
	}
	if f.LastSuccess.IsZero() {
		sb.WriteString(" · never read yet")
	} else {
		fmt.Fprintf(&sb, " · last success <t:%d:R>", f.LastSuccess.Unix())
	}
	if f.Failures > 0 {
		fmt.Fprintf(&sb, " · ⚠️ %d %s in a row", f.Failures, plural(f.Failures, "failure", "failures"))
	}
	if f.LastError != "" {
		sb.WriteString(" · last error: " + fit(f.LastError, 200))
	}
	if !f.NextPoll.IsZero() {
		fmt.Fprintf(&sb, " · next <t:%d:R>", f.NextPoll.Unix())
	}
	return sb.String()
}

// removeReply stops following feed id.
func (fd *feeds) removeReply(ctx context.Context, id int64) (string, error) {
	f, err := fd.b.store.Feed(ctx, id)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Sprintf("There is no feed #%d. /feeds list shows them.", id), nil
	}
	if err != nil {
		return "", err
	}
	if f.FromEnv {
		return fmt.Sprintf("Feed #%d comes from the bot's env file (BRIEFBOT_FEEDS); remove it there.", id), nil
	}
	if err := fd.b.store.RemoveFeed(ctx, id); err != nil {
		if errors.Is(err, data.ErrNotFound) {
			return fmt.Sprintf("There is no feed #%d. /feeds list shows them.", id), nil
		}
		return "", err
	}
	fd.log.Info("feed removed", "feed", id, "url", f.URL)
	return fmt.Sprintf("Stopped following #%d %s. Its stored articles stay.", id, feedName(f)), nil
}

// start makes the stored env feeds match the env file.
func (fd *feeds) start(ctx context.Context) error {
	envFeeds, err := fd.b.store.ReplaceEnvFeeds(ctx, fd.cfg.URLs)
	if err != nil {
		return fmt.Errorf("BRIEFBOT_FEEDS: %w", err)
	}
	if len(envFeeds) > 0 {
		fd.log.Info("following env feeds", "feeds", len(envFeeds), "interval", fd.cfg.Interval)
	}
	return nil
}

// run polls the due feeds at once and then every minute until ctx is done.
// Polls never overlap: the next tick waits for the last poll to end.
func (fd *feeds) run(ctx context.Context) {
	t := time.NewTicker(feedTick)
	defer t.Stop()
	for {
		fd.pollOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollOnce polls the due feeds, logs what happened, and posts the warning
// for a feed that has just reached its failure threshold, and the all-clear
// when a warned feed works again.
func (fd *feeds) pollOnce(ctx context.Context) data.PollReport {
	defer func() {
		if p := recover(); p != nil {
			fd.log.Error("feed poll panicked", "panic", fmt.Sprint(p))
		}
	}()
	rep, err := data.PollDue(ctx, fd.b.store, fd.fetcher, fd.b.now(), fd.pollOptions())
	if err != nil && ctx.Err() == nil {
		fd.log.Error("poll feeds", "err", err)
	}
	for _, res := range rep.Results {
		log := fd.log.With("feed", res.Feed.ID, "url", res.Feed.URL)
		switch {
		case res.Err != nil:
			log.Warn("feed poll failed", "failures", res.Feed.Failures, "next", res.Feed.NextPoll, "err", res.Err)
		case res.Added > 0 || len(res.Notes) > 0:
			log.Info("feed polled", "added", res.Added, "duplicates", res.Duplicates, "pages", res.Pages, "notes", res.Notes)
		default:
			log.Debug("feed polled", "not_modified", res.NotModified, "items", res.Items)
		}
		switch {
		case res.Warn:
			fd.post(ctx, warningText(res))
		case res.Recovered:
			fd.post(ctx, fmt.Sprintf("✅ Feed `#%d` %s works again.", res.Feed.ID, feedName(res.Feed)))
		}
	}
	return rep
}

// warningText is the one-time warning about a failing feed.
func warningText(res data.FeedResult) string {
	f := res.Feed
	return truncateContent(fmt.Sprintf("⚠️ Feed `#%d` %s has failed %d times in a row: %s\nbriefbot keeps retrying, less often (next try <t:%d:R>). "+
		"/feeds list shows its state; /feeds remove %d stops it.",
		f.ID, feedName(f), f.Failures, fit(f.LastError, 500), f.NextPoll.Unix(), f.ID))
}

// post sends a notice into the warning channel, or only logs it when no
// channel is configured.
func (fd *feeds) post(ctx context.Context, text string) {
	if fd.cfg.WarnChannelID == "" {
		fd.log.Warn("feed notice (no BRIEFBOT_CHANNEL_ID to post it in)", "text", text)
		return
	}
	msg := &discordgo.MessageSend{Content: text, AllowedMentions: noMentions()}
	err := retry(ctx, fd.log, "feed notice", fd.b.backoff, func() error {
		_, err := fd.b.s.ChannelMessageSendComplex(fd.cfg.WarnChannelID, msg, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		fd.log.Error("post feed notice", "channel", fd.cfg.WarnChannelID, "err", shortErr(err), "text", text)
	}
}
