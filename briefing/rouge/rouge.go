// Package rouge scores a summary against a reference the way the original
// Perl ROUGE-1.5.5 script does (no stemming, no stop-word removal), so that
// numbers measured in this project can be compared with published ones.
package rouge

import (
	"strconv"
	"strings"
)

// Score is one ROUGE measurement. F1 weighs recall and precision equally
// (ROUGE-1.5.5's default alpha of 0.5).
type Score struct {
	Recall    float64
	Precision float64
	F1        float64
}

// Tokens splits text into ROUGE-1.5.5 tokens: ASCII letters are lowered,
// every byte other than an ASCII letter, digit or hyphen separates tokens,
// hyphens stand alone, and only tokens that start with a lower-case letter or
// a digit are kept (so stand-alone hyphens are dropped). Perl reads bytes, so
// each byte of a non-ASCII character is a separator, as here.
func Tokens(text string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, strings.ToLower(text[start:end]))
			start = -1
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if isAlnum(c) {
			if start < 0 {
				start = i
			}
			continue
		}
		// A hyphen is padded with spaces and then fails the
		// [a-z0-9$] start test, so it acts as a plain separator.
		flush(i)
	}
	flush(len(text))
	return out
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// SentenceTokens tokenizes each sentence on its own, as ROUGE-L needs.
func SentenceTokens(sents []string) [][]string {
	out := make([][]string, len(sents))
	for i, s := range sents {
		out[i] = Tokens(s)
	}
	return out
}

// N returns ROUGE-N of a peer (system) token sequence against one model
// (reference) sequence. N-grams run across sentence boundaries and each
// n-gram's hits are clipped to its count in the model.
func N(peer, model []string, n int) Score {
	if n < 1 {
		return Score{}
	}
	pg := ngrams(peer, n)
	mg := ngrams(model, n)
	var hit int
	for g, mc := range mg {
		hit += min(mc, pg[g])
	}
	return score(hit, count(model, n), count(peer, n))
}

func count(toks []string, n int) int {
	return max(len(toks)-n+1, 0)
}

func ngrams(toks []string, n int) map[string]int {
	m := make(map[string]int, len(toks))
	for i := 0; i+n <= len(toks); i++ {
		m[strings.Join(toks[i:i+n], " ")]++
	}
	return m
}

func score(hit, modelCount, peerCount int) Score {
	var s Score
	if modelCount > 0 {
		s.Recall = float64(hit) / float64(modelCount)
	}
	if peerCount > 0 {
		s.Precision = float64(hit) / float64(peerCount)
	}
	if s.Recall+s.Precision > 0 {
		s.F1 = 2 * s.Recall * s.Precision / (s.Recall + s.Precision)
	}
	return s
}

// L returns summary-level ROUGE-L as ROUGE-1.5.5 computes it: for each model
// sentence, the union of its longest common subsequences with every peer
// sentence, with each word credited at most as often as it occurs in both
// texts. Recall is over model words, precision over peer words.
func L(peer, model [][]string) Score {
	peerLeft := map[string]int{}
	peerCount := 0
	for _, s := range peer {
		for _, t := range s {
			peerLeft[t]++
			peerCount++
		}
	}
	modelLeft := map[string]int{}
	modelCount := 0
	for _, s := range model {
		for _, t := range s {
			modelLeft[t]++
			modelCount++
		}
	}
	hit := 0
	for _, ms := range model {
		mask := make([]bool, len(ms))
		for _, ps := range peer {
			markLCS(ms, ps, mask)
		}
		for j, t := range ms {
			if mask[j] && modelLeft[t] > 0 && peerLeft[t] > 0 {
				hit++
				modelLeft[t]--
				peerLeft[t]--
			}
		}
	}
	return score(hit, modelCount, peerCount)
}

// markLCS marks in mask the model positions on one longest common
// subsequence of model and peer, breaking ties exactly as ROUGE-1.5.5 does
// (prefer dropping a model word over dropping a peer word), since the union
// over peer sentences depends on which subsequence is chosen.
func markLCS(model, peer []string, mask []bool) {
	m, n := len(model), len(peer)
	if m == 0 || n == 0 {
		return
	}
	const (
		diag = iota + 1
		up
		left
	)
	w := n + 1
	c := make([]int32, (m+1)*w)
	b := make([]uint8, (m+1)*w)
	for i := 1; i <= m; i++ {
		for j := 1; j <= n; j++ {
			switch {
			case model[i-1] == peer[j-1]:
				c[i*w+j] = c[(i-1)*w+j-1] + 1
				b[i*w+j] = diag
			case c[(i-1)*w+j] >= c[i*w+j-1]:
				c[i*w+j] = c[(i-1)*w+j]
				b[i*w+j] = up
			default:
				c[i*w+j] = c[i*w+j-1]
				b[i*w+j] = left
			}
		}
	}
	for i, j := m, n; i > 0 && j > 0; {
		switch b[i*w+j] {
		case diag:
			i--
			j--
			mask[i] = true
		case up:
			i--
		default:
			j--
		}
	}
}

// Rounded returns the score as ROUGE-1.5.5 reports it: recall and precision
// rounded to five decimals, and F1 computed from those rounded values and
// rounded again. Use it to compare with numbers the Perl script printed.
func (s Score) Rounded() Score {
	r, p := round5(s.Recall), round5(s.Precision)
	var f float64
	if r+p > 0 {
		f = round5(p * r / (0.5*p + 0.5*r))
	}
	return Score{Recall: r, Precision: p, F1: f}
}

// round5 rounds like C's printf("%.5f"), which Perl uses: on the exact
// binary value, halves to even (0.640625 becomes 0.64062).
func round5(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 5, 64), 64)
	return v
}
