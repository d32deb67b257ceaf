package briefing

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// words splits text into lower-case word tokens: letters and digits, with
// inner apostrophes, hyphens, dots and commas kept (so "U.S.", "cease-fire",
// "3.5" and "1,000" stay whole). Possessive "'s" is dropped.
func words(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		w := strings.Trim(b.String(), ".,'’-")
		b.Reset()
		if w == "" {
			return
		}
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" {
			out = append(out, w)
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '’' || r == '-' || r == '.' || r == ',') && b.Len() > 0:
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
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
// "US" meet.
func stem(w string) string {
	w = stemFolder.Replace(w)
	if w == "" {
		return w
	}
	return english.Stem(w, false)
}

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
