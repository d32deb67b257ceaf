package briefing

import (
	"maps"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"
)

// TestAnalysisNames: a name is a word written with a capital inside a
// sentence; a sentence's first word, a word after a colon or opening a
// quotation, weekdays and months are not names.
func TestAnalysisNames(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"Rescuers reached Manila on Tuesday after Typhoon Babs passed.", []string{"babs", "manila", "typhoon"}},
		{"Officials said: Damage was heavy in October.", nil},
		{`He said "Nobody expected this" in Luzon.`, []string{"luzon"}},
		{"the storm hit (Aurora province) hard.", []string{"aurora"}},
		{"No names at all here.", nil},
	}
	for _, c := range cases {
		got := analysisNames([]Sentence{{Text: c.text}})
		var names []string
		for n := range got {
			names = append(names, n)
		}
		sort.Strings(names)
		var want []string
		for _, w := range c.want {
			want = append(want, stem(w))
		}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("%q: names %q, want %q", c.text, names, want)
		}
	}
}

// TestNamesKeepEventsApart: two storms share their vocabulary, so the
// first report of the second is as similar to the first's story as its
// follow-ups are; it shares none of the story's names and starts its own.
// A follow-up that names the story's storm joins, as does a report with no
// names at all (nothing to hold it to).
func TestNamesKeepEventsApart(t *testing.T) {
	day := 24 * time.Hour
	storm := "The storm's winds tore roofs from homes and flooding forced thousands to flee to shelters. " +
		"Rescue workers searched for survivors as rivers rose and landslides buried villages.\n\n" +
		"Officials said the death toll was expected to rise as communications were restored. "
	georges := Article{ID: "georges", Source: "Associated Press", Published: storyFixtureDay,
		Body: "Hurricane Georges slammed into Puerto Rico and the Dominican Republic, killing dozens. " + storm +
			"In Santo Domingo, Georges left most of the city without power."}
	georges2 := Article{ID: "georges-2", Source: "New York Times", Published: storyFixtureDay.Add(day),
		Body: "Hurricane Georges moved toward Key West after battering Haiti and Puerto Rico. " + storm}
	babs := Article{ID: "babs", Source: "Associated Press", Published: storyFixtureDay.Add(day),
		Body: "Typhoon Babs slammed into Luzon in the Philippines, killing dozens. " + storm +
			"In Manila, Babs left most of the city without power."}
	nameless := Article{ID: "nameless", Source: "Reuters", Published: storyFixtureDay.Add(day),
		Body: storm + "aid agencies sent food and water to those who lost their homes."}
	ans := groupAnalyses([]Article{georges, georges2, babs, nameless})
	df := &DocCounts{}
	for _, a := range ans {
		df.Add(a)
	}
	p := NewProfile(ans[0])
	if s, need := Similarity(ans[2], p, df), Similarity(ans[1], p, df); s < groupJoin || s < need/2 {
		t.Fatalf("the other storm should be about as similar as a follow-up (names are what keep them apart): %.3f against %.3f", s, need)
	}
	for _, c := range []struct {
		name    string
		article int
		joins   bool
	}{
		{"follow-up naming the storm", 1, true},
		{"another storm", 2, false},
		{"report with no names", 3, true},
	} {
		stored := storedProfile(t, p)
		if got := Assign(ans[c.article], []*Profile{stored}, df) == 0; got != c.joins {
			t.Errorf("%s: joins %v, want %v", c.name, got, c.joins)
		}
	}
	groups := mustGroup(t, ans[:3])
	if got, want := groupIDs([]Article{georges, georges2, babs}, groups), []string{"babs ", "georges georges-2 "}; !reflect.DeepEqual(got, want) {
		t.Errorf("Group: %q, want %q", got, want)
	}
}

// TestProfileNamesKeptInOrder: a profile's names are sorted once and kept
// for its comparisons (sortedNames), and a member joining with new names
// merges them in: the same names, in order, as a profile read from its
// stored form, and the same answers from namesAgree.
func TestProfileNamesKeptInOrder(t *testing.T) {
	day := 24 * time.Hour
	ans := groupAnalyses([]Article{
		{ID: "a", Source: "Associated Press", Published: storyFixtureDay,
			Body: "Hurricane Georges slammed into Puerto Rico, killing dozens. Officials in San Juan counted the dead."},
		{ID: "b", Source: "Reuters", Published: storyFixtureDay.Add(day),
			Body: "Hurricane Georges reached Key West after Haiti. Governor Lawton Chiles ordered Florida evacuations."},
		{ID: "c", Source: "Reuters", Published: storyFixtureDay.Add(day),
			Body: "Typhoon Babs struck Luzon. Manila closed its schools and Philippine Airlines grounded flights."},
	})
	w := newGroupWeigher(nil)
	p := NewProfile(ans[0])
	agree := func(p *Profile) []bool {
		var out []bool
		for _, a := range ans {
			out = append(out, w.namesAgree(w.names(a), p))
		}
		return out
	}
	// The last joins with names the story has: their weights change, not
	// their number.
	for step, join := range []*Analysis{nil, ans[1], ans[2], ans[1]} {
		if join != nil {
			agree(p) // the names kept before the member joins
			p.Add(join)
		}
		stored := storedProfile(t, p)
		want := slices.Sorted(maps.Keys(stored.Names))
		if got := p.sortedNames(); !slices.Equal(got, want) {
			t.Errorf("step %d: names %q, want %q", step, got, want)
		}
		if got, want := agree(p), agree(stored); !slices.Equal(got, want) {
			t.Errorf("step %d: names agree %v, read from storage %v", step, got, want)
		}
	}
}

func TestMergeSorted(t *testing.T) {
	tests := []struct {
		a, b, want []string
	}{
		{nil, []string{"x"}, nil},
		{[]string{}, nil, []string{}},
		{[]string{"b", "d"}, nil, []string{"b", "d"}},
		{[]string{"b", "d"}, []string{"a"}, []string{"a", "b", "d"}},
		{[]string{"b", "d"}, []string{"c", "e"}, []string{"b", "c", "d", "e"}},
		{[]string{}, []string{"a", "b"}, []string{"a", "b"}},
		{[]string{"Zeta", "alpha"}, []string{"Beta", "beta"}, []string{"Beta", "Zeta", "alpha", "beta"}},
	}
	for _, tc := range tests {
		got := mergeSorted(tc.a, tc.b)
		if (got == nil) != (tc.want == nil) || !slices.Equal(got, tc.want) {
			t.Errorf("mergeSorted(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
