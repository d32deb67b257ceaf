package briefing

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// The engine's cost benchmarks. Articles come from the BBC corpus under
// ../shared/corpus when it is present, else from generated text with the
// same shape; each benchmark logs which.

// benchCorpus returns up to n BBC articles of 450-800 words.
func benchCorpus(b *testing.B, n int) []Article {
	path := filepath.Join("..", "..", "shared", "corpus", "bbc2225.jsonl")
	arts, err := buildLoadCorpusFile(path, func(title, body string) bool {
		k := len(strings.Fields(body))
		return k >= 450 && k <= 800
	}, n)
	if err == nil && len(arts) == n {
		day := time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC)
		for i := range arts {
			arts[i].Published = day.Add(time.Duration(i) * time.Hour)
			arts[i].Source = fmt.Sprintf("Outlet %d", i%7)
		}
		return arts
	}
	b.Logf("bbc corpus not used (%v); generated articles instead", err)
	return buildBenchGenerated(n, 600)
}

// benchLong makes one article of about size bytes: corpus articles (or
// generated text) one after another, as a pasted book or a runaway feed
// item would be.
func benchLong(b *testing.B, size int) Article {
	src := benchCorpus(b, 100)
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		a := src[i%len(src)]
		sb.WriteString(a.Body)
		sb.WriteString("\n\n")
	}
	return Article{ID: "long", Title: src[0].Title, Source: "Outlet", Body: sb.String()[:size]}
}

// benchBuild runs Build on arts and reports, beside wall time, the CPU
// time per build (cpu-ns/op): on a shared machine that is the cost.
func benchBuild(b *testing.B, arts []Article, opts Options) {
	b.Helper()
	opts.Now = buildGoldenNow
	b.ReportAllocs()
	b.ResetTimer()
	cpu := benchcorpus.ProcessCPU()
	for b.Loop() {
		mustBuild(b, arts, opts)
	}
	if cpu > 0 {
		b.ReportMetric(float64(benchcorpus.ProcessCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkBuild builds from 20 and from 100 articles of about 600 words,
// what a /brief on a busy topic reads; 100 stored analyses is the path of
// a bot whose store keeps each article's Analysis.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{20, 100} {
		arts := benchCorpus(b, n)
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) { benchBuild(b, arts, Options{Topic: "government"}) })
		stored := make([]Article, len(arts))
		for i, a := range arts {
			stored[i] = a
			stored[i].Analysis = Analyze(a)
		}
		b.Run(fmt.Sprintf("articles=%d/stored", n), func(b *testing.B) { benchBuild(b, stored, Options{Topic: "government"}) })
	}
}

// BenchmarkBuildStory builds one story of 100 reports, the issue's "story
// of 100 articles": each report tells most of one article's sentences, in
// order, with a few of its own, as outlets rewriting one wire story do.
func BenchmarkBuildStory(b *testing.B) {
	src := benchCorpus(b, 101)
	base := Sentences(src[0].Body)
	x := uint32(2463534242)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	var arts []Article
	for i := range 100 {
		var sb strings.Builder
		for _, s := range base {
			if next()%10 < 7 {
				sb.WriteString(s + "\n")
			}
		}
		other := Sentences(src[1+i].Body)
		for k := 0; k < 3 && k < len(other); k++ {
			sb.WriteString(other[next()%uint32(len(other))] + "\n")
		}
		arts = append(arts, Article{ID: fmt.Sprint(i), Title: src[0].Title, Source: fmt.Sprintf("Outlet %d", i%40), Body: sb.String(),
			Published: time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 10 * time.Minute)})
	}
	stored := make([]Article, len(arts))
	for i, a := range arts {
		stored[i] = a
		stored[i].Analysis = Analyze(a)
	}
	b.Run("reports=100", func(b *testing.B) { benchBuild(b, arts, Options{}) })
	b.Run("reports=100/stored", func(b *testing.B) { benchBuild(b, stored, Options{}) })
}

