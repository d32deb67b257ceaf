package main

import (
	"os"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/internal/pgtest"
)

func TestMigrateToPostgres(t *testing.T) {
	cleanEnv(t)
	if code, _, errOut := run(t, "migrate-to-postgres"); code != 2 || !strings.Contains(errOut, "--from") {
		t.Errorf("without --from: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "migrate-to-postgres", "--from", "x.db"); code != 2 || !strings.Contains(errOut, "DATABASE_URL") {
		t.Errorf("without a target: exit %d, %q", code, errOut)
	}
	pg := pgtest.URL(t)
	if pg == "" {
		t.Skip("needs PostgreSQL: set " + pgtest.EnvURL + " (see .ci/pg.sh)")
	}
	if code, _, errOut := run(t, "migrate-to-postgres", "--from", "missing.db", "--to", pg); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("a missing file: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat("missing.db"); err == nil {
		t.Error("migrate-to-postgres created the missing file")
	}
	os.WriteFile("own.txt", []byte("Harbour reopens\n\nThe harbour reopened on Monday after the storm, the port authority said."), 0o644)
	if code, _, errOut := run(t, "ingest", "--db", "local.db", "own.txt"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errOut)
	}
	t.Setenv("DATABASE_URL", pg)
	code, out, errOut := run(t, "migrate-to-postgres", "--from", "local.db")
	if code != 0 || !strings.Contains(out, "articles") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	// DATABASE_URL now names the store.
	if code, out, _ := run(t, "search", "harbour"); code != 0 || !strings.Contains(out, "Harbour reopens") {
		t.Errorf("search after the migration: exit %d, %q", code, out)
	}
	if code, _, errOut := run(t, "migrate-to-postgres", "--from", "local.db"); code != 1 || !strings.Contains(errOut, "already holds") {
		t.Errorf("a second migration: exit %d, %q; want a refusal", code, errOut)
	}
}
