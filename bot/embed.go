package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefing"
)

// embedColor is the accent bar of every briefing embed.
const embedColor = 0x2b6cb0

// EmbedOptions tune RenderEmbeds.
type EmbedOptions struct {
	// Location is the zone times are shown in; nil means UTC.
	Location *time.Location
	// Content is the message text above the embeds (a header such as
	// "What's new on ceasefire since 08:00"); it is trusted bot text and only
	// cut to Discord's limit.
	Content string
}

// Message is a rendered Discord message: content and embeds that together
// respect every Discord limit.
type Message struct {
	Content string
	Embeds  []*discordgo.MessageEmbed
}

// RenderEmbeds renders a briefing as one embed per story, most important
// first. Every Discord limit holds by construction: the 6000 characters all
// embeds share are divided so that small stories keep all they have and large
// ones share the rest evenly, and text is cut at bullet, sentence and word
// boundaries. Stories left out for room are counted in the content.
func RenderEmbeds(b briefing.Briefing, opt EmbedOptions) Message {
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	var stories []briefing.Story
	for _, st := range b.Stories {
		if len(st.Bullets) == 0 && len(st.Quotes) == 0 && strings.TrimSpace(st.Headline) == "" {
			continue
		}
		stories = append(stories, st)
	}
	left := 0
	if len(stories) > limitEmbeds {
		left = len(stories) - limitEmbeds
		stories = stories[:limitEmbeds]
	}

	// Water-filling: each story gets what it needs, up to an even share of
	// what the smaller stories left over.
	// Each story is rendered whole once: what it needs, and what it shows
	// when its share holds it.
	full := make([]*discordgo.MessageEmbed, len(stories))
	natural := make([]int, len(stories))
	index := make([]*sourceIndex, len(stories))
	for i, st := range stories {
		index[i] = newSourceIndex(st)
		full[i] = storyEmbedWithin(st, index[i], limitEmbedsTotal, loc)
		natural[i] = embedSize(full[i])
	}
	order := make([]int, len(stories))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, c int) bool { return natural[order[a]] < natural[order[c]] })
	alloc := make([]int, len(stories))
	remaining := limitEmbedsTotal
	for k, i := range order {
		share := remaining / (len(stories) - k)
		alloc[i] = min(natural[i], share)
		remaining -= alloc[i]
	}

	msg := Message{}
	for i, st := range stories {
		e := full[i]
		if natural[i] > alloc[i] {
			e = storyEmbedWithin(st, index[i], alloc[i], loc)
		}
		if e == nil {
			left++
			continue
		}
		msg.Embeds = append(msg.Embeds, e)
	}
	content := opt.Content
	if left > 0 {
		more := fmt.Sprintf("…and %d more %s not shown.", left, plural(left, "story", "stories"))
		if content != "" {
			content += "\n"
		}
		content += more
	}
	msg.Content = truncateContent(content)
	return msg
}

// embedSize is what an embed counts against the 6000 characters all embeds of
// a message share.
func embedSize(e *discordgo.MessageEmbed) int {
	if e == nil {
		return 0
	}
	n := dlen(e.Title) + dlen(e.Description)
	if e.Footer != nil {
		n += dlen(e.Footer.Text)
	}
	if e.Author != nil {
		n += dlen(e.Author.Name)
	}
	for _, f := range e.Fields {
		n += dlen(f.Name) + dlen(f.Value)
	}
	return n
}

// sourceIndex numbers a story's sources so bullets and quotes can cite them
// with superscript markers that the Sources field explains.
type sourceIndex struct {
	list []briefing.Source
	// Each source's number (its place in list, from 1): by its link, or
	// without one by its outlet and headline (byName, made when first
	// needed). A link alone keys the map a stored story's thousands of
	// sources fill: a key of three strings took twice the room and
	// hashed all three.
	byURL  map[string]int
	byName map[sourceKey]int
	// headURL is the story's headlineURL, found once: a story rendered
	// twice (whole, then within its share) cites thousands of reports.
	headURL  string
	headDone bool
}

// headlineURL is headlineURL(st), st the story x numbers.
func (x *sourceIndex) headlineURL(st briefing.Story) string {
	if !x.headDone {
		x.headURL, x.headDone = headlineURL(st), true
	}
	return x.headURL
}

