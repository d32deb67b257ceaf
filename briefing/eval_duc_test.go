package briefing

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing/rouge"
	"github.com/kljensen/snowball/english"
)

// ducDir holds duc2003-dev: clusters of wire reports on one event with four
// human 100-word summaries each, and story-grouping mixes (research use
// only, never copied into the project).
const ducDir = "../../shared/eval/duc2003-dev"

type ducSet struct {
	clusters map[string][]Article // by cluster, in file-name order
	refs     map[string][]string
	files    map[string]Article // by path under clusters/
	mixes    []struct {
		ID    string   `json:"id"`
		Files []string `json:"files"`
	}
}

// ducLoad reads duc2003-dev, or skips the test when it is absent.
func ducLoad(tb testing.TB) *ducSet {
	tb.Helper()
	dirs, _ := filepath.Glob(filepath.Join(ducDir, "clusters", "*"))
	if len(dirs) == 0 {
		tb.Skipf("%s absent", ducDir)
	}
	d := &ducSet{clusters: map[string][]Article{}, refs: map[string][]string{}, files: map[string]Article{}}
	for _, dir := range dirs {
		c := filepath.Base(dir)
		paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		sort.Strings(paths)
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			var a struct {
				Title, Body, Source, URL string
				Published                time.Time
			}
			if err := json.Unmarshal(raw, &a); err != nil {
				tb.Fatalf("%s: %v", p, err)
			}
			art := Article{ID: filepath.Base(p), Title: a.Title, Body: a.Body, Source: a.Source, URL: a.URL, Published: a.Published}
			d.clusters[c] = append(d.clusters[c], art)
			d.files[c+"/"+filepath.Base(p)] = art
		}
		refs, _ := filepath.Glob(filepath.Join(ducDir, "references", c, "*.txt"))
		sort.Strings(refs)
		for _, r := range refs {
			raw, err := os.ReadFile(r)
			if err != nil {
				tb.Fatal(err)
			}
			d.refs[c] = append(d.refs[c], string(raw))
		}
	}
	raw, err := os.ReadFile(filepath.Join(ducDir, "mixes.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(raw, &d.mixes); err != nil {
		tb.Fatal(err)
	}
	return d
}

// ducTokens is ROUGE-1.5.5's tokenization of the first 100 words, stemmed
// (Porter2 here; the scorer uses Porter with WordNet exceptions, so numbers
// differ slightly from score.py's).
func ducTokens(text string) []string {
	ws := strings.Fields(text)
	toks := rouge.Tokens(strings.Join(ws[:min(100, len(ws))], " "))
	for i, t := range toks {
		toks[i] = english.Stem(t, false)
	}
	return toks
}

// ducResult is mean ROUGE recall ×100 and B-cubed over the mixes.
type ducResult struct{ R1, R2, P, R, F float64 }

// ducSummaries scores 100-word briefings of every cluster: recall pooled
// over the four references, averaged over clusters.
func ducSummaries(tb testing.TB, d *ducSet, w selWeights) (r1, r2 float64, per map[string][2]float64) {
	per = map[string][2]float64{}
	for c, arts := range d.clusters {
		b, err := buildWith(context.Background(), arts, Options{MaxWords: 100, Now: buildGoldenNow}, w)
		if err != nil {
			tb.Fatal(err)
		}
		peer := ducTokens(strings.Join(b.Said(), " "))
		var h1, n1, h2, n2 int
		for _, ref := range d.refs[c] {
			model := ducTokens(ref)
			s1, s2 := rouge.N(peer, model, 1), rouge.N(peer, model, 2)
			h1 += int(s1.Recall*float64(len(model)) + 0.5)
			n1 += len(model)
			h2 += int(s2.Recall*float64(len(model)-1) + 0.5)
			n2 += len(model) - 1
		}
		x := [2]float64{100 * float64(h1) / float64(n1), 100 * float64(h2) / float64(n2)}
		per[c] = x
		r1 += x[0]
		r2 += x[1]
	}
	n := float64(len(d.clusters))
	return r1 / n, r2 / n, per
}

// ducGrouping scores Group on the mixes with B-cubed.
func ducGrouping(tb testing.TB, d *ducSet) (p, r, f float64) {
	for _, m := range d.mixes {
		var ans []*Analysis
		gold := make([]string, len(m.Files))
		for i, f := range m.Files {
			ans = append(ans, Analyze(d.files[f]))
			gold[i] = strings.Split(f, "/")[0]
		}
		groups, err := Group(context.Background(), ans, nil)
		if err != nil {
			tb.Fatal(err)
		}
		of := make([]int, len(ans))
		for gi, g := range groups {
			for _, i := range g {
				of[i] = gi
			}
		}
		size := map[string]int{}
		for _, g := range gold {
			size[g]++
		}
		var mp, mr float64
		for i := range ans {
			same, n := 0, 0
			for _, j := range groups[of[i]] {
				n++
				if gold[j] == gold[i] {
					same++
				}
			}
			mp += float64(same) / float64(n)
			mr += float64(same) / float64(size[gold[i]])
		}
		mp /= float64(len(ans))
		mr /= float64(len(ans))
		p += mp
		r += mr
		f += 2 * mp * mr / (mp + mr)
	}
	n := float64(len(d.mixes))
	return p / n, r / n, f / n
}

// TestEvalDUC scores 100-word briefings of duc2003-dev's clusters and the
// grouping of its mixes, per cluster so a change is read where it acts.
func TestEvalDUC(t *testing.T) {
	d := ducLoad(t)
	r1, r2, per := ducSummaries(t, d, defaultWeights)
	p, r, f := ducGrouping(t, d)
	t.Logf("duc2003-dev: R1 %.2f R2 %.2f; grouping P %.3f R %.3f F %.3f", r1, r2, p, r, f)
	// Issue 8's bars, measured by score.py (Porter stemming, WordNet
	// exceptions) at R1 39.5 and R2 12.0; this Porter2 measure runs within
	// about 0.5 of it.
	if r1 < 39 || r2 < 12 {
		t.Errorf("ROUGE-1/2 recall %.2f/%.2f, want at least 39/12", r1, r2)
	}
	if p < 0.99 || f < 0.95 {
		t.Errorf("grouping B-cubed precision %.3f, F1 %.3f; want at least 0.99 and 0.95", p, f)
	}
	var cs []string
	for c := range per {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	for _, c := range cs {
		t.Logf("  %s R1 %.2f R2 %.2f", c, per[c][0], per[c][1])
	}
}
