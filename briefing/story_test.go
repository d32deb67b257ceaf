package briefing

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var storyFixtureDay = time.Date(2025, 3, 16, 9, 0, 0, 0, time.UTC)

// storyFixtureArticles are five reports: two outlets on a Ukraine ceasefire, two
// on a Gaza ceasefire, one on cocoa. Both ceasefire stories match the topic
// "ceasefire"; they are different events.
func storyFixtureArticles() []Article {
	return []Article{
		{ID: "u1", Source: "Daily Planet", URL: "https://planet.example/u1", Published: storyFixtureDay, Title: "Putin backs Ukraine ceasefire in principle",
			Body: "Russian President Vladimir Putin said on Thursday that he supports a 30-day ceasefire in Ukraine in principle but that many questions remain.\n" +
				"Putin said any truce must address the root causes of the war and that Kyiv must not use it to rearm.\n" +
				"Ukrainian President Volodymyr Zelenskiy called the response manipulative and urged more sanctions on Moscow.\n" +
				`"We need a lasting peace, not a pause that lets Russia regroup," Zelenskiy said in his nightly address.`},
		{ID: "u2", Source: "Morning Star", URL: "https://star.example/u2", Published: storyFixtureDay.Add(5 * time.Hour), Title: "Kremlin cool on U.S. truce plan for Ukraine",
			Body: "Vladimir Putin said he supports a 30-day ceasefire in Ukraine in principle but that many questions remain, the Kremlin said.\n" +
				"The U.S. plan was agreed by Ukraine in Jeddah earlier in the week.\n" +
				"Ukrainian President Volodymyr Zelenskiy accused Putin of stalling and asked allies for more sanctions on Moscow.\n" +
				`"We need a lasting peace, not a pause that lets Russia regroup," Zelenskiy said.`},
		{ID: "g1", Source: "Daily Planet", URL: "https://planet.example/g1", Published: storyFixtureDay.Add(2 * time.Hour), Title: "Gaza ceasefire talks resume in Cairo",
			Body: "Israeli and Hamas negotiators resumed indirect talks in Cairo on Sunday on extending the Gaza ceasefire.\n" +
				"Egyptian and Qatari mediators proposed a phased release of hostages held in Gaza in exchange for Palestinian prisoners.\n" +
				"Aid trucks have been stuck at the Rafah crossing for two weeks."},
		{ID: "g2", Source: "Harbour Herald", URL: "https://herald.example/g2", Published: storyFixtureDay.Add(7 * time.Hour), Title: "Mediators push Gaza truce extension",
			Body: "Hamas and Israeli negotiators resumed indirect talks in Cairo on extending the Gaza ceasefire, Egyptian officials said.\n" +
				"Qatari and Egyptian mediators want a phased release of hostages in Gaza in exchange for Palestinian prisoners held by Israel.\n" +
				"The United Nations said aid at the Rafah crossing was running out."},
		{ID: "c1", Source: "Harbour Herald", URL: "https://herald.example/c1", Published: storyFixtureDay.Add(time.Hour), Title: "Cocoa prices hit record",
			Body: "Cocoa futures in New York rose to a record high on Monday as dry weather in Ivory Coast and Ghana cut the mid-crop outlook.\n" +
				"Chocolate makers said they would raise prices again this year."},
	}
}

func TestCosine(t *testing.T) {
	v := newVocab()
	a := v.vec([]int32{0, 1, 2}) // ceasefire, ukraine, putin
	b := v.vec([]int32{0, 1, 2})
	c := v.vec([]int32{3, 4}) // cocoa, price
	if got := cosine(a, b); math.Abs(got-1) > 1e-6 {
		t.Errorf("cos of equal vectors = %v, want 1", got)
	}
	if got := cosine(a, c); got != 0 {
		t.Errorf("cos of disjoint vectors = %v, want 0", got)
	}
	if got := cosine(nil, a); got != 0 {
		t.Errorf("cos with empty vector = %v, want 0", got)
	}
}

