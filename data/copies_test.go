package data

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestCopiesOfStoredReports: the same text from another link is not stored
// again but kept as a copy of the stored report, which its story lists
// (link, outlet, headline, time), once however often it comes, and only to
// those who may read it: a copy a server's own feed brought is that
// server's. The same link again is no copy, and a copy goes with its
// report.
func TestCopiesOfStoredReports(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	arts := twoEvents()
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	ferry := arts[0]
	resend := ferry
	resend.URL, resend.Source, resend.Title = "https://wire.example/ferry-resend", "Wire Service", "Ferry aground (re-send)"
	resend.Published = ferry.Published.Add(2 * time.Hour)
	private := ferry
	private.URL, private.Source = "https://private.example/ferry", "Local Gazette"
	// A batch with the re-send twice, the original's own link once more,
	// and a same-text report in the same batch as the report it repeats.
	again := ferry
	fresh := Article{Title: "Lighthouse relit", Source: "Coast Wire", URL: "https://coast.example/light",
		Published: ferry.Published, Body: "The Brenwick lighthouse was relit on Monday after a year of repairs to its lamp."}
	freshCopy := fresh
	freshCopy.URL, freshCopy.Source = "https://copy.example/light", "Harbour Times"
	res, err := s.Add(ctx, []Article{resend, resend, again, fresh, freshCopy})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Duplicates != 4 {
		t.Fatalf("added %d, duplicates %d; want 1 and 4", res.Added, res.Duplicates)
	}
	if _, _, err := s.add(ctx, []Article{private}, false, visibility{guilds: []string{"g1"}}); err != nil {
		t.Fatal(err)
	}
	storyOf := func(url string) int64 {
		var id int64
		if err := s.db.QueryRow(`SELECT story_id FROM articles WHERE url = ?`, url).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	urls := func(id int64, sc Scope) []string {
		cs, err := s.StoryCopies(ctx, id, sc)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, c := range cs {
			if c.StoryID != id || c.Body != "" {
				t.Errorf("copy %+v: want story %d and no text", c, id)
			}
			out = append(out, c.URL)
		}
		return out
	}
	id := storyOf(ferry.URL)
	for _, c := range []struct {
		name string
		sc   Scope
		want []string
	}{
		{"owner", AllArticles(), []string{resend.URL, private.URL}},
		{"shared", SharedOnly(), []string{resend.URL}},
		{"the server whose feed brought one", GuildScope("g1"), []string{resend.URL, private.URL}},
		{"another server", GuildScope("g2"), []string{resend.URL}},
	} {
		if got := urls(id, c.sc); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: copies %q, want %q", c.name, got, c.want)
		}
	}
	cs, _ := s.StoryCopies(ctx, id, SharedOnly())
	if len(cs) != 1 || cs[0].Source != resend.Source || cs[0].Title != resend.Title || !cs[0].Published.Equal(resend.Published) {
		t.Errorf("copy = %+v, want the re-send's outlet, headline and time", cs)
	}
	if got := urls(storyOf(fresh.URL), AllArticles()); !reflect.DeepEqual(got, []string{freshCopy.URL}) {
		t.Errorf("copy in the batch of its report: %q", got)
	}
	// Retention takes the copies with their report.
	if _, err := s.db.Exec(`DELETE FROM articles WHERE url = ?`, ferry.URL); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM article_copies c WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.seq = c.seq)`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d copies outlive their report (%v)", n, err)
	}
}
