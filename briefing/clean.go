package briefing

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanDoc is one article after boilerplate removal: its paragraphs as
// sentences, and the outlet it is cited under.
type cleanDoc struct {
	art    Article
	outlet string // display name for citations
	key    string // outlet identity for counting distinct outlets
	title  string // headline without outlet suffixes and tickers
	paras  [][]string
}

// sents returns the document's sentences in reading order.
func (d *cleanDoc) sents() []string {
	var out []string
	for _, p := range d.paras {
		out = append(out, p...)
	}
	return out
}

// cleanBoilerplate matches sentences and lines that are about the page or the
// outlet rather than the news: prompts, calls to action, disclaimers and
// credits. Each pattern is specific enough not to fire on reporting about
// such things ("Millions sign up for insurance" is news; "Sign up for our
// newsletter" is not).
var cleanBoilerplate = []cleanRule{
	{[]string{"^manage"}, regexp.MustCompile(`(?i)^manage (your )?(account|subscription|preferences|cookies)\b`)},
	{[]string{"^sign", "^log", "^register", "^subscribe"}, regexp.MustCompile(`(?i)^(sign (up|in)|log ?in|register|subscribe)\b.*\b(newsletter|account|free|here|now|today|updates|alerts|email|inbox|continue|access)\b`)},
	{[]string{"sign up", "subscribe"}, regexp.MustCompile(`(?i)\b(sign up|subscribe) (for|to) (our|the|a free) .*(newsletter|alerts|briefing|updates|podcast|channel)`)},
	{[]string{"^already", "^create", "^you", "^this content"}, regexp.MustCompile(`(?i)^(already a subscriber|create (a |your )?(free )?account|you have reached|you've reached|this content is (only )?available)\b`)},
	{[]string{" us on"}, regexp.MustCompile(`(?i)\b(follow|join|like) us on\b`)},
	{[]string{"channel"}, regexp.MustCompile(`(?i)\b(whatsapp|telegram) channel\b`)},
	{[]string{"^click", "^tap"}, regexp.MustCompile(`(?i)^(click|tap) here\b`)},
	{[]string{"^read", "^see", "^watch", "^listen"}, regexp.MustCompile(`(?i)^(read|see|watch|listen)( more| also| next)?\s*:`)},
	{[]string{"^also", "^read", "^related", "^recommended", "^most read", "^trending"}, regexp.MustCompile(`(?i)^(also read|read more|related( articles| coverage| stories)?|recommended|most read|trending)\b\W*$`)},
	{[]string{"^download", "^get"}, regexp.MustCompile(`(?i)^(download|get) (our|the) (free )?app\b`)},
	{[]string{"not responsible"}, regexp.MustCompile(`(?i)\bis not responsible for (this|the) (news|content)\b`)},
	{[]string{"news agencies"}, regexp.MustCompile(`(?i)\bnews agencies have provided\b`)},
	{[]string{"^additional", "^contributing", "^reporting", "^writing", "^editing", "^compiled", "^produced"}, regexp.MustCompile(`(?i)^(additional )?(contributing|reporting|writing|editing|compiled|produced)( by)?\s*[:]`)},
	{[]string{"^additional", "^reporting", "^writing", "^editing", "^compiled", "^produced"}, regexp.MustCompile(`(?i)^(additional )?(reporting|writing|editing|compiled|produced) by [A-Z]`)},
	{[]string{"editing by"}, regexp.MustCompile(`(?i)\bediting by [A-Z]`)},
	{[]string{"appeared", "published"}, regexp.MustCompile(`(?i)\b(this|the) (article|story) (originally )?(first )?(appeared|was (originally )?published) (on|in)\b`)},
	{[]string{"^copyright", "^©"}, regexp.MustCompile(`(?i)^(copyright|©)\s*(\(c\)\s*)?\d{4}`)},
	{[]string{"rights reserved"}, regexp.MustCompile(`(?i)\ball rights reserved\b`)},
	{[]string{"^this"}, regexp.MustCompile(`(?i)^(this (story|article) has been (updated|corrected))\b`)},
	{[]string{"^advertisement", "^sponsored", "^image", "^media", "^getty", "^photo"}, regexp.MustCompile(`(?i)^(advertisement|sponsored( content)?|image caption|media caption|getty images|photo)\b\W*`)},
	{[]string{"commission"}, regexp.MustCompile(`(?i)\bwe (may )?earn (a )?commission\b`)},
	{[]string{"privacy", "terms of", "cookie"}, regexp.MustCompile(`(?i)\b(privacy policy|terms of (use|service)|cookie (policy|settings))\b`)},
	{[]string{"^share"}, regexp.MustCompile(`(?i)^share (this|on|via)\b`)},
	{[]string{"^get", "^stay"}, regexp.MustCompile(`(?i)^(get|stay) (the latest|up to date|informed)\b.*\b(news|updates|newsletter|inbox|app)\b`)},
	{[]string{"^reuter"}, regexp.MustCompile(`(?i)^reuters?\W*$`)},
	{[]string{"^by "}, regexp.MustCompile(`^(?i:by)\s+[A-Z][\p{L}.'’-]+(?:\s+[A-Z][\p{L}.'’-]+){0,3}(?:\s*,\s*[A-Z][\p{L}.'’&-]*(?:\s+[A-Z][\p{L}.'’&-]*){0,4}|\s+and\s+[A-Z]\S*(?:\s+[A-Z]\S*){0,3})?\.?$`)},
	{[]string{"^updated", "^published", "^posted", "^last updated"}, regexp.MustCompile(`(?i)^(last )?(updated|published|posted)( on)?:?\s+(\d|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b)`)},
	{[]string{"newsletter"}, regexp.MustCompile(`(?i)^(?:\S+\s+){0,14}\S*newsletters?\b(?:\s+\S+){0,14}$`)},
	{[]string{"^skip to", "^jump to"}, regexp.MustCompile(`(?i)^(skip|jump) to (main )?(content|navigation|comments)\b`)},
	{[]string{"^thank", "^thanks"}, regexp.MustCompile(`(?i)^thanks? (you )?for (reading|watching|listening|subscribing)\b`)},
	{[]string{"tip"}, regexp.MustCompile(`(?i)^(got|have|do you have|send us) a (news )?tip\b`)},
	{[]string{"^listen"}, regexp.MustCompile(`(?i)^listen( to)? (this )?(article|story)\b`)},
	{[]string{"read"}, regexp.MustCompile(`(?i)^\d+[- ]?min(ute)?s?\.? read\W*$`)},
	{[]string{"continues below"}, regexp.MustCompile(`(?i)\b(story|article) continues below\b`)},
	{[]string{"journalism"}, regexp.MustCompile(`(?i)\bsupport (our|independent|quality) journalism\b`)},
	{[]string{"^image source", "^image:", "^photo:"}, regexp.MustCompile(`(?i)^(image source|image|photo)\s*[:,]`)},
	{[]string{"javascript", "your browser"}, regexp.MustCompile(`(?i)\b(enable javascript|your browser does not support)\b`)},
	{[]string{"^join the"}, regexp.MustCompile(`(?i)^join the (conversation|discussion|debate)\b`)},
	{[]string{"photo", "image"}, regexp.MustCompile(`(?i)\((AP|AFP|Reuters|Getty|EPA|UPI)?\s*(photo|image)s?\b[^)]*\)\s*$`)},
	// A wire pick-up note ("Stepinac was, 5th graf, pvs."): where an
	// update rejoins the earlier version, words for editors, not readers.
	{[]string{"graf"}, regexp.MustCompile(`(?i)\b(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+graf\b`)},
}

