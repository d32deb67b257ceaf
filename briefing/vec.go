package briefing

import (
	"cmp"
	"math"
	"slices"
)

// termVec is a sparse, unit-length term vector sorted by term id, so cosine
// similarity is a merge of two short slices and never iterates a map.
type termVec []termEntry

type termEntry struct {
	id int32
	w  float32
}

// vocab interns terms and holds document frequencies for IDF weights.
type vocab struct {
	ids  map[string]int32
	df   []int
	seen []int // per term, the last document counted (1-based), for addDoc
	n    int   // documents counted
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}} }

func (v *vocab) id(t string) int32 {
	if id, ok := v.ids[t]; ok {
		return id
	}
	id := int32(len(v.df))
	v.ids[t] = id
	v.df = append(v.df, 0)
	v.seen = append(v.seen, 0)
	return id
}

// addDoc counts each distinct term of one document once.
func (v *vocab) addDoc(ts []string) {
	ids := make([]int32, len(ts))
	for i, t := range ts {
		ids[i] = v.id(t)
	}
	v.addDocIDs(ids)
}

// addDocIDs is addDoc of terms already interned.
func (v *vocab) addDocIDs(ids []int32) {
	v.n++
	for _, id := range ids {
		if v.seen[id] != v.n {
			v.seen[id] = v.n
			v.df[id]++
		}
	}
}

// idf is smoothed so that terms in every document still weigh something: with
// two articles, the words they share are what makes them one story.
func (v *vocab) idf(id int32) float64 {
	return math.Log(float64(v.n+1)/float64(v.df[id]+1)) + 1
}

// vec builds the TF-IDF vector of a term list (sub-linear term frequency).
func (v *vocab) vec(ts []string) termVec {
	ids := make([]int32, len(ts))
	for i, t := range ts {
		ids[i] = v.id(t)
	}
	return v.vecIDs(ids)
}

// vecIDs is vec of terms already interned; it sorts ids in place.
func (v *vocab) vecIDs(ids []int32) termVec {
	slices.Sort(ids)
	out := make(termVec, 0, len(ids))
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		id := ids[i]
		idf := 1.0
		if v.df[id] > 0 {
			idf = v.idf(id)
		}
		out = append(out, termEntry{id, float32((1 + math.Log(float64(j-i))) * idf)})
		i = j
	}
	return out.unit() // in id order already
}

// normalize sorts a vector of distinct ids by id and scales it to unit
// length.
func (s termVec) normalize() termVec {
	slices.SortFunc(s, func(a, b termEntry) int { return cmp.Compare(a.id, b.id) })
	return s.unit()
}

// unit scales a vector sorted by id to unit length.
func (s termVec) unit() termVec {
	var sum float64
	for _, e := range s {
		sum += float64(e.w) * float64(e.w)
	}
	if sum == 0 {
		return s
	}
	n := float32(math.Sqrt(sum))
	for i := range s {
		s[i].w /= n
	}
	return s
}

// cosine is the cosine of two unit vectors.
func cosine(a, b termVec) float64 {
	var dot float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id == b[j].id:
			dot += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		case a[i].id < b[j].id:
			i++
		default:
			j++
		}
	}
	return dot
}

// vecSum adds vectors (each weighted w[i], or 1) and normalizes: a centroid.
func vecSum(vs []termVec, w []float64) termVec {
	acc := map[int32]float64{}
	for i, v := range vs {
		k := 1.0
		if w != nil {
			k = w[i]
		}
		for _, e := range v {
			acc[e.id] += k * float64(e.w)
		}
	}
	out := make(termVec, 0, len(acc))
	for id, x := range acc {
		out = append(out, termEntry{id, float32(x)})
	}
	return out.normalize()
}
