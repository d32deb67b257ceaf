package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/internal/pgtest"
)

// TestMain lets a test run the real command in a child process: the test
// binary re-executes itself with BRIEFBOT_TEST_MAIN set and becomes
// briefbot, so signals and exit statuses are the real ones.
func TestMain(m *testing.M) {
	if os.Getenv("BRIEFBOT_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestRunProcess runs `briefbot run` as its own process against a fake
// Discord, configured only by the environment as a self-hoster would: it
// connects, registers its commands, answers /brief ceasefire and a hostile
// topic, and exits 0 on SIGTERM.
func TestRunProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	srv := discordtest.NewServer()
	defer srv.Close()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "run")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"BRIEFBOT_TEST_MAIN=1",
		"DISCORD_TOKEN="+goodToken,
		"DISCORD_API_URL="+srv.URL(),
		"DISCORD_GUILD_ID="+srv.GuildID(),
		"BRIEFBOT_CHANNEL_ID="+srv.ChannelID(),
		"BRIEFBOT_TOPICS=ceasefire",
		"BRIEFBOT_DB="+filepath.Join(dir, "run.db"),
		"DATABASE_URL="+pgtest.URL(t), // empty, so SQLite, unless the suite runs on PostgreSQL
		"BRIEFBOT_TZ=Europe/Kyiv",
		"LOG_LEVEL=debug",
	)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("briefbot log:\n%s", logs.String())
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("never connected: %v", err)
	}
	waitCommands(ctx, t, srv, srv.GuildID())
	for _, topic := range []string{"ceasefire", `"NEAR(cease* OR -fire)" 🕊️ AND:`} {
		msg := briefChecked(ctx, t, srv, topic)
		if topic == "ceasefire" && !strings.Contains(msg.Text(), "Witkoff") {
			t.Errorf("/brief ceasefire does not mention Witkoff:\n%s", msg.Text())
		}
	}
	if err := srv.CheckAllowedMentionsNone(); err != nil {
		t.Error(err)
	}
	if p := srv.Problems(); len(p) > 0 {
		t.Errorf("Discord refused requests: %v", p)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still running 30 s after SIGTERM")
	}
	engine := "sqlite"
	if pgtest.Enabled() {
		engine = "postgres"
	}
	if !strings.Contains(logs.String(), "engine="+engine) {
		t.Errorf("the process did not run on %s", engine)
	}
}

// waitCommands waits until the bot has registered its commands in guild
// ("" for the global ones).
func waitCommands(ctx context.Context, t *testing.T, srv *discordtest.Server, guild string) {
	t.Helper()
	for len(srv.Commands(guild)) == 0 {
		if ctx.Err() != nil {
			t.Fatal("commands never registered")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// briefChecked asks /brief topic in the fake's server and returns the
// answer, whose embeds must keep Discord's limits.
func briefChecked(ctx context.Context, t *testing.T, srv *discordtest.Server, topic string) *discordtest.Message {
	t.Helper()
	ex, err := srv.Interact(ctx, discordtest.Interaction{
		Name:    "brief",
		Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt("topic", topic)},
	})
	if err != nil {
		t.Fatalf("/brief %s: %v", topic, err)
	}
	msg, err := ex.Response(ctx)
	if err != nil {
		t.Fatalf("/brief %s: no answer: %v", topic, err)
	}
	if err := discordtest.CheckEmbeds(msg.Embeds); err != nil {
		t.Errorf("/brief %s: %v", topic, err)
	}
	return msg
}