// cleanRule is one boilerplate pattern with the literal hints that must be in
// the lower-cased text for it to match ("^x": the text starts with x). The
// hints let almost every news sentence skip the regular expressions.
type cleanRule struct {
	hints []string
	re    *regexp.Regexp
}

// cleanIsBoilerplate reports whether a sentence or line is boilerplate by the
// rules alone.
func cleanIsBoilerplate(s string) bool {
	s = strings.TrimSpace(s)
	// ASCII text (most) is lower-cased as the hints are looked for; only
	// other text needs strings.ToLower's copy (its rules for the rest of
	// Unicode, where "K" is "k").
	lower := s
	if !isASCII(s) {
		lower = strings.ToLower(s)
	}
	found := cleanHints.find(lower)
	for ri, r := range cleanBoilerplate {
		hit := found&cleanHints.rules[ri] != 0
		for _, h := range r.hints {
			if hit {
				break
			}
			hit = h[0] == '^' && hasPrefixLower(lower, h[1:])
		}
		if hit && r.re.MatchString(s) {
			return true
		}
	}
	return false
}

// cleanDateline matches wire datelines at the start of an article:
// "WASHINGTON (Reuters) -", "KYIV, Ukraine (AP) —", "LONDON, March 3 -".
// The city must be in capitals so "Officials - and staff - met" is kept.
var cleanDateline = regexp.MustCompile(`^[A-Z][A-Z.'’ -]{2,40}(?:,\s*[A-Za-z0-9. ]{2,30}?)?\s*(?:\((?:Reuters|REUTERS|AP|AFP|UPI|Bloomberg|dpa|PTI|IANS|ANI|Xinhua|CNN)\))?\s*[-—–]+\s+`)

