package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// storageLine is /status's line on the database: its size and how long
// articles are kept.
func (b *Bot) storageLine(ctx context.Context) string {
	sz, err := b.store.Size(ctx)
	if err != nil {
		b.log.Warn("database size", "err", err)
		return ""
	}
	keep := b.retention()
	line := "Database: " + FormatBytes(sz.Bytes)
	if sz.Free > 0 {
		line += " (" + FormatBytes(sz.Free) + " free for reuse)"
	}
	return line + " · articles kept " + FormatSpan(keep) + "\n"
}

// feedHealthLine is /status's line on the followed feeds: how many, how
// many are failing, and when one was last read.
func (b *Bot) feedHealthLine(ctx context.Context, guildID string) string {
	mine, err := b.store.GuildFeeds(ctx, guildID)
	if err != nil {
		b.log.Warn("feed health", "err", err)
		return ""
	}
	all, err := b.store.Feeds(ctx)
	if err != nil {
		b.log.Warn("feed health", "err", err)
		return ""
	}
	owner := ownerFeeds(all)
	shared := ""
	if owner > 0 {
		shared = fmt.Sprintf(" · and %d of the owner's, for every server", owner)
	}
	if len(mine) == 0 {
		return "Feeds: none of this server's (add one with /feeds add)" + shared + "\n"
	}
	var failing []string
	var last time.Time
	for _, f := range mine {
		if f.Failures > 0 {
			name := f.Outlet()
			if name == "" {
				name = f.URL
			}
			failing = append(failing, fit(name, 60))
		}
		if f.LastSuccess.After(last) {
			last = f.LastSuccess
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Feeds: %d of this server's (at most %d)", len(mine), maxGuildFeeds)
	if len(failing) == 0 {
		sb.WriteString(", all healthy")
	} else {
		shown := failing
		if len(shown) > 3 {
			shown = append(shown[:3:3], "…")
		}
		fmt.Fprintf(&sb, ", ⚠️ %d failing (%s; see /feeds list)", len(failing), strings.Join(shown, ", "))
	}
	if !last.IsZero() {
		fmt.Fprintf(&sb, " · last read <t:%d:R>", last.Unix())
	}
	sb.WriteString(shared)
	return truncateContent(sb.String()) + "\n"
}
