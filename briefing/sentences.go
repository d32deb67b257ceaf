package briefing

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Sentences splits text into sentences, in order, each trimmed and none
// empty. Every word of the input appears in the output, in order; the only
// change is that line breaks inside a sentence (hard-wrapped wire copy,
// "It was a cold \nnight") become a single space.
//
// It is rule based, in two stages. Lines are first grouped: a blank line ends
// a sentence unless it plainly cuts one (no end punctuation before it, lower
// case after it); a single line break is joined unless the next line is a
// list item, or the line is a heading (short, no end punctuation, not filled
// to the wrap width) or one item of a list of short unpunctuated lines. Each
// group is then cut at sentence punctuation, deciding every stop by the word
// before it (abbreviation, initial, number, ellipsis) and the word after it
// (lower case continues; "U.S. Government" continues but "U.S. How" starts
// anew). Quoted sentences are split like any other, as news summaries pick
// them one by one. It runs in time linear in the input and never panics.
func Sentences(text string) []string {
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	var out []string
	segBlocks(text, func(group string) { out = segSplit(group, out) })
	return segMergeFragments(out)
}

// segEndsTerminal reports whether s ends with sentence punctuation, possibly
// followed by closing quotes or brackets.
func segEndsTerminal(s string) bool {
	core, _ := segStripClosers(s)
	r, _ := utf8.DecodeLastRuneInString(core)
	return segIsTerminal(r)
}

func segIsTerminal(r rune) bool {
	switch r {
	case '.', '?', '!', '…', '‽', '．', '。', '！', '？':
		return true
	}
	return false
}

func segIsCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '}':
		return true
	}
	return false
}

func segIsOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '„', '‚', '«', '‹', '(', '[', '{', '¿', '¡', '*', '_':
		return true
	}
	return false
}

func segIsBullet(r rune) bool {
	switch r {
	case '•', '◦', '▪', '▫', '●', '○', '‣', '⁃', '∙', '■', '□', '►', '▶', '➢', '✓', '✔', '❖', '◆', '◇':
		return true
	}
	return false
}

// segStripClosers removes trailing closing quotes and brackets, reporting
// whether a quote was among them.
func segStripClosers(s string) (core string, quote bool) {
	for len(s) > 0 {
		r, w := utf8.DecodeLastRuneInString(s)
		if !segIsCloser(r) {
			break
		}
		if r != ')' && r != ']' && r != '}' {
			quote = true
		}
		s = s[:len(s)-w]
	}
	return s, quote
}

func segTrimOpeners(s string) string {
	for len(s) > 0 {
		r, w := utf8.DecodeRuneInString(s)
		if !segIsOpener(r) {
			break
		}
		s = s[w:]
	}
	return s
}

func segTrimBullets(s string) string {
	for len(s) > 0 {
		r, w := utf8.DecodeRuneInString(s)
		if !segIsBullet(r) && r != '-' {
			break
		}
		s = s[w:]
	}
	return s
}

func segFirstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func segFirstWord(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// segLeadingLetters returns the letters a word starts with, after any
// opening quotes: "It" for “It’s, "I" for I'm.
func segLeadingLetters(s string) string {
	s = segTrimOpeners(s)
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += w
	}
	return s[:i]
}

// segTok is one whitespace-delimited token of a group, as byte offsets.
type segTok struct {
	s, e int
	// force marks a sentence start before this token: a bullet, the next
	// item of a list, or text glued to a sentence end ("world.Today").
	force bool
}

// segState holds one group of lines being cut into sentences.
type segState struct {
	text    string
	toks    []segTok
	inChain []bool   // token is an item marker of an inline list
	parens  [][2]int // disjoint byte spans of short parentheticals
	pi      int      // cursor into parens; candidates are checked in order
}

func (z *segState) tok(i int) string { return z.text[z.toks[i].s:z.toks[i].e] }