// cleanStripDateline removes a leading wire dateline.
func cleanStripDateline(p string) string {
	// Without a capital first and a dash before a space, the expression
	// cannot match (most text; checking is far cheaper than matching).
	if p == "" || p[0] < 'A' || p[0] > 'Z' {
		return p
	}
	// Nor unless the two characters after the capital are of the place
	// name's (a mixed-case headline's second letter is lower case).
	for i, k := 1, 0; k < 2; k++ {
		r, n := utf8.DecodeRuneInString(p[i:])
		if !('A' <= r && r <= 'Z' || r == '.' || r == '\'' || r == '’' || r == ' ' || r == '-') {
			return p
		}
		i += n
	}
	if !cleanHasDashSpace(p) {
		return p
	}
	m := cleanDateline.FindString(p)
	if m == "" {
		return p
	}
	return strings.TrimSpace(p[len(m):])
}

// cleanHasDash is strings.ContainsAny(p, "-—–") by byte searches:
// ContainsAny with a dash beyond ASCII in its set decodes p rune by rune,
// the costliest step in cleaning a cited report's headline. A decoder
// resynchronises on every byte that can start a rune, so the dashes'
// bytes are found where their runes are, in valid UTF-8 or not
// (FuzzCleanTitleParts checks it).
func cleanHasDash(p string) bool {
	return strings.IndexByte(p, '-') >= 0 || strings.Contains(p, "—") || strings.Contains(p, "–")
}

// cleanHasDashSpace is whether p has a dash followed by a space as a
// regular expression's \s matches one, as every dateline ends ("LONDON
// (Reuters) - "): a headline's dashes are mostly inside words
// ("OWENS-CORNING", "ANTI-DUMPING"), which leave the dateline expression
// nothing to match, after the cost of trying. The dashes' bytes are found
// where their runes are, as in cleanHasDash (FuzzCleanTitleParts checks
// it against an expression).
func cleanHasDashSpace(p string) bool {
	// Each dash byte found by IndexByte, which skips the rest many bytes
	// at a time: a stored story cites thousands of headlines.
	for i := 0; ; i++ {
		k := strings.IndexByte(p[i:], '-')
		if k < 0 {
			break
		}
		i += k
		if i+1 < len(p) && cleanRE2Space(p[i+1]) {
			return true
		}
	}
	for i := 0; ; i++ {
		k := strings.IndexByte(p[i:], 0xe2)
		if k < 0 {
			return false
		}
		i += k
		if (strings.HasPrefix(p[i:], "—") || strings.HasPrefix(p[i:], "–")) && i+3 < len(p) && cleanRE2Space(p[i+3]) {
			return true
		}
	}
}

