package briefing

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// groupIDs names each group of a partition by its article IDs, sorted, so
// two partitions compare whatever order their articles came in.
func groupIDs(arts []Article, groups [][]int) []string {
	var out []string
	for _, g := range groups {
		var ids []string
		for _, i := range g {
			ids = append(ids, arts[i].ID)
		}
		sort.Strings(ids)
		s := ""
		for _, id := range ids {
			s += id + " "
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func groupAnalyses(arts []Article) []*Analysis {
	out := make([]*Analysis, len(arts))
	for i, a := range arts {
		out[i] = Analyze(a)
	}
	return out
}

// TestGroupOrderIndependent is regroup's contract: the same articles in any
// order give the same stories.
func TestGroupOrderIndependent(t *testing.T) {
	arts := storyFixtureArticles()
	// Two articles published at the same moment are ordered by content.
	arts[4].Published = arts[0].Published
	want := groupIDs(arts, mustGroup(t, groupAnalyses(arts)))
	orders := [][]int{{4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}, {1, 3, 0, 4, 2}}
	for _, o := range orders {
		var shuffled []Article
		for _, i := range o {
			shuffled = append(shuffled, arts[i])
		}
		if got := groupIDs(shuffled, mustGroup(t, groupAnalyses(shuffled))); !reflect.DeepEqual(got, want) {
			t.Errorf("order %v: %q, want %q", o, got, want)
		}
	}
}

func mustGroup(t *testing.T, ans []*Analysis) [][]int {
	t.Helper()
	g, err := Group(context.Background(), ans, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestAssignIncremental is the store's contract: articles assigned one at a
// time against profiles that are serialized between arrivals, under the
// same document frequencies, form the stories Group forms.
func TestAssignIncremental(t *testing.T) {
	arts := storyFixtureArticles()
	ans := groupAnalyses(arts)
	df := &DocCounts{}
	for _, a := range ans {
		df.Add(a)
	}
	batch, err := Group(context.Background(), ans, df)
	if err != nil {
		t.Fatal(err)
	}
	var stored [][]byte // the store's rows: one serialized profile a story
	var groups [][]int
	for _, i := range groupOrder(ans) {
		profiles := make([]*Profile, len(stored))
		for k, js := range stored {
			profiles[k] = &Profile{}
			if err := json.Unmarshal(js, profiles[k]); err != nil {
				t.Fatal(err)
			}
		}
		g := Assign(ans[i], profiles, df)
		if g < 0 {
			g = len(stored)
			stored = append(stored, nil)
			groups = append(groups, nil)
			profiles = append(profiles, &Profile{})
		}
		profiles[g].Add(ans[i])
		groups[g] = append(groups[g], i)
		js, err := json.Marshal(profiles[g])
		if err != nil {
			t.Fatal(err)
		}
		stored[g] = js
	}
	if got, want := groupIDs(arts, groups), groupIDs(arts, batch); !reflect.DeepEqual(got, want) {
		t.Errorf("incremental %q, batch %q", got, want)
	}
}

func TestSimilarity(t *testing.T) {
	arts := storyFixtureArticles()
	ans := groupAnalyses(arts)
	df := &DocCounts{}
	for _, a := range ans {
		df.Add(a)
	}
	ukraine := NewProfile(ans[0])
	if s := Similarity(ans[1], ukraine, df); s < groupJoin {
		t.Errorf("second Ukraine report: similarity %.3f, below %.2f", s, groupJoin)
	}
	for _, i := range []int{2, 3, 4} {
		if s := Similarity(ans[i], ukraine, df); s >= groupJoin {
			t.Errorf("%s: similarity %.3f to the Ukraine story", arts[i].ID, s)
		}
	}
	if s := Similarity(ans[1], &Profile{}, df); s != 0 {
		t.Errorf("empty profile: %v", s)
	}
	// The threshold rises the further an article is from the story.
	day := 24 * time.Hour
	p := &Profile{First: storyFixtureDay, Last: storyFixtureDay.Add(2 * day)}
	if got := groupNeeded(storyFixtureDay.Add(4*day), p); got != groupJoin {
		t.Errorf("two days after: need %v", got)
	}
	if a, b := groupNeeded(storyFixtureDay.Add(40*day), p), groupNeeded(storyFixtureDay.Add(90*day), p); !(a > groupJoin && b > a) {
		t.Errorf("need %v after 40 days, %v after 90", a, b)
	}
}

func TestProfileBounded(t *testing.T) {
	p := &Profile{}
	for i := range 50 {
		an := &Analysis{Terms: map[string]int{}}
		for k := range 40 {
			an.Terms[string(rune('a'+i%26))+string(rune('a'+k%26))+string(rune('a'+k/26))] = 1 + k%3
		}
		p.Add(an)
	}
	if len(p.Terms) > profileMaxTerms*3/2 || p.Articles != 50 {
		t.Errorf("%d terms, %d articles", len(p.Terms), p.Articles)
	}
}

// TestStandingHead: an outlet's pages under one headline on different days
// are editions of a column (here a weather page), never in one story
// however alike; a re-send of one edition the same day, and any story
// holding no other edition, still group by similarity.
func TestStandingHead(t *testing.T) {
	day := 24 * time.Hour
	page := func(id string, at time.Duration, focus string) Article {
		return Article{ID: id, Title: "NATIONAL FORECAST", Source: "New York Times", Published: storyFixtureDay.Add(at),
			Body: "Low pressure will move northeast over the Great Lakes, bringing snow showers to Minnesota and the Dakotas. " +
				"A cold front will cross the Ohio Valley with scattered showers and thunderstorms ahead of it.\n\n" +
				"High pressure over the Great Basin will keep the Rockies sunny and mild, while moist Pacific air brings rain to the Northwest coast. " + focus}
	}
	mon := page("mon", 0, "Frost is likely in the Appalachians.")
	monResend := page("mon-2", 3*time.Hour, "Frost is likely in the Appalachians by dawn.")
	tue := page("tue", day, "Fog will form along the Gulf Coast.")
	wed := page("wed", 2*day, "Record warmth is possible in southern Florida.")
	other := page("other", day, "Fog will form along the Gulf Coast.")
	other.Title, other.Source = "Weather", "Associated Press"
	ans := groupAnalyses([]Article{mon, monResend, tue, wed, other})
	df := &DocCounts{}
	for _, a := range ans {
		df.Add(a)
	}
	p := NewProfile(ans[0])
	if s := Similarity(ans[2], p, df); s < 2*groupJoin {
		t.Fatalf("editions should be alike (the rule is what keeps them apart): similarity %.3f", s)
	}
	cases := []struct {
		name    string
		members []int // the story's reports
		article int
		joins   bool
	}{
		{"next day's edition", []int{0}, 2, false},
		{"edition before the story", []int{2}, 0, false},
		{"re-send the same day", []int{0}, 1, true},
		{"story holding an edition and other reports", []int{0, 4}, 2, false},
		{"story of other reports", []int{4}, 0, true},
		{"another outlet's page", []int{0}, 4, true},
		{"edition after a same-day re-send", []int{0, 1}, 3, false},
	}
	for _, c := range cases {
		p := NewProfile(ans[c.members[0]])
		for _, m := range c.members[1:] {
			p.Add(ans[m])
		}
		// Through JSON, as a store keeps it.
		stored := storedProfile(t, p)
		if got := Assign(ans[c.article], []*Profile{stored}, df) == 0; got != c.joins {
			t.Errorf("%s: joins %v, want %v", c.name, got, c.joins)
		}
	}
	groups := mustGroup(t, ans[:4])
	if got, want := groupIDs([]Article{mon, monResend, tue, wed}, groups), []string{"mon mon-2 ", "tue ", "wed "}; !reflect.DeepEqual(got, want) {
		t.Errorf("Group: %q, want %q", got, want)
	}
}

// TestBuildCallerStories: articles the caller groups are briefed as the
// caller's stories, never regrouped; past MaxStoryTexts, and without a
// text, an article is a source of its story only, still cited and
// counted, its words never shown.
func TestBuildCallerStories(t *testing.T) {
	arts := storyFixtureArticles()
	// u1 and u2 tell one event, and the caller keeps them apart; g1 and c1
	// share nothing, and the caller puts them together.
	keys := map[string]string{"u1": "a", "u2": "b", "g1": "c", "c1": "c", "g2": "d"}
	for i := range arts {
		arts[i].Story = keys[arts[i].ID]
	}
	// A source only: no text.
	arts = append(arts, Article{ID: "x1", Title: "Ceasefire live updates", Source: "Wire", URL: "https://wire.example/x1", Published: storyFixtureDay.Add(9 * time.Hour), Story: "d"})
	b := mustBuild(t, arts, Options{Now: buildGoldenNow})
	got := map[string][]string{}
	for _, s := range b.Stories {
		for _, src := range s.Sources {
			got[s.Key] = append(got[s.Key], src.URL)
		}
	}
	want := map[string][]string{
		"a": {"https://planet.example/u1"},
		"b": {"https://star.example/u2"},
		"c": {"https://herald.example/c1", "https://planet.example/g1"},
		"d": {"https://herald.example/g2", "https://wire.example/x1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stories by key = %q, want %q", got, want)
	}

	// One story of more reports than a story reads: each is cited among
	// its sources, and only the first MaxStoryTexts are read.
	var many []Article
	for i := 0; i < MaxStoryTexts+5; i++ {
		a := arts[i%2] // u1, u2
		a.ID = fmt.Sprintf("m%d", i)
		a.URL = fmt.Sprintf("https://outlet%d.example/m", i)
		a.Source = fmt.Sprintf("Outlet %d", i)
		a.Story = "big"
		if i >= MaxStoryTexts {
			a.Body = "Unread text: a sentence no bullet may show, because its report was not read."
		}
		many = append(many, a)
	}
	b = mustBuild(t, many, Options{Now: buildGoldenNow})
	if len(b.Stories) != 1 || len(b.Stories[0].Sources) != len(many) {
		t.Fatalf("want one story citing all %d reports, got %d stories: %s", len(many), len(b.Stories), buildRenderForEye(b))
	}
	for _, bl := range b.Stories[0].Bullets {
		if strings.Contains(bl.Text, "Unread") {
			t.Errorf("bullet from an unread report: %q", bl.Text)
		}
		for _, src := range bl.Sources {
			var n int
			fmt.Sscanf(src.URL, "https://outlet%d.example/m", &n)
			if n >= MaxStoryTexts {
				t.Errorf("bullet cites unread report %s", src.URL)
			}
		}
	}
}

// storedProfile is p read back from its JSON, as a store keeps it.
func storedProfile(t *testing.T, p *Profile) *Profile {
	t.Helper()
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	stored := &Profile{}
	if err := json.Unmarshal(js, stored); err != nil {
		t.Fatal(err)
	}
	return stored
}

// TestSortTermsSameWeights: an analysis whose terms were sorted beforehand
// (SortTerms, as the store's preparing does) is weighed, assigned and
// joined exactly as one sorted when compared.
func TestSortTermsSameWeights(t *testing.T) {
	arts := storyFixtureArticles()
	plain, sorted := groupAnalyses(arts), groupAnalyses(arts)
	for _, a := range sorted {
		a.SortTerms()
		if a.sorted == nil {
			t.Fatal("SortTerms kept nothing")
		}
	}
	df := &DocCounts{}
	for _, a := range plain {
		df.Add(a)
	}
	// Each set grouped one by one into its own profiles, as the store does.
	run := func(ans []*Analysis) (assigned []int, terms [][]string, norms []float64) {
		w := NewWeights(df)
		var profiles []*Profile
		for _, a := range ans {
			ts, _, _ := w.Terms(a)
			terms = append(terms, slices.Clone(ts))
			i := w.Assign(a, profiles)
			if i < 0 {
				profiles = append(profiles, &Profile{})
				i = len(profiles) - 1
			}
			w.Join(profiles[i], a)
			assigned = append(assigned, i)
		}
		for _, p := range profiles {
			norms = append(norms, w.norm(p))
		}
		return assigned, terms, norms
	}
	a1, t1, n1 := run(plain)
	a2, t2, n2 := run(sorted)
	if !slices.Equal(a1, a2) || !slices.Equal(n1, n2) {
		t.Errorf("stories %v (lengths %v), with terms sorted beforehand %v (%v)", a1, n1, a2, n2)
	}
	for i := range t1 {
		if !slices.Equal(t1[i], t2[i]) {
			t.Errorf("article %d: terms %q, sorted beforehand %q", i, t1[i], t2[i])
		}
	}
	if !slices.ContainsFunc(a1, func(i int) bool { return i > 0 }) || !slices.ContainsFunc(a1[1:], func(i int) bool { return i == 0 }) {
		t.Errorf("the fixture should make several stories, one of several articles: %v", a1)
	}
}

// TestDocCountsAddCounts: counting a batch at once is counting its
// articles one by one.
func TestDocCountsAddCounts(t *testing.T) {
	arts := []*Analysis{
		{Terms: map[string]int{"oil": 2, "price": 1}},
		{Terms: map[string]int{"oil": 1, "opec": 3}},
		{Terms: map[string]int{}},
	}
	var one, batch DocCounts
	df := map[string]int{}
	for _, a := range arts {
		one.Add(a)
		for term := range a.Terms {
			df[term]++
		}
	}
	batch.AddCounts(len(arts), df)
	if !reflect.DeepEqual(one, batch) {
		t.Fatalf("one by one %+v, at once %+v", one, batch)
	}
}
