package data

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// This file is what the store writes into its full-text index (SQLite
// FTS5; a PostgreSQL tsvector twin would sit beside it): the title, the
// body, and the focus column that lets a common word be ranked without
// reading every article that mentions it.
//
// Why a focus column. FTS5 ranks with bm25() by visiting every match (about
// 1.2 µs each here): 15 ms for a word in 10,000 articles, 110 ms for one in
// 90,000. Search engines avoid that with impact-ordered or tiered indexes
// (Anh & Moffat 2002, "Impact transformation: effective and efficient web
// retrieval"; Manning, Raghavan & Schütze 2008, §7.2.1 "Tiered indexes"):
// the postings of a term are grouped by how much the term weighs in each
// document, and a query reads the heaviest tier first, going down only
// while the best matches found could still be beaten. FTS5 has no such
// order, so the tiers are written as tokens of their own: an article in
// which "oil" weighs in tier 3 gets the token "zf3xoil" in its focus column.
// A query for a common word asks FTS5 for the articles in its top tiers,
// a few hundred, and ranks only those with the real bm25() of the title
// and body (the focus column's weight is zero, so it never changes a
// score).

// BM25's parameters as FTS5's bm25() uses them.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// focusAvgLen is the document length (in words) the tiers assume; the
	// real average only shifts tiers a little, and a fixed value keeps an
	// article's tokens independent of what else is stored.
	focusAvgLen = 250
)

// focusTiers are the lower bounds of tiers 1..len on a term's BM25
// term-frequency factor f = tf·(k1+1)/(tf + k1·(1-b+b·len/avglen)), which
// runs from 0 to k1+1 = 2.2. The bounds close in on 2.2 geometrically
// (2.2 - 0.9·0.6^i), so each tier up holds fewer articles and the ranked
// tiers stay small even for a word many articles are about. In a document
// of average length, tier 1 is a word said twice in the body, tier 2 four
// times or once in the title (which counts titleWeight times); a word said
// once in the body gets no focus token.
var focusTiers = func() []float64 {
	var t []float64
	for i, gap := 0, 0.9; i < 8; i, gap = i+1, gap*0.6 {
		t = append(t, bm25K1+1-gap)
	}
	return t
}()

// focusTier returns the tier (0: none) of a term with weighted frequency tf
// in a document of n words.
func focusTier(tf float64, n int) int {
	f := tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(n)/focusAvgLen))
	tier := 0
	for i, lo := range focusTiers {
		if f >= lo {
			tier = i + 1
		}
	}
	return tier
}

// focusToken is the index token of term t in tier: letters and one digit,
// so FTS5's tokenizer keeps it whole.
func focusToken(tier int, term string) string {
	return string(appendFocusToken(nil, tier, term))
}

// appendFocusToken appends focusToken(tier, term) to b.
func appendFocusToken(b []byte, tier int, term string) []byte {
	b = strconv.AppendInt(append(b, "zf"...), int64(tier), 10)
	return append(append(b, 'x'), term...)
}

// focusTerm reduces one word of a query or an article (lower case, letters
// and digits) to the form focus tokens use: its Snowball stem, or "" for a
// word too common to be a topic.
func focusTerm(w string) string {
	if focusStop(w) {
		return ""
	}
	return english.Stem(w, false)
}

// focusStop reports whether focusTerm(w) is "" for being short or a stop
// word: known without stemming, or looking w up in a stemCache.
func focusStop(w string) bool { return len(w) < 2 || english.IsStopWord(w) }

// stemCache remembers focusTerm's answers: stemming is most of the cost of
// an article's focus tokens, and news repeats its words. It also keeps
// focusText's maps for the next article (emptied, not made again). Not safe
// for concurrent use; it empties itself when full. The zero value is ready
// to use.
type stemCache struct {
	// met, when set, gives the stems of the words an Analyzer remembers
	// (briefing.Analyzer.Stem): after Analyze, those of the same article's
	// words, warm in the processor's cache, where stems is cold.
	met       func(string) (string, bool)
	stems     map[string]string
	words, tf map[string]float64 // focusText's, when small enough to keep
	toks      []focusTok         // focusText's scratch
	buf       []byte             // likewise
}

func (c *stemCache) term(w string) string {
	// A stop word is told by a switch on the word, cheaper than a lookup
	// in the cache (a miss of the processor's cache, as large as it is).
	if focusStop(w) {
		return ""
	}
	// w holds letters and digits alone, whose stem Analyze gives as
	// focusTerm does.
	if c.met != nil {
		if t, ok := c.met(w); ok {
			return t
		}
	}
	if t, ok := c.stems[w]; ok {
		return t
	}
	if c.stems == nil || len(c.stems) >= 50000 {
		c.stems = map[string]string{}
	}
	t := focusTerm(w)
	// w may be a piece of an article's text: the cache, kept from batch
	// to batch, must not hold the whole text.
	c.stems[strings.Clone(w)] = t
	return t
}