// cleanStripTrailer removes Reuters' sign-off ("REUTER", or "Reuter" as
// the old wire wrote it) from the end of a paragraph. "told Reuters" is news
// and stays.
func cleanStripTrailer(p string) string {
	t := strings.TrimRightFunc(p, unicode.IsSpace)
	for _, suf := range []string{"REUTERS", "REUTER", "Reuter"} {
		if !strings.HasSuffix(t, suf) {
			continue
		}
		before := t[:len(t)-len(suf)]
		if r, _ := utf8.DecodeLastRuneInString(before); before == "" || unicode.IsSpace(r) {
			return strings.TrimSpace(before)
		}
	}
	return p
}

// cleanTableLine spots a row of a table of figures: inner runs of spaces or a
// line that is mostly digits.
func cleanTableLine(line string) bool {
	t := strings.TrimSpace(line)
	if strings.Contains(t, "   ") || strings.Contains(t, "\t") {
		return true
	}
	var digits, letters int
	for i := 0; i < len(t); {
		// ASCII without unicode's tables, which say the same of it.
		if c := t[i]; c < utf8.RuneSelf {
			switch {
			case '0' <= c && c <= '9':
				digits++
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				letters++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			letters++
		}
		i += size
	}
	return digits > 0 && digits >= 2*letters
}

// cleanHasControl reports whether valid UTF-8 text s has a control
// character other than tab and newline: ASCII's (below space, and DEL) or
// Latin-1's (U+0080 to U+009F, C2 80 to C2 9F), the only ones
// unicode.IsControl knows. Most text has none, and then nothing need be
// removed rune by rune.
func cleanHasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' && c != '\t' && c != '\n', c == 0x7F:
			return true
		case c == 0xC2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F:
			return true
		}
	}
	return false
}

// cleanParagraphs splits a body into paragraphs. It understands three
// layouts: blank-line separated paragraphs (hard-wrapped lines inside are
// joined), one paragraph a line, and the old wire layout where a paragraph
// starts with an indented line and the rest are hard-wrapped.
func cleanParagraphs(body string) []string {
	body = strings.ToValidUTF8(body, "\uFFFD")
	if cleanHasControl(body) {
		body = strings.Map(func(r rune) rune {
			if r == '\r' {
				return -1
			}
			if r == '\t' || r == '\n' {
				return r
			}
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, body)
	}
	lines := strings.Split(body, "\n")
	indented, nonEmpty := 0, 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		nonEmpty++
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			indented++
		}
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
		}
		cur = nil
	}
	wire := indented >= 2 && indented*5 >= nonEmpty
	blank := false // a blank line since the last line kept
	last := ""     // that line
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			blank = true
			continue
		}
		if blank {
			// A paragraph break never falls inside a sentence: a line that
			// stops mid-sentence and a next one in lower case are one
			// sentence that a blank line cut ("... from the\n\nwithdrawal
			// of troops ...").
			if !(len(cur) > 0 && cleanCut(last, t)) {
				flush()
			}
			blank = false
		}
		if cleanTableLine(l) {
			flush()
			continue
		}
		switch {
		case len(cur) > 0 && cleanCut(last, t):
			// Mid-sentence: the line goes on whatever the layout says.
		case wire:
			if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
				flush()
			}
		case len(cur) > 0 && !cleanJoins(last, t):
			flush()
		}
		cur = append(cur, t)
		last = t
	}
	flush()
	return paras
}

// cleanJoins reports whether line next continues the hard-wrapped line prev:
// prev stops mid-sentence and next does not start a new one.
func cleanJoins(prev, next string) bool {
	prev = strings.TrimSpace(prev)
	if prev == "" || next == "" {
		return false
	}
	last, _ := cleanLastRune(prev)
	first, _ := utf8.DecodeRuneInString(next)
	if strings.ContainsRune(".!?:\"”’)", last) {
		return false
	}
	return unicode.IsLower(first) || strings.ContainsRune(",;-–—(", last) || unicode.IsDigit(first) && unicode.IsLower(last)
}

