package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync/atomic"
	"time"
)

// IngestOptions tune IngestPaths.
type IngestOptions struct {
	// Progress receives a progress line now and then while a long ingest
	// runs (nil: silent).
	Progress io.Writer
	// ProgressEvery is how often; zero means every 2 seconds.
	ProgressEvery time.Duration
}

// IngestReport says what an ingest did, file by file where something went
// wrong.
type IngestReport struct {
	Files      int // article files read
	Added      int
	Duplicates int
	Skipped    []Skipped
	// DuplicateOf names the first few duplicates.
	DuplicateOf []Duplicate
}

// Skipped is a file (or a record in one) that was not ingested, and why.
type Skipped struct {
	Path   string
	Reason string
	// Err is true when the file was meant to be an article and could not be
	// read; false for files that are simply not articles (a photo in the
	// folder, a hidden file).
	Err bool
}

// Failed reports whether anything was skipped for an error.
func (r IngestReport) Failed() bool {
	for _, s := range r.Skipped {
		if s.Err {
			return true
		}
	}
	return false
}

// ingestBatch is how many articles are prepared, grouped (grouping weighs
// terms by the document frequencies with the whole batch counted) and
// written together; a transaction holds a few batches (bulkTxArticles).
const ingestBatch = 1000

// IngestPaths ingests article files: files, and folders recursively. Every
// good file is ingested whatever is wrong with the others; each bad one is
// named in the report with the reason. The error is only for failures of the
// store itself or a cancelled ctx.
func IngestPaths(ctx context.Context, s *Store, paths []string, opt IngestOptions) (rep IngestReport, err error) {
	every := opt.ProgressEvery
	if every <= 0 {
		every = 2 * time.Second
	}
	start := time.Now()
	lastProgress := start
	// The writer's connection is taken, and the stories grouping compares
	// articles with are read, when the first article is found (an ingest
	// of nothing storable costs neither); the reading goes on beside the
	// first batch's reading and preparing.
	var bw *bulkWriter
	var preloaded chan struct{}
	defer func() {
		if preloaded != nil {
			<-preloaded
		}
		if bw != nil {
			bw.close()
		}
	}()
	var pending []Article
	// Batches are stored while the next are read and prepared: the writer
	// (SQL and grouping, one batch at a time) and the preparing (every
	// core) overlap. writes are the batches handed to the writer and not
	// yet waited for, oldest first: the one being stored and at most one
	// more, waiting its turn. The writer's work comes in bursts (the
	// batch whose commit writes a transaction's full-text index and pages
	// takes a few times as long as the others): with a batch in hand the
	// preparing goes on through a burst, and the writer through a slow
	// preparing, where each would wait for the other.
	var writes []batchWrite
	wait := func() error {
		if len(writes) == 0 {
			return nil
		}
		out := <-writes[0].out
		writes = writes[1:]
		rep.count(out.res)
		if opt.Progress != nil && time.Since(lastProgress) >= every {
			lastProgress = time.Now()
			el := time.Since(start).Seconds()
			fmt.Fprintf(opt.Progress, "ingest: %d files, %d added, %d duplicates, %.0f articles/s\n",
				rep.Files, rep.Added, rep.Duplicates, float64(rep.Added+rep.Duplicates)/el)
		}
		return out.err
	}
	// Whatever ends the ingest, the batches handed to the writer are
	// waited for, what they stored is committed and counted (a cancelled
	// ingest keeps the batches it stored whole), and the deferred
	// autocomplete counts are merged (see suggest_deltas.go; an ingest
	// that fails leaves them to the next, or to Open).
	defer func() {
		for len(writes) > 0 {
			if werr := wait(); err == nil {
				err = werr
			}
		}
		if bw != nil && bw.failed == nil && (err == nil || ctx.Err() != nil) {
			res, cerr := bw.commit(context.WithoutCancel(ctx))
			rep.count(res)
			if err == nil {
				err = cerr
			}
		}
		if err == nil && bw != nil {
			err = bw.s.mergeTermDeltasNow(ctx, bw.conn)
		}
	}()
	flush := func() error {
		// While a batch is being stored, the preparing leaves a core to
		// the writer: the writer (one goroutine, whose batch the next
		// waits for) is the slower of the two, and with a preparing
		// goroutine on every core it shared its core with one of them.
		// At 100k stored articles on 2 cores, 1,096 -> 1,140 articles/s
		// (medians of 6 interleaved runs, faster in each pair); at 20k,
		// 1,385 -> 1,478 (3 runs). The core comes back to the preparing
		// as soon as the writer has stored every batch it was given.
		spare := 0
		var freed chan struct{}
		if n := len(writes); n > 0 {
			spare, freed = 1, writes[n-1].done
		}
		prepared, err := s.prepareBatch(ctx, pending, true, spare, freed)
		pending = pending[:0]
		if err != nil {
			return err
		}
		termDocs := batchTermDocs(prepared)
		for len(writes) > 1 {
			if err := wait(); err != nil {
				return err
			}
		}
		if bw == nil {
			if bw, err = s.newBulkWriter(ctx); err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
		}
		// The batch is stored after the one before it, if any.
		var after chan struct{}
		if len(writes) > 0 {
			after = writes[0].done
		}
		w := batchWrite{out: make(chan addOutcome, 1), done: make(chan struct{})}
		bw.queued.Add(1)
		go func() {
			defer close(w.done)
			if after != nil {
				<-after
			}
			bw.queued.Add(-1)
			res, err := bw.write(ctx, prepared, termDocs)
			w.out <- addOutcome{res, err}
		}()
		writes = append(writes, w)
		return nil
	}
	ingestFile := func(path string, explicit bool) error {
		if !Supported(path) {
			rep.Skipped = append(rep.Skipped, Skipped{Path: path, Reason: ErrUnsupported.Error(), Err: explicit})
			return nil
		}
		rep.Files++
		var storeErr error
		err := eachArticle(path, func(a Article) error {
			// A file may hold a whole corpus: stop within it on
			// SIGTERM, not only between files.
			if err := ctx.Err(); err != nil {
				storeErr = err
				return err
			}
			if preloaded == nil {
				preloaded = make(chan struct{})
				go func() {
					defer close(preloaded)
					s.preloadGroup(ctx)
				}()
			}
			pending = append(pending, a)
			if len(pending) >= ingestBatch {
				storeErr = flush()
			}
			return storeErr
		})
		if storeErr != nil {
			return storeErr
		}
		if err != nil {
			rep.Skipped = append(rep.Skipped, Skipped{Path: path, Reason: err.Error(), Err: true})
		}
		return nil
	}
	for _, root := range paths {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		files, skipped := WalkArticles(ctx, root)
		rep.Skipped = append(rep.Skipped, skipped...)
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			// A file named by itself is meant to be an article; one
			// found in a folder may be anything.
			if err := ingestFile(f.Path, f.Path == root); err != nil {
				return rep, err
			}
		}
	}
	if len(pending) > 0 {
		if err := flush(); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// bulkWriter is IngestPaths's database writer: one connection for all its
// batches, whose commits leave checkpointing the write-ahead log to a
// goroutine that runs it beside the next batches (see dialect.bulkWrites
// and bulkCheckpointCommits).
// It keeps a transaction open over batches until bulkTxArticles are
// written in it, and commits the rest when told (commit) or rolls it back
// when closed without.
type bulkWriter struct {
	s    *Store
	conn *Conn
	kick chan struct{}
	done chan struct{}
	open *writeTx
	// failed is the error of a batch that failed: the batches after it are
	// not stored (IngestPaths stops at the first error).
	failed error
	// txArticles and txFor bound the open transaction: bulkTxArticles and
	// bulkTxFor.
	txArticles int
	txFor      time.Duration
	// unchecked counts the commits not yet checkpointed (see
	// bulkCheckpointCommits).
	unchecked int
	// due says the open transaction is full, and is committed beside the
	// placing of the next batch (see write); queued counts the batches
	// handed to the writer and not begun yet.
	due    bool
	queued atomic.Int32
}

// bulkTxArticles is how many articles a bulk ingest writes in one
// transaction, over several batches (of ingestBatch, which grouping and
// the preparing go by). Most of what a batch writes is scattered over the
// indexes (a story's reports, canonical URLs, text keys, IDs) and the
// stories it updates, a page for each: a thousand articles at 100k stored
// dirtied 6,119 pages (6.1 an article), every page written to the log at
// commit and again to the database at the checkpoint; 2,000 in one
// transaction dirty 4.4 an article, and four 3.1, though a cache smaller
// than a transaction's pages writes some of them out early and again (see
// sqliteDialect.bulkWrites): ingesting 10,000 articles into the 100k store
// took 503k file reads and writes with a transaction a batch, 480k with
// two batches. Fewer commits also write the full-text index's new entries
// as fewer, larger segments. A transaction holds the database's write
// lock (readers go on) and the grouper, which other writers wait for, for
// the second or so it takes; four batches left thousands of pages free
// after the full-text index's larger merges.
const bulkTxArticles = 2 * ingestBatch

// bulkTxFor bounds how long a bulk transaction stays open, whatever it
// holds: other writers (a feed's articles, the delivery log) wait for it,
// well within the busy timeout (sqliteOptions).
const bulkTxFor = 2 * time.Second

func (s *Store) newBulkWriter(ctx context.Context) (*bulkWriter, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.db.d.bulkWrites(ctx, conn, true); err != nil {
		conn.Close()
		return nil, err
	}
	w := &bulkWriter{s: s, conn: conn, kick: make(chan struct{}, 1), done: make(chan struct{}),
		txArticles: bulkTxArticles, txFor: bulkTxFor}
	go func() {
		defer close(w.done)
		for range w.kick {
			// A checkpoint that fails leaves the log to the next one, or
			// to any other connection's automatic checkpoint.
			s.db.d.checkpoint(context.Background(), s.db)
		}
	}()
	return w, nil
}

// write stores a batch in the open transaction, beginning one if none is,
// and commits once it holds bulkTxArticles, returning what the commits
// stored (nothing while the transaction stays open). termDocs is
// batchTermDocs(prepared), or nil. A failed batch rolls the whole
// transaction back.
//
// A full transaction whose next batch is in hand already (queued) is
// committed by that batch's write, beside its placing: the batch is looked
// up in the full transaction (which sees every article stored before it),
// its grouping begun and the changed stories taken from the grouper; then
// the placing (a batch's grouping, a goroutine of its own, see placing)
// runs while the transaction's stories, counts and full-text rows are
// written and committed, and the batch's articles are inserted in the next
// transaction, the grouper held throughout. The writer is the one
// goroutine every batch waits for, and placing was most of a batch's
// time in it but for the commits.
func (w *bulkWriter) write(ctx context.Context, prepared []preparedArticle, termDocs map[string]int) (res AddResult, err error) {
	if w.failed != nil {
		return AddResult{}, fmt.Errorf("not stored after an earlier batch failed: %w", w.failed)
	}
	// A cancelled ingest stores no more batches, and keeps those stored:
	// a batch begun is finished (a second or so) rather than undone with
	// the transaction's earlier batches.
	if err := ctx.Err(); err != nil {
		return AddResult{}, err
	}
	ctx = context.WithoutCancel(ctx)
	if w.open == nil {
		tx, err := w.s.beginWrite(ctx, w.conn, sharedVisibility, true)
		if err != nil {
			w.failed = err
			return AddResult{}, err
		}
		w.open = tx
	}
	b, err := w.open.plan(ctx, prepared, termDocs)
	if err != nil {
		w.abort(err)
		return AddResult{}, err
	}
	if w.due {
		stories := w.s.group.takeUnsaved()
		b.place()
		err := w.open.save(ctx, stories)
		if err == nil {
			res = w.open.res
			w.committed()
			w.open, err = w.s.beginHeld(ctx, w.conn, sharedVisibility, true)
		}
		if err != nil {
			// The grouper is ahead of the store: it is read again.
			b.stop()
			if w.open != nil {
				w.open.tx.Rollback()
			}
			w.open = nil
			w.s.group.reset()
			w.s.group.mu.Unlock()
			w.failed = err
			return res, err
		}
	}
	if _, err := w.open.store(ctx, b); err != nil {
		w.abort(err)
		return res, err
	}
	if w.open.articles < w.txArticles && time.Since(w.open.began) < w.txFor {
		return res, nil
	}
	if w.queued.Load() > 0 {
		w.due = true
		return res, nil
	}
	more, err := w.commitTx(ctx)
	res.merge(more)
	return res, err
}

// abort rolls the open transaction back after its batch failed with err.
func (w *bulkWriter) abort(err error) {
	w.open.rollback()
	w.open = nil
	w.failed = err
}

// bulkCheckpointCommits is how many of its commits a bulk ingest lets the
// log gather before it has the log checkpointed (and at the end, whatever
// it gathered). A checkpoint copies the newest frame of each page in the
// log into the database: most of a transaction's pages are scattered
// index pages that the next transaction dirties again (the same few
// thousand pages of each index, see bulkTxArticles), so a checkpoint
// after every second commit copies a page once where it copied it twice.
// Ingesting 10,000 articles into the 100k store: 378k -> 340k file reads
// and writes (strace -c) and the checkpoints' CPU 0.48/0.63 -> 0.42/0.41 s
// (CPU profiles, 2 interleaved pairs); the log grows to two transactions'
// frames (some 70 MB) before it is copied, rather than one.
const bulkCheckpointCommits = 2

// commit commits the open transaction, if any, and has the log
// checkpointed after it, with the commits before it not checkpointed yet:
// the end of a run of batches.
func (w *bulkWriter) commit(ctx context.Context) (AddResult, error) {
	res, err := w.commitTx(ctx)
	w.checkpoint()
	return res, err
}

// commitTx commits the open transaction, if any, and has the log
// checkpointed after every bulkCheckpointCommits commits.
func (w *bulkWriter) commitTx(ctx context.Context) (AddResult, error) {
	if w.open == nil {
		return AddResult{}, nil
	}
	res, err := w.open.commit(ctx)
	w.open = nil
	if err != nil {
		w.failed = err
	}
	w.committed()
	return res, err
}

// committed counts a commit of the open transaction, and has the log
// checkpointed after every bulkCheckpointCommits.
func (w *bulkWriter) committed() {
	w.due = false
	if w.unchecked++; w.unchecked >= bulkCheckpointCommits {
		w.checkpoint()
	}
}

// checkpoint has the log checkpointed beside the next batches, if a commit
// has not been yet.
func (w *bulkWriter) checkpoint() {
	if w.unchecked == 0 {
		return
	}
	w.unchecked = 0
	select {
	case w.kick <- struct{}{}:
	default: // one is waiting to run already
	}
}

// close rolls back a transaction left open, gives the connection back as
// it was and waits for the last checkpoint. No write may be running.
func (w *bulkWriter) close() {
	if w.open != nil {
		w.open.rollback()
		w.open = nil
	}
	w.s.db.d.bulkWrites(context.Background(), w.conn, false)
	w.conn.Close()
	w.checkpoint() // after a failed batch, what was committed before it
	close(w.kick)
	<-w.done
}

// batchWrite is a batch handed to IngestPaths's writer: out receives what
// storing it did, and done is closed once it is stored (or failed).
type batchWrite struct {
	out  chan addOutcome
	done chan struct{}
}

// addOutcome is what storing a batch did.
type addOutcome struct {
	res AddResult
	err error
}

func describeStatErr(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// count adds what a commit stored to the report.
func (r *IngestReport) count(res AddResult) {
	sum := AddResult{Added: r.Added, Duplicates: r.Duplicates, DuplicateOf: r.DuplicateOf}
	sum.merge(res)
	r.Added, r.Duplicates, r.DuplicateOf = sum.Added, sum.Duplicates, sum.DuplicateOf
}

// Summary is the one-paragraph report a person reads at the end of an
// ingest: counts, then every skipped file with its reason.
func (r IngestReport) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d added, %d duplicates, %d skipped (%d files read)\n", r.Added, r.Duplicates, len(r.Skipped), r.Files)
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  skipped %s: %s\n", s.Path, s.Reason)
	}
	return b.String()
}
