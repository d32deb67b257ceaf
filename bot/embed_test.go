package bot

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefing"
)

// limitErrors lists every Discord limit a message breaks.
func limitErrors(content string, embeds []*discordgo.MessageEmbed) []string {
	var errs []string
	check := func(what, s string, max int) {
		if n := dlen(s); n > max {
			errs = append(errs, fmt.Sprintf("%s: %d > %d", what, n, max))
		}
		if !utf8.ValidString(s) {
			errs = append(errs, what+": invalid UTF-8")
		}
	}
	check("content", content, limitContent)
	if len(embeds) > limitEmbeds {
		errs = append(errs, fmt.Sprintf("embeds: %d > %d", len(embeds), limitEmbeds))
	}
	total := 0
	for i, e := range embeds {
		p := fmt.Sprintf("embeds[%d]", i)
		check(p+".title", e.Title, limitTitle)
		check(p+".description", e.Description, limitDescription)
		if e.Footer != nil {
			check(p+".footer", e.Footer.Text, limitFooter)
		}
		if e.Author != nil {
			check(p+".author", e.Author.Name, limitAuthor)
		}
		if len(e.Fields) > limitFields {
			errs = append(errs, fmt.Sprintf("%s.fields: %d > %d", p, len(e.Fields), limitFields))
		}
		for j, f := range e.Fields {
			check(fmt.Sprintf("%s.fields[%d].name", p, j), f.Name, limitFieldName)
			check(fmt.Sprintf("%s.fields[%d].value", p, j), f.Value, limitFieldValue)
			if strings.TrimSpace(f.Name) == "" || strings.TrimSpace(f.Value) == "" {
				errs = append(errs, fmt.Sprintf("%s.fields[%d]: empty name or value", p, j))
			}
		}
		if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
			errs = append(errs, p+": empty embed")
		}
		if e.URL != "" && safeURL(e.URL) != e.URL {
			errs = append(errs, p+".url: not a clean http(s) URL: "+e.URL)
		}
		total += embedSize(e)
	}
	if total > limitEmbedsTotal {
		errs = append(errs, fmt.Sprintf("embeds total: %d > %d", total, limitEmbedsTotal))
	}
	return errs
}

func src(name, url string) briefing.Source {
	return briefing.Source{Name: name, Title: name + " report", URL: url}
}

func sampleBriefing() briefing.Briefing {
	bbc := src("BBC", "https://www.bbc.co.uk/news/world-1")
	cnn := src("CNN", "https://edition.cnn.com/2025/10/ceasefire")
	from := time.Date(2025, 10, 9, 6, 0, 0, 0, time.UTC)
	return briefing.Briefing{
		Topic:       "ceasefire",
		GeneratedAt: from.Add(30 * time.Hour),
		Stories: []briefing.Story{{
			Headline: "Israel and Hamas agree first phase of Gaza ceasefire",
			Bullets: []briefing.Bullet{
				{Text: "Israel and Hamas signed the first phase of a ceasefire deal in Egypt.", Sources: []briefing.Source{bbc, cnn}},
				{Text: "Hostages are to be released within 72 hours @everyone.", Sources: []briefing.Source{cnn}},
			},
			Quotes:  []briefing.Quote{{Text: "This is a great day for the world", Speaker: "Steve Witkoff", Sources: []briefing.Source{bbc, cnn}}},
			Sources: []briefing.Source{bbc, cnn},
			From:    from,
			To:      from.Add(26 * time.Hour),
		}},
	}
}

