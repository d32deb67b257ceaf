package data

import (
	"slices"
	"sort"
	"strings"
	"testing"
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
	for _, c := range indexWordCases {
		if got, want := indexWords(c), splitIndexWords(c); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
}

func FuzzEachIndexWord(f *testing.F) {
	for _, c := range indexWordCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := indexWords(text), splitIndexWords(text); !slices.Equal(got, want) {
			t.Fatalf("%q: %q, want %q", text, got, want)
		}
	})
}

// TestFocusTextCountsEveryWord: the focus column is what stemming every
// word where it stands and summing gives (focusText counts each distinct
// word once before stemming it).
func TestFocusTextCountsEveryWord(t *testing.T) {
	for _, c := range []struct{ title, body string }{
		{"Oil prices: why oil prices move", "Oil prices rose. OIL PRICES fell; prices of oil, prices of gas. The cease-fire held."},
		{"Talks", "Negotiators negotiated; negotiations resumed. Putin's envoy met Witkoff's team twice, then twice more."},
		{"", "word word word word word other"},
	} {
		tf := map[string]float64{}
		n := 0
		for _, part := range []struct {
			text string
			w    float64
		}{{c.title, titleWeight}, {c.body, 1}} {
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
		if got := focusText(c.title, c.body, &stemCache{}); got != strings.Join(want, " ") {
			t.Errorf("%q: focus %q, want %q", c.title, got, strings.Join(want, " "))
		}
		if strings.Join(want, " ") == "" {
			t.Errorf("%q: no focus tokens to compare", c.title)
		}
	}
}

func fields(s string) []string {
	var out []string
	eachField(s, func(f string) { out = append(out, f) })
	return out
}

// TestEachFieldAsFields: eachField splits text as strings.Fields does.
func TestEachFieldAsFields(t *testing.T) {
	for _, c := range append(indexWordCases, "cease-fire\u00a0Cease-Fire\u2003x-y-z (a-b) a-b", "\xc2-\x85 q-r\u0085s-t", "  a\v\fb  ") {
		if got, want := fields(c), strings.Fields(c); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
}

func FuzzEachField(f *testing.F) {
	for _, c := range indexWordCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := fields(text), strings.Fields(text); !slices.Equal(got, want) {
			t.Fatalf("%q: %q, want %q", text, got, want)
		}
	})
}
