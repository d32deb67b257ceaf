package data

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// twoEvents are reports of two unrelated events, from several outlets,
// interleaved in time.
func twoEvents() []Article {
	day := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	ferry := []string{
		"The Quillmore ferry ran aground near Brenwick harbour on Monday; coastguard crews lifted 120 passengers from the stranded ferry.",
		"Coastguard boats took passengers off the Quillmore ferry after it ran aground outside Brenwick harbour, the ferry operator said.",
		"Investigators began examining why the Quillmore ferry ran aground at Brenwick, as the operator suspended the ferry route.",
		"The Brenwick harbour master said the grounded Quillmore ferry would be towed once the tide rises.",
	}
	vote := []string{
		"Zanthor's parliament passed the budget by 212 votes to 190 after finance minister Ilse Marrow cut fuel subsidies.",
		"Finance minister Ilse Marrow won the Zanthor budget vote, 212 to 190, with fuel subsidies cut and pensions raised.",
		"Opposition leaders in Zanthor vowed to reverse the fuel subsidy cuts in Ilse Marrow's budget after the parliament vote.",
	}
	outlets := []string{"Harbour Times", "Coast Wire", "Daily Ledger", "Evening Post"}
	var arts []Article
	for i := 0; i < 4; i++ {
		if i < len(ferry) {
			arts = append(arts, Article{Title: fmt.Sprintf("Ferry aground at Brenwick (%d)", i), Source: outlets[i], URL: fmt.Sprintf("https://ferry.example/%d", i),
				Published: day.Add(time.Duration(i) * 5 * time.Hour), Body: ferry[i]})
		}
		if i < len(vote) {
			arts = append(arts, Article{Title: fmt.Sprintf("Zanthor budget passes (%d)", i), Source: outlets[(i+1)%4], URL: fmt.Sprintf("https://vote.example/%d", i),
				Published: day.Add(time.Duration(i)*5*time.Hour + time.Hour), Body: vote[i]})
		}
	}
	return arts
}

// partition is the store's stories as sorted lists of article URLs, each
// copy (see copies.go) in the story of the report it repeats: which of two
// same-text reports is stored depends on which came first.
// storyRows lists the stored stories and their outlet counts, a row a
// string.
func storyRows(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT id, headline, first_seen, last_update, ingested, reports, outlets, profile FROM stories ORDER BY id`,
		`SELECT story_id, source, articles FROM story_outlets ORDER BY story_id, source`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// checkStoryRows checks each stored story's row and outlet counts
// against its articles: as many reports, outlets, the span of their times
// and a profile.
func checkStoryRows(t *testing.T, s *Store) {
	t.Helper()
	var bad int
	if err := s.db.QueryRow(`SELECT count(*) FROM stories s WHERE
		s.reports <> (SELECT count(*) FROM articles a WHERE a.story_id = s.id)
		OR s.outlets <> (SELECT count(DISTINCT source) FROM articles a WHERE a.story_id = s.id AND source <> '')
		OR s.first_seen <> (SELECT min(` + whenExpr + `) FROM articles a WHERE a.story_id = s.id)
		OR s.last_update <> (SELECT max(` + whenExpr + `) FROM articles a WHERE a.story_id = s.id)
		OR length(s.profile) = 0`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d stories disagree with their articles (%v)", bad, err)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM (SELECT story_id, source, count(*) AS n FROM articles
		WHERE source <> '' GROUP BY story_id, source) a
		FULL JOIN story_outlets o ON o.story_id = a.story_id AND o.source = a.source
		WHERE o.articles IS NULL OR a.n IS NULL OR o.articles <> a.n`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d outlet counts disagree with the articles (%v)", bad, err)
	}
}

func partition(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT story_id, url FROM articles
		UNION ALL SELECT a.story_id, c.url FROM article_copies c JOIN articles a ON a.seq = c.seq
		ORDER BY 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	groups := map[int64][]string{}
	for rows.Next() {
		var id int64
		var u string
		if err := rows.Scan(&id, &u); err != nil {
			t.Fatal(err)
		}
		if id == 0 {
			t.Errorf("article %s in no story", u)
		}
		groups[id] = append(groups[id], u)
	}
	var out []string
	for _, g := range groups {
		out = append(out, strings.Join(g, " "))
	}
	sort.Strings(out)
	return out
}

