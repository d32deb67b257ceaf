package data

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Polling defaults.
const (
	DefaultFeedInterval = 15 * time.Minute
	// DefaultWarnAfter is how many failed polls in a row make the bot warn
	// (once) in its channel.
	DefaultWarnAfter = 3
	maxBackoff       = 24 * time.Hour
	// pollLease is the longest a claimed feed is left alone by other
	// pollers (see feedLease).
	pollLease = 30 * time.Minute
	// seenRetention is how long a feed's delivered items are remembered.
	// An item still in the feed after that is recognized by its stored
	// article's URL instead, without a fetch.
	seenRetention = 90 * 24 * time.Hour
	// followPages is the page budget of the first read of a feed added
	// through Discord, which a user is waiting on; the rest of the backlog
	// comes with the next polls.
	followPages = 10
)

// PollOptions tune polling. The zero value is the defaults.
type PollOptions struct {
	// Interval between polls of a healthy feed (BRIEFBOT_FEED_INTERVAL).
	Interval time.Duration
	// WarnAfter failed polls in a row the feed is reported for a warning.
	WarnAfter int
	// Workers is how many feeds are polled at once.
	Workers int
	// MaxPages is how many article pages one poll of one feed fetches; the
	// rest of a long backlog waits for the next poll.
	MaxPages int
}

func (o PollOptions) withDefaults() PollOptions {
	if o.Interval <= 0 {
		o.Interval = DefaultFeedInterval
	}
	if o.WarnAfter <= 0 {
		o.WarnAfter = DefaultWarnAfter
	}
	if o.Workers <= 0 {
		o.Workers = 3
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 40
	}
	return o
}

// FeedResult is what one poll of one feed did.
type FeedResult struct {
	// Feed is the feed as it stands after the poll.
	Feed Feed
	// NotModified: the server said nothing changed (304).
	NotModified bool
	Items       int // items in the feed
	New         int // items this feed had not delivered before
	Added       int // articles stored
	Duplicates  int // new items whose article was already stored
	Pages       int // article pages fetched
	// Notes are per-item problems that did not fail the poll (a page that
	// could not be fetched, one cut off at the size limit).
	Notes []string
	// Err is why the poll failed; nil on success.
	Err error
	// Warn is set on the failure that reaches PollOptions.WarnAfter in a
	// row, once per run of failures: the bot posts its warning then.
	Warn bool
	// Recovered is set on the success that ends a run of failures the bot
	// warned about.
	Recovered bool
	// Joined is set by FollowFeed when the feed was already read for the
	// owner or another server: nothing was fetched, and Duplicates counts
	// the stored articles from it that the server now sees.
	Joined bool
}

// PollReport is what one PollDue call did.
type PollReport struct {
	Results    []FeedResult
	Added      int
	Duplicates int
	Failed     int
}

// Summary is the report a person reads after `briefbot ingest URL`: the
// counts, then each note.
func (r FeedResult) Summary() string {
	var b strings.Builder
	// The URL once, then the outlet's name when it has one.
	name := r.Feed.URL
	if o := r.Feed.Outlet(); o != "" {
		name += " (" + o + ")"
	}
	fmt.Fprintf(&b, "%s: %d items, %d added, %d duplicates, %d pages fetched\n", name, r.Items, r.Added, r.Duplicates, r.Pages)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	if r.Err != nil {
		fmt.Fprintf(&b, "  failed: %v\n", r.Err)
	}
	return b.String()
}

// Warnings are the results whose feeds the bot should warn about now.
func (r PollReport) Warnings() []FeedResult {
	var out []FeedResult
	for _, res := range r.Results {
		if res.Warn {
			out = append(out, res)
		}
	}
	return out
}

