package briefing

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestNoveltyCovers(t *testing.T) {
	said := []string{
		"Putin has said he supports but hasn't yet agreed to a 30-day ceasefire deal brokered by U.S. officials in Saudi Arabia.",
		"I expect that there will be a call with both presidents this week, and we're also continuing to engage and have conversation with the Ukrainians.",
		"OK.",
	}
	tests := []struct {
		in   string
		want bool
	}{
		{"Putin has said he supports but hasn't yet agreed to a 30-day ceasefire deal brokered by U.S. officials in Saudi Arabia.", true},
		{"Putin said he supports a 30-day ceasefire deal brokered by U.S. officials in Saudi Arabia but has not yet agreed to it.", true},
		{"I expect that there will be a call with both presidents this week, and we’re also continuing to engage and have a conversation with the Ukrainians.", true},
		{"OK.", true},
		{"Russia and Ukraine continued trading heavy aerial strikes through the weekend.", false},
		{"Putin agreed to the ceasefire on Tuesday and Russian troops stopped shelling Kharkiv, Sumy and Zaporizhzhia overnight.", false},
		{"Fine.", false},
	}
	n := noveltyNew(said, newTermCache(0, false))
	for _, tt := range tests {
		if got := n.covers(tt.in); got != tt.want {
			t.Errorf("covers(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if noveltyNew(nil, newTermCache(0, false)).covers("Anything at all that is said here.") {
		t.Error("empty history covers a text")
	}
}

func TestBriefingSaid(t *testing.T) {
	b := Briefing{Stories: []Story{
		{Bullets: []Bullet{{Text: "A."}, {Text: "B."}}, Quotes: []Quote{{Text: "Q1."}}},
		{Bullets: []Bullet{{Text: "C."}}},
	}}
	if got, want := b.Said(), []string{"A.", "B.", "Q1.", "C."}; !reflect.DeepEqual(got, want) {
		t.Errorf("Said() = %q, want %q", got, want)
	}
	if got := (Briefing{}).Said(); got != nil {
		t.Errorf("Said() of empty briefing = %q, want nil", got)
	}
}

func TestBuildWhatIsNew(t *testing.T) {
	arts := buildLoadSeeds(t, filepath.Join("testdata", "seeds"))
	first := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow})
	said := first.Said()
	if len(said) < 3 {
		t.Fatalf("first briefing says too little: %q", said)
	}

	t.Run("posting until nothing is left", func(t *testing.T) {
		// Each scheduled post adds its texts to the history; the next post
		// must bring only new ones, and the series must run dry.
		history := append([]string(nil), said...)
		seen := map[string]bool{}
		for _, s := range said {
			seen[s] = true
		}
		for round := 0; ; round++ {
			if round > 30 {
				t.Fatal("never ran out of new facts")
			}
			next := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow, Said: history})
			if next.NothingNew {
				if len(next.Stories) == 0 {
					t.Fatal("NothingNew but the story vanished; want it kept and marked")
				}
				for _, s := range next.Stories {
					if !s.NothingNew || len(s.Bullets)+len(s.Quotes) > 0 {
						t.Errorf("story %q: NothingNew %v with %d bullets, %d quotes", s.Headline, s.NothingNew, len(s.Bullets), len(s.Quotes))
					}
				}
				return
			}
			texts := next.Said()
			if len(texts) == 0 {
				t.Fatalf("round %d: nothing said but NothingNew is false", round)
			}
			for _, x := range texts {
				if seen[x] {
					t.Errorf("round %d repeated %q", round, x)
				}
				seen[x] = true
			}
			history = append(history, texts...)
		}
	})

	t.Run("part said", func(t *testing.T) {
		part := said[:1]
		next := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow, Said: part})
		if next.NothingNew {
			t.Fatal("NothingNew with most facts unsaid")
		}
		for _, text := range next.Said() {
			if text == part[0] {
				t.Errorf("repeated what was said: %q", text)
			}
		}
	})

	t.Run("said by another outlet in other words", func(t *testing.T) {
		// The second outlet's wording of the Witkoff quote was posted; the
		// first outlet's longer wording is not news.
		next := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow, Said: []string{
			"I expect that there will be a call with both presidents this week, and we're also continuing to engage and have conversation with the Ukrainians.",
		}})
		for _, text := range next.Said() {
			if strings.Contains(text, "call with both presidents") {
				t.Errorf("near-duplicate of a posted quote repeated: %q", text)
			}
		}
	})
}

func TestBuildNewStoriesFirst(t *testing.T) {
	arts := storyFixtureArticles()
	first := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow, MaxStories: 1})
	if len(first.Stories) != 1 {
		t.Fatalf("want 1 story, got %d", len(first.Stories))
	}
	// Everything of the top story is posted and more: a single slot must go to
	// the other story, which has news, not to the unchanged one.
	var said []string
	for _, a := range arts {
		said = append(said, Sentences(a.Body)...)
	}
	top := first.Stories[0].Headline
	var sameStory []string
	for _, a := range arts {
		d := cleanArticle(a)
		if strings.Contains(top, "Gaza") == strings.Contains(a.Title+a.Body, "Gaza") {
			sameStory = append(sameStory, d.sents()...)
		}
	}
	next := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow, MaxStories: 1, Said: sameStory})
	if len(next.Stories) != 1 || next.Stories[0].Headline == top || next.Stories[0].NothingNew {
		t.Errorf("want the other story with news, got:\n%s", buildRenderForEye(next))
	}
	if next.NothingNew {
		t.Error("NothingNew while another story has news")
	}
	all := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow, Said: said})
	if !all.NothingNew || len(all.Stories) != 2 {
		t.Errorf("with every sentence said: NothingNew %v, %d stories; want true, 2", all.NothingNew, len(all.Stories))
	}
}
