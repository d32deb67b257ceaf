package data

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAddFeedDedupsVariants(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, err := s.AddFeed(ctx, Feed{URL: "https://www.example.com/feed/?utm_source=x", AddedBy: "u1"})
	if err != nil || f.ID == 0 || f.Created.IsZero() {
		t.Fatalf("AddFeed: %+v, %v", f, err)
	}
	for _, variant := range []string{"http://example.com/feed", "https://EXAMPLE.com/feed/#top", "https://example.com/feed?fbclid=1"} {
		got, err := s.AddFeed(ctx, Feed{URL: variant, AddedBy: "u2"})
		if !errors.Is(err, ErrFeedExists) || got.ID != f.ID || got.AddedBy != "u1" {
			t.Errorf("AddFeed(%s) = %+v, %v; want the stored feed %d and ErrFeedExists", variant, got, err, f.ID)
		}
	}
	if _, err := s.AddFeed(ctx, Feed{URL: "https://example.com/other-feed"}); err != nil {
		t.Errorf("a different feed: %v", err)
	}
	if _, err := s.AddFeed(ctx, Feed{URL: "not a url"}); err == nil {
		t.Error("AddFeed accepted a non-URL")
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 2 || feeds[0].ID != f.ID {
		t.Fatalf("Feeds: %+v, %v", feeds, err)
	}
	if err := s.RemoveFeed(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, f.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: %v, want ErrNotFound", err)
	}
	if _, err := s.Feed(ctx, f.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Feed(removed): %v", err)
	}
}

func TestReplaceEnvFeedsStableAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feeds.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	user, err := s.AddFeed(ctx, Feed{URL: "https://c.example/rss", AddedBy: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.ReplaceEnvFeeds(ctx, []string{"https://a.example/rss", " https://b.example/atom ", "", "https://a.example/rss/"})
	if err != nil || len(first) != 2 || !first[0].FromEnv || first[0].AddedBy != "env" {
		t.Fatalf("ReplaceEnvFeeds: %+v, %v", first, err)
	}
	if err := s.recordFeedSuccess(ctx, first[0], &Validators{ETag: `"x"`}, pollNow, pollNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	second, err := s.ReplaceEnvFeeds(ctx, []string{"https://a.example/rss", "https://c.example/rss"})
	if err != nil || len(second) != 2 {
		t.Fatalf("ReplaceEnvFeeds after restart: %+v, %v", second, err)
	}
	if second[0].ID != first[0].ID || second[0].ETag != `"x"` || !second[0].LastSuccess.Equal(pollNow) {
		t.Errorf("unchanged env feed lost its ID or state: %+v vs %+v", second[0], first[0])
	}
	if second[1].ID != user.ID || !second[1].FromEnv {
		t.Errorf("a user's feed named in the env file: %+v", second[1])
	}
	feeds, _ := s.Feeds(ctx)
	if len(feeds) != 2 {
		t.Errorf("the feed the env file dropped is still followed: %+v", feeds)
	}
	if _, err := s.ReplaceEnvFeeds(ctx, []string{"gopher://a.example"}); err == nil {
		t.Error("a non-http env feed was accepted")
	}
}

func TestFeedOutlet(t *testing.T) {
	tests := []struct{ title, site, want string }{
		{"World news | The Guardian", "The Guardian", "The Guardian"},
		{"BBC News - World", "BBC News", "BBC News"},
		{"Valley Courier", "", "Valley Courier"},
		{"Latest stories", "Harbor Gazette", "Latest stories"},
		{"", "Harbor Gazette", "Harbor Gazette"},
	}
	for _, tt := range tests {
		if got := (Feed{Title: tt.title, SiteName: tt.site}).Outlet(); got != tt.want {
			t.Errorf("Outlet(%q, %q) = %q, want %q", tt.title, tt.site, got, tt.want)
		}
	}
}

func TestCanonicalURLAMPVariants(t *testing.T) {
	want := "https://example.com/news/story.html"
	for _, in := range []string{
		"https://www.example.com/news/story.html",
		"https://amp.example.com/news/story.html",
		"https://example.com/news/story.amp.html",
		"https://example.com/amp/news/story.html",
		"https://example.com/news/story.html?amp=1&utm_source=x",
		"https://example.com/news/story.html?outputType=amp",
		"https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story.html",
		"https://www-example-com.cdn.ampproject.org/v/s/www.example.com/news/story.html?amp_js_v=0.1&usqp=mq331AQ",
		"https://www-example-com.cdn.ampproject.org/c/example.com/news/story.html",
	} {
		if got := CanonicalURL(in); got != want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", in, got, want)
		}
	}
	// A cache URL that names nothing or nests another cache is left alone.
	for _, in := range []string{
		"https://x.cdn.ampproject.org/c/s/",
		"https://x.cdn.ampproject.org/c/s/y.cdn.ampproject.org/c/s/example.com/a",
	} {
		if got := CanonicalURL(in); !strings.HasPrefix(got, "https://x.cdn.ampproject.org/") {
			t.Errorf("CanonicalURL(%q) = %q", in, got)
		}
	}
}
