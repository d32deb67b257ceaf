package briefing

import (
	"math/bits"
	"strings"
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

// find returns the set of hints lower contains.
func (hs *cleanHintSet) find(lower string) uint64 {
	var found uint64
	for i := 0; i+1 < len(lower); i++ {
		m := hs.first[lower[i]] & hs.second[lower[i+1]] &^ found
		for m != 0 {
			k := bits.TrailingZeros64(m)
			m &= m - 1
			if strings.HasPrefix(lower[i:], hs.hints[k]) {
				found |= 1 << k
			}
		}
	}
	return found
}

// cleanHints is the hint set of cleanBoilerplate.
var cleanHints = newCleanHintSet(cleanBoilerplate)
