package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// parseFeed reads a fetched body as RSS, Atom or JSON Feed.
func parseFeed(resp *Response) (*gofeed.Feed, error) {
	doc, err := gofeed.NewParser().Parse(bytes.NewReader(resp.Body))
	if err == nil {
		return doc, nil
	}
	switch {
	case resp.Truncated:
		return nil, fmt.Errorf("%s: the feed is larger than %d MB and was cut off there, so it cannot be read: %w", resp.URL, len(resp.Body)>>20, err)
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected) && isHTML(resp):
		return nil, fmt.Errorf("%s is a web page, not an RSS, Atom or JSON feed", resp.URL)
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, fmt.Errorf("%s is not an RSS, Atom or JSON feed", resp.URL)
	}
	return nil, fmt.Errorf("%s: malformed feed: %w", resp.URL, err)
}

// isHTML reports whether a response is a web page, by its Content-Type or,
// when the server sent none that helps, by its first bytes.
func isHTML(resp *Response) bool {
	ct := strings.ToLower(resp.ContentType)
	if ct == "" || strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "application/octet-stream") {
		ct = http.DetectContentType(resp.Body)
	}
	return strings.Contains(ct, "text/html") || strings.Contains(ct, "application/xhtml")
}

// isFeed reports whether a body is a feed rather than a page.
func isFeed(body []byte) bool {
	return gofeed.DetectFeedType(bytes.NewReader(body[:min(len(body), 4096)])) != gofeed.FeedTypeUnknown
}

// itemsOutcome is what ingesting one fetch of a feed did.
type itemsOutcome struct {
	items, new, added, duplicates, pages int
	notes                                []string
	// complete is false when some new items were left for the next poll
	// (page budget spent, a page that failed for now), so the feed must not
	// be fetched conditionally next time.
	complete bool
}

func (o *itemsOutcome) note(format string, args ...any) {
	if len(o.notes) < 20 {
		o.notes = append(o.notes, fmt.Sprintf(format, args...))
	}
}

// feedSource describes where items come from while they are ingested.
// It has no trust flag: whoever added the feed, the links in its items are
// the feed's content, written by whoever controls the feed, so the pages
// they name are always fetched through the address guard. Only the feed URL
// the owner typed (BRIEFBOT_FEEDS, the command line) is trusted.
type feedSource struct {
	feed  *Feed // nil for a one-off ingest: nothing to remember items by
	vis   visibility
	base  *url.URL // for relative item links
	title string   // the feed's title
}

