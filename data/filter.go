package data

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Filter narrows the articles a schedule reads, as a server's admins typed
// it, like MonitoRSS's per-feed filters: words to include and to exclude,
// and outlets to allow or block. The zero Filter lets everything through.
//
// Include and Exclude are lists of words written the way search boxes take
// them: words separated by spaces or commas, "quoted phrases" matched
// exactly, a word ending in * matching any word it starts, and a leading -
// (or !) negating a term. A list matches an article when the article has at
// least one of its plain terms (or the list has none) and none of its
// negated ones. An article passes when Include matches it (or Include is
// empty) and Exclude does not; so "exclude: sport -olympics" drops sport
// unless it is about the Olympics. Words are matched whole, ignoring case,
// in the title and the text.
//
// Allow and Block are comma-separated outlets: a name ("BBC" matches "BBC
// News") or a web domain ("reuters.com" matches www.reuters.com). With Allow
// set only those outlets pass; Block drops its outlets.
type Filter struct {
	Include, Exclude string
	Allow, Block     string
}

// Limits on a filter, so a filter costs little to check on every article.
const (
	maxFilterText  = 500
	maxFilterTerms = 25
)

// IsZero reports whether the filter lets everything through.
func (f Filter) IsZero() bool {
	return strings.TrimSpace(f.Include+f.Exclude+f.Allow+f.Block) == ""
}

// String describes the filter for a reply, "" when it is empty.
func (f Filter) String() string {
	var parts []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, label+" "+v)
		}
	}
	add("include:", f.Include)
	add("exclude:", f.Exclude)
	add("outlets:", f.Allow)
	add("not from:", f.Block)
	return strings.Join(parts, " · ")
}

// Compile checks the filter and prepares it for matching. The error names
// the field and says what is wrong with it.
func (f Filter) Compile() (*Matcher, error) {
	if f.IsZero() {
		return nil, nil
	}
	var m Matcher
	var errs []error
	var err error
	if m.include, err = parseTerms(f.Include); err != nil {
		errs = append(errs, fmt.Errorf("include: %w", err))
	}
	if m.exclude, err = parseTerms(f.Exclude); err != nil {
		errs = append(errs, fmt.Errorf("exclude: %w", err))
	}
	if m.allow, err = parseOutlets(f.Allow); err != nil {
		errs = append(errs, fmt.Errorf("outlets: %w", err))
	}
	if m.block, err = parseOutlets(f.Block); err != nil {
		errs = append(errs, fmt.Errorf("not from: %w", err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &m, nil
}

// Matcher is a compiled Filter. A nil Matcher lets everything through.
type Matcher struct {
	include, exclude termList
	allow, block     []outletPattern
}

// Match reports whether an article passes the filter.
func (m *Matcher) Match(a Article) bool {
	if m == nil {
		return true
	}
	if len(m.allow) > 0 && !matchOutlets(m.allow, a) {
		return false
	}
	if len(m.block) > 0 && matchOutlets(m.block, a) {
		return false
	}
	if m.include.empty() && m.exclude.empty() {
		return true
	}
	text := wordText(a.Title + "\n" + a.Body)
	if !m.include.empty() && !m.include.matches(text) {
		return false
	}
	return m.exclude.empty() || !m.exclude.matches(text)
}

// term is one word or phrase, as space-separated lower-case words.
type term struct {
	words  string
	prefix bool // ends in *: the last word may go on
}

type termList struct{ plain, negated []term }

func (l termList) empty() bool { return len(l.plain) == 0 && len(l.negated) == 0 }

// matches: one plain term or none to need, and no negated term.
func (l termList) matches(text string) bool {
	for _, t := range l.negated {
		if t.in(text) {
			return false
		}
	}
	if len(l.plain) == 0 {
		return true
	}
	for _, t := range l.plain {
		if t.in(text) {
			return true
		}
	}
	return false
}

// in reports whether text (from wordText) holds the term as whole words.
func (t term) in(text string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], t.words)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(t.words)
		if (i == 0 || text[i-1] == ' ') && (t.prefix || end == len(text) || text[end] == ' ') {
			return true
		}
		from = i + 1
	}
}

