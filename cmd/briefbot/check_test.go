package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/discordtest"
)

// problemLines returns the ✗ lines of a check's output.
func problemLines(out string) []string {
	var p []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "✗ ") {
			p = append(p, l)
		}
	}
	return p
}

// TestCheckNamesOnlyTheSettingAtFault runs check with one bad setting at a
// time: exactly one problem, naming that setting and no other.
func TestCheckNamesOnlyTheSettingAtFault(t *testing.T) {
	dir := cleanEnv(t)
	t.Setenv("DISCORD_TOKEN", goodToken)
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 300)), 0o644)
	folder := filepath.Join(dir, "dbfolder")
	os.Mkdir(folder, 0o755)
	settings := []string{"DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_API_URL", "BRIEFBOT_DB", "BRIEFBOT_ARTICLES_DIR",
		"BRIEFBOT_SCHEDULE", "BRIEFBOT_CHANNEL_ID", "BRIEFBOT_TOPICS", "BRIEFBOT_TZ", "LOG_LEVEL", "BRIEFBOT_FEEDS",
		"BRIEFBOT_FEED_INTERVAL", "BRIEFBOT_FEEDS_ALLOW_PRIVATE", "BRIEFBOT_RETENTION"}
	tests := []struct{ key, value, want string }{
		{"BRIEFBOT_TZ", "Mars/Olympus", "unknown time zone"},
		{"BRIEFBOT_FEED_INTERVAL", "10s", "at least 1m"},
		{"BRIEFBOT_FEED_INTERVAL", "often", "not a duration"},
		{"BRIEFBOT_DB", folder, "is a folder"},
		{"BRIEFBOT_DB", garbage, "not an SQLite database"},
		{"BRIEFBOT_DB", filepath.Join(dir, "no", "such", "dir", "x.db"), "does not exist"},
		{"BRIEFBOT_CHANNEL_ID", "general", "numeric ID"},
		{"BRIEFBOT_SCHEDULE", "61 * * * *", "BRIEFBOT_SCHEDULE"},
		{"DISCORD_GUILD_ID", "my-server", "numeric ID"},
		{"BRIEFBOT_RETENTION", "forever", "number of days"},
		{"BRIEFBOT_RETENTION", "12h", "at least 1d"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+filepath.Base(tt.value), func(t *testing.T) {
			t.Setenv(tt.key, tt.value)
			code, out, errOut := run(t, "check")
			p := problemLines(errOut)
			if code != 2 || len(p) != 1 {
				t.Fatalf("exit %d, want 2 with one problem; got:\n%s%s", code, out, errOut)
			}
			if !strings.HasPrefix(p[0], "✗ "+tt.key) || !strings.Contains(p[0], tt.want) {
				t.Errorf("problem %q: want it to start with %s and say %q", p[0], tt.key, tt.want)
			}
			for _, other := range settings {
				if other != tt.key && strings.Contains(p[0], other) {
					t.Errorf("problem %q also names %s", p[0], other)
				}
			}
		})
	}
	t.Run("brief says why", func(t *testing.T) {
		t.Setenv("BRIEFBOT_DB", folder)
		code, _, errOut := run(t, "brief", "ceasefire")
		if code != 1 || !strings.Contains(errOut, "BRIEFBOT_DB") || !strings.Contains(errOut, "is a folder") {
			t.Errorf("brief with a folder for a database: exit %d, %q", code, errOut)
		}
	})
	t.Run("--db names the flag", func(t *testing.T) {
		code, _, errOut := run(t, "check", "--db", folder)
		if p := problemLines(errOut); code != 2 || len(p) != 1 || !strings.HasPrefix(p[0], "✗ --db") {
			t.Errorf("exit %d, %q", code, errOut)
		}
	})
}