func newSourceIndex(st briefing.Story) *sourceIndex {
	// A story can cite thousands of reports: the map is sized once, and
	// the list is the story's own sources while they differ from one
	// another (as Build gives them) rather than a copy. It is cut to
	// their number, so a source added later (a repeat, or one only a
	// bullet cites) copies it and the story's list is never written.
	x := &sourceIndex{byURL: make(map[string]int, len(st.Sources))}
	k := 0
	for k < len(st.Sources) && x.number(st.Sources[k]) == 0 {
		x.setNumber(st.Sources[k], k+1)
		k++
	}
	x.list = st.Sources[:k:k]
	for _, s := range st.Sources[k:] {
		x.add(s)
	}
	for _, b := range st.Bullets {
		for _, s := range b.Sources {
			x.add(s)
		}
	}
	for _, q := range st.Quotes {
		for _, s := range q.Sources {
			x.add(s)
		}
	}
	return x
}

// sourceKey is what makes two sources without a link the same: the outlet
// and headline. Two sources with a link are the same when it is.
type sourceKey struct{ name, title string }

// number is s's number in x, 0 when it has none yet.
func (x *sourceIndex) number(s briefing.Source) int {
	if s.URL != "" {
		return x.byURL[s.URL]
	}
	return x.byName[sourceKey{s.Name, s.Title}]
}

// setNumber gives s the number i.
func (x *sourceIndex) setNumber(s briefing.Source, i int) {
	if s.URL != "" {
		x.byURL[s.URL] = i
		return
	}
	if x.byName == nil {
		x.byName = map[sourceKey]int{}
	}
	x.byName[sourceKey{s.Name, s.Title}] = i
}

func (x *sourceIndex) add(s briefing.Source) int {
	if i := x.number(s); i > 0 {
		return i
	}
	x.list = append(x.list, s)
	x.setNumber(s, len(x.list))
	return len(x.list)
}

// cited numbers the sources srcs cites, each once, in the order cited.
func (x *sourceIndex) cited(srcs []briefing.Source) (nums []int, cites []briefing.Source) {
	seen := map[int]bool{}
	for _, s := range srcs {
		i := x.add(s)
		if !seen[i] {
			seen[i] = true
			nums, cites = append(nums, i), append(cites, s)
		}
	}
	return nums, cites
}

// markers renders the linked superscript markers citing srcs.
func (x *sourceIndex) markers(srcs []briefing.Source, linked bool) string {
	nums, cites := x.cited(srcs)
	parts := make([]string, len(nums))
	for k, i := range nums {
		parts[k] = superscript(i)
		if linked {
			parts[k] = mdLink(parts[k], cites[k].URL)
		}
	}
	return strings.Join(parts, " ")
}

// sourceName is an outlet's display name, falling back to the link's host,
// then to the article's title.
func sourceName(s briefing.Source) string {
	name, title := sourceLabel(s)
	if name == "" {
		return title
	}
	return name
}

// sourceLabel splits a source into the outlet name and the article title
// to show beside it. Without an outlet name or a link the title is the
// label, and is not repeated.
func sourceLabel(s briefing.Source) (name, title string) {
	title = strings.TrimSpace(s.Title)
	if n := strings.TrimSpace(s.Name); n != "" {
		if n == title {
			// The engine names an outlet-less, link-less article by its
			// title: show it once.
			return n, ""
		}
		return n, title
	}
	if u := safeURL(s.URL); u != "" {
		h := u[strings.Index(u, "//")+2:]
		if i := strings.IndexAny(h, "/?#"); i >= 0 {
			h = h[:i]
		}
		return strings.TrimPrefix(h, "www."), title
	}
	if title != "" {
		return title, ""
	}
	return "source", ""
}

// citedLine renders prefix + text + markers within max, cutting the text
// (never the markers) when needed; markers lose their links before the text
// loses everything. It returns "" when not even that fits.
func citedLine(prefix, text, suffix string, x *sourceIndex, srcs []briefing.Source, max int) string {
	for _, linked := range []bool{true, false} {
		m := x.markers(srcs, linked)
		tail := suffix
		if m != "" {
			tail += " " + m
		}
		room := max - dlen(prefix) - dlen(tail)
		if room < 12 {
			continue
		}
		body := fit(text, room)
		if body == "" || body == ellipsis {
			continue
		}
		return prefix + body + tail
	}
	return ""
}

// headlineURL is the link of the article the story's headline comes from,
// so the title never links to another outlet's report; without a match, the
// first source's.
func headlineURL(st briefing.Story) string {
	// The headline is cleaned once and a link checked only for a matching
	// title: a stored story cites every report, hundreds of sources.
	headline := clean(st.Headline)
	for _, s := range st.Sources {
		if strings.EqualFold(clean(s.Title), headline) {
			if u := safeURL(s.URL); u != "" {
				return u
			}
		}
	}
	for _, s := range st.Sources {
		if u := safeURL(s.URL); u != "" {
			return u
		}
	}
	return ""
}

