package briefing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestAnalysisStored checks the store's contract: an Analysis survives a
// JSON round trip unchanged, and Build gives the same briefing from stored
// analyses as from the bodies, without reading the bodies at all.
func TestAnalysisStored(t *testing.T) {
	arts := append(storyFixtureArticles(), buildLoadSeeds(t, filepath.Join("testdata", "seeds"))...)
	want := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow})
	stored := make([]Article, len(arts))
	for i, a := range arts {
		an := Analyze(a)
		if an.Version != AnalysisVersion || len(an.Sentences) == 0 || len(an.Terms) == 0 {
			t.Fatalf("%s: incomplete analysis %+v", a.ID, an)
		}
		js, err := json.Marshal(an)
		if err != nil {
			t.Fatal(err)
		}
		var back Analysis
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		// The terms in order, which Analyze keeps for grouping, are
		// no part of the stored form: SortTerms makes them from Terms.
		back.SortTerms()
		if !reflect.DeepEqual(*an, back) {
			t.Errorf("%s: analysis changed in a JSON round trip:\n%+v\n%+v", a.ID, *an, back)
		}
		stored[i] = a
		stored[i].Body = "This body must not be read again."
		stored[i].Analysis = &back
	}
	if got := mustBuild(t, stored, Options{Topic: "ceasefire", Now: buildGoldenNow}); !reflect.DeepEqual(got, want) {
		t.Errorf("briefing from stored analyses differs:\n%s\nwant\n%s", buildRenderForEye(got), buildRenderForEye(want))
	}
	// An analysis of an older version is stale: Build analyses the body.
	stale := append([]Article(nil), stored...)
	for i := range stale {
		old := *stale[i].Analysis
		old.Version = AnalysisVersion - 1
		stale[i].Analysis = &old
		stale[i].Body = arts[i].Body
	}
	if got := mustBuild(t, stale, Options{Topic: "ceasefire", Now: buildGoldenNow}); !reflect.DeepEqual(got, want) {
		t.Error("stale analyses were used")
	}
}

func TestAnalyzeQuotes(t *testing.T) {
	an := Analyze(Article{Title: "Envoy expects call", Body: "Special envoy Steve Witkoff met Putin in Moscow on Thursday.\n" +
		`"I expect that there will be a call with both presidents this week," Witkoff told CNN on Sunday. He flew home.`})
	if len(an.Quotes) != 1 {
		t.Fatalf("quotes = %+v, want one", an.Quotes)
	}
	q := an.Quotes[0]
	if q.Speaker != "Steve Witkoff" || q.Sentence != 1 {
		t.Errorf("quote %+v: want Steve Witkoff in sentence 1", q)
	}
	if !reflect.DeepEqual(an.People, []string{"Steve Witkoff"}) {
		t.Errorf("people = %q", an.People)
	}
}

func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Build(ctx, storyFixtureArticles(), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Build with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestAnalyzeCut(t *testing.T) {
	para := strings.Repeat("The council met again on Monday to discuss the budget. ", 20) + "\n\n"
	body := strings.Repeat(para, analyzeMaxBytes/len(para)+10)
	an := Analyze(Article{Body: body})
	var n int
	for _, s := range an.Sentences {
		n += len(s.Text) + 1
		if s.Text != "The council met again on Monday to discuss the budget." {
			t.Fatalf("a sentence was cut: %q", s.Text)
		}
	}
	if n > analyzeMaxBytes || len(an.Sentences) == 0 {
		t.Errorf("%d bytes of sentences from a %d-byte body", n, len(body))
	}
	if got := analyzeCut("ab cd\u00e9", 6); got != "ab cd" {
		t.Errorf("analyzeCut = %q", got)
	}
}

// TestAnalyzerReuse: an Analyzer that has analysed other articles gives
// each article the analysis a new one gives (what it remembers depends only
// on each word), also after it forgets what it remembered.
func TestAnalyzerReuse(t *testing.T) {
	arts := buildLoadCorpus(t, filepath.Join("..", "..", "shared", "corpus", "bbc2225.jsonl"), func(string, string) bool { return true }, 200)
	z := NewAnalyzer()
	for i, a := range arts {
		if i == 100 {
			// Over the bound: the next Analyze forgets every word.
			for k := range analyzerMaxWords + 1 {
				z.tc.word([]byte(fmt.Sprintf("w%d", k)))
			}
		}
		got, want := z.Analyze(a), Analyze(a)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("article %d (%q): the reused Analyzer's analysis differs", i, a.Title)
		}
	}
	if len(z.tc.words) > analyzerMaxWords {
		t.Errorf("the Analyzer remembers %d words, more than %d", len(z.tc.words), analyzerMaxWords)
	}
}

// TestAnalyzeSortsTerms: Analyze keeps the terms in order with their
// counts, logarithms and prefixes, as SortTerms computes them from Terms,
// on the corpora's articles and on one with more terms than analyzeMaxTerms.
func TestAnalyzeSortsTerms(t *testing.T) {
	var arts []Article
	for _, name := range []string{"bbc2225.jsonl", "reuters21578.jsonl"} {
		arts = append(arts, buildLoadCorpus(t, filepath.Join("..", "..", "shared", "corpus", name), func(string, string) bool { return true }, 300)...)
	}
	var long strings.Builder
	for i := range 3 * analyzeMaxTerms {
		fmt.Fprintf(&long, "Word%c%d is here%s. ", 'a'+rune(i%26), i, strings.Repeat(" again", i%3))
	}
	arts = append(arts, Article{Title: "Many words", Body: long.String(), Source: "Wire"})
	z := NewAnalyzer()
	trimmed := false
	for i, a := range arts {
		got := z.Analyze(a)
		want := *got
		want.sorted = nil
		want.SortTerms()
		if got.sorted == nil || want.sorted == nil || !reflect.DeepEqual(got.sorted, want.sorted) {
			t.Fatalf("article %d (%q): sorted terms %+v, want %+v", i, a.Title, got.sorted, want.sorted)
		}
		trimmed = trimmed || len(got.Terms) == analyzeMaxTerms
	}
	if !trimmed {
		t.Error("no article had its terms trimmed")
	}
}
