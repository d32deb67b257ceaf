package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on minimal hosts without /usr/share/zoneinfo

	"github.com/caarlos0/env/v11"
	"github.com/joho/godotenv"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/data"
)

// Config is every setting briefbot reads, from the environment and an
// optional .env file in the working directory (the environment wins).
// .env.example documents each one.
type Config struct {
	Token        string   `env:"DISCORD_TOKEN"`
	GuildID      string   `env:"DISCORD_GUILD_ID"`
	APIURL       string   `env:"DISCORD_API_URL" envDefault:"https://discord.com/api/v9/"`
	DB           string   `env:"BRIEFBOT_DB" envDefault:"briefbot.db"`
	DatabaseURL  string   `env:"DATABASE_URL"`
	ShardCount   string   `env:"DISCORD_SHARD_COUNT"`
	ShardIDs     string   `env:"DISCORD_SHARD_ID"`
	ArticlesDir  string   `env:"BRIEFBOT_ARTICLES_DIR"`
	Schedule     string   `env:"BRIEFBOT_SCHEDULE" envDefault:"0 8 * * *"`
	ChannelID    string   `env:"BRIEFBOT_CHANNEL_ID"`
	Topics       []string `env:"BRIEFBOT_TOPICS" envSeparator:","`
	TZ           string   `env:"BRIEFBOT_TZ" envDefault:"UTC"`
	LogLevel     string   `env:"LOG_LEVEL" envDefault:"info"`
	Feeds        []string `env:"BRIEFBOT_FEEDS" envSeparator:","`
	FeedInterval string   `env:"BRIEFBOT_FEED_INTERVAL" envDefault:"15m"`
	AllowPrivate string   `env:"BRIEFBOT_FEEDS_ALLOW_PRIVATE" envDefault:"false"`
	Retention    string   `env:"BRIEFBOT_RETENTION" envDefault:"90d"`

	// EnvFile is the .env file the settings were read from, as an absolute
	// path; empty when there was none.
	EnvFile string `env:"-"`
	// DBSetting names where DB came from, for messages: BRIEFBOT_DB, or
	// --db when the flag overrode it.
	DBSetting string `env:"-"`
}

// systemEnvFile is where a system-wide install (the systemd unit) keeps its
// settings: read when the working directory has no .env, so the service and
// `sudo -u briefbot briefbot ingest ...` run from any folder use the same
// settings and the same database.
var systemEnvFile = "/etc/briefbot/briefbot.env"

// loadConfig reads the first of envFiles that exists (.env in the working
// directory, then systemEnvFile) and the environment (which wins) into a
// Config. Values are kept as text where a typo is likely, so
// Config.Problems can name the setting instead of failing on the first bad
// one.
func loadConfig(envFiles []string) (Config, error) {
	vars := map[string]string{}
	readFile := ""
	for _, envFile := range envFiles {
		fileVars, err := godotenv.Read(envFile)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case errors.Is(err, os.ErrPermission):
			return Config{}, fmt.Errorf("the settings file %s is not readable by this user: run briefbot as the user the bot runs as (sudo -u briefbot briefbot ...)", envFile)
		case err != nil:
			return Config{}, fmt.Errorf("read %s: %w", envFile, err)
		}
		vars = fileVars
		readFile = absPath(envFile)
		break
	}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	cfg := Config{EnvFile: readFile, DBSetting: "BRIEFBOT_DB"}
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: vars}); err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	// DATABASE_URL, when it is a postgres:// URL, moves the store from
	// BRIEFBOT_DB's SQLite file to PostgreSQL; the rest of briefbot only
	// sees DB.
	if u := strings.TrimSpace(cfg.DatabaseURL); data.IsPostgresURL(u) {
		cfg.DB, cfg.DBSetting = u, "DATABASE_URL"
	}
	cfg.Topics = trimAll(cfg.Topics)
	cfg.Feeds = trimAll(cfg.Feeds)
	cfg.Token = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cfg.Token), "Bot "))
	return cfg, nil
}

// absPath is path made absolute, or path when that fails.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func trimAll(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// botConfig is the part of the configuration the Discord side reads.
func (c Config) botConfig(log *slog.Logger) bot.Config {
	return bot.Config{
		Token: c.Token, GuildID: c.GuildID, APIURL: c.APIURL,
		Schedule: c.Schedule, ChannelID: c.ChannelID, Topics: c.Topics, TZ: c.TZ,
		ArticlesDir: c.ArticlesDir, Logger: log, Retention: c.retention(), Version: buildVersion(),
		Feeds:  bot.FeedConfig{URLs: c.Feeds, Interval: c.feedInterval(), AllowPrivate: c.allowPrivate(), Version: buildVersion()},
		Shards: c.shards(),
	}
}

