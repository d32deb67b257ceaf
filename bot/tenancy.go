package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// Every server is a tenant of its own: its feeds, schedules and settings,
// and the articles its feeds bring, are its alone; what the bot's owner
// configures is shared by all. Every read a server makes goes through its
// scope; a DM sees the shared articles only.

// scopeOf is whose articles an interaction reads: its server's (with the
// shared ones), or in a DM the shared ones only.
func scopeOf(i *discordgo.Interaction) data.Scope {
	if i == nil {
		return data.SharedOnly()
	}
	return data.GuildScope(i.GuildID)
}

// guildSettings returns a server's settings, or the defaults (logged) when
// they cannot be read: a settings problem must not stop a briefing.
func (b *Bot) guildSettings(ctx context.Context, guildID string) data.GuildSettings {
	if guildID == "" {
		return data.GuildSettings{}
	}
	set, err := b.store.Settings(ctx, guildID)
	if err != nil {
		b.log.Warn("read settings; using the defaults", "guild", guildID, "err", err)
		return data.GuildSettings{GuildID: guildID}
	}
	return set
}

// zone is where a server's times are shown and its new schedules read: its
// own time zone, else the bot's.
func (b *Bot) zone(set data.GuildSettings) *time.Location {
	if set.TZ != "" {
		if loc, err := LoadZone(set.TZ); err == nil {
			return loc
		}
	}
	return b.loc
}

// Briefing lengths a server may choose (/settings length).
const (
	lengthShort    = "short"
	lengthStandard = "standard"
	lengthLong     = "long"
)

// lengthOptions are the engine's caps for a briefing length: stories and
// bullets a story. Standard is the engine's default; long stays within
// Discord's ten embeds a message.
func lengthOptions(length string, opt briefing.Options) briefing.Options {
	switch length {
	case lengthShort:
		opt.MaxStories, opt.MaxBullets = 3, 3
	case lengthLong:
		opt.MaxStories, opt.MaxBullets = 8, 7
	}
	return opt
}

// notice tells a server's admins something they should act on (a feed
// that keeps failing, a post that could not be delivered) in the channel
// they chose with /settings notices; without one it is only logged, never
// posted where members read.
func (b *Bot) notice(ctx context.Context, guildID, text string) {
	set := b.guildSettings(ctx, guildID)
	if set.NoticeChannel == "" {
		b.log.Warn("admin notice (no notice channel set with /settings notices)", "guild", guildID, "text", text)
		return
	}
	b.postNotice(ctx, set.NoticeChannel, text)
}

// postNotice posts a plain notice into a channel, logging what fails.
func (b *Bot) postNotice(ctx context.Context, channelID, text string) {
	msg := &discordgo.MessageSend{Content: truncateContent(text), AllowedMentions: noMentions()}
	_, err := call(ctx, b.log, "admin notice", b.backoff, func(opts ...discordgo.RequestOption) (*discordgo.Message, error) {
		return b.s.ChannelMessageSendComplex(channelID, msg, opts...)
	})
	if err != nil {
		b.log.Error("post admin notice", "channel", channelID, "err", shortErr(err), "text", text)
	}
}

// adoptLegacyFeeds gives feeds added before servers had feeds of their own
// to the server they came from: the one where their adder made schedules,
// else DISCORD_GUILD_ID (where alone the commands were registered), else
// every server the bot is in (all of which saw them before).
func (b *Bot) adoptLegacyFeeds(ctx context.Context) error {
	fallback := []string{}
	if b.cfg.GuildID != "" {
		fallback = []string{b.cfg.GuildID}
	} else {
		fallback = append(fallback, b.stateGuilds()...)
	}
	adopted, err := b.store.AdoptLegacyFeeds(ctx, fallback)
	if err != nil {
		return fmt.Errorf("give existing feeds to their servers: %w", err)
	}
	for _, a := range adopted {
		if len(a.Guilds) == 0 {
			b.log.Warn("feed from before per-server feeds has no server to go to; it stays shared", "feed", a.Feed.ID, "url", a.Feed.URL)
			continue
		}
		b.log.Info("feed given to its server", "feed", a.Feed.ID, "url", a.Feed.URL, "guilds", a.Guilds, "private_articles", a.Private)
	}
	return nil
}
