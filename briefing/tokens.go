package briefing

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// words splits text into lower-case word tokens: letters and digits, with
// inner apostrophes, hyphens, dots and commas kept (so "U.S.", "cease-fire",
// "3.5" and "1,000" stay whole). Possessive "'s" is dropped.
func words(text string) []string {
	out := make([]string, 0, len(text)/6+1)
	z := wordScanner{text: text}
	for {
		w, ok := z.next()
		if !ok {
			return out
		}
		out = append(out, string(w))
	}
}

// wordScanner splits text into words as words does, one at a time, without
// making a string of each: a Build looks most words up in its termCache.
type wordScanner struct {
	text string
	i    int
	buf  []byte
}

// next returns the next word, valid until the following call.
func (z *wordScanner) next() ([]byte, bool) {
	for {
		z.buf = z.buf[:0]
		text := z.text
		i := z.i
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				// ASCII, nearly all of English news text, without decoding.
				i++
				switch {
				case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
					z.buf = append(z.buf, c)
					continue
				case 'A' <= c && c <= 'Z':
					z.buf = append(z.buf, c+'a'-'A')
					continue
				case (c == '\'' || c == '-' || c == '.' || c == ',') && len(z.buf) > 0:
					z.buf = append(z.buf, c)
					continue
				}
			} else {
				r, n := utf8.DecodeRuneInString(text[i:])
				i += n
				switch {
				case unicode.IsLetter(r) || unicode.IsDigit(r):
					z.buf = utf8.AppendRune(z.buf, unicode.ToLower(r))
					continue
				case r == '’' && len(z.buf) > 0:
					z.buf = utf8.AppendRune(z.buf, r)
					continue
				}
			}
			if len(z.buf) > 0 {
				break
			}
		}
		z.i = i
		if len(z.buf) == 0 {
			return nil, false
		}
		w := z.buf
		// Most words begin and end with a letter or digit: nothing to trim
		// (bytes.Trim decodes each end against a set that is not ASCII).
		if !asciiLetterDigit(w[0]) || !asciiLetterDigit(w[len(w)-1]) {
			w = bytes.Trim(w, ".,'’-")
		}
		w = bytes.TrimSuffix(bytes.TrimSuffix(w, []byte("'s")), []byte("’s"))
		if len(w) > 0 {
			return w, true
		}
	}
}

