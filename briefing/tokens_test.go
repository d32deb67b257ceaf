package briefing

import (
	"reflect"
	"slices"
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

// gramsReference is the definition of termCache.grams: the hashes of the
// bigrams of a sentence's stemmed words, quote styles folded, except
// those of two stop words, each once, in order.
func gramsReference(s string) []uint64 {
	out := []uint64{}
	prev, prevStop := "", true
	for i, w := range words(s) {
		w = strings.ReplaceAll(w, "’", "'")
		st := stem(w)
		stop := isStopword(w) && !strings.Contains(w, ".")
		if i > 0 && !(stop && prevStop) {
			if g := factHash(prev + " " + st); !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
		prev, prevStop = st, stop
	}
	return out
}

// FuzzTermCache keeps what termCache.tok and terms compute in step with
// their definitions: the package's terms, words with quote styles folded,
// the hash of those joined, strings.Fields, the bigram concepts; and a
// term's id names one term; a cache numbering no terms gives the same.
func FuzzTermCache(f *testing.F) {
	for _, s := range []string{"U.S. cease-fire, 3.5% of $1,000: we’re OK", "He said it rose and it rose again.", "Don’t stop; don't stop the U.S. says’s", "İstanbul ÀÉÎ naïve café's", "\xff\xfeabc", ""} {
		f.Add(s)
	}
	c := newTermCache(0, true)
	plain := newTermCache(0, false) // numbering no terms, as Analyze's
	names := map[int32]string{}
	f.Fuzz(func(t *testing.T, s string) {
		for range 2 { // a second time from the cache
			tk := c.tok(s)
			if p := plain.tok(s); !slices.Equal(p.terms, tk.terms) || !slices.Equal(p.norm, tk.norm) || p.ids != nil {
				t.Fatalf("tok(%q) without ids: terms %q norm %q ids %v, want %q %q none", s, p.terms, p.norm, p.ids, tk.terms, tk.norm)
			}
			if want := terms(s); !slices.Equal(tk.terms, want) && len(want)+len(tk.terms) > 0 {
				t.Fatalf("tok(%q).terms = %q, want %q", s, tk.terms, want)
			}
			if got := c.terms(s); !slices.Equal(got, tk.terms) {
				t.Fatalf("terms(%q) = %q, want %q", s, got, tk.terms)
			}
			var norm []string
			for _, w := range words(s) {
				norm = append(norm, strings.ReplaceAll(w, "’", "'"))
			}
			if !slices.Equal(tk.norm, norm) || tk.key() != strings.Join(norm, " ") || tk.keyHash() != factHash(strings.Join(norm, " ")) {
				t.Fatalf("tok(%q): norm %q key %q, want %q", s, tk.norm, tk.key(), norm)
			}
			if tk.fields(s) != len(strings.Fields(s)) {
				t.Fatalf("tok(%q).fields = %d, want %d", s, tk.fields(s), len(strings.Fields(s)))
			}
			if got, want := c.grams(s), gramsReference(s); !slices.Equal(got, want) {
				t.Fatalf("grams(%q) = %v, want %v", s, got, want)
			}
			if len(tk.ids) != len(tk.terms) {
				t.Fatalf("tok(%q): %d ids for %d terms", s, len(tk.ids), len(tk.terms))
			}
			for k, id := range tk.ids {
				if n, ok := names[id]; ok && n != tk.terms[k] {
					t.Fatalf("id %d names %q and %q", id, n, tk.terms[k])
				}
				names[id] = tk.terms[k]
			}
		}
	})
}
