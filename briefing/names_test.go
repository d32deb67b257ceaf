package briefing

import (
	"fmt"
	"maps"
	"math"
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

// TestProfileNamesKeptAligned: as members join (with a weigher, as a store
// joins them, or without, as Profile.Add does), a profile keeps its names
// in order with their weights, and their numbers when it has them, through
// new names, repeated ones and trims past the bound; and the squared names
// length summed from what it keeps is the sum over Names as the map gives
// it, to the bit.
func TestProfileNamesKeptAligned(t *testing.T) {
	// A member with 40 names from first on, every step-th (step 0: 1).
	member := func(first, step int) *Analysis {
		a := &Analysis{Names: map[string]int{}}
		for i := range 40 {
			n := first + i*max(step, 1)
			a.Names[fmt.Sprintf("n%03d", n)] = 1 + n%3
		}
		return a
	}
	tests := []struct {
		name     string
		weighed  bool
		stored   bool  // the profile read from storage before the joins
		members  []int // each joins with 40 names from its number on
		numbered bool  // its names' numbers kept at the end
		step     int   // between a member's names (0: 1)
	}{
		{"new names", true, false, []int{0, 40, 80}, true, 0},
		{"repeated names", true, false, []int{0, 0, 10, 5}, true, 0},
		{"trimmed past the bound", true, false, []int{0, 40, 80, 120, 160, 20, 200}, true, 0},
		{"unweighed", false, false, []int{0, 40, 80, 120, 160}, false, 0},
		{"read from storage", true, true, []int{0, 40, 80, 120, 160}, false, 0},
		{"new names between", true, false, []int{0, 1, 3, 2}, true, 4},
	}
	// Names weigh differently, so that a name weighed by another's IDF
	// shows.
	df := &DocCounts{N: 50, DF: map[string]int{}}
	for i := range 240 {
		df.DF[fmt.Sprintf("n%03d", i)] = i % 7
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newGroupWeigher(df)
			var ww *groupWeigher
			if tt.weighed {
				ww = w
			}
			p := &Profile{}
			// The names as a map alone keeps them: each member's
			// length-normalized vector added, the heaviest kept.
			ref := map[string]float64{}
			for k, first := range tt.members {
				if k == 1 && tt.stored {
					p = &Profile{Articles: p.Articles, Names: maps.Clone(p.Names)}
				}
				a := member(first, tt.step)
				var v groupVec
				v.terms, v.tf, v.tfw, v.pre = groupTermsOf(a)
				p.add(a, v, ww)
				var norm float64
				for _, n := range slices.Sorted(maps.Keys(a.Names)) {
					x := 1 + math.Log(float64(a.Names[n]))
					norm += x * x
				}
				for _, n := range slices.Sorted(maps.Keys(a.Names)) {
					ref[n] += (1 + math.Log(float64(a.Names[n]))) / math.Sqrt(norm)
				}
				if len(ref) > profileMaxNames*3/2 {
					profileTrim(ref, profileMaxNames)
				}
				if !maps.Equal(p.Names, ref) {
					t.Fatalf("member %d: names %v, want %v", k, p.Names, ref)
				}
				if len(p.Names) > profileMaxNames*3/2 {
					t.Fatalf("member %d: %d names, past the bound", k, len(p.Names))
				}
				want := slices.Sorted(maps.Keys(p.Names))
				if !slices.Equal(p.nameKeys, want) {
					t.Fatalf("member %d: kept names %q, want %q", k, p.nameKeys, want)
				}
				for i, n := range p.nameKeys {
					if p.nameWts[i] != p.Names[n] {
						t.Fatalf("member %d: %s weighs %v, Names %v", k, n, p.nameWts[i], p.Names[n])
					}
				}
				if numbered := p.nameIDsGen == w.terms.gen && len(p.nameIDs) == len(p.nameKeys); numbered {
					for i, n := range p.nameKeys {
						if p.nameIDs[i] != w.terms.number(n) {
							t.Fatalf("member %d: %s numbered %d, not %d", k, n, p.nameIDs[i], w.terms.number(n))
						}
					}
				} else if k == len(tt.members)-1 && tt.numbered {
					t.Fatalf("member %d: names not numbered", k)
				}
				var sq float64
				for _, n := range want {
					y := p.Names[n] * w.of(n)
					sq += y * y
				}
				if got := w.namesSquares(p); got != sq {
					t.Fatalf("member %d: namesSquares %v, want %v", k, got, sq)
				}
			}
		})
	}
}
