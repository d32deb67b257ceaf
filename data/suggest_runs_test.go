package data

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// refCapitalizedRuns is capitalizedRuns as first written, with
// strings.Fields and strings.ToUpper: the reference the version without
// copies must agree with.
func refCapitalizedRuns(text string) []string {
	var out []string
	var run []string
	flush := func() {
		if len(run) >= 2 && len(run) <= 3 {
			out = append(out, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for _, f := range strings.Fields(text) {
		w := runWord(f)
		r, _ := utf8.DecodeRuneInString(w)
		if w != "" && unicode.IsUpper(r) && !suggestStop[strings.ToLower(w)] && strings.ToUpper(w) != w {
			run = append(run, w)
		} else {
			flush()
		}
		if w != f && strings.ContainsAny(f, ".,;:!?") {
			flush()
		}
	}
	flush()
	return out
}

var capitalizedCases = []string{
	"", "Steve Witkoff met Vladimir Putin's envoy.", "The U.S. Federal Reserve Board said", "NATO Secretary General Jens Stoltenberg",
	"(Reuters) - Kirill Dmitriev, head of RDIF", "Ölpreis Straße Ärger über", "\xffAb Cd", "Ab\xff Cd", "A\uFFFD Bc",
	"“Donald Trump” and ‘Xi Jinping’; Emmanuel Macron, Olaf Scholz!", "İstanbul Ankara ǅemal ǈubo",
}

// TestCapitalizedRunsAsFirstWritten: capitalizedRuns finds the names the
// first version found, on edge cases and on the corpora's text.
func TestCapitalizedRunsAsFirstWritten(t *testing.T) {
	for _, c := range capitalizedCases {
		if got, want := capitalizedRuns(c), refCapitalizedRuns(c); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
	eachCorpusLine(t, 3000, func(where, line string) {
		if got, want := capitalizedRuns(line), refCapitalizedRuns(line); !slices.Equal(got, want) {
			t.Fatalf("%s: %q, want %q", where, got, want)
		}
	})
}

func FuzzCapitalizedRuns(f *testing.F) {
	for _, c := range capitalizedCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := capitalizedRuns(s), refCapitalizedRuns(s); !slices.Equal(got, want) {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}

// refRunWord is runWord as first written, trimming every word.
func refRunWord(f string) string {
	w := strings.TrimRight(f, ".,;:!?\"'”’)")
	w = strings.TrimLeft(w, "\"'“‘(")
	return strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
}

var runWordCases = []string{"", "Putin's", "(Reuters)", "“Trump”", "‘Xi’,", "U.S.", "said:", "’s", "'s'", "x\xff", "\xff)", "(\xe2\x80", "9.5%)", "A’s.", "((", "Kyiv?!"}

// TestRunWordAsTrimmed: runWord trims what trimming every word trims.
func TestRunWordAsTrimmed(t *testing.T) {
	for _, c := range runWordCases {
		if got, want := runWord(c), refRunWord(c); got != want {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
}

func FuzzRunWord(f *testing.F) {
	for _, c := range runWordCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := runWord(s), refRunWord(s); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}
