package data

import (
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// TestProfileCodec: a profile comes back from its stored form exactly (the
// weights to the last bit, so grouping after a restart is grouping without
// one), and profiles stored as compressed JSON by earlier versions are
// still read.
func TestProfileCodec(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 12, 30, 15, 123456789, time.FixedZone("x", 3600))
	cases := []struct {
		name string
		p    *briefing.Profile
	}{
		{"empty", &briefing.Profile{}},
		{"times", &briefing.Profile{Articles: 3, Terms: map[string]float64{"oil": 0.5}, First: t0, Last: t0.Add(48 * time.Hour)}},
		{"heads", &briefing.Profile{Articles: 2, Terms: map[string]float64{"weather": 1}, First: t0, Last: t0,
			Heads: map[string][2]int64{"1x9k2": {t0.Unix(), t0.Unix() + 86400}, "zz": {-5, 7}}}},
		{"names", &briefing.Profile{Articles: 2, Terms: map[string]float64{"storm": 1}, Names: map[string]float64{"georg": 0.7, "georgia": 1e-9, "haiti": 0.3}}},
		{"no names yet", &briefing.Profile{Articles: 1, Terms: map[string]float64{"storm": 1}, Names: map[string]float64{}}},
		{"old time", &briefing.Profile{Articles: 1, Terms: map[string]float64{"a": 1}, First: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"prefixes", &briefing.Profile{Articles: 2, Terms: map[string]float64{
			"oil": 1.0 / 3, "oilfield": math.Pi, "oilfields": 1e-300, "o": 2, "ölpreis": 0.25, "": 7, "zz": math.MaxFloat64,
		}}},
	}
	big := &briefing.Profile{Articles: 40, Terms: map[string]float64{}}
	for i := range 600 {
		big.Terms[fmt.Sprintf("term%03d", i*7%1000)] = 1 / float64(i+1)
	}
	cases = append(cases, struct {
		name string
		p    *briefing.Profile
	}{"600 terms", big})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enc := encodeProfile(c.p)
			for form, data := range map[string][]byte{"binary": enc, "compressed JSON": mustZip(t, c.p)} {
				got, err := decodeProfile(data)
				if err != nil {
					t.Fatalf("%s: %v", form, err)
				}
				if !sameProfile(got, c.p) {
					t.Errorf("%s: got %+v, want %+v", form, got, c.p)
				}
			}
			if c.name == "600 terms" {
				zipped := mustZip(t, c.p)
				t.Logf("600 terms: %d bytes binary, %d compressed JSON", len(enc), len(zipped))
			}
		})
	}
}