// storyEmbedWithin renders one story within budget characters (and every per-part
// limit), citing its sources as x numbers them. It returns nil when the
// budget cannot hold even a title.
func storyEmbedWithin(st briefing.Story, x *sourceIndex, budget int, loc *time.Location) *discordgo.MessageEmbed {
	if budget < 20 {
		return nil
	}
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: embedColor}
	rem := budget

	headline := st.Headline
	if strings.TrimSpace(headline) == "" && len(st.Bullets) > 0 {
		headline = st.Bullets[0].Text
	}
	if strings.TrimSpace(headline) == "" {
		headline = "Story"
	}
	e.Title = fitPlain(headline, min(limitTitle, rem/3))
	if e.Title == "" {
		return nil
	}
	rem -= dlen(e.Title)
	e.URL = x.headlineURL(st)
	// Each date is shown once: Discord shows the timestamp beside the
	// footer, in the reader's own zone, so the footer only adds where the
	// span starts. A date-only time (midnight UTC) is a calendar day, which
	// a timestamp would shift to the day before west of UTC: those go in the
	// footer as dates instead.
	stamped := !st.To.IsZero() && !dateOnly(st.To)
	if stamped {
		e.Timestamp = st.To.UTC().Format(time.RFC3339)
	}

	if f := footerText(st, len(x.list), loc, stamped); f != "" && dlen(f) <= min(limitFooter, rem/4) {
		e.Footer = &discordgo.MessageEmbedFooter{Text: f}
		rem -= dlen(f)
	}

	const quotesName, sourcesName = "What they said", "Sources"
	quotesNatural := 0
	if len(st.Quotes) > 0 {
		quotesNatural = dlen(quotesName) + min(limitFieldValue, dlen(quoteLines(st.Quotes, x, limitFieldValue)))
	}
	sourcesNatural := dlen(sourcesName) + min(limitFieldValue, dlen(sourceLines(x, limitFieldValue)))

	// Bullets come first, but leave the sources (what the markers point to)
	// and the first quote a fair part of the room.
	reserve := min(sourcesNatural, rem/4) + min(quotesNatural, rem/4)
	descMax := min(limitDescription, rem-reserve)
	var desc []string
	used := 0
	// The story's coverage leads, with Discord's relative times (they are
	// rendered in descriptions, not in footers).
	if c := coverageLine(st.Coverage, true); c != "" && dlen(c) < descMax/4 {
		desc = append(desc, "-# "+c)
		used += dlen(c) + 3
	}
	for i, bl := range st.Bullets {
		sep := 0
		if i > 0 || len(desc) > 0 {
			sep = 1
		}
		line := citedLine("• ", bl.Text, "", x, bl.Sources, limitDescription)
		if line == "" {
			continue
		}
		if used+sep+dlen(line) > descMax {
			if len(desc) == 0 {
				line = citedLine("• ", bl.Text, "", x, bl.Sources, descMax-used)
			} else {
				line = ""
			}
			if line == "" {
				break
			}
		}
		desc = append(desc, line)
		used += sep + dlen(line)
	}
	e.Description = strings.Join(desc, "\n")
	rem -= dlen(e.Description)

	addField := func(name, value string) {
		if value == "" || len(e.Fields) >= limitFields {
			return
		}
		if dlen(name)+dlen(value) > rem {
			return
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value})
		rem -= dlen(name) + dlen(value)
	}
	if len(st.Quotes) > 0 {
		qmax := min(limitFieldValue, rem-dlen(quotesName)-min(sourcesNatural, rem/3))
		addField(quotesName, quoteLines(st.Quotes, x, qmax))
	}
	addField(sourcesName, sourceLines(x, min(limitFieldValue, rem-dlen(sourcesName))))
	return e
}

// quoteLines renders quotes with their speakers and markers, as many as fit
// in max; a first quote too long for max is cut at a sentence or word.
func quoteLines(qs []briefing.Quote, x *sourceIndex, max int) string {
	var lines []string
	used := 0
	for _, q := range qs {
		speaker := ""
		if s := strings.TrimSpace(q.Speaker); s != "" {
			speaker = "” — **" + fit(s, 80) + "**"
		} else {
			speaker = "”"
		}
		sep := 0
		if len(lines) > 0 {
			sep = 1
		}
		line := citedLine("> “", strings.Trim(q.Text, "\"“” "), speaker, x, q.Sources, max-used-sep)
		if line == "" {
			break
		}
		lines = append(lines, line)
		used += sep + dlen(line)
	}
	return strings.Join(lines, "\n")
}

