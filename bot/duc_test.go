package bot

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// ducDir is duc2003-dev, research data used by path (skipped when absent).
const ducDir = "../../shared/eval/duc2003-dev/clusters"

// TestDUCStoriesThroughStore ingests every duc2003-dev cluster into one
// store and briefs each on its main names, as a reader would ask: the
// stories the briefing reads should hold the event's reports, and no stored
// story should mix two events (issue 9: at least 95%, none).
//
// A report is counted as shown when the briefing lists it among a story's
// sources, as a reader sees it: a report whose text the store already holds
// (an AP re-send: 4 of the 89) is kept once, as a copy of the report it
// repeats, and is shown only if the story cites the copy too.
func TestDUCStoriesThroughStore(t *testing.T) {
	clusters, err := os.ReadDir(ducDir)
	if err != nil {
		t.Skipf("no duc2003-dev at %s", ducDir)
	}
	store := openStore(t)
	ctx := context.Background()
	clusterOf := map[string]string{}
	byCluster := map[string][]data.Article{}
	var all []data.Article
	for _, c := range clusters {
		files, _ := filepath.Glob(filepath.Join(ducDir, c.Name(), "*.json"))
		for _, f := range files {
			arts, err := data.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range arts {
				clusterOf[data.CleanLink(a.URL)] = c.Name()
				byCluster[c.Name()] = append(byCluster[c.Name()], a)
				all = append(all, a)
			}
		}
	}
	// As a feed would deliver them: in time order, every event at once.
	sort.SliceStable(all, func(i, j int) bool { return all[i].Published.Before(all[j].Published) })
	copies := 0
	for _, a := range all {
		res, err := store.Add(ctx, []data.Article{a})
		if err != nil {
			t.Fatal(err)
		}
		copies += res.Duplicates
	}
	stories, err := store.Stories(ctx, data.StoryOptions{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	mixed := 0
	for _, st := range stories {
		_, reports, err := store.StoryReports(ctx, st.ID, data.AllArticles(), data.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range reports {
			seen[clusterOf[r.URL]] = true
		}
		if len(seen) > 1 {
			mixed++
			t.Logf("story %q mixes events %v", st.Headline, seen)
		}
	}
	shown, total := 0, 0
	var lines []string
	for _, c := range clusters {
		arts := byCluster[c.Name()]
		topic := mainNames(arts, 2)
		sb, err := BriefStories(ctx, store, topic, data.SearchOptions{Scope: data.AllArticles()}, briefing.Options{}, briefing.Build)
		if err != nil {
			t.Fatal(err)
		}
		cited := map[string]bool{}
		for _, st := range sb.Stories {
			for _, src := range st.Sources {
				if u := data.CleanLink(src.URL); clusterOf[u] == c.Name() {
					cited[u] = true
				}
			}
		}
		n := len(cited)
		shown += n
		total += len(arts)
		lines = append(lines, c.Name()+" ("+topic+") "+itoa(n)+"/"+itoa(len(arts)))
	}
	t.Logf("%d stories from %d reports (%d of them copies of another), %d mixing events; reports cited %d of %d (%.1f%%): %s",
		len(stories), len(all), copies, mixed, shown, total, 100*float64(shown)/float64(total), strings.Join(lines, "; "))
	if float64(shown) < 0.95*float64(total) || mixed > 0 {
		t.Errorf("briefings on each event's main names read %d of its %d reports (want at least 95%%), %d stories mix events (want none)",
			shown, total, mixed)
	}
}

func itoa(n int) string {
	return fmtInt(n)
}

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// mainNames are the n capitalized words most of an event's reports use
// (by the number of reports, then uses), leaving out words capitalized only
// for starting a sentence or being a month, a weekday or a wire's furniture.
func mainNames(arts []data.Article, n int) string {
	df := map[string]int{}
	tf := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		words := strings.Fields(a.Body)
		for i, w := range words {
			w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
			if len(w) < 3 || !unicode.IsUpper([]rune(w)[0]) || strings.ToUpper(w) == w || notName[strings.ToLower(w)] {
				continue
			}
			if i > 0 && strings.HasSuffix(words[i-1], ".") {
				continue
			}
			tf[w]++
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	names := make([]string, 0, len(df))
	for w := range df {
		names = append(names, w)
	}
	sort.Slice(names, func(i, j int) bool {
		if df[names[i]] != df[names[j]] {
			return df[names[i]] > df[names[j]]
		}
		if tf[names[i]] != tf[names[j]] {
			return tf[names[i]] > tf[names[j]]
		}
		return names[i] < names[j]
	})
	return strings.Join(names[:min(n, len(names))], " ")
}

var notName = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the a an and but in on at of for to he she it they we his her its their this that these those
		there when while after before as by with from said says monday tuesday wednesday thursday friday saturday sunday
		january february march april may june july august september october november december associated press new york times`) {
		notName[w] = true
	}
}
