package briefing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// coresStoredStories is the shape of /brief's input: stories given by the
// caller (Article.Story), the first reports of each read from their stored
// analyses and the rest cited by title only.
func coresStoredStories(stories, reports int) []Article {
	gen := buildBenchGenerated(stories*8, 300)
	var arts []Article
	for st := range stories {
		for i := range reports {
			a := Article{ID: fmt.Sprintf("%d-%d", st, i), Title: fmt.Sprintf("Report %d of story %d on the talks over the budget and the ceasefire", i%7, st), Source: fmt.Sprintf("Outlet %d", i%11),
				URL: fmt.Sprintf("https://outlet%d.example/%d-%d", i%11, st, i), Story: fmt.Sprint(st),
				Published: time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)}
			if i < 8 {
				a.Body = gen[st*8+i].Body
				if i%2 == 0 {
					a.Analysis = Analyze(a)
				}
			}
			arts = append(arts, a)
		}
	}
	return arts
}

// coresLoose are articles Build groups itself, half with stored analyses.
func coresLoose() []Article {
	arts := buildBenchGenerated(30, 300)
	for i := range arts {
		if i%2 == 0 {
			arts[i].Analysis = Analyze(arts[i])
		}
	}
	return arts
}

// TestBuildOnCores: a Build spread over several goroutines gives the
// briefing byte for byte that it gives on one, for every way of
// choosing and budgeting (the per-story stages, the one global selection,
// a history to leave out), for stories the caller gives and stories Build
// groups, and for articles with and without stored analyses.
func TestBuildOnCores(t *testing.T) {
	inputs := map[string][]Article{
		"stored stories": coresStoredStories(5, 250),
		"loose":          coresLoose(),
	}
	options := []Options{
		{Topic: "ceasefire"},
		{},
		{MaxWords: 250},
		{MaxStories: 2, MaxBullets: 2, Topic: "budget"},
	}
	build := func(procs int, arts []Article, o Options) []byte {
		t.Helper()
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		o.Now = buildGoldenNow
		b, err := Build(context.Background(), arts, o)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	for name, arts := range inputs {
		for _, o := range options {
			variants := []Options{o}
			var b Briefing
			if err := json.Unmarshal(build(1, arts, o), &b); err != nil {
				t.Fatal(err)
			}
			// What the first briefing said, as a scheduled post's history.
			if said := b.Said(); len(said) > 1 {
				o.Said = said[:len(said)/2]
				variants = append(variants, o)
			}
			for _, o := range variants {
				one := build(1, arts, o)
				for _, procs := range []int{2, 5} {
					if got := build(procs, arts, o); string(got) != string(one) {
						t.Errorf("%s, %+v: on %d cores\n%s\non one\n%s", name, o, procs, got, one)
					}
				}
			}
		}
	}
	// The inputs are big enough to be spread over two goroutines: in the
	// per-story stages, analysing the articles read, and the cited
	// reports' headlines (the stored stories).
	for name, arts := range inputs {
		sents, text, titles := 0, 0, 0
		for _, a := range arts {
			if a.Body != "" {
				sents += min(len(Sentences(a.Body)), factPerDoc(8))
			}
			if a.Analysis == nil {
				text += len(a.Body)
			}
			if a.Body == "" {
				titles += len(a.Title)
			}
		}
		if sents < 2*storyMinPart || text < 2*analyseMinPart || name == "stored stories" && titles < 2*analyseMinPart {
			t.Errorf("%s: %d sentences read, %d bytes analysed, %d of cited headlines: too few to spread", name, sents, text, titles)
		}
	}
}

// TestOnCores: every part runs once, on its own goroutine number; a
// panic in any part reaches the caller after every part has finished.
func TestOnCores(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5} {
		var ran [5]atomic.Int32
		onCores(n, func(w int) { ran[w].Add(1) })
		for w := range ran {
			if want := int32(0); w < max(n, 1) {
				want = 1
				if got := ran[w].Load(); got != want {
					t.Errorf("onCores(%d): part %d ran %d times", n, w, got)
				}
			}
		}
	}
	var finished atomic.Int32
	func() {
		defer func() {
			if p := recover(); p != "part 1" {
				t.Errorf("recovered %v, want the part's panic", p)
			}
			if finished.Load() != 2 {
				t.Errorf("%d other parts finished before the panic reached the caller, want 2", finished.Load())
			}
		}()
		onCores(3, func(w int) {
			if w == 1 {
				panic("part 1")
			}
			time.Sleep(10 * time.Millisecond)
			finished.Add(1)
		})
	}()
}

