package bot

import (
	"context"
	"fmt"
	"strconv"
	"sync"

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
	// The work each story leaves for later (its analyses' decoding) runs
	// on another goroutine while the next story is read, where it would
	// wait for the reads to end with the second core idle.
	later, waitLater := runLater(len(found))
	defer waitLater()
	coverage := map[string]*briefing.Coverage{}
	// Each story's reports, then the engine's articles in one allocation:
	// a story can have thousands of reports, cited though not read.
	var read [][]data.Article
	var keys []string
	var out StoryBrief
	for _, f := range found {
		if len(read) == briefStories {
			break
		}
		// Every report the reader may see, the best for the topic (then
		// the newest) with the text a story's briefing reads.
		st, reports, err := store.StoryReports(ctx, f.ID, opt.Scope, data.ReportOptions{Texts: briefing.MaxStoryTexts, Prefer: f.Best, Keep: keep, Later: later})
		if err != nil {
			return StoryBrief{}, err
		}
		if len(reports) == 0 {
			continue
		}
		key := strconv.FormatInt(f.ID, 10)
		cov := &briefing.Coverage{Reports: st.Reports, Outlets: st.Outlets, FirstSeen: st.FirstSeen, LastUpdate: st.LastUpdate}
		// Only the reports' times: their texts may be decoding still.
		for i := range reports {
			if !opt.IngestedSince.IsZero() && !reports[i].Ingested.Before(opt.IngestedSince) {
				cov.NewReports++
			}
		}
		coverage[key] = cov
		read, keys = append(read, reports), append(keys, key)
		out.Reports += len(reports)
		out.StoryIDs = append(out.StoryIDs, f.ID)
	}
	if err := waitLater(); err != nil {
		return StoryBrief{}, err
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

// runLater runs the work given to add, in order, on a goroutine of its own;
// add takes at most n. wait, which may be called more than once, waits for
// that work to end and returns its first error.
func runLater(n int) (add func(work func() error), wait func() error) {
	queue := make(chan func() error, n)
	done := make(chan error, 1)
	go func() {
		var err error
		for work := range queue {
			if e := work(); e != nil && err == nil {
				err = e
			}
		}
		done <- err
	}()
	return func(work func() error) { queue <- work }, sync.OnceValue(func() error {
		close(queue)
		return <-done
	})
}
