package data

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFetchRedirectLimit(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	// /hop/N redirects to /hop/N-1; /hop/0 is the feed.
	for n := 1; n <= 8; n++ {
		srv.route(fmt.Sprintf("/hop/%d", n), func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
		})
	}
	srv.alias("/hop/0", "atom_full.xml")
	f := testFetcher(FetcherOptions{})
	resp, err := f.Fetch(ctx, srv.URL+"/hop/5", false, Validators{})
	if err != nil || !strings.HasSuffix(resp.URL, "/hop/0") {
		t.Fatalf("5 redirects: %v", err)
	}
	if _, err := f.Fetch(ctx, srv.URL+"/hop/6", false, Validators{}); err == nil || !strings.Contains(err.Error(), "more than 5 redirects") {
		t.Errorf("6 redirects: %v", err)
	}
	srv.route("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	if _, err := f.Fetch(ctx, srv.URL+"/to-file", true, Validators{}); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("redirect to file://: %v", err)
	}
}

func TestFetchHeadersAndStatus(t *testing.T) {
	ctx := context.Background()
	srv := newFeedServer(t)
	srv.route("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	f := testFetcher(FetcherOptions{})
	_, err := f.Fetch(ctx, srv.URL+"/busy", true, Validators{ETag: `"e1"`, LastModified: "Mon, 02 Nov 2026 10:00:00 GMT"})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != 2*time.Hour {
		t.Fatalf("429: %v", err)
	}
	h := srv.lastHeader("/busy")
	if h.Get("If-None-Match") != `"e1"` || h.Get("If-Modified-Since") != "Mon, 02 Nov 2026 10:00:00 GMT" ||
		!strings.HasPrefix(h.Get("User-Agent"), "briefbot/test (+https://github.com/briefbot/briefbot)") {
		t.Errorf("request headers: %v", h)
	}
	// The server's Retry-After stretches the backoff.
	s := openTest(t)
	res := Poll(ctx, s, f, envFeed(t, s, srv.URL+"/busy"), pollNow, PollOptions{})
	if res.Err == nil || res.Feed.NextPoll.Sub(pollNow) < 2*time.Hour {
		t.Errorf("429 poll: err %v, next poll in %v", res.Err, res.Feed.NextPoll.Sub(pollNow))
	}
	if _, err := f.Fetch(ctx, "gopher://example.com/", true, Validators{}); err == nil {
		t.Error("gopher URL fetched")
	}
}

func TestFeedResultSummary(t *testing.T) {
	r := FeedResult{Feed: Feed{URL: "https://a.example/rss", Title: "A News"}, Items: 3, Added: 2, Duplicates: 1, Pages: 2, Notes: []string{"x: cut off"}}
	want := "https://a.example/rss (A News): 3 items, 2 added, 1 duplicates, 2 pages fetched\n  note: x: cut off\n"
	if got := r.Summary(); got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}
