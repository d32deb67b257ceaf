package data

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeText cleans article text on its way into the store: invalid UTF-8
// replaced, Unicode normalized to NFC (so a copy typed with combining
// accents, as macOS file names and some CMSs produce, is the same text and
// the same article as its precomposed twin; UAX #15), control characters
// removed, hard-wrapped lines joined back into
// paragraphs, runs of white space collapsed. Paragraphs are kept, separated by
// one blank line, because the briefing engine reads them as units.
func NormalizeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	// Text of printable ASCII and line breaks (most of it) is what the
	// mapping leaves as it is: it is not read rune by rune.
	if !plainASCII(s) {
		s = mapRunes(s)
	}
	// After the removals above, which can bring a letter and its accent
	// together.
	return paragraphs(norm.NFC.String(s))
}

// plainASCII reports whether s holds only printable ASCII and line
// breaks, which mapRunes leaves as they are.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' || c > '~') && c != '\n' {
			return false
		}
	}
	return true
}

// mapRunes turns tabs and the Unicode spaces and line separators into
// spaces, and removes control characters, zero-width spaces, byte order
// marks and direction overrides. Printable ASCII and line breaks, which it
// keeps, are passed over a byte at a time; only other runes are decoded
// and mapped, and s is copied only from the first rune that changes.
func mapRunes(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is written to b (once b is in use)
	for i := 0; i < len(s); {
		if c := s[i]; ' ' <= c && c <= '~' || c == '\n' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		m := mapRune(r)
		if m == r && (r != utf8.RuneError || size > 1) {
			i += size
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:i])
		if m >= 0 {
			b.WriteRune(m)
		}
		i += size
		done = i
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// mapRune is what mapRunes makes of r: r, a space, or -1 to remove it.
func mapRune(r rune) rune {
	switch {
	case r == '\n':
		return r
	case r == '\t', r == '\u00a0', r == '\u2028', r == '\u2029':
		return ' '
	case r == '\uFEFF', r == '\u200b':
		return -1
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		// Direction overrides make text display in another order than
		// it reads: a way to disguise names and links.
		return -1
	case unicode.IsControl(r):
		return -1
	}
	return r
}

// paragraphs is s's paragraphs (splitBlocks, unwrap) separated by blank
// lines. They are written straight into the result, which is never longer
// than s: every ingested article comes through here, and making each
// paragraph a string of its own before joining them cost more than the
// rest of NormalizeText.
func paragraphs(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, block := range splitBlocks(s) {
		unwrap(&b, block)
	}
	return b.String()
}

// splitBlocks cuts text at blank lines.
func splitBlocks(s string) [][]string {
	var blocks [][]string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, strings.TrimRight(line, " "))
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// wrapWidth is the longest line we take for a hard-wrapped one. Wire copy
// wraps at 60-80 columns; a longer line is a paragraph of its own.
const wrapWidth = 100

var listItem = regexp.MustCompile(`^\s*(?:[-*•·–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s`)

// unwrap writes one block of lines to b as paragraphs, each after a blank
// line when b already holds one, with its white space collapsed
// (collapseSpace). In a block whose lines all fit a wire service's column
// width, a line break is only a wrap unless the next line is indented (a
// new paragraph or a table row), is a list item, or the line is clearly
// short (a heading or the end of a paragraph) and the next does not go on
// in lower case.
func unwrap(b *strings.Builder, lines []string) {
	brk := breaks(lines)
	// The paragraph's words go to b as they are met, so a paragraph is
	// the fields of its lines joined by single spaces, as collapsing the
	// lines joined by spaces gives; started is whether it has a word yet.
	started := false
	// words writes the paragraph's next word, or words joined by single
	// spaces.
	words := func(w string) {
		switch {
		case started:
			b.WriteByte(' ')
		case b.Len() > 0:
			b.WriteString("\n\n")
		}
		started = true
		b.WriteString(w)
	}
	for i, line := range lines {
		if i > 0 && brk(i) {
			started = false
		}
		if line != "" && collapsed(line) {
			// Its one field or fields joined by single spaces already
			// (most lines): written whole, as they would be one by one.
			words(line)
			continue
		}
		eachField(line, words)
	}
}

// breaks returns, for a block of lines, whether a new paragraph starts at
// line i > 0 (see unwrap).
func breaks(lines []string) func(i int) bool {
	maxLen := 0
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > maxLen {
			maxLen = n
		}
	}
	wrapped := len(lines) > 1 && maxLen <= wrapWidth
	return func(i int) bool {
		line, prev := lines[i], lines[i-1]
		return !wrapped ||
			strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "\t") ||
			listItem.MatchString(line) ||
			utf8.RuneCountInString(strings.TrimSpace(prev)) < maxLen*6/10 && !startsLower(line)
	}
}

// startsLower reports whether line goes on with a lower-case letter or an
// opening parenthesis: a short line followed by one is a sentence wrapped
// early ("The International Cocoa Organization\n(ICCO) council ..."), not
// a heading.
func startsLower(line string) bool {
	for _, r := range line {
		switch {
		case r == '(':
			return true
		case unicode.IsLetter(r):
			return unicode.IsLower(r)
		case !unicode.IsSpace(r):
			return false
		}
	}
	return false
}

// collapseSpace trims s and folds every run of white space into one space,
// as strings.Join(strings.Fields(s), " ") does. Most text it is given is
// collapsed already, and is returned as it is.
func collapseSpace(s string) string {
	if collapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	eachField(s, func(f string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	})
	return b.String()
}

// collapsed reports whether collapseSpace(s) is s: no white space at
// either end, and none inside but single plain spaces.
func collapsed(s string) bool {
	space := true // at the start, a space would be leading
	for i := 0; i < len(s); {
		// ASCII by spaceAt's table, here rather than in a call:
		// unicode.IsSpace, called for every character, was most of the
		// cost of normalizing a text.
		sp, size := false, 1
		if c := s[i]; c < utf8.RuneSelf {
			sp = asciiSpace[c]
		} else {
			sp, size = spaceAt(s, i)
		}
		if sp {
			if space || s[i] != ' ' {
				return false
			}
			space = true
		} else {
			space = false
		}
		i += size
	}
	return !space || s == ""
}