// segSplit cuts one group (no line breaks) into sentences appended to out.
func segSplit(text string, out []string) []string {
	if text == "" {
		return out
	}
	z := segStates.Get().(*segState)
	defer z.release()
	*z = segState{text: text, toks: z.toks[:0], parens: z.parens[:0]}
	z.tokenize()
	n := len(z.toks)
	if n == 0 {
		return out
	}
	z.findParens()
	z.findLists()
	emit := func(a, b int) {
		out = append(out, text[z.toks[a].s:z.toks[b].e])
	}
	start := 0
	for i := 0; i < n; {
		if i > start && z.toks[i].force {
			emit(start, i-1)
			start = i
		}
		if i == n-1 {
			break
		}
		last, brk, next := z.decide(i, start)
		if brk {
			emit(start, last)
			start = last + 1
		}
		i = next
	}
	if start < n {
		emit(start, n-1)
	}
	return out
}

// segStates keeps segSplit's states for the next group, with the room
// their tokens took: Analyze splits every paragraph of every article
// ingested, and the tokens were the largest allocation of its cleaning
// (some 4.7 KB an article). A state whose room is past segKeepToks is let
// go (one long text must not keep the room for it).
var segStates = sync.Pool{New: func() any { return new(segState) }}

// segKeepToks bounds the tokens' room a state keeps in segStates.
const segKeepToks = 1 << 14

// release gives z back to segStates, without the text it split.
func (z *segState) release() {
	if cap(z.toks) > segKeepToks {
		return
	}
	*z = segState{toks: z.toks[:0], parens: z.parens[:0]}
	segStates.Put(z)
}

func (z *segState) tokenize() {
	s := z.text
	// About one token in six bytes of news text: one allocation, mostly.
	z.toks = slices.Grow(z.toks[:0], len(s)/6+4)
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		j := i + w
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += w
		}
		first := len(z.toks)
		z.splitGlued(i, j)
		if segIsBullet(r) {
			z.toks[first].force = true
		}
		i = j
	}
}

// splitGlued appends the token s[a:b], cut where a sentence end is glued to
// the next sentence with no space: "world.Today", "1,000.That".
func (z *segState) splitGlued(a, b int) {
	s := z.text
	t := s[a:b]
	if len(t) < 5 || !segHasStop(t[1:len(t)-2]) ||
		strings.ContainsAny(t, "@/") || (len(t) > 4 && strings.EqualFold(t[:4], "www.")) {
		z.toks = append(z.toks, segTok{s: a, e: b})
		return
	}
	start := a
	force := false
	for k := a + 1; k+2 < b; k++ {
		c := s[k]
		pw := 1 // width of the stop
		switch {
		case c == '.' || c == '?' || c == '!':
		case c >= 0xE0:
			// Full-width stops: "period．Does".
			r, w := utf8.DecodeRuneInString(s[k:b])
			if r < 0x3000 || !segIsTerminal(r) {
				continue
			}
			pw = w
		default:
			continue
		}
		if k+pw >= b {
			break
		}
		r1, w1 := utf8.DecodeRuneInString(s[k+pw : b])
		if !unicode.IsUpper(r1) || k+pw+w1 >= b {
			continue
		}
		r2, _ := utf8.DecodeRuneInString(s[k+pw+w1 : b])
		if !unicode.IsLower(r2) {
			continue
		}
		// The word before the stop: letters, digits and thousands commas.
		ls := k
		for ls > start {
			r, w := utf8.DecodeLastRuneInString(s[start:ls])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ',' {
				break
			}
			ls -= w
		}
		left := s[ls:k]
		if utf8.RuneCountInString(left) < 2 || (ls > start && s[ls-1] == '.') {
			continue
		}
		if !strings.ContainsFunc(left, unicode.IsLower) && strings.ContainsFunc(left, unicode.IsLetter) {
			continue // "ASP.Net": an all-capitals name, not a sentence
		}
		if c == '.' && segClassOf(left) != segClassNone {
			continue // "Mr.Smith", "St.Louis"
		}
		z.toks = append(z.toks, segTok{s: start, e: k + pw, force: force})
		start, force = k+pw, true
	}
	z.toks = append(z.toks, segTok{s: start, e: b, force: force})
}

