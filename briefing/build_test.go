package briefing

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

var buildUpdate = flag.Bool("update", false, "rewrite the golden files under testdata/")

// buildLoadSeeds reads sample articles in the seed format: line 1 is the
// title, then one paragraph a line.
func buildLoadSeeds(t testing.TB, dir string) []Article {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatalf("glob %s: %v", dir, err)
	}
	sort.Strings(paths)
	var out []Article
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		title, body, _ := strings.Cut(string(raw), "\n")
		out = append(out, Article{ID: filepath.Base(p), Title: strings.TrimSpace(title), Body: body})
	}
	return out
}

var buildGoldenNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// buildRenderForEye prints a briefing the way a person reads it, for golden files
// and for looking at output by eye.
func buildRenderForEye(b Briefing) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Topic: %s (nothing new: %v)\n", b.Topic, b.NothingNew)
	for _, s := range b.Stories {
		fmt.Fprintf(&sb, "\n## %s\n", s.Headline)
		if s.NothingNew {
			sb.WriteString("(nothing new)\n")
		}
		cite := func(ss []Source) string {
			var names []string
			for _, x := range ss {
				names = append(names, x.Name)
			}
			return strings.Join(names, "; ")
		}
		for _, bl := range s.Bullets {
			fmt.Fprintf(&sb, "- %s [%s]\n", bl.Text, cite(bl.Sources))
		}
		for _, q := range s.Quotes {
			fmt.Fprintf(&sb, "> \"%s\" — %s [%s]\n", q.Text, q.Speaker, cite(q.Sources))
		}
		fmt.Fprintf(&sb, "Sources: %s\n", cite(s.Sources))
	}
	return sb.String()
}

func buildCheckGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *buildUpdate {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write golden %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s (run with -update to create): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (run with -update if the change is intended)\n--- got ---\n%s", path, got)
	}
}

func TestBuildSeedsGolden(t *testing.T) {
	arts := buildLoadSeeds(t, filepath.Join("testdata", "seeds"))
	if len(arts) < 2 {
		t.Fatalf("want the two seed articles in testdata/seeds, got %d", len(arts))
	}
	b := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow})
	js, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	buildCheckGolden(t, "ceasefire.golden.json", append(js, '\n'))
	buildCheckGolden(t, "ceasefire.golden.txt", []byte(buildRenderForEye(b)))
}

// TestSeedCopiesCurrent keeps testdata/seeds in step with the shared seeds
// when they are present.
func TestSeedCopiesCurrent(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "seeds")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("shared seeds absent")
	}
	a := buildLoadSeeds(t, shared)
	b := buildLoadSeeds(t, filepath.Join("testdata", "seeds"))
	if len(a) != len(b) {
		t.Fatalf("shared has %d seeds, testdata %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("seed %s differs from its copy in testdata/seeds", a[i].ID)
		}
	}
}

func TestBuildSeedsAcceptance(t *testing.T) {
	arts := buildLoadSeeds(t, filepath.Join("testdata", "seeds"))
	b := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow})
	if len(b.Stories) != 1 {
		t.Fatalf("want one story from two reports of one event, got %d:\n%s", len(b.Stories), buildRenderForEye(b))
	}
	s := b.Stories[0]
	if len(s.Sources) != 2 {
		t.Errorf("story cites %d sources, want 2", len(s.Sources))
	}
	boiler := []string{"Manage your account", "WhatsApp", "not responsible", "Contributing:", "originally appeared", "Trump denies media reports"}
	all := b.Said()
	for _, text := range all {
		for _, bad := range boiler {
			if strings.Contains(text, bad) {
				t.Errorf("boilerplate %q in %q", bad, text)
			}
		}
	}
	var witkoff []Quote
	for _, q := range s.Quotes {
		if strings.Contains(q.Text, "call with both presidents") {
			witkoff = append(witkoff, q)
		}
	}
	if len(witkoff) != 1 {
		t.Fatalf("Witkoff quote appears %d times, want once:\n%s", len(witkoff), buildRenderForEye(b))
	}
	if witkoff[0].Speaker != "Steve Witkoff" || len(witkoff[0].Sources) != 2 {
		t.Errorf("Witkoff quote: speaker %q, %d sources; want Steve Witkoff citing both", witkoff[0].Speaker, len(witkoff[0].Sources))
	}
	for _, bl := range s.Bullets {
		if len(bl.Sources) == 0 {
			t.Errorf("bullet without source: %q", bl.Text)
		}
		if strings.Contains(bl.Text, "call with both presidents") {
			t.Errorf("quote repeated as bullet: %q", bl.Text)
		}
	}
	for i := range s.Bullets {
		for j := i + 1; j < len(s.Bullets); j++ {
			a, c := terms(s.Bullets[i].Text), terms(s.Bullets[j].Text)
			if factContained(a, c) {
				t.Errorf("bullets %d and %d say the same:\n%q\n%q", i, j, s.Bullets[i].Text, s.Bullets[j].Text)
			}
		}
	}
}

