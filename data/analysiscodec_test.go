package data

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/benchcorpus"
)

// codecArticles are real articles to analyse: the embedded samples always,
// and, when ../shared is beside the repository, the bbc-dev articles and
// the first n generated Reuters articles.
func codecArticles(tb testing.TB, n int) []briefing.Article {
	tb.Helper()
	samples, err := Samples()
	if err != nil {
		tb.Fatal(err)
	}
	var out []briefing.Article
	for _, a := range samples {
		out = append(out, engineArticle(a))
	}
	files, _ := filepath.Glob("../../shared/eval/bbc-dev/articles/*.txt")
	sort.Strings(files)
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		title, body, _ := strings.Cut(string(raw), "\n")
		// Some in a zone of their own, as feeds date them.
		when := time.Date(2005, 3, 1, 9, 0, i, 0, time.UTC)
		if i%3 == 1 {
			when = when.In(time.FixedZone("EST", -5*3600))
		}
		out = append(out, briefing.Article{ID: filepath.Base(f), Title: title, Body: body, Source: "BBC", Published: when})
	}
	_ = benchcorpus.Generate(n, func(_ int, a benchcorpus.Article) error {
		out = append(out, engineArticle(benchReuters(a)))
		return nil
	})
	return out
}

// TestAnalysisCodec: the analysis of every real article comes back from
// its stored form deeply equal (every float to the bit, the publication
// time with its zone, nil lists and maps as nil), and an analysis stored as
// compressed JSON by earlier versions reads as JSON gives it.
func TestAnalysisCodec(t *testing.T) {
	arts := codecArticles(t, 2000)
	var binSize, zipSize int
	for _, a := range arts {
		an := briefing.Analyze(a)
		enc := encodeAnalysis(an)
		got, err := decodeAnalysis(enc)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		// The terms in order, which Analyze keeps for grouping, are not
		// stored: SortTerms makes them from Terms.
		got.SortTerms()
		if !reflect.DeepEqual(got, an) {
			t.Fatalf("%s: got\n%+v\nwant\n%+v", a.ID, got, an)
		}
		if again := encodeAnalysis(got); !bytes.Equal(again, enc) {
			t.Fatalf("%s: encoding is not deterministic", a.ID)
		}
		zipped, err := zipJSON(an)
		if err != nil {
			t.Fatal(err)
		}
		old, err := decodeAnalysis(zipped)
		if err != nil {
			t.Fatalf("%s: compressed JSON: %v", a.ID, err)
		}
		if want := jsonRoundTrip(t, an); !reflect.DeepEqual(old, want) {
			t.Fatalf("%s: compressed JSON read as %+v, want %+v", a.ID, old, want)
		}
		binSize += len(enc)
		zipSize += len(zipped)
	}
	t.Logf("%d articles: %.0f bytes/analysis binary, %.0f compressed JSON", len(arts),
		float64(binSize)/float64(len(arts)), float64(zipSize)/float64(len(arts)))
}

// jsonRoundTrip is an analysis as compressed JSON gives it back.
func jsonRoundTrip(t *testing.T, an *briefing.Analysis) *briefing.Analysis {
	t.Helper()
	z, err := zipJSON(an)
	if err != nil {
		t.Fatal(err)
	}
	out := &briefing.Analysis{}
	if err := unzipJSON(z, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAnalysisCodecEdges: values Analyze seldom or never makes come back
// deeply equal too.
func TestAnalysisCodecEdges(t *testing.T) {
	local := time.Date(2024, 7, 1, 12, 0, 0, 5, time.Local)
	cases := map[string]*briefing.Analysis{
		"zero":       {},
		"empty":      {Sentences: []briefing.Sentence{}, Terms: map[string]int{}, Names: map[string]int{}, People: []string{}, Quotes: []briefing.AnalysisQuote{}},
		"local time": {Version: briefing.AnalysisVersion, Published: local},
		"fixed zone": {Published: time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.FixedZone("IST", 5*3600+1800))},
		"unnamed":    {Published: time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("", -3600))},
		"far past":   {Published: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)},
		"odd values": {
			Version: -3, Title: "\xff not utf-8 \x00", Outlet: strings.Repeat("o", 300),
			Sentences: []briefing.Sentence{
				{Text: "", Para: 5, Quoted: 1, Salience: math.Inf(1)},
				{Text: "back", Para: 2, Quoted: 0.25, Attributed: true, Salience: -0.0},
				{Text: "big", Para: math.MaxInt32, Quoted: -1, Salience: math.SmallestNonzeroFloat64},
			},
			Terms:  map[string]int{"": 0, "a": -7, "b": math.MaxInt64, "c": math.MinInt64},
			Names:  map[string]int{"kim": 1},
			People: []string{"", "Hun Sen"},
			Quotes: []briefing.AnalysisQuote{{Text: "q", Speaker: "", Sentence: -1}, {Text: "", Speaker: "s", Sentence: 1 << 40}},
		},
	}
	for name, an := range cases {
		got, err := decodeAnalysis(encodeAnalysis(an))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, an) {
			t.Errorf("%s: got %+v, want %+v", name, got, an)
		}
	}
}

