package briefing

import "strings"

// noveltyIndex holds what earlier briefings said, as term sets, so a new
// candidate can be checked against all of it.
type noveltyIndex struct {
	tc    *termCache
	said  []map[string]bool
	words [][]string      // each said text as quote words, for quotes cut differently
	raw   map[string]bool // normalized word strings, for short texts
}

func noveltyNew(said []string, tc *termCache) *noveltyIndex {
	n := &noveltyIndex{raw: map[string]bool{}, tc: tc}
	for _, s := range said {
		tk := tc.tok(s)
		n.raw[tk.key()] = true
		n.words = append(n.words, tk.norm)
		set := map[string]bool{}
		for _, t := range tk.terms {
			set[t] = true
		}
		if len(set) > 0 {
			n.said = append(n.said, set)
		}
	}
	return n
}

// with is the index looking texts up in tc: each goroutine of a Build
// tokenizes with its own cache.
func (n *noveltyIndex) with(tc *termCache) *noveltyIndex {
	c := *n
	c.tc = tc
	return &c
}

// covers reports whether text says nothing that one earlier text did not
// already say: nearly all of its content words appear in one said text (the
// same fact from another outlet, or a shorter cut of a quote already
// posted), or the two overlap heavily. A longer text that adds a new fact to
// an old one is still news.
func (n *noveltyIndex) covers(text string) bool {
	if n == nil || len(n.raw) == 0 {
		return false
	}
	tk := n.tc.tok(text)
	if n.raw[tk.key()] {
		return true
	}
	set := map[string]bool{}
	for _, t := range tk.terms {
		set[t] = true
	}
	if len(set) < 3 {
		return false
	}
	for _, s := range n.said {
		inter := 0
		for t := range set {
			if s[t] {
				inter++
			}
		}
		union := len(set) + len(s) - inter
		if float64(inter) >= 0.8*float64(len(set)) || float64(inter) >= 0.6*float64(union) {
			return true
		}
	}
	return false
}

// coversQuote is covers for a quotation, which may also have been posted
// as a shorter or longer cut of the same words.
func (n *noveltyIndex) coversQuote(text string) bool {
	if n.covers(text) {
		return true
	}
	w := n.tc.tok(text).norm
	for _, s := range n.words {
		if len(s) >= 5 && quoteSame(w, s) {
			return true
		}
	}
	return false
}

// Said returns the texts of every bullet and quote in the briefing, in
// order: what a caller stores as history and passes back as Options.Said so
// the next briefing leaves them out.
func (b Briefing) Said() []string {
	var out []string
	for _, s := range b.Stories {
		for _, bl := range s.Bullets {
			out = append(out, bl.Text)
		}
		for _, q := range s.Quotes {
			out = append(out, strings.TrimSpace(q.Text))
		}
	}
	return out
}
