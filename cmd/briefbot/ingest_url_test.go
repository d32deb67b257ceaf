package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestFeedURL runs `briefbot ingest URL` against a feed served on
// 127.0.0.1 (the data package's fixtures): the full text of every linked
// article is stored, and a second run stores nothing new.
func TestIngestFeedURL(t *testing.T) {
	fixtures, err := filepath.Abs("../../data/testdata/feeds")
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := os.ReadFile(filepath.Join(fixtures, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write([]byte(strings.ReplaceAll(string(raw), "{{BASE}}", srv.URL)))
	}))
	defer srv.Close()
	cleanEnv(t)

	code, _, errOut := run(t, "ingest", "--db", testDB(t, "f.db"), srv.URL+"/rss_summaries.xml")
	if code != 0 {
		t.Fatalf("ingest URL: exit %d\n%s", code, errOut)
	}
	if n := strings.Count(errOut, srv.URL+"/rss_summaries.xml"); n != 1 {
		t.Errorf("the feed URL is printed %d times, want once:\n%s", n, errOut)
	}
	code, out, _ := run(t, "search", "--db", testDB(t, "f.db"), "ferry terminal")
	if code != 0 || !strings.Contains(out, "ferry terminal") {
		t.Fatalf("feed article not searchable:\n%s", out)
	}
	code, out, _ = run(t, "search", "--db", testDB(t, "f.db"), "Route 9 debris")
	if code != 0 || !strings.Contains(strings.ToLower(out), "storm") {
		t.Errorf("storm article not stored:\n%s", out)
	}
	code, _, errOut2 := run(t, "ingest", "--db", testDB(t, "f.db"), srv.URL+"/rss_summaries.xml")
	if code != 0 || !strings.Contains(errOut2, " 0 added") {
		t.Errorf("second ingest: exit %d\n%s", code, errOut2)
	}
	if code, _, errOut := run(t, "ingest", "--db", testDB(t, "f.db"), srv.URL+"/missing.xml"); code != 1 || !strings.Contains(errOut, "missing.xml") {
		t.Errorf("ingest of a missing feed: exit %d, %q", code, errOut)
	}
	t.Logf("first run: %s\nsecond run: %s", errOut, errOut2)
}
