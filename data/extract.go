package data

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// maxReadabilityElements is the largest page handed to readability. It
// builds the whole DOM and walks it several times, so a pathological page
// (hundreds of thousands of elements) would cost hundreds of megabytes;
// real article pages have a few thousand. Bigger pages get the streaming
// text extraction instead.
const maxReadabilityElements = 30000

// Page is what an article page yields: its text and what it says about
// itself.
type Page struct {
	Title     string
	SiteName  string
	Byline    string
	Canonical string    // the page's own canonical URL, when it names one on its site
	Published time.Time // zero when the page does not say
	Text      string    // plain text, paragraphs separated by blank lines
	// Note says what was unusual about the extraction ("cut off at 10 MB"),
	// for reports; empty when nothing was.
	Note string
}

// pageMeta is what a cheap streaming pass over a page finds: enough to
// decide how to extract it and to describe it when readability cannot.
type pageMeta struct {
	elements  int
	title     string
	canonical string
	ogURL     string
	siteName  string
	published string
	author    string
}

// ExtractPage extracts the article text and metadata from an HTML page
// fetched from pageURL. contentType is the response's Content-Type, used to
// decode pages that are not UTF-8.
func ExtractPage(body []byte, contentType string, pageURL *url.URL) (Page, error) {
	body, err := toUTF8(body, contentType)
	if err != nil {
		return Page{}, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	meta := scanPage(body)
	p := Page{
		Title:    collapseSpace(meta.title),
		SiteName: collapseSpace(meta.siteName),
		Byline:   collapseSpace(meta.author),
	}
	p.Canonical = sameSiteURL(pageURL, meta.canonical)
	if p.Canonical == "" {
		p.Canonical = sameSiteURL(pageURL, meta.ogURL)
	}
	if t, ok := parseMetaTime(meta.published); ok {
		p.Published = t
	}
	p.Title, p.SiteName, p.Byline = validText(p.Title), validText(p.SiteName), validText(p.Byline)
	if meta.elements > maxReadabilityElements {
		p.Text = NormalizeText(htmlText(bytes.NewReader(body), maxTextBytes))
		p.Note = fmt.Sprintf("page has %d elements: took its plain text without article extraction", meta.elements)
		return p, nil
	}
	art, err := readabilitySafe(body, pageURL)
	if err != nil {
		return p, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	if t := collapseSpace(art.Title()); t != "" {
		p.Title = t
	}
	if s := collapseSpace(art.SiteName()); s != "" {
		p.SiteName = s
	}
	if b := collapseSpace(art.Byline()); b != "" {
		p.Byline = b
	}
	if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
		p.Published = t.UTC()
	}
	p.Title, p.SiteName, p.Byline = validText(p.Title), validText(p.SiteName), validText(p.Byline)
	if art.Node != nil {
		var buf bytes.Buffer
		if err := html.Render(&buf, art.Node); err != nil {
			return p, fmt.Errorf("extract %s: %w", pageURL, err)
		}
		p.Text = dropLeadLines(NormalizeText(htmlText(&buf, maxTextBytes)), p.Title)
	}
	return p, nil
}

// dropLeadLines removes what readability leaves above the story: the
// headline repeated and a "By ..." byline line.
func dropLeadLines(text, title string) string {
	for range 2 {
		first, rest, ok := strings.Cut(text, "\n\n")
		if !ok {
			return text
		}
		isTitle := title != "" && strings.EqualFold(first, title)
		isByline := len(first) < 100 && (strings.HasPrefix(first, "By ") || strings.HasPrefix(first, "BY "))
		if !isTitle && !isByline {
			return text
		}
		text = rest
	}
	return text
}

// readabilitySafe runs readability, turning a panic into an error: it is a
// large port walking hostile input, and a panic in a feed poller's
// goroutine would take the whole bot down.
func readabilitySafe(body []byte, pageURL *url.URL) (art readability.Article, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("article extraction failed: %v", p)
		}
	}()
	return readability.FromReader(bytes.NewReader(body), pageURL)
}

// toUTF8 decodes a page in a legacy encoding (windows-1251, Shift JIS, ...)
// as declared by its Content-Type or <meta charset>.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	_, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" {
		return body, nil
	}
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, nil
}

// scanPage counts the elements of a page and reads its head metadata in
// one streaming pass.
func scanPage(body []byte) pageMeta {
	var m pageMeta
	z := html.NewTokenizer(bytes.NewReader(body))
	z.SetMaxBuf(4 << 20)
	inTitle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return m
		case html.TextToken:
			if inTitle && m.title == "" {
				m.title = string(z.Text())
			}
		case html.EndTagToken:
			inTitle = false
		case html.StartTagToken, html.SelfClosingTagToken:
			m.elements++
			name, hasAttr := z.TagName()
			switch string(name) {
			case "title":
				inTitle = tt == html.StartTagToken
			case "meta", "link":
				if !hasAttr {
					continue
				}
				attrs := tagAttrs(z)
				if string(name) == "link" {
					if strings.EqualFold(strings.TrimSpace(attrs["rel"]), "canonical") && m.canonical == "" {
						m.canonical = attrs["href"]
					}
					continue
				}
				key := strings.ToLower(attrs["property"])
				if key == "" {
					key = strings.ToLower(attrs["name"])
				}
				content := attrs["content"]
				switch key {
				case "og:url":
					setOnce(&m.ogURL, content)
				case "og:site_name":
					setOnce(&m.siteName, content)
				case "article:published_time", "date", "dc.date", "dcterms.created", "pubdate":
					setOnce(&m.published, content)
				case "author", "article:author":
					if !strings.Contains(content, "://") {
						setOnce(&m.author, content)
					}
				}
			}
		}
	}
}

// validText makes page metadata safe to store and show: valid UTF-8, one
// line, no control characters.
func validText(s string) string {
	return collapseSpace(NormalizeText(s))
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

// metaTimeLayouts are the forms article:published_time takes in practice.
var metaTimeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

func parseMetaTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range metaTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// sameSiteURL resolves ref against base and returns it when it stays on
// base's site ("www.", "amp." and "m." aside). A page naming a canonical URL
// on another site is not believed: that would let any page claim to be
// another outlet's article and suppress it as a duplicate.
func sameSiteURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ""
	}
	r, err := base.Parse(ref)
	if err != nil || (r.Scheme != "http" && r.Scheme != "https") {
		return ""
	}
	if siteHost(r.Hostname()) != siteHost(base.Hostname()) {
		return ""
	}
	return r.String()
}

func siteHost(h string) string {
	h = strings.ToLower(h)
	for _, p := range []string{"www.", "amp.", "m."} {
		h = strings.TrimPrefix(h, p)
	}
	return h
}

// feedTypes are the <link rel="alternate"> types that name a feed.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true,
	"application/feed+json": true, "application/json": true,
}

// discoverFeed finds the feed a web page names in its head, made absolute;
// "" when it names none.
func discoverFeed(body []byte, pageURL string) string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	z.SetMaxBuf(1 << 20)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "body" {
				return ""
			}
			if string(name) != "link" || !hasAttr {
				continue
			}
			attrs := tagAttrs(z)
			if strings.EqualFold(attrs["rel"], "alternate") && feedTypes[strings.ToLower(attrs["type"])] {
				if u, err := base.Parse(strings.TrimSpace(attrs["href"])); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
					return u.String()
				}
			}
		}
	}
}

// tagAttrs reads the current tag's attributes.
func tagAttrs(z *html.Tokenizer) map[string]string {
	attrs := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		attrs[string(k)] = string(v)
		if !more {
			return attrs
		}
	}
}
