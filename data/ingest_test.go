package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIngestMixedFolder(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"good1.txt":              "Ceasefire talks\nTalks went on.",
		"nested/good2.md":        "---\ntitle: Oil\nsource: Wire\n---\nOil rose.",
		"nested/deeper/g3.jsonl": "{\"title\":\"A\",\"body\":\"a.\"}\n{\"title\":\"B\",\"body\":\"b.\"}\n",
		"binary.txt":             "\x00\x01\x02\x03 binary",
		"empty.md":               "",
		"latin1.txt":             "Fran\xe7ais\n" + strings.Repeat("Fran\xe7ais d\xe9j\xe0 vu ", 20),
		"koi8r.txt":              "\xeb\xcf\xd2\xcf\xd4\xcb\xc9\xca\n\xf4\xc5\xcb\xd3\xd4 \xce\xcf\xd7\xcf\xd3\xd4\xc9.",
		"photo.jpg":              "\xff\xd8\xff\xe0 jpeg",
		".hidden/secret.txt":     "Hidden\nnot ingested",
	})
	big := make([]byte, MaxFileSize+10)
	for i := range big {
		big[i] = 'a'
	}
	writeFiles(t, dir, map[string]string{"huge.txt": string(big)})

	s := openTest(t)
	ctx := context.Background()
	rep, err := IngestPaths(ctx, s, []string{dir, filepath.Join(dir, "missing.txt")}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 5 {
		t.Errorf("added %d, want the 5 good articles (Latin-1 included)", rep.Added)
	}
	reasons := map[string]string{}
	for _, sk := range rep.Skipped {
		reasons[filepath.Base(sk.Path)] = sk.Reason
	}
	want := map[string]string{
		"binary.txt":  "binary",
		"empty.md":    "empty",
		"koi8r.txt":   "encoding",
		"huge.txt":    "over 5 MB",
		"photo.jpg":   "unsupported",
		"missing.txt": "no such file",
	}
	for name, frag := range want {
		if !strings.Contains(reasons[name], frag) {
			t.Errorf("%s: reason %q, want it to mention %q", name, reasons[name], frag)
		}
	}
	if len(rep.Skipped) != len(want) {
		t.Errorf("skipped %v, want exactly %d", reasons, len(want))
	}
	if !rep.Failed() {
		t.Error("Failed() = false with bad files")
	}
	sum := rep.Summary()
	for name := range want {
		if !strings.Contains(sum, name) {
			t.Errorf("summary does not name %s:\n%s", name, sum)
		}
	}

	again, err := IngestPaths(ctx, s, []string{dir}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Added != 0 || again.Duplicates != 5 {
		t.Errorf("re-ingest: added %d, duplicates %d; want 0 and 5", again.Added, again.Duplicates)
	}
}

func TestIngestGoodFolderDoesNotFail(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "T\nBody.", "notes.jpg": "\xff\xd8"})
	s := openTest(t)
	rep, err := IngestPaths(context.Background(), s, []string{dir}, IngestOptions{})
	if err != nil || rep.Added != 1 {
		t.Fatalf("rep %+v, err %v", rep, err)
	}
	if rep.Failed() {
		t.Error("a photo beside the articles made the ingest fail")
	}
}

// skipReasons maps each skipped path (relative to dir) to its reason.
func skipReasons(t *testing.T, dir string, rep IngestReport) map[string]Skipped {
	t.Helper()
	out := map[string]Skipped{}
	for _, sk := range rep.Skipped {
		rel, err := filepath.Rel(dir, sk.Path)
		if err != nil {
			rel = sk.Path
		}
		out[filepath.ToSlash(rel)] = sk
	}
	return out
}

