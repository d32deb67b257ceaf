package data

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"inline markup", "<p>The <b>council</b> voted <a href='x'>7-2</a>.</p>", "The council voted 7-2."},
		{"no space added inside words", "<p>un<i>believ</i>able</p>", "unbelievable"},
		{"entities", "<p>Fish &amp; chips &mdash; &#8220;fresh&#8221;&nbsp;daily</p>", "Fish & chips — “fresh” daily"},
		{"script and style", "<p>Before</p><script>var x = '<p>SCRIPT</p>';</script><style>p{color:red}</style><p>After</p>", "Before\n\nAfter"},
		{"tracking pixel", `<p>Text<img src="https://t.example/p.gif" width="1" height="1" alt="PIXEL"></p>`, "Text"},
		{"hidden", `<p>Shown</p><div style="display: none">HIDDEN</div><span hidden>H2</span><p aria-hidden="true">H3</p>`, "Shown"},
		{"noscript and iframe", `<p>A</p><noscript><img src=x alt=NS></noscript><iframe src="ad">IF</iframe><p>B</p>`, "A\n\nB"},
		{"nav aside footer", `<nav>Home | Sport</nav><p>Story.</p><aside>Related</aside><footer>(c) Outlet</footer>`, "Story."},
		{"list items", "<ul><li>First</li><li>Second</li></ul>", "First\n\nSecond"},
		{"headings", "<h2>Heading</h2>Text after", "Heading\n\nText after"},
		{"div soup", "<div><div>A</div><div>B <span>C</span></div></div>", "A\n\nB C"},
		{"whitespace collapsed", "<p>  lots\n\tof   space  </p>", "lots of space"},
		{"comment", "<p>A<!-- <p>secret</p> -->B</p>", "AB"},
		{"unclosed tags", "<p>One<p>Two<div>Three", "One\n\nTwo\n\nThree"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\n\nc"},
		{"plain text keeps paragraphs", "First paragraph.\n\nSecond paragraph.", "First paragraph.\n\nSecond paragraph."},
		{"plain text with less-than", "Prices rose 3 < 4 percent.", "Prices rose 3 < 4 percent."},
		{"nested hidden", `<div hidden><div>X</div>Y</div>Z`, "Z"},
		{"figcaption", `<figure><img src=a><figcaption>Photo: Agency</figcaption></figure><p>Body</p>`, "Body"},
		{"empty", "", ""},
		{"only markup", "<div><img src=x></div>", ""},
	}
	for _, tt := range tests {
		if got := HTMLToText(tt.in); got != tt.want {
			t.Errorf("%s: HTMLToText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestHTMLTextLineBreaks checks the line breaks the sanitizer itself makes;
// whether NormalizeText then joins short lines as hard-wrapped text is its
// own business.
func TestHTMLTextLineBreaks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Line one<br>Line two<br/>", "Line one\nLine two"},
		{"<pre>line 1\n  line 2</pre>after", "line 1\nline 2\n\nafter"},
		{"<p>a</p><br><p>b</p>", "a\n\nb"},
	}
	for _, tt := range tests {
		if got := htmlText(strings.NewReader(tt.in), maxTextBytes); got != tt.want {
			t.Errorf("htmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTMLToTextLimit(t *testing.T) {
	para := "<p>" + strings.Repeat("word ", 1000) + "</p>"
	out := HTMLToText(strings.Repeat(para, 200))
	if len(out) > maxTextBytes || len(out) < maxTextBytes/2 {
		t.Errorf("1 MB of paragraphs gave %d bytes of text, want at most %d", len(out), maxTextBytes)
	}
	if !strings.HasSuffix(out, "word") {
		t.Errorf("cut mid-word: %q", out[len(out)-20:])
	}
}

func FuzzHTMLToText(f *testing.F) {
	seeds := []string{
		"<p>One.</p><p>Two &amp; three</p>",
		"<script>alert(1)</script><p>x</p>",
		"<div hidden><p>a</div></p>b",
		"<pre>a\n b</pre><br><br/>",
		"<p style='display:none'>h</p><!-- c --><![CDATA[x]]>",
		"plain\n\ntext < with & odd <<chars>>",
		"<table><tr><td>1<td>2</table>",
		"<svg><text>no</text></svg><math>x</math><template><p>t</p></template>",
		"<p>\x00\xff\xfe invalid</p>",
		"<plaintext><p>raw",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	const marker = "SECRETSCRIPTMARKER"
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLToText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("untrimmed output %q", out)
		}
		if strings.Contains(out, "\n\n\n") {
			t.Fatalf("more than one blank line between paragraphs in %q", out)
		}
		for _, r := range out {
			if r != '\n' && r < 0x20 {
				t.Fatalf("control character %U in output %q", r, out)
			}
		}
		if len(out) > maxTextBytes+len(s) {
			t.Fatalf("output of %d bytes from %d bytes of input", len(out), len(s))
		}
		// Whatever came before, a script after a closed element never
		// reaches the text.
		if !strings.Contains(s, marker) {
			doc := "<p>" + s + "</p></div></pre></textarea>--><script>" + marker + "</script>"
			if strings.Contains(HTMLToText(doc), marker) {
				t.Fatalf("script content leaked after %q", s)
			}
		}
	})
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(b), "{{BASE}}", "https://www.harbor.example"))
}

