package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on minimal hosts without /usr/share/zoneinfo

	"github.com/caarlos0/env/v11"
	"github.com/joho/godotenv"
)

// Config is every setting briefbot reads, from the environment and an
// optional .env file in the working directory (the environment wins).
// .env.example documents each one.
type Config struct {
	Token        string        `env:"DISCORD_TOKEN"`
	GuildID      string        `env:"DISCORD_GUILD_ID"`
	APIURL       string        `env:"DISCORD_API_URL" envDefault:"https://discord.com/api/v9/"`
	DB           string        `env:"BRIEFBOT_DB" envDefault:"briefbot.db"`
	ArticlesDir  string        `env:"BRIEFBOT_ARTICLES_DIR"`
	Schedule     string        `env:"BRIEFBOT_SCHEDULE" envDefault:"0 8 * * *"`
	ChannelID    string        `env:"BRIEFBOT_CHANNEL_ID"`
	Topics       []string      `env:"BRIEFBOT_TOPICS" envSeparator:","`
	TZ           string        `env:"BRIEFBOT_TZ" envDefault:"UTC"`
	LogLevel     string        `env:"LOG_LEVEL" envDefault:"info"`
	Feeds        []string      `env:"BRIEFBOT_FEEDS" envSeparator:","`
	FeedInterval time.Duration `env:"BRIEFBOT_FEED_INTERVAL" envDefault:"15m"`
	AllowPrivate bool          `env:"BRIEFBOT_FEEDS_ALLOW_PRIVATE" envDefault:"false"`
}

// loadConfig reads .env (if present) and the environment into a Config.
// Values that do not even parse (a duration, a boolean) are errors here;
// everything else is checked by Config.Problems.
func loadConfig(envFile string) (Config, error) {
	vars := map[string]string{}
	if envFile != "" {
		fileVars, err := godotenv.Read(envFile)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return Config{}, fmt.Errorf("read %s: %w", envFile, err)
		default:
			vars = fileVars
		}
	}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var cfg Config
	if err := env.ParseWithOptions(&cfg, env.Options{Environment: vars}); err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	cfg.Topics = trimAll(cfg.Topics)
	cfg.Feeds = trimAll(cfg.Feeds)
	cfg.Token = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(cfg.Token), "Bot "))
	return cfg, nil
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

var (
	// A bot token is three base64url parts: the bot's ID, a timestamp, an
	// HMAC. This catches pasted client secrets and truncated tokens.
	tokenPattern     = regexp.MustCompile(`^[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$`)
	snowflakePattern = regexp.MustCompile(`^[0-9]{15,21}$`)
)

// errNoToken is what run says without a token: one line, exit status 2.
var errNoToken = errors.New("DISCORD_TOKEN is not set: put the bot token from the Discord developer portal (Bot → Reset Token) in .env or the environment")

// checkToken says what is wrong with a token, if anything.
func checkToken(token string) error {
	switch {
	case token == "":
		return errNoToken
	case !tokenPattern.MatchString(token):
		return errors.New("DISCORD_TOKEN does not look like a bot token (three dot-separated parts, e.g. MTA...Gx.abc...): copy it again from the developer portal's Bot page")
	}
	return nil
}

// Problems lists everything wrong with the configuration, each a sentence
// naming the setting. needToken is false for commands that never connect.
func (c Config) Problems(needToken bool) []string {
	var p []string
	if err := checkToken(c.Token); err != nil && (needToken || c.Token != "") {
		p = append(p, err.Error())
	}
	if c.GuildID != "" && !snowflakePattern.MatchString(c.GuildID) {
		p = append(p, fmt.Sprintf("DISCORD_GUILD_ID %q is not a Discord ID (a number of 17-20 digits: right-click the server, Copy Server ID)", c.GuildID))
	}
	if c.ChannelID != "" && !snowflakePattern.MatchString(c.ChannelID) {
		p = append(p, fmt.Sprintf("BRIEFBOT_CHANNEL_ID %q is not a Discord ID (a number of 17-20 digits: right-click the channel, Copy Channel ID)", c.ChannelID))
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p = append(p, fmt.Sprintf("DISCORD_API_URL %q is not an http(s) URL", c.APIURL))
	}
	if _, err := time.LoadLocation(c.TZ); err != nil || c.TZ == "" {
		p = append(p, fmt.Sprintf("BRIEFBOT_TZ %q is not a time zone (use an IANA name such as Europe/Kyiv or America/New_York)", c.TZ))
	}
	if err := validateSchedule(c.Schedule, c.TZ); err != nil {
		p = append(p, fmt.Sprintf("BRIEFBOT_SCHEDULE: %v", err))
	}
	if len(c.Topics) > 0 && c.ChannelID == "" {
		p = append(p, "BRIEFBOT_TOPICS is set but BRIEFBOT_CHANNEL_ID is not: scheduled briefings need a channel to post in")
	}
	for _, t := range c.Topics {
		if len([]rune(t)) > 100 {
			p = append(p, fmt.Sprintf("BRIEFBOT_TOPICS: topic %.30q… is over 100 characters", t))
		}
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		p = append(p, fmt.Sprintf("LOG_LEVEL %q is not one of debug, info, warn, error", c.LogLevel))
	}
	if c.DB == "" {
		p = append(p, "BRIEFBOT_DB is empty: name the SQLite file, e.g. briefbot.db")
	} else if dir := filepath.Dir(c.DB); !isWritableDir(dir) {
		p = append(p, fmt.Sprintf("BRIEFBOT_DB %q: folder %s does not exist or is not writable", c.DB, dir))
	}
	if c.ArticlesDir != "" {
		if st, err := os.Stat(c.ArticlesDir); err != nil || !st.IsDir() {
			p = append(p, fmt.Sprintf("BRIEFBOT_ARTICLES_DIR %q is not a folder", c.ArticlesDir))
		}
	}
	for _, f := range c.Feeds {
		if u, err := url.Parse(f); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p = append(p, fmt.Sprintf("BRIEFBOT_FEEDS: %q is not an http(s) URL", f))
		}
	}
	if c.FeedInterval < time.Minute {
		p = append(p, fmt.Sprintf("BRIEFBOT_FEED_INTERVAL %s is under a minute: outlets will rate-limit or block the bot", c.FeedInterval))
	}
	return p
}

func isWritableDir(dir string) bool {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return false
	}
	f, err := os.CreateTemp(dir, ".briefbot-check-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// logger builds the process logger at the configured level.
func (c Config) logger() *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		lvl = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
}