// segHasStop is strings.ContainsAny(s, ".?!．。！？"), tested first for the
// bytes the stops start with (the full-width ones with E3 or EF): most
// tokens have none, and ContainsAny decodes every rune of a token when the
// set is not ASCII.
func segHasStop(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '?', '!', 0xE3, 0xEF:
			return strings.ContainsAny(s, ".?!．。！？")
		}
	}
	return false
}

// findParens records short, matched parentheticals and bracketed notes: a
// stop inside one ("(He was tired. Then he slept.)") does not end the
// enclosing sentence.
func (z *segState) findParens() {
	s := z.text
	if strings.IndexByte(s, '(') < 0 && strings.IndexByte(s, '[') < 0 {
		return
	}
	const maxSpan = 300
	var stack []int // offsets of unclosed brackets
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '(' || c == '[' {
			stack = append(stack, i)
			continue
		}
		if c != ')' && c != ']' {
			continue
		}
		open := c - 1 // '(' is ')'-1
		if c == ']' {
			open = '['
		}
		if len(stack) == 0 || s[stack[len(stack)-1]] != open {
			continue // unbalanced: "a) item" or a smiley
		}
		start := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if i-start > maxSpan {
			continue
		}
		// Pairs close in order; an enclosing pair swallows those inside it.
		for len(z.parens) > 0 && z.parens[len(z.parens)-1][0] > start {
			z.parens = z.parens[:len(z.parens)-1]
		}
		z.parens = append(z.parens, [2]int{start, i})
	}
}

// insideParens reports whether byte offset p lies strictly inside a short
// parenthetical. Offsets must be asked in increasing order.
func (z *segState) insideParens(p int) bool {
	for z.pi < len(z.parens) && z.parens[z.pi][1] < p {
		z.pi++
	}
	return z.pi < len(z.parens) && z.parens[z.pi][0] < p && p <= z.parens[z.pi][1]
}

// isStandaloneDot reports whether token i is a lone full stop of a spaced
// ellipsis (". . ."), possibly followed by a closing quote.
func (z *segState) isStandaloneDot(i int) bool {
	core, _ := segStripClosers(z.tok(i))
	return core == "."
}

// dotRun counts the lone full stops from token i on and returns the count and
// the index after them.
func (z *segState) dotRun(i int) (k, end int) {
	end = i
	for end < len(z.toks) && !z.toks[end].force && z.isStandaloneDot(end) {
		end++
	}
	return end - i, end
}

// decide looks at the token i of the sentence that began at token start and
// reports whether the sentence ends, at token last, and which token to look at
// next.
func (z *segState) decide(i, start int) (last int, brk bool, next int) {
	n := len(z.toks)
	t := z.tok(i)

	// Spaced ellipses: ". . ." marks an omission inside a sentence; four
	// stops, or a full stop then three, end it before a capital.
	if z.isStandaloneDot(i) {
		if k, end := z.dotRun(i); k >= 2 {
			if end < n && k >= 4 && unicode.IsUpper(segFirstRune(segTrimOpeners(z.tok(end)))) {
				return end - 1, true, end
			}
			return 0, false, end
		}
	} else if k, end := z.dotRun(i + 1); k >= 3 {
		if end >= n {
			return 0, false, end
		}
		if unicode.IsUpper(segFirstRune(segTrimOpeners(z.tok(end)))) {
			core, _ := segStripClosers(t)
			if k == 3 && strings.HasSuffix(core, ".") {
				return i, true, end
			}
			if k >= 4 {
				return end - 1, true, end
			}
		}
		return 0, false, end
	}

	core, quote := segStripClosers(t)
	pEnd := len(core)
	for pEnd > 0 {
		r, w := utf8.DecodeLastRuneInString(core[:pEnd])
		if !segIsTerminal(r) {
			break
		}
		pEnd -= w
	}
	punct := core[pEnd:]
	if punct == "" {
		return 0, false, i + 1
	}
	// Closing quotes and brackets standing alone after the stop belong to
	// this sentence.
	j := i + 1
	for j < n && !z.toks[j].force && segAllClosers(z.tok(j)) {
		if strings.ContainsAny(z.tok(j), "\"'”’»›") {
			quote = true
		}
		j++
	}
	if j >= n {
		return 0, false, j
	}
	last = j - 1
	if z.insideParens(z.toks[last].e) {
		return 0, false, j
	}
	if z.endsHere(i, j, start, core[:pEnd], punct, quote) {
		return last, true, j
	}
	return 0, false, j
}