func TestStoriesGroupedAtIngest(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	arts := twoEvents()
	// One article a batch, as feeds deliver them.
	for _, a := range arts {
		if _, err := s.Add(ctx, []Article{a}); err != nil {
			t.Fatal(err)
		}
	}
	got := partition(t, s)
	if len(got) != 2 || !strings.Contains(got[0], "ferry.example/0") || strings.Contains(got[0], "vote.example") {
		t.Fatalf("stories = %q, want the ferry reports and the budget reports apart", got)
	}
	stories, err := s.Stories(ctx, StoryOptions{})
	if err != nil || len(stories) != 2 {
		t.Fatalf("Stories = %+v, %v", stories, err)
	}
	for _, st := range stories {
		switch {
		case strings.HasPrefix(st.Headline, "Ferry aground"):
			if st.Reports != 4 || st.Outlets != 4 || !st.FirstSeen.Equal(arts[0].Published) || !st.LastUpdate.Equal(arts[6].Published) {
				t.Errorf("ferry story %+v", st)
			}
		case strings.HasPrefix(st.Headline, "Zanthor budget"):
			if st.Reports != 3 || st.Outlets != 3 {
				t.Errorf("budget story %+v", st)
			}
		default:
			t.Errorf("headline %q", st.Headline)
		}
	}
	// The topic finds its story, with every report and its analysis.
	found, err := s.FindStories(ctx, "ferry", SearchOptions{Scope: AllArticles()}, 5)
	if err != nil || len(found) != 1 || found[0].Reports != 4 {
		t.Fatalf("FindStories(ferry) = %+v, %v", found, err)
	}
	st, reports, err := s.StoryReports(ctx, found[0].ID, AllArticles(), ReportOptions{})
	if err != nil || len(reports) != 4 || st.Reports != 4 {
		t.Fatalf("StoryReports = %d reports, %v", len(reports), err)
	}
	for _, r := range reports {
		if r.Analysis == nil || len(r.Analysis.Sentences) == 0 {
			t.Errorf("report %s without its stored analysis", r.URL)
		}
	}
	// A briefing reads the text of a few: the best matches first, then
	// the newest; the others come with their title, outlet and link only.
	if len(found[0].Best) == 0 {
		t.Fatalf("FindStories(ferry) names no best report: %+v", found[0])
	}
	oldest := reports[len(reports)-1].ID
	_, reports, err = s.StoryReports(ctx, found[0].ID, AllArticles(), ReportOptions{Texts: 2, Prefer: []string{oldest}})
	if err != nil || len(reports) != 4 {
		t.Fatalf("StoryReports(2 texts) = %d reports, %v", len(reports), err)
	}
	var read []string
	for i, r := range reports {
		if r.Title == "" || r.URL == "" || r.Source == "" {
			t.Errorf("report %d without its title, link or outlet: %+v", i, r)
		}
		if r.Analysis != nil || r.Body != "" {
			read = append(read, r.ID)
		}
	}
	if want := []string{reports[0].ID, oldest}; !reflect.DeepEqual(read, want) {
		t.Errorf("texts read of %v, want the preferred and the newest %v", read, want)
	}
}

