package briefing

import (
	"strings"
	"testing"
	"unicode"
)

// cleanHintsWant is what find must give: the hints strings.Contains finds
// in the lower-cased text.
func cleanHintsWant(s string) uint64 {
	lower := strings.ToLower(s)
	var want uint64
	for k, h := range cleanHints.hints {
		if strings.Contains(lower, h) {
			want |= 1 << k
		}
	}
	return want
}

// TestCleanHintsFind: the one-pass search finds exactly the hints that
// strings.Contains finds, at the start, middle and end of a text, and
// overlapping.
func TestCleanHintsFind(t *testing.T) {
	for _, in := range []string{
		"", "s", "sign up", "we may earn a commission", "xsubscribe",
		"all rights reserved", "photo", "5th graf pvs.", "privacy policy and cookie settings",
		"newsletternewsletter", "terms oterms of", "the story continues below the photo (image)",
		"© 2025 javascript your browser", "Capitals Are Not Lowered Here: Sign Up",
	} {
		if got, want := cleanHints.find(in), cleanHintsWant(in); got != want {
			t.Errorf("find(%q) = %b, want %b", in, got, want)
		}
	}
}

// FuzzCleanHintsFind: find agrees with strings.Contains on any text.
func FuzzCleanHintsFind(f *testing.F) {
	for _, s := range []string{"sign up for our newsletter", "editing by", "tip", "ünicode photo ©"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := s
		if !isASCII(s) {
			in = strings.ToLower(s)
		}
		if got, want := cleanHints.find(in), cleanHintsWant(s); got != want {
			t.Errorf("find(%q) = %b, want %b", s, got, want)
		}
		for _, h := range cleanHints.hints {
			if got, want := hasPrefixLower(in, h), strings.HasPrefix(strings.ToLower(s), h); got != want {
				t.Errorf("hasPrefixLower(%q, %q) = %v, want %v", in, h, got, want)
			}
		}
	})
}

// TestCleanHasFold: cleanHasFold is a case-insensitive strings.Contains.
func TestCleanHasFold(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"This article ORIGINALLY appeared on X", true},
		{"originally", true},
		{"Originall", false},
		{"", false},
		{"xxOriginAllyxx", true},
		{"orig inally", false},
	} {
		if got := cleanHasFold(c.s, "originally"); got != c.want {
			t.Errorf("cleanHasFold(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// FuzzCleanHasControl: cleanHasControl is true exactly when cleanParagraphs'
// rune filter would change the (valid UTF-8) text.
func FuzzCleanHasControl(f *testing.F) {
	for _, s := range []string{"", "a\tb\nc", "a\rb", "x\u0085y", "\x7f", "\u00a0\u009f", "é\x01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		want := strings.ContainsFunc(s, func(r rune) bool { return r == '\r' || r != '\t' && r != '\n' && unicode.IsControl(r) })
		if got := cleanHasControl(s); got != want {
			t.Errorf("cleanHasControl(%q) = %v, want %v", s, got, want)
		}
	})
}
