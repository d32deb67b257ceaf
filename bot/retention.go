package bot

import (
	"context"
	"time"

	"github.com/briefbot/briefbot/data"
)

// pruneEvery is how often the running bot deletes articles past their
// retention: often enough that the store never holds much more than its
// retention, rarely enough that the work is negligible.
const pruneEvery = 6 * time.Hour

// pruneDelay is how long after start the first prune waits, so a restart
// loop does not prune on every start and startup stays quick.
const pruneDelay = time.Minute

// runRetention prunes old articles every pruneEvery until ctx ends, and
// gives the freed pages back where the database allows it without a
// rewrite.
func (b *Bot) runRetention(ctx context.Context, first time.Duration) {
	keep := b.retention()
	t := time.NewTimer(first)
	defer t.Stop()
	warned := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		b.pruneOnce(ctx, keep, &warned)
		t.Reset(pruneEvery)
	}
}

func (b *Bot) pruneOnce(ctx context.Context, keep time.Duration, warned *bool) {
	cutoff := b.now().Add(-keep)
	res, err := b.store.Prune(ctx, cutoff)
	if err != nil {
		if ctx.Err() == nil {
			b.log.Error("prune old articles", "err", err)
		}
		return
	}
	freed, err := b.store.Reclaim(ctx, false)
	if err != nil {
		b.log.Warn("give freed space back", "err", err)
	}
	if res.Articles > 0 {
		b.log.Info("pruned old articles", "deleted", res.Articles, "older_than", FormatSpan(keep), "freed", FormatBytes(freed))
	}
	if sz, err := b.store.Size(ctx); err == nil && !sz.Incremental && sz.Free > 0 && !*warned {
		*warned = true
		b.log.Info("this database was made before briefbot gave space back on its own: run `briefbot prune` once while the bot is stopped to shrink it; until then freed space is reused", "free", FormatBytes(sz.Free))
	}
}

// retention is how long articles are kept.
func (b *Bot) retention() time.Duration {
	if b.cfg.Retention > 0 {
		return b.cfg.Retention
	}
	return data.DefaultRetention
}
