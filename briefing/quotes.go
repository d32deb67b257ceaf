package briefing

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteSpan is one direct quotation found in a paragraph.
type quoteSpan struct {
	start, end int // byte offsets of the quoted text inside the paragraph (without marks)
	text       string
	speaker    string // as written: "Witkoff", "he", "the envoy"; empty when unattributed
}

// quoteFindSpans finds the text between double quotation marks, straight or
// curly. An opening mark without a close ends the search: the rest of the
// paragraph cannot be paired reliably.
func quoteFindSpans(p string) []quoteSpan {
	var out []quoteSpan
	i := 0
	for i < len(p) {
		j := quoteMarkIndex(p[i:])
		if j < 0 {
			break
		}
		open := i + j
		_, w := quoteDecodeRune(p[open:])
		k := quoteMarkIndex(p[open+w:])
		if k < 0 {
			break
		}
		closeAt := open + w + k
		_, cw := quoteDecodeRune(p[closeAt:])
		out = append(out, quoteSpan{start: open + w, end: closeAt, text: p[open+w : closeAt]})
		i = closeAt + cw
	}
	return out
}

// quoteMarkIndex is strings.IndexAny(s, "\"“”"), the first quotation
// mark, found byte by byte: IndexAny decodes every rune of s and searches
// the set for it when the set is not ASCII, and this search runs over every
// paragraph. A '"' byte is always a character of its own, and the lead
// byte of “ and ” never continues another character, so the bytes of a
// mark are one wherever they are.
func quoteMarkIndex(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return i
		case 0xE2: // “ is E2 80 9C, ” E2 80 9D
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x9C || s[i+2] == 0x9D) {
				return i
			}
		}
	}
	return -1
}

func quoteDecodeRune(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	return utf8.DecodeRuneInString(s)
}

// quoteVerbs are the speech verbs that attribute a quotation.
const quoteVerbs = `said|says|told|tells|added|adds|stated|states|wrote|writes|explained|insisted|warned|noted|declared|asked|argued|continued|replied|recalled`

// quoteWho matches a speaker: a run of capitalized names (with initials and
// hyphens), a pronoun, or "the" plus a role noun ("the envoy").
const quoteWho = `(\b(?:(?:[A-Z][\p{L}.'’-]*\s+){0,3}[A-Z][\p{L}'’-]+|[Hh]e|[Ss]he|[Tt]he\s+(?:[a-z]+\s+){0,2}[a-z]+))`

var (
	// `"...," Witkoff said` and `"...," said Witkoff`.
	quoteAfterWhoVerb = regexp.MustCompile(`^\s*[,.]?\s*` + quoteWho + `\s+(?:` + quoteVerbs + `)\b`)
	// These two also capture the lower-case words before the name, so "said
	// a broker at Daiwa Securities" credits the broker, not the firm.
	quoteAfterVerbWho = regexp.MustCompile(`^\s*[,.]?\s*(?:` + quoteVerbs + `)\s+((?:[a-z]+\s+){0,3})` + quoteWho)
	quoteAfterAccord  = regexp.MustCompile(`^\s*[,.]?\s*according to\s+((?:[a-z]+\s+){0,3})` + quoteWho)
	// `Witkoff said: "..."` and `Witkoff told CNN, "..."`.
	quoteBeforeWhoVerb = regexp.MustCompile(quoteWho + `\s+(?:` + quoteVerbs + `)(?:\s+[\p{L}]+){0,4}\s*[:,]?\s*$`)
)

// quoteRoleNouns are the nouns after "the" that stand for a person already
// named ("the envoy said"); "the company said" names no person and is left
// unattributed.
var quoteRoleNouns = map[string]bool{
	"envoy": true, "president": true, "minister": true, "spokesman": true, "spokeswoman": true,
	"spokesperson": true, "official": true, "secretary": true, "chancellor": true, "leader": true,
	"ambassador": true, "senator": true, "governor": true, "chairman": true, "chairwoman": true,
	"chief": true, "director": true, "prosecutor": true, "judge": true, "mayor": true,
	"general": true, "commander": true, "diplomat": true, "negotiator": true, "premier": true,
	"executive": true, "coach": true, "manager": true, "king": true, "queen": true, "pope": true,
	"analyst": true, "economist": true, "author": true, "actor": true, "singer": true, "star": true,
	"player": true, "striker": true, "captain": true, "congressman": true, "congresswoman": true,
	"lawmaker": true, "representative": true, "adviser": true, "advisor": true, "aide": true,
}

