package bot

import (
	"context"
	"fmt"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// Briefings are made of stored stories: /brief, the command line's brief
// and scheduled posts all find the stories on a topic (every match
// considered; relevance, coverage and recency) or the top stories, read
// every report of each that the reader may see, and brief them together.

const (
	// briefStories is how many stories one briefing covers.
	briefStories = 5
	// storyReports bounds the reports a briefing reads from one story, its
	// newest: a briefing cites a handful, and the engine's cost grows with
	// what it reads (at 150 a story, /brief took seconds on stories of
	// re-sent wire reports). Coverage still counts every report.
	storyReports = 24
)

// BuildFunc builds a briefing; briefing.Build, or a test's stand-in.
type BuildFunc func(context.Context, []briefing.Article, briefing.Options) (briefing.Briefing, error)

// StoryBrief is a briefing of stored stories and what it was made from.
type StoryBrief struct {
	briefing.Briefing
	// Reports counts the reports read, over every story.
	Reports int
	// Read are the reports read, story by story in the order found.
	Read []data.Article
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
	var arts []data.Article
	coverage := map[int64]*briefing.Coverage{}
	byURL := map[string]int64{}
	stories := 0
	for _, f := range found {
		if stories == briefStories {
			break
		}
		st, reports, err := store.StoryReports(ctx, f.ID, opt.Scope, storyReports)
		if err != nil {
			return StoryBrief{}, err
		}
		cov := &briefing.Coverage{Reports: st.Reports, Outlets: st.Outlets, FirstSeen: st.FirstSeen, LastUpdate: st.LastUpdate}
		kept := 0
		for _, r := range reports {
			if !opt.Filter.Match(r) {
				continue
			}
			if !opt.IngestedSince.IsZero() && !r.Ingested.Before(opt.IngestedSince) {
				cov.NewReports++
			}
			arts = append(arts, r)
			byURL[storyKey(r)] = f.ID
			kept++
		}
		if kept == 0 {
			continue
		}
		coverage[f.ID] = cov
		stories++
	}
	out := StoryBrief{Reports: len(arts), Read: arts}
	if len(arts) == 0 {
		out.Briefing = briefing.Briefing{Topic: topic, GeneratedAt: bopts.Now}
		return out, nil
	}
	bopts.Topic = topic
	br, err := build(ctx, EngineArticles(arts), bopts)
	if err != nil {
		return StoryBrief{}, err
	}
	// The engine groups what it is given with the same similarity the
	// store grouped with; each story it returns takes the coverage of the
	// stored story most of its sources belong to.
	for i := range br.Stories {
		votes := map[int64]int{}
		var best int64
		for _, src := range br.Stories[i].Sources {
			id := byURL[reportKey(src.URL, src.Title)]
			if id == 0 {
				continue
			}
			votes[id]++
			if best == 0 || votes[id] > votes[best] || (votes[id] == votes[best] && id < best) {
				best = id
			}
		}
		if best != 0 {
			c := *coverage[best]
			br.Stories[i].Coverage = &c
		}
	}
	out.Briefing = br
	return out, nil
}

// storyKey is what ties an engine source back to its report: the URL the
// engine cites it by, or its title when it has none.
func storyKey(a data.Article) string { return reportKey(a.URL, a.Title) }

func reportKey(url, title string) string {
	if url != "" {
		return url
	}
	return "\x00" + title
}