func TestRenderEmbedsSample(t *testing.T) {
	msg := RenderEmbeds(sampleBriefing(), EmbedOptions{})
	if errs := limitErrors(msg.Content, msg.Embeds); len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(msg.Embeds) != 1 {
		t.Fatalf("got %d embeds, want 1", len(msg.Embeds))
	}
	e := msg.Embeds[0]
	tests := []struct{ where, got, want string }{
		{"title", e.Title, "Israel and Hamas agree first phase of Gaza ceasefire"},
		{"description", e.Description, "• Israel and Hamas signed the first phase of a ceasefire deal in Egypt. [¹](https://www.bbc.co.uk/news/world-1) [²](https://edition.cnn.com/2025/10/ceasefire)"},
		{"description", e.Description, `within 72 hours \@everyone. [²](https://edition.cnn.com/2025/10/ceasefire)`},
		{"quote", e.Fields[0].Value, "> “This is a great day for the world” — **Steve Witkoff** [¹]("},
		{"sources", e.Fields[1].Value, "¹ [BBC](https://www.bbc.co.uk/news/world-1) · BBC report\n² [CNN](https://edition.cnn.com/2025/10/ceasefire)"},
		{"footer", e.Footer.Text, "from 9 Oct 2025 06:00 UTC · 2 sources · briefbot"},
		{"timestamp", e.Timestamp, "2025-10-10T08:00:00Z"},
		{"url", e.URL, "https://www.bbc.co.uk/news/world-1"},
	}
	for _, tc := range tests {
		if !strings.Contains(tc.got, tc.want) {
			t.Errorf("%s = %q, want it to contain %q", tc.where, tc.got, tc.want)
		}
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"a *bold* claim", 20, `a \*bold\* claim`},
		{"line one\nline two", 40, "line one line two"},
		{"First sentence here. Second sentence is longer than the room.", 30, "First sentence here."},
		{"one two three four five six", 14, "one two three…"},
		{"Supercalifragilistic", 8, "Superca…"},
		{"", 5, ""},
		{"anything", 0, ""},
		{"😀😀😀😀", 5, "😀😀…"},
	}
	for _, tc := range tests {
		got := fit(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("fit(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if dlen(got) > tc.max {
			t.Errorf("fit(%q, %d) = %q is %d long", tc.in, tc.max, got, dlen(got))
		}
	}
}