// TestIngestFollowsSymlinks: a root folder given as a symlink is read (as
// BRIEFBOT_ARTICLES_DIR may be); links inside are followed to files and
// folders; a link back to a parent or to a folder already read is not read
// twice and is named, as is a broken link.
func TestIngestFollowsSymlinks(t *testing.T) {
	base := t.TempDir()
	real := filepath.Join(base, "real")
	writeFiles(t, real, map[string]string{
		"a.txt":          "Alpha\nThe first article.",
		"sub/b.md":       "# Beta\n\nThe second article.",
		"elsewhere.txt":  "Gamma\nThe third article.",
		"other/c.txt":    "Delta\nThe fourth article.",
		"other/deep.txt": "Epsilon\nThe fifth article.",
	})
	links := map[string]string{
		filepath.Join(base, "articles"):         real,                                 // the root itself
		filepath.Join(real, "sub", "loop"):      real,                                 // back to an ancestor
		filepath.Join(real, "sub", "again"):     filepath.Join(real, "other"),         // a folder read anyway
		filepath.Join(real, "linked.txt"):       filepath.Join(real, "elsewhere.txt"), // a file
		filepath.Join(real, "gone.txt"):         filepath.Join(base, "missing.txt"),   // broken
		filepath.Join(real, "sub", "self-loop"): filepath.Join(real, "sub", "self-loop"),
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	s := openTest(t)
	root := filepath.Join(base, "articles")
	rep, err := IngestPaths(context.Background(), s, []string{root}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// linked.txt is a second path to elsewhere.txt: read, found a duplicate.
	if rep.Added != 5 || rep.Duplicates != 1 {
		t.Errorf("added %d duplicates %d, want 5 and 1 (report %+v)", rep.Added, rep.Duplicates, rep.Skipped)
	}
	reasons := skipReasons(t, root, rep)
	want := map[string]struct {
		frag  string
		isErr bool
	}{
		"sub/loop":      {"already read", false},
		"sub/again":     {"already read", false},
		"gone.txt":      {"symlink to " + filepath.Join(base, "missing.txt") + ": no such file", true},
		"sub/self-loop": {"symlink to", false},
	}
	for p, w := range want {
		sk, ok := reasons[p]
		if !ok || !strings.Contains(sk.Reason, w.frag) || sk.Err != w.isErr {
			t.Errorf("%s: skipped %+v (found %v), want a reason with %q, Err %v", p, sk, ok, w.frag, w.isErr)
		}
	}
	if len(reasons) != len(want) {
		t.Errorf("skipped %v, want exactly %d", reasons, len(want))
	}
}

// TestIngestJSONLinesLineOverLimit: one line over the size limit costs only
// itself; the good lines after it are stored and the error names its line.
func TestIngestJSONLinesLineOverLimit(t *testing.T) {
	dir := t.TempDir()
	huge := `{"title":"Huge","body":"` + strings.Repeat("word ", MaxFileSize/5+10) + `"}`
	writeFiles(t, dir, map[string]string{"corpus.jsonl": strings.Join([]string{
		`{"title":"One","body":"The first line."}`,
		huge,
		`{"title":"Three","body":"The third line."}`,
		`[1, 2]`,
		`{"title":"Five","body":"The fifth line."}`,
	}, "\n")})
	s := openTest(t)
	rep, err := IngestPaths(context.Background(), s, []string{dir}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 {
		t.Errorf("added %d, want the 3 good lines", rep.Added)
	}
	sk := skipReasons(t, dir, rep)["corpus.jsonl"]
	for _, frag := range []string{"line 2: longer than 5 MB", "line 4: json: an array, not an article object"} {
		if !strings.Contains(sk.Reason, frag) {
			t.Errorf("reason %q lacks %q", sk.Reason, frag)
		}
	}
}

// TestParseJSONArrayBadElements: an element that is not an article costs
// only itself and is named by its index.
func TestParseJSONArrayBadElements(t *testing.T) {
	in := `[{"title":"A","body":"Alpha."}, "oops", 42, null, {"title":"No body"}, {"title":"B","body":"Beta."}]`
	got, err := Parse("list.json", []byte(in))
	if len(got) != 2 || got[0].Title != "A" || got[1].Title != "B" {
		t.Fatalf("got %+v, want the two good elements", got)
	}
	for _, frag := range []string{"index 1: json: a string", "index 2: json: a number", "index 3: json: null", "index 4: " + ErrNoBody.Error()} {
		if err == nil || !strings.Contains(err.Error(), frag) {
			t.Errorf("error %v lacks %q", err, frag)
		}
	}
}

// TestIngestStopsWhenCancelled: a cancelled ingest (SIGTERM) stops inside a
// large file, not only between files, and says so.
func TestIngestStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 0; i < 3*ingestBatch; i++ {
		fmt.Fprintf(&b, "{\"title\":\"Article %d\",\"body\":\"Body number %d of the corpus.\"}\n", i, i)
	}
	writeFiles(t, dir, map[string]string{"big.jsonl": b.String(), "later.txt": "Later\nNever read."})
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The first progress line comes after the first batch is stored.
	progress := writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil })
	rep, err := IngestPaths(ctx, s, []string{dir}, IngestOptions{Progress: progress, ProgressEvery: time.Nanosecond})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// What is stored is whole batches, and what the report says.
	var stored int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if rep.Added == 0 || rep.Added >= 3*ingestBatch || rep.Added%ingestBatch != 0 || stored != rep.Added {
		t.Errorf("added %d, %d stored, want the same whole batches, fewer than the file's 3", rep.Added, stored)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestIngestCheckpointsBeside: an ingest's batches leave the write-ahead
// log to a checkpoint run beside them, and afterwards every connection of
// the pool checkpoints by itself again (SQLite's 1000 pages) with the
// store's 8 MB cache, the ingest's own included.
func TestIngestCheckpointsBeside(t *testing.T) {
	s := openTest(t)
	if s.db.d.name() != "sqlite" {
		t.Skip("PostgreSQL checkpoints by itself")
	}
	dir := t.TempDir()
	var lines strings.Builder
	for i := range 2*ingestBatch + 10 {
		fmt.Fprintf(&lines, "{\"title\":\"Report %d\",\"body\":\"Report number %d of the day. %s\"}\n", i, i, strings.Repeat("Words of the report. ", 20))
	}
	writeFiles(t, dir, map[string]string{"a.jsonl": lines.String()})
	ctx := context.Background()
	if rep, err := IngestPaths(ctx, s, []string{dir}, IngestOptions{}); err != nil || rep.Added != 2*ingestBatch+10 {
		t.Fatalf("ingest: %v, %s", err, rep.Summary())
	}
	// Every connection the pool may hold, at once.
	var conns []*Conn
	for range 4 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var pages, cache int
		if err := c.c.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if err := c.c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if pages != 1000 || cache != -8000 {
			t.Errorf("connection %d checkpoints at %d pages with a cache of %d, want 1000 and -8000 (8 MB)", i, pages, cache)
		}
	}
}

// TestIngestOfNothingLoadsNothing: an ingest that finds no article takes no
// writer's connection and does not read the stories grouping needs.
func TestIngestOfNothingLoadsNothing(t *testing.T) {
	s := openTest(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"photo.jpg": "\xff\xd8\xff\xe0 jpeg", "empty.md": ""})
	if _, err := IngestPaths(context.Background(), s, []string{dir}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	if s.group.loaded {
		t.Error("an ingest of nothing read the stories")
	}
}