func buildBriefingWords(b Briefing) int {
	n := 0
	for _, t := range b.Said() {
		n += len(strings.Fields(t))
	}
	return n
}

func TestBuildOptions(t *testing.T) {
	arts := append(storyFixtureArticles(), buildLoadSeeds(t, filepath.Join("testdata", "seeds"))...)
	tests := []struct {
		name        string
		opts        Options
		wantStories int // -1: do not check
		maxBullets  int
		maxWords    int
	}{
		// The undated seeds join the dated Ukraine reports: same event.
		{"defaults, no topic", Options{}, 3, 0, 0},
		{"topic keeps matching stories only", Options{Topic: "ceasefire"}, 2, 0, 0},
		{"one story", Options{MaxStories: 1}, 1, 0, 0},
		{"two bullets", Options{MaxBullets: 2}, 3, 2, 0},
		{"word budget", Options{MaxWords: 60}, 3, 0, 60},
		{"tiny word budget", Options{MaxWords: 5}, 3, 0, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = buildGoldenNow
			b := mustBuild(t, arts, tt.opts)
			if tt.wantStories >= 0 && len(b.Stories) != tt.wantStories {
				t.Errorf("%d stories, want %d:\n%s", len(b.Stories), tt.wantStories, buildRenderForEye(b))
			}
			for _, s := range b.Stories {
				if tt.maxBullets > 0 && len(s.Bullets) > tt.maxBullets {
					t.Errorf("story %q has %d bullets, max %d", s.Headline, len(s.Bullets), tt.maxBullets)
				}
				if len(s.Sources) == 0 {
					t.Errorf("story %q has no sources", s.Headline)
				}
			}
			if tt.maxWords > 0 && buildBriefingWords(b) > tt.maxWords {
				t.Errorf("%d words, budget %d", buildBriefingWords(b), tt.maxWords)
			}
			if !b.GeneratedAt.Equal(buildGoldenNow) {
				t.Errorf("GeneratedAt = %v, want %v", b.GeneratedAt, buildGoldenNow)
			}
			again := mustBuild(t, arts, tt.opts)
			if !reflect.DeepEqual(b, again) {
				t.Error("same input gave a different briefing")
			}
		})
	}
}