// TestStoryReportsLater: a caller that takes the decoding of the analyses
// for later (ReportOptions.Later) gets the same reports once it has run it,
// a report whose stored analysis cannot be read with its body, as without.
func TestStoryReportsLater(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if _, err := s.Add(ctx, twoEvents()); err != nil {
		t.Fatal(err)
	}
	found, err := s.FindStories(ctx, "ferry", SearchOptions{Scope: AllArticles()}, 5)
	if err != nil || len(found) != 1 {
		t.Fatalf("FindStories(ferry) = %+v, %v", found, err)
	}
	id := found[0].ID
	_, reports, err := s.StoryReports(ctx, id, AllArticles(), ReportOptions{})
	if err != nil || len(reports) != 4 {
		t.Fatalf("StoryReports = %d reports, %v", len(reports), err)
	}
	broken := reports[1].ID
	if _, err := s.db.Exec(`UPDATE analyses SET data = ? WHERE seq = (SELECT seq FROM articles WHERE id = ?)`, []byte("not an analysis"), broken); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []ReportOptions{{}, {Texts: 2, Prefer: []string{broken}}, {Texts: 1}} {
		_, want, err := s.StoryReports(ctx, id, AllArticles(), opt)
		if err != nil {
			t.Fatal(err)
		}
		var works []func() error
		opt.Later = func(work func() error) { works = append(works, work) }
		_, got, err := s.StoryReports(ctx, id, AllArticles(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(works) != 1 {
			t.Fatalf("texts %d: %d works left for later, want 1", opt.Texts, len(works))
		}
		for _, r := range got {
			if r.Analysis != nil || r.Body != "" {
				t.Errorf("texts %d: report %s given its text before the work left for later ran", opt.Texts, r.ID)
			}
		}
		if err := works[0](); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("texts %d: reports after the work left for later\n%+v\nwant\n%+v", opt.Texts, got, want)
		}
		for _, r := range got {
			if r.ID == broken && opt.Texts != 1 && (r.Analysis != nil || r.Body == "") {
				t.Errorf("texts %d: report with an unreadable analysis: analysis %v, body %q", opt.Texts, r.Analysis != nil, r.Body)
			}
		}
	}
}

func TestRegroupIndependentOfOrder(t *testing.T) {
	ctx := context.Background()
	arts := twoEvents()
	var parts [][]string
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1, 0}, {3, 0, 6, 1, 5, 2, 4}} {
		s := openTest(t)
		for _, i := range order {
			if _, err := s.Add(ctx, []Article{arts[i]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Regroup(ctx, nil); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, partition(t, s))
	}
	for i := 1; i < len(parts); i++ {
		if strings.Join(parts[i], "|") != strings.Join(parts[0], "|") {
			t.Errorf("order %d regrouped as %q, first order as %q", i, parts[i], parts[0])
		}
	}
}

func TestPruneUpdatesStories(t *testing.T) {
	arts := twoEvents()
	// Stored as they were published, so retention's ingestion rule passes.
	s := openTest(t, WithClock(func() time.Time { return arts[0].Published }))
	ctx := context.Background()
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	// Retention deletes the first two reports of each event.
	if _, err := s.Prune(ctx, arts[4].Published.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	stories, err := s.Stories(ctx, StoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, st := range stories {
		total += st.Reports
		if strings.HasPrefix(st.Headline, "Ferry") && st.Reports != 2 {
			t.Errorf("ferry story after prune: %+v", st)
		}
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&n)
	if total != n {
		t.Errorf("stories count %d reports, the store holds %d articles", total, n)
	}
	// New reports still join.
	if _, err := s.Add(ctx, []Article{{Title: "Ferry towed off at Brenwick", Source: "Coast Wire", URL: "https://ferry.example/9",
		Published: arts[6].Published.Add(time.Hour), Body: "Tugs towed the Quillmore ferry off the rocks outside Brenwick harbour at high tide."}}); err != nil {
		t.Fatal(err)
	}
	if got := partition(t, s); len(got) != 2 {
		t.Errorf("after a new report: %q", got)
	}
}

// TestEngineUpgradeReanalyses: analyses an older engine made are made
// again, and the stories with them, when the store is next opened.
func TestEngineUpgradeReanalyses(t *testing.T) {
	sqliteOnly(t)
	path := t.TempDir() + "/up.db"
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Add(ctx, twoEvents()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE analyses SET version = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE meta SET value = '0' WHERE key = 'analysis_version'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var old int
	if err := s.db.QueryRow(`SELECT count(*) FROM analyses WHERE version = 0`).Scan(&old); err != nil || old != 0 {
		t.Fatalf("%d analyses of the old engine left (%v)", old, err)
	}
	if got := partition(t, s); len(got) != 2 {
		t.Errorf("stories after the upgrade: %q", got)
	}
}

// TestGroupingStopsWithFailedBatch: a batch's grouping runs beside its
// inserts (placeBatch); when an insert fails midway, the grouping stops,
// nothing of the batch is kept, and the next batch groups as a fresh store
// does.
func TestGroupingStopsWithFailedBatch(t *testing.T) {
	ctx := context.Background()
	arts := twoEvents()
	want := openTest(t)
	if _, err := want.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{0, 3, len(arts) - 1} {
		t.Run(fmt.Sprint(at), func(t *testing.T) {
			s := openTest(t)
			failOn, drop := `CREATE TRIGGER fail BEFORE INSERT ON articles WHEN new.title = 'boom'
				BEGIN SELECT RAISE(ABORT, 'boom'); END`, `DROP TRIGGER fail`
			if s.Engine() == "postgres" {
				failOn = `CREATE FUNCTION fail_boom() RETURNS trigger AS $$ BEGIN
					IF NEW.title = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
					CREATE TRIGGER fail BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION fail_boom()`
				drop = `DROP TRIGGER fail ON articles`
			}
			if _, err := s.db.Exec(failOn); err != nil {
				t.Fatal(err)
			}
			bad := slices.Clone(arts)
			bad[at].Title = "boom"
			if _, err := s.Add(ctx, bad); err == nil || !strings.Contains(err.Error(), "boom") {
				t.Fatalf("Add = %v, want the insert's error", err)
			}
			var n int
			if err := s.db.QueryRow(`SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM stories)`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d rows left by the failed batch (%v)", n, err)
			}
			if _, err := s.db.Exec(drop); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Add(ctx, arts); err != nil {
				t.Fatal(err)
			}
			if got, w := partition(t, s), partition(t, want); !reflect.DeepEqual(got, w) {
				t.Fatalf("stories after a failed batch %q, want %q", got, w)
			}
			var orphans, stories int
			if err := s.db.QueryRow(`SELECT (SELECT count(*) FROM articles WHERE story_id NOT IN (SELECT id FROM stories)),
				(SELECT count(*) FROM stories WHERE reports > 0)`).Scan(&orphans, &stories); err != nil || orphans != 0 || stories != 2 {
				t.Fatalf("%d articles in no stored story, %d stories, want 0 and 2 (%v)", orphans, stories, err)
			}
		})
	}
}

// TestBulkTransaction: a bulk ingest's transaction spans batches; nothing
// of it shows before the commit, which comes once it holds txArticles; the
// stories are those of committing each batch, rows and outlet counts alike
// (a transaction saves its stories once, at its commit); and a transaction
// left open when the writer closes (a failed or cancelled ingest) is rolled
// back, the grouper's memory of it too.
func TestBulkTransaction(t *testing.T) {
	ctx := context.Background()
	arts := twoEvents()
	const size = 2
	clock := WithClock(func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) })
	want := openTest(t, clock)
	for i := 0; i < len(arts); i += size {
		if _, err := want.Add(ctx, arts[i:min(i+size, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(s *Store) (n int) {
		if err := s.db.QueryRow(`SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM stories)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// beside: the next batch is in hand at the end of each but the last
	// (as in IngestPaths), so a full transaction is committed by the next
	// batch's write, beside its placing.
	for _, beside := range []bool{false, true} {
		for _, commitAt := range []int{4, 100} {
			t.Run(fmt.Sprint(commitAt, beside), func(t *testing.T) {
				s := openTest(t, clock)
				bw, err := s.newBulkWriter(ctx)
				if err != nil {
					t.Fatal(err)
				}
				bw.txArticles = commitAt
				lag := commitAt // articles a transaction may hold uncommitted
				if beside {
					lag += size
				}
				added, written, deferred := 0, 0, false
				for i := 0; i < len(arts); i += size {
					batch := arts[i:min(i+size, len(arts))]
					p, err := s.prepareBatch(ctx, batch, false, 0, nil)
					if err != nil {
						t.Fatal(err)
					}
					if beside && i+size < len(arts) {
						bw.queued.Store(1)
					} else {
						bw.queued.Store(0)
					}
					res, err := bw.write(ctx, p, batchTermDocs(p))
					if err != nil {
						t.Fatal(err)
					}
					added += res.Added
					written += len(batch)
					deferred = deferred || bw.due
					var visible int
					if err := s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&visible); err != nil {
						t.Fatal(err)
					}
					if written-added >= lag || visible != added {
						t.Fatalf("after %d articles: %d committed, %d visible", written, added, visible)
					}
				}
				if beside && commitAt < len(arts) && !deferred {
					t.Errorf("no commit was left to the next batch")
				}
				res, err := bw.commit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				bw.close()
				if added += res.Added; added != len(arts) {
					t.Fatalf("%d added, want %d", added, len(arts))
				}
				if got, w := partition(t, s), partition(t, want); !reflect.DeepEqual(got, w) {
					t.Fatalf("stories %q, want %q", got, w)
				}
				if got, w := storyRows(t, s), storyRows(t, want); !reflect.DeepEqual(got, w) {
					t.Fatalf("story rows\n%q\nwant\n%q", got, w)
				}
				checkStoryRows(t, s)
			})
		}
	}
	// Stories changed outside grouping between two batches of the
	// transaction (the grouper's memory marked stale) have the first
	// batch's stories saved before the memory is read again.
	t.Run("stale", func(t *testing.T) {
		s := openTest(t, clock)
		bw, err := s.newBulkWriter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bw.txArticles = len(arts) + 1
		for i := 0; i < len(arts); i += size {
			p, err := s.prepareBatch(ctx, arts[i:min(i+size, len(arts))], false, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := bw.write(ctx, p, batchTermDocs(p)); err != nil {
				t.Fatal(err)
			}
			s.group.stale.Store(true)
		}
		if _, err := bw.commit(ctx); err != nil {
			t.Fatal(err)
		}
		bw.close()
		checkStoryRows(t, s)
	})
	t.Run("rolled back", func(t *testing.T) {
		s := openTest(t)
		bw, err := s.newBulkWriter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i += size {
			p, err := s.prepareBatch(ctx, arts[i:i+size], false, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := bw.write(ctx, p, batchTermDocs(p)); err != nil {
				t.Fatal(err)
			}
		}
		bw.close()
		if n := stored(s); n != 0 {
			t.Fatalf("%d rows kept of a transaction never committed", n)
		}
		for i := 0; i < len(arts); i += size {
			if _, err := s.Add(ctx, arts[i:min(i+size, len(arts))]); err != nil {
				t.Fatal(err)
			}
		}
		if got, w := partition(t, s), partition(t, want); !reflect.DeepEqual(got, w) {
			t.Fatalf("stories after a rolled back transaction %q, want %q", got, w)
		}
	})
}

// TestAnalysesIn: the analyses of the seqs asked for, whether they go
// through the prepared statement (up to textsIn, the rest of its list
// padded) or past it; seqs with no analysis are no rows.
// addCoastReports stores n reports of different events, each with its
// analysis, and returns them.
func addCoastReports(t *testing.T, s *Store, n int) []Article {
	t.Helper()
	var arts []Article
	for i := range n {
		arts = append(arts, Article{Title: fmt.Sprintf("Harbour report %d", i), Source: "Coast Wire", URL: fmt.Sprintf("https://coast.example/%d", i),
			Body: fmt.Sprintf("Report %d: the Quillmore ferry was refloated at Brenwick on day %d, the operator said.", i, i)})
	}
	if _, err := s.Add(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return arts
}

func TestAnalysesIn(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	arts := addCoastReports(t, s, textsIn+3)
	all := querySeqs(t, s, `SELECT seq FROM analyses WHERE version = ? ORDER BY seq`, briefing.AnalysisVersion)
	if len(all) != len(arts) {
		t.Fatalf("%d analyses stored for %d articles", len(all), len(arts))
	}
	missing := all[len(all)-1] + 1000
	tests := []struct {
		name string
		seqs []int64
		want []int64
	}{
		{"none", nil, nil},
		{"one", all[:1], all[:1]},
		{"a missing seq", []int64{all[2], missing, all[0]}, []int64{all[0], all[2]}},
		{"the statement full", all[:textsIn], all[:textsIn]},
		{"past the statement", all, all},
	}
	for _, tt := range tests {
		rows, err := s.analysesIn(ctx, tt.seqs)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for rows.Next() {
			var seq int64
			var data []byte
			if err := rows.Scan(&seq, &data); err != nil {
				t.Fatal(err)
			}
			if _, err := decodeAnalysis(data); err != nil {
				t.Errorf("%s: seq %d: %v", tt.name, seq, err)
			}
			got = append(got, seq)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: analyses of %v, want %v", tt.name, got, tt.want)
		}
	}
}

// querySeqs runs a query of one integer column (seqs) and lists its rows.
func querySeqs(t *testing.T, s *Store, query string, args ...any) []int64 {
	t.Helper()
	return scanSeqs(t)(s.db.Query(query, args...))
}

// scanSeqs lists the rows of a query of one integer column (seqs), given
// the query's rows and error, and closes them.
func scanSeqs(t *testing.T) func(*sql.Rows, error) []int64 {
	return func(rows *sql.Rows, err error) []int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				t.Fatal(err)
			}
			out = append(out, seq)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// TestQueryKeysIn: the rows of the keys asked for, whether they fit the
// prepared list of placeholders or are written out past it.
func TestQueryKeysIn(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	arts := addCoastReports(t, s, keysInList+3)
	all := querySeqs(t, s, `SELECT seq FROM articles ORDER BY seq`)
	if len(all) != len(arts) {
		t.Fatalf("%d articles stored of %d", len(all), len(arts))
	}
	missing := all[len(all)-1] + 1000
	tests := []struct {
		name string
		keys []int64
		want []int64
	}{
		{"one", all[:1], all[:1]},
		{"a missing key", []int64{all[2], missing, all[0]}, []int64{all[0], all[2]}},
		{"the list full", all[:keysInList], all[:keysInList]},
		{"past the list", all, all},
	}
	for _, tt := range tests {
		got := scanSeqs(t)(s.queryKeysIn(ctx, `SELECT seq FROM articles WHERE seq IN (%s) ORDER BY seq`, tt.keys))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %d rows %v..., want %d", tt.name, len(got), got[:min(3, len(got))], len(tt.want))
		}
	}
}