// focusKeepMax bounds the maps focusText keeps for the next article:
// emptying a map costs as much as it ever held, so one long article's
// maps are let go.
const focusKeepMax = 1024

// focusMap returns m emptied, or a new map for about n words when m is nil.
func focusMap(m map[string]float64, n int) map[string]float64 {
	if m == nil {
		return make(map[string]float64, n)
	}
	clear(m)
	return m
}

// focusKeep returns m if it is small enough to keep, else nil.
func focusKeep(m map[string]float64) map[string]float64 {
	if len(m) > focusKeepMax {
		return nil
	}
	return m
}

// focusText is the focus column of an article: one token for each term
// that weighs at least tier 1 in it, naming the tier.
func focusText(title, body string, stems *stemCache) string {
	// Words are counted first and each distinct word stemmed once: an
	// article says a few hundred words a few times each, and the stem
	// cache is large (a lookup there misses the processor's cache).
	// Weights are whole numbers, so the sums do not depend on the order.
	words := focusMap(stems.words, len(body)/16+8)
	n := 0
	count := func(text string, weight float64) {
		eachIndexWord(text, func(w string) {
			n++
			words[w] += weight
		})
	}
	count(title, titleWeight)
	count(body, 1)
	tf := focusMap(stems.tf, len(words))
	for w, f := range words {
		if t := stems.term(w); t != "" {
			tf[t] += f
		}
	}
	// The tokens are put in order and written into one string, not made
	// one by one and joined. Every token is "zf", the tier's one digit
	// (focusTiers has fewer than ten), "x" and the term, so their order
	// is that of (tier, term).
	toks := stems.toks[:0]
	size := 0
	for t, f := range tf {
		if tier := focusTier(f, n); tier > 0 {
			toks = append(toks, focusTok{tier, t})
			size += len("zf0x ") + len(t)
		}
	}
	slices.SortFunc(toks, func(a, b focusTok) int {
		return cmp.Or(cmp.Compare(a.tier, b.tier), strings.Compare(a.term, b.term))
	})
	b := slices.Grow(stems.buf[:0], size)
	for i, k := range toks {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendFocusToken(b, k.tier, k.term)
	}
	clear(toks) // let go of the terms
	stems.toks, stems.buf = toks[:0], b[:0]
	stems.words, stems.tf = focusKeep(words), focusKeep(tf)
	return string(b)
}

// focusTok is a focus token: focusToken(tier, term).
type focusTok struct {
	tier int
	term string
}

// eachIndexWord calls f with each word of text as a query would name it:
// lower-case runs of letters and digits, and a hyphenated word ("cease-fire")
// also whole ("ceasefire"); "Putin's" is "putin". It scans the text once,
// without splitting it into slices first: it runs on every word stored.
func eachIndexWord(text string, f func(string)) {
	var buf [8]string
	for i := 0; i < len(text); {
		class, size := indexClassAt(text, i)
		if class == ixSep {
			i += size
			continue
		}
		// A field: a run of letters, digits, hyphens and apostrophes;
		// its parts are its runs of letters and digits. lower is whether
		// they are lower case already (ASCII without capitals, the most
		// of them), which strings.ToLower would only check again.
		parts := buf[:0]
		hyphen, apostrophe, lower := false, false, true
		start := -1
		for i < len(text) {
			class, size = indexClassAt(text, i)
			if class == ixSep {
				break
			}
			switch class {
			case ixHyphen, ixApostrophe:
				if class == ixHyphen {
					hyphen = true
				} else {
					apostrophe = true
				}
				if start >= 0 {
					parts = append(parts, text[start:i])
					start = -1
				}
			default:
				lower = lower && class == ixLower
				if start < 0 {
					start = i
				}
			}
			i += size
		}
		if start >= 0 {
			parts = append(parts, text[start:i])
		}
		if len(parts) == 2 && parts[1] == "s" && apostrophe {
			parts = parts[:1]
		}
		for k, p := range parts {
			if !lower {
				parts[k] = strings.ToLower(p)
			}
			f(parts[k])
		}
		if len(parts) >= 2 && len(parts) <= 4 && hyphen {
			f(strings.Join(parts, ""))
		}
	}
}