func TestBuildStories(t *testing.T) {
	b := mustBuild(t, storyFixtureArticles(), Options{Topic: "ceasefire", Now: buildGoldenNow})
	var heads []string
	for _, s := range b.Stories {
		heads = append(heads, s.Headline)
	}
	if len(b.Stories) != 2 {
		t.Fatalf("want the Gaza and the Ukraine story, got %q", heads)
	}
	for _, s := range b.Stories {
		if strings.Contains(s.Headline, "Cocoa") {
			t.Errorf("off-topic story %q", s.Headline)
		}
		if len(s.Sources) != 2 {
			t.Errorf("story %q cites %d sources, want 2", s.Headline, len(s.Sources))
		}
		// Each story's lede is reported by both outlets: one bullet, two sources.
		if len(s.Bullets) == 0 || len(s.Bullets[0].Sources) != 2 {
			t.Errorf("story %q: first bullet should cite both outlets:\n%s", s.Headline, buildRenderForEye(b))
		}
		if s.From.IsZero() || s.To.Before(s.From) {
			t.Errorf("story %q spans %v to %v", s.Headline, s.From, s.To)
		}
	}
	var zel int
	for _, s := range b.Stories {
		for _, q := range s.Quotes {
			if strings.Contains(q.Text, "lasting peace") {
				zel++
				if q.Speaker != "Volodymyr Zelenskiy" || len(q.Sources) != 2 {
					t.Errorf("Zelenskiy quote: speaker %q, %d sources", q.Speaker, len(q.Sources))
				}
			}
		}
		for _, bl := range s.Bullets {
			if strings.Contains(bl.Text, "lasting peace") {
				t.Errorf("quote repeated as bullet: %q", bl.Text)
			}
		}
	}
	if zel != 1 {
		t.Errorf("Zelenskiy quote shown %d times, want once", zel)
	}
}

func TestBuildEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		arts []Article
		opts Options
	}{
		{"no articles", nil, Options{}},
		{"only boilerplate", []Article{{Title: "x", Body: "Manage your account\nFollow us on our WhatsApp channel here ."}}, Options{}},
		{"empty bodies", []Article{{}, {Title: "T"}}, Options{Topic: "t"}},
		{"topic matching nothing", []Article{{Title: "Cocoa", Body: "Cocoa prices rose to a record high on Monday in New York."}}, Options{Topic: "ceasefire"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustBuild(t, tt.arts, tt.opts)
			if b.Stories == nil {
				t.Error("Stories is nil; want an empty list so JSON says []")
			}
			if b.NothingNew {
				t.Error("NothingNew without any history")
			}
			for _, s := range b.Stories {
				for _, bl := range s.Bullets {
					if len(bl.Sources) == 0 {
						t.Errorf("bullet without source: %q", bl.Text)
					}
				}
			}
		})
	}
	// An article that does not match the topic still makes a story when it is
	// all there is: the caller's search chose it.
	b := mustBuild(t, tests[3].arts, Options{Topic: "ceasefire"})
	if len(b.Stories) != 1 {
		t.Errorf("lone off-topic article gave %d stories, want 1", len(b.Stories))
	}
}

// TestBuildReuters looks at related wire reports from the Reuters corpus:
// no sign-offs or tables leak, every bullet and quote cites, no two bullets
// of a story say the same.
func TestBuildReuters(t *testing.T) {
	for _, kw := range []string{"cocoa", "opec"} {
		t.Run(kw, func(t *testing.T) {
			arts := buildLoadCorpus(t, filepath.Join("..", "..", "shared", "corpus", "reuters21578.jsonl"), func(title, body string) bool {
				return strings.Contains(strings.ToLower(title), kw)
			}, 40)
			b := mustBuild(t, arts, Options{Topic: kw, Now: buildGoldenNow})
			if len(b.Stories) == 0 {
				t.Fatal("no stories")
			}
			for _, s := range b.Stories {
				if len(s.Bullets) == 0 {
					t.Errorf("story %q has no bullets", s.Headline)
				}
				for i, bl := range s.Bullets {
					if len(bl.Sources) == 0 {
						t.Errorf("bullet without source: %q", bl.Text)
					}
					if strings.Contains(bl.Text, "REUTER") || strings.Contains(bl.Text, "   ") || strings.Contains(bl.Text, "\n") {
						t.Errorf("wire debris in %q", bl.Text)
					}
					for _, other := range s.Bullets[i+1:] {
						if cleanKey(bl.Text) == cleanKey(other.Text) {
							t.Errorf("two bullets say the same: %q", bl.Text)
						}
					}
				}
				for _, q := range s.Quotes {
					if q.Speaker == "" || len(q.Sources) == 0 {
						t.Errorf("quote without speaker or source: %+v", q)
					}
				}
			}
			if testing.Verbose() {
				t.Log("\n" + buildRenderForEye(b))
			}
		})
	}
}