// shards is DISCORD_SHARD_COUNT and DISCORD_SHARD_ID; unreadable ones are
// one unsharded connection here (Problems reports them).
func (c Config) shards() bot.ShardConfig {
	sc, _ := bot.ParseShards(c.ShardCount, c.ShardIDs)
	return sc
}

// allowPrivate is BRIEFBOT_FEEDS_ALLOW_PRIVATE; anything unreadable is the
// safe false (Problems reports it).
func (c Config) allowPrivate() bool {
	v, _ := strconv.ParseBool(c.AllowPrivate)
	return v
}

// retention is BRIEFBOT_RETENTION, or the default when it does not parse
// (Problems reports that).
func (c Config) retention() time.Duration {
	d, err := parseAge(c.Retention)
	if err != nil || d < minRetention {
		return data.DefaultRetention
	}
	return d
}

// feedInterval is BRIEFBOT_FEED_INTERVAL, or zero (the default) when it does
// not parse; Problems reports that.
func (c Config) feedInterval() time.Duration {
	d, _ := time.ParseDuration(c.FeedInterval)
	return d
}

// Problems lists everything wrong with the configuration, each a sentence
// naming the one setting at fault: the bot's own checks (token, IDs, API
// URL, schedule, zone, topics, feeds), then the rest, the database opened
// for real.
func (c Config) Problems(ctx context.Context) []string {
	var p []string
	if err := c.botConfig(nil).Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				p = append(p, line)
			}
		}
	}
	if len(c.Topics) > 0 && c.ChannelID == "" {
		p = append(p, "BRIEFBOT_TOPICS is set but BRIEFBOT_CHANNEL_ID is not: scheduled briefings need a channel to post in")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		p = append(p, fmt.Sprintf("LOG_LEVEL %q is not one of debug, info, warn, error", c.LogLevel))
	}
	if _, err := bot.ParseShards(c.ShardCount, c.ShardIDs); err != nil {
		p = append(p, err.Error())
	}
	if c.DBSetting == "BRIEFBOT_DB" && c.EnvFile != "" && c.EnvFile == absPath(systemEnvFile) && !filepath.IsAbs(c.DB) {
		// The service and `sudo -u briefbot briefbot ...` run from
		// different folders: a relative path would be two databases.
		p = append(p, fmt.Sprintf("BRIEFBOT_DB %q is a relative path, with the settings in %s: set an absolute one there, such as BRIEFBOT_DB=/var/lib/briefbot/briefbot.db, so the service and every command use the same database", c.DB, systemEnvFile))
	} else if c.DB == "" {
		p = append(p, c.DBSetting+" is empty: name the SQLite file, e.g. briefbot.db")
	} else if _, err := data.CheckFile(ctx, c.DB); err != nil {
		p = append(p, fmt.Sprintf("%s %q %v", c.DBSetting, data.RedactDSN(c.DB), err))
	}
	if c.ArticlesDir != "" {
		if st, err := os.Stat(c.ArticlesDir); err != nil || !st.IsDir() {
			p = append(p, fmt.Sprintf("BRIEFBOT_ARTICLES_DIR %q is not a folder", c.ArticlesDir))
		}
	}
	// Too short an interval is the bot's check (FeedConfig.Validate); only
	// text that is no duration at all is left to say here.
	if _, err := time.ParseDuration(c.FeedInterval); err != nil {
		p = append(p, fmt.Sprintf("BRIEFBOT_FEED_INTERVAL %q is not a duration (such as 15m or 1h)", c.FeedInterval))
	}
	if d, err := parseAge(c.Retention); err != nil {
		p = append(p, "BRIEFBOT_RETENTION "+err.Error())
	} else if d < minRetention {
		p = append(p, fmt.Sprintf("BRIEFBOT_RETENTION %s: want at least 1d (articles younger than that would be deleted under the bot)", c.Retention))
	}
	if _, err := strconv.ParseBool(c.AllowPrivate); err != nil {
		p = append(p, fmt.Sprintf("BRIEFBOT_FEEDS_ALLOW_PRIVATE %q: want true or false", c.AllowPrivate))
	}
	return p
}

// logger builds the process logger at the configured level.
func (c Config) logger() *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		lvl = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
}