// sourceLines lists the numbered sources with links, as many as fit in max,
// then how many more there are.
func sourceLines(x *sourceIndex, max int) string {
	var lines []string
	used := 0
	for i, s := range x.list {
		name, title := sourceLabel(s)
		line := superscript(i+1) + " " + mdLink(fit(name, 90), s.URL)
		if title != "" {
			line += " · " + fit(title, 90)
		}
		sep := 0
		if len(lines) > 0 {
			sep = 1
		}
		more := 0
		if i < len(x.list)-1 {
			more = dlen(fmt.Sprintf("\n…and %d more", len(x.list)-i-1))
		}
		if used+sep+dlen(line)+more > max {
			if len(lines) == 0 {
				line = superscript(i+1) + " " + fit(sourceName(s), max-dlen(superscript(i+1))-1-more)
				if dlen(line) > max-more || strings.HasSuffix(line, " ") {
					return ""
				}
			} else {
				lines = append(lines, fmt.Sprintf("…and %d more", len(x.list)-i))
				break
			}
		}
		lines = append(lines, line)
		used += sep + dlen(line)
	}
	return strings.Join(lines, "\n")
}

// coverageLine says how widely a stored story was reported: outlets,
// reports (new ones since the last post), first seen and last updated, as
// Discord timestamps when discord is set, else as dates.
func coverageLine(c *briefing.Coverage, discord bool) string {
	if c == nil || c.Reports == 0 {
		return ""
	}
	when := func(t time.Time) string {
		if discord {
			return fmt.Sprintf("<t:%d:R>", t.Unix())
		}
		return t.UTC().Format("2 Jan 2006 15:04 MST")
	}
	parts := []string{
		fmt.Sprintf("%d %s", c.Outlets, plural(c.Outlets, "outlet", "outlets")),
		fmt.Sprintf("%d %s", c.Reports, plural(c.Reports, "report", "reports")),
	}
	if c.NewReports > 0 {
		parts[1] += fmt.Sprintf(" (%d new)", c.NewReports)
	}
	if !c.FirstSeen.IsZero() {
		parts = append(parts, "first seen "+when(c.FirstSeen))
	}
	if !c.LastUpdate.IsZero() && !c.LastUpdate.Equal(c.FirstSeen) {
		parts = append(parts, "updated "+when(c.LastUpdate))
	}
	return strings.Join(parts, " · ")
}

// footerText names the time span the story covers and how many outlets.
// With stamped, the embed's timestamp shows the span's end, so the footer
// gives only its start, when that differs.
func footerText(st briefing.Story, nsrc int, loc *time.Location, stamped bool) string {
	var parts []string
	switch {
	case stamped:
		if !st.From.IsZero() && !st.From.Equal(st.To) {
			parts = append(parts, "from "+span(st.From, st.From, loc))
		}
	case !st.From.IsZero() || !st.To.IsZero():
		parts = append(parts, span(st.From, st.To, loc))
	}
	if nsrc > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", nsrc, plural(nsrc, "source", "sources")))
	}
	parts = append(parts, "briefbot")
	return strings.Join(parts, " · ")
}

// span renders a time range compactly, in loc.
func span(from, to time.Time, loc *time.Location) string {
	if from.IsZero() {
		from = to
	}
	if to.IsZero() {
		to = from
	}
	// An outlet that gave only a date gives midnight UTC: that is a day on
	// the calendar, not an instant to convert or show the hour of.
	if dateOnly(from) && dateOnly(to) {
		f, t := from.UTC(), to.UTC()
		if f.Equal(t) {
			return f.Format("2 Jan 2006")
		}
		return f.Format("2 Jan 2006") + " – " + t.Format("2 Jan 2006")
	}
	const layout = "2 Jan 2006 15:04"
	f, t := from.In(loc), to.In(loc)
	switch {
	case f.Equal(t):
		return f.Format(layout + " MST")
	case f.YearDay() == t.YearDay() && f.Year() == t.Year():
		return f.Format(layout) + "–" + t.Format("15:04 MST")
	}
	return f.Format(layout) + " – " + t.Format(layout+" MST")
}

func dateOnly(t time.Time) bool {
	u := t.UTC()
	return u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