// TestCheckSaysWhatItRead: check names the .env it read (or that there was
// none) and the database file with what it holds.
func TestCheckSaysWhatItRead(t *testing.T) {
	dir := cleanEnv(t)
	t.Setenv("DISCORD_TOKEN", goodToken)
	code, out, errOut := run(t, "check")
	if code != 0 || !strings.Contains(out, "environment only (no .env in ") || !strings.Contains(out, "created on first use") {
		t.Errorf("no .env: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "briefbot.db")); err == nil {
		t.Error("check created the database")
	}
	os.WriteFile(filepath.Join(dir, ".env"), []byte("BRIEFBOT_DB=from-env-file.db\n"), 0o600)
	if code, _, errOut := run(t, "ingest", "--db", "from-env-file.db", "/nonexistent"); code != 1 {
		t.Fatalf("ingest: exit %d %s", code, errOut)
	}
	code, out, errOut = run(t, "check")
	want := "Settings: " + filepath.Join(dir, ".env") + " and the environment"
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "from-env-file.db (BRIEFBOT_DB; 0 articles") {
		t.Errorf(".env: exit %d, want %q and the database\n%s%s", code, want, out, errOut)
	}
}

func TestHelpHasNoTrailingSpaces(t *testing.T) {
	cleanEnv(t)
	_, out, _ := run(t, "help")
	for i, l := range strings.Split(out, "\n") {
		if strings.TrimRight(l, " \t") != l {
			t.Errorf("help line %d ends in spaces: %q", i+1, l)
		}
	}
}

func TestVersion(t *testing.T) {
	cleanEnv(t)
	for _, arg := range []string{"--version", "version", "-v"} {
		code, out, _ := run(t, arg)
		if code != 0 || !strings.HasPrefix(out, "briefbot ") || !strings.Contains(out, "go1.") {
			t.Errorf("%s: exit %d, %q", arg, code, out)
		}
	}
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		main string
		set  []debug.BuildSetting
		want string
	}{
		{"v1.4.0", nil, "v1.4.0"},
		{"v1.4.1-0.20261121174907-b1b4566690a5", settings("vcs.revision", "b1b4566690a5e1e2"), "v1.4.1-0.20261121174907-b1b4566690a5"},
		{"(devel)", settings("vcs.revision", "b1b4566690a5e1e26aaafa186a060596fa7d49a2", "vcs.modified", "false"), "devel+b1b4566690a5"},
		{"(devel)", settings("vcs.revision", "b1b4566690a5e1e26aaafa186a060596fa7d49a2", "vcs.modified", "true"), "devel+b1b4566690a5-dirty"},
		{"(devel)", nil, "devel"},
	}
	for _, tt := range tests {
		info := &debug.BuildInfo{Main: debug.Module{Version: tt.main}, Settings: tt.set}
		if got := versionOf(info); got != tt.want {
			t.Errorf("versionOf(%s, %v) = %q, want %q", tt.main, tt.set, got, tt.want)
		}
	}
}

