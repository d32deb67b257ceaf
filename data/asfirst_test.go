package data

import (
	"strings"
	"testing"
)

// Differential tests: code rewritten for speed gives what its first version
// (or its definition) gives, on edge cases, on the corpora's text and under
// fuzzing.

// asFirst checks that got gives what want gives on each of cases and, when
// lines > 0, on the first lines lines of each corpus, each line made the
// text tried by text (nil: the line as it is).
func asFirst[T any](t *testing.T, cases []string, lines int, text func(string) string, got, want func(string) T, same func(T, T) bool) {
	t.Helper()
	for _, c := range cases {
		if g, w := got(c), want(c); !same(g, w) {
			t.Errorf("%q: %q, want %q", c, any(g), any(w))
		}
	}
	if lines == 0 {
		return
	}
	eachCorpusLine(t, lines, func(where, line string) {
		if text != nil {
			line = text(line)
		}
		if g, w := got(line), want(line); !same(g, w) {
			t.Fatalf("%s: %q, want %q", where, any(g), any(w))
		}
	})
}

// fuzzAsFirst is asFirst's check under fuzzing, seeded with cases.
func fuzzAsFirst[T any](f *testing.F, cases []string, got, want func(string) T, same func(T, T) bool) {
	for _, c := range cases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if g, w := got(s), want(s); !same(g, w) {
			t.Fatalf("%q: %q, want %q", s, any(g), any(w))
		}
	})
}

func sameString(a, b string) bool { return a == b }

// rawLine is a corpus line as text, JSON escapes and all: hard wraps and
// indented paragraphs as \n in the text.
func rawLine(line string) string {
	return strings.ReplaceAll(strings.ReplaceAll(line, `\n`, "\n"), `\t`, "\t")
}
