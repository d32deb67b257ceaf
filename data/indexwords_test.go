package data

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// splitIndexWords is eachIndexWord as first written, with strings.FieldsFunc:
// the reference the one-pass scan must agree with.
func splitIndexWords(text string) []string {
	var out []string
	for _, field := range strings.FieldsFunc(text, notQueryRune) {
		parts := strings.FieldsFunc(field, notLetterDigit)
		if len(parts) == 2 && parts[1] == "s" && strings.ContainsAny(field, "'’") {
			parts = parts[:1]
		}
		for i, p := range parts {
			parts[i] = strings.ToLower(p)
			out = append(out, parts[i])
		}
		if len(parts) >= 2 && len(parts) <= 4 && strings.Contains(field, "-") {
			out = append(out, strings.Join(parts, ""))
		}
	}
	return out
}

func indexWords(text string) []string {
	var out []string
	eachIndexWord(text, func(w string) { out = append(out, w) })
	return out
}

var indexWordCases = []string{
	"", "Putin's cease-fire talks", "PUTIN'S", "rock'n'roll", "a-b-c-d-e", "-lead trail- --", "Ölpreis’s Straße",
	"x\xffy", "state-of-the-art 2-for-1 o'clock", "l'État d’Ivoire's", "ninety-nine bottles' s's", "日本 東京-大阪",
}

func TestEachIndexWordAsSplit(t *testing.T) {
	asFirst(t, indexWordCases, 0, nil, indexWords, splitIndexWords, slices.Equal[[]string])
}

func FuzzEachIndexWord(f *testing.F) {
	fuzzAsFirst(f, indexWordCases, indexWords, splitIndexWords, slices.Equal[[]string])
}

// refFocusText is the focus column as stemming every word where it stands
// and summing gives (focusText counts each distinct word once before
// stemming it), its tokens made one by one, sorted and joined.
func refFocusText(title, body string) string {
	tf := map[string]float64{}
	n := 0
	for _, part := range []struct {
		text string
		w    float64
	}{{title, titleWeight}, {body, 1}} {
		eachIndexWord(part.text, func(w string) {
			n++
			if s := focusTerm(w); s != "" {
				tf[s] += part.w
			}
		})
	}
	var want []string
	for s, f := range tf {
		if tier := focusTier(f, n); tier > 0 {
			want = append(want, focusToken(tier, s))
		}
	}
	sort.Strings(want)
	return strings.Join(want, " ")
}

// TestFocusTextCountsEveryWord: focusText gives refFocusText's column, on
// edge cases and on the corpora's articles, one cache kept across them.
func TestFocusTextCountsEveryWord(t *testing.T) {
	cases := []struct{ title, body string }{
		{"Oil prices: why oil prices move", "Oil prices rose. OIL PRICES fell; prices of oil, prices of gas. The cease-fire held."},
		{"Talks", "Negotiators negotiated; negotiations resumed. Putin's envoy met Witkoff's team twice, then twice more."},
		{"", "word word word word word other"},
	}
	for _, c := range cases {
		want := refFocusText(c.title, c.body)
		if got := focusText(c.title, c.body, &stemCache{}); got != want {
			t.Errorf("%q: focus %q, want %q", c.title, got, want)
		}
		if want == "" {
			t.Errorf("%q: no focus tokens to compare", c.title)
		}
	}
	stems := &stemCache{}
	eachCorpusArticle(t, 500, func(where string, a Article) {
		if got, want := focusText(a.Title, a.Body, stems), refFocusText(a.Title, a.Body); got != want {
			t.Fatalf("%s: focus %q, want %q", where, got, want)
		}
	})
}

// eachCorpusArticle calls f with the first max articles of each corpus
// (each named by where), as an article file reads them.
func eachCorpusArticle(t *testing.T, max int, f func(where string, a Article)) {
	for _, path := range []string{"../../shared/corpus/reuters21578.jsonl", "../../shared/corpus/bbc2225.jsonl"} {
		n := 0
		enough := errors.New("enough")
		err := eachArticle(path, func(a Article) error {
			if n++; n > max {
				return enough
			}
			f(fmt.Sprintf("%s article %d", path, n), a)
			return nil
		})
		if err != nil && !errors.Is(err, enough) {
			t.Logf("%s: %v", path, err)
		}
	}
}

