package briefing

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestTermCompare: comparing terms by their prefixes first orders them as
// comparing the strings does, also for terms that share 8 bytes, are
// prefixes of each other or hold zero bytes.
func TestTermCompare(t *testing.T) {
	cases := []struct{ a, b string }{
		{"", ""}, {"", "a"}, {"a", "b"}, {"oil", "oil"}, {"oil", "oils"},
		{"abcdefgh", "abcdefgh"}, {"abcdefgh", "abcdefghi"}, {"abcdefghi", "abcdefghj"},
		{"abcdefgh", "abcdefgg"}, {"a", "a\x00"}, {"a\x00", "a\x00\x00"}, {"a\x00b", "a\x00"},
		{"abcdefg\x00", "abcdefg"}, {"abcdefg\x00x", "abcdefg"}, {"\xff", "\xfe\xff"},
		{"zürich", "zurich"}, {"12345678\x00", "12345678"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "ab\x00\xff"
	for range 2000 {
		var a, b strings.Builder
		for range r.IntN(12) {
			a.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		for range r.IntN(12) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, struct{ a, b string }{a.String(), b.String()})
	}
	for _, c := range cases {
		for _, x := range [][2]string{{c.a, c.b}, {c.b, c.a}} {
			want := strings.Compare(x[0], x[1])
			if got := termCompare(termPrefix(x[0]), termPrefix(x[1]), x[0], x[1]); got != want {
				t.Errorf("termCompare(%q, %q) = %d, want %d", x[0], x[1], got, want)
			}
		}
	}
}

// mapProfile is a story's terms kept as Profile kept them before it kept
// them in order beside the map: the straightforward sums the kept slices
// must reproduce exactly.
type mapProfile struct {
	terms map[string]float64
}

// add is the map profile's join: each term's 1 + ln tf over the article's
// length added, then the heaviest profileMaxTerms kept past 1.5 times as
// many (profileTrim: all sorted).
func (m *mapProfile) add(a *Analysis) (trimmed bool) {
	ts := groupSortedTerms(a)
	var norm float64
	for _, t := range ts {
		w := 1 + math.Log(float64(a.Terms[t]))
		norm += w * w
	}
	norm = math.Sqrt(norm)
	for _, t := range ts {
		m.terms[t] += (1 + math.Log(float64(a.Terms[t]))) / norm
	}
	if len(m.terms) > profileMaxTerms*3/2 {
		profileTrim(m.terms, profileMaxTerms)
		return true
	}
	return false
}

// norm sums the story's length over its terms in order, looking each up.
func (m *mapProfile) norm(w *groupWeigher) float64 {
	keys := slices.Sorted(maps.Keys(m.terms))
	var nn float64
	for _, t := range keys {
		y := m.terms[t] * w.of(t)
		nn += y * y
	}
	return math.Sqrt(nn)
}

// sim is the cosine with an article, each of its terms looked up.
func (m *mapProfile) sim(v groupVec, pn float64) float64 {
	if v.norm == 0 || pn == 0 {
		return 0
	}
	var dot float64
	for i, t := range v.terms {
		if y, ok := m.terms[t]; ok {
			dot += v.x[i] * y * v.idf[i]
		}
	}
	return dot / (v.norm * pn)
}

// sq sums the squares of an article's terms' weights in the story times
// their IDFs, looking each up (Join's update of a story's length).
func (m *mapProfile) sq(v groupVec) float64 {
	var s float64
	for i, t := range v.terms {
		if y, ok := m.terms[t]; ok {
			x := y * v.idf[i]
			s += x * x
		}
	}
	return s
}

// randomArticle makes an article of up to n terms from a vocabulary of
// vocab, with counts from 1 to 4 (so many terms of one article weigh the
// same, and trims meet ties), some terms long and some sharing their first
// 8 bytes.
func randomArticle(r *rand.Rand, n, vocab int) *Analysis {
	a := &Analysis{Terms: map[string]int{}}
	for range 1 + r.IntN(n) {
		k := int(math.Pow(r.Float64(), 2) * float64(vocab)) // common terms commoner
		var t string
		switch k % 4 {
		case 0:
			t = fmt.Sprintf("t%d", k)
		case 1:
			t = fmt.Sprintf("longprefix%d", k)
		case 2:
			t = fmt.Sprintf("%08d", k)
		default:
			t = fmt.Sprintf("w%x\x00", k)
		}
		a.Terms[t] = 1 + r.IntN(4)*r.IntN(2)
	}
	return a
}

// TestProfileSumsAsMaps: the sums a profile's kept slices give, through
// Join, Add, Assign, trims, renewed weights and profiles rebuilt from their
// Terms (as read from storage), are bit for bit the sums over the map:
// the same terms and weights, the same length (summed afresh and updated
// by a join), the same cosine, the same trim.
func TestProfileSumsAsMaps(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			df := &DocCounts{}
			w := NewWeights(df)
			var profiles []*Profile
			var refs []*mapProfile
			trims := 0
			for step := range 600 {
				a := randomArticle(r, 120, 3000)
				if r.IntN(3) == 0 {
					a.SortTerms()
				}
				df.Add(a)
				switch {
				case step%97 == 0:
					w = w.Renewed(df) // as the store renews its weights
				case step%211 == 0:
					w = NewWeights(df)
				}
				v := w.vec(a)
				// Every profile's length and cosine with the article, as
				// the maps give them.
				for range min(4, len(profiles)) {
					i := r.IntN(len(profiles))
					p := profiles[i]
					want := refs[i].norm(w.w)
					if got := w.norm(p); got != want && !(step > 0 && math.Abs(got-want) <= 1e-9*want) {
						t.Fatalf("step %d profile %d: length %v, map's %v", step, i, got, want)
					}
					pn := w.norm(p)
					if !w.w.numbered(v, p) {
						t.Fatalf("step %d profile %d: not compared by number", step, i)
					}
					if got, want := w.w.sim(v, p, pn), refs[i].sim(v, pn); got != want {
						t.Fatalf("step %d profile %d: cosine %v, map's %v", step, i, got, want)
					}
					// And by looking the article's terms up in the map,
					// as for an article not marked.
					unmarked := v
					unmarked.ids = slices.Clone(v.ids)
					if got, want := w.w.sim(unmarked, p, pn), refs[i].sim(v, pn); got != want || w.w.numbered(unmarked, p) {
						t.Fatalf("step %d profile %d: cosine unmarked %v, map's %v", step, i, got, want)
					}
					if got, want := w.w.profileNorm(p), refs[i].norm(w.w); got != want {
						t.Fatalf("step %d profile %d: length summed afresh %v, map's %v", step, i, got, want)
					}
				}
				k := r.IntN(len(profiles) + 1)
				if k == len(profiles) {
					profiles, refs = append(profiles, &Profile{}), append(refs, &mapProfile{terms: map[string]float64{}})
				}
				p, ref := profiles[k], refs[k]
				switch r.IntN(10) {
				case 0:
					// Read back from its terms, as decodeProfile makes it.
					p = &Profile{Articles: p.Articles, Terms: maps.Clone(p.Terms), Names: p.Names}
					profiles[k] = p
					p.Add(a)
				case 1:
					p.Add(a)
				default:
					l, known := w.norms[p]
					known = known && l.articles == p.Articles
					before := ref.sq(v)
					w.Join(p, a)
					if l2, ok := w.norms[p]; ok && known {
						// The updated length is the map's update.
						ref2 := &mapProfile{terms: maps.Clone(ref.terms)}
						ref2.add(a)
						after := ref2.sq(v)
						if want := math.Sqrt(max(0, l.norm*l.norm-before+after)); l2.norm != want {
							t.Fatalf("step %d: updated length %v, map's %v", step, l2.norm, want)
						}
					}
				}
				if ref.add(a) {
					trims++
				}
				if !maps.Equal(p.Terms, ref.terms) {
					t.Fatalf("step %d: terms differ from the map's (%d, %d terms)", step, len(p.Terms), len(ref.terms))
				}
				if want := slices.Sorted(maps.Keys(ref.terms)); !slices.Equal(p.SortedTerms(), want) {
					t.Fatalf("step %d: kept order differs", step)
				}
				keys, wts, idf := w.ProfileTerms(p)
				ids := w.w.numbersOf(p)
				for i, term := range keys {
					if id, ok := w.w.terms.ids[term]; !ok || ids[i] != id {
						t.Fatalf("step %d: term %q numbered %d, is %d", step, term, ids[i], id)
					}
					if wts[i] != ref.terms[term] || idf[i] != w.IDF(term) {
						t.Fatalf("step %d: term %q kept as %v (IDF %v), map's %v (%v)", step, term, wts[i], idf[i], ref.terms[term], w.IDF(term))
					}
				}
			}
			if trims < 5 {
				t.Fatalf("only %d trims: the test tests less than it says", trims)
			}
		})
	}
}

