package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/briefbot/briefbot/data"
)

// dirWatcher ingests an articles folder at start and then every file that
// appears or changes in it, by polling: no inotify, so it works on network
// and container-mounted folders alike. A new or changed file is ingested
// once it has stopped changing for one poll, so a file still being written
// is not read half-way.
type dirWatcher struct {
	dir   string
	store *data.Store
	log   *slog.Logger
	every time.Duration

	// seen is each file's size and mtime when last looked at, and whether
	// that version was ingested.
	seen map[string]fileState
}

type fileState struct {
	size     int64
	mod      time.Time
	ingested bool
}

func newDirWatcher(dir string, store *data.Store, log *slog.Logger, every time.Duration) *dirWatcher {
	return &dirWatcher{dir: dir, store: store, log: log, every: every, seen: map[string]fileState{}}
}

// scan ingests the whole folder once, at start.
func (w *dirWatcher) scan(ctx context.Context) error {
	files := w.list(ctx)
	rep, err := data.IngestPaths(ctx, w.store, []string{w.dir}, data.IngestOptions{})
	if err != nil {
		return err
	}
	for p, st := range files {
		st.ingested = true
		w.seen[p] = st
	}
	w.report("ingested articles folder", rep)
	return nil
}

// run polls until ctx is done.
func (w *dirWatcher) run(ctx context.Context) {
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.poll(ctx)
		}
	}
}

// poll ingests the files that are new or changed and have settled.
func (w *dirWatcher) poll(ctx context.Context) {
	files := w.list(ctx)
	var ready []string
	for p, now := range files {
		before, known := w.seen[p]
		switch {
		case !known || before.size != now.size || !before.mod.Equal(now.mod):
			w.seen[p] = now // changed: wait one more poll for it to settle
		case !before.ingested:
			ready = append(ready, p)
		}
	}
	for p := range w.seen {
		if _, ok := files[p]; !ok {
			delete(w.seen, p)
		}
	}
	if len(ready) == 0 {
		return
	}
	rep, err := data.IngestPaths(ctx, w.store, ready, data.IngestOptions{})
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("ingest new articles", "dir", w.dir, "err", err)
		}
		return
	}
	for _, p := range ready {
		st := w.seen[p]
		st.ingested = true
		w.seen[p] = st
	}
	w.report("ingested new articles", rep)
}

func (w *dirWatcher) report(msg string, rep data.IngestReport) {
	w.log.Info(msg, "dir", w.dir, "files", rep.Files, "added", rep.Added, "duplicates", rep.Duplicates, "skipped", len(rep.Skipped))
	for _, s := range rep.Skipped {
		if s.Err {
			w.log.Warn("article file skipped", "path", s.Path, "reason", s.Reason)
		} else {
			w.log.Debug("file skipped", "path", s.Path, "reason", s.Reason)
		}
	}
}

// list returns the folder's article files (hidden ones left out, symlinks
// followed, as IngestPaths does) with their size and mtime.
func (w *dirWatcher) list(ctx context.Context) map[string]fileState {
	out := map[string]fileState{}
	files, _ := data.WalkArticles(ctx, w.dir)
	for _, f := range files {
		if data.Supported(f.Path) {
			out[f.Path] = fileState{size: f.Size, mod: f.ModTime}
		}
	}
	return out
}
