package bot

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Discord's message limits. Going over any of them makes Discord answer 400
// and the message is lost, so every renderer in this package stays within
// them by construction.
const (
	limitContent     = 2000
	limitTitle       = 256
	limitDescription = 4096
	limitFields      = 25
	limitFieldName   = 256
	limitFieldValue  = 1024
	limitFooter      = 2048
	limitAuthor      = 256
	limitEmbedsTotal = 6000
	limitEmbeds      = 10
	// limitURL keeps links short enough that one long tracking URL cannot
	// crowd out the text; Discord itself rejects embed URLs past 2048.
	limitURL = 512
)

// dlen is a string's length as Discord counts it. Discord documents limits in
// characters; counting UTF-16 code units is never less than counting code
// points, so staying under it stays under either reading.
func dlen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func runeLen(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// markdownSpecial are the characters Discord markdown gives meaning to
// anywhere in a line; markdownLineStart are those that only mean something
// at the start of one (headings, lists, quotes, subtext). Escaping just these
// keeps article text from turning into formatting, links or mentions while
// sparing readers a backslash before every hyphen.
const (
	markdownSpecial   = "\\*_~`|[]<@"
	markdownLineStart = "#->"
)

// needsEscape reports whether r must be escaped; first says it starts the text.
func needsEscape(r rune, first bool) bool {
	return r < utf8.RuneSelf && (strings.ContainsRune(markdownSpecial, r) || first && strings.ContainsRune(markdownLineStart, r))
}

// clean collapses all whitespace (including newlines, which would start
// headings, quotes or lists) into single spaces and drops control characters.
func clean(s string) string {
	if cleanAlready(s) {
		return s
	}
	return cleanText(s)
}

// cleanText is clean without the check for text already clean.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), r == '\u200b', r == '\ufeff', isBidiControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cleanAlready reports text clean leaves as it is: printable ASCII, single
// spaces between words only (most titles and links; cleaning each of a
// story's hundreds of sources would otherwise copy it).
func cleanAlready(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// isBidiControl reports the invisible direction overrides and isolates
// (U+202A-U+202E, U+2066-U+2069) that make text display in another order
// than it reads, a way to disguise links and names.
func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// escape makes text render literally in Discord markdown. Its input should
// already be clean (single line).
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, r := range s {
		if needsEscape(r, i == 0) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escLen is the Discord length of r once escaped; first says it starts the
// text.
func escLen(r rune, first bool) int {
	if needsEscape(r, first) {
		return 2
	}
	return runeLen(r)
}

const ellipsis = "…"

// fit cleans and escapes plain text so that it is at most max long. Text that
// is too long is cut at the last sentence end that keeps at least half of the
// room, else at the last word boundary with an ellipsis; only a single word
// longer than max is cut inside the word.
func fit(plain string, max int) string {
	return fitText(plain, max, true)
}

// fitPlain is fit for the parts of an embed Discord shows as plain text
// (title, footer), where a backslash would show.
func fitPlain(plain string, max int) string {
	return fitText(plain, max, false)
}

func fitText(plain string, max int, esc bool) string {
	if max <= 0 {
		return ""
	}
	escape := escape
	if !esc {
		escape = func(s string) string { return s }
	}
	s := clean(plain)
	e := escape(s)
	if dlen(e) <= max {
		return e
	}
	// Walk the text once, remembering the escaped length of every prefix
	// that ends at a usable cut point.
	room := max - dlen(ellipsis)
	sentenceCut, wordCut, runeCut := -1, -1, -1
	n := 0
	var prev rune
	for i, r := range s {
		if r == ' ' {
			if n <= max && (prev == '.' || prev == '!' || prev == '?' || prev == '"' || prev == '”') && n*2 >= max {
				sentenceCut = i
			}
			if n <= room {
				wordCut = i
			}
		}
		if n <= room {
			runeCut = i
		}
		if esc {
			n += escLen(r, i == 0)
		} else {
			n += runeLen(r)
		}
		if n > max {
			break
		}
		prev = r
	}
	switch {
	case sentenceCut > 0 && sentenceEnds(s[:sentenceCut]):
		return escape(s[:sentenceCut])
	case wordCut > 0:
		return escape(strings.TrimRight(s[:wordCut], " ,;:-–—")) + ellipsis
	case runeCut > 0:
		return escape(s[:runeCut]) + ellipsis
	}
	if room >= 0 {
		return ellipsis
	}
	return ""
}

func sentenceEnds(s string) bool {
	s = strings.TrimRight(s, "\"”’'")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?")
}

// safeURL returns u fit to sit inside a markdown link or an embed URL, or ""
// when it is not an absolute http(s) URL of reasonable length.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || len(u) > limitURL {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	s := p.String()
	if len(s) > limitURL {
		return ""
	}
	return linkSafe.Replace(s)
}

// linkSafe encodes what would end or break a markdown link: parentheses and
// angle brackets.
var linkSafe = strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20")

// mdLink renders a markdown link whose label is already escaped; without a
// usable URL it is just the label.
func mdLink(label, rawURL string) string {
	if u := safeURL(rawURL); u != "" {
		return "[" + label + "](" + u + ")"
	}
	return label
}

var superDigits = []string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// superscript renders n ≥ 0 in superscript digits, the source markers.
func superscript(n int) string {
	if n < 10 {
		return superDigits[n]
	}
	return superscript(n/10) + superDigits[n%10]
}

// truncateContent cuts message content to Discord's limit at a line or word
// boundary. Content is built by the bot itself, so it is not escaped here.
func truncateContent(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if dlen(s) <= limitContent {
		return s
	}
	n, lastBreak := 0, -1
	for i, r := range s {
		n += runeLen(r)
		if n > limitContent-dlen(ellipsis) {
			break
		}
		if r == '\n' || r == ' ' {
			lastBreak = i
		}
	}
	if lastBreak <= 0 {
		lastBreak = 0
		n = 0
		for i, r := range s {
			if n+runeLen(r) > limitContent-dlen(ellipsis) {
				lastBreak = i
				break
			}
			n += runeLen(r)
		}
	}
	return s[:lastBreak] + ellipsis
}
