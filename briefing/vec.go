package briefing

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// termVec is a sparse, unit-length term vector sorted by term id, so cosine
// similarity is a merge of two short slices and never iterates a map.
type termVec []termEntry

type termEntry struct {
	id int32
	w  float32
}

// vocab numbers the terms of one story in the order it first meets them
// and holds their document frequencies for IDF weights. It takes terms by
// their Build id (termCache) and indexes arrays by them: a story's
// sentences look up thousands of terms.
type vocab struct {
	local []int32 // by Build id: the story's id + 1, 0 for a term not met yet
	df    []int
	seen  []int // per term, the last document counted (1-based), for addDocIDs
	n     int   // documents counted
	// scratch of vecIDs: counts by id and a bitmap of the ids counted
	cnt  []int32
	bits []uint64
	ids  []int32 // scratch of vec
	// idfs are the IDFs by id when n documents were counted (idfN)
	idfs []float64
	idfN int
}

func newVocab() *vocab { return &vocab{} }

// id is the story's id of the term with Build id b.
func (v *vocab) id(b int32) int32 {
	if int(b) >= len(v.local) {
		v.local = append(v.local, make([]int32, int(b)+1-len(v.local))...)
	}
	if l := v.local[b]; l > 0 {
		return l - 1
	}
	id := int32(len(v.df))
	v.local[b] = id + 1
	v.df = append(v.df, 0)
	v.seen = append(v.seen, 0)
	return id
}

// addDocIDs counts each distinct term of one document once; ids are the
// story's.
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

// vec builds the TF-IDF vector of a term list, given by Build ids
// (sub-linear term frequency). The story's ids are put in a scratch list
// the vocab keeps: a story makes a vector for each of its hundreds of
// facts.
func (v *vocab) vec(bs []int32) termVec {
	ids := v.ids[:0]
	for _, b := range bs {
		ids = append(ids, v.id(b))
	}
	v.ids = ids
	return v.vecIDs(ids)
}

// vecIDs is vec of the story's ids; it may reorder ids.
func (v *vocab) vecIDs(ids []int32) termVec {
	if len(ids) < 64 {
		slices.Sort(ids)
		out := make(termVec, 0, len(ids))
		for i := 0; i < len(ids); {
			j := i + 1
			for j < len(ids) && ids[j] == ids[i] {
				j++
			}
			out = append(out, v.entry(ids[i], j-i))
			i = j
		}
		return out.unit() // in id order already
	}
	// A long list (a whole report) is counted into arrays and read back
	// in id order, without sorting it.
	if len(v.cnt) < len(v.df) {
		v.cnt = make([]int32, len(v.df)+len(v.df)/2)
		v.bits = make([]uint64, len(v.cnt)/64+1)
	}
	lo, hi := len(v.bits), 0
	distinct := 0
	for _, id := range ids {
		if v.cnt[id] == 0 {
			distinct++
			w := int(id) >> 6
			v.bits[w] |= 1 << (uint(id) & 63)
			lo, hi = min(lo, w), max(hi, w)
		}
		v.cnt[id]++
	}
	out := make(termVec, 0, distinct)
	for w := lo; w <= hi; w++ {
		for b := v.bits[w]; b != 0; b &= b - 1 {
			id := int32(w<<6 + bits.TrailingZeros64(b))
			out = append(out, v.entry(id, int(v.cnt[id])))
			v.cnt[id] = 0
		}
		v.bits[w] = 0
	}
	return out.unit()
}

// entry is the weight of a term said n times in a document. IDFs are
// remembered while the documents counted stay the same.
func (v *vocab) entry(id int32, n int) termEntry {
	if v.idfN != v.n {
		v.idfs, v.idfN = v.idfs[:0], v.n
	}
	for len(v.idfs) <= int(id) {
		k := int32(len(v.idfs))
		idf := 1.0
		if k < int32(len(v.df)) && v.df[k] > 0 {
			idf = v.idf(k)
		}
		v.idfs = append(v.idfs, idf)
	}
	return termEntry{id, float32((1 + vecLog(n)) * v.idfs[id])}
}

// vecLog is math.Log of a count, the small ones from a table.
func vecLog(n int) float64 {
	if n < len(vecLogs) {
		return vecLogs[n]
	}
	return math.Log(float64(n))
}

var vecLogs = func() (t [64]float64) {
	for n := range t {
		t[n] = math.Log(float64(n))
	}
	return t
}()

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

// vecSum adds vectors of ids below dim, each weighing the same, and
// normalizes: a centroid.
func vecSum(vs []termVec, dim int) termVec {
	acc := make([]float64, dim)
	in := make([]bool, dim)
	n := 0
	for _, v := range vs {
		for _, e := range v {
			acc[e.id] += float64(e.w)
			if !in[e.id] {
				in[e.id] = true
				n++
			}
		}
	}
	out := make(termVec, 0, n)
	for id, on := range in {
		if on {
			out = append(out, termEntry{int32(id), float32(acc[id])})
		}
	}
	return out.unit() // in id order already
}