func TestFitNeverCutsMidWord(t *testing.T) {
	text := strings.Repeat("alpha beta gamma delta. ", 40)
	for max := 8; max < 400; max += 7 {
		got := strings.TrimSuffix(fit(text, max), ellipsis)
		for _, w := range strings.Fields(got) {
			w = strings.TrimSuffix(w, ".")
			if w != "alpha" && w != "beta" && w != "gamma" && w != "delta" {
				t.Fatalf("fit(_, %d) cut a word: %q in %q", max, w, got)
			}
		}
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a(b)", "https://example.com/a%28b%29"},
		{"javascript:alert(1)", ""},
		{"ftp://example.com/x", ""},
		{"/relative", ""},
		{"https://" + strings.Repeat("a", 600) + ".com", ""},
		{" https://example.com/x ", "https://example.com/x"},
	}
	for _, tc := range tests {
		if got := safeURL(tc.in); got != tc.want {
			t.Errorf("safeURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSuperscript(t *testing.T) {
	for n, want := range map[int]string{1: "¹", 9: "⁹", 10: "¹⁰", 25: "²⁵"} {
		if got := superscript(n); got != want {
			t.Errorf("superscript(%d) = %q, want %q", n, got, want)
		}
	}
}

// bigBriefing is a briefing far past every limit: many stories, long
// bullets, many sources, long quotes and headlines.
func bigBriefing(r *rand.Rand, stories int) briefing.Briefing {
	words := []string{"ceasefire", "talks", "*bold*", "_under_", "`code`", "@everyone", "<@&123>", "Witkoff", "😀", "ü", "[link](x)", "~~", "||spoiler||", "#", "-", ">", "U.S.", "said.", "mid-word"}
	sentence := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String() + "."
	}
	var b briefing.Briefing
	for s := 0; s < stories; s++ {
		var srcs []briefing.Source
		for i := 0; i < 1+r.IntN(30); i++ {
			srcs = append(srcs, briefing.Source{Name: sentence(1 + r.IntN(4)), Title: sentence(r.IntN(40)), URL: fmt.Sprintf("https://news%d.example.com/%s", i, strings.Repeat("p", r.IntN(300)))})
		}
		st := briefing.Story{Headline: sentence(r.IntN(80)), Sources: srcs, From: time.Unix(int64(r.IntN(1e9)), 0), To: time.Unix(int64(1e9+r.IntN(1e9)), 0)}
		for i := 0; i < r.IntN(30); i++ {
			st.Bullets = append(st.Bullets, briefing.Bullet{Text: sentence(r.IntN(200)), Sources: srcs[:1+r.IntN(len(srcs))]})
		}
		for i := 0; i < r.IntN(10); i++ {
			st.Quotes = append(st.Quotes, briefing.Quote{Text: sentence(r.IntN(200)), Speaker: sentence(r.IntN(30)), Sources: srcs[:1+r.IntN(len(srcs))]})
		}
		b.Stories = append(b.Stories, st)
	}
	return b
}

func TestRenderEmbedsHuge(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		r := rand.New(rand.NewPCG(seed, 1))
		b := bigBriefing(r, 1+r.IntN(15))
		msg := RenderEmbeds(b, EmbedOptions{Content: strings.Repeat("header ", r.IntN(400))})
		if errs := limitErrors(msg.Content, msg.Embeds); len(errs) > 0 {
			t.Fatalf("seed %d: %v", seed, errs)
		}
		if len(msg.Embeds) == 0 {
			t.Fatalf("seed %d: no embeds for %d stories", seed, len(b.Stories))
		}
		for _, e := range msg.Embeds {
			if e.Description == "" && len(b.Stories[0].Bullets) > 0 && len(msg.Embeds) == 1 {
				t.Errorf("seed %d: first story lost all its bullets", seed)
			}
		}
	}
}

// TestRenderEmbedsShareRoom checks small stories keep everything while a
// huge one is cut, rather than each getting an equal slice.
func TestRenderEmbedsShareRoom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	big := bigBriefing(r, 1).Stories[0]
	small := sampleBriefing().Stories[0]
	b := briefing.Briefing{Stories: []briefing.Story{big, small, small}}
	msg := RenderEmbeds(b, EmbedOptions{})
	if errs := limitErrors(msg.Content, msg.Embeds); len(errs) > 0 {
		t.Fatal(errs)
	}
	full := RenderEmbeds(briefing.Briefing{Stories: []briefing.Story{small}}, EmbedOptions{}).Embeds[0]
	for i := 1; i < 3; i++ {
		if embedSize(msg.Embeds[i]) != embedSize(full) {
			t.Errorf("small story %d was cut: %d of %d", i, embedSize(msg.Embeds[i]), embedSize(full))
		}
	}
}

func TestRenderEmbedsElevenStories(t *testing.T) {
	st := sampleBriefing().Stories[0]
	var b briefing.Briefing
	for i := 0; i < 12; i++ {
		b.Stories = append(b.Stories, st)
	}
	msg := RenderEmbeds(b, EmbedOptions{})
	if len(msg.Embeds) != 10 {
		t.Fatalf("got %d embeds, want 10", len(msg.Embeds))
	}
	if !strings.Contains(msg.Content, "2 more stories") {
		t.Errorf("content %q does not count the stories left out", msg.Content)
	}
}