// wordText is text reduced to its lower-case words separated by single
// spaces, the form terms are matched in.
func wordText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// parseTerms reads an include or exclude list.
func parseTerms(s string) (termList, error) {
	var l termList
	if utf8.RuneCountInString(s) > maxFilterText {
		return l, fmt.Errorf("longer than %d characters", maxFilterText)
	}
	if !utf8.ValidString(s) {
		return l, errors.New("not valid text")
	}
	s = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`).Replace(s)
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || r == ',' {
			i += size
			continue
		}
		neg := false
		if sign := r; sign == '-' || sign == '!' {
			neg = true
			i += size
			if i < len(s) {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
			if i >= len(s) || unicode.IsSpace(r) || r == ',' {
				return l, fmt.Errorf("%q negates nothing: put the word right after it, as in %crumor", string(sign), sign)
			}
		}
		var raw string
		quoted := r == '"'
		if quoted {
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return l, fmt.Errorf("the quote before %q is never closed", cutRunesPlain(s[i+1:], 30))
			}
			raw = s[i+1 : i+1+end]
			i += end + 2
		} else {
			end := strings.IndexFunc(s[i:], func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '"' })
			if end < 0 {
				end = len(s) - i
			}
			raw = s[i : i+end]
			i += end
		}
		t := term{}
		if quoted && strings.TrimSpace(raw) == "" {
			return l, errors.New(`an empty "" phrase: put words between the quotes`)
		}
		t.prefix = strings.HasSuffix(raw, "*")
		if t.words = wordText(strings.TrimRight(raw, "*")); t.words == "" {
			return l, fmt.Errorf("%q has no letters or digits to match", raw)
		}
		if n++; n > maxFilterTerms {
			return l, fmt.Errorf("more than %d words or phrases", maxFilterTerms)
		}
		if neg {
			l.negated = append(l.negated, t)
		} else {
			l.plain = append(l.plain, t)
		}
	}
	return l, nil
}

// outletPattern is one outlet of an allow or block list.
type outletPattern struct {
	name   string // words of the name, from wordText
	domain string // a web domain, lower case, when the entry is one
}

// parseOutlets reads a comma-separated outlet list.
func parseOutlets(s string) ([]outletPattern, error) {
	if utf8.RuneCountInString(s) > maxFilterText {
		return nil, fmt.Errorf("longer than %d characters", maxFilterText)
	}
	if !utf8.ValidString(s) {
		return nil, errors.New("not valid text")
	}
	var out []outletPattern
	for _, raw := range strings.Split(s, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if len(out) == maxFilterTerms {
			return nil, fmt.Errorf("more than %d outlets", maxFilterTerms)
		}
		if d := outletDomain(raw); d != "" {
			out = append(out, outletPattern{domain: d})
			continue
		}
		name := strings.TrimPrefix(wordText(raw), "the ")
		if name == "" {
			return nil, fmt.Errorf("%q is not an outlet name or web domain", raw)
		}
		out = append(out, outletPattern{name: name})
	}
	return out, nil
}

// outletDomain returns the host an entry names when it is a web domain or
// address ("reuters.com", "https://www.bbc.co.uk/news"), else "".
func outletDomain(raw string) string {
	if strings.ContainsAny(raw, " \t") || !strings.Contains(raw, ".") {
		return ""
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if !strings.Contains(h, ".") || strings.HasSuffix(h, ".") {
		return ""
	}
	return h
}

// matchOutlets reports whether an article comes from one of the outlets:
// its source name starts with the pattern's words, or its link is on the
// pattern's domain or below it.
func matchOutlets(ps []outletPattern, a Article) bool {
	src := strings.TrimPrefix(wordText(a.Source), "the ")
	host := ""
	if u, err := url.Parse(a.URL); err == nil {
		host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	for _, p := range ps {
		switch {
		case p.domain != "":
			if host != "" && (host == p.domain || strings.HasSuffix(host, "."+p.domain)) {
				return true
			}
		case src == p.name || strings.HasPrefix(src, p.name+" "):
			return true
		}
	}
	return false
}

// cutRunesPlain shortens s to n runes for an error message.
func cutRunesPlain(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