// TestProfileTrimTies: the kept slices' trim keeps what sorting all of the
// terms keeps, when many weigh the same.
func TestProfileTrimTies(t *testing.T) {
	cases := []struct {
		name string
		wts  func(i int) float64
	}{
		{"all equal", func(int) float64 { return 1 }},
		{"two levels", func(i int) float64 { return float64(i % 2) }},
		{"tie at the cut", func(i int) float64 { return float64(min(i, 350)) }},
		{"distinct", func(i int) float64 { return float64(i*7919%1000) / 3 }},
		{"zeros", func(i int) float64 { return math.Copysign(0, float64(i%2)-0.5) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := map[string]float64{}
			var m profileMerge
			for i := range 650 {
				ref[fmt.Sprintf("k%04d", (i*37)%650)] = c.wts(i)
			}
			terms, terms0 := maps.Clone(ref), maps.Clone(ref)
			m.keys = slices.Sorted(maps.Keys(ref))
			for _, k := range m.keys {
				m.wts, m.ids = append(m.wts, ref[k]), append(m.ids, int32(len(m.ids)))
			}
			profileTrim(ref, profileMaxTerms)
			numbers := slices.Clone(m.ids)
			m.trim(terms, profileMaxTerms, true)
			want := slices.Sorted(maps.Keys(ref))
			if !slices.Equal(m.keys, want) || !maps.Equal(terms, ref) {
				t.Fatalf("kept %d terms, sorting kept %d", len(m.keys), len(want))
			}
			for i, k := range m.keys {
				if m.wts[i] != ref[k] || m.ids[i] != numbers[slices.Index(slices.Sorted(maps.Keys(terms0)), k)] {
					t.Fatalf("term %q: slices not aligned", k)
				}
			}
			if !sort.StringsAreSorted(m.keys) {
				t.Fatal("kept terms out of order")
			}
		})
	}
}