// TestOnCoresRange: every index is covered once, in blocks of
// consecutive indexes; the calling goroutine runs first before its blocks,
// once, however many blocks there are.
func TestOnCoresRange(t *testing.T) {
	for _, tt := range []struct{ n, block, workers int }{{0, 1, 2}, {1, 1, 2}, {10, 3, 2}, {100, 7, 4}, {64, 64, 2}} {
		seen := make([]atomic.Int32, tt.n)
		var firsts atomic.Int32
		onCoresRange(tt.n, tt.block, tt.workers, func() { firsts.Add(1) }, func(w, lo, hi int) {
			if hi-lo > tt.block || hi <= lo || w >= tt.workers {
				t.Errorf("%+v: block [%d, %d) on worker %d", tt, lo, hi, w)
			}
			if w == 0 && firsts.Load() != 1 {
				t.Errorf("%+v: goroutine 0 took a block before first", tt)
			}
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Errorf("%+v: index %d done %d times", tt, i, seen[i].Load())
			}
		}
		if firsts.Load() != 1 {
			t.Errorf("%+v: first ran %d times", tt, firsts.Load())
		}
	}
}

// TestEachStory: eachStory takes the stories costliest first (by their
// distinct sentences), each once, with the cache of the goroutine that
// took it, and reports the first story's error; eachStoryIn runs each
// story once.
func TestEachStory(t *testing.T) {
	story := func(sentences ...string) *assembly {
		st := &assembly{}
		for _, s := range sentences {
			an := &Analysis{}
			for _, x := range strings.Split(s, "|") {
				an.Sentences = append(an.Sentences, Sentence{Text: x})
			}
			st.members = append(st.members, member{report: report{an: an}})
		}
		return st
	}
	stories := []*assembly{
		story("A b c.|A b c.|D e f."),                 // 2 distinct
		story("One.|Two.|Three.|Four.", "Five.|Six."), // 6
		story("X.|Y.|Z.", "X.|Y.|Z.|W."),              // 4
		story("P.|Q.|R.|S.|T."),                       // 5
		story("K."),                                   // 1
	}
	var distinct []int
	for _, st := range stories {
		st.cost = st.distinctSentences()
		distinct = append(distinct, st.cost)
	}
	if want := []int{2, 6, 4, 5, 1}; fmt.Sprint(distinct) != fmt.Sprint(want) {
		t.Errorf("distinct sentences %v, want %v", distinct, want)
	}
	if got, want := storyOrder(stories), []int{1, 3, 2, 0, 4}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("storyOrder %v, want %v", got, want)
	}
	// One goroutine takes them in their order; several, each once.
	var mu sync.Mutex
	for _, tt := range []struct {
		caches int
		want   []int
	}{{1, []int{0, 1, 2, 3, 4}}, {2, []int{0, 1, 2, 3, 4}}} {
		var tcs []*termCache
		for range tt.caches {
			tcs = append(tcs, newTermCache(0, true))
		}
		var started []int
		err := eachStory(stories, tcs, func(i int, st *assembly, tc *termCache) error {
			if !slices.Contains(tcs, tc) {
				t.Errorf("story %d ran with a cache not given", i)
			}
			st.tc = tc
			mu.Lock()
			started = append(started, i)
			mu.Unlock()
			return nil
		})
		slices.Sort(started)
		if err != nil || fmt.Sprint(started) != fmt.Sprint(tt.want) {
			t.Errorf("%d caches: stories started %v (%v), want %v", tt.caches, started, err, tt.want)
		}
		ran := 0
		if err := eachStoryIn(stories, tcs, func(st *assembly) error {
			mu.Lock()
			ran++
			mu.Unlock()
			return nil
		}); err != nil || ran != len(stories) {
			t.Errorf("eachStoryIn ran %d stories, %v", ran, err)
		}
	}
	// Errors: on one goroutine, the first stops the rest.
	tcs := []*termCache{newTermCache(0, true)}
	ran := 0
	err := eachStory(stories, tcs, func(i int, st *assembly, tc *termCache) error {
		ran++
		if i == 2 || i == 4 {
			return fmt.Errorf("story %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "story 2" || ran != 3 {
		t.Errorf("eachStory: %v after %d stories, want story 2's error after 3", err, ran)
	}
	tcs = append(tcs, newTermCache(0, true))
	err = eachStory(stories, tcs, func(i int, st *assembly, tc *termCache) error {
		if i == 2 || i == 4 {
			return fmt.Errorf("story %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "story 2" {
		t.Errorf("eachStory on two goroutines: %v, want story 2's error", err)
	}
}

// TestBuildOnCoresCancelled: a Build spread over goroutines stops with
// ctx's error wherever ctx is cancelled, and otherwise gives what it
// gives uncancelled.
func TestBuildOnCoresCancelled(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, arts := range [][]Article{coresStoredStories(5, 250), coresLoose()} {
		want, err := Build(context.Background(), arts, Options{Now: buildGoldenNow})
		if err != nil {
			t.Fatal(err)
		}
		for after := int32(0); ; after = 2*after + 1 {
			ctx := &coresCountdown{Context: context.Background()}
			ctx.left.Store(after)
			b, err := Build(ctx, arts, Options{Now: buildGoldenNow})
			if ctx.left.Load() >= 0 {
				// Build never saw it cancelled: done.
				if err != nil || !reflect.DeepEqual(b, want) {
					t.Errorf("uncancelled Build: %v, or a different briefing", err)
				}
				break
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Build cancelled after %d checks: %v, want context.Canceled", after, err)
			}
		}
	}
}

// coresCountdown is a context cancelled once Err has been asked left
// times, wherever that happens.
type coresCountdown struct {
	context.Context
	left atomic.Int32
}

func (c *coresCountdown) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestGroupOnCores: Group weighs its articles on several goroutines when
// they have terms enough, and forms the same stories as on one.
func TestGroupOnCores(t *testing.T) {
	x := uint32(2463534242)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	var ans []*Analysis
	terms := 0
	for i := range 120 {
		// Six events, each with words of its own, over words every
		// article may use.
		an := &Analysis{Title: fmt.Sprintf("Event %d", i%6), Outlet: fmt.Sprintf("Outlet %d", i%9), Terms: map[string]int{},
			Published: time.Date(2025, 3, 16, i%5, 0, 0, 0, time.UTC)}
		for range 250 {
			w := fmt.Sprintf("common%d", next()%3000)
			if next()%3 == 0 {
				w = fmt.Sprintf("event%d-%d", i%6, next()%200)
			}
			an.Terms[w]++
		}
		an.Sentences = []Sentence{{Text: fmt.Sprintf("Officials in Place%d met Minister%d.", i%6, i%6)}}
		terms += len(an.Terms)
		ans = append(ans, an)
	}
	if terms < 2*groupMinPart {
		t.Fatalf("%d terms: too few to spread", terms)
	}
	group := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		g, err := Group(context.Background(), ans, nil)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(g)
	}
	one := group(1)
	if strings.Count(one, "[")-1 >= len(ans) {
		t.Fatalf("no article grouped with another: %s", one)
	}
	weigh := func(procs int) []groupArticle {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		c := &DocCounts{}
		for _, a := range ans {
			c.Add(a)
		}
		return groupWeighAll(ans, newGroupWeigher(c))
	}
	weighed := weigh(1)
	for _, procs := range []int{2, 5} {
		if got := group(procs); got != one {
			t.Errorf("on %d cores:\n%s\non one:\n%s", procs, got, one)
		}
		// The weights themselves, not only the stories they make.
		if got := weigh(procs); !reflect.DeepEqual(got, weighed) {
			t.Errorf("on %d cores the articles are weighed differently", procs)
		}
	}
}
