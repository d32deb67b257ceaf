package briefing

import (
	"math/bits"
	"unicode/utf8"
)

// Finding which boilerplate rules' hints a text holds, in one pass.
//
// Each rule of cleanBoilerplate runs its regular expression only when the
// lower-cased text holds one of its hints. Looking for each of the two
// dozen hints with strings.Contains scanned every sentence of every article
// two dozen times, a tenth of Analyze. Instead the text is scanned once, and
// at each position a pair of tables, indexed by the byte there and the byte
// after, says which hints can start there: the bigram filter of
// multi-pattern matchers (Wu and Manber 1994, "A fast algorithm for
// multi-pattern searching", which filters on blocks of characters the same
// way). Only where both bytes fit is a hint compared. The result is exactly
// strings.Contains for each hint.

// cleanHintSet is the hints (those that may be anywhere in the text; "^x"
// hints are a prefix test) of all the rules, numbered by bit.
type cleanHintSet struct {
	hints  []string
	first  [256]uint64 // bit h set: hint h's first byte is this one
	second [256]uint64 // bit h set: hint h's second byte is this one
	rules  []uint64    // each rule's hints
}

func newCleanHintSet(rules []cleanRule) *cleanHintSet {
	hs := &cleanHintSet{rules: make([]uint64, len(rules))}
	index := map[string]int{}
	for ri, r := range rules {
		for _, h := range r.hints {
			if h[0] == '^' {
				continue
			}
			if len(h) < 2 {
				panic("briefing: a boilerplate hint needs two bytes: " + h)
			}
			k, ok := index[h]
			if !ok {
				k = len(hs.hints)
				if k == 64 {
					panic("briefing: more than 64 boilerplate hints")
				}
				index[h] = k
				hs.hints = append(hs.hints, h)
				hs.first[h[0]] |= 1 << k
				hs.second[h[1]] |= 1 << k
			}
			hs.rules[ri] |= 1 << k
		}
	}
	return hs
}

// find returns the set of hints strings.ToLower(s) contains. s is ASCII or
// lower-cased already: ASCII is lower-cased as it is read, without making
// a lower-case copy.
func (hs *cleanHintSet) find(s string) uint64 {
	var found uint64
	for i := 0; i+1 < len(s); i++ {
		m := hs.first[asciiLower[s[i]]] & hs.second[asciiLower[s[i+1]]] &^ found
		for m != 0 {
			k := bits.TrailingZeros64(m)
			m &= m - 1
			if hasPrefixLower(s[i:], hs.hints[k]) {
				found |= 1 << k
			}
		}
	}
	return found
}

// hasPrefixLower is strings.HasPrefix(strings.ToLower(s), prefix) for s
// ASCII or lower-cased already, and prefix lower case.
func hasPrefixLower(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if asciiLower[s[k]] != prefix[k] {
			return false
		}
	}
	return true
}

// asciiLower maps each byte to its lower case: A-Z to a-z, every other
// byte to itself.
var asciiLower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cleanHints is the hint set of cleanBoilerplate.
var cleanHints = newCleanHintSet(cleanBoilerplate)
