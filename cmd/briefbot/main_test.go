package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/internal/pgtest"
)

// run runs a whole command line in a clean environment and returns its exit
// status and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = mainCode(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// cleanEnv clears every setting briefbot reads and runs the test in an empty
// folder, so a developer's .env, /etc/briefbot or environment cannot change
// the outcome.
func cleanEnv(t *testing.T) string {
	t.Helper()
	for _, k := range []string{"DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_API_URL", "BRIEFBOT_DB", "DATABASE_URL", "BRIEFBOT_ARTICLES_DIR",
		"BRIEFBOT_SCHEDULE", "BRIEFBOT_CHANNEL_ID", "BRIEFBOT_TOPICS", "BRIEFBOT_TZ", "LOG_LEVEL", "BRIEFBOT_FEEDS",
		"BRIEFBOT_FEED_INTERVAL", "BRIEFBOT_FEEDS_ALLOW_PRIVATE", "BRIEFBOT_RETENTION", "DISCORD_SHARD_COUNT", "DISCORD_SHARD_ID"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	// Nor can the machine's system-wide settings file.
	old := systemEnvFile
	systemEnvFile = filepath.Join(t.TempDir(), "no-system-settings.env")
	t.Cleanup(func() { systemEnvFile = old })
	return dir
}

// testDB is the --db value for a test's store: the SQLite file name in the
// test's folder, or a fresh PostgreSQL schema's URL when the suite runs on
// PostgreSQL (BRIEFBOT_TEST_DATABASE_URL). One name gives one store.
func testDB(t *testing.T, name string) string {
	t.Helper()
	if !pgtest.Enabled() {
		return name
	}
	if testDBs[t] == nil {
		testDBs[t] = map[string]string{}
		t.Cleanup(func() { delete(testDBs, t) })
	}
	if testDBs[t][name] == "" {
		testDBs[t][name] = pgtest.URL(t)
	}
	return testDBs[t][name]
}

// testDBs remembers each test's stores by name; cmd's tests are not parallel.
var testDBs = map[*testing.T]map[string]string{}

const goodToken = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"

func TestHelpAndUnknown(t *testing.T) {
	cleanEnv(t)
	code, out, _ := run(t, "help")
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for _, c := range []string{"run", "brief", "summarize", "ingest", "search", "check"} {
		if !strings.Contains(out, c) {
			t.Errorf("help does not list %s", c)
		}
	}
	if code, _, errOut := run(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if code, _, _ := run(t); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
}

func TestSearchFreshStore(t *testing.T) {
	cleanEnv(t)
	code, out, errOut := run(t, "search", "ceasefire")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Trump envoy hints") || !strings.Contains(out, "EMEA Tribune") {
		t.Errorf("search ceasefire on a fresh store does not list both samples:\n%s", out)
	}
	if !strings.Contains(errOut, "sample articles") || !strings.Contains(errOut, "briefbot ingest") {
		t.Errorf("search from the samples does not say so: %q", errOut)
	}
	if _, err := os.Stat("briefbot.db"); err != nil {
		t.Errorf("default database not created in the working directory: %v", err)
	}
	code, out, _ = run(t, "search", `"NEAR(`, "--limit", "3")
	if code != 0 {
		t.Errorf("hostile search exit %d", code)
	}
	if code, _, _ := run(t, "search"); code != 2 {
		t.Errorf("search without a topic: exit %d, want 2", code)
	}
	if code, _, errOut := run(t, "search", "x", "--since", "yesterday"); code != 2 || !strings.Contains(errOut, "--since") {
		t.Errorf("bad --since: exit %d, %q", code, errOut)
	}
}

func TestBriefJSON(t *testing.T) {
	cleanEnv(t)
	code, out, errOut := run(t, "brief", "ceasefire", "--format", "json", "--db", testDB(t, "b.db"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var b map[string]any
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	stories, _ := b["stories"].([]any)
	if len(stories) == 0 {
		t.Fatalf("no stories: %s", out)
	}
	st := stories[0].(map[string]any)
	for _, k := range []string{"headline", "bullets", "quotes", "sources"} {
		if _, ok := st[k]; !ok {
			t.Errorf("story lacks %q", k)
		}
	}
	if !strings.Contains(out, "Witkoff") {
		t.Error("the ceasefire briefing does not mention Witkoff")
	}
	if !strings.Contains(errOut, "sample articles") {
		t.Errorf("a briefing from the samples does not say so: %q", errOut)
	}
	// The samples were read, never stored: once the owner's own article is
	// in, briefings and searches read only the database.
	os.WriteFile("own.txt", []byte("Harbour reopens\n\nThe harbour reopened on Monday after the storm, the port authority said."), 0o644)
	if code, _, errOut := run(t, "ingest", "--db", testDB(t, "b.db"), "own.txt"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "brief", "ceasefire", "--db", testDB(t, "b.db")); code != 1 || strings.Contains(errOut, "sample") {
		t.Errorf("brief ceasefire with the owner's article stored: exit %d, %q; want no match and no samples", code, errOut)
	}
	if code, out, _ := run(t, "search", "harbour", "--db", testDB(t, "b.db")); code != 0 || !strings.Contains(out, "Harbour reopens") {
		t.Errorf("search harbour: exit %d, %q", code, out)
	}
	if code, _, errOut := run(t, "brief", "zebra crossings", "--db", testDB(t, "b.db")); code != 1 || !strings.Contains(errOut, "no stored article") {
		t.Errorf("no match: exit %d, %q", code, errOut)
	}
	if code, _, _ := run(t, "brief", "x", "--format", "yaml", "--db", testDB(t, "b.db")); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
}

func TestIngestAndSummarize(t *testing.T) {
	dir := cleanEnv(t)
	art := filepath.Join(dir, "a.txt")
	os.WriteFile(art, []byte("Oil prices rise\n\nOil prices rose sharply on Monday after OPEC cut output. Analysts said the cut was larger than expected. Brent crude gained 4% to $90 a barrel. Traders expect further gains this week."), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte{0, 1, 2, 3}, 0o644)
	code, _, errOut := run(t, "ingest", dir, "--db", testDB(t, "i.db"))
	if code != 1 || !strings.Contains(errOut, "bad.txt") || !strings.Contains(errOut, "1 added") {
		t.Errorf("ingest of a folder with a bad file: exit %d\n%s", code, errOut)
	}
	b := summarizeJSON(t, "--max-words", "20", art)
	if n := len(strings.Fields(strings.Join(b.Said(), " "))); n == 0 || n > 20 {
		t.Errorf("summary has %d words, want 1-20:\n%q", n, b.Said())
	}
	if code, _, _ := run(t, "summarize", filepath.Join(dir, "missing.txt")); code != 1 {
		t.Errorf("summarize a missing file: exit %d, want 1", code)
	}
}

func TestRunWithoutToken(t *testing.T) {
	cleanEnv(t)
	code, _, errOut := run(t, "run")
	if code != 2 {
		t.Fatalf("run without a token: exit %d, want 2", code)
	}
	if lines := strings.Count(strings.TrimSpace(errOut), "\n") + 1; lines != 1 || !strings.Contains(errOut, "DISCORD_TOKEN") {
		t.Errorf("want one clear line naming DISCORD_TOKEN, got:\n%s", errOut)
	}
	t.Setenv("DISCORD_TOKEN", "not-a-token")
	if code, _, errOut := run(t, "run"); code != 2 || !strings.Contains(errOut, "DISCORD_TOKEN") {
		t.Errorf("malformed token: exit %d, %q", code, errOut)
	}
}

func TestCheck(t *testing.T) {
	dir := cleanEnv(t)
	t.Setenv("DISCORD_TOKEN", goodToken)
	if code, out, errOut := run(t, "check"); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("good configuration: exit %d\n%s%s", code, out, errOut)
	}
	tests := []struct{ key, value, want string }{
		{"BRIEFBOT_SCHEDULE", "61 * * * *", "BRIEFBOT_SCHEDULE"},
		{"BRIEFBOT_SCHEDULE", "CRON_TZ=UTC", "CRON_TZ"},
		{"BRIEFBOT_TZ", "Mars/Olympus", "Mars/Olympus"},
		{"DISCORD_GUILD_ID", "my-server", "DISCORD_GUILD_ID"},
		{"DISCORD_API_URL", "ftp://x", "DISCORD_API_URL"},
		{"LOG_LEVEL", "loud", "LOG_LEVEL"},
		{"BRIEFBOT_DB", filepath.Join(dir, "no", "such", "dir", "x.db"), "BRIEFBOT_DB"},
		{"BRIEFBOT_FEEDS", "file:///etc/passwd", "BRIEFBOT_FEEDS"},
		{"BRIEFBOT_TOPICS", strings.Repeat("x", 101), "BRIEFBOT_TOPICS"},
		{"DISCORD_SHARD_COUNT", "many", "DISCORD_SHARD_COUNT"},
		{"DISCORD_SHARD_ID", "3", "DISCORD_SHARD_COUNT is not"},
		{"DATABASE_URL", "postgres://briefbot:secret@127.0.0.1:1/briefbot?connect_timeout=2", "DATABASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Setenv(tt.key, tt.value)
			code, _, errOut := run(t, "check")
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("%s=%q: exit %d, output %q; want exit 2 naming %s", tt.key, tt.value, code, errOut, tt.want)
			}
			if strings.Contains(errOut, "secret") {
				t.Errorf("%s: the password is shown: %q", tt.key, errOut)
			}
		})
	}
	t.Run("env file", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, ".env"), []byte("BRIEFBOT_TZ=Nowhere/Land\n"), 0o644)
		defer os.Remove(filepath.Join(dir, ".env"))
		if code, _, errOut := run(t, "check"); code != 2 || !strings.Contains(errOut, "Nowhere/Land") {
			t.Errorf(".env not read: exit %d, %q", code, errOut)
		}
	})
	t.Run("bad duration", func(t *testing.T) {
		t.Setenv("BRIEFBOT_FEED_INTERVAL", "often")
		if code, _, errOut := run(t, "check"); code != 2 || !strings.Contains(errOut, "BRIEFBOT_FEED_INTERVAL") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})
}

// TestIngestInterrupted: SIGTERM (a cancelled context) stops an ingest with
// exit status 1 and says what happened.
func TestIngestInterrupted(t *testing.T) {
	dir := cleanEnv(t)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Title\nBody."), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := mainCode(ctx, []string{"ingest", dir, "--db", testDB(t, "i.db")}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("exit %d:\n%s", code, errb.String())
	}
}
