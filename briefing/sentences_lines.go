package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// segBlocks cuts text at blank lines and hands each run of lines to
// segJoinBlock.
func segBlocks(text string, emit func(string)) {
	var block []string
	blank := false
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if strings.TrimSpace(line) == "" {
			blank = true
			continue
		}
		if blank && len(block) > 0 && !segBlankJoins(block[len(block)-1], line) {
			segJoinBlock(block, emit)
			block = block[:0]
		}
		blank = false
		block = append(block, line)
	}
	if len(block) > 0 {
		segJoinBlock(block, emit)
	}
}

// segBlankJoins reports whether a blank line between two lines falls inside
// a sentence. That happens where markup was stripped from a web page and
// took a name or a bold phrase with it ("Promising 60m hurdler\n\nclocked a
// new UK record"): the line before has no end punctuation and the next starts
// in lower case or with a comma.
func segBlankJoins(prev, next string) bool {
	prev, next = strings.TrimSpace(prev), strings.TrimSpace(next)
	if segEndsTerminal(prev) || strings.HasSuffix(prev, ":") {
		return false
	}
	r := segFirstRune(next)
	return r == ',' || r == ';' || (unicode.IsLower(r) && !segStartsListItem(next))
}

// segJoinBlock joins the soft-wrapped lines of one block with spaces and
// emits each group of lines that ends at a hard break.
func segJoinBlock(lines []string, emit func(string)) {
	n := len(lines)
	if n == 1 {
		emit(strings.TrimSpace(lines[0]))
		return
	}
	trimmed := make([]string, n)
	indent := make([]int, n)
	width := 0
	// A block of short lines none of which ends a sentence is a list or a
	// menu ("features\ncontact manager\nevents, activities"), one item a line.
	listLike := true
	maxIndent := 0
	for i, l := range lines {
		indent[i] = segIndent(l)
		maxIndent = max(maxIndent, indent[i])
		trimmed[i] = strings.TrimSpace(l)
		if w := utf8.RuneCountInString(trimmed[i]); w > width {
			width = w
		}
		if segEndsTerminal(trimmed[i]) {
			listLike = false
		}
	}
	if width > 60 {
		listLike = false
	}
	var b strings.Builder
	start := 0
	for i := 0; i < n; i++ {
		if i < n-1 && !segHardBreak(trimmed[i], trimmed[i+1], indent[i], indent[i+1], maxIndent, width, n, listLike) {
			continue
		}
		if start == i {
			emit(trimmed[i])
		} else {
			b.Reset()
			for k := start; k <= i; k++ {
				if k > start {
					b.WriteByte(' ')
				}
				b.WriteString(trimmed[k])
			}
			emit(b.String())
		}
		start = i + 1
	}
}

// segIndent measures a line's leading indentation in columns.
func segIndent(l string) int {
	n := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

// segHardBreak decides whether the line break between line l and the next
// line nx ends a sentence regardless of punctuation. Both lines are trimmed;
// width is the longest line of the block, the wrap width of hard-wrapped text,
// and maxIndent its deepest indentation.
func segHardBreak(l, nx string, indentL, indentN, maxIndent, width, lines int, listLike bool) bool {
	if segStartsListItem(nx) {
		if segStartsListItem(l) || strings.HasSuffix(l, ":") {
			return true
		}
		if segStartsDash(nx) {
			// Wire copy wraps before a dash: "while gearing\n- debt to
			// equity plus debt - rose". A dash item opens with a capital.
			_, w := utf8.DecodeRuneInString(nx)
			return !unicode.IsLower(segFirstRune(strings.TrimSpace(nx[w:]))) && !segEndsContinuation(l)
		}
		return !segEndsContinuation(l)
	}
	if segEndsTerminal(l) {
		// Sentence punctuation decides, as if the break were a space.
		return false
	}
	if segEndsContinuation(l) {
		return false
	}
	if listLike {
		// Items of a table or list are aligned; a wrapped item continues
		// less indented ("    Div 7.3 cts vs 1.0 cent in prior\nperiod").
		r := segFirstRune(nx)
		return indentN >= maxIndent || !(unicode.IsLower(r) || unicode.IsDigit(r))
	}
	if r := segFirstRune(segTrimOpeners(nx)); unicode.IsLower(r) || r == ',' || r == ';' {
		return false
	}
	if indentN > indentL+1 {
		// An indented line opens a paragraph or a table row.
		return true
	}
	// A wrapped line is filled nearly to the wrap width: the next word did not
	// fit. A heading stops well short of it ("Trump denies media reports").
	if utf8.RuneCountInString(l)+1+utf8.RuneCountInString(segFirstWord(nx))+10 > width {
		// With two lines the width says little; a line that opens with
		// "This" or "He" after one that does not trail off starts anew.
		_, strong := segStrongStarters[segLeadingLetters(nx)]
		return lines <= 2 && strong
	}
	if width <= segWrapWidth {
		// In hard-wrapped copy a short line is more often the first line
		// after a stripped dateline ("Standard Oil Co and BP North
		// America\nInc said ...") than a heading, so the next line must
		// plainly open a sentence.
		return segIsStarter(nx)
	}
	return true
}

// segWrapWidth is the widest line of a block taken to be hard-wrapped
// (wire copy wraps at about 70 columns; paragraphs run longer).
const segWrapWidth = 100

// segStartsListItem reports whether a line starts with a bullet or a list
// number ("• a", "- a", "1. a", "2) b", "(c) d").
func segStartsListItem(l string) bool {
	r := segFirstRune(l)
	if segIsBullet(r) {
		return true
	}
	if r == '*' || segStartsDash(l) {
		_, w := utf8.DecodeRuneInString(l)
		next, _ := utf8.DecodeRuneInString(l[w:])
		return len(l) > w+1 && (next == ' ' || next == '\t')
	}
	first := segFirstWord(l)
	if first == l {
		return false
	}
	_, _, ok := segMarker(first)
	return ok
}

// segStartsDash reports whether a line starts with a hyphen or dash, which
// may be a bullet or a dash wrapped to the start of the line.
func segStartsDash(l string) bool {
	r := segFirstRune(l)
	return r == '-' || r == '–' || r == '—'
}

// segEndsContinuation reports whether a line ends mid-phrase: on a comma, a
// hyphen or a word like "the" or "of" that cannot end a heading.
func segEndsContinuation(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	switch r {
	case ',', ';', '-', '–', '—', '(', '&', '/', '+':
		return true
	}
	i := strings.LastIndexAny(l, " \t")
	_, ok := segContinuations[l[i+1:]]
	return ok
}