func TestExtractPage(t *testing.T) {
	u, _ := url.Parse("https://www.harbor.example/articles/ferry-terminal.html?utm_source=x")
	p, err := ExtractPage(readFixture(t, "articles/ferry-terminal.html"), "text/html", u)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Port Ellery council approves new ferry terminal" || p.SiteName != "Harbor Gazette" || p.Byline == "" {
		t.Errorf("metadata: %+v", p)
	}
	if p.Canonical != "https://www.harbor.example/articles/ferry-terminal.html" {
		t.Errorf("canonical %q", p.Canonical)
	}
	if p.Published.IsZero() || p.Published.Format("2006-01-02T15:04") != "2026-11-02T09:10" {
		t.Errorf("published %v", p.Published)
	}
	if !strings.HasPrefix(p.Text, "The Port Ellery town council voted 7-2") || strings.Contains(p.Text, "Advertisement") {
		t.Errorf("text:\n%s", p.Text)
	}
}

func TestExtractPageCanonicalOnAnotherSiteIgnored(t *testing.T) {
	u, _ := url.Parse("https://harbor.example/a")
	page := `<html><head><link rel="canonical" href="https://rival.example/their-story"><meta property="og:url" content="/a-canonical"></head>` +
		`<body><article><p>` + strings.Repeat("A sentence about the harbor. ", 40) + `</p></article></body></html>`
	p, err := ExtractPage([]byte(page), "text/html", u)
	if err != nil {
		t.Fatal(err)
	}
	if p.Canonical != "https://harbor.example/a-canonical" {
		t.Errorf("canonical %q: want the same-site og:url, not the other site's link", p.Canonical)
	}
}

func TestExtractPageLegacyCharset(t *testing.T) {
	u, _ := url.Parse("https://vesti.example/a")
	// "Новости" in windows-1251.
	title := []byte{0xCD, 0xEE, 0xE2, 0xEE, 0xF1, 0xF2, 0xE8}
	body := append([]byte("<html><head><title>"), title...)
	body = append(body, []byte("</title></head><body><article><p>"+strings.Repeat("Text text text. ", 50)+"</p></article></body></html>")...)
	p, err := ExtractPage(body, "text/html; charset=windows-1251", u)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Новости" {
		t.Errorf("title %q, want it decoded from windows-1251", p.Title)
	}
}

