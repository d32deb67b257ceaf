package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// DefaultAPIURL is Discord's REST base, the one discordgo compiles in.
const DefaultAPIURL = "https://discord.com/api/v9/"

// DefaultSchedule is when the env-configured briefing is posted: daily at
// 08:00 in the configured time zone.
const DefaultSchedule = "0 8 * * *"

// Config is everything the bot needs besides the store. The zero value of
// every field but Token is usable.
type Config struct {
	// Token is the bot token, with or without the "Bot " prefix.
	Token string
	// GuildID registers the commands in one guild (instant) instead of
	// globally (which Discord takes a while to show).
	GuildID string
	// APIURL is the REST base (a proxy such as nirn-proxy, or a fake Discord
	// in tests); empty means DefaultAPIURL. The gateway is whatever this API
	// answers for GET gateway.
	APIURL string
	// Schedule is the cron spec of the env-configured briefing (CRON_TZ=
	// prefixes and @daily/@every descriptors allowed); empty means
	// DefaultSchedule.
	Schedule string
	// ChannelID is where the env-configured briefing is posted; empty means
	// no env-configured briefing.
	ChannelID string
	// Topics are the env-configured briefing's topics, one post per topic
	// and slot; none means one post of the top stories.
	Topics []string
	// TZ is the IANA time zone schedules are read in unless their spec says
	// otherwise; empty means UTC.
	TZ string
	// ArticlesDir is ingested at start and watched for new files.
	ArticlesDir string
	// PollInterval is how often ArticlesDir is checked; zero means 5 s.
	PollInterval time.Duration
	// Logger receives the bot's logs; nil means slog.Default().
	Logger *slog.Logger
	// Feeds configures news feed polling and /feeds.
	Feeds FeedConfig
	// Retention is how long articles are kept (BRIEFBOT_RETENTION); zero
	// means data.DefaultRetention.
	Retention time.Duration
	// Version is briefbot's, shown by /status.
	Version string
	// Shards are the gateway shards this process runs (DISCORD_SHARD_COUNT,
	// DISCORD_SHARD_ID); the zero value is one unsharded connection.
	Shards ShardConfig
	// Clock is the time schedules and the delivery log run on; nil means
	// the wall clock. Only the chaos test sets another (FileClock).
	Clock Clock
	// Build turns articles into a briefing; nil means briefing.Build.
	Build func(context.Context, []briefing.Article, briefing.Options) (briefing.Briefing, error)
}

// ValidateToken checks that token looks like a Discord bot token: three
// dot-separated base64url parts. It does not insist that the first part
// decodes to the bot's user ID, so tokens of test servers and proxies pass;
// whether Discord accepts the token, Run finds out on connecting.
func ValidateToken(token string) error {
	t := strings.TrimSpace(token)
	if t == "" {
		return errors.New("DISCORD_TOKEN is empty: copy the bot token from the Discord developer portal (Bot → Reset Token)")
	}
	if t != token {
		return errors.New("DISCORD_TOKEN has spaces or a newline around it: remove them")
	}
	t = strings.TrimPrefix(t, "Bot ")
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return fmt.Errorf("DISCORD_TOKEN is malformed: a bot token has 3 parts separated by dots, this one has %d (is it the client secret or application ID instead?)", len(parts))
	}
	for i, p := range parts {
		if p == "" {
			return fmt.Errorf("DISCORD_TOKEN is malformed: part %d is empty", i+1)
		}
		for _, r := range p {
			if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '=' || r == '+' || r == '/') {
				return fmt.Errorf("DISCORD_TOKEN is malformed: it contains %q, which no bot token has", r)
			}
		}
	}
	return nil
}

// ValidateAPIURL checks a REST base URL and returns it with the trailing
// slash discordgo's endpoints expect.
func ValidateAPIURL(raw string) (string, error) {
	if raw == "" {
		return DefaultAPIURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("DISCORD_API_URL %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("DISCORD_API_URL %q: want an absolute http(s) URL such as %s", raw, DefaultAPIURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("DISCORD_API_URL %q: must not have a query or fragment", raw)
	}
	s := u.String()
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

// Validate checks the whole configuration, naming every problem.
func (c Config) Validate() error {
	var errs []error
	if err := ValidateToken(c.Token); err != nil {
		errs = append(errs, err)
	}
	if _, err := ValidateAPIURL(c.APIURL); err != nil {
		errs = append(errs, err)
	}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		errs = append(errs, fmt.Errorf("DISCORD_GUILD_ID %q: want the server's numeric ID (Developer Mode → right-click the server → Copy Server ID)", c.GuildID))
	}
	if c.ChannelID != "" && !isSnowflake(c.ChannelID) {
		errs = append(errs, fmt.Errorf("BRIEFBOT_CHANNEL_ID %q: want the channel's numeric ID (Developer Mode → right-click the channel → Copy Channel ID)", c.ChannelID))
	}
	// A bad zone is BRIEFBOT_TZ's fault alone: the schedule is then read
	// in UTC, so only its own mistakes are laid at its door.
	tz := c.TZ
	if _, err := LoadZone(tz); err != nil {
		errs = append(errs, fmt.Errorf("BRIEFBOT_TZ: %w", err))
		tz = "UTC"
	}
	if err := ValidateSchedule(c.schedule(), tz); err != nil {
		errs = append(errs, fmt.Errorf("BRIEFBOT_SCHEDULE: %w", err))
	}
	for _, t := range c.Topics {
		if n := len([]rune(strings.TrimSpace(t))); n == 0 || n > maxTopic {
			errs = append(errs, fmt.Errorf("BRIEFBOT_TOPICS: topic %q must be 1 to %d characters", t, maxTopic))
		}
	}
	if err := c.Feeds.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (c Config) schedule() string {
	if strings.TrimSpace(c.Schedule) == "" {
		return DefaultSchedule
	}
	return c.Schedule
}

func isSnowflake(s string) bool {
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}