// TestProfileCodecOlderVersions: profiles written before the heads and
// names were stored (version 1, and version 2 with a column string) read
// without them.
func TestProfileCodecOlderVersions(t *testing.T) {
	oil := binary.LittleEndian.AppendUint64([]byte{1, 0, 3, 'o', 'i', 'l'}, math.Float64bits(0.5))
	v1 := append([]byte{profileMagic, 1, 3, 0, 0}, oil...)
	v2 := append([]byte{profileMagic, 2, 3, 0, 0, 3, 'n', 'y', 't'}, oil...)
	want := &briefing.Profile{Articles: 3, Terms: map[string]float64{"oil": 0.5}}
	for name, data := range map[string][]byte{"version 1": v1, "version 2": v2} {
		got, err := decodeProfile(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !sameProfile(got, want) {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

func mustZip(t *testing.T, p *briefing.Profile) []byte {
	t.Helper()
	z, err := zipJSON(p)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func sameProfile(a, b *briefing.Profile) bool {
	if a.Articles != b.Articles || !a.First.Equal(b.First) || !a.Last.Equal(b.Last) ||
		len(a.Heads) != len(b.Heads) || (a.Names == nil) != (b.Names == nil) {
		return false
	}
	for k, v := range b.Heads {
		if w, ok := a.Heads[k]; !ok || w != v {
			return false
		}
	}
	return sameWeights(a.Terms, b.Terms) && sameWeights(a.Names, b.Names)
}

// sameWeights reports whether a and b hold the same keys with the same
// weights, to the bit.
func sameWeights(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if w, ok := a[k]; !ok || math.Float64bits(w) != math.Float64bits(v) {
			return false
		}
	}
	return true
}

// TestProfileDecodeRejects: a damaged profile is an error, never a panic or
// a profile made of garbage.
func TestProfileDecodeRejects(t *testing.T) {
	good := encodeProfile(&briefing.Profile{Articles: 2, Terms: map[string]float64{"oil": 1, "oilfield": 2}})
	for _, data := range [][]byte{
		{profileMagic},
		{profileMagic, 9},
		{profileMagic, 0},
		{profileMagic, profileVersion, 1, 0, 0, 5, 'a'},
		good[:len(good)-1],
		append(slices.Clone(good), 0),
		{profileMagic, profileVersion, 1, 0, 0, 200, 1},
		[]byte("not a profile"),
	} {
		if p, err := decodeProfile(data); err == nil {
			t.Errorf("decodeProfile(%q) = %+v, want an error", data, p)
		}
	}
}

func FuzzDecodeProfile(f *testing.F) {
	f.Add(encodeProfile(&briefing.Profile{Articles: 2, Terms: map[string]float64{"oil": 1, "oilfield": 2}, First: time.Unix(1e9, 5)}))
	f.Add([]byte{profileMagic, profileVersion, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodeProfile(data)
		if err != nil || len(data) == 0 || data[0] != profileMagic {
			return
		}
		// What decodes encodes to the same bytes when it is canonical,
		// and always decodes again to the same profile.
		again, err := decodeProfile(encodeProfile(p))
		if err != nil || !sameProfile(again, p) {
			t.Fatalf("re-encoding %+v: %v, %+v", p, err, again)
		}
	})
}

// TestHeaviest: the n heaviest terms by weight·idf, ties by term, as a full
// sort gives them.
func TestHeaviest(t *testing.T) {
	terms := map[string]int{}
	for i := range 300 {
		terms[fmt.Sprintf("w%d", i)] = 1 + i%7
	}
	idf := func(t string) float64 { return float64(len(t)%3 + 1) }
	for _, n := range []int{0, 1, 10, 20, 300, 400} {
		type tw struct {
			t string
			w float64
		}
		var all []tw
		for t, w := range terms {
			all = append(all, tw{t, float64(w) * idf(t)})
		}
		sort.Slice(all, func(i, j int) bool {
			if all[i].w != all[j].w {
				return all[i].w > all[j].w
			}
			return all[i].t < all[j].t
		})
		want := []string{}
		for _, x := range all[:min(n, len(all))] {
			want = append(want, x.t)
		}
		if got := heaviest(terms, idf, n); !slices.Equal(got, want) {
			t.Errorf("n=%d: got %v, want %v", n, got, want)
		}
	}
}

// TestArticleKeysOf: an article's keys read from its comparison vector are
// the terms heaviest picks by looking each IDF up, whatever the weights.
func TestArticleKeysOf(t *testing.T) {
	var analyses []*briefing.Analysis
	df := &briefing.DocCounts{}
	for i := range 40 {
		an := briefing.Analyze(briefing.Article{Title: fmt.Sprintf("Report %d on the talks", i),
			Body: fmt.Sprintf("Negotiators met in Geneva for round %d. The ceasefire talks resumed on day %d, "+
				"officials said. Prices of oil and wheat moved %d percent as traders weighed the talks.", i, i%7, i%13)})
		analyses = append(analyses, an)
		df.Add(an)
	}
	// One weigher for all, so that an article's terms are not numbered
	// in their order.
	w := briefing.NewWeights(df)
	for _, an := range analyses {
		keys := articleKeysOf(w, an)
		terms, _, _ := w.Terms(an)
		if got, want := termsNumbered(keys, terms, w.TermNumbers(an)), heaviest(an.Terms, w.IDF, articleKeys); !slices.Equal(got, want) {
			t.Fatalf("keys %v, heaviest gives %v", got, want)
		}
	}
}

// TestStoryKeysOf: a story's keys read from the terms, weights and IDFs
// its profile keeps in order are the terms heaviest picks from its map,
// as the story grows.
func TestStoryKeysOf(t *testing.T) {
	df := &briefing.DocCounts{}
	var analyses []*briefing.Analysis
	for i := range 60 {
		an := briefing.Analyze(briefing.Article{Title: fmt.Sprintf("Report %d on the talks", i),
			Body: fmt.Sprintf("Negotiators met in Geneva for round %d with delegation%d. The ceasefire talks resumed on day %d, "+
				"officials said. Prices of oil and wheat moved %d percent as traders%d weighed the talks.", i, i, i%7, i%13, i)})
		analyses = append(analyses, an)
		df.Add(an)
	}
	w := briefing.NewWeights(df)
	p := &briefing.Profile{}
	for _, an := range analyses {
		w.Join(p, an)
		keys := storyKeysOf(w, p)
		if got, want := termsNumbered(keys, p.SortedTerms(), w.ProfileNumbers(p)), heaviest(p.Terms, w.IDF, storyKeys); !slices.Equal(got, want) {
			t.Fatalf("after %d reports: keys %v, heaviest gives %v", p.Articles, got, want)
		}
	}
}

// termsNumbered returns the terms whose numbers are keys, terms being
// numbered ids; "?" for a number not among them.
func termsNumbered(keys []int32, terms []string, ids []int32) []string {
	out := make([]string, len(keys))
	for k, id := range keys {
		out[k] = "?"
		if i := slices.Index(ids, id); i >= 0 {
			out[k] = terms[i]
		}
	}
	return out
}

// TestTopShared: the stories an article is compared with are those a full
// sort (most shared keys, then newest) puts first, ties included.
func TestTopShared(t *testing.T) {
	for seed := range 50 {
		shared := map[int64]int{}
		for i := range seed * 7 {
			shared[int64((i*37+seed)%211)] = 1 + (i*i+seed)%5
		}
		for _, need := range []int{1, 2, 4} {
			for _, k := range []int{0, 1, 6, 300} {
				var want []int64
				for id, n := range shared {
					if n >= need {
						want = append(want, id)
					}
				}
				sort.Slice(want, func(i, j int) bool {
					if shared[want[i]] != shared[want[j]] {
						return shared[want[i]] > shared[want[j]]
					}
					return want[i] > want[j]
				})
				want = want[:min(len(want), k)]
				var found []*cachedStory
				for id, n := range shared {
					found = append(found, &cachedStory{order: id, shared: n})
				}
				var got []int64
				for _, c := range topShared(found, need, k) {
					got = append(got, c.order)
				}
				if !slices.Equal(got, want) && len(got)+len(want) > 0 {
					t.Errorf("seed %d need %d k %d: got %v, want %v", seed, need, k, got, want)
				}
			}
		}
	}
}

// TestDecodedProfileInOrder: a decoded profile's terms in order and their
// weights (kept from the stored order, not sorted again) are its map's,
// sorted; a profile stored with its terms out of order is read too, and
// put in order when asked.
func TestDecodedProfileInOrder(t *testing.T) {
	df := &briefing.DocCounts{}
	w := briefing.NewWeights(df)
	p := &briefing.Profile{}
	check := func(got *briefing.Profile, want map[string]float64) {
		t.Helper()
		if !maps.Equal(got.Terms, want) {
			t.Fatalf("terms %v, want %v", got.Terms, want)
		}
		keys := slices.Sorted(maps.Keys(want))
		if !slices.Equal(got.SortedTerms(), keys) {
			t.Fatalf("in order %v, want %v", got.SortedTerms(), keys)
		}
		for i, k := range keys {
			if got.SortedWeights()[i] != want[k] {
				t.Fatalf("weight of %q: %v, want %v", k, got.SortedWeights()[i], want[k])
			}
		}
	}
	for i := range 30 {
		an := briefing.Analyze(briefing.Article{Title: fmt.Sprintf("Report %d on the talks", i),
			Body: fmt.Sprintf("Negotiators met in Geneva for round %d with delegation%d. Prices moved %d percent.", i, i, i%13)})
		df.Add(an)
		w.Join(p, an)
		got, err := decodeProfile(encodeProfile(p))
		if err != nil {
			t.Fatal(err)
		}
		check(got, p.Terms)
	}
	m := map[string]float64{"talks": 1.5, "geneva": 0.25, "oil": 2, "ceasefire": 0.5}
	for _, keys := range [][]string{{"talks", "geneva", "oil", "ceasefire"}, {"geneva", "oil", "oil", "talks", "ceasefire"}} {
		raw := []byte{profileMagic, profileVersion, 1, 0, 0, 0, 0}
		var wts []float64
		for _, k := range keys {
			wts = append(wts, m[k])
		}
		raw = appendWeights(raw, keys, wts)
		got, err := decodeProfile(raw)
		if err != nil {
			t.Fatal(err)
		}
		check(got, m)
	}
}

// TestEncodeProfileWeightsKept: a profile's stored form, written from the
// weights it keeps beside its terms in order, is the one written from its
// Terms map, as a story grows past trimming.
func TestEncodeProfileWeightsKept(t *testing.T) {
	df := &briefing.DocCounts{}
	w := briefing.NewWeights(df)
	p := &briefing.Profile{}
	for i := range 120 {
		an := briefing.Analyze(briefing.Article{Title: fmt.Sprintf("Report %d on the talks", i),
			Body: fmt.Sprintf("Negotiators met in Geneva for round %d with delegation%d, envoy%d and adviser%d. "+
				"Prices of oil%d moved %d percent as traders%d weighed the talks.", i, i, i, i, i, i%13, i)})
		df.Add(an)
		w.Join(p, an)
		fromMap := &briefing.Profile{Articles: p.Articles, Terms: maps.Clone(p.Terms), First: p.First, Last: p.Last,
			Heads: p.Heads, Names: p.Names}
		if got, want := encodeProfile(p), encodeProfile(fromMap); !slices.Equal(got, want) {
			t.Fatalf("after %d reports (%d terms): stored form differs from the map's", p.Articles, len(p.Terms))
		}
	}
	if len(p.Terms) < 400 {
		t.Fatalf("only %d terms: never trimmed", len(p.Terms))
	}
}
