package data

import (
	"slices"
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
