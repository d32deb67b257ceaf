package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/data"
)

// onlineTimeout bounds `check --online`: a person is waiting.
const onlineTimeout = 30 * time.Second

func runCheck(ctx context.Context, env *cli, args []string) error {
	fs := newFlags(env, "check")
	db := dbFlag(fs)
	online := fs.Bool("online", false, "also check the token, server, channel and permissions with Discord")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	cfg, err := configFor(env, *db)
	if err != nil {
		return err
	}
	describeSources(env, cfg, ctx)
	if os.Getenv(testClockEnv) != "" {
		fmt.Fprintf(env.stderr, "warning: %s is set: `briefbot run` would post on simulated time. It is for briefbot's chaos test only; unset it.\n", testClockEnv)
	}
	problems := cfg.Problems(ctx)
	if *online && cfg.Token != "" && bot.ValidateToken(cfg.Token) == nil {
		ctx, cancel := context.WithTimeout(ctx, onlineTimeout)
		defer cancel()
		pre, err := bot.CheckDiscord(ctx, cfg.botConfig(nil))
		var ue *bot.UnreachableError
		switch {
		case errors.As(err, &ue):
			problems = append(problems, ue.Error()+": check the network, or DISCORD_API_URL if you use a REST proxy")
		case err != nil:
			problems = append(problems, fmt.Sprintf("Discord: %v", err))
		default:
			describeDiscord(env, cfg, pre)
			problems = append(problems, pre.Problems...)
		}
	}
	if len(problems) == 0 {
		fmt.Fprintln(env.stdout, "Configuration OK.")
		return nil
	}
	for _, p := range problems {
		fmt.Fprintf(env.stderr, "✗ %s\n", p)
	}
	return &exitError{code: 2, msg: fmt.Sprintf("%d problem(s) in the configuration", len(problems))}
}

// describeSources says where the settings came from and which database they
// name, so a check run from the wrong folder is obvious.
func describeSources(env *cli, cfg Config, ctx context.Context) {
	if cfg.EnvFile != "" {
		fmt.Fprintf(env.stdout, "Settings: %s and the environment (the environment wins).\n", cfg.EnvFile)
	} else {
		wd, _ := os.Getwd()
		fmt.Fprintf(env.stdout, "Settings: the environment only (no .env in %s, no %s).\n", wd, systemEnvFile)
	}
	path := cfg.DB
	if data.IsPostgresURL(path) {
		path = data.RedactDSN(path)
	} else if abs, err := filepath.Abs(path); err == nil && path != "" {
		path = abs
	}
	fc, err := data.CheckFile(ctx, cfg.DB)
	switch {
	case err != nil || cfg.DB == "":
		// Problems names it.
	case !fc.Exists:
		fmt.Fprintf(env.stdout, "Database: %s (%s; created on first use).\n", path, cfg.DBSetting)
	default:
		fmt.Fprintf(env.stdout, "Database: %s (%s; %d %s, %s).\n", path, cfg.DBSetting, fc.Articles, plural(fc.Articles, "article", "articles"), bot.FormatBytes(fc.Bytes))
	}
}

// describeDiscord prints what Discord said about the bot: who it is, where
// it is, and the invite link with exactly the permissions it needs.
func describeDiscord(env *cli, cfg Config, pre bot.Preflight) {
	if pre.User != "" {
		fmt.Fprintf(env.stdout, "Discord: the token belongs to %s (application %s).\n", pre.User, pre.AppID)
	}
	if pre.Guild != "" {
		fmt.Fprintf(env.stdout, "Server: %s (DISCORD_GUILD_ID %s).\n", pre.Guild, cfg.GuildID)
	} else if cfg.GuildID == "" {
		fmt.Fprintln(env.stdout, "Server: none set: commands are registered globally (Discord can take up to an hour to show them).")
	}
	if pre.Channel != "" {
		fmt.Fprintf(env.stdout, "Channel: %s (BRIEFBOT_CHANNEL_ID %s).\n", pre.Channel, cfg.ChannelID)
	}
	if pre.Invite != "" {
		fmt.Fprintf(env.stdout, "Invite link (exactly the permissions briefbot needs):\n  %s\n", pre.Invite)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
