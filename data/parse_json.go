package data

import (
	"encoding/json"
	"unicode/utf8"
)

// Reading an article object of a JSON Lines file without reflection.
//
// encoding/json decodes a line by reflection, after a first pass that
// checks the whole line: about half of reading an article file. Nearly
// every line is a flat object of strings (and an id or a time as a number)
// under jsonArticle's own names, which decodeArticleJSON reads in one pass.
// Anything else, and anything it is not sure of, it leaves to
// json.Unmarshal, which then decides, errors included: names other than
// exactly jsonArticle's that might still match one (encoding/json matches
// names without regard to case), a field that is not a string, nested
// values, escapes of UTF-16 surrogates, text that is not valid UTF-8, and
// every syntax error.

// decodeArticleJSON sets j from the object raw as json.Unmarshal(raw, j)
// does on a zero j, and reports true, when raw is a flat object it reads
// without doubt; else it reports false, and j is to be thrown away.
func decodeArticleJSON(raw []byte, j *jsonArticle) bool {
	d := jsonScan{b: raw}
	if !d.byte('{') {
		return false
	}
	if d.byte('}') {
		return d.end()
	}
	for {
		key, ok := d.key()
		if !ok || !d.byte(':') {
			return false
		}
		if dst := j.field(key); dst != nil {
			s, ok := d.str()
			if !ok {
				return false
			}
			*dst = s
		} else if key == "published" {
			v, ok := d.literal()
			if !ok {
				return false
			}
			// A copy, as json.RawMessage makes: raw is the reader's buffer.
			j.Published = append(json.RawMessage(nil), v...)
		} else {
			if !jsonUnknownName(key) {
				return false
			}
			if _, ok := d.literal(); !ok {
				return false
			}
		}
		if d.byte(',') {
			continue
		}
		return d.byte('}') && d.end()
	}
}

// field is the string field of j named exactly key, or nil.
func (j *jsonArticle) field(key string) *string {
	switch key {
	case "title":
		return &j.Title
	case "body":
		return &j.Body
	case "text":
		return &j.Text
	case "content":
		return &j.Content
	case "source":
		return &j.Source
	case "url":
		return &j.URL
	case "link":
		return &j.Link
	case "author":
		return &j.Author
	}
	return nil
}

// jsonArticleNames are jsonArticle's names, as its tags give them.
var jsonArticleNames = []string{"title", "body", "text", "content", "source", "url", "link", "published", "author"}

// jsonUnknownName reports whether encoding/json would certainly ignore a
// member named key (ASCII, no escapes): no name of jsonArticle's is key
// with the case of its letters changed.
func jsonUnknownName(key string) bool {
	for _, n := range jsonArticleNames {
		if len(n) != len(key) {
			continue
		}
		same := true
		for i := 0; i < len(n) && same; i++ {
			c := key[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			same = c == n[i]
		}
		if same {
			return false
		}
	}
	return true
}

// jsonScan reads raw JSON from the start; every method skips the white
// space before what it reads, and reports false when it finds something
// else (the reader is then of no more use).
type jsonScan struct {
	b []byte
	i int
}

func (d *jsonScan) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// byte reads c, if c is next.
func (d *jsonScan) byte(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether nothing but white space is left.
func (d *jsonScan) end() bool {
	d.space()
	return d.i == len(d.b)
}

// key reads a member's name: printable ASCII without escapes, the only
// names whose matching decodeArticleJSON knows without doubt.
func (d *jsonScan) key() (string, bool) {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", false
	}
	start := d.i + 1
	for k := start; k < len(d.b); k++ {
		switch c := d.b[k]; {
		case c == '"':
			d.i = k + 1
			return string(d.b[start:k]), true
		case c < ' ' || c == '\\' || c >= utf8.RuneSelf:
			return "", false
		}
	}
	return "", false
}

// str reads a string value, decoding its escapes.
func (d *jsonScan) str() (string, bool) {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", false
	}
	start := d.i + 1
	// Most strings have no escapes: the bytes are the value.
	k := start
	for k < len(d.b) {
		c := d.b[k]
		if c == '"' || c == '\\' || c < ' ' {
			break
		}
		k++
	}
	if k < len(d.b) && d.b[k] == '"' {
		if !utf8.Valid(d.b[start:k]) {
			return "", false
		}
		d.i = k + 1
		return string(d.b[start:k]), true
	}
	buf := make([]byte, 0, k-start+64)
	buf = append(buf, d.b[start:k]...)
	for k < len(d.b) {
		c := d.b[k]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", false
			}
			d.i = k + 1
			return string(buf), true
		case c < ' ':
			return "", false
		case c != '\\':
			buf = append(buf, c)
			k++
			continue
		}
		if k+1 >= len(d.b) {
			return "", false
		}
		switch e := d.b[k+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := jsonHex4(d.b[k+2:])
			if !ok || 0xD800 <= r && r < 0xE000 {
				return "", false // a surrogate: encoding/json pairs them
			}
			buf = utf8.AppendRune(buf, r)
			k += 4
		default:
			return "", false
		}
		k += 2
	}
	return "", false
}

// jsonHex4 reads the four hex digits of a \u escape.
func jsonHex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// literal reads a string or a number and returns it as written (the
// string's quotes included).
func (d *jsonScan) literal() ([]byte, bool) {
	d.space()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '"' {
		if _, ok := d.str(); !ok {
			return nil, false
		}
		return d.b[start:d.i], true
	}
	if !d.number() {
		return nil, false
	}
	return d.b[start:d.i], true
}

// number reads a number as JSON writes one:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *jsonScan) number() bool {
	b, i := d.b, d.i
	digits := func() bool {
		from := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > from
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		digits()
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	d.i = i
	return true
}