// TestCheckOnline runs `check --online` against the fake Discord: each
// finding names the setting at fault, and the invite link asks for exactly
// the permissions the bot needs.
func TestCheckOnline(t *testing.T) {
	srv := discordtest.NewServer(discordtest.WithToken(goodToken))
	defer srv.Close()
	cleanEnv(t)
	t.Setenv("DISCORD_TOKEN", goodToken)
	t.Setenv("DISCORD_API_URL", srv.URL())
	t.Setenv("DISCORD_GUILD_ID", srv.GuildID())
	t.Setenv("BRIEFBOT_CHANNEL_ID", srv.ChannelID())

	code, out, errOut := run(t, "check", "--online")
	if code != 0 || !strings.Contains(out, "Configuration OK") {
		t.Fatalf("good setup: exit %d\n%s%s", code, out, errOut)
	}
	invite := bot.InviteURL(srv.AppID(), srv.GuildID())
	for _, want := range []string{"briefbot-test", "Test Guild", "#general", invite, "permissions=84992"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	lacking := srv.AddChannel("no-embeds")
	srv.SetChannelOverwrite(lacking, srv.GuildID(), 0, discordgo.PermissionEmbedLinks|discordgo.PermissionSendMessages)
	hidden := srv.AddChannel("hidden")
	srv.SetChannelOverwrite(hidden, srv.BotRoleID(), 0, discordgo.PermissionViewChannel)
	tests := []struct {
		name, key, value, setting, want string
	}{
		{"wrong token", "DISCORD_TOKEN", "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.wrongwrongwrongwrongwrongwrongwrong00", "DISCORD_TOKEN", "401"},
		{"unknown server", "DISCORD_GUILD_ID", "123456789012345678", "DISCORD_GUILD_ID", "not in that server"},
		{"unknown channel", "BRIEFBOT_CHANNEL_ID", "123456789012345678", "BRIEFBOT_CHANNEL_ID", "no such channel"},
		{"missing permissions", "BRIEFBOT_CHANNEL_ID", lacking, "BRIEFBOT_CHANNEL_ID", "lacks Send Messages, Embed Links"},
		{"hidden channel", "BRIEFBOT_CHANNEL_ID", hidden, "BRIEFBOT_CHANNEL_ID", "cannot see that channel"},
		{"unreachable", "DISCORD_API_URL", "http://127.0.0.1:1/api/v9/", "cannot reach Discord at http://127.0.0.1:1/api/v9/", "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.key, tt.value)
			code, out, errOut := run(t, "check", "--online")
			p := problemLines(errOut)
			if code != 2 || len(p) != 1 || !strings.HasPrefix(p[0], "✗ "+tt.setting) || !strings.Contains(p[0], tt.want) {
				t.Errorf("exit %d; want one problem starting %q saying %q:\n%s%s", code, tt.setting, tt.want, out, errOut)
			}
		})
	}
}

// TestSystemSettingsFile: without a .env in the working directory, every
// command reads the system-wide settings file, so `sudo -u briefbot
// briefbot ingest ...` from any folder writes to the service's database; a
// .env in the working directory wins.
func TestSystemSettingsFile(t *testing.T) {
	dir := cleanEnv(t)
	state := t.TempDir()
	sys := filepath.Join(t.TempDir(), "briefbot.env")
	db := filepath.Join(state, "briefbot.db")
	os.WriteFile(sys, []byte("DISCORD_TOKEN="+goodToken+"\nBRIEFBOT_DB="+db+"\n"), 0o640)
	systemEnvFile = sys // cleanEnv restores it

	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("Harbour reopens\nThe harbour reopened on Monday."), 0o644)
	if code, _, errOut := run(t, "ingest", "a.txt"); code != 0 {
		t.Fatalf("ingest: exit %d %s", code, errOut)
	}
	code, out, errOut := run(t, "check")
	if code != 0 || !strings.Contains(out, "Settings: "+sys) || !strings.Contains(out, db+" (BRIEFBOT_DB; 1 article") {
		t.Errorf("check: exit %d\n%s%s", code, out, errOut)
	}
	// A relative database path there would be one database per folder
	// commands run from.
	os.WriteFile(sys, []byte("DISCORD_TOKEN="+goodToken+"\nBRIEFBOT_DB=briefbot.db\n"), 0o640)
	code, _, errOut = run(t, "check")
	if p := problemLines(errOut); code != 2 || len(p) != 1 || !strings.Contains(p[0], "BRIEFBOT_DB \"briefbot.db\" is a relative path") {
		t.Errorf("relative BRIEFBOT_DB in the system settings: exit %d, %q", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, ".env"), []byte("DISCORD_TOKEN="+goodToken+"\n"), 0o600)
	if code, out, _ := run(t, "check"); code != 0 || !strings.Contains(out, "Settings: "+filepath.Join(dir, ".env")) {
		t.Errorf("a .env in the working directory does not win:\n%s", out)
	}
}
