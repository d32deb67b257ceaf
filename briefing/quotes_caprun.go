package briefing

import (
	"unicode"
	"unicode/utf8"
)

// quoteCapRuns returns the runs of two or more capitalized words in text,
// where names are looked for: the spans the regular expression
//
//	[A-Z][\p{L}.'’-]*(?:\s+[A-Z][\p{L}.'’-]*)+
//
// finds (FindAllStringIndex; \s is Go's ASCII [\t\n\f\r ]), found by one
// scan without the expression's backtracking: it was a tenth of the cost
// of finding an article's quotations. Every choice of that expression is
// forced (a word runs as far as its letters do, so does the space between
// words), so the leftmost match is the longest run of capitalized words
// from the first capital that starts one, and a capital that starts none
// fails with every capital up to the end of its word.
func quoteCapRuns(text string) [][2]int {
	var out [][2]int
	for p := 0; p < len(text); {
		if c := text[p]; c < 'A' || c > 'Z' {
			p++
			continue
		}
		e := quoteCapWordEnd(text, p+1)
		end := -1
		for {
			k := e
			for k < len(text) && quoteIsSpace(text[k]) {
				k++
			}
			if k == e || k == len(text) || text[k] < 'A' || text[k] > 'Z' {
				break
			}
			e = quoteCapWordEnd(text, k+1)
			end = e
		}
		if end < 0 {
			p = e
			continue
		}
		out = append(out, [2]int{p, end})
		p = end
	}
	return out
}

// quoteCapWordEnd is the end of the run of letters, dots, apostrophes and
// hyphens from i.
func quoteCapWordEnd(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '.' || c == '\'' || c == '-' {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && r != '’' {
			return i
		}
		i += size
	}
	return i
}

// quoteIsSpace is the regular expressions' \s.
func quoteIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