// TestFocusTextAnalyzerStems: focusText taking the stems of the words an
// Analyzer met (as prepareArticle does, after analysing the article) gives
// refFocusText's column, on edge cases (words the analysis splits
// otherwise: "U.S.", "cease-fire", "1,000", "don't", curly apostrophes) and
// on the corpora's and the generated articles.
func TestFocusTextAnalyzerStems(t *testing.T) {
	c := newPrepCache()
	check := func(where, title, body string) {
		t.Helper()
		c.analyzer.Analyze(briefing.Article{Title: title, Body: body, Source: "Wire"})
		if got, want := focusText(title, body, &c.stems), refFocusText(title, body); got != want {
			t.Fatalf("%s: focus %q, want %q", where, got, want)
		}
	}
	for _, s := range append(indexWordCases,
		"The U.S. cease-fire held; 1,000 troops don't leave. U.S. U.S. cease cease fire fire. Ceasefire.",
		"Putin’s envoys’ talks: Putin’s envoy Witkoff’s team met Putin’s. Banks' banks banks' 3.5 3.5 3.5 mln mln.") {
		check(s, s, s+" "+s)
	}
	eachCorpusArticle(t, 1000, func(where string, a Article) { check(where, a.Title, a.Body) })
	_ = benchcorpus.GenerateRange(0, 1000, func(i int, a benchcorpus.Article) error {
		check(fmt.Sprintf("generated article %d", i), a.Title, a.Body)
		return nil
	})
}

// TestFocusTiersOneDigit: focusText orders its tokens by (tier, term),
// which is their order as strings only while every tier is one digit.
func TestFocusTiersOneDigit(t *testing.T) {
	if len(focusTiers) > 9 {
		t.Fatalf("%d focus tiers: focusText's token order needs one digit a tier", len(focusTiers))
	}
}

func fields(s string) []string {
	var out []string
	eachField(s, func(f string) { out = append(out, f) })
	return out
}

// TestEachFieldAsFields: eachField splits text as strings.Fields does.
func TestEachFieldAsFields(t *testing.T) {
	cases := append(indexWordCases, "cease-fire\u00a0Cease-Fire\u2003x-y-z (a-b) a-b", "\xc2-\x85 q-r\u0085s-t", "  a\v\fb  ")
	asFirst(t, cases, 0, nil, fields, strings.Fields, slices.Equal[[]string])
}

// TestASCIISpace: the table eachField reads ASCII by says what
// unicode.IsSpace says.
func TestASCIISpace(t *testing.T) {
	for c := range rune(utf8.RuneSelf) {
		if got, _ := spaceAt(string(c), 0); got != unicode.IsSpace(c) {
			t.Errorf("%q: space %v, unicode.IsSpace %v", c, got, unicode.IsSpace(c))
		}
	}
}

// refHyphenFields is eachHyphenField as first written: every field,
// those with a hyphen kept.
func refHyphenFields(s string) []string {
	var out []string
	eachField(s, func(f string) {
		if strings.Contains(f, "-") {
			out = append(out, f)
		}
	})
	return out
}

var hyphenFieldCases = append(indexWordCases, "-", "a -", "- a", "a-b c-d-e f", "\u00a0x-y\u2003-z", "\xe0\xc2\xa0-q", "\xc2-\x85 q-r\u0085s-t", "\xa0-\xa0", "x\xe2\x80-\x80y")

// TestEachHyphenField: eachHyphenField finds the fields with a hyphen that
// reading every field finds, on edge cases (invalid UTF-8, Unicode white
// space) and on the corpora.
func TestEachHyphenField(t *testing.T) {
	asFirst(t, hyphenFieldCases, 2000, nil, hyphenFields, refHyphenFields, slices.Equal[[]string])
}

func hyphenFields(s string) []string {
	var out []string
	eachHyphenField(s, func(f string) { out = append(out, f) })
	return out
}

func FuzzEachHyphenField(f *testing.F) {
	fuzzAsFirst(f, hyphenFieldCases, hyphenFields, refHyphenFields, slices.Equal[[]string])
}

func FuzzEachField(f *testing.F) {
	fuzzAsFirst(f, indexWordCases, fields, strings.Fields, slices.Equal[[]string])
}