func TestStoryGroup(t *testing.T) {
	tests := []struct {
		name string
		arts []Article
		want [][]string // groups of article IDs, in grouping order
	}{
		{"separate events sharing a topic word", storyFixtureArticles(), [][]string{{"u1", "u2"}, {"c1"}, {"g1", "g2"}}},
		{"same event ten days apart", func() []Article {
			a := storyFixtureArticles()[:2]
			a[1].Published = a[0].Published.Add(10 * 24 * time.Hour)
			return a
		}(), [][]string{{"u1", "u2"}}},
		{"same words a year apart", func() []Article {
			a := storyFixtureArticles()[:2]
			a[1].Published = a[0].Published.Add(365 * 24 * time.Hour)
			return a
		}(), [][]string{{"u1"}, {"u2"}}},
		{"unknown times still group", func() []Article {
			a := storyFixtureArticles()[2:4]
			a[0].Published, a[1].Published = time.Time{}, time.Time{}
			return a
		}(), [][]string{{"g1", "g2"}}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ans []*Analysis
			for _, a := range tt.arts {
				ans = append(ans, Analyze(a))
			}
			groups, err := Group(context.Background(), ans, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got [][]string
			for _, g := range groups {
				var ids []string
				for _, i := range g {
					ids = append(ids, tt.arts[i].ID)
				}
				got = append(got, ids)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("storyGroup() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAssembleTopicRel(t *testing.T) {
	topic := terms("ceasefire")
	tests := []struct {
		title, body string
		want        float64
	}{
		{"Gaza ceasefire talks", "The cease-fire held.", 1},
		{"Talks resume", "The cease-fire held.", 1.0 / 3},
		{"Cocoa record", "Prices rose.", 0},
	}
	for _, tt := range tests {
		if got := assembleTopicRel(topic, Analyze(Article{Title: tt.title, Body: tt.body}), newTermCache(0, false)); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("assembleTopicRel(%q, %q) = %v, want %v", tt.title, tt.body, got, tt.want)
		}
	}
}

// TestSourceOrder: a story's sources are numbered oldest first, then by
// outlet, then in input order, read and cited-only articles alike, as the
// comparison of times, outlets and input indexes orders them.
func TestSourceOrder(t *testing.T) {
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	paris, _ := time.LoadLocation("Europe/Paris")
	type src struct {
		doc    int
		outlet string
		when   time.Time
	}
	tests := []struct {
		name          string
		read, cited   []src
		wantDocsOrder []int
	}{
		{"by time", []src{{0, "A", day.Add(time.Hour)}, {1, "A", day}}, nil, []int{1, 0}},
		{"same instant in two zones, by outlet", []src{{0, "B", day}, {1, "A", day.In(paris)}}, nil, []int{1, 0}},
		{"a nanosecond apart", []src{{0, "A", day.Add(time.Nanosecond)}, {1, "B", day}}, nil, []int{1, 0}},
		{"same time and outlet, by input", []src{{5, "A", day}, {2, "A", day}}, []src{{3, "A", day}}, []int{2, 3, 5}},
		{"undated first", []src{{0, "A", day}}, []src{{1, "B", time.Time{}}, {2, "A", time.Time{}}}, []int{2, 1, 0}},
		{"cited among read", []src{{0, "A", day.Add(2 * time.Hour)}, {1, "A", day}}, []src{{2, "C", day.Add(time.Hour)}, {3, "B", day.Add(-time.Hour)}}, []int{3, 1, 2, 0}},
		{"before the Unix epoch", []src{{0, "A", day}, {1, "A", time.Date(1969, 12, 31, 23, 59, 59, 500, time.UTC)}}, nil, []int{1, 0}},
	}
	for _, tt := range tests {
		st := &assembly{}
		rep := func(s src) report {
			return report{doc: s.doc, an: &Analysis{Outlet: s.outlet}, art: &Article{Published: s.when}}
		}
		for _, s := range tt.read {
			st.members = append(st.members, member{report: rep(s)})
		}
		for _, s := range tt.cited {
			st.cited = append(st.cited, rep(s))
		}
		var got []int
		for _, mi := range st.sourceOrder() {
			got = append(got, st.member(mi).doc)
		}
		if !reflect.DeepEqual(got, tt.wantDocsOrder) {
			t.Errorf("%s: sources in order %v, want %v", tt.name, got, tt.wantDocsOrder)
		}
	}
}

// TestSourceOrderRuns checks sourceOrder's merge of the read and the cited
// reports, each run given in order, reversed (as a store lists them) or
// shuffled, against one sort of all of them.
func TestSourceOrderRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for round := range 300 {
		st := &assembly{}
		var all []report
		rep := func() report {
			// Few times and outlets, so that ties go down to the input.
			r := report{doc: len(all), an: &Analysis{Outlet: string(rune('A' + rng.IntN(3)))}, art: &Article{Published: day.Add(time.Duration(rng.IntN(6)) * time.Hour)}}
			all = append(all, r)
			return r
		}
		for range rng.IntN(6) {
			st.members = append(st.members, member{report: rep()})
		}
		for range rng.IntN(40) {
			st.cited = append(st.cited, rep())
		}
		byKey := func(a, b report) int {
			if c := a.art.Published.Compare(b.art.Published); c != 0 {
				return c
			}
			if c := strings.Compare(a.an.Outlet, b.an.Outlet); c != 0 {
				return c
			}
			return a.doc - b.doc
		}
		switch round % 3 {
		case 0:
			slices.SortFunc(st.cited, byKey)
		case 1:
			slices.SortFunc(st.cited, func(a, b report) int { return byKey(b, a) })
		}
		want := slices.Clone(all)
		slices.SortFunc(want, byKey)
		var got, wantDocs []int
		for _, mi := range st.sourceOrder() {
			got = append(got, st.member(mi).doc)
		}
		for _, r := range want {
			wantDocs = append(wantDocs, r.doc)
		}
		if !slices.Equal(got, wantDocs) {
			t.Fatalf("round %d: sources in order %v, want %v", round, got, wantDocs)
		}
	}
}
