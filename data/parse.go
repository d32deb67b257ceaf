package data

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/itlightning/dateparse"
	"golang.org/x/text/encoding/charmap"
	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest article file ingested. Anything bigger is
// almost certainly not an article (a dump, a video, a database).
const MaxFileSize = 5 << 20

// Errors that explain why a file was not ingested.
var (
	ErrBinary      = errors.New("binary file, not text")
	ErrEmpty       = errors.New("empty file")
	ErrTooLarge    = fmt.Errorf("file over %d MB", MaxFileSize>>20)
	ErrEncoding    = errors.New("text in an unknown encoding: not UTF-8, UTF-16 or Windows-1252/Latin-1 (convert it to UTF-8)")
	ErrUnsupported = errors.New("unsupported file type (want .txt, .md, .json or .jsonl)")
	ErrNoBody      = errors.New("article has no body text")
)

// Formats lists the file name endings ParseFile understands.
var Formats = []string{".txt", ".md", ".markdown", ".json", ".jsonl", ".ndjson"}

// Supported reports whether ParseFile understands path's format.
func Supported(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return true
		}
	}
	return false
}

// ParseFile reads one article file. A .jsonl file may hold thousands of
// articles; a bad line is reported in the error while every good line is
// still returned, so one broken record never costs the rest.
func ParseFile(path string) ([]Article, error) {
	var arts []Article
	err := eachArticle(path, func(a Article) error {
		arts = append(arts, a)
		return nil
	})
	return arts, err
}

// eachArticle calls fn for every article in the file at path. JSON Lines
// files are streamed, a line at a time, so a corpus of any size is read in
// little memory; other files may be at most MaxFileSize.
func eachArticle(path string, fn func(Article) error) error {
	if !Supported(path) {
		return ErrUnsupported
	}
	f, err := openRegular(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if isJSONLines(path) {
		return parseJSONLines(f, fn)
	}
	raw, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if len(raw) > MaxFileSize {
		return ErrTooLarge
	}
	arts, err := Parse(filepath.Base(path), raw)
	for _, a := range arts {
		if ferr := fn(a); ferr != nil {
			return ferr
		}
	}
	return err
}

func isJSONLines(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".jsonl" || ext == ".ndjson"
}

// Parse reads articles from raw bytes, choosing the format by name's ending.
func Parse(name string, raw []byte) ([]Article, error) {
	text, err := decodeText(raw)
	if err != nil {
		return nil, err
	}
	var arts []Article
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt":
		arts, err = parseTxt(text)
	case ".md", ".markdown":
		arts, err = parseMarkdown(text)
	case ".json":
		arts, err = parseJSON(text)
	case ".jsonl", ".ndjson":
		err = parseJSONLines(strings.NewReader(text), func(a Article) error {
			arts = append(arts, a)
			return nil
		})
	default:
		return nil, ErrUnsupported
	}
	return arts, err
}

// decodeText turns raw bytes into a string, refusing what is not text.
func decodeText(raw []byte) (string, error) {
	switch {
	case len(bytes.TrimSpace(raw)) == 0:
		return "", ErrEmpty
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		raw = raw[3:]
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return decodeUTF16(raw)
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return "", ErrBinary
	}
	if !utf8.Valid(raw) {
		text, err := decodeNotUTF8(raw)
		if err != nil {
			return "", err
		}
		raw = []byte(text)
	}
	ctrl := 0
	for _, c := range raw {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x03 {
			ctrl++
		}
	}
	if ctrl*20 > len(raw) {
		return "", ErrBinary
	}
	return string(raw), nil
}

// decodeNotUTF8 reads text that is not valid UTF-8. Mostly UTF-8 with a
// few stray bytes (a file cut mid-character, a corrupted byte) stays UTF-8:
// NormalizeText replaces the strays. Otherwise it is taken as Windows-1252,
// the encoding of old Western European text files, which the web platform
// also uses for anything labelled ISO-8859-1 (WHATWG Encoding, "latin1"):
// accented letters there are single high bytes among ASCII letters. Text
// where high bytes are most of the letters (KOI8-R, Windows-1251, Shift JIS
// and the like) would be mojibake read that way, and is refused.
func decodeNotUTF8(raw []byte) (string, error) {
	multi, stray, high, letters := 0, 0, 0, 0
	for b := raw; len(b) > 0; {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			stray++
		case n > 1:
			multi++
		}
		b = b[n:]
	}
	if multi > 0 && stray <= multi && stray <= 16 {
		return string(raw), nil
	}
	for _, c := range raw {
		switch {
		case c >= 0x80:
			high++
			letters++
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			letters++
		}
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D: // unassigned in Windows-1252
			return "", ErrEncoding
		}
	}
	if high*3 > letters {
		return "", ErrEncoding
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", ErrEncoding
	}
	return string(text), nil
}

