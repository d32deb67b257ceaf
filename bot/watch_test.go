package bot

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/data"
)

func writeArticle(t *testing.T, dir, name, title string) {
	t.Helper()
	body := "---\ntitle: \"" + title + "\"\nsource: \"Test Wire\"\npublished: 2026-01-02\n---\n" + title + " happened today, officials said. More details followed in the afternoon.\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func articleCount(t *testing.T, store *data.Store) int {
	t.Helper()
	st, err := store.Stats(context.Background(), data.AllArticles())
	if err != nil {
		t.Fatal(err)
	}
	return st.Articles
}

// TestDirWatcher runs the watcher on the folder itself and on the folder
// through a symlink (BRIEFBOT_ARTICLES_DIR may be one): both see new files.
func TestDirWatcher(t *testing.T) {
	for _, viaLink := range []bool{false, true} {
		t.Run(map[bool]string{false: "folder", true: "symlink"}[viaLink], func(t *testing.T) {
			dir := t.TempDir()
			watched := dir
			if viaLink {
				watched = filepath.Join(t.TempDir(), "articles")
				if err := os.Symlink(dir, watched); err != nil {
					t.Skipf("symlinks unavailable: %v", err)
				}
			}
			testDirWatcher(t, dir, watched)
		})
	}
}

func testDirWatcher(t *testing.T, dir, watched string) {
	store := openStore(t)
	writeArticle(t, dir, "one.md", "Bridge reopens")
	os.WriteFile(filepath.Join(dir, ".hidden.md"), []byte("---\ntitle: x\n---\nhidden"), 0o644)
	w := newDirWatcher(watched, store, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
	ctx := context.Background()
	if err := w.scan(ctx); err != nil {
		t.Fatal(err)
	}
	if n := articleCount(t, store); n != 1 {
		t.Fatalf("after scan: %d articles", n)
	}

	writeArticle(t, dir, "two.md", "Dam inspected")
	w.poll(ctx) // seen, still settling
	if n := articleCount(t, store); n != 1 {
		t.Errorf("ingested a file before it settled: %d", n)
	}
	w.poll(ctx)
	if n := articleCount(t, store); n != 2 {
		t.Errorf("after settling: %d articles", n)
	}
	w.poll(ctx)
	w.poll(ctx)
	if n := articleCount(t, store); n != 2 {
		t.Errorf("re-ingested: %d articles", n)
	}

	// A changed file is ingested again once it settles (a new article here).
	writeArticle(t, dir, "two.md", "Dam reopened")
	future := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, "two.md"), future, future)
	w.poll(ctx)
	w.poll(ctx)
	if n := articleCount(t, store); n != 3 {
		t.Errorf("after change: %d articles", n)
	}
}

// TestArticlesDirWatchedWhileRunning drops a file into the folder of a
// running bot and briefs on it.
func TestArticlesDirWatchedWhileRunning(t *testing.T) {
	dir := t.TempDir()
	store := openStore(t)
	writeArticle(t, dir, "one.md", "Bridge reopens")
	h := startBot(t, harnessOpts{store: store, config: func(c *Config) {
		c.ArticlesDir = dir
		c.PollInterval = 20 * time.Millisecond
	}})
	if n := articleCount(t, store); n != 1 {
		t.Fatalf("not ingested at start: %d", n)
	}
	writeArticle(t, dir, "two.md", "Lighthouse relit")
	deadline := time.Now().Add(10 * time.Second)
	for articleCount(t, store) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := articleCount(t, store); n != 2 {
		t.Fatalf("new file not ingested: %d", n)
	}
	_, m := h.brief(testCtx(t), "lighthouse")
	if len(m.Embeds) == 0 {
		t.Errorf("no briefing on the new article: %q", m.Content)
	}
}