// The classes of characters eachIndexWord tells apart.
const (
	ixSep        = iota // no part of a word (notQueryRune)
	ixLower             // an ASCII lower-case letter or digit
	ixOther             // another letter or digit
	ixHyphen            // '-'
	ixApostrophe        // '\'' or '’'
)

// ixASCII is the class of each ASCII character, from notQueryRune and
// notLetterDigit.
var ixASCII = func() (t [utf8.RuneSelf]uint8) {
	for c := range rune(utf8.RuneSelf) {
		switch {
		case notQueryRune(c):
			t[c] = ixSep
		case !notLetterDigit(c) && strings.ToLower(string(c)) == string(c):
			t[c] = ixLower
		case !notLetterDigit(c):
			t[c] = ixOther
		case c == '-':
			t[c] = ixHyphen
		default:
			t[c] = ixApostrophe
		}
	}
	return t
}()

// indexClassAt returns the class of the rune at text[i:] and its size.
func indexClassAt(text string, i int) (uint8, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return ixASCII[c], 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	switch {
	case notQueryRune(r):
		return ixSep, size
	case notLetterDigit(r):
		return ixApostrophe, size // '’', the only other
	}
	return ixOther, size
}

// notQueryRune and notLetterDigit test ASCII, nearly all of English news
// text, without unicode's tables (which say the same of it).
func notQueryRune(r rune) bool {
	if r < utf8.RuneSelf {
		return !(asciiLetterDigit(r) || r == '-' || r == '\'')
	}
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '’')
}

func notLetterDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return !asciiLetterDigit(r)
	}
	return !(unicode.IsLetter(r) || unicode.IsDigit(r))
}

func asciiLetterDigit(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// focusTokens are the focus tokens of tiers lo to hi of the query groups'
// terms; none when every group is a stop word.
func focusTokens(groups [][]string, lo, hi int) []string {
	var toks []string
	for _, g := range groups {
		t := focusTerm(strings.Join(g, ""))
		if t == "" {
			continue
		}
		for tier := lo; tier <= hi; tier++ {
			toks = append(toks, focusToken(tier, t))
		}
	}
	return toks
}

// hyphenJoined is a hyphenated field of two to four parts written as one
// word ("Cease-fire," is "ceasefire"), or "".
func hyphenJoined(f string) string {
	w := strings.ToLower(strings.Trim(f, ".,;:!?\"'()[]“”‘’"))
	parts := strings.Split(w, "-")
	if len(parts) < 2 || len(parts) > 4 {
		return ""
	}
	return strings.Join(parts, "")
}

// indexText prepares text for the full-text index. Hyphenated words are also
// indexed joined, so "cease-fire" is found by "ceasefire" as well as by
// "cease-fire" (which the query side turns into the phrase "cease fire").
func indexText(s string) string {
	var joined []string
	var seen map[string]bool
	eachHyphenField(s, func(f string) {
		if seen == nil {
			seen = map[string]bool{}
		}
		if j := hyphenJoined(f); j != "" && !seen[j] {
			seen[j] = true
			joined = append(joined, j)
		}
	})
	if len(joined) == 0 {
		return s
	}
	return s + "\n" + strings.Join(joined, " ")
}

// eachHyphenField calls f with each field of s (as strings.Fields splits
// s) that holds a hyphen, in order. It goes from hyphen to hyphen, and
// finds the white space around each, rather than reading every field:
// most of a text's fields have none.
func eachHyphenField(s string, f func(string)) {
	for from := 0; ; {
		h := strings.IndexByte(s[from:], '-')
		if h < 0 {
			return
		}
		h += from
		// Back to the white space before the hyphen: UTF-8 decodes the
		// same backwards (a rune's first byte is never another's
		// continuation), and s[from:] starts with the white space that
		// ended the last field (or is all of s).
		start := h
		for start > from {
			r, size := utf8.DecodeLastRuneInString(s[from:start])
			if unicode.IsSpace(r) {
				break
			}
			start -= size
		}
		end := h + 1
		for end < len(s) {
			sp, size := spaceAt(s, end)
			if sp {
				break
			}
			end += size
		}
		f(s[start:end])
		from = end
	}
}

// eachField calls f with each field of s, as strings.Fields splits s,
// without making the slice of them all.
func eachField(s string, f func(string)) {
	for i := 0; i < len(s); {
		sp, size := spaceAt(s, i)
		if sp {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			if sp, size = spaceAt(s, i); sp {
				break
			}
			i += size
		}
		f(s[start:i])
	}
}

// spaceAt reports whether the rune at s[i:] is white space (unicode.IsSpace)
// and its size; ASCII, nearly all of the text, by a table.
func spaceAt(s string, i int) (bool, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiSpace[c], 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r), size
}

// asciiSpace marks the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
