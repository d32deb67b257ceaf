package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/briefbot/briefbot/data"
)

// runMigrateToPostgres copies an SQLite store into an empty PostgreSQL
// database: the way from one machine to several processes (see the
// README's "Growing past one machine").
func runMigrateToPostgres(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "migrate-to-postgres")
	from := fs.String("from", "", "the SQLite file to copy (required)")
	to := fs.String("to", "", "the PostgreSQL URL to copy into (default $DATABASE_URL)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError("name the SQLite file to copy with --from FILE")
	}
	if data.IsPostgresURL(*from) {
		return usageError("--from %s is a PostgreSQL URL: name the SQLite file to copy", data.RedactDSN(*from))
	}
	cfg, err := configFor(env, "")
	if err != nil {
		return err
	}
	target, setting := *to, "--to"
	if target == "" {
		target, setting = cfg.DatabaseURL, "DATABASE_URL"
	}
	if !data.IsPostgresURL(target) {
		return usageError("%s %q is not a postgres:// URL: name the PostgreSQL database to copy into", setting, data.RedactDSN(target))
	}
	// Opening a file that is not there would create an empty one.
	if fc, err := data.CheckFile(ctx, *from); err != nil {
		return fmt.Errorf("--from %s %v", *from, err)
	} else if !fc.Exists {
		return fmt.Errorf("--from %s: no such file", *from)
	}
	src, err := data.Open(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer src.Close()
	dst, err := data.Open(target)
	if err != nil {
		return fmt.Errorf("%s: %w", setting, err)
	}
	defer dst.Close()
	start := time.Now()
	last := time.Now()
	copied, err := data.CopyToPostgres(ctx, src, dst, func(table string, n int) {
		if time.Since(last) > 2*time.Second {
			fmt.Fprintf(env.stderr, "  %s: %d rows…\n", table, n)
			last = time.Now()
		}
	})
	if err != nil {
		return fmt.Errorf("nothing was copied: %w", err)
	}
	tables := make([]string, 0, len(copied))
	for t := range copied {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	fmt.Fprintf(env.stdout, "Copied %s into %s in %s:\n", *from, data.RedactDSN(target), time.Since(start).Round(time.Millisecond))
	for _, t := range tables {
		fmt.Fprintf(env.stdout, "  %-16s %d %s\n", t, copied[t], plural(copied[t], "row", "rows"))
	}
	fmt.Fprintln(env.stdout, "Point DATABASE_URL at it and start briefbot; the SQLite file is kept.")
	return nil
}
