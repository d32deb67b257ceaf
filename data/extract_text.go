package data

import (
	"io"
	"strings"

	"golang.org/x/net/html"
)

// maxTextBytes caps the text taken from one page or feed item. A news
// article is under 50 kB of text; past this it is a dump, not a report, and
// the store and the briefing engine should not carry it.
const maxTextBytes = 256 << 10

// skippedTags are elements whose content is never article text: code,
// styling, embedded media, forms' controls, navigation and asides. Skipping
// them is also what keeps tracking pixels and scripts out of a briefing.
var skippedTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "iframe": true,
	"object": true, "embed": true, "svg": true, "math": true, "canvas": true,
	"video": true, "audio": true, "head": true, "title": true, "textarea": true,
	"select": true, "button": true, "nav": true, "footer": true, "aside": true,
	"header": true, "figcaption": true, "plaintext": true, "xmp": true, "noembed": true,
	"noframes": true, "map": true, "dialog": true, "picture": true,
}

// voidTags have no end tag, so entering one never starts a skipped subtree.
var voidTags = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true,
	"track": true, "wbr": true, "param": true,
}

// blockTags end the paragraph they interrupt.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"blockquote": true, "pre": true, "table": true, "thead": true, "tbody": true,
	"tfoot": true, "tr": true, "figure": true, "hr": true, "address": true,
	"details": true, "summary": true, "center": true, "body": true, "html": true,
	"caption": true, "fieldset": true, "legend": true,
}

// HTMLToText turns HTML (a feed item's content, an extracted article) into
// plain text with its paragraphs: every block element becomes a paragraph
// break, inline markup disappears, entities are decoded, and scripts,
// styles, hidden elements, images (tracking pixels among them) and embeds
// leave nothing behind. The result is normalized with NormalizeText. Text
// that carries no markup at all keeps its own line breaks.
func HTMLToText(s string) string {
	if !looksLikeHTML(s) {
		return NormalizeText(s)
	}
	return NormalizeText(htmlText(strings.NewReader(s), maxTextBytes))
}

// looksLikeHTML tells markup from plain text that merely mentions "<" or
// "&": a tag opening (letter, "/" or "!") or a character reference.
func looksLikeHTML(s string) bool {
	for i := 0; i < len(s)-1; i++ {
		switch s[i] {
		case '<':
			c := s[i+1]
			if c == '/' || c == '!' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				return true
			}
		case '&':
			end := strings.IndexByte(s[i:min(len(s), i+12)], ';')
			if end > 1 {
				return true
			}
		}
	}
	return false
}

// textWriter accumulates words and the breaks between them, writing a break
// only when more text follows, so no element leaves stray blank lines.
type textWriter struct {
	b         strings.Builder
	breakNext int // 0: none, 1: line break, 2: paragraph break
	spaceNext bool
	limit     int
}

func (w *textWriter) lineBreak(n int) {
	if n > w.breakNext {
		w.breakNext = n
	}
}

func (w *textWriter) full() bool { return w.b.Len() >= w.limit }

// word writes one piece of text without white space in it.
func (w *textWriter) word(s string) {
	if s == "" {
		return
	}
	if w.b.Len() > 0 {
		switch {
		case w.breakNext == 2:
			w.b.WriteString("\n\n")
		case w.breakNext == 1:
			w.b.WriteByte('\n')
		case w.spaceNext:
			w.b.WriteByte(' ')
		}
	}
	w.breakNext, w.spaceNext = 0, false
	w.b.WriteString(s)
}

// flow writes text whose white space is not significant.
func (w *textWriter) flow(s string) {
	start := -1
	for i, r := range s {
		if isHTMLSpace(r) {
			if start >= 0 {
				w.word(s[start:i])
				start = -1
			}
			w.spaceNext = true
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		w.word(s[start:])
	}
}

// preformatted writes text whose line breaks are kept.
func (w *textWriter) preformatted(s string) {
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.lineBreak(1)
		}
		w.flow(line)
	}
}

func isHTMLSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\u00a0':
		return true
	}
	return false
}

// hiddenAttrs reports whether the tag's attributes hide it from readers.
func hiddenAttrs(z *html.Tokenizer) bool {
	hidden := false
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "hidden":
			hidden = true
		case "aria-hidden":
			if strings.EqualFold(string(v), "true") {
				hidden = true
			}
		case "style":
			st := strings.ToLower(strings.Join(strings.Fields(string(v)), ""))
			if strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
				hidden = true
			}
		}
		if !more {
			return hidden
		}
	}
}

// htmlText streams r through the HTML tokenizer, so a page of any size is
// read in constant memory besides the text it yields (at most limit bytes,
// cut at a paragraph when possible).
func htmlText(r io.Reader, limit int) string {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(4 << 20)
	w := &textWriter{limit: limit}
	skipName, skipDepth := "", 0
	pre := 0
	for !w.full() {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return w.b.String()
		case html.TextToken:
			if skipDepth > 0 {
				continue
			}
			if pre > 0 {
				w.preformatted(string(z.Text()))
			} else {
				w.flow(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			nameB, hasAttr := z.TagName()
			name := string(nameB)
			if skipDepth > 0 {
				if name == skipName && tt == html.StartTagToken {
					skipDepth++
				}
				continue
			}
			hidden := hasAttr && hiddenAttrs(z)
			if skippedTags[name] || hidden {
				if tt == html.StartTagToken && !voidTags[name] {
					skipName, skipDepth = name, 1
				}
				continue
			}
			switch {
			case name == "br":
				w.lineBreak(1)
			case name == "td" || name == "th":
				w.spaceNext = true
			case blockTags[name]:
				w.lineBreak(2)
			}
			if name == "pre" && tt == html.StartTagToken {
				pre++
			}
		case html.EndTagToken:
			nameB, _ := z.TagName()
			name := string(nameB)
			if skipDepth > 0 {
				if name == skipName {
					skipDepth--
				}
				continue
			}
			if blockTags[name] {
				w.lineBreak(2)
			}
			if name == "pre" && pre > 0 {
				pre--
			}
		}
	}
	return cutAtParagraph(w.b.String(), limit)
}

// cutAtParagraph shortens text over limit bytes to its last whole paragraph
// within the limit (or the last whole word, for one huge paragraph).
func cutAtParagraph(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	s = strings.ToValidUTF8(s[:limit], "")
	if i := strings.LastIndex(s, "\n\n"); i > limit/2 {
		return s[:i]
	}
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}
