package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/data"
)

// TestPruneCommand: prune deletes what is older than --older-than (or
// BRIEFBOT_RETENTION), reports it and the database size, and refuses ages
// that are typos.
func TestPruneCommand(t *testing.T) {
	cleanEnv(t)
	ctx := context.Background()
	longAgo := time.Now().AddDate(0, 0, -60)
	s, err := data.Open("p.db", data.WithClock(func() time.Time { return longAgo }))
	if err != nil {
		t.Fatal(err)
	}
	var arts []data.Article
	for i := 0; i < 200; i++ {
		arts = append(arts, data.Article{Title: fmt.Sprint("Old report ", i), Published: longAgo,
			Body: fmt.Sprintf("Report %d. %s", i, strings.Repeat("The council met again to discuss the budget. ", 30))})
	}
	arts = append(arts, data.Article{Title: "Fresh report", Published: time.Now(), Body: "The council approved the budget today."})
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errOut := run(t, "prune", "--db", "p.db")
	if code != 0 || !strings.Contains(out, "Deleted 0 articles older than 90 days") {
		t.Errorf("default retention: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = run(t, "prune", "--db", "p.db", "--older-than", "30d")
	if code != 0 || !strings.Contains(out, "Deleted 200 articles older than 30 days") || !strings.Contains(out, "given back") {
		t.Errorf("--older-than 30d: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, "search", "--db", "p.db", "council budget")
	if code != 0 || strings.Count(out, "report") != 1 || !strings.Contains(out, "Fresh report") {
		t.Errorf("after prune, search lists:\n%s", out)
	}
	for _, bad := range []string{"90m", "soon", "-3d"} {
		if code, _, errOut := run(t, "prune", "--db", "p.db", "--older-than", bad); code != 2 || !strings.Contains(errOut, "--older-than") {
			t.Errorf("--older-than %s: exit %d, %q", bad, code, errOut)
		}
	}
	t.Setenv("BRIEFBOT_RETENTION", "3h")
	if code, _, errOut := run(t, "prune", "--db", "p.db"); code != 2 || !strings.Contains(errOut, "BRIEFBOT_RETENTION") {
		t.Errorf("BRIEFBOT_RETENTION=3h: exit %d, %q", code, errOut)
	}
}
