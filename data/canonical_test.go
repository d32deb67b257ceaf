package data

import "testing"

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