// cleanCut reports whether a line break between prev and next plainly
// cuts a sentence: prev stops without sentence punctuation on a word (not
// a heading's colon or a list's dash) and next goes on in lower case.
func cleanCut(prev, next string) bool {
	last, ok := cleanLastRune(strings.TrimSpace(prev))
	first, _ := utf8.DecodeRuneInString(next)
	return ok && (unicode.IsLetter(last) || unicode.IsDigit(last) || last == ',') && unicode.IsLower(first)
}

func cleanLastRune(s string) (rune, bool) {
	r, n := utf8.DecodeLastRuneInString(s)
	return r, n > 0
}

// cleanIsSubheading reports whether a paragraph is a bare subheading: a short
// line with no sentence punctuation at its end.
func cleanIsSubheading(p string) bool {
	p = strings.TrimSpace(p)
	n := fieldCount(p)
	if n == 0 || n > 14 {
		return false
	}
	last, _ := cleanLastRune(p)
	return !strings.ContainsRune(".!?\"”’)…", last)
}

// cleanNotResponsible and cleanAppearedOn read the outlet names out of
// syndication disclaimers, so an article with no outlet name is still cited
// by who published it.
var (
	cleanNotResponsible = regexp.MustCompile(`^(.{2,60}?) is not responsible for (this|the) (news|content)`)
	cleanAppearedOn     = regexp.MustCompile(`(?i)originally (?:appeared|was published) (?:on|in) ([^:.]{2,40}?)\s*(?::|\.|$)`)
	// The words each must find: cleanAppearedOn's in any case, and
	// without a k or an s, whose case folds include non-ASCII letters
	// (K, ſ), so an ASCII case-insensitive search finds every match.
	cleanNotResponsibleWords = " is not responsible for "
	cleanAppearedOnWord      = "originally"
)

// cleanHasFold reports whether s holds word (lower-case ASCII letters) in
// any ASCII case.
func cleanHasFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i]|0x20 == word[0] && strings.EqualFold(s[i:i+len(word)], word) {
			return true
		}
	}
	return false
}

// cleanArticle removes boilerplate from one article by the rules and works
// out the name to cite it under.
func cleanArticle(a Article) *cleanDoc {
	d := &cleanDoc{art: a}
	var republisher, origin string
	title := strings.TrimSpace(a.Title)
	first := true
	for _, p := range cleanParagraphs(a.Body) {
		if first {
			p = cleanStripDateline(p)
		}
		p = strings.TrimSpace(cleanStripTrailer(p))
		if p == "" {
			continue
		}
		// The expressions run only where their literal words are (most
		// paragraphs have neither).
		if republisher == "" && strings.Contains(p, cleanNotResponsibleWords) {
			if m := cleanNotResponsible.FindStringSubmatch(p); m != nil {
				republisher = strings.TrimSpace(m[1])
			}
		}
		if origin == "" && cleanHasFold(p, cleanAppearedOnWord) {
			if m := cleanAppearedOn.FindStringSubmatch(p); m != nil {
				origin = strings.TrimSpace(m[1])
			}
		}
		if cleanIsSubheading(p) || cleanIsBoilerplate(p) || strings.EqualFold(p, title) {
			continue
		}
		var kept []string
		for _, s := range Sentences(p) {
			s = strings.TrimSpace(s)
			if s == "" || cleanIsBoilerplate(s) || !cleanHasWords(s) {
				continue
			}
			kept = append(kept, s)
		}
		if len(kept) > 0 {
			d.paras = append(d.paras, kept)
			first = false
		}
	}
	d.outlet = cleanOutletName(a, republisher, origin)
	d.key = strings.ToLower(d.outlet)
	d.title = cleanTitle(title, d.outlet)
	return d
}