// endsHere decides a sentence end after token i (whose text before the final
// punctuation run is word) given the next word, token j.
func (z *segState) endsHere(i, j, start int, word, punct string, quote bool) bool {
	nw := segTrimOpeners(z.tok(j))
	r0 := segFirstRune(nw)
	lower := unicode.IsLower(r0)
	t := z.tok(i)

	if strings.ContainsAny(punct, "?!‽！？。") {
		// "'Why?' he asked." and "Yahoo! in" continue.
		if lower || z.dashAside(j) {
			return false
		}
		return !(quote && z.attribution(j))
	}
	if strings.Contains(punct, "…") || strings.Count(punct, ".") > 1 {
		// "[...]" is an omission mark; "that.... She" and "so... The" end.
		if strings.HasPrefix(t, "[") || strings.HasSuffix(t, "]") || strings.HasSuffix(t, "])") {
			return false
		}
		return unicode.IsUpper(r0)
	}

	// A single full stop.
	word = segTrimOpeners(word)
	closed := strings.TrimRightFunc(word, segIsCloser)
	if closed != word {
		// "(capt). Replacements": the stop follows a bracket or a quote,
		// not an abbreviation.
		word = ""
	}
	if r0 == ',' || r0 == ';' || r0 == ':' {
		return false
	}
	if lower {
		// "said. iPhone sales" ends; "co. at noon", "U.S. for" do not.
		return segIsCamel(nw) && segIsPlainWord(word)
	}
	if word == "" {
		return true
	}
	if z.isItemMarker(i, start) {
		return false
	}
	if strings.ContainsAny(word, "@/") || (len(word) > 4 && strings.EqualFold(word[:4], "www.")) {
		return true
	}
	if segIsDotted(word) {
		// U.S., E.U., a.m., Ph.D.
		if segClassOf(word) == segClassNever || i-start < 2 {
			// "The U.S. Is pressing": two words are not yet a sentence.
			return false
		}
		if segIsStarter(nw) {
			return true
		}
		if segIsTime(word) {
			// "at 6 P.M. Travelers who ..." ends, unless a zone, a day or a
			// name follows "At 5 a.m." that has no clause yet.
			return unicode.IsUpper(r0) && !segIsTimeQualifier(nw) && z.complete(start, i)
		}
		return segIsTitleWord(nw) && z.complete(start, i)
	}
	if r, w := utf8.DecodeRuneInString(word); w == len(word) && unicode.IsUpper(r) {
		// An initial: "Jonas E. Smith", "J. R. R. Tolkien", but "you and I.
		// Did". A lone capital opening a sentence is a label: "Q. What".
		if segIsInitial(nw) || i == start {
			return false
		}
		return segIsStarter(nw)
	}
	switch segClassOf(word) {
	case segClassTitle:
		// A title comes before a name, so after a name it is part of one:
		// "Main St. The" is a street, "with Hun Sen. The" a Cambodian prime
		// minister, both at the end of a sentence. The next word must open a
		// sentence for certain ("The", "He"), as "Republican Sen. Smith said"
		// goes on.
		if i > start && segIsCapitalised(segTrimOpeners(z.tok(i-1))) && !strings.HasSuffix(z.tok(i-1), ".") && !segIsTitleWord(z.tok(i-1)) {
			return segIsStarter(nw)
		}
		return false
	case segClassPost:
		if segIsStarter(nw) || (segIsTitleWord(nw) && z.complete(start, i)) {
			return true
		}
		// "Larsen Co. Dean also said": after a company, one capitalised
		// word and then a lower-case one is the subject of a new sentence
		// ("Acme Inc. Chief Executive Jo Bloggs" and "& Co. KG is" go on).
		_, company := segCompanies[strings.ToLower(word)]
		return company && j+1 < len(z.toks) && segIsCapitalised(nw) && segClassOf(segLeadingLetters(nw)) == segClassNone &&
			unicode.IsLower(segFirstRune(z.tok(j+1)))
	case segClassNumber:
		return !unicode.IsDigit(r0) && r0 != '#'
	case segClassDate:
		return !unicode.IsDigit(r0)
	case segClassNever:
		return false
	case segClassList:
		return true
	}
	if r, w := utf8.DecodeRuneInString(word); w == len(word) && unicode.IsLower(r) {
		// A lone lower-case letter is an abbreviation ("p. 55", "a. The
		// first item" in a list is handled above).
		return segIsStarter(nw)
	}
	return true
}

