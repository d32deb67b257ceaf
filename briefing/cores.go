package briefing

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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

// storyCaches returns a term cache for each goroutine the per-story
// stages are spread over: tc alone (the calling goroutine) unless the
// stories read sentences enough to be worth more, then besides it a new one
// for each other goroutine, sized to its share. It sets each story's cost,
// the order eachStory takes them in.
func storyCaches(stories []*assembly, tc *termCache) []*termCache {
	read := 0
	for _, st := range stories {
		read += st.readSentences()
	}
	tcs := []*termCache{tc}
	n := min(coresWorkers(read, storyMinPart), len(stories))
	if n <= 1 {
		return tcs
	}
	distinct := 0
	for _, st := range stories {
		st.cost = st.distinctSentences()
		distinct += st.cost
	}
	for range n - 1 {
		// Each cache tokenizes the distinct sentences of the stories its
		// goroutine takes: its share, and half as much again, as list
		// scheduling shares unevenly (a map sized short grows, rehashing
		// what it holds, several times over).
		tcs = append(tcs, newTermCache(distinct/n+distinct/(2*n), true))
	}
	return tcs
}

// eachStory runs do on every story (i its index in stories) on as many
// goroutines as there are caches, each running do with its own (tcs[w]).
// The costliest story (by its distinct sentences) is taken first, each by
// the first goroutine free (list scheduling, longest first: Graham 1969,
// within 4/3 of the best split; a goroutine the machine holds up takes
// less). A goroutine stops at its first error; eachStory returns the
// error of the first story, in the stories' order, that failed.
func eachStory(stories []*assembly, tcs []*termCache, do func(i int, st *assembly, tc *termCache) error) error {
	errs := make([]error, len(stories))
	if len(tcs) == 1 {
		for i, st := range stories {
			if errs[i] = do(i, st, tcs[0]); errs[i] != nil {
				return errs[i]
			}
		}
		return nil
	}
	order := storyOrder(stories)
	var taken atomic.Int32
	onCores(len(tcs), func(w int) {
		for {
			k := int(taken.Add(1)) - 1
			if k >= len(order) {
				return
			}
			i := order[k]
			if errs[i] = do(i, stories[i], tcs[w]); errs[i] != nil {
				return
			}
		}
	})
	return firstError(errs)
}

// storyOrder is the order eachStory takes the stories in on several
// goroutines: costliest first, ties in the stories' order.
func storyOrder(stories []*assembly) []int {
	order := make([]int, len(stories))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(stories[b].cost, stories[a].cost) })
	return order
}

// eachStoryIn runs do on every story with the cache its facts were
// gathered in (assembly.tc), on one goroutine per cache, so that no two
// goroutines share one: a goroutine stops at its first error, and
// eachStoryIn returns the error of the first story that failed.
func eachStoryIn(stories []*assembly, tcs []*termCache, do func(st *assembly) error) error {
	errs := make([]error, len(stories))
	onCores(len(tcs), func(w int) {
		for i, st := range stories {
			// A story gathered with none of tcs (never, in Build) is
			// the calling goroutine's, not skipped.
			if st.tc == tcs[w] || w == 0 && !slices.Contains(tcs, st.tc) {
				if errs[i] = do(st); errs[i] != nil {
					return
				}
			}
		}
	})
	return firstError(errs)
}

// firstError is the first of errs that is not nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