// quoteAttribute finds the speaker of each span from the words around it.
// An unattributed span right after an attributed one in the same paragraph
// continues it (`"It was positive," Witkoff said. "It was a good talk."`).
func quoteAttribute(p string, spans []quoteSpan) {
	for i := range spans {
		s := &spans[i]
		after := p[s.end:]
		if _, w := quoteDecodeRune(after); w > 0 {
			after = after[w:]
		}
		if n := quoteMarkIndex(after); n >= 0 {
			after = after[:n]
		}
		after = quoteClip(after, 160, false)
		before := p[:s.start]
		if _, w := quoteLastRuneLen(before); w > 0 {
			before = before[:len(before)-w]
		}
		if n := strings.LastIndexAny(before, "\"“”"); n >= 0 {
			before = before[n+1:]
		}
		before = quoteClip(before, 160, true)
		for _, re := range []*regexp.Regexp{quoteAfterWhoVerb, quoteAfterVerbWho, quoteAfterAccord} {
			m := re.FindStringSubmatch(after)
			if m == nil {
				continue
			}
			lead, who := "", m[1]
			if len(m) == 3 {
				lead, who = m[1], m[2]
			}
			if !quoteWhoOK(who) {
				continue
			}
			s.speaker = strings.TrimSpace(who)
			if quoteDescriptor.MatchString(lead) {
				s.speaker = strings.TrimSpace(lead + who)
			}
			break
		}
		if s.speaker == "" {
			if m := quoteBeforeWhoVerb.FindStringSubmatch(before); m != nil && quoteWhoOK(m[1]) {
				s.speaker = strings.TrimSpace(m[1])
			}
		}
		if s.speaker == "" && i > 0 && spans[i-1].speaker != "" && strings.TrimSpace(before) != "" && len(strings.Fields(before)) <= 12 {
			s.speaker = spans[i-1].speaker
		}
	}
}

// quoteDescriptor matches the lower-case words of "a broker at", "an
// analyst with": the speaker is described, not named.
var quoteDescriptor = regexp.MustCompile(`^(?:an?|one|the)\s+[a-z]+\s+(?:at|of|from|with|for)\s+$`)

// quoteClip keeps at most n bytes of s, from its end when fromEnd, cut at a
// space so no rune is split: speech verbs sit right next to the quotation,
// and bounded text keeps the regular expressions cheap.
func quoteClip(s string, n int, fromEnd bool) string {
	if len(s) <= n {
		return s
	}
	if fromEnd {
		t := s[len(s)-n:]
		if i := strings.IndexByte(t, ' '); i >= 0 {
			return t[i:]
		}
		return ""
	}
	t := s[:n]
	if i := strings.LastIndexByte(t, ' '); i >= 0 {
		return t[:i]
	}
	return ""
}

func quoteLastRuneLen(s string) (rune, int) {
	if s == "" {
		return 0, 0
	}
	return utf8.DecodeLastRuneInString(s)
}

// quoteWhoOK rejects captures that are not speakers: sentence openers and
// "the" plus a noun that names no person.
func quoteWhoOK(w string) bool {
	w = strings.TrimSpace(w)
	lw := strings.ToLower(w)
	if strings.HasPrefix(lw, "the ") {
		f := strings.Fields(lw)
		return quoteRoleNouns[f[len(f)-1]]
	}
	if lw == "he" || lw == "she" {
		return true
	}
	f := strings.Fields(w)
	return !isStopword(strings.ToLower(f[0])) || len(f) > 1 && !isStopword(strings.ToLower(f[len(f)-1]))
}