// complete reports whether the words from token start to token i can be a
// whole sentence. "At 5 a.m." cannot: it opens with a preposition and has no
// comma, so "At 5 a.m. Mr. Smith went" goes on, while "He left at 6 P.M. Mr.
// Smith then went" ends at "P.M.".
func (z *segState) complete(start, i int) bool {
	if i-start > 40 {
		return true
	}
	k := start
	for k < i && segTrimBullets(z.tok(k)) == "" {
		k++
	}
	first := strings.ToLower(segLeadingLetters(z.tok(k)))
	if _, ok := segOpeners[first]; !ok {
		return true
	}
	for ; k < i; k++ {
		if strings.HasSuffix(z.tok(k), ",") {
			return true
		}
	}
	return false
}

// dashAside reports whether token j is a dash that goes on in lower case:
// "and -- voila! -- you have cake".
func (z *segState) dashAside(j int) bool {
	switch z.tok(j) {
	case "-", "--", "–", "—":
		return j+1 < len(z.toks) && unicode.IsLower(segFirstRune(segTrimOpeners(z.tok(j+1))))
	}
	return false
}

// attribution reports whether the words from token j name a speaker: the
// "Smith asked" of "'Why?' Smith asked."
func (z *segState) attribution(j int) bool {
	if segIsTitleWord(z.tok(j)) {
		return true
	}
	for k := j; k < len(z.toks) && k < j+3; k++ {
		w := segLeadingLetters(z.tok(k))
		if _, ok := segSpeechVerbs[strings.ToLower(w)]; ok && k > j {
			return true
		}
		if w == "" || !unicode.IsUpper(segFirstRune(w)) {
			return false
		}
	}
	return false
}

func segAllClosers(t string) bool {
	for _, r := range t {
		if !segIsCloser(r) {
			return false
		}
	}
	return t != ""
}

// segMergeFragments folds pieces with no letter or digit (a stray quote mark,
// a lone bullet) into the sentence before them, or the one after when they
// come first.
func segMergeFragments(in []string) []string {
	first := -1 // first piece with a word in it
	for i, s := range in {
		if strings.ContainsFunc(s, segIsWordRune) {
			first = i
			break
		}
	}
	if first < 0 {
		if len(in) <= 1 {
			return in
		}
		return []string{strings.Join(in, " ")}
	}
	out := in[:0]
	for i := first; i < len(in); {
		// The sentence at i takes the fragments after it, and those before
		// the first sentence.
		j := i + 1
		for j < len(in) && !strings.ContainsFunc(in[j], segIsWordRune) {
			j++
		}
		from := i
		if i == first {
			from = 0
		}
		if j-from == 1 {
			out = append(out, in[i])
		} else {
			out = append(out, strings.Join(in[from:j], " "))
		}
		i = j
	}
	return out
}

func segIsWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
