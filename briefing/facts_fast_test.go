package briefing

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// cleanKeyReference is cleanKey's definition, rune by rune through the
// Unicode tables: the fast cleanKey must hash every text the same.
func cleanKeyReference(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	n := 0
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && n > 0 {
				h = (h ^ ' ') * prime
			}
			space = false
			r = unicode.ToLower(r)
			for r > 0 {
				h = (h ^ uint64(r&0xff)) * prime
				r >>= 8
			}
			n++
		default:
			space = true
		}
	}
	if n == 0 {
		return 0
	}
	return h
}

var fastSeeds = []string{
	"U.S. cease-fire, 3.5% of $1,000: we’re OK", "İstanbul ÀÉÎ naïve café's", "a-'b.,c’s", "\xff\xfeabc", "",
	"Note: figures are provisional.", "NOTE:", "note", "  \t\n two\u00a0words\u2003here\u0085 ", "ΣΊΣΥΦΟΣ K\u212a",
}

// FuzzCleanKey keeps the fast cleanKey in step with its definition.
func FuzzCleanKey(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanKey(s), cleanKeyReference(s); got != want {
			t.Fatalf("cleanKey(%q) = %x, want %x", s, got, want)
		}
	})
}

// FuzzFieldCount keeps fieldCount and lowerHasPrefix in step with what
// they replace.
func FuzzFieldCount(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fieldCount(s), len(strings.Fields(s)); got != want {
			t.Fatalf("fieldCount(%q) = %d, want %d", s, got, want)
		}
		for _, p := range []string{"note:", "n", ""} {
			if got, want := lowerHasPrefix(s, p), strings.HasPrefix(strings.ToLower(s), p); got != want {
				t.Fatalf("lowerHasPrefix(%q, %q) = %v, want %v", s, p, got, want)
			}
		}
	})
}

func TestFieldCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"", 0}, {"  ", 0}, {"one", 1}, {" one  two\tthree\n", 3}, {"a\u00a0b", 2}, {"\xffx y", 2}}
	for _, tt := range tests {
		if got := fieldCount(tt.in); got != tt.want {
			t.Errorf("fieldCount(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestFactContainedScan checks factContained's scan of short term lists
// against its definition, a set of the longer list's terms, on both sides
// of the 32-term switch.
func TestFactContainedScan(t *testing.T) {
	ref := func(a, b []string) bool {
		if len(a) > len(b) {
			a, b = b, a
		}
		if len(a) < 3 {
			return false
		}
		in := map[string]bool{}
		for _, t := range b {
			in[t] = true
		}
		n := 0
		for _, t := range a {
			if in[t] {
				n++
			}
		}
		return float64(n) >= 0.75*float64(len(a))
	}
	x := uint32(12345)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	list := func(n, vocab int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint("t", next()%uint32(vocab))
		}
		return out
	}
	for range 2000 {
		vocab := 3 + int(next()%40)
		a, b := list(int(next()%45), vocab), list(int(next()%45), vocab)
		if got, want := factContained(a, b), ref(a, b); got != want {
			t.Fatalf("factContained(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
}

// TestFactHash checks the hand-written FNV-1a against hash/fnv, whole and
// continued piece by piece.
func TestFactHash(t *testing.T) {
	for _, a := range fastSeeds {
		for _, b := range fastSeeds {
			h := fnv.New64a()
			h.Write([]byte(a + " " + b))
			want := h.Sum64()
			if got := factHash(a + " " + b); got != want {
				t.Errorf("factHash(%q) = %x, want %x", a+" "+b, got, want)
			}
			if got := fnvAdd(fnvAdd(fnvAdd(fnvOffset, a), " "), b); got != want {
				t.Errorf("fnvAdd(%q, %q) = %x, want %x", a, b, got, want)
			}
		}
	}
}

// fastDashSpace is what cleanHasDashSpace looks for, as an expression.
var fastDashSpace = regexp.MustCompile(`[-—–]\s`)

// FuzzCleanTitleParts keeps cleanTitle's fast parts in step with what they
// replace: the ticker expression, the dateline's shortcuts and splitting
// into fields.
func FuzzCleanTitleParts(f *testing.F) {
	for _, s := range append(fastSeeds, "ARVIN INDS <ARV> SETS DIVIDEND", " <A.1>x\t<B> <c> <D", "<>a <Z9.>", "a  b", " a b ", "a\u00a0b", "x\v<Q>", "LONDON (Reuters) - Oil rose", "LO’S - x", "Oil - x", "A.B - c", "AB", "OIL RISES | Reuters", "A — B – C - Reuters", "x\xe2\x80\x94", "\xe2\xe2\x80\x93 a") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanStripTickers(s), cleanTicker.ReplaceAllString(s, ""); got != want {
			t.Fatalf("cleanStripTickers(%q) = %q, want %q", s, got, want)
		}
		want := s
		if m := cleanDateline.FindString(s); m != "" {
			want = strings.TrimSpace(s[len(m):])
		}
		if got, want := cleanHasDash(s), strings.ContainsAny(s, "-—–"); got != want {
			t.Fatalf("cleanHasDash(%q) = %v, want %v", s, got, want)
		}
		if got, want := cleanHasDashSpace(s), fastDashSpace.MatchString(s); got != want {
			t.Fatalf("cleanHasDashSpace(%q) = %v, want %v", s, got, want)
		}
		for _, sep := range cleanTitleSeps {
			if got, want := cleanLastSep(s, sep), strings.LastIndex(s, sep); got != want {
				t.Fatalf("cleanLastSep(%q, %q) = %d, want %d", s, sep, got, want)
			}
		}
		if got := cleanStripDateline(s); got != want {
			t.Fatalf("cleanStripDateline(%q) = %q, want %q", s, got, want)
		}
		if got, want := cleanSpaces(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("cleanSpaces(%q) = %q, want %q", s, got, want)
		}
	})
}