func decodeUTF16(raw []byte) (string, error) {
	if len(raw)%2 != 0 {
		return "", ErrEncoding
	}
	big := raw[0] == 0xFE
	u := make([]uint16, 0, len(raw)/2-1)
	for i := 2; i+1 < len(raw); i += 2 {
		if big {
			u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
		} else {
			u = append(u, uint16(raw[i+1])<<8|uint16(raw[i]))
		}
	}
	return string(utf16.Decode(u)), nil
}

// parseTxt reads the plain format: the first non-empty line is the title, the
// rest is the body.
func parseTxt(text string) ([]Article, error) {
	text = strings.TrimLeft(text, " \t\r\n")
	title, body, _ := strings.Cut(text, "\n")
	a, err := finish(Article{Title: title, Body: body})
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// frontMatter is the metadata block of a Markdown article.
type frontMatter struct {
	Title     string `yaml:"title"`
	Source    string `yaml:"source"`
	URL       string `yaml:"url"`
	Published string `yaml:"published"`
	Date      string `yaml:"date"`
	Author    string `yaml:"author"`
}

// parseMarkdown reads a Markdown article with an optional YAML front-matter
// block. Without a title in the front matter, the first heading or line is
// the title.
func parseMarkdown(text string) ([]Article, error) {
	var fm frontMatter
	body := text
	if rest, ok := strings.CutPrefix(strings.TrimLeft(text, "\r\n"), "---"); ok {
		rest = strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(rest, "\n") || strings.HasPrefix(rest, "\r\n") {
			block, after, found := cutLine(rest, "---")
			if !found {
				return nil, errors.New("front matter: no closing ---")
			}
			if err := yaml.Unmarshal([]byte(block), &fm); err != nil {
				return nil, fmt.Errorf("front matter: %w", err)
			}
			body = after
		}
	}
	if fm.Published == "" {
		fm.Published = fm.Date
	}
	body = stripMarkdown(body)
	if fm.Title == "" {
		body = strings.TrimLeft(body, " \t\r\n")
		fm.Title, body, _ = strings.Cut(body, "\n")
	}
	pub, err := parseTime(fm.Published)
	if err != nil {
		return nil, err
	}
	a, err := finish(Article{Title: fm.Title, Source: fm.Source, URL: fm.URL, Author: fm.Author, Published: pub, Body: body})
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// cutLine splits s at the first line that is exactly sep.
func cutLine(s, sep string) (before, after string, found bool) {
	off := 0
	for off < len(s) {
		end := strings.IndexByte(s[off:], '\n')
		line := s[off:]
		next := len(s)
		if end >= 0 {
			line = s[off : off+end]
			next = off + end + 1
		}
		if strings.TrimSpace(line) == sep {
			return s[:off], s[next:], true
		}
		off = next
	}
	return s, "", false
}

// stripMarkdown removes the Markdown markup that would otherwise show up as
// stray characters in a briefing: heading marks, emphasis, link syntax.
func stripMarkdown(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, "#") {
			lines[i] = strings.TrimLeft(t, "# ")
		}
	}
	s = strings.Join(lines, "\n")
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "").Replace(s)
	return s
}

// mdLink matches a Markdown link or image; its text is kept.
var mdLink = regexp.MustCompile(`!?\[([^\]\n]*)\]\([^)\s]*\)`)

// jsonArticle is the JSON shape of an article, the one of the corpora in
// ../shared/corpus and of most scrapers.
type jsonArticle struct {
	Title     string          `json:"title"`
	Body      string          `json:"body"`
	Text      string          `json:"text"`
	Content   string          `json:"content"`
	Source    string          `json:"source"`
	URL       string          `json:"url"`
	Link      string          `json:"link"`
	Published json.RawMessage `json:"published"`
	Author    string          `json:"author"`
}

func (j jsonArticle) article() (Article, error) {
	body := j.Body
	if body == "" {
		body = j.Text
	}
	if body == "" {
		body = j.Content
	}
	url := j.URL
	if url == "" {
		url = j.Link
	}
	var pub time.Time
	if len(j.Published) > 0 && string(j.Published) != "null" {
		var s string
		if err := json.Unmarshal(j.Published, &s); err != nil {
			var n int64
			if err := json.Unmarshal(j.Published, &n); err != nil {
				return Article{}, fmt.Errorf("published: want a date string or Unix seconds, got %s", j.Published)
			}
			pub = time.Unix(n, 0).UTC()
		} else if pub, err = parseTime(s); err != nil {
			return Article{}, err
		}
	}
	return finish(Article{Title: j.Title, Body: body, Source: j.Source, URL: url, Author: j.Author, Published: pub})
}