// cleanHasWords rejects fragments with no word in them ("--", "* * *").
func cleanHasWords(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// cleanOutletName picks the name to cite: the article's outlet (with the
// outlet it republishes, "USA TODAY via EMEA Tribune"), else the outlet
// named by a syndication disclaimer, else the URL host, else the title.
func cleanOutletName(a Article, republisher, origin string) string {
	if s := strings.TrimSpace(a.Source); s != "" {
		if origin != "" && !strings.EqualFold(origin, s) && !strings.Contains(strings.ToLower(s), strings.ToLower(origin)) {
			return origin + " via " + s
		}
		return s
	}
	switch {
	case origin != "" && republisher != "" && !strings.EqualFold(origin, republisher):
		return origin + " via " + republisher
	case republisher != "":
		return republisher
	case origin != "":
		return origin
	}
	if u, err := url.Parse(strings.TrimSpace(a.URL)); err == nil && u.Host != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	if t := strings.TrimSpace(a.Title); t != "" {
		return t
	}
	return "unknown source"
}

// cleanTicker matches stock tickers in wire headlines ("ARVIN INDS <ARV>").
var cleanTicker = regexp.MustCompile(`\s*<[A-Z0-9.]+>`)

// cleanTitle removes tickers, a wire dateline (a title made from the first
// line of a wire report starts with one), and a trailing " - Outlet" or
// " | Outlet".
func cleanTitle(title, outlet string) string {
	t := strings.TrimSpace(title)
	if strings.Contains(t, "<") {
		t = strings.TrimSpace(cleanStripTickers(t))
	}
	t = cleanStripDateline(t)
	for _, sep := range cleanTitleSeps {
		i := cleanLastSep(t, sep)
		if i <= 0 {
			continue
		}
		suffix := strings.TrimSpace(t[i+len(sep):])
		if strings.EqualFold(suffix, outlet) || cleanKnownOutlet(suffix) {
			t = strings.TrimSpace(t[:i])
		}
	}
	return cleanSpaces(t)
}

// cleanTitleSeps are what sets an outlet's name off the end of a headline.
var cleanTitleSeps = []string{" | ", " - ", " — ", " – "}

// cleanLastSep is strings.LastIndex(t, sep) for a separator of
// cleanTitleSeps. Most headlines hold none: a byte search for its mark
// ('|', '-', or the dashes' first byte) rules it out at a fraction of
// LastIndex's cost, which hashes the whole headline (a stored story cites
// thousands). FuzzCleanTitleParts keeps the two in step.
func cleanLastSep(t, sep string) int {
	if strings.IndexByte(t, sep[1]) < 0 {
		return -1
	}
	return strings.LastIndex(t, sep)
}

// cleanStripTickers is cleanTicker.ReplaceAllString(t, ""), without the
// regular expression: a stored story cites thousands of wire headlines,
// most with a ticker (FuzzCleanTitleParts keeps the two in step). A match
// is the whitespace before a '<', then upper-case letters, digits and dots,
// then '>'; matches are taken left to right, each after the last.
func cleanStripTickers(t string) string {
	var b strings.Builder
	from, done := 0, 0 // where the search goes on; what is written or cut
	for {
		j := strings.IndexByte(t[from:], '<')
		if j < 0 {
			break
		}
		lt := from + j
		k := lt + 1
		for k < len(t) && ('A' <= t[k] && t[k] <= 'Z' || '0' <= t[k] && t[k] <= '9' || t[k] == '.') {
			k++
		}
		if k == lt+1 || k == len(t) || t[k] != '>' {
			from = lt + 1
			continue
		}
		start := lt
		for start > done && cleanRE2Space(t[start-1]) {
			start--
		}
		b.WriteString(t[done:start])
		done, from = k+1, k+1
	}
	if done == 0 {
		return t
	}
	b.WriteString(t[done:])
	return b.String()
}

// cleanRE2Space is whether c is in a regular expression's \s: tab, newline,
// form feed, carriage return or space.
func cleanRE2Space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// cleanSpaces is strings.Join(strings.Fields(s), " "), returning s itself
// when it is so already: ASCII with single spaces between words.
func cleanSpaces(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
			c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

// cleanKnownOutlet lists the outlet suffixes most often appended to headlines.
func cleanKnownOutlet(s string) bool {
	switch strings.ToLower(s) {
	case "reuters", "ap", "ap news", "associated press", "afp", "bbc", "bbc news",
		"cnn", "the guardian", "guardian", "bloomberg", "usa today", "npr",
		"the new york times", "the washington post", "al jazeera", "fox news",
		"cbs news", "nbc news", "abc news", "politico", "axios", "the hill":
		return true
	}
	return false
}

// cleanRepeated finds the sentences that one outlet repeats across
// articles that are otherwise about different things: the same line in
// unrelated reports is the outlet's furniture, not news. Updates of one
// story by the same outlet share sentences legitimately and are left
// alone. outlets gives each article's outlet identity, keys the cleanKey
// of each of its sentences (which the facts stage reuses, factUnits), and
// sim the similarity of two articles by index. It returns, for each
// article, which sentences to drop (nil: none). Sentences are compared by
// their keys, so it is linear in the text.
func cleanRepeated(outlets []string, keys [][]uint64, sim func(i, j int) float64) (drop [][]bool) {
	// A line is an outlet (numbered) and a sentence's key.
	type line struct {
		outlet int32
		key    uint64
	}
	outletNo := map[string]int32{}
	lineOf := make([]int32, len(keys)) // each article's outlet number
	total := 0
	for i, ss := range keys {
		if len(ss) == 0 {
			continue
		}
		n, ok := outletNo[outlets[i]]
		if !ok {
			n = int32(len(outletNo))
			outletNo[outlets[i]] = n
		}
		lineOf[i] = n
		total += len(ss)
	}
	// The article each line occurs in first, and for the lines in more
	// than one, every article it occurs in, each once.
	first := make(map[line]int32, total)
	where := map[line][]int{}
	for i, ks := range keys {
		for _, k := range ks {
			if k == 0 {
				continue
			}
			l := line{lineOf[i], k}
			f, ok := first[l]
			if !ok {
				first[l] = int32(i)
				continue
			}
			if int(f) == i {
				continue
			}
			ds := where[l]
			if ds == nil {
				ds = []int{int(f)}
			}
			if ds[len(ds)-1] != i {
				where[l] = append(ds, i)
			}
		}
	}
	dropped := map[line]bool{}
	for l, ds := range where {
		// A line in many articles is compared on a bounded sample: a few
		// unrelated pairs already show it is furniture.
		ds = ds[:min(len(ds), 16)]
	pairs:
		for a := 0; a < len(ds); a++ {
			for b := a + 1; b < len(ds); b++ {
				if sim(ds[a], ds[b]) < 0.3 {
					dropped[l] = true
					break pairs
				}
			}
		}
	}
	drop = make([][]bool, len(keys))
	if len(dropped) == 0 {
		return drop
	}
	for i, ks := range keys {
		for j, k := range ks {
			if dropped[line{lineOf[i], k}] {
				if drop[i] == nil {
					drop[i] = make([]bool, len(ks))
				}
				drop[i][j] = true
			}
		}
	}
	return drop
}

// cleanKeyASCII maps an ASCII letter or digit to itself lower-cased, and
// any other ASCII byte to 0.
var cleanKeyASCII = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			t[c] = byte(c)
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c + 'a' - 'A')
		}
	}
	return t
}()

// cleanKey is a hash of a sentence's letters and digits, lower-cased, with
// quote styles and punctuation ignored (0 for a sentence with none): two
// sentences with the same key say the same words.
func cleanKey(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	n := 0
	space := false
	for i := 0; i < len(s); {
		// ASCII, nearly all of English news text, without decoding or the
		// Unicode tables: the same letters, digits and lower case as the
		// general path below (FuzzCleanKey keeps the two in step).
		r := rune(s[i])
		if r < utf8.RuneSelf {
			i++
			c := cleanKeyASCII[r]
			if c == 0 {
				space = true
				continue
			}
			if space && n > 0 {
				h = (h ^ ' ') * prime
			}
			space = false
			h = (h ^ uint64(c)) * prime
			n++
			continue
		}
		var size int
		r, size = utf8.DecodeRuneInString(s[i:])
		i += size
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = true
			continue
		}
		r = unicode.ToLower(r)
		if space && n > 0 {
			h = (h ^ ' ') * prime
		}
		space = false
		for r > 0 {
			h = (h ^ uint64(r&0xff)) * prime
			r >>= 8
		}
		n++
	}
	if n == 0 {
		return 0
	}
	return h
}
