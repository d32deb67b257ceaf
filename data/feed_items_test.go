package data

import (
	"context"
	"strings"
	"testing"
)

// TestFeedContentLinksAreGuarded: the owner's feed URL (BRIEFBOT_FEEDS, the
// command line) is trusted to be on a private address, but the pages its
// items link to are the feed's content, so they go through the address
// guard whoever added the feed. Here the feed and its linked pages are on
// 127.0.0.1: under the production guard the feed is read and not one page
// is fetched, so no internal page text is stored for anyone to /brief;
// with BRIEFBOT_FEEDS_ALLOW_PRIVATE the owner opts in and pages are read.
func TestFeedContentLinksAreGuarded(t *testing.T) {
	ctx := context.Background()
	ingest := map[string]func(s *Store, f *Fetcher, url string) (FeedResult, error){
		"env feed poll": func(s *Store, f *Fetcher, url string) (FeedResult, error) {
			res := Poll(ctx, s, f, envFeed(t, s, url), pollNow, PollOptions{})
			return res, res.Err
		},
		"command-line ingest": func(s *Store, f *Fetcher, url string) (FeedResult, error) {
			return IngestURL(ctx, s, f, url, pollNow)
		},
	}
	for name, run := range ingest {
		for _, allowPrivate := range []bool{false, true} {
			t.Run(name, func(t *testing.T) {
				srv := newFeedServer(t)
				s := openTest(t)
				f := NewFetcher(FetcherOptions{Version: "test", AllowPrivate: allowPrivate})
				res, err := run(s, f, srv.URL+"/rss_summaries.xml")
				if err != nil {
					t.Fatalf("the trusted feed URL itself was not read: %v", err)
				}
				if res.Items != 3 {
					t.Fatalf("items %d, want 3", res.Items)
				}
				ferry := articlesByTitle(t, s)["Port Ellery council approves new ferry terminal"]
				fromPage := strings.Contains(ferry.Body, "harbor master said.")
				if allowPrivate {
					if srv.pageHits() != 3 || !fromPage {
						t.Errorf("private allowed: %d pages fetched, ferry body %q", srv.pageHits(), ferry.Body)
					}
					return
				}
				if n := srv.pageHits(); n != 0 {
					t.Errorf("%d pages on 127.0.0.1 fetched for a feed's item links", n)
				}
				if fromPage {
					t.Errorf("an internal page's text was stored: %q", ferry.Body)
				}
				refused := 0
				for _, n := range res.Notes {
					if strings.Contains(n, "loopback") && strings.Contains(n, ErrBlockedAddress.Error()) {
						refused++
					}
				}
				if refused != 3 {
					t.Errorf("notes name %d refused pages, want 3: %q", refused, res.Notes)
				}
			})
		}
	}
}
