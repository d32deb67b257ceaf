package data

import (
	"context"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.com/a/b/?utm_source=tw&utm_medium=x", "https://example.com/a/b"},
		{"http://example.com/a#frag", "https://example.com/a"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://example.com/news/story/amp", "https://example.com/news/story"},
		{"https://example.com/amp/news/story", "https://example.com/news/story"},
		{"https://example.com:8443/x", "https://example.com:8443/x"},
		{"ftp://example.com/x", ""},
		{"not a url", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanLink(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.example.com/story?utm_source=x&id=7&utm_medium=email#top", "https://www.example.com/story?id=7#top"},
		{"http://m.example.com/a/b/?fbclid=abc", "http://m.example.com/a/b/"},
		{"https://example.com/s?b=2&a=1&gclid=z", "https://example.com/s?b=2&a=1"},
		{"https://example.com/s?UTM_Campaign=x&q=a%20b", "https://example.com/s?q=a%20b"},
		{"https://example.com/s?utm%5Fsource=x", "https://example.com/s"},
		{"https://example.com/plain", "https://example.com/plain"},
		{"  https://example.com/s?ref=home  ", "https://example.com/s"},
		{"mailto:a@example.com?utm_source=x", "mailto:a@example.com?utm_source=x"},
		{"not a url", "not a url"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CleanLink(tt.in); got != tt.want {
			t.Errorf("CleanLink(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// The page it names is the page the original named.
		if c := CanonicalURL(tt.in); c != "" && CanonicalURL(CleanLink(tt.in)) != c {
			t.Errorf("CleanLink(%q) changed the canonical URL", tt.in)
		}
	}
}

// TestStoredLinksAreClean: articles read back, stored before links were
// cleaned or not, link without tracking parameters.
func TestStoredLinksAreClean(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.Add(ctx, []Article{{Title: "Harbour reopens", URL: "https://news.example/harbour?utm_source=rss&id=4",
		Body: "The harbour reopened on Monday."}}); err != nil {
		t.Fatal(err)
	}
	var stored string
	s.db.QueryRow(`SELECT url FROM articles`).Scan(&stored)
	hits, err := s.Search(ctx, "harbour", SearchOptions{})
	if err != nil || len(hits) != 1 {
		t.Fatalf("search: %d hits, %v", len(hits), err)
	}
	if hits[0].URL != "https://news.example/harbour?id=4" || !strings.Contains(stored, "utm_source") {
		t.Errorf("shown %q, stored %q; want the stored link as given and the shown one clean", hits[0].URL, stored)
	}
}

// FuzzCleanLink: a cleaned link names the same page, has no tracking
// parameter left, and cleaning it again changes nothing.
func FuzzCleanLink(f *testing.F) {
	for _, s := range []string{"https://www.example.com/story?utm_source=x&id=7#top", "http://a.b/?fbclid=1&&x=%zz", "https://x/?utm_%5Fa=1",
		"mailto:a@b?utm_x=1", "https://[::1]:80/?ref=a;b=c", "//host/path?gclid=1", "https://h/p?=&=x&utm_source"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := CleanLink(raw)
		if CleanLink(got) != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, got, CleanLink(got))
		}
		if c := CanonicalURL(raw); c != "" && CanonicalURL(got) != c {
			t.Fatalf("%q: canonical %q, after cleaning %q", raw, c, CanonicalURL(got))
		}
	})
}

// TestTextKeyBuf: textKeyBuf keys a text as textKey does (the same words,
// whatever the case, punctuation or white space) whatever its buffer held
// before, and hands the buffer back for the next call.
func TestTextKeyBuf(t *testing.T) {
	cases := []struct{ a, b string }{
		{"Oil prices rose.", "oil  PRICES rose"},
		{"Ölpreise stiegen, sagte er.", "ölpreise stiegen sagte er"},
		{"", "  ...  "},
		{"a b", "a\n\nb!"},
	}
	var buf []byte
	for _, c := range cases {
		// The buffer holds the words of a longer text first.
		_, buf = textKeyBuf("leftover words of another article "+c.b, buf)
		got, next := textKeyBuf(c.a, buf)
		if want := textKey(c.b); got != want {
			t.Errorf("textKeyBuf(%q) = %s after another text, want textKey(%q) = %s", c.a, got, c.b, want)
		}
		if cap(next) < len(c.a) {
			t.Errorf("textKeyBuf(%q) handed back %d bytes of room", c.a, cap(next))
		}
		buf = next
	}
	if textKey("Oil prices rose") == textKey("Oil prices fell") {
		t.Error("two texts of different words have one key")
	}
}