func TestExtractPageTooManyElementsStreams(t *testing.T) {
	u, _ := url.Parse("https://big.example/a")
	var b strings.Builder
	b.WriteString("<html><head><title>Big</title><meta property=\"og:site_name\" content=\"Big Site\"></head><body><nav>Menu</nav>")
	for range maxReadabilityElements + 10 {
		b.WriteString("<p>Row of text.</p>")
	}
	b.WriteString("</body></html>")
	p, err := ExtractPage([]byte(b.String()), "text/html", u)
	if err != nil {
		t.Fatal(err)
	}
	if p.Note == "" || p.Title != "Big" || p.SiteName != "Big Site" || !strings.HasPrefix(p.Text, "Row of text.") || strings.Contains(p.Text, "Menu") {
		t.Errorf("streamed extraction: note %q title %q site %q text %q...", p.Note, p.Title, p.SiteName, p.Text[:min(len(p.Text), 40)])
	}
}

func TestDiscoverFeed(t *testing.T) {
	tests := []struct{ page, want string }{
		{`<head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>`, "https://site.example/rss.xml"},
		{`<head><link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/atom+xml" href="https://feeds.site.example/atom"></head>`, "https://feeds.site.example/atom"},
		{`<head><link rel="alternate" type="text/html" hreflang="de" href="/de"></head>`, ""},
		{`<head></head><body><link rel="alternate" type="application/rss+xml" href="/late.xml"></body>`, ""},
		{`<head><link rel="alternate" type="application/rss+xml" href="javascript:x"></head>`, ""},
	}
	for _, tt := range tests {
		if got := discoverFeed([]byte(tt.page), "https://site.example/section/"); got != tt.want {
			t.Errorf("discoverFeed(%q) = %q, want %q", tt.page, got, tt.want)
		}
	}
}

func BenchmarkExtractPage(b *testing.B) {
	page := readFixture(b, "articles/ferry-terminal.html")
	u, _ := url.Parse("https://www.harbor.example/articles/ferry-terminal.html")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ExtractPage(page, "text/html", u); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHTMLToText(b *testing.B) {
	doc := strings.Repeat("<p>The council <b>met</b> on Monday &amp; voted.</p><script>x()</script>", 2000)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		HTMLToText(doc)
	}
}

// BenchmarkExtractPageLarge is a page just under the readability limit:
// what the slowest page a feed can link costs.
func BenchmarkExtractPageLarge(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<html><head><title>Large</title></head><body><article>")
	for i := 0; i < maxReadabilityElements/3-10; i++ {
		sb.WriteString(`<div class="para"><p>The harbor commission met again and discussed <a href="/x">the dredging plan</a> at length.</p></div>`)
	}
	sb.WriteString("</article></body></html>")
	page := []byte(sb.String())
	u, _ := url.Parse("https://large.example/a")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ExtractPage(page, "text/html", u); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzExtractPage(f *testing.F) {
	f.Add([]byte("<html><head><title>T</title><link rel=canonical href=/c></head><body><article><p>Text.</p></article></body></html>"), "text/html")
	f.Add([]byte(`<meta charset="windows-1251"><p>\xcd\xee</p>`), "text/html")
	f.Add([]byte(`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"x"}</script><p>a</p>`), "")
	f.Add([]byte("<table><tr><td><div><p>nested</table></div>"), "text/html; charset=utf-8")
	u, _ := url.Parse("https://fuzz.example/a/b")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		p, err := ExtractPage(body, ct, u)
		if err != nil {
			return
		}
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Title) || !utf8.ValidString(p.SiteName) || !utf8.ValidString(p.Byline) || len(p.Text) > maxTextBytes {
			t.Fatalf("bad page: title %q, %d bytes of text", p.Title, len(p.Text))
		}
		if c, err := url.Parse(p.Canonical); p.Canonical != "" && (err != nil || siteHost(c.Hostname()) != "fuzz.example") {
			t.Fatalf("canonical on another site: %q", p.Canonical)
		}
	})
}