// TestTermCacheMatchesTerms keeps the memoized term extraction exactly
// in step with terms.
func TestTermCacheMatchesTerms(t *testing.T) {
	c := newTermCache(0, false)
	for _, a := range append(storyFixtureArticles(), buildLoadSeeds(t, filepath.Join("testdata", "seeds"))...) {
		for _, s := range append(Sentences(a.Body), a.Title, "U.S. cease-fire, 3.5% of $1,000: we’re OK", "") {
			for range 2 { // second pass hits the cache
				if got, want := c.terms(s), terms(s); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
					t.Fatalf("cached terms(%q) = %q, want %q", s, got, want)
				}
			}
		}
	}
}

func TestAssembleHeadlineCase(t *testing.T) {
	body := []string{"Saudi Arabia's oil minister backed the OPEC pact on Monday.", "Prices rose in the U.S. market."}
	tests := []struct{ in, want string }{
		{"SAUDI ARABIA REITERATES COMMITMENT TO OPEC PACT", "Saudi Arabia reiterates commitment to OPEC pact"},
		{"U.S. PRICES RISE", "U.S. prices rise"},
		{"Trump, Putin expected to talk", "Trump, Putin expected to talk"},
		{"1987 BUDGET", "1987 budget"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := assembleHeadlineCase(tt.in, body); got != tt.want {
			t.Errorf("assembleHeadlineCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFactSharesPhrase(t *testing.T) {
	opec := quoteNormWords("OPEC output in February was well below the 15.8 mln bpd ceiling it set in December.")
	seven := strings.Fields("a b c d e f g")
	tests := []struct {
		name string
		a, b []string
		want bool
	}{
		{"shared clause", opec, quoteNormWords("Lukman said the group was producing well below the 15.8 mln bpd ceiling it set in December, partly because of delays."), true},
		{"unrelated", opec, quoteNormWords("The Organization of Petroleum Exporting Countries met in Vienna."), false},
		{"empty", nil, opec, false},
		{"exactly the phrase", seven, strings.Fields("x a b c d e f g y"), true},
		{"one word short", seven, strings.Fields("x a b c d e f y g"), false},
		{"run at the very end", strings.Fields("p q r a b c d e f g"), strings.Fields("a b c d e f g"), true},
		{"short runs that add up", strings.Fields("a b c d x e f g h"), strings.Fields("a b c d y e f g h"), false},
		{"too long to compare", append(strings.Fields(strings.Repeat("w ", 151)), seven...), seven, false},
	}
	tokens := newTermCache(0, true)
	for _, tt := range tests {
		if got := factSharesPhrase(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: factSharesPhrase = %v, want %v", tt.name, got, tt.want)
		}
		if got := factSharesPhrase(tt.b, tt.a); got != tt.want {
			t.Errorf("%s (swapped): factSharesPhrase = %v, want %v", tt.name, got, tt.want)
		}
		ta, tb := tokens.tok(strings.Join(tt.a, " ")), tokens.tok(strings.Join(tt.b, " "))
		if got := factSharePhrase(ta, tb); got != tt.want {
			t.Errorf("%s: factSharePhrase = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Against the longest common run counted naively, on word lists from
	// a small vocabulary, where runs break and restart often.
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := []string{"oil", "rose", "’s", "don’t", "don't", "opec"}
	list := func() []string {
		out := make([]string, rng.IntN(40))
		for i := range out {
			out[i] = vocab[rng.IntN(2)]
			if rng.IntN(20) == 0 {
				out[i] = vocab[2+rng.IntN(len(vocab)-2)]
			}
		}
		return out
	}
	tc := newTermCache(0, true)
	longestRun := func(a, b []string) int {
		longest := 0
		for i := range a {
			for j := range b {
				k := 0
				for i+k < len(a) && j+k < len(b) && a[i+k] == b[j+k] {
					k++
				}
				longest = max(longest, k)
			}
		}
		return longest
	}
	for range 2000 {
		a, b := list(), list()
		if got, longest := factSharesPhrase(a, b), longestRun(a, b); got != (longest >= factSharedPhrase) {
			t.Fatalf("factSharesPhrase(%q, %q) = %v, longest run %d", a, b, got, longest)
		}
		// The same through the sentences' tokens (quote styles folded)
		// and their phrase hashes.
		ta, tb := tc.tok(strings.Join(a, " ")), tc.tok(strings.Join(b, " "))
		if got, longest := factSharePhrase(ta, tb), longestRun(ta.norm, tb.norm); got != (longest >= factSharedPhrase) {
			t.Fatalf("factSharePhrase(%q, %q) = %v, longest run %d", ta.norm, tb.norm, got, longest)
		}
	}
}

func TestFactBulletable(t *testing.T) {
	tests := []struct {
		text   string
		quoted float64
		want   bool
	}{
		{"Witkoff met with Putin in Moscow on Thursday after the response.", 0, true},
		{"Talks resumed.", 0, false},
		{"Will the ceasefire hold through the winter months this year?", 0, false},
		{`"I expect that there will be a call with both presidents this week," Witkoff said.`, 0.8, true},
		{`"Congratulations to the crew on a flawless flight and a safe landing."`, 1, false},
		{"withdrawal of troops from the Philadelphi corridor.", 0, false},
		{"(Reuters) Oil prices rose on Monday after the cut.", 0, true},
		{`Putin spoke of the "root causes" of the war in a long news conference.`, 0.1, true},
		{"1985 results include an extraordinary tax benefit of 55,000 dlrs, or one ct a share", 0, false},
		{"Revs 2.03 billion vs 1.88 billion in the same quarter of the year .", 0, false},
		{"NOTE: Current qtr includes gain of 1.1 mln dlrs from tax benefit.", 0, false},
	}
	for _, tt := range tests {
		s := Sentence{Text: tt.text, Quoted: tt.quoted, Attributed: analyzeAttributed([]string{tt.text})[0]}
		if got := factBulletable(&s, newTermCache(0, false).tok(tt.text)); got != tt.want {
			t.Errorf("factBulletable(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestAnalyzeQuotedShare(t *testing.T) {
	p := []string{
		`"I expect a call this week.`,
		`We are bridging the gap," Witkoff said in the interview.`,
		`Putin spoke of "root causes" at length.`,
	}
	got := analyzeQuotedShare(p)
	if got[0] < 0.9 || got[1] < 0.4 || got[1] > 0.7 || got[2] > 0.4 {
		t.Errorf("analyzeQuotedShare = %v; want ~1, ~0.5, small", got)
	}
}

func TestAssembleReadingOrder(t *testing.T) {
	in := []*item{
		{text: "late detail", rel: 0.9, q: 0.5, units: 1},
		{text: "lede", rel: 0.0, q: 0.4, units: 1},
		{text: "strongest", rel: 0.5, q: 0.9, units: 1},
		{text: "early detail", rel: 0.2, q: 0.3, units: 1},
	}
	var got []string
	for _, s := range assembleReadingOrder(in) {
		got = append(got, s.text)
	}
	want := []string{"strongest", "lede", "early detail", "late detail"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

// TestBuildConcurrent runs Builds side by side: the bot serves several
// commands at once, and the shared stem memo must neither race (go test
// -race) nor change any result.
func TestBuildConcurrent(t *testing.T) {
	arts := append(storyFixtureArticles(), buildLoadSeeds(t, filepath.Join("testdata", "seeds"))...)
	want := mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow})
	done := make(chan Briefing)
	for range 4 {
		go func() { done <- mustBuild(t, arts, Options{Topic: "ceasefire", Now: buildGoldenNow}) }()
	}
	for range 4 {
		if got := <-done; !reflect.DeepEqual(got, want) {
			t.Error("concurrent Build gave a different briefing")
		}
	}
}

// mustBuild is Build without a deadline, failing the test on an error.
func mustBuild(tb testing.TB, arts []Article, opts Options) Briefing {
	tb.Helper()
	b, err := Build(context.Background(), arts, opts)
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	return b
}
