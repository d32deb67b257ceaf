package briefing

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzBuild feeds Build arbitrary article text and options: it must not
// panic, every bullet and quote must cite a source, the bullet and story
// limits and the word budget must hold, and the result must not depend on
// anything but the input.
func FuzzBuild(f *testing.F) {
	// Short excerpts of the sample articles: whole articles make every
	// execution and every minimization slow without adding new paths.
	seeds := buildLoadSeeds(f, filepath.Join("testdata", "seeds"))
	head := func(s string, n int) string {
		lines := strings.SplitN(s, "\n", n+1)
		return strings.Join(lines[:min(n, len(lines))], "\n")
	}
	f.Add(seeds[0].Title, head(seeds[0].Body, 3), seeds[1].Title, head(seeds[1].Body, 4), "ceasefire", 0, 0, int64(0))
	tail := strings.Split(seeds[1].Body, "\n")
	f.Add(seeds[0].Title, head(seeds[0].Body, 2), seeds[1].Title, strings.Join(tail[len(tail)-5:], "\n"), "ceasefire", 40, 2, int64(3600))
	fx := storyFixtureArticles()
	f.Add(fx[0].Title, fx[0].Body, fx[1].Title, fx[1].Body, "", 12, 1, int64(-86400*9))
	f.Add("", "", "", "", "", 0, 0, int64(0))
	f.Add("T", `"unclosed quote said he. “curly” ” "`, "U", "WASHINGTON (Reuters) -\n REUTER\n\x03", "x", 1, 1, int64(1))
	f.Add("A", "He said: \"\" said \"a\" he said\n\n\n   1   2   3", "B", "Mr. A. B. said \"Yes. No. Maybe so, indeed it is,\" he said.", "yes", 3, 9, int64(7))
	f.Fuzz(func(t *testing.T, t1, b1, t2, b2, topic string, maxWords, maxBullets int, gap int64) {
		if maxWords < 0 || maxWords > 10000 || maxBullets < 0 || maxBullets > 50 {
			t.Skip()
		}
		day := time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC)
		arts := []Article{
			{ID: "a", Title: t1, Body: b1, Published: day},
			{ID: "b", Title: t2, Body: b2, Published: day.Add(time.Duration(gap%(1<<40)) * time.Second), Source: "Other"},
			{ID: "c", Title: t1, Body: b2 + "\n" + b1, URL: "https://c.example/x"},
		}
		opts := Options{Topic: topic, MaxWords: maxWords, MaxBullets: maxBullets, Now: day}
		b := mustBuild(t, arts, opts)
		for _, s := range b.Stories {
			if maxBullets > 0 && len(s.Bullets) > maxBullets {
				t.Errorf("%d bullets, max %d", len(s.Bullets), maxBullets)
			}
			if len(s.Sources) == 0 {
				t.Errorf("story %q without sources", s.Headline)
			}
			for _, bl := range s.Bullets {
				if len(bl.Sources) == 0 {
					t.Errorf("bullet without source: %q", bl.Text)
				}
				found := false
				for _, a := range arts {
					found = found || buildSameWords(buildFuzzPlain(a.Body), bl.Text)
				}
				if !found {
					t.Errorf("bullet is not text from an article: %q", bl.Text)
				}
			}
			for _, q := range s.Quotes {
				if len(q.Sources) == 0 || q.Speaker == "" {
					t.Errorf("quote without source or speaker: %+v", q)
				}
			}
		}
		if maxWords > 0 && buildBriefingWords(b) > maxWords {
			t.Errorf("%d words, budget %d", buildBriefingWords(b), maxWords)
		}
		again := mustBuild(t, arts, opts)
		if fmt.Sprint(again) != fmt.Sprint(b) {
			t.Error("same input, different output")
		}
	})
}

// buildFuzzPlain applies the two changes cleaning makes to raw text: invalid
// UTF-8 becomes U+FFFD and control characters other than line breaks and
// tabs are dropped.
func buildFuzzPlain(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// buildSameWords reports whether every word of s occurs, in order, in text: a
// bullet is an article sentence with at most its line breaks changed.
func buildSameWords(text, s string) bool {
	tw := strings.Fields(text)
	i := 0
	for _, w := range strings.Fields(s) {
		for i < len(tw) && !strings.Contains(tw[i], w) && !strings.Contains(w, tw[i]) {
			i++
		}
		if i == len(tw) {
			return false
		}
		i++
	}
	return true
}
