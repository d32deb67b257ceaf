package briefing

import (
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
	buf := make([]byte, 0, 32)
	flush := func() {
		w := strings.Trim(string(buf), ".,'’-")
		buf = buf[:0]
		if w == "" {
			return
		}
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" {
			out = append(out, w)
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			// ASCII, nearly all of English news text, without decoding.
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				buf = append(buf, c)
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+'a'-'A')
			case (c == '\'' || c == '-' || c == '.' || c == ',') && len(buf) > 0:
				buf = append(buf, c)
			default:
				if len(buf) > 0 {
					flush()
				}
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		case r == '’' && len(buf) > 0:
			buf = utf8.AppendRune(buf, r)
		default:
			if len(buf) > 0 {
				flush()
			}
		}
	}
	if len(buf) > 0 {
		flush()
	}
	return out
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

// termCache memoizes stemming for one Build: the same few thousand
// words recur in every sentence of every article, and stemming dominates
// the cost of term extraction. terms gives exactly what the package's terms
// function gives.
type termCache struct {
	stems map[string]string
	toks  map[string]*sentTok
}

// sentTok is what the stages need of one sentence, tokenized once: its
// terms, its words with quote styles folded, and those words as one key.
type sentTok struct {
	terms []string
	norm  []string
	key   string
	grams []uint64 // bigram concepts, see grams; nil until asked for
}

func newTermCache() *termCache {
	return &termCache{stems: map[string]string{}, toks: map[string]*sentTok{}}
}

// tok tokenizes a sentence once per Build; cleaning, grouping, scoring and
// novelty all look at the same sentences.
func (c *termCache) tok(s string) *sentTok {
	if t, ok := c.toks[s]; ok {
		return t
	}
	ws := words(s)
	t := &sentTok{norm: make([]string, len(ws))}
	for i, w := range ws {
		t.norm[i] = strings.ReplaceAll(w, "’", "'")
	}
	t.key = strings.Join(t.norm, " ")
	t.terms = c.termsOf(ws)
	c.toks[s] = t
	return t
}

// grams returns the concepts of a sentence (see selConcepts): hashes of
// the bigrams of its stemmed words, except those of two stop words, each
// once.
func (c *termCache) grams(s string) []uint64 {
	t := c.tok(s)
	if t.grams != nil {
		return t.grams
	}
	t.grams = []uint64{}
	prev, prevStop := "", true
	seen := map[uint64]bool{}
	for i, w := range t.norm {
		st := c.stemWord(w)
		stop := isStopword(w) && !strings.Contains(w, ".")
		if i > 0 && !(stop && prevStop) {
			g := fnvAdd(fnvAdd(fnvAdd(fnvOffset, prev), " "), st) // factHash(prev + " " + st)
			if !seen[g] {
				seen[g] = true
				t.grams = append(t.grams, g)
			}
		}
		prev, prevStop = st, stop
	}
	return t.grams
}

// stemWord stems one lower-case word through the cache.
func (c *termCache) stemWord(w string) string {
	s, ok := c.stems[w]
	if !ok {
		s = stem(w)
		c.stems[w] = s
	}
	return s
}

func (c *termCache) terms(text string) []string {
	return c.termsOf(words(text))
}

// termsOf is terms over words already split out; ws is not modified.
func (c *termCache) termsOf(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if !strings.Contains(w, ".") && isStopword(w) {
			continue
		}
		if s := c.stemWord(w); s != "" {
			out = append(out, s)
		}
	}
	return out
}
