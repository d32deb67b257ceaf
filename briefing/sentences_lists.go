package briefing

import (
	"strings"
	"unicode/utf8"
)

// Marker styles for list items.
const (
	segMarkNumDot      = iota + 1 // 1.
	segMarkNumDotParen            // 1.)
	segMarkNumParen               // 1)
	segMarkNumParens              // (1)
	segMarkAlphaDot               // a.
	segMarkAlphaParen             // a)
	segMarkAlphaParens            // (a)
	segMarkUpperParen             // A)
	segMarkUpperParens            // (A)
	segMarkRomanParen             // iv)
	segMarkRomanParens            // (iv)
)

// segRomans are the lower-case roman numerals that number list items.
var segRomans = map[string]int{
	"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
	"ix": 9, "x": 10, "xi": 11, "xii": 12,
}

// segMarker recognises a list-item marker token (after any bullet) and returns
// its style and its ordinal (1 for "1." and "a)").
func segMarker(t string) (style, val int, ok bool) {
	if len(t) < 2 || len(t) > 10 {
		return 0, 0, false
	}
	t = segTrimBullets(t)
	paren := strings.HasPrefix(t, "(")
	if paren {
		t = t[1:]
	}
	digits := 0
	for digits < len(t) && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	if digits > 0 {
		if digits > 2 {
			return 0, 0, false
		}
		for _, c := range t[:digits] {
			val = val*10 + int(c-'0')
		}
		switch rest := t[digits:]; {
		case paren && rest == ")":
			return segMarkNumParens, val, true
		case paren:
			return 0, 0, false
		case rest == ".":
			return segMarkNumDot, val, true
		case rest == ".)":
			return segMarkNumDotParen, val, true
		case rest == ")":
			return segMarkNumParen, val, true
		}
		return 0, 0, false
	}
	if close := strings.IndexByte(t, ')'); close > 0 && close == len(t)-1 {
		if v, ok := segRomans[t[:close]]; ok && t[:close] != "v" && t[:close] != "x" {
			if paren {
				return segMarkRomanParens, v, true
			}
			return segMarkRomanParen, v, true
		}
	}
	if len(t) == 2 && t[0] >= 'A' && t[0] <= 'Z' && t[1] == ')' {
		// "A)" and "(A)"; "A." is an initial, not an item.
		if paren {
			return segMarkUpperParens, int(t[0]-'A') + 1, true
		}
		return segMarkUpperParen, int(t[0]-'A') + 1, true
	}
	if len(t) < 2 || t[0] < 'a' || t[0] > 'z' {
		return 0, 0, false
	}
	val = int(t[0]-'a') + 1
	switch rest := t[1:]; {
	case paren && rest == ")":
		return segMarkAlphaParens, val, true
	case paren:
		return 0, 0, false
	case rest == "." || rest == ".)":
		return segMarkAlphaDot, val, true
	case rest == ")":
		return segMarkAlphaParen, val, true
	}
	return 0, 0, false
}

// findLists marks inline numbered or lettered lists ("1. foo 2. bar", "a)
// x b) y"): each item starts a sentence. A list starts at the start of the
// group or after a colon, a bullet or a sentence end, and continues in
// sequence.
func (z *segState) findLists() {
	const maxGap = 80 // tokens between items
	n := len(z.toks)
	var marks []int32 // style<<16 | ordinal, 0 for no marker
	for i := 0; i < n; i++ {
		if style, val, ok := segMarker(z.tok(i)); ok {
			if marks == nil {
				marks = make([]int32, n)
			}
			marks[i] = int32(style<<16 | val)
		}
	}
	if marks == nil {
		return
	}
	for i := 0; i < n; i++ {
		style, val := int(marks[i]>>16), int(marks[i]&0xffff)
		if style == 0 || (z.inChain != nil && z.inChain[i]) {
			continue
		}
		// "3." and "p." are too common in prose to open a list anywhere; a
		// closing bracket ("w) hello x) hello") is not.
		if val != 1 && (style == segMarkNumDot || style == segMarkAlphaDot) {
			continue
		}
		if i > 0 {
			prev := z.tok(i - 1)
			r, _ := utf8.DecodeLastRuneInString(prev)
			if r != ':' && !segIsBullet(segFirstRune(prev)) && !segEndsTerminal(prev) {
				continue
			}
		}
		want, last := val+1, i
		for k := i + 1; k < n && k-last <= maxGap; k++ {
			if marks[k] != int32(style<<16|want) {
				continue
			}
			if z.inChain == nil {
				z.inChain = make([]bool, n)
			}
			z.inChain[i], z.inChain[k] = true, true
			z.toks[k].force = true
			want, last = want+1, k
		}
		if last > i && i > 0 && (strings.HasSuffix(z.tok(i-1), ":") || segEndsTerminal(z.tok(i-1))) {
			// "Steps: 1) wake 2) eat": the lead-in is a sentence of its own,
			// like the items, and "Smith. a. here it is" starts an item.
			z.toks[i].force = true
		}
	}
}

// isItemMarker reports whether token i is the number or letter that opens a
// list item ("1.", "2.)", "a." in a list), which a capital after it does not
// turn into a sentence end.
func (z *segState) isItemMarker(i, start int) bool {
	if i-start > 2 {
		return false
	}
	for k := start; k < i; k++ {
		if segTrimBullets(z.tok(k)) != "" {
			return false
		}
	}
	style, _, ok := segMarker(z.tok(i))
	if !ok {
		return false
	}
	switch style {
	case segMarkAlphaDot:
		return z.inChain != nil && z.inChain[i]
	}
	return true
}