// ingestItems stores the items of a parsed feed that are new: not
// delivered by this feed before (by GUID or canonical link) and not already
// stored (by canonical URL or text). An item with only a summary gets its
// page fetched and extracted, at most maxPages per call.
func ingestItems(ctx context.Context, s *Store, f *Fetcher, doc *gofeed.Feed, src feedSource, now time.Time, maxPages int) (itemsOutcome, error) {
	out := itemsOutcome{items: len(doc.Items), complete: true}
	for _, it := range doc.Items {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		link := itemLink(it, src.base)
		canon := CanonicalURL(link)
		var keys []string
		if g := strings.TrimSpace(it.GUID); g != "" {
			keys = append(keys, "guid:"+g)
		}
		if canon != "" {
			keys = append(keys, "url:"+canon)
		}
		content, fromContent := it.Content, true
		if strings.TrimSpace(content) == "" {
			content, fromContent = it.Description, false
		}
		text := HTMLToText(content)
		if len(keys) == 0 {
			if text == "" {
				continue
			}
			keys = append(keys, "text:"+textKey(text))
		}
		if src.feed != nil {
			seen, err := s.seenKeys(ctx, src.feed.ID, keys)
			if err != nil {
				return out, err
			}
			if seen {
				continue
			}
		}
		out.new++
		seq, shared, err := s.articleByURL(ctx, canon)
		if err != nil {
			return out, err
		}
		if seq != 0 {
			out.duplicates++
			if err := s.rememberStored(ctx, src, keys, seq, shared, now); err != nil {
				return out, err
			}
			continue
		}
		var page Page
		havePage := false
		if !isFullText(text, fromContent) && link != "" {
			if out.pages >= maxPages {
				out.complete = false
				continue
			}
			out.pages++
			p, err := fetchPage(ctx, f, link)
			switch {
			case err != nil && ctx.Err() != nil:
				return out, ctx.Err()
			case err == nil:
				page, havePage = p, true
				if p.Note != "" {
					out.note("%s: %s", link, p.Note)
				}
			case text != "":
				out.note("%s: kept the feed's summary: %v", link, err)
			default:
				out.note("%s: %v", link, err)
				if transientFetchErr(err) {
					out.complete = false // worth another try next poll
					continue
				}
			}
		}
		a := Article{
			Title:  collapseSpace(HTMLToText(it.Title)),
			URL:    stripTracking(link),
			Author: itemAuthor(it),
			Body:   text,
		}
		if havePage {
			if len(page.Text) > len(a.Body) {
				a.Body = page.Text
			}
			if a.Title == "" {
				a.Title = page.Title
			}
			if a.Author == "" {
				a.Author = page.Byline
			}
			if pc := CanonicalURL(page.Canonical); pc != "" && pc != canon {
				seq, shared, err := s.articleByURL(ctx, pc)
				if err != nil {
					return out, err
				}
				if seq != 0 {
					out.duplicates++
					if err := s.rememberStored(ctx, src, keys, seq, shared, now); err != nil {
						return out, err
					}
					continue
				}
			}
			if src.feed != nil && src.feed.SiteName == "" && page.SiteName != "" {
				src.feed.SiteName = page.SiteName
			}
		}
		a.Published = itemPublished(it, page.Published, now)
		a.Source = outletName(src, page.SiteName, link)
		if a.Body == "" {
			// Nothing to store, and nothing to gain from fetching it again.
			if err := s.remember(ctx, src, keys, 0, now); err != nil {
				return out, err
			}
			continue
		}
		res, seqs, err := s.add(ctx, []Article{a}, false, src.vis)
		if err != nil {
			return out, err
		}
		out.added += res.Added
		out.duplicates += res.Duplicates
		if err := s.remember(ctx, src, keys, seqs[0], now); err != nil {
			return out, err
		}
	}
	return out, nil
}

// transientFetchErr reports whether a failed page fetch may work later: a
// network error, a timeout, a 5xx or 429. A 404, a refused address or a page
// that is not HTML will not change by asking again.
func transientFetchErr(err error) bool {
	var se *StatusError
	switch {
	case errors.As(err, &se):
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	case errors.Is(err, ErrBlockedAddress):
		return false
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF)
}

// remember marks an item delivered, for feeds that are followed, as the
// stored article seq (0: nothing was stored).
func (s *Store) remember(ctx context.Context, src feedSource, keys []string, seq int64, now time.Time) error {
	if src.feed == nil {
		return nil
	}
	return s.markSeen(ctx, src.feed.ID, keys, seq, now)
}

// rememberStored is remember for an item whose article another source
// stored first: whoever this source is read for may read it too.
func (s *Store) rememberStored(ctx context.Context, src feedSource, keys []string, seq int64, shared bool, now time.Time) error {
	if err := s.shareStored(ctx, seq, shared, src.vis); err != nil {
		return err
	}
	return s.remember(ctx, src, keys, seq, now)
}

// outletName credits an article: the followed feed's outlet name, else the
// page's site name when the feed title contains it, else the feed's title,
// else the link's host.
func outletName(src feedSource, pageSite, link string) string {
	f := Feed{Title: src.title, SiteName: pageSite}
	if src.feed != nil {
		f = *src.feed
		if f.Title == "" {
			f.Title = src.title
		}
		if f.SiteName == "" {
			f.SiteName = pageSite
		}
	}
	if name := f.Outlet(); name != "" {
		return name
	}
	if u, err := url.Parse(link); err == nil {
		return siteHost(u.Hostname())
	}
	return ""
}

