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
	asFirst(t, capitalizedCases, 3000, nil, capitalizedRuns, refCapitalizedRuns, slices.Equal[[]string])
}

func FuzzCapitalizedRuns(f *testing.F) {
	fuzzAsFirst(f, capitalizedCases, capitalizedRuns, refCapitalizedRuns, slices.Equal[[]string])
}

// TestSuggestStopWord: suggestStopWord says what looking the lower-cased
// word up says, for every stop word written in capitals and capitalized,
// for words past the stack buffer and for words not ASCII.
func TestSuggestStopWord(t *testing.T) {
	cases := []string{"", "Putin", "ÖL", "İt", "THEÿ", strings.Repeat("Abcdefgh", 4), strings.Repeat("Abcdefgh", 4) + "x"}
	for w := range suggestStop {
		cases = append(cases, w, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:])
	}
	long := strings.Repeat("b", 40)
	suggestStop[long] = true
	defer delete(suggestStop, long)
	cases = append(cases, strings.ToUpper(long))
	ref := func(w string) bool { return suggestStop[strings.ToLower(w)] }
	asFirst(t, cases, 1000, nil, suggestStopWord, ref, func(a, b bool) bool { return a == b })
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
	asFirst(t, runWordCases, 0, nil, runWord, refRunWord, sameString)
}

func FuzzRunWord(f *testing.F) {
	fuzzAsFirst(f, runWordCases, runWord, refRunWord, sameString)
}