// TestAnalysisDecodeRejects: a damaged analysis is a clear error, never a
// panic or an analysis made of garbage.
func TestAnalysisDecodeRejects(t *testing.T) {
	an := &briefing.Analysis{Version: 2, Title: "t", Outlet: "o", Published: time.Unix(1e9, 0).UTC(),
		Sentences: []briefing.Sentence{{Text: "One.", Salience: 1}}, Terms: map[string]int{"one": 1}}
	good, raw := encodeAnalysis(an), appendAnalysis(nil, an)
	cases := [][]byte{
		{analysisMagic},
		{analysisMagic, 9},
		{analysisMagic, 0},
		good[:len(good)-1],
		append(bytes.Clone(good), 0),
		// Snappy claiming a gigabyte.
		{analysisMagic, analysisFormat, 0x80, 0x80, 0x80, 0x80, 0x04, 0},
		packAnalysis(append(bytes.Clone(raw), 0)),
		// A list longer than the bytes left.
		packAnalysis([]byte{4, 0, 0, timeZero, 200, 1}),
		// A bad time kind, nanoseconds past a second, a varint too long,
		// unknown sentence flags.
		packAnalysis([]byte{4, 0, 0, 7}),
		packAnalysis([]byte{4, 0, 0, timeUTC, 2, 0xff, 0xff, 0xff, 0xff, 0x0f}),
		packAnalysis([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}),
		packAnalysis(append([]byte{4, 0, 0, timeZero, 2, 0, 0, 0x80}, make([]byte, 8)...)),
	}
	for i := range raw {
		cases = append(cases, packAnalysis(raw[:i])) // every cut
	}
	for _, data := range cases {
		an, err := decodeAnalysis(data)
		if err == nil {
			t.Errorf("decodeAnalysis(%q) = %+v, want an error", data, an)
		} else if !errors.Is(err, errBadAnalysis) {
			t.Errorf("decodeAnalysis(%q): %v, want errBadAnalysis", data, err)
		}
	}
	// Not compressed JSON either.
	if _, err := decodeAnalysis([]byte("not an analysis")); err == nil || !strings.Contains(err.Error(), "compressed JSON") {
		t.Errorf("garbage: %v, want an error naming compressed JSON", err)
	}
}

// packAnalysis stores a binary form as encodeAnalysis would.
func packAnalysis(raw []byte) []byte {
	return append([]byte{analysisMagic, analysisFormat}, snappy.Encode(nil, raw)...)
}

// FuzzDecodeAnalysis: no input panics; what decodes from the binary form
// encodes to bytes that decode and encode to themselves. The seed corpus
// (testdata/fuzz/FuzzDecodeAnalysis) holds stored analyses of the sample
// articles in both forms, and damaged ones.
func FuzzDecodeAnalysis(f *testing.F) {
	samples, err := Samples()
	if err != nil {
		f.Fatal(err)
	}
	an := briefing.Analyze(engineArticle(samples[0]))
	f.Add(encodeAnalysis(an))
	f.Fuzz(func(t *testing.T, data []byte) {
		an, err := decodeAnalysis(data)
		if err != nil {
			if !errors.Is(err, errBadAnalysis) && !strings.Contains(err.Error(), "compressed JSON") {
				t.Fatalf("unclear error %v", err)
			}
			return
		}
		enc := encodeAnalysis(an)
		again, err := decodeAnalysis(enc)
		if err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if enc2 := encodeAnalysis(again); !bytes.Equal(enc2, enc) {
			t.Fatalf("re-encoding %+v changed it", an)
		}
	})
}

// BenchmarkDecodeAnalysis reads the analyses of 2,000 generated Reuters
// articles (or the samples and bbc-dev without the corpus) from each stored
// form; bytes/analysis is the stored size.
func BenchmarkDecodeAnalysis(b *testing.B) {
	arts := codecArticles(b, 2000)
	forms := []struct {
		name   string
		encode func(*briefing.Analysis) []byte
	}{
		{"zipped-json", func(an *briefing.Analysis) []byte { z, _ := zipJSON(an); return z }},
		{"binary", encodeAnalysis},
	}
	for _, form := range forms {
		var stored [][]byte
		size := 0
		for _, a := range arts {
			stored = append(stored, form.encode(briefing.Analyze(a)))
			size += len(stored[len(stored)-1])
		}
		b.Run("decode/"+form.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := decodeAnalysis(stored[i%len(stored)]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size)/float64(len(stored)), "bytes/analysis")
		})
		ans := make([]*briefing.Analysis, len(arts))
		for i, a := range arts {
			ans[i] = briefing.Analyze(a)
		}
		b.Run("encode/"+form.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				form.encode(ans[i%len(ans)])
			}
		})
	}
}