// parseJSON reads one article object or an array of them. In an array each
// element is read on its own, so one that is not an article (a string, a
// number, an object without a body) is named by its index and costs only
// itself.
func parseJSON(text string) ([]Article, error) {
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "[") {
		var list []json.RawMessage
		if err := json.Unmarshal([]byte(t), &list); err != nil {
			return nil, fmt.Errorf("json: %w", err)
		}
		var arts []Article
		var errs []error
		for i, raw := range list {
			a, err := articleFromJSON(raw)
			if err != nil {
				if len(errs) < maxBadLines {
					errs = append(errs, fmt.Errorf("index %d: %w", i, err))
				} else if len(errs) == maxBadLines {
					errs = append(errs, errors.New("and more bad elements"))
				}
				continue
			}
			arts = append(arts, a)
		}
		return arts, errors.Join(errs...)
	}
	a, err := articleFromJSON(json.RawMessage(t))
	if err != nil {
		return nil, err
	}
	return []Article{a}, nil
}

// articleFromJSON reads one JSON value as an article, saying what the value
// is when it is not an object.
func articleFromJSON(raw json.RawMessage) (Article, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] != '{' {
		return Article{}, fmt.Errorf("json: %s, not an article object", jsonKind(raw[0]))
	}
	var j jsonArticle
	if !decodeArticleJSON(raw, &j) {
		j = jsonArticle{}
		if err := json.Unmarshal(raw, &j); err != nil {
			return Article{}, fmt.Errorf("json: %w", err)
		}
	}
	return j.article()
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch {
	case c == '"':
		return "a string"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return "not JSON"
}

// maxBadLines is how many bad lines of a JSON Lines file are named one by
// one; more are counted.
const maxBadLines = 10

// parseJSONLines reads one article object a line, each line at most
// MaxFileSize. A bad line, a line over the limit included, is named by its
// number in the error and the rest still read; an error from fn stops the
// reading.
func parseJSONLines(r io.Reader, fn func(Article) error) error {
	var errs []error
	bad := 0
	fail := func(n int, err error) {
		if bad++; bad <= maxBadLines {
			errs = append(errs, fmt.Errorf("line %d: %w", n, err))
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for n := 1; ; n++ {
		line, tooLong, rerr := readLine(br, MaxFileSize, buf[:0])
		buf = line
		if rerr != nil && rerr != io.EOF {
			errs = append(errs, fmt.Errorf("line %d: read: %w", n, rerr))
			break
		}
		line = bytes.TrimSpace(line)
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte{0xEF, 0xBB, 0xBF})
			if bytes.IndexByte(line, 0) >= 0 {
				return ErrBinary
			}
		}
		switch {
		case tooLong:
			fail(n, fmt.Errorf("longer than %d MB: skipped", MaxFileSize>>20))
		case len(line) > 0:
			a, err := articleFromJSON(line)
			if err != nil {
				fail(n, err)
			} else if err := fn(a); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if bad > maxBadLines {
		errs = append(errs, fmt.Errorf("and %d more bad lines", bad-maxBadLines))
	}
	return errors.Join(errs...)
}

// readLine reads the next line into buf, without its newline. A line longer
// than max is read to its end and dropped (tooLong), never held in memory,
// so the line after it is read as usual. At the end of the input err is
// io.EOF, with the last line (if it had no newline) in line.
func readLine(r *bufio.Reader, max int, buf []byte) (line []byte, tooLong bool, err error) {
	for {
		frag, err := r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(frag) > max+1 {
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, frag...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimSuffix(buf, []byte{'\n'}), tooLong, err
	}
}

// parseTime accepts the date formats found in the wild (RFC 3339, RFC 1123,
// plain dates); an empty string is the zero time.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := dateparse.ParseIn(s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("published: cannot read date %q", s)
	}
	return t.UTC(), nil
}

// finish normalizes a parsed article and checks it has something to say.
func finish(a Article) (Article, error) {
	a.Title = collapseSpace(NormalizeText(a.Title))
	a.Body = NormalizeText(a.Body)
	a.Source = collapseSpace(NormalizeText(a.Source))
	a.Author = collapseSpace(NormalizeText(a.Author))
	a.URL = CleanLink(a.URL)
	if a.Body == "" {
		return Article{}, ErrNoBody
	}
	if a.Title == "" {
		a.Title = headline(a.Body)
	}
	return a, nil
}

// headline makes a title for an article that has none: its first line, cut
// at a word boundary.
func headline(body string) string {
	first, _, _ := strings.Cut(body, "\n")
	if utf8.RuneCountInString(first) <= 100 {
		return first
	}
	cut := first
	for i := range first {
		if i > 100 {
			cut = first[:i]
			break
		}
	}
	if sp := strings.LastIndexByte(cut, ' '); sp > 40 {
		cut = cut[:sp]
	}
	return cut + "…"
}
