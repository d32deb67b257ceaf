package briefing

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// quoteCapRunSpec is what quoteCapRuns finds, as a regular expression.
var quoteCapRunSpec = regexp.MustCompile(`[A-Z][\p{L}.'’-]*(?:\s+[A-Z][\p{L}.'’-]*)+`)

func quoteCapRunsWant(text string) [][2]int {
	var want [][2]int
	for _, m := range quoteCapRunSpec.FindAllStringIndex(text, -1) {
		want = append(want, [2]int{m[0], m[1]})
	}
	return want
}

// TestQuoteCapRuns: the scanner finds what the expression finds.
func TestQuoteCapRuns(t *testing.T) {
	for _, in := range []string{
		"", "A", "A B", "John Smith said", "said John Smith.", "xJohn Smith", "McDonald said",
		"Mr. John O’Neill-Smith told Reuters", "ÉTIENNE Dupont", "Étienne Dupont", "Jean-Luc Picard\nCaptain",
		"A  B\tC\vD E", "U.S. President Joe Biden", "The\u00a0House", "Bad \xff Byte Here", "WORLD BANK", "a B c D E",
		"Zürich Airport", "Reuters", "end with Space ", "Two Words. And More",
	} {
		if got, want := quoteCapRuns(in), quoteCapRunsWant(in); !slices.Equal(got, want) {
			t.Errorf("quoteCapRuns(%q) = %v, want %v", in, got, want)
		}
	}
}

// FuzzQuoteCapRuns: the scanner finds what the expression finds on any
// text.
func FuzzQuoteCapRuns(f *testing.F) {
	for _, s := range []string{"John Smith said", "Mr. O’Neill-Smith Told\nX Y", "Ü Ä \xffA B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := quoteCapRuns(s), quoteCapRunsWant(s); !slices.Equal(got, want) {
			t.Errorf("quoteCapRuns(%q) = %v, want %v", s, got, want)
		}
	})
}

// FuzzQuoteMarkIndex: quoteMarkIndex is strings.IndexAny for the marks,
// and segHasStop strings.ContainsAny for the stops, on any text.
func FuzzQuoteMarkIndex(f *testing.F) {
	for _, s := range []string{"", "a\"b", "x “y” z", "\xe2\x80", "\xe2\x80\x9c", "\xf0\xe2\x80\x9d", "a。b", "a．b", "\xef\xbc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := quoteMarkIndex(s), strings.IndexAny(s, "\"“”"); got != want {
			t.Errorf("quoteMarkIndex(%q) = %d, want %d", s, got, want)
		}
		if got, want := segHasStop(s), strings.ContainsAny(s, ".?!．。！？"); got != want {
			t.Errorf("segHasStop(%q) = %v, want %v", s, got, want)
		}
	})
}