// quoteTitleWords precede names ("U.S. President Donald Trump") and are not
// part of them.
var quoteTitleWords = map[string]bool{
	"president": true, "prime": true, "minister": true, "secretary": true, "senator": true,
	"sen.": true, "rep.": true, "gov.": true, "governor": true, "gen.": true, "general": true,
	"chancellor": true, "king": true, "queen": true, "pope": true, "mr.": true, "mrs.": true,
	"ms.": true, "dr.": true, "mr": true, "mrs": true, "ms": true, "dr": true, "chairman": true,
	"chief": true, "executive": true, "director": true, "spokesman": true, "spokeswoman": true,
	"envoy": true, "special": true, "foreign": true, "defense": true, "defence": true,
	"state": true, "vice": true, "former": true, "u.s.": true, "us": true, "u.k.": true,
	"uk": true, "russian": true, "ukrainian": true, "american": true, "british": true,
	"french": true, "german": true, "chinese": true, "israeli": true, "palestinian": true,
	"iranian": true, "deputy": true, "ambassador": true, "judge": true, "justice": true,
	"mayor": true, "lord": true, "sir": true, "dame": true, "professor": true, "prof.": true,
	"coach": true, "captain": true, "house": true, "speaker": true, "leader": true,
}

// quoteName is a person's name found in the text, with where it was found.
type quoteName struct {
	name string
	at   int // byte offset in the document text
}