// BenchmarkBuildStoredStories builds what /brief gives the engine for a
// common topic: five stored stories of 500 reports each, grouped by the
// store (Article.Story), the best MaxStoryTexts of each with their stored
// analyses and the others with their title, outlet and link only.
func BenchmarkBuildStoredStories(b *testing.B) {
	src := benchCorpus(b, 100)
	x := uint32(2463534242)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	var arts []Article
	for st := range 5 {
		base := Sentences(src[st].Body)
		for i := range 500 {
			a := Article{ID: fmt.Sprintf("%d-%d", st, i), Title: src[st].Title, Source: fmt.Sprintf("Outlet %d", i%40),
				URL: fmt.Sprintf("https://outlet%d.example/%d-%d", i%40, st, i), Story: fmt.Sprint(st),
				Published: time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 10 * time.Minute)}
			if i < MaxStoryTexts {
				var sb strings.Builder
				for _, s := range base {
					if next()%10 < 7 {
						sb.WriteString(s + "\n")
					}
				}
				other := Sentences(src[5+i].Body)
				for k := 0; k < 3 && k < len(other); k++ {
					sb.WriteString(other[next()%uint32(len(other))] + "\n")
				}
				a.Body = sb.String()
				a.Analysis = Analyze(a)
			}
			arts = append(arts, a)
		}
	}
	benchBuild(b, arts, Options{Topic: "government"})
}

// BenchmarkBuildLong builds from one article of 80 KB and of 800 KB: cost
// must grow about linearly (issue 8: at most ~15x for 10x the text).
func BenchmarkBuildLong(b *testing.B) {
	for _, kb := range []int{80, 800} {
		a := benchLong(b, kb<<10)
		b.Run(fmt.Sprintf("kb=%d", kb), func(b *testing.B) { benchBuild(b, []Article{a}, Options{}) })
	}
}

// BenchmarkBuildHostile is what once stalled the bot: one 5 MB article, and
// a feed of 30 near-identical 80 KB items (the same text with a different
// last line each).
func BenchmarkBuildHostile(b *testing.B) {
	big := benchLong(b, 5<<20)
	b.Run("one-5MB", func(b *testing.B) { benchBuild(b, []Article{big}, Options{}) })
	base := benchLong(b, 80<<10)
	var dups []Article
	for i := range 30 {
		a := base
		a.ID = fmt.Sprint(i)
		a.Source = fmt.Sprintf("Outlet %d", i)
		a.Body += fmt.Sprintf("\n\nThis is update number %d of the report.", i)
		dups = append(dups, a)
	}
	b.Run("near-duplicates=30x80KB", func(b *testing.B) { benchBuild(b, dups, Options{}) })
}

// BenchmarkAnalyze analyses one article of about 600 words: the work a
// store does once per article at ingest.
func BenchmarkAnalyze(b *testing.B) {
	a := benchCorpus(b, 1)[0]
	b.ReportAllocs()
	cpu := benchcorpus.ProcessCPU()
	for b.Loop() {
		Analyze(a)
	}
	if cpu > 0 {
		b.ReportMetric(float64(benchcorpus.ProcessCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkBuildMany builds from 200 consecutive Reuters reports, the size
// of a broad search result: many small stories.
func BenchmarkBuildMany(b *testing.B) {
	arts := buildLoadCorpus(b, filepath.Join("..", "..", "shared", "corpus", "reuters21578.jsonl"), func(title, body string) bool { return true }, 200)
	benchBuild(b, arts, Options{})
}

// buildBenchGenerated makes n deterministic articles of about words words each,
// in a few overlapping stories so grouping and merging have work to do.
func buildBenchGenerated(n, words int) []Article {
	vocab := strings.Fields("government minister talks ceasefire ukraine russia budget economy prices rose fell market oil cocoa election vote parliament court ruling police city officials report said company shares profit quarter growth inflation bank rates union strike workers health hospital school teachers energy climate storm flood rescue")
	names := []string{"Steve Witkoff", "Vladimir Putin", "Jane Doe", "John Smith"}
	day := time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC)
	x := uint32(2463534242)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	var out []Article
	for i := 0; i < n; i++ {
		var sb strings.Builder
		count := 0
		for count < words {
			sl := 12 + int(next()%14)
			for k := 0; k < sl; k++ {
				w := vocab[(int(next())%len(vocab)+i%4*7)%len(vocab)]
				if k == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				if k > 0 {
					sb.WriteByte(' ')
				}
				sb.WriteString(w)
			}
			count += sl
			sb.WriteString(". ")
			if next()%5 == 0 {
				fmt.Fprintf(&sb, "\"We will keep working on the %s plan with everyone,\" %s said. ", vocab[next()%uint32(len(vocab))], names[next()%uint32(len(names))])
				count += 12
			}
			if next()%3 == 0 {
				sb.WriteString("\n")
			}
		}
		out = append(out, Article{ID: fmt.Sprint(i), Title: fmt.Sprintf("Story %d about %s", i%4, vocab[i%4]), Source: fmt.Sprintf("Outlet %d", i%5),
			Published: day.Add(time.Duration(i) * time.Hour), Body: sb.String()})
	}
	return out
}
