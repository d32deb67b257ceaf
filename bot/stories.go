package bot

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// Briefings are made of stored stories: /brief, the command line's brief
// and scheduled posts all find the stories on a topic (every match
// considered; relevance, coverage and recency) or the top stories, read
// every report of each that the reader may see, and brief them together.

// briefStories is how many stories one briefing covers.
const briefStories = 5

// BuildFunc builds a briefing; briefing.Build, or a test's stand-in.
type BuildFunc func(context.Context, []briefing.Article, briefing.Options) (briefing.Briefing, error)

// StoryBrief is a briefing of stored stories and what it was made from.
type StoryBrief struct {
	briefing.Briefing
	// Reports counts the reports read, over every story.
	Reports int
	// StoryIDs are the IDs of the stories read, in the order found.
	StoryIDs []int64
}

// BriefStories builds the briefing on topic ("": the top stories) from the
// stored stories opt's scope sees: with opt.IngestedSince set, only stories
// with a report stored since then (a scheduled post's news); reports that
// opt.Filter refuses are left out. Each story in the result carries its
// coverage as the reader sees it.
func BriefStories(ctx context.Context, store *data.Store, topic string, opt data.SearchOptions, bopts briefing.Options, build BuildFunc) (StoryBrief, error) {
	var found []data.StoryHit
	var err error
	if topic == "" {
		found, err = store.TopStories(ctx, opt, briefStories)
	} else {
		found, err = store.FindStories(ctx, topic, opt, 4*briefStories)
	}
	if err != nil {
		return StoryBrief{}, fmt.Errorf("stories on %q: %w", topic, err)
	}
	var keep func(data.Article) bool
	if opt.Filter != nil {
		keep = opt.Filter.Match
	}
	coverage := map[string]*briefing.Coverage{}
	// Each story's reports, then the engine's articles in one allocation:
	// a story can have thousands of reports, cited though not read.
	var read [][]data.Article
	var keys []string
	var out StoryBrief
	// The stories are read a window at a time, as many as the briefing
	// still needs, the stories of a window side by side (storyReads):
	// the same stories are read as one by one, and kept in the order
	// found, but the reads of a window overlap.
	for next := 0; next < len(found) && len(read) < briefStories; {
		window := found[next:min(len(found), next+briefStories-len(read))]
		next += len(window)
		got, err := storyReads(ctx, store, window, opt.Scope, data.ReportOptions{Texts: briefing.MaxStoryTexts, Keep: keep})
		if err != nil {
			return StoryBrief{}, err
		}
		for k, f := range window {
			st, reports := got[k].story, got[k].reports
			if len(reports) == 0 {
				continue
			}
			key := strconv.FormatInt(f.ID, 10)
			cov := &briefing.Coverage{Reports: st.Reports, Outlets: st.Outlets, FirstSeen: st.FirstSeen, LastUpdate: st.LastUpdate}
			for _, r := range reports {
				if !opt.IngestedSince.IsZero() && !r.Ingested.Before(opt.IngestedSince) {
					cov.NewReports++
				}
			}
			coverage[key] = cov
			read, keys = append(read, reports), append(keys, key)
			out.Reports += len(reports)
			out.StoryIDs = append(out.StoryIDs, f.ID)
		}
	}
	eng := make([]briefing.Article, 0, out.Reports)
	for i, reports := range read {
		for _, a := range reports {
			e := engineArticle(a)
			e.Story = keys[i]
			eng = append(eng, e)
		}
	}
	if len(eng) == 0 {
		out.Briefing = briefing.Briefing{Topic: topic, GeneratedAt: bopts.Now}
		return out, nil
	}
	bopts.Topic = topic
	br, err := build(ctx, eng, bopts)
	if err != nil {
		return StoryBrief{}, err
	}
	// The engine briefs each stored story as it was given; each takes its
	// coverage.
	for i := range br.Stories {
		if c, ok := coverage[br.Stories[i].Key]; ok {
			c := *c
			br.Stories[i].Coverage = &c
		}
	}
	out.Briefing = br
	return out, nil
}

// storyRead is one story's reports as StoryReports reads them.
type storyRead struct {
	story   data.Story
	reports []data.Article
}

// storyReadWorkers bounds the stories storyReads reads at once: the
// store's pool keeps a few connections, and a /brief reads five stories.
const storyReadWorkers = 2

// storyReads reads the reports of each story found (every report the
// reader may see, the best for the topic first, see data.StoryReports),
// on up to storyReadWorkers goroutines, each taking the next story as it
// finishes one: a large story's reads are a few milliseconds of the
// driver's work, which a second connection overlaps. It returns the reads
// in found's order, or the error of the first story, in that order, that
// failed.
func storyReads(ctx context.Context, store *data.Store, found []data.StoryHit, sc data.Scope, opt data.ReportOptions) ([]storyRead, error) {
	out := make([]storyRead, len(found))
	errs := make([]error, len(found))
	var taken atomic.Int32
	work := func() {
		for {
			k := int(taken.Add(1)) - 1
			if k >= len(found) {
				return
			}
			o := opt
			o.Prefer = found[k].Best
			out[k].story, out[k].reports, errs[k] = store.StoryReports(ctx, found[k].ID, sc, o)
		}
	}
	var wg sync.WaitGroup
	var panicked atomic.Value
	for range min(storyReadWorkers, len(found)) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A panic (a filter's, say) reaches the caller, whose
			// handler recovers, as it would with the reads in line.
			defer func() {
				if p := recover(); p != nil {
					panicked.Store(fmt.Sprint(p))
				}
			}()
			work()
		}()
	}
	work()
	wg.Wait()
	if p := panicked.Load(); p != nil {
		panic(p)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