// PollDue polls every feed whose time has come, a few at a time, and
// records each outcome. The bot's scheduler calls it every minute. A feed
// being polled by an overlapping call is left to it. The error is only for
// a store that cannot be read; feed failures are in the report.
func PollDue(ctx context.Context, s *Store, f *Fetcher, now time.Time, opt PollOptions) (PollReport, error) {
	opt = opt.withDefaults()
	var rep PollReport
	due, err := s.dueFeeds(ctx, now)
	if err != nil {
		return rep, err
	}
	results := make([]FeedResult, len(due))
	polled := make([]bool, len(due))
	sem := make(chan struct{}, opt.Workers)
	var wg sync.WaitGroup
	var claimErr error
	for i, feed := range due {
		if ctx.Err() != nil {
			break
		}
		lease := feedLease(opt.Interval)
		ok, err := s.claimFeed(ctx, feed.ID, now, lease)
		if err != nil {
			claimErr = err
			break
		}
		if !ok {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			// A panic here would end the bot, not just this poll.
			defer func() {
				if p := recover(); p != nil {
					results[i] = FeedResult{Feed: feed, Err: fmt.Errorf("poll of feed %d panicked: %v", feed.ID, p)}
				}
			}()
			polled[i] = true
			stop := s.holdFeed(ctx, feed.ID, now, lease)
			defer stop()
			results[i] = Poll(ctx, s, f, feed, now, opt)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if !polled[i] {
			continue
		}
		rep.Results = append(rep.Results, r)
		rep.Added += r.Added
		rep.Duplicates += r.Duplicates
		if r.Err != nil {
			rep.Failed++
		}
	}
	return rep, claimErr
}

// Poll fetches one feed (conditionally, when the last answer carried
// validators), stores its new items and records the outcome: on success the
// next poll is at the feed's slot in the next interval; on failure it backs
// off exponentially, up to a day, and never gives up.
func Poll(ctx context.Context, s *Store, f *Fetcher, feed Feed, now time.Time, opt PollOptions) FeedResult {
	opt = opt.withDefaults()
	res := FeedResult{Feed: feed}
	fail := func(err error) FeedResult {
		res.Err = err
		if ctx.Err() != nil {
			// Shutting down is not the feed's failure: make it due again
			// so the next start polls it at once.
			if rerr := s.releaseFeed(context.WithoutCancel(ctx), feed.ID, now); rerr != nil {
				res.Err = fmt.Errorf("%w (and releasing the feed failed: %v)", err, rerr)
			}
			return res
		}
		var retry time.Duration
		var se *StatusError
		if errors.As(err, &se) {
			retry = se.RetryAfter
		}
		failures := feed.Failures + 1
		next := now.Add(backoff(feed.ID, opt.Interval, failures, retry))
		n, warn, rerr := s.recordFeedFailure(context.WithoutCancel(ctx), feed.ID, err.Error(), now, next, opt.WarnAfter)
		if rerr != nil {
			res.Err = fmt.Errorf("%w (and recording it failed: %v)", err, rerr)
			return res
		}
		res.Warn = warn
		res.Feed.Failures, res.Feed.LastError, res.Feed.LastErrorAt, res.Feed.NextPoll = n, err.Error(), now, next
		res.Feed.Warned = feed.Warned || warn
		return res
	}
	resp, err := f.Fetch(ctx, feed.URL, feed.FromEnv, Validators{ETag: feed.ETag, LastModified: feed.LastModified})
	if err != nil {
		return fail(err)
	}
	var validators *Validators
	if resp.NotModified {
		res.NotModified = true
	} else {
		doc, err := parseFeed(resp)
		if err != nil {
			return fail(err)
		}
		if t := collapseSpace(HTMLToText(doc.Title)); t != "" {
			feed.Title = t
		}
		base, _ := url.Parse(resp.URL)
		vis, err := s.feedVisibility(ctx, feed)
		if err != nil {
			return fail(err)
		}
		src := feedSource{feed: &feed, vis: vis, base: base, title: feed.Title}
		out, err := ingestItems(ctx, s, f, doc, src, now, opt.MaxPages)
		res.Items, res.New, res.Added, res.Duplicates, res.Pages, res.Notes = out.items, out.new, out.added, out.duplicates, out.pages, out.notes
		if err != nil {
			return fail(err)
		}
		// Items left for later must come back in full next time, so the
		// validators are only kept when everything new was handled.
		validators = &Validators{}
		if out.complete {
			validators = &resp.Validators
		}
	}
	next := nextPoll(feed.ID, now, opt.Interval)
	if err := s.recordFeedSuccess(context.WithoutCancel(ctx), feed, validators, now, next); err != nil {
		res.Err = err
		return res
	}
	if err := s.forgetOldItems(context.WithoutCancel(ctx), feed.ID, now.Add(-seenRetention)); err != nil {
		res.Err = err
		return res
	}
	res.Recovered = feed.Warned
	feed.LastSuccess, feed.LastError, feed.Failures, feed.Warned, feed.NextPoll = now, "", 0, false, next
	if validators != nil {
		feed.ETag, feed.LastModified = validators.ETag, validators.LastModified
	}
	res.Feed = feed
	return res
}

// FollowFeed is /feeds add in server guildID: it checks the URL, reads the
// feed once through the untrusted (guarded) client, and only when that
// works stores the feed and its current items, which only that server (and
// others whose feeds bring the same articles) sees. A URL that is refused,
// unreachable or not a feed is not stored, and the error says why. A feed
// already stored for another server or the owner is not read again: the
// server follows it and sees what it brought (Joined). A feed the server
// already follows comes back with ErrFeedExists.
func FollowFeed(ctx context.Context, s *Store, f *Fetcher, rawURL, guildID, addedBy string, now time.Time, opt PollOptions) (FeedResult, error) {
	opt = opt.withDefaults()
	u, err := f.CheckURL(rawURL)
	if err != nil {
		return FeedResult{}, err
	}
	key, err := feedKey(u.String())
	if err != nil {
		return FeedResult{}, err
	}
	if existing, err := s.feedByKey(ctx, key); err == nil {
		return joinFeed(ctx, s, existing, rawURL, guildID, addedBy, now)
	} else if !errors.Is(err, ErrNotFound) {
		return FeedResult{}, err
	}
	resp, err := f.Fetch(ctx, u.String(), false, Validators{})
	if err != nil {
		return FeedResult{}, err
	}
	doc, err := parseFeed(resp)
	if err != nil && isHTML(resp) {
		// A site's home page usually names its feed; follow that instead.
		if alt := discoverFeed(resp.Body, resp.URL); alt != "" {
			if _, cerr := f.CheckURL(alt); cerr == nil {
				if r2, ferr := f.Fetch(ctx, alt, false, Validators{}); ferr == nil {
					if d2, perr := parseFeed(r2); perr == nil {
						u, _ = url.Parse(alt)
						resp, doc, err = r2, d2, nil
					}
				}
			}
		}
	}
	if err != nil {
		return FeedResult{}, err
	}
	if key, err = feedKey(u.String()); err != nil {
		return FeedResult{}, err
	}
	if existing, err := s.feedByKey(ctx, key); err == nil {
		return joinFeed(ctx, s, existing, u.String(), guildID, addedBy, now)
	}
	feed, err := s.AddFeed(ctx, Feed{URL: u.String(), Title: collapseSpace(HTMLToText(doc.Title)), AddedBy: addedBy, Created: now, GuildID: guildID})
	if err != nil {
		return FeedResult{Feed: feed}, err
	}
	base, _ := url.Parse(resp.URL)
	vis, err := s.feedVisibility(ctx, feed)
	if err != nil {
		return FeedResult{Feed: feed}, err
	}
	src := feedSource{feed: &feed, vis: vis, base: base, title: feed.Title}
	out, err := ingestItems(ctx, s, f, doc, src, now, min(opt.MaxPages, followPages))
	res := FeedResult{Items: out.items, New: out.new, Added: out.added, Duplicates: out.duplicates, Pages: out.pages, Notes: out.notes}
	if err != nil {
		res.Feed = feed
		return res, err
	}
	validators := &Validators{}
	if out.complete {
		validators = &resp.Validators
	}
	next := nextPoll(feed.ID, now, opt.Interval)
	if err := s.recordFeedSuccess(ctx, feed, validators, now, next); err != nil {
		res.Feed = feed
		return res, err
	}
	feed.LastSuccess, feed.NextPoll, feed.ETag, feed.LastModified = now, next, validators.ETag, validators.LastModified
	res.Feed = feed
	return res, nil
}

// joinFeed makes server guildID follow a feed already stored for others.
func joinFeed(ctx context.Context, s *Store, existing Feed, shown, guildID, addedBy string, now time.Time) (FeedResult, error) {
	if guildID == "" {
		return FeedResult{Feed: existing}, fmt.Errorf("%s is feed %d: %w", shown, existing.ID, ErrFeedExists)
	}
	feed, granted, err := s.FollowStoredFeed(ctx, existing.ID, guildID, addedBy, now)
	if err != nil {
		return FeedResult{Feed: feed}, err
	}
	return FeedResult{Feed: feed, Joined: true, Duplicates: granted}, nil
}

// IngestURL is `briefbot ingest URL`: a feed URL stores the feed's items
// once (with full text fetched for summary-only items), without following
// it; any other web page is stored as one article. The URL is the
// owner's, so it may be on a private network; the pages a feed's items link
// to are fetched through the address guard all the same. Running it again
// stores nothing new.
func IngestURL(ctx context.Context, s *Store, f *Fetcher, rawURL string, now time.Time) (FeedResult, error) {
	u, err := CheckFeedURL(rawURL, true)
	if err != nil {
		return FeedResult{}, err
	}
	resp, err := f.Fetch(ctx, u.String(), true, Validators{})
	if err != nil {
		return FeedResult{}, err
	}
	base, _ := url.Parse(resp.URL)
	if isFeed(resp.Body) || !isHTML(resp) {
		doc, err := parseFeed(resp)
		if err != nil {
			return FeedResult{}, err
		}
		title := collapseSpace(HTMLToText(doc.Title))
		out, err := ingestItems(ctx, s, f, doc, feedSource{vis: sharedVisibility, base: base, title: title}, now, 1<<30)
		return FeedResult{Feed: Feed{URL: u.String(), Title: title}, Items: out.items, New: out.new,
			Added: out.added, Duplicates: out.duplicates, Pages: out.pages, Notes: out.notes}, err
	}
	res := FeedResult{Feed: Feed{URL: u.String()}, Items: 1, New: 1, Pages: 1}
	p, err := ExtractPage(resp.Body, resp.ContentType, base)
	if err != nil {
		return res, err
	}
	if resp.Truncated {
		res.Notes = append(res.Notes, fmt.Sprintf("page larger than %d MB: cut off there", f.maxBytes>>20))
	}
	if p.Note != "" {
		res.Notes = append(res.Notes, p.Note)
	}
	if p.Text == "" {
		return res, fmt.Errorf("%s: no article text found on the page", rawURL)
	}
	link := resp.URL
	if p.Canonical != "" {
		link = p.Canonical
	}
	source := p.SiteName
	if source == "" {
		source = siteHost(base.Hostname())
	}
	pub := p.Published
	if pub.After(now) {
		pub = now
	}
	add, err := s.Add(ctx, []Article{{Title: p.Title, Source: source, URL: link, Author: p.Byline, Published: pub, Body: p.Text}})
	res.Added, res.Duplicates = add.Added, add.Duplicates
	return res, err
}

// feedPhase is the feed's fixed offset within the polling interval,
// derived from its ID, so feeds are spread over the interval instead of all
// fetched in the same minute, and each keeps its slot across restarts.
func feedPhase(id int64, interval time.Duration) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(id, 10)))
	return time.Duration(h.Sum64() % uint64(interval))
}

// nextPoll is the feed's next slot at least half an interval from now.
func nextPoll(id int64, now time.Time, interval time.Duration) time.Time {
	t := now.Truncate(interval).Add(feedPhase(id, interval))
	for t.Sub(now) < interval/2 {
		t = t.Add(interval)
	}
	return t
}

// backoff is the wait after the given number of failures in a row:
// interval × 2^failures, at least what the server asked for, at most a day,
// plus up to a tenth of it derived from the feed ID so failing feeds do not
// retry in step.
func backoff(id int64, interval time.Duration, failures int, retryAfter time.Duration) time.Duration {
	d := maxBackoff
	if failures < 20 {
		d = min(interval<<failures, maxBackoff)
	}
	d = min(max(d, retryAfter), maxBackoff)
	return d + feedPhase(id, d/10+1)
}
