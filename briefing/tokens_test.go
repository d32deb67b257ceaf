package briefing

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"The cease-fire held.", []string{"ceasefir", "held"}},
		{"Ceasefire talks", []string{"ceasefir", "talk"}},
		{"U.S. envoy's trip", []string{"us", "envoy", "trip"}},
		{"He said it rose 3.5% to $1,000.", []string{"rose", "35", "1000"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := terms(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// wordsReference is the straightforward definition of words, rune by rune.
func wordsReference(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		w := strings.Trim(b.String(), ".,'’-")
		b.Reset()
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" {
			out = append(out, w)
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’' || r == '-' || r == '.' || r == ',') && b.Len() > 0:
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// FuzzWords keeps the fast words in step with its definition.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"U.S. cease-fire, 3.5% of $1,000: we’re OK", "İstanbul ÀÉÎ naïve café's", "a-'b.,c’s", "\xff\xfeabc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := words(s), wordsReference(s)
		if len(got) != len(want) {
			t.Fatalf("words(%q) = %q, want %q", s, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("words(%q) = %q, want %q", s, got, want)
			}
		}
	})
}