// itemLink is the item's article URL, made absolute. A GUID that is a
// permalink stands in for a missing link.
func itemLink(it *gofeed.Item, base *url.URL) string {
	raw := strings.TrimSpace(it.Link)
	if raw == "" && len(it.Links) > 0 {
		raw = strings.TrimSpace(it.Links[0])
	}
	if raw == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
		raw = strings.TrimSpace(it.GUID)
	}
	if raw == "" {
		return ""
	}
	if base != nil {
		if u, err := base.Parse(raw); err == nil {
			raw = u.String()
		}
	}
	if CanonicalURL(raw) == "" {
		return ""
	}
	return raw
}

func itemAuthor(it *gofeed.Item) string {
	var names []string
	for _, p := range it.Authors {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			names = append(names, collapseSpace(p.Name))
		}
	}
	if len(names) == 0 && it.Author != nil {
		names = append(names, collapseSpace(it.Author.Name))
	}
	return strings.Join(names, ", ")
}

// itemPublished is when the item was published: the feed's date, else the
// page's, else the feed's last-updated date. It is the real date, not the
// time of ingest, so a feed's backlog does not look new to the next
// scheduled briefing. A date in the future (a wrong clock or time zone at
// the outlet) is taken as now.
func itemPublished(it *gofeed.Item, page, now time.Time) time.Time {
	var t time.Time
	switch {
	case it.PublishedParsed != nil && !it.PublishedParsed.IsZero():
		t = *it.PublishedParsed
	case !page.IsZero():
		t = page
	case it.UpdatedParsed != nil && !it.UpdatedParsed.IsZero():
		t = *it.UpdatedParsed
	default:
		return time.Time{}
	}
	if t.After(now) {
		t = now
	}
	return t.UTC()
}

// truncationMarks end a summary that points at the rest of the article.
var truncationMarks = []string{"…", "[…]", "[...]", "read more", "continue reading", "read the full story", "read full article", "full story"}

// isFullText reports whether a feed item's text is the article, not a
// summary. Text from the item's content element (content:encoded, Atom
// content, JSON Feed content_html/content_text) is meant to be the article
// and counts once it is a few paragraphs long; a description or summary
// must be long enough that it can only be the article. Either way, text
// ending with an ellipsis or a "read more" is a teaser.
func isFullText(text string, fromContent bool) bool {
	paras := strings.Count(text, "\n\n") + 1
	switch {
	case fromContent && (len(text) >= 500 && paras >= 2 || len(text) >= 1500):
	case !fromContent && len(text) >= 1500 && paras >= 3:
	default:
		return false
	}
	end := strings.ToLower(strings.TrimSpace(text[max(0, len(text)-40):]))
	if strings.HasSuffix(end, "...") || strings.HasSuffix(end, "…") {
		return false
	}
	end = strings.TrimRight(end, " .:»›>→")
	for _, m := range truncationMarks {
		if strings.HasSuffix(end, m) {
			return false
		}
	}
	return true
}

// stripTracking drops a link's fragment and tracking parameters (utm_* and
// the others CanonicalURL drops) but keeps its scheme and host, so the
// stored link is the one readers should follow.
func stripTracking(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery == "" {
		return u.String()
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// fetchPage fetches an article page a feed item links to and extracts it.
// The link is the feed's content, never trusted: a public feed must not be
// able to make the bot fetch (and store, for anyone to /brief) a page on the
// owner's network.
func fetchPage(ctx context.Context, f *Fetcher, link string) (Page, error) {
	resp, err := f.Fetch(ctx, link, false, Validators{})
	if err != nil {
		return Page{}, err
	}
	if !isHTML(resp) {
		return Page{}, fmt.Errorf("%s is %q, not a web page", link, resp.ContentType)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		return Page{}, fmt.Errorf("%s: %w", resp.URL, err)
	}
	p, err := ExtractPage(resp.Body, resp.ContentType, u)
	if err != nil {
		return p, err
	}
	if resp.Truncated {
		cut := fmt.Sprintf("page larger than %d MB: cut off there", f.maxBytes>>20)
		if p.Note != "" {
			cut += "; " + p.Note
		}
		p.Note = cut
	}
	return p, nil
}
