package bot

import (
	"errors"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefing"
)

func TestRenderText(t *testing.T) {
	var b strings.Builder
	if err := RenderText(&b, sampleBriefing()); err != nil {
		t.Fatal(err)
	}
	want := `Briefing: ceasefire
Generated 10 Oct 2025 12:00 UTC

1. Israel and Hamas agree first phase of Gaza ceasefire
   9 Oct 2025 06:00 – 10 Oct 2025 08:00 UTC · 2 sources
   • Israel and Hamas signed the first phase of a ceasefire deal in Egypt. [BBC, CNN]
   • Hostages are to be released within 72 hours @everyone. [CNN]
   Quotes:
   “This is a great day for the world” — Steve Witkoff [BBC, CNN]
   Sources:
   [1] BBC — BBC report <https://www.bbc.co.uk/news/world-1>
   [2] CNN — CNN report <https://edition.cnn.com/2025/10/ceasefire>
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestRenderMarkdown(t *testing.T) {
	var b strings.Builder
	br := sampleBriefing()
	br.Stories[0].Bullets[0].Text = "A *starred* claim [x](javascript:1)."
	if err := RenderMarkdown(&b, br); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"# Briefing: ceasefire\n",
		"## Israel and Hamas agree first phase of Gaza ceasefire\n",
		`- A \*starred\* claim \[x\](javascript:1). \[[BBC](https://www.bbc.co.uk/news/world-1)\] \[[CNN](https://edition.cnn.com/2025/10/ceasefire)\]`,
		"> “This is a great day for the world” — **Steve Witkoff** \\[[BBC](",
		"1. [BBC: BBC report](https://www.bbc.co.uk/news/world-1)\n",
		"2. [CNN: CNN report](https://edition.cnn.com/2025/10/ceasefire)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("markdown lacks %q:\n%s", want, got)
		}
	}
}

func TestRenderNothing(t *testing.T) {
	tests := []struct {
		name   string
		render func(*strings.Builder, briefing.Briefing) error
	}{
		{"text", func(w *strings.Builder, b briefing.Briefing) error { return RenderText(w, b) }},
		{"markdown", func(w *strings.Builder, b briefing.Briefing) error { return RenderMarkdown(w, b) }},
	}
	for _, tc := range tests {
		var w strings.Builder
		if err := tc.render(&w, briefing.Briefing{Topic: "x"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(w.String(), "Nothing new to report.") {
			t.Errorf("%s: %q", tc.name, w.String())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderTextWriteError(t *testing.T) {
	if err := RenderText(failWriter{}, sampleBriefing()); err == nil {
		t.Error("RenderText hid a write error")
	}
	if err := RenderMarkdown(failWriter{}, sampleBriefing()); err == nil {
		t.Error("RenderMarkdown hid a write error")
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	f.Add("ceasefire", "A *claim*.", "Witkoff", "https://example.com/(x)")
	f.Add("", "\n# heading\n> quote", "", "")
	f.Fuzz(func(t *testing.T, topic, text, speaker, url string) {
		b := briefing.Briefing{Topic: topic, Stories: []briefing.Story{{
			Headline: text,
			Bullets:  []briefing.Bullet{{Text: text, Sources: []briefing.Source{{Name: speaker, URL: url}}}},
			Quotes:   []briefing.Quote{{Text: text, Speaker: speaker}},
		}}}
		var w strings.Builder
		if err := RenderMarkdown(&w, b); err != nil {
			t.Fatal(err)
		}
		// Article text never starts a line: it cannot become a heading,
		// list or quote of its own.
		for _, line := range strings.Split(w.String(), "\n") {
			if line == "" {
				continue
			}
			ok := false
			for _, p := range []string{"# ", "## ", "*", "- ", "> ", "**Sources**", "Nothing new"} {
				if strings.HasPrefix(line, p) {
					ok = true
				}
			}
			if !ok && (line[0] < '0' || line[0] > '9') {
				t.Fatalf("unexpected line %q", line)
			}
		}
	})
}
