package data

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// Preparing articles for the store: the pure Go part of ingest, done before
// the batch's transaction and on every core, so the database writer does
// little but SQL. An article's preparation depends on nothing but the
// article, so the batch comes out the same whatever ran on which core.

// preparedArticle is an article ready for the store: normalized, with its
// canonical URL, text key, index text, analysis and autocomplete rows.
type preparedArticle struct {
	Article
	canon, key                   string
	titleIndex, bodyIndex, focus string
	// analysis is the engine's, and stored its stored form.
	analysis *briefing.Analysis
	stored   []byte
	// terms are the rows of the word lists the article counts in.
	terms []termKey
}

// prepareArticle prepares one article with the caches of the goroutine it
// runs on (c); the result depends only on the article.
func prepareArticle(a Article, normalized bool, d dialect, c *prepCache) preparedArticle {
	if !normalized {
		a.Title = collapseSpace(NormalizeText(a.Title))
		a.Body = NormalizeText(a.Body)
	}
	if a.Body == "" {
		return preparedArticle{Article: a}
	}
	// Analyze keeps the terms sorted, as the writer's grouping takes
	// them (SortTerms): on every core, not on the writer's.
	an := c.analyzer.Analyze(engineArticle(a))
	key, buf := textKeyBuf(a.Body, c.keyBuf)
	if cap(buf) <= prepKeepBuf {
		c.keyBuf = buf
	}
	p := preparedArticle{
		Article: a, canon: CanonicalURL(a.URL), key: key,
		titleIndex: d.indexText(indexText(a.Title)), bodyIndex: d.indexText(indexText(a.Body)), focus: focusText(a.Title, a.Body, &c.stems),
		analysis: an, stored: encodeAnalysis(an), terms: articleTerms(a),
	}
	if p.ID == "" {
		p.ID = articleID(p.canon, p.key)
	}
	return p
}

// prepareBatch prepares arts in order, on as many goroutines as there are
// cores less spare (at least one); the spare cores join in when freed is
// closed (nil: never). It stops early, with ctx's error, when ctx ends.
func (s *Store) prepareBatch(ctx context.Context, arts []Article, normalized bool, spare int, freed <-chan struct{}) ([]preparedArticle, error) {
	out := make([]preparedArticle, len(arts))
	procs := runtime.GOMAXPROCS(0)
	workers := max(1, procs-spare)
	eachOnFreed(workers, procs-workers, freed, len(arts), func(next func() (int, bool)) {
		c := s.prep.get()
		defer s.prep.put(c)
		for i, ok := next(); ok && ctx.Err() == nil; i, ok = next() {
			out[i] = prepareArticle(arts[i], normalized, s.db.d, c)
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// eachOnCores runs work on as many goroutines as there are cores (at most
// n) and waits for them; each takes the indexes 0..n-1 from next, each
// index once, until next says there are none left.
func eachOnCores(n int, work func(next func() (int, bool))) {
	eachOn(runtime.GOMAXPROCS(0), n, work)
}

// eachOn is eachOnCores on at most workers goroutines.
func eachOn(workers, n int, work func(next func() (int, bool))) {
	eachOnFreed(workers, 0, nil, n, work)
}

// eachOnFreed is eachOn with later more goroutines joining in when freed is
// closed, if indexes are left: cores lent to another goroutine (ingest's
// writer) come back to the work as soon as that goroutine is done, rather
// than idling until the work ends.
func eachOnFreed(workers, later int, freed <-chan struct{}, n int, work func(next func() (int, bool))) {
	var taken atomic.Int64
	next := func() (int, bool) {
		i := int(taken.Add(1)) - 1
		return i, i < n
	}
	var early, late sync.WaitGroup
	for range min(workers, n) {
		early.Add(1)
		go func() {
			defer early.Done()
			work(next)
		}()
	}
	finished := make(chan struct{})
	for range min(later, n) {
		late.Add(1)
		go func() {
			defer late.Done()
			select {
			case <-freed:
			case <-finished:
				return
			}
			if int(taken.Load()) < n {
				work(next)
			}
		}()
	}
	early.Wait()
	close(finished)
	late.Wait()
}

// prepCache is what one preparing goroutine remembers from article to
// article: the stems of the words it met, for focus tokens and for the
// analysis. What it holds depends only on each word, so an article is
// prepared the same whatever was prepared before it.
type prepCache struct {
	stems    stemCache
	analyzer *briefing.Analyzer
	// keyBuf is textKeyBuf's room, kept while at most prepKeepBuf.
	keyBuf []byte
}

// prepKeepBuf bounds the room prepCache keeps for an article's words: ten
// times a long news report, so one book-length article's is let go.
const prepKeepBuf = 64 << 10

func newPrepCache() *prepCache {
	c := &prepCache{analyzer: briefing.NewAnalyzer()}
	c.stems.met = c.analyzer.Stem
	return c
}

// prepCaches keeps the preparing goroutines' caches from batch to batch (a
// batch's vocabulary is mostly the last one's), a few at most, and lets
// them go once no batch has come for prepCacheIdle: a warm cache holds a
// few MB (8.6 MB of heap for two, after 6,000 Reuters articles), which a
// bulk ingest's back-to-back batches use and a bot that polls its feeds
// every few minutes would only keep resident.
type prepCaches struct {
	mu    sync.Mutex
	free  []*prepCache
	idle  *time.Timer // drops free when it fires
	delay time.Duration
}

// prepCacheIdle is how long kept caches outlive the last batch.
const prepCacheIdle = time.Minute

func (c *prepCaches) get() *prepCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.free); n > 0 {
		pc := c.free[n-1]
		c.free = c.free[:n-1]
		return pc
	}
	return newPrepCache()
}

func (c *prepCaches) put(pc *prepCache) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.free) < 4 {
		c.free = append(c.free, pc)
	}
	delay := c.delay
	if delay == 0 {
		delay = prepCacheIdle
	}
	if c.idle == nil {
		c.idle = time.AfterFunc(delay, c.drop)
	} else {
		c.idle.Reset(delay)
	}
}

// drop lets the kept caches go.
func (c *prepCaches) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.free = nil
}

// stop lets the kept caches go and stops the timer, when the store closes.
func (c *prepCaches) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle != nil {
		c.idle.Stop()
	}
	c.free = nil
}
