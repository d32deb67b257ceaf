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
	asFirst(t, paragraphCases, 3000, rawLine, paragraphs, refParagraphs, sameString)
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
	fuzzAsFirst(f, paragraphCases, paragraphs, refParagraphs, sameString)
}

// TestCollapseSpaceAsFields: collapseSpace is strings.Join(strings.Fields(s),
// " "), whether it returns s or a collapsed copy.
func TestCollapseSpaceAsFields(t *testing.T) {
	cases := append(paragraphCases, "a b", "a b ", " a b", "a\u00a0b", "a\u0085", "\xff \xfe")
	asFirst(t, cases, 0, nil, collapseSpace, joinFields, sameString)
}

// joinFields is what collapseSpace was first: strings.Join(strings.Fields(s), " ").
func joinFields(s string) string { return strings.Join(strings.Fields(s), " ") }

func FuzzCollapseSpace(f *testing.F) {
	fuzzAsFirst(f, paragraphCases, collapseSpace, joinFields, sameString)
}

// refNormalizeText is NormalizeText as first written: every rune mapped,
// each paragraph a string of its own.
func refNormalizeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return refParagraphs(norm.NFC.String(refMapRunes(s)))
}

// refMapRunes is mapRunes as first written: strings.Map, calling the
// mapping for every rune.
func refMapRunes(s string) string {
	return strings.Map(mapRune, s)
}

var mapRunesCases = append(normalizeCases, "", "plain", "\t", "a\u202ab\u2069c\u200bd\ufeff", "\u00a0\u2028\u2029x", "é\x85\u0080",
	"\xff bad \xc3", "\ufffd kept", "\x1f\x7f\u009f", "日本\t語")

// TestMapRunesAsMap: mapRunes, which passes over printable ASCII and
// copies only when a rune changes, maps as strings.Map did, on edge cases
// (invalid UTF-8 included, which NormalizeText never gives it) and on the
// corpora.
func TestMapRunesAsMap(t *testing.T) {
	asFirst(t, mapRunesCases, 3000, rawLine, mapRunes, refMapRunes, sameString)
}

func FuzzMapRunes(f *testing.F) {
	fuzzAsFirst(f, mapRunesCases, mapRunes, refMapRunes, sameString)
}

var normalizeCases = append(paragraphCases, "a\tb", "x\x7fy", "tab\tat\u00a0nbsp", "\ufeffbom", "e\u0301", "\x00\x01 ok ~", "line\x0bvt")

// TestNormalizeTextAsFirstWritten: NormalizeText, which skips mapping
// plain ASCII and writes lines already collapsed whole, gives what the
// first version gave, on edge cases and on the corpora.
func TestNormalizeTextAsFirstWritten(t *testing.T) {
	asFirst(t, normalizeCases, 3000, rawLine, NormalizeText, refNormalizeText, sameString)
}

func FuzzNormalizeTextAsFirstWritten(f *testing.F) {
	fuzzAsFirst(f, normalizeCases, NormalizeText, refNormalizeText, sameString)
}