// asciiLetterDigit reports whether c is an ASCII letter or digit.
func asciiLetterDigit(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isStopword reports whether w (lower case) carries too little meaning to
// count towards similarity or salience.
func isStopword(w string) bool {
	if len(w) <= 1 {
		return true
	}
	return english.IsStopWord(w) || extraStopwords[w]
}

// extraStopwords adds reporting verbs and news filler that the Snowball list
// lacks; they appear in every article and so say nothing about any one story.
var extraStopwords = map[string]bool{
	"said": true, "says": true, "say": true, "told": true, "also": true,
	"would": true, "could": true, "will": true, "may": true, "might": true,
	"one": true, "two": true, "new": true, "year": true, "years": true,
	"mr": true, "mrs": true, "ms": true, "us": true, "per": true, "cent": true,
	"like": true, "just": true, "many": true, "much": true, "well": true,
	"last": true, "week": true, "first": true, "get": true, "got": true,
}

// stem reduces a lower-case word to its Snowball (Porter2) English stem, after
// folding hyphens and dots so that "cease-fire" and "ceasefire", "U.S." and
// "US" meet. Stems are remembered across calls (stemMemo).
func stem(w string) string {
	stemMemo.RLock()
	s, ok := stemMemo.m[w]
	stemMemo.RUnlock()
	if ok {
		return s
	}
	if f := stemFolder.Replace(w); f != "" {
		s = english.Stem(f, false)
	}
	stemMemo.Lock()
	if len(stemMemo.m) < stemMemoMax {
		stemMemo.m[w] = s
	}
	stemMemo.Unlock()
	return s
}

// stemMemo remembers stems across Builds: a bot briefs on the same
// vocabulary all day, and stemming is a tenth of the cost of a Build. A stem
// depends only on its word, so sharing it changes no result. The bound keeps
// a stream of junk words from growing it without limit.
var stemMemo = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const stemMemoMax = 200_000

// stemFolder drops the joiners that words() keeps inside a word.
var stemFolder = strings.NewReplacer("-", "", ".", "", ",", "", "’", "'")

// terms returns the stems of the content words of text, in order.
func terms(text string) []string {
	ws := words(text)
	out := ws[:0]
	for _, w := range ws {
		// A dotted acronym ("u.s") is never a stop word, though its
		// undotted form ("us") may be.
		if !strings.Contains(w, ".") && isStopword(w) {
			continue
		}
		if s := stem(w); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// termCache memoizes tokenizing for one Build (or one Analyze): the same
// few thousand words recur in every sentence of every article, and the
// same sentences in the reports of one story. Each distinct word is
// looked up once, with its stem, and each term gets an id for the Build,
// so later stages index arrays rather than hash strings. terms gives
// exactly what the package's terms function gives.
type termCache struct {
	words map[string]*wordInfo
	toks  map[string]*sentTok
	ids   map[string]int32 // term -> id; nil in a cache that numbers no terms
	nids  int32
	mark  uint32 // see sentTok.mark
	z     wordScanner
	info  []*wordInfo // tok's scratch
	slab  []sentTok   // sentToks not handed out yet, allocated batch at a time
	wslab []wordInfo  // likewise
	batch int
	// The slices of the sentToks, carved from chunks (carve): a Build
	// tokenizes a thousand sentences, each with three slices.
	infoSlab []*wordInfo
	strSlab  []string
	idSlab   []int32
}

// carve returns n elements off the front of *slab, first refilling it
// with a chunk of at least size when fewer are left; what it returns
// cannot grow into the rest.
func carve[T any](slab *[]T, n, size int) []T {
	if len(*slab) < n {
		*slab = make([]T, max(n, size))
	}
	s := (*slab)[:n:n]
	*slab = (*slab)[n:]
	return s
}

// wordInfo is what the stages need of one distinct word.
type wordInfo struct {
	word string // the word as words gives it
	norm string // the word with quote styles folded (’ as ')
	stem string
	// term is the id of the word's stem as a term (0 in a cache that
	// numbers no terms), or -1 when the word is no term (a stop word, or
	// nothing left to stem).
	term int32
	// gramStop is whether the word, quote styles folded, is a stop word
	// for bigram concepts (see grams), gramH the hash of its stem and a
	// space, where a bigram's hash starts, and normH factHash(norm), which
	// phrases are hashed from (phraseHashes); set when gramSet is.
	gramSet  bool
	gramStop bool
	gramH    uint64
	normH    uint64
	// rank is whether the word links sentences for TextRank (rankTerms),
	// and wid the word's number in the cache, which TextRank compares.
	rank bool
	wid  int32
	stop bool // isStopword(word)
}

// sentTok is what the stages need of one sentence, tokenized once: its
// terms (with their ids, in a cache that numbers terms), its words with quote styles folded, and what is
// computed from them when first asked for.
type sentTok struct {
	terms []string
	ids   []int32 // each term's id
	norm  []string
	info  []*wordInfo // each word's, in step with norm (in a cache that numbers terms)
	grams []uint64    // bigram concepts, see grams; nil until asked for
	runs  []uint64    // hashes of its phrases, see phraseHashes
	hash  uint64      // factHash of key, see keyHash
	words int         // fieldCount of the sentence, see fields
	done  uint8       // which of hash, words and runs are set
	// mark is the termCache's mark when a pass over some sentences last
	// met this one: a story's reports repeat sentences, which such a pass
	// counts once (selConcepts).
	mark uint32
}

const (
	tokHashed uint8 = 1 << iota
	tokCounted
	tokPhrased
)

// key is the sentence's words, quote styles folded, joined by spaces: two
// sentences with the same key say the same words.
func (t *sentTok) key() string { return strings.Join(t.norm, " ") }

// keyHash is factHash(t.key()), computed once and without joining.
func (t *sentTok) keyHash() uint64 {
	if t.done&tokHashed == 0 {
		h := uint64(fnvOffset)
		for i, w := range t.norm {
			if i > 0 {
				h = fnvAdd(h, " ")
			}
			h = fnvAdd(h, w)
		}
		t.hash = h
		t.done |= tokHashed
	}
	return t.hash
}

// fields is fieldCount(s), s the sentence t was made from, counted once.
func (t *sentTok) fields(s string) int {
	if t.done&tokCounted == 0 {
		t.words = fieldCount(s)
		t.done |= tokCounted
	}
	return t.words
}

// newTermCache is a cache for about the given number of sentences (0:
// a few), which numbers the terms it meets (sentTok.ids) and keeps what
// bigram concepts need (sentTok.info, grams) when ids is set: a Build's
// stages index arrays by them; Analyze needs only the terms.
func newTermCache(sentences int, ids bool) *termCache {
	// Some 500 sentences of news bring about 2,500 distinct words.
	c := &termCache{words: make(map[string]*wordInfo, 5*sentences), toks: make(map[string]*sentTok, sentences), batch: 8}
	if ids {
		c.ids = make(map[string]int32, 4*sentences)
	}
	if sentences >= 256 {
		c.batch = 64
	}
	return c
}

// word returns w's wordInfo (w is not kept: it may be a scanner's buffer).
func (c *termCache) word(w []byte) *wordInfo {
	if in, ok := c.words[string(w)]; ok {
		return in
	}
	ws := string(w)
	if len(c.wslab) == 0 {
		c.wslab = make([]wordInfo, c.batch)
	}
	in := &c.wslab[0]
	c.wslab = c.wslab[1:]
	// isStopword and rankTerm in one look at the Snowball list, and the
	// quote styles folded only in a word that has a curly one (a byte
	// of it): a Build meets a few thousand words new to its cache.
	snowball := len(ws) <= 1 || english.IsStopWord(ws)
	*in = wordInfo{word: ws, norm: ws, stem: stem(ws), term: -1, stop: snowball || extraStopwords[ws], rank: !snowball, wid: int32(len(c.words))}
	if strings.IndexByte(ws, 0xe2) >= 0 {
		in.norm = strings.ReplaceAll(ws, "’", "'")
	}
	if in.stem != "" && (strings.Contains(ws, ".") || !in.stop) {
		in.term = 0
		if c.ids != nil {
			id, ok := c.ids[in.stem]
			if !ok {
				id = c.nids
				c.nids++
				c.ids[in.stem] = id
			}
			in.term = id
		}
	}
	c.words[ws] = in
	return in
}

// gram sets in's bigram fields. stem folds quote styles itself, so the
// folded word's stem is the word's.
func (in *wordInfo) gram() *wordInfo {
	if !in.gramSet {
		stop := in.stop
		if in.norm != in.word {
			stop = isStopword(in.norm)
		}
		in.gramStop = stop && !strings.Contains(in.norm, ".")
		in.gramH = fnvAdd(fnvAdd(fnvOffset, in.stem), " ")
		in.normH = factHash(in.norm)
		in.gramSet = true
	}
	return in
}

// tok tokenizes a sentence once per Build; cleaning, grouping, scoring and
// novelty all look at the same sentences.
func (c *termCache) tok(s string) *sentTok {
	if t, ok := c.toks[s]; ok {
		return t
	}
	if len(c.slab) == 0 {
		c.slab = make([]sentTok, c.batch)
	}
	t := &c.slab[0]
	c.slab = c.slab[1:]
	c.z = wordScanner{text: s, buf: c.z.buf}
	info := c.info[:0]
	nterms := 0
	for {
		w, ok := c.z.next()
		if !ok {
			break
		}
		in := c.word(w)
		info = append(info, in)
		if in.term >= 0 {
			nterms++
		}
	}
	c.info = info
	// Exact sizes, carved from the cache's chunks: about thirty words a
	// sentence.
	chunk := 32 * c.batch
	if c.ids != nil {
		t.info = carve(&c.infoSlab, len(info), chunk)
		copy(t.info, info)
	}
	t.norm, t.terms = carve(&c.strSlab, len(info), chunk), carve(&c.strSlab, nterms, chunk)[:0]
	if c.ids != nil {
		t.ids = carve(&c.idSlab, nterms, chunk)[:0]
	}
	for k, in := range info {
		t.norm[k] = in.norm
		if in.term >= 0 {
			t.terms = append(t.terms, in.stem)
			if c.ids != nil {
				t.ids = append(t.ids, in.term)
			}
		}
	}
	c.toks[s] = t
	return t
}

// grams returns the concepts of a sentence (see selConcepts): hashes of
// the bigrams of its stemmed words, except those of two stop words, each
// once. Only a cache that numbers terms (a Build's) keeps what it needs.
func (c *termCache) grams(s string) []uint64 { return c.tok(s).gramsOf() }

// gramsOf is grams of the sentence t was made from, for a stage that
// holds its sentTok already and need not look the sentence up again.
func (t *sentTok) gramsOf() []uint64 {
	if t.grams != nil {
		return t.grams
	}
	t.grams = make([]uint64, 0, max(0, len(t.info)-1))
	for i := 1; i < len(t.info); i++ {
		prev, in := t.info[i-1].gram(), t.info[i].gram()
		if in.gramStop && prev.gramStop {
			continue
		}
		g := fnvAdd(prev.gramH, in.stem) // factHash(prev stem + " " + stem)
		if !slices.Contains(t.grams, g) {
			t.grams = append(t.grams, g)
		}
	}
	return t.grams
}

// rankIDs returns the numbers (wordInfo.wid) of the words of text that
// link sentences for TextRank, in order, as the package's rankTerms gives
// the words.
func (c *termCache) rankIDs(text string) []int32 {
	var out []int32
	c.each(text, func(in *wordInfo) {
		if in.rank {
			out = append(out, in.wid)
		}
	})
	return out
}

// terms returns the stems of the content words of text, in order, as the
// package's terms does.
func (c *termCache) terms(text string) []string {
	var out []string
	c.each(text, func(in *wordInfo) {
		if in.term >= 0 {
			out = append(out, in.stem)
		}
	})
	return out
}

// each calls f with the wordInfo of each word of text (as words splits
// it), in order.
func (c *termCache) each(text string, f func(*wordInfo)) {
	c.z = wordScanner{text: text, buf: c.z.buf}
	for {
		w, ok := c.z.next()
		if !ok {
			return
		}
		f(c.word(w))
	}
}
