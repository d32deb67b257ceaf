package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// TestBriefStoriesCoverage: a topic's story is briefed from all its
// reports and shows its coverage; a scheduled post counts the reports new
// since its last post.
func TestBriefStoriesCoverage(t *testing.T) {
	stored := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	clock := stored
	store := openStore(t, data.WithClock(func() time.Time { return clock }))
	ctx := context.Background()
	day := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	ferry := []string{
		"The Quillmore ferry ran aground near Brenwick harbour on Monday; coastguard crews lifted 120 passengers from the stranded ferry.",
		"Coastguard boats took passengers off the Quillmore ferry after it ran aground outside Brenwick harbour, the ferry operator said.",
		"Investigators began examining why the Quillmore ferry ran aground at Brenwick, as the operator suspended the ferry route.",
	}
	outlets := []string{"Harbour Times", "Coast Wire", "Daily Ledger"}
	var arts []data.Article
	for i, body := range ferry {
		arts = append(arts, data.Article{Title: fmt.Sprintf("Ferry aground at Brenwick, report %d", i+1), Source: outlets[i],
			URL: fmt.Sprintf("https://ferry.example/%d", i), Published: day.Add(time.Duration(i) * time.Hour), Body: body})
	}
	arts = append(arts, data.Article{Title: "Zanthor budget passes", Source: "Daily Ledger", URL: "https://vote.example/1",
		Published: day, Body: "Zanthor's parliament passed the budget by 212 votes to 190 after finance minister Ilse Marrow cut fuel subsidies."})
	if _, err := store.Add(ctx, arts[:2]); err != nil {
		t.Fatal(err)
	}
	clock = stored.Add(24 * time.Hour)
	if _, err := store.Add(ctx, arts[2:]); err != nil {
		t.Fatal(err)
	}

	sb, err := BriefStories(ctx, store, "ferry aground", data.SearchOptions{Scope: data.AllArticles()}, briefing.Options{Now: clock}, briefing.Build)
	if err != nil {
		t.Fatal(err)
	}
	if sb.Reports != 3 || len(sb.Stories) != 1 {
		t.Fatalf("briefed %d reports in %d stories, want the ferry story's 3 in 1", sb.Reports, len(sb.Stories))
	}
	c := sb.Stories[0].Coverage
	if c == nil || c.Reports != 3 || c.Outlets != 3 || !c.FirstSeen.Equal(day) || !c.LastUpdate.Equal(day.Add(2*time.Hour)) || c.NewReports != 0 {
		t.Fatalf("coverage %+v", c)
	}
	msg := RenderEmbeds(sb.Briefing, EmbedOptions{})
	want := fmt.Sprintf("-# 3 outlets · 3 reports · first seen <t:%d:R> · updated <t:%d:R>", day.Unix(), day.Add(2*time.Hour).Unix())
	if len(msg.Embeds) != 1 || !strings.HasPrefix(msg.Embeds[0].Description, want) {
		t.Errorf("embed description %q, want it to start %q", msg.Embeds[0].Description, want)
	}

	// A scheduled post after the first batch: one new report.
	sb, err = BriefStories(ctx, store, "ferry aground", data.SearchOptions{Scope: data.AllArticles(), IngestedSince: stored.Add(time.Hour)},
		briefing.Options{Now: clock}, briefing.Build)
	if err != nil || len(sb.Stories) != 1 || sb.Stories[0].Coverage.NewReports != 1 {
		t.Fatalf("scheduled: %+v, %v", sb.Stories, err)
	}
	if !strings.Contains(coverageLine(sb.Stories[0].Coverage, true), "3 reports (1 new)") {
		t.Errorf("coverage line %q", coverageLine(sb.Stories[0].Coverage, true))
	}
}

// TestRunLater: the work given for later runs in order, all of it even
// after an error, and waiting returns the first error, however often.
func TestRunLater(t *testing.T) {
	errA, errB := fmt.Errorf("a"), fmt.Errorf("b")
	for _, tt := range []struct {
		name string
		errs []error
		want error
	}{
		{"none", nil, nil},
		{"ok", []error{nil, nil, nil}, nil},
		{"first error", []error{nil, errA, errB}, errA},
	} {
		add, wait := runLater(len(tt.errs))
		var ran []int
		for i, err := range tt.errs {
			add(func() error { ran = append(ran, i); return err })
		}
		for range 2 {
			if err := wait(); err != tt.want {
				t.Errorf("%s: wait = %v, want %v", tt.name, err, tt.want)
			}
		}
		if len(ran) != len(tt.errs) {
			t.Errorf("%s: ran %v of %d", tt.name, ran, len(tt.errs))
		}
		for i, r := range ran {
			if r != i {
				t.Errorf("%s: ran %v, not in order", tt.name, ran)
				break
			}
		}
	}
}
