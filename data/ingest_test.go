package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		"latin1.txt":             strings.Repeat("Fran\xe7ais d\xe9j\xe0 vu ", 20),
		"photo.jpg":              "\xff\xd8\xff\xe0 jpeg",
		".hidden/secret.txt":     "Hidden\nnot ingested",
	})
	big := make([]byte, MaxFileSize+10)
	for i := range big {
		big[i] = 'a'
	}
	writeFiles(t, dir, map[string]string{"huge.txt": string(big)})

	s := openTest(t, WithoutSamples())
	ctx := context.Background()
	rep, err := IngestPaths(ctx, s, []string{dir, filepath.Join(dir, "missing.txt")}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 4 {
		t.Errorf("added %d, want the 4 good articles", rep.Added)
	}
	reasons := map[string]string{}
	for _, sk := range rep.Skipped {
		reasons[filepath.Base(sk.Path)] = sk.Reason
	}
	want := map[string]string{
		"binary.txt":  "binary",
		"empty.md":    "empty",
		"latin1.txt":  "encoding",
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
	if again.Added != 0 || again.Duplicates != 4 {
		t.Errorf("re-ingest: added %d, duplicates %d; want 0 and 4", again.Added, again.Duplicates)
	}
}

func TestIngestGoodFolderDoesNotFail(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "T\nBody.", "notes.jpg": "\xff\xd8"})
	s := openTest(t, WithoutSamples())
	rep, err := IngestPaths(context.Background(), s, []string{dir}, IngestOptions{})
	if err != nil || rep.Added != 1 {
		t.Fatalf("rep %+v, err %v", rep, err)
	}
	if rep.Failed() {
		t.Error("a photo beside the articles made the ingest fail")
	}
}
