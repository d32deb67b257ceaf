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

// maxGuildFeeds caps how many feeds one server may follow, so one server's
// admins cannot make the bot poll without end.
const maxGuildFeeds = 200

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
	// WarnChannelID is where the one-time warning about a failing feed of
	// the owner's (BRIEFBOT_FEEDS) is posted; empty: it is only logged. A
	// server's feeds warn that server's admins (/settings notices), never
	// the channel members read.
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
		reply, err = fd.addReply(ctx, r.i.GuildID, opts.str(optURL), by)
	case subList:
		reply, err = fd.listReply(ctx, r.i.GuildID)
	case subRemove:
		no, ok := opts.integer(optID)
		if !ok || no <= 0 {
			return r.text(ctx, "Give the feed's number from /feeds list.", true)
		}
		reply, err = fd.removeReply(ctx, r.i.GuildID, no)
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

// addReply makes server guildID follow rawURL and says how that went.
// Refusals and feeds that cannot be read are answers, not errors: the user
// learns what is wrong.
func (fd *feeds) addReply(ctx context.Context, guildID, rawURL, by string) (string, error) {
	rawURL = strings.TrimSpace(rawURL)
	mine, err := fd.b.store.GuildFeeds(ctx, guildID)
	if err != nil {
		return "", err
	}
	if len(mine) >= maxGuildFeeds {
		return fmt.Sprintf("This server already follows %d feeds, the most it may. Remove one with /feeds remove.", len(mine)), nil
	}
	res, err := data.FollowFeed(ctx, fd.b.store, fd.fetcher, rawURL, guildID, by, fd.b.now(), fd.pollOptions())
	switch {
	case errors.Is(err, data.ErrFeedExists):
		return fmt.Sprintf("Already following that feed as `#%d` %s.", res.Feed.No, feedName(res.Feed)), nil
	case errors.Is(err, data.ErrBlockedAddress):
		fd.log.Info("feed refused: private address", "url", rawURL, "by", by, "err", err)
		return "Refused: " + fit(err.Error(), 600) + ".\nFeeds added from Discord must be on the public internet. " +
			"The bot's owner can list private feeds in BRIEFBOT_FEEDS, or allow them with BRIEFBOT_FEEDS_ALLOW_PRIVATE=true.", nil
	case err != nil && res.Feed.ID == 0:
		return "Could not follow " + showURL(rawURL) + ": " + fit(err.Error(), 900), nil
	case err != nil:
		return "", err
	}
	fd.log.Info("feed followed", "feed", res.Feed.ID, "guild", guildID, "no", res.Feed.No, "url", res.Feed.URL, "by", by,
		"added", res.Added, "joined", res.Joined)
	if res.Joined {
		return fmt.Sprintf("Following `#%d` %s. The bot already reads it, so nothing was fetched: "+
			"%d stored %s from it %s readable here now; next check <t:%d:R>.", res.Feed.No, feedName(res.Feed),
			res.Duplicates, plural(res.Duplicates, "article", "articles"), plural(res.Duplicates, "is", "are"), res.Feed.NextPoll.Unix()), nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Following `#%d` %s. Stored %d new %s from its %d %s",
		res.Feed.No, feedName(res.Feed), res.Added, plural(res.Added, "article", "articles"), res.Items, plural(res.Items, "item", "items"))
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

// listReply lists the feeds a server follows with their health, and how
// many feeds the owner reads for every server.
func (fd *feeds) listReply(ctx context.Context, guildID string) (string, error) {
	mine, err := fd.b.store.GuildFeeds(ctx, guildID)
	if err != nil {
		return "", err
	}
	all, err := fd.b.store.Feeds(ctx)
	if err != nil {
		return "", err
	}
	owner := ownerFeeds(all)
	shared := ""
	if owner > 0 {
		shared = fmt.Sprintf("The bot's owner also reads %d %s for every server (BRIEFBOT_FEEDS).", owner, plural(owner, "feed", "feeds"))
	}
	if len(mine) == 0 {
		return strings.TrimSpace("No feeds followed in this server. Add one with /feeds add.\n" + shared), nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Feeds** (%d)\n", len(mine))
	footer := len(shared) + 1
	for i, f := range mine {
		line := feedLine(f)
		// Keep whole lines within Discord's limit and say what was left out.
		if dlen(sb.String())+dlen(line)+40+footer > limitContent {
			fmt.Fprintf(&sb, "…and %d more.\n", len(mine)-i)
			break
		}
		sb.WriteString(line)
		sb.WriteByte('\n')
	}
	sb.WriteString(shared)
	return sb.String(), nil
}

// feedLine is one feed in /feeds list: last success, failures, last error.
func feedLine(f data.Feed) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "`#%d` %s", f.No, feedName(f))
	if f.FromEnv {
		sb.WriteString(" · also the owner's")
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

// removeReply stops server guildID following its feed number no.
func (fd *feeds) removeReply(ctx context.Context, guildID string, no int64) (string, error) {
	f, err := fd.b.store.UnfollowFeed(ctx, guildID, no)
	if errors.Is(err, data.ErrNotFound) {
		return fmt.Sprintf("There is no feed #%d in this server. /feeds list shows them.", no), nil
	}
	if err != nil {
		return "", err
	}
	fd.log.Info("feed removed", "feed", f.ID, "guild", guildID, "no", no, "url", f.URL)
	return fmt.Sprintf("Stopped following #%d %s. Its stored articles stay readable here.", no, feedName(f)), nil
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
			fd.notify(ctx, res.Feed, func(no int64) string { return warningText(res, no) })
		case res.Recovered:
			fd.notify(ctx, res.Feed, func(no int64) string {
				return fmt.Sprintf("✅ Feed `#%d` %s works again.", no, feedName(res.Feed))
			})
		}
	}
	return rep
}

// warningText is the one-time warning about a failing feed, which the
// reader's server knows as number no.
func warningText(res data.FeedResult, no int64) string {
	f := res.Feed
	return truncateContent(fmt.Sprintf("⚠️ Feed `#%d` %s has failed %d times in a row: %s\nbriefbot keeps retrying, less often (next try <t:%d:R>). "+
		"/feeds list shows its state; /feeds remove %d stops it.",
		no, feedName(f), f.Failures, fit(f.LastError, 500), f.NextPoll.Unix(), no))
}

// notify tells whoever reads a feed about it: each server that follows it
// in its admin-notice channel, under its number there, and for the owner's
// feeds the owner (WarnChannelID, else the log).
func (fd *feeds) notify(ctx context.Context, f data.Feed, text func(no int64) string) {
	follows, err := fd.b.store.FeedFollowers(ctx, f.ID)
	if err != nil {
		fd.log.Error("feed notice: followers", "feed", f.ID, "err", err)
	}
	for _, fl := range follows {
		fd.b.notice(ctx, fl.GuildID, text(fl.No))
	}
	if !f.FromEnv && len(follows) > 0 {
		return
	}
	if fd.cfg.WarnChannelID == "" {
		fd.log.Warn("feed notice", "feed", f.ID, "url", f.URL, "text", text(f.ID))
		return
	}
	fd.b.postNotice(ctx, fd.cfg.WarnChannelID, text(f.ID))
}

// ownerFeeds counts the owner's feeds (BRIEFBOT_FEEDS) among all: every
// server reads them.
func ownerFeeds(all []data.Feed) int {
	n := 0
	for _, f := range all {
		if f.FromEnv {
			n++
		}
	}
	return n
}