func FuzzEmbeds(f *testing.F) {
	f.Add(uint64(1), 3, "ceasefire talks", "Witkoff said")
	f.Add(uint64(2), 12, strings.Repeat("x", 5000), "")
	f.Add(uint64(3), 1, "@everyone <@&1> *x* _y_ `z`", "😀 ü")
	f.Fuzz(func(t *testing.T, seed uint64, n int, headline, text string) {
		r := rand.New(rand.NewPCG(seed, 2))
		b := bigBriefing(r, 1+int(uint(n)%14))
		b.Stories[0].Headline = headline
		b.Stories[0].Bullets = append([]briefing.Bullet{{Text: text}}, b.Stories[0].Bullets...)
		b.Stories[0].Quotes = append(b.Stories[0].Quotes, briefing.Quote{Text: text, Speaker: headline})
		b.Stories[0].Sources = append(b.Stories[0].Sources, briefing.Source{Name: headline, Title: text, URL: text})
		msg := RenderEmbeds(b, EmbedOptions{Content: text})
		if errs := limitErrors(msg.Content, msg.Embeds); len(errs) > 0 {
			t.Fatal(errs)
		}
	})
}

func TestSourceLabel(t *testing.T) {
	tests := []struct {
		src         briefing.Source
		name, title string
	}{
		{briefing.Source{Name: "BBC", Title: "Talks", URL: "https://bbc.co.uk/x"}, "BBC", "Talks"},
		{briefing.Source{Title: "Talks", URL: "https://www.reuters.com/world/x?y=1"}, "reuters.com", "Talks"},
		{briefing.Source{Title: "Talks"}, "Talks", ""},
		{briefing.Source{}, "source", ""},
	}
	for _, tc := range tests {
		name, title := sourceLabel(tc.src)
		if name != tc.name || title != tc.title {
			t.Errorf("sourceLabel(%+v) = %q, %q; want %q, %q", tc.src, name, title, tc.name, tc.title)
		}
	}
	st := briefing.Story{Headline: "H", Bullets: []briefing.Bullet{{Text: "A fact.", Sources: []briefing.Source{{Title: "Envoy hints at talks"}}}}}
	e := RenderEmbeds(briefing.Briefing{Stories: []briefing.Story{st}}, EmbedOptions{}).Embeds[0]
	if got := e.Fields[0].Value; got != "¹ Envoy hints at talks" {
		t.Errorf("sources field %q", got)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a 30-day ceasefire", "a 30-day ceasefire"},
		{"- not a list", `\- not a list`},
		{"# not a heading", `\# not a heading`},
		{"> not a quote", `\> not a quote`},
		{"a # b > c", "a # b > c"},
		{"hi @everyone", `hi \@everyone`},
		{"<@&123> and <t:1:R>", `\<\@&123> and \<t:1:R>`},
		{"*bold* _it_ ~~s~~ `c` ||sp||", `\*bold\* \_it\_ \~\~s\~\~ \` + "`c\\`" + ` \|\|sp\|\|`},
		{"[x](javascript:1)", `\[x\](javascript:1)`},
		{`a\b`, `a\\b`},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n, want := dlen(escape(tt.in)), func() int {
			n := 0
			for i, r := range tt.in {
				n += escLen(r, i == 0)
			}
			return n
		}(); n != want {
			t.Errorf("escLen disagrees with escape on %q: %d vs %d", tt.in, want, n)
		}
	}
	if got := fitPlain("Russia-Ukraine *talks*", 100); got != "Russia-Ukraine *talks*" {
		t.Errorf("fitPlain escaped a plain-text part: %q", got)
	}
}

// TestFooterDateOnce: the footer and the timestamp never show the same
// date twice; a date-only story is dated in the footer, with no timestamp
// to shift it a day.
func TestFooterDateOnce(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name          string
		from, to      time.Time
		footer, stamp string
	}{
		{"one instant", at("2025-03-16T09:30:00Z"), at("2025-03-16T09:30:00Z"), "2 sources · briefbot", "2025-03-16T09:30:00Z"},
		{"a span", at("2025-03-15T22:00:00Z"), at("2025-03-16T09:30:00Z"), "from 15 Mar 2025 22:00 UTC · 2 sources · briefbot", "2025-03-16T09:30:00Z"},
		{"date only", at("2025-03-16T00:00:00Z"), at("2025-03-16T00:00:00Z"), "16 Mar 2025 · 2 sources · briefbot", ""},
		{"dates only", at("2025-03-14T00:00:00Z"), at("2025-03-16T00:00:00Z"), "14 Mar 2025 – 16 Mar 2025 · 2 sources · briefbot", ""},
		{"undated", time.Time{}, time.Time{}, "2 sources · briefbot", ""},
	}
	for _, tt := range tests {
		b := sampleBriefing()
		b.Stories[0].From, b.Stories[0].To = tt.from, tt.to
		e := RenderEmbeds(b, EmbedOptions{}).Embeds[0]
		if e.Footer == nil || e.Footer.Text != tt.footer || e.Timestamp != tt.stamp {
			t.Errorf("%s: footer %+v, timestamp %q; want %q and %q", tt.name, e.Footer, e.Timestamp, tt.footer, tt.stamp)
		}
	}
}

func TestSpan(t *testing.T) {
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	d := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		from, to time.Time
		loc      *time.Location
		want     string
	}{
		{d("2025-03-16T00:00:00Z"), d("2025-03-16T00:00:00Z"), time.UTC, "16 Mar 2025"},
		{d("2025-03-16T00:00:00Z"), d("2025-03-18T00:00:00Z"), kyiv, "16 Mar 2025 – 18 Mar 2025"},
		{d("2025-03-16T09:30:00Z"), d("2025-03-16T11:00:00Z"), time.UTC, "16 Mar 2025 09:30–11:00 UTC"},
		{d("2025-03-16T09:30:00Z"), d("2025-03-16T09:30:00Z"), kyiv, "16 Mar 2025 11:30 EET"},
		{time.Time{}, d("1987-02-26T15:01:01Z"), time.UTC, "26 Feb 1987 15:01 UTC"},
	}
	for _, tt := range tests {
		if got := span(tt.from, tt.to, tt.loc); got != tt.want {
			t.Errorf("span(%v, %v) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestHeadlineURLAndBidi(t *testing.T) {
	st := briefing.Story{
		Headline: "Mali ceasefire talks resume",
		Sources: []briefing.Source{
			{Name: "A", Title: "Gaza ceasefire holds", URL: "https://a.example/gaza"},
			{Name: "B", Title: "Mali ceasefire talks resume", URL: "https://b.example/mali"},
		},
	}
	if got := headlineURL(st); got != "https://b.example/mali" {
		t.Errorf("title links to %q, want the article the headline is from", got)
	}
	st.Headline = "Something else"
	if got := headlineURL(st); got != "https://a.example/gaza" {
		t.Errorf("fallback link %q, want the first source", got)
	}
	if got := clean("evil\u202egnp.exe\u202c"); got != "evilgnp.exe" {
		t.Errorf("clean kept a direction override: %q", got)
	}
}

// TestRenderEmbedsHeadlineLinks: each story's title links to its own
// headline's report, also when a large story is rendered again within its
// share of the message.
func TestRenderEmbedsHeadlineLinks(t *testing.T) {
	story := func(name string, sources int) briefing.Story {
		st := briefing.Story{Headline: name + " talks resume", Bullets: []briefing.Bullet{{Text: strings.Repeat(name+" talks went on all day. ", 30)}}}
		for i := range sources {
			st.Sources = append(st.Sources, briefing.Source{Name: fmt.Sprintf("Outlet %d", i), Title: fmt.Sprintf("%s report %d", name, i),
				URL: fmt.Sprintf("https://%s.example/%d", strings.ToLower(name), i)})
		}
		st.Sources = append(st.Sources, briefing.Source{Name: "Wire", Title: name + " talks resume", URL: "https://wire.example/" + strings.ToLower(name)})
		return st
	}
	tests := []struct {
		name    string
		stories []briefing.Story
	}{
		{"one", []briefing.Story{story("Mali", 3)}},
		{"two", []briefing.Story{story("Mali", 3), story("Gaza", 2)}},
		{"large ones re-rendered", []briefing.Story{story("Mali", 400), story("Gaza", 300), story("Sudan", 300), story("Haiti", 2)}},
	}
	for _, tt := range tests {
		msg := RenderEmbeds(briefing.Briefing{Stories: tt.stories}, EmbedOptions{})
		if len(msg.Embeds) != len(tt.stories) {
			t.Fatalf("%s: %d embeds for %d stories", tt.name, len(msg.Embeds), len(tt.stories))
		}
		for i, e := range msg.Embeds {
			if want := "https://wire.example/" + strings.ToLower(strings.Fields(tt.stories[i].Headline)[0]); e.URL != want {
				t.Errorf("%s: story %d links to %q, want %q", tt.name, i, e.URL, want)
			}
		}
	}
}

// TestSourceIndexNumbers checks how a story's sources are numbered: in
// order, a repeat (by link, or without one by outlet and headline) keeping
// its first number, sources only a bullet or quote cites after the rest;
// and that numbering never writes the story's own list, which the index
// shares while its sources differ.
func TestSourceIndexNumbers(t *testing.T) {
	a := briefing.Source{Name: "Wire", Title: "A", URL: "https://a.example/1"}
	a2 := briefing.Source{Name: "Other", Title: "A again", URL: "https://a.example/1"}
	b := briefing.Source{Name: "Wire", Title: "B"}
	b2 := briefing.Source{Name: "Wire", Title: "B", Published: time.Unix(1, 0)}
	c := briefing.Source{Name: "Wire", Title: "C"}
	d := briefing.Source{Name: "Paper", Title: "B"}
	e := briefing.Source{Name: "Wire", Title: "E", URL: "https://e.example/"}
	z := briefing.Source{Name: "Spare", Title: "Z"}
	for _, tc := range []struct {
		name    string
		sources []briefing.Source
		bullet  []briefing.Source
		quote   []briefing.Source
		want    []briefing.Source
		numbers []int // of bullet then quote
	}{
		{"distinct", []briefing.Source{a, b, c}, []briefing.Source{c, a}, nil, []briefing.Source{a, b, c}, []int{3, 1}},
		{"repeat by link", []briefing.Source{a, b, a2, c}, []briefing.Source{a2}, nil, []briefing.Source{a, b, c}, []int{1}},
		{"repeat by outlet and headline", []briefing.Source{b, c, b2, d}, []briefing.Source{b2, d}, nil, []briefing.Source{b, c, d}, []int{1, 3}},
		{"cited only by a bullet or quote", []briefing.Source{a, b}, []briefing.Source{e}, []briefing.Source{c, e}, []briefing.Source{a, b, e, c}, []int{3, 4, 3}},
		{"none", nil, []briefing.Source{e}, nil, []briefing.Source{e}, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			backing := append(slices.Clone(tc.sources), z, z)
			before := slices.Clone(backing)
			st := briefing.Story{Sources: backing[:len(tc.sources)], Bullets: []briefing.Bullet{{Text: "x", Sources: tc.bullet}}}
			if tc.quote != nil {
				st.Quotes = []briefing.Quote{{Text: "y", Sources: tc.quote}}
			}
			x := newSourceIndex(st)
			var nums []int
			for _, s := range append(slices.Clone(tc.bullet), tc.quote...) {
				nums = append(nums, x.add(s))
			}
			if !reflect.DeepEqual(x.list, tc.want) {
				t.Errorf("list %v, want %v", x.list, tc.want)
			}
			if !slices.Equal(nums, tc.numbers) {
				t.Errorf("numbers %v, want %v", nums, tc.numbers)
			}
			if !reflect.DeepEqual(backing, before) {
				t.Errorf("the story's sources were written: %v, were %v", backing, before)
			}
		})
	}
}