// quotePeople finds the names of people in a document: runs of two or three
// capitalized words (titles dropped) whose surname also appears alone or
// that a speech verb sits next to. "White House" and "Saudi Arabia" fail
// both tests.
func quotePeople(text string) []quoteName {
	var out []quoteName
	alone := map[string]bool{} // memo of quoteSurnameAlone by full name
	for _, m := range quoteCapRuns(text) {
		for _, seg := range quoteSplitRun(text[m[0]:m[1]]) {
			if n, ok := quotePersonIn(text, m[0]+seg.at, seg.name, alone); ok {
				out = append(out, n)
			}
		}
	}
	// A surname alone ("Witkoff flew home") is a mention of the full name
	// too: "he" in the next sentence is most likely him.
	bySurname := map[string]string{}
	var surnames []string
	for _, p := range out {
		f := strings.Fields(p.name)
		if len(f) < 2 {
			continue
		}
		last := f[len(f)-1]
		if _, ok := bySurname[last]; !ok && len(last) >= 3 {
			surnames = append(surnames, last)
		}
		bySurname[last] = p.name
	}
	taken := map[int]bool{}
	for _, p := range out {
		taken[p.at] = true
	}
	for _, sn := range surnames {
		for i := 0; ; {
			j := strings.Index(text[i:], sn)
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(sn)
			if at > 0 && (unicode.IsLetter(rune(text[at-1])) || text[at-1] == ' ' && quoteCapBefore(text[:at-1])) {
				continue // inside a word or the tail of a full name
			}
			if i < len(text) && unicode.IsLetter(rune(text[i])) || taken[at] {
				continue
			}
			out = append(out, quoteName{name: bySurname[sn], at: at})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// quoteCapBefore reports whether the text ends in a capitalized word: the
// surname that follows is part of a longer name already counted.
func quoteCapBefore(s string) bool {
	i := strings.LastIndexAny(s, " \n\t") + 1
	w := s[i:]
	r, _ := quoteDecodeRune(w)
	return r != 0 && unicode.IsUpper(r) && !strings.HasSuffix(w, ".")
}

// quoteSplitRun cuts a run of capitalized words where a sentence ends inside
// it ("... to Ukraine. Witkoff met"): at a word ending in a full stop that is
// neither an initial, a dotted acronym ("U.S.") nor a title ("Gen.").
func quoteSplitRun(run string) []quoteName {
	var out []quoteName
	start := 0
	for i := 0; i < len(run); {
		j := strings.IndexAny(run[i:], " \t\n")
		end := len(run)
		if j >= 0 {
			end = i + j
		}
		tok := run[i:end]
		if strings.HasSuffix(tok, ".") && len(tok) > 2 && strings.Count(tok, ".") == 1 && !quoteTitleWords[strings.ToLower(tok)] {
			out = append(out, quoteName{name: run[start:end], at: start})
			start = end
		}
		if j < 0 {
			break
		}
		i = end + 1
	}
	if start < len(run) {
		out = append(out, quoteName{name: run[start:], at: start})
	}
	return out
}

// quotePersonIn decides whether a run of capitalized words found at offset
// at names a person, and returns the name without titles.
func quotePersonIn(text string, at int, runText string, alone map[string]bool) (quoteName, bool) {
	runText = strings.TrimSpace(runText)
	run := strings.Fields(runText)
	k, titled := 0, false
	for k < len(run) {
		w := strings.Trim(run[k], "'’,")
		lw := strings.ToLower(w)
		switch {
		case quoteTitleWords[lw]:
			titled = true
		case quoteNotName[lw] || quoteDemonym(w) || quoteAcronym(w):
		default:
			goto rest
		}
		k++
	}
rest:
	name := run[k:]
	if len(name) > 3 || len(name) == 0 || len(name) == 1 && !titled {
		return quoteName{}, false
	}
	for _, w := range name {
		lw := strings.ToLower(strings.Trim(w, "'’,."))
		if isStopword(lw) || calendarWords[lw] || quoteNotName[lw] || quoteTitleWords[lw] || quoteAcronym(w) {
			return quoteName{}, false
		}
	}
	last := strings.TrimRight(name[len(name)-1], ".,")
	last = strings.TrimSuffix(strings.TrimSuffix(last, "'s"), "’s")
	name[len(name)-1] = last
	full := strings.Join(name, " ")
	isAlone, ok := alone[full]
	if !ok && len(name) > 1 && !titled {
		isAlone = quoteSurnameAlone(text, last, full)
		alone[full] = isAlone
	}
	if len(name) > 1 && !titled && !isAlone && !quoteNearVerb(text, at, at+len(runText)) {
		return quoteName{}, false
	}
	return quoteName{name: full, at: at}, true
}

// quoteNotName holds words that make a capitalized run an organization, a
// place or a portfolio rather than a person ("Energy Minister", "Gulf
// Cooperation Council", "White House").
var quoteNotName = map[string]bool{
	"agency": true, "committee": true, "cooperation": true, "conference": true, "council": true,
	"association": true, "ministry": true, "bank": true, "corp": true, "corp.": true, "inc": true,
	"inc.": true, "co": true, "co.": true, "ltd": true, "plc": true, "group": true, "company": true,
	"party": true, "union": true, "organization": true, "organisation": true, "energy": true,
	"oil": true, "press": true, "news": true, "department": true, "office": true, "republic": true,
	"kingdom": true, "states": true, "nations": true, "street": true, "exchange": true,
	"market": true, "reserve": true, "fund": true, "court": true, "army": true, "forces": true,
	"federation": true, "university": true, "institute": true, "times": true, "post": true,
	"journal": true, "finance": true, "trade": true, "economy": true, "interior": true,
	"health": true, "education": true, "agriculture": true, "affairs": true, "mines": true,
	"petroleum": true, "treasury": true, "white": true, "east": true, "west": true, "north": true,
	"south": true, "eastern": true, "western": true, "northern": true, "southern": true,
	"central": true, "national": true, "international": true, "federal": true, "general": true,
	"european": true, "gulf": true, "sea": true, "ocean": true, "river": true, "city": true,
	"county": true, "province": true, "region": true, "island": true, "islands": true,
	"airport": true, "airlines": true, "motors": true, "systems": true, "holdings": true,
	"industries": true, "securities": true, "capital": true, "partners": true, "club": true,
	"league": true, "cup": true, "championship": true, "olympics": true, "world": true,
	"church": true, "hospital": true, "school": true, "college": true, "museum": true,
	"parliament": true, "senate": true, "congress": true, "assembly": true, "cabinet": true,
	"government": true, "administration": true, "police": true, "navy": true, "guard": true,
	"commission": true, "board": true, "authority": true, "service": true, "services": true,
	"foundation": true, "centre": true, "center": true, "media": true, "channel": true,
	"oval": true, "kremlin": true, "pentagon": true, "nato": true, "un": true, "eu": true,
}

// quoteDemonym spots nationality adjectives that precede titles
// ("Indonesian Energy Minister Subroto", "Saudi Arabia").
func quoteDemonym(w string) bool {
	lw := strings.ToLower(w)
	if quoteTitleWords[lw] {
		return true
	}
	for _, suf := range []string{"ian", "ean", "ese", "ish", "ic", "i"} {
		if strings.HasSuffix(lw, suf) && len(lw) > len(suf)+3 {
			return true
		}
	}
	return false
}

// quoteAcronym reports whether w is written in capitals ("OPEC", "U.S.").
func quoteAcronym(w string) bool {
	w = strings.TrimSuffix(strings.TrimSuffix(strings.Trim(w, "'’,"), "'s"), "’s")
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// quoteSurnameAlone reports whether surname occurs in text outside the full
// name.
func quoteSurnameAlone(text, surname, full string) bool {
	if len(surname) < 3 {
		return false
	}
	rest := strings.ReplaceAll(text, full, "")
	for i := strings.Index(rest, surname); i >= 0; {
		endAt := i + len(surname)
		okL := i == 0 || !unicode.IsLetter(rune(rest[i-1]))
		okR := endAt >= len(rest) || !unicode.IsLetter(rune(rest[endAt]))
		if okL && okR {
			return true
		}
		n := strings.Index(rest[endAt:], surname)
		if n < 0 {
			break
		}
		i = endAt + n
	}
	return false
}

var quoteVerbRe = regexp.MustCompile(`^\s*,?\s*(?:` + quoteVerbs + `)\b`)
var quoteVerbBefore = regexp.MustCompile(`\b(?:` + quoteVerbs + `)\s*$`)

// quoteNearVerb looks only a few words either side of the name, so the
// check stays cheap on long articles.
func quoteNearVerb(text string, start, end int) bool {
	return quoteVerbRe.MatchString(text[end:min(len(text), end+24)]) || quoteVerbBefore.MatchString(text[max(0, start-24):start])
}

// quoteResolve turns a speaker as written into a full name: pronouns and
// role nouns become the last person named before the quote; a surname
// becomes the longest known name ending in it ("Witkoff" -> "Steve
// Witkoff"). It returns "" when no person can be named.
func quoteResolve(who string, at int, people []quoteName, known []string) string {
	if r, _ := quoteDecodeRune(who); unicode.IsLower(r) && !strings.HasPrefix(who, "he") && !strings.HasPrefix(who, "she") && !strings.HasPrefix(who, "the ") {
		return who // a description such as "a broker at Daiwa Securities"
	}
	lw := strings.ToLower(who)
	if lw == "he" || lw == "she" || strings.HasPrefix(lw, "the ") {
		last := ""
		for _, p := range people {
			if p.at < at {
				last = p.name
			}
		}
		if last == "" {
			return ""
		}
		who = last
	}
	f := strings.Fields(who)
	k := 0
	for k < len(f)-1 && quoteTitleWords[strings.ToLower(f[k])] {
		k++
	}
	return quoteFullName(strings.Join(f[k:], " "), known, quoteSurnames(known))
}

// quoteFullName is the longest known name that ends in who ("Witkoff" ->
// "Steve Witkoff"), or who itself.
// surnames are the last words of the known names (quoteSurnames).
func quoteFullName(who string, known, surnames []string) string {
	f := strings.Fields(who)
	if len(f) == 0 {
		return who
	}
	surname := f[len(f)-1]
	best := who
	for i, n := range known {
		if surnames[i] == surname && len(n) > len(best) && strings.HasSuffix(n, who) {
			best = n
		}
	}
	return best
}

// quoteSurnames is the last word of each name.
func quoteSurnames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if f := strings.Fields(n); len(f) > 0 {
			out[i] = f[len(f)-1]
		}
	}
	return out
}

// quoteCand is a quotation found in one article, ready to be merged with the
// same quotation from other outlets.
type quoteCand struct {
	doc     int
	para    int
	at      int // byte offset of the quotation in its paragraph (sentences joined by spaces)
	text    string
	speaker string
	norm    []string // lower-case words, for matching across outlets
}

// quoteNotable keeps quotations worth showing: full sentences of some length,
// not scare quotes around a word or two ("root causes").
func quoteNotable(text string) bool {
	n := len(strings.Fields(text))
	if n < 7 || n > 80 || len(terms(text)) < 3 {
		return false
	}
	r, _ := quoteDecodeRune(text)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// quoteTidy trims the punctuation a quotation borrows from its sentence: a
// trailing comma becomes a full stop, since the quote is shown on its own.
func quoteTidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimRight(s, " ,;")
	if r, _ := cleanLastRune(s); r != 0 && !strings.ContainsRune(".!?…", r) {
		s += "."
	}
	return s
}

// quoteExtract finds the attributed, notable quotations of one document, with
// speakers resolved against the people named in the whole story (known).
func quoteExtract(docIdx int, d *cleanDoc, people []quoteName, known []string) []quoteCand {
	_, offsets := quoteDocText(d)
	var out []quoteCand
	for i, p := range d.paras {
		para := strings.Join(p, " ")
		spans := quoteFindSpans(para)
		quoteAttribute(para, spans)
		for _, s := range spans {
			if s.speaker == "" || !quoteNotable(strings.TrimSpace(s.text)) {
				continue
			}
			who := quoteResolve(s.speaker, offsets[i]+s.start, people, known)
			if who == "" {
				continue
			}
			t := quoteTidy(s.text)
			out = append(out, quoteCand{doc: docIdx, para: i, at: s.start, text: t, speaker: who, norm: quoteNormWords(t)})
			if len(out) == quoteMaxPerDoc {
				return out
			}
		}
	}
	return out
}

// quoteMaxPerDoc bounds the quotations taken from one article: no real
// report has more, and merging across outlets compares every pair.
const quoteMaxPerDoc = 40

// quoteDocText joins a document's paragraphs, one a line, and gives where
// each paragraph starts: the text quotePeople reads and the offsets that
// place a quotation in it.
func quoteDocText(d *cleanDoc) (string, []int) {
	var sb strings.Builder
	size := 0
	for _, p := range d.paras {
		for _, s := range p {
			size += len(s) + 1
		}
	}
	sb.Grow(size)
	offsets := make([]int, len(d.paras))
	for i, p := range d.paras {
		offsets[i] = sb.Len()
		for k, s := range p {
			if k > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(s)
		}
		sb.WriteByte('\n')
	}
	return sb.String(), offsets
}

// quoteNormWords folds quote styles and case so the same words match across
// outlets ("we’re" and "we're").
func quoteNormWords(s string) []string {
	return words(quoteApostrophes.Replace(s))
}

// quoteApostrophes folds curly apostrophes into straight ones.
var quoteApostrophes = strings.NewReplacer("’", "'", "‘", "'")

// quoteSame reports whether two quotations are the same words, allowing small
// edits and one outlet quoting a longer span: most of the shorter one's words
// appear, in order, in the longer one.
func quoteSame(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return false
	}
	return float64(quoteLCSLen(a, b)) >= 0.8*float64(len(a))
}

// quoteLCSLen is the length of the longest common subsequence of two word lists.
func quoteLCSLen(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// quoteSpansOf returns the quoted byte ranges of a paragraph, for telling
// which sentences are mostly quotation.
func quoteSpansOf(p string) [][2]int {
	var out [][2]int
	for _, s := range quoteFindSpans(p) {
		out = append(out, [2]int{s.start, s.end})
	}
	return out
}
