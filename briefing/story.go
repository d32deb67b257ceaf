package briefing

import (
	"math"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// storyVec is a sparse, unit-length term vector sorted by term id, so cosine
// similarity is a merge of two short slices and never iterates a map.
type storyVec []storyEntry

type storyEntry struct {
	id int32
	w  float32
}

// storyVocab interns terms and holds document frequencies for IDF weights.
type storyVocab struct {
	ids map[string]int32
	df  []int
	n   int // documents counted
}

func newStoryVocab() *storyVocab { return &storyVocab{ids: map[string]int32{}} }

func (v *storyVocab) id(t string) int32 {
	if id, ok := v.ids[t]; ok {
		return id
	}
	id := int32(len(v.df))
	v.ids[t] = id
	v.df = append(v.df, 0)
	return id
}

// addDoc counts each distinct term of one document once.
func (v *storyVocab) addDoc(ts []string) {
	v.n++
	seen := map[int32]bool{}
	for _, t := range ts {
		id := v.id(t)
		if !seen[id] {
			seen[id] = true
			v.df[id]++
		}
	}
}

// idf is smoothed so that terms in every document still weigh something: with
// two articles, the words they share are what makes them one story.
func (v *storyVocab) idf(id int32) float64 {
	return math.Log(float64(v.n+1)/float64(v.df[id]+1)) + 1
}

// vec builds the TF-IDF vector of a term list (sub-linear term frequency).
func (v *storyVocab) vec(ts []string) storyVec {
	tf := map[int32]int{}
	for _, t := range ts {
		tf[v.id(t)]++
	}
	out := make(storyVec, 0, len(tf))
	for id, n := range tf {
		idf := 1.0
		if int(id) < len(v.df) && v.df[id] > 0 {
			idf = v.idf(id)
		}
		out = append(out, storyEntry{id, float32((1 + math.Log(float64(n))) * idf)})
	}
	return out.normalize()
}

func (s storyVec) normalize() storyVec {
	sort.Slice(s, func(i, j int) bool { return s[i].id < s[j].id })
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

// storyCos is the cosine of two unit vectors.
func storyCos(a, b storyVec) float64 {
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

// storySum adds vectors (each weighted w[i], or 1) and normalizes: a centroid.
func storySum(vs []storyVec, w []float64) storyVec {
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
	out := make(storyVec, 0, len(acc))
	for id, x := range acc {
		out = append(out, storyEntry{id, float32(x)})
	}
	return out.normalize()
}

// storyEntities returns the capitalized words of a text that do not start a
// sentence: a cheap stand-in for named entities (people, places, bodies),
// which two reports of one event share even when their wording differs.
func storyEntities(sents []string, tc *buildTermCache) map[string]bool {
	out := map[string]bool{}
	for _, s := range sents {
		storyCapWords(s, false, tc, func(w string) { out[w] = true })
	}
	return out
}

// storyKeys returns who or what an article is about: the distinctive
// capitalized words of its headline and first sentence, the first word
// included ("Chrysler said ..."), generic words ("Corp", "Minister", month
// names) left out. An all-capitals headline says nothing about which words
// are names and is skipped.
func storyKeys(title string, sents []string, tc *buildTermCache) map[string]bool {
	out := map[string]bool{}
	add := func(w string) {
		if !quoteNotName[w] && !quoteTitleWords[w] {
			out[w] = true
		}
	}
	if strings.IndexFunc(title, unicode.IsLower) >= 0 {
		storyCapWords(title, true, tc, add)
	}
	if len(sents) > 0 {
		storyCapWords(sents[0], true, tc, add)
	}
	return out
}

// storyCapWords calls f with the stem of every capitalized word of s that is
// not a stop word or a calendar word; the first word only when first is set.
func storyCapWords(s string, first bool, tc *buildTermCache, f func(string)) {
	for i, fw := range strings.Fields(s) {
		if i == 0 && !first {
			continue
		}
		w := strings.Trim(fw, `.,;:!?"“”'’()[]<>`)
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		r, n := utf8.DecodeRuneInString(w)
		if len(w) < 2 || n == 0 || !unicode.IsUpper(r) {
			continue
		}
		lw := strings.ToLower(w)
		if isStopword(lw) || storyCalendar[lw] {
			continue
		}
		f(tc.stemWord(lw))
	}
}

// storyCalendar words are capitalized but say nothing about which event.
var storyCalendar = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "january": true, "february": true, "march": true,
	"april": true, "june": true, "july": true, "august": true, "september": true,
	"october": true, "november": true, "december": true, "jan": true, "feb": true,
	"mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true,
}

// storyRank orders stories: more distinct outlets first, then fresher, then
// more about the topic. Every term is bounded so no single one swamps the
// rest, and ties fall back to the headline so the order is total.
type storyRanked struct {
	members  []int
	outlets  int
	newest   time.Time
	topic    float64
	score    float64
	headline string
}

func storyRankAll(ss []storyRanked, latest time.Time) {
	for i := range ss {
		s := &ss[i]
		recency := 0.0
		if !s.newest.IsZero() && !latest.IsZero() {
			age := latest.Sub(s.newest).Hours() / 24
			recency = math.Exp(-age / 2)
		}
		s.score = math.Log2(1+float64(s.outlets)) + 0.15*math.Log2(float64(len(s.members))) + 0.8*recency + 1.5*s.topic
	}
	sort.SliceStable(ss, func(i, j int) bool {
		if ss[i].score != ss[j].score {
			return ss[i].score > ss[j].score
		}
		return ss[i].headline < ss[j].headline
	})
}
