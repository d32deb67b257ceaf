package data

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// refParagraphs is paragraphs as first written, each paragraph a string
// of its own, collapsed with strings.Fields and joined: the reference the
// one-builder version must agree with.
func refParagraphs(s string) string {
	var paras []string
	for _, lines := range splitBlocks(s) {
		brk := breaks(lines)
		var cur strings.Builder
		flush := func() {
			if p := strings.Join(strings.Fields(cur.String()), " "); p != "" {
				paras = append(paras, p)
			}
			cur.Reset()
		}
		for i, line := range lines {
			if i > 0 {
				if brk(i) {
					flush()
				} else {
					cur.WriteByte(' ')
				}
			}
			cur.WriteString(line)
		}
		flush()
	}
	return strings.Join(paras, "\n\n")
}

var paragraphCases = []string{
	"", " ", "\n\n", "a", " a ", "a  b", "a\tb\u00a0c\u0085d\u2003e", "one\ntwo", "one\n\ntwo\n \nthree",
	"Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.\n    The dry period means the temporao will be late.",
	"Points made by the minister were these:\n- first point here today\n- second point here today",
	"short\n" + strings.Repeat("word ", 30), "x\xffy  \xc2\n z", "  \n a \n\n\n b  c \n",
}

// TestParagraphsAsJoined: paragraphs gives what making each paragraph a
// string and joining them gave, on edge cases and on the corpora's text.
func TestParagraphsAsJoined(t *testing.T) {
	for _, c := range paragraphCases {
		if got, want := paragraphs(c), refParagraphs(c); got != want {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
	eachCorpusLine(t, 3000, func(where, line string) {
		// The raw lines: JSON escapes and all, hard wraps and indented
		// paragraphs as \n in the text.
		text := strings.ReplaceAll(strings.ReplaceAll(line, `\n`, "\n"), `\t`, "\t")
		if got, want := paragraphs(text), refParagraphs(text); got != want {
			t.Fatalf("%s: %q, want %q", where, got, want)
		}
	})
}

// eachCorpusLine calls f with the first max lines of each corpus file
// (JSON Lines, one article a line) and where each is; a missing corpus
// is skipped.
func eachCorpusLine(t *testing.T, max int, f func(where, line string)) {
	for _, path := range []string{"../../shared/corpus/reuters21578.jsonl", "../../shared/corpus/bbc2225.jsonl"} {
		file, err := os.Open(path)
		if err != nil {
			t.Logf("%s: %v", path, err)
			continue
		}
		sc := bufio.NewScanner(file)
		sc.Buffer(nil, 1<<24)
		for n := 1; n <= max && sc.Scan(); n++ {
			f(fmt.Sprintf("%s line %d", path, n), sc.Text())
		}
		file.Close()
	}
}

func FuzzParagraphs(f *testing.F) {
	for _, c := range paragraphCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := paragraphs(s), refParagraphs(s); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}

// TestCollapseSpaceAsFields: collapseSpace is strings.Join(strings.Fields(s),
// " "), whether it returns s or a collapsed copy.
func TestCollapseSpaceAsFields(t *testing.T) {
	for _, c := range append(paragraphCases, "a b", "a b ", " a b", "a\u00a0b", "a\u0085", "\xff \xfe") {
		if got, want := collapseSpace(c), strings.Join(strings.Fields(c), " "); got != want {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
}

func FuzzCollapseSpace(f *testing.F) {
	for _, c := range paragraphCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}

// refNormalizeText is NormalizeText as first written: every rune mapped,
// each paragraph a string of its own.
func refNormalizeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return refParagraphs(norm.NFC.String(mapRunes(s)))
}

var normalizeCases = append(paragraphCases, "a\tb", "x\x7fy", "tab\tat\u00a0nbsp", "\ufeffbom", "e\u0301", "\x00\x01 ok ~", "line\x0bvt")

// TestNormalizeTextAsFirstWritten: NormalizeText, which skips mapping
// plain ASCII and writes lines already collapsed whole, gives what the
// first version gave, on edge cases and on the corpora.
func TestNormalizeTextAsFirstWritten(t *testing.T) {
	for _, c := range normalizeCases {
		if got, want := NormalizeText(c), refNormalizeText(c); got != want {
			t.Errorf("%q: %q, want %q", c, got, want)
		}
	}
	eachCorpusLine(t, 3000, func(where, line string) {
		text := strings.ReplaceAll(strings.ReplaceAll(line, `\n`, "\n"), `\t`, "\t")
		if got, want := NormalizeText(text), refNormalizeText(text); got != want {
			t.Fatalf("%s: %q, want %q", where, got, want)
		}
	})
}

func FuzzNormalizeTextAsFirstWritten(f *testing.F) {
	for _, c := range normalizeCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := NormalizeText(s), refNormalizeText(s); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	})
}
