package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoriesAndRegroup: ingested reports of one event list as one story
// with its coverage, and regroup rebuilds the same.
func TestStoriesAndRegroup(t *testing.T) {
	dir := cleanEnv(t)
	arts := filepath.Join(dir, "arts")
	if err := os.MkdirAll(arts, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"a.md": "---\ntitle: Ferry aground at Brenwick\nsource: Harbour Times\npublished: 2026-05-04T08:00:00Z\n---\nThe Quillmore ferry ran aground near Brenwick harbour on Monday; coastguard crews lifted 120 passengers from the stranded ferry.\n",
		"b.md": "---\ntitle: Passengers lifted off grounded Quillmore ferry\nsource: Coast Wire\npublished: 2026-05-04T10:00:00Z\n---\nCoastguard boats took passengers off the Quillmore ferry after it ran aground outside Brenwick harbour, the ferry operator said.\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(arts, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := testDB(t, "s.db")
	if code, _, errOut := run(t, "ingest", "--db", db, arts); code != 0 {
		t.Fatalf("ingest: %d %s", code, errOut)
	}
	for _, cmd := range [][]string{{"stories", "--db", db}, {"regroup", "--db", db}, {"stories", "--db", db}} {
		code, out, errOut := run(t, cmd...)
		if code != 0 {
			t.Fatalf("%v: %d %s", cmd, code, errOut)
		}
		if cmd[0] == "stories" && (!strings.Contains(out, "1. Ferry aground at Brenwick") || !strings.Contains(out, "2 reports, 2 outlets") ||
			!strings.Contains(out, "Coast Wire, Harbour Times") || strings.Contains(out, "2. ")) {
			t.Errorf("%v:\n%s", cmd, out)
		}
	}
	if code, _, _ := run(t, "stories", "--db", db, "--limit", "0"); code != 2 {
		t.Errorf("stories --limit 0: exit %d, want 2", code)
	}
}
