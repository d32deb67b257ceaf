package briefing

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// A Build spreads the work that splits into independent parts over the
// machine's cores: analysing the articles it is given, and the stages that
// run story by story (facts, selection under a story's own budget,
// assembly). Every part writes only its own results and reads only what no
// other part writes; the per-goroutine caches a part fills (termCache, a
// title memo) hold what any cache would compute, so the briefing is the
// same byte for byte however the parts fall on the goroutines. A Build too
// small to gain from it stays on the calling goroutine.

// coresMaxWorkers bounds the goroutines of one Build: a bot runs several
// Builds at once, and a Build's parts are few.
const coresMaxWorkers = 8

// coresWorkers is how many goroutines to spread work over: one per core,
// at most one per minPart of it and at most coresMaxWorkers; 1 when work is
// below two parts.
func coresWorkers(work, minPart int) int {
	return max(1, min(runtime.GOMAXPROCS(0), coresMaxWorkers, work/max(1, minPart)))
}

// onCores runs part(w) for w = 0..n-1 on n goroutines, the calling one
// taking w = 0, and returns when all are done. A part that panics makes
// onCores panic on the calling goroutine once the others have finished,
// as it would have had the parts run there one after another (a caller
// that recovers, like the bot's handlers, still can).
func onCores(n int, part func(w int)) {
	if n <= 1 {
		part(0)
		return
	}
	var wg sync.WaitGroup
	panics := make([]any, n)
	run := func(w int) {
		defer func() {
			if p := recover(); p != nil {
				panics[w] = p
			}
		}()
		part(w)
	}
	for w := 1; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(w)
		}()
	}
	run(0)
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// onCoresRange splits 0..n-1 into n/block blocks of consecutive indexes,
// handed out to up to workers goroutines as each finishes its last, and
// calls do(w, lo, hi) for each block, w being the goroutine's number: what
// a goroutine keeps between blocks is its own. The calling goroutine
// (w = 0) first runs first, if not nil, and then takes its blocks.
func onCoresRange(n, block, workers int, first func(), do func(w, lo, hi int)) {
	blocks := (n + block - 1) / block
	var mu sync.Mutex
	nextBlock := 0
	onCores(max(1, min(workers, blocks)), func(w int) {
		if w == 0 && first != nil {
			first()
		}
		for {
			mu.Lock()
			b := nextBlock
			nextBlock++
			mu.Unlock()
			if b >= blocks {
				return
			}
			do(w, b*block, min(n, (b+1)*block))
		}
	})
}

// storyWorkers deals the stories out to up to n goroutines, each story to
// one goroutine for every per-story stage, so that the stages after facts
// find the story's sentences in the term cache that goroutine filled.
// The costliest story (by its distinct sentences) goes first,
// to the goroutine with the least work so far (the longest-processing-time
// rule, Graham 1969: within 4/3 of the best split). It sets each story's
// worker and returns how many goroutines have a story.
func storyWorkers(stories []*assembly, distinct []int, n int) int {
	n = min(n, len(stories))
	if n <= 1 {
		for _, st := range stories {
			st.worker = 0
		}
		return 1
	}
	order := make([]int, len(stories))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(distinct[b], distinct[a]) })
	load := make([]int, n)
	for _, i := range order {
		w := 0
		for k := range load {
			if load[k] < load[w] {
				w = k
			}
		}
		stories[i].worker = w
		load[w] += 1 + distinct[i]
	}
	return n
}

// storyCaches deals the stories out to the goroutines (storyWorkers)
// when they read sentences enough to be worth it, and returns each
// goroutine's term cache: tc for the calling one, and for each other a new
// one sized to its stories.
func storyCaches(stories []*assembly, tc *termCache) []*termCache {
	read := 0
	sents := make([]int, len(stories))
	for i, st := range stories {
		sents[i] = st.readSentences()
		read += sents[i]
	}
	tcs := []*termCache{tc}
	n := min(coresWorkers(read, storyMinPart), len(stories))
	if n <= 1 {
		storyWorkers(stories, nil, 1)
		return tcs
	}
	distinct := make([]int, len(stories))
	for i, st := range stories {
		distinct[i] = st.distinctSentences()
	}
	n = storyWorkers(stories, distinct, n)
	load := make([]int, n)
	for i, st := range stories {
		load[st.worker] += sents[i]
	}
	for _, l := range load[1:] {
		// As Build sizes tc: about one sentence in four read is new.
		tcs = append(tcs, newTermCache(l/4, true))
	}
	return tcs
}

// eachStory runs do on every story (i its index in stories), on the goroutine storyWorkers gave
// it, with that goroutine's term cache (tcs[worker]); a goroutine takes
// its stories in their order, and stops at its first error. It returns
// the error of the first story (in the stories' order) that failed.
func eachStory(stories []*assembly, tcs []*termCache, do func(i int, st *assembly, tc *termCache) error) error {
	errs := make([]error, len(stories))
	onCores(len(tcs), func(w int) {
		for i, st := range stories {
			if st.worker == w {
				if errs[i] = do(i, st, tcs[w]); errs[i] != nil {
					return
				}
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
