package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/data"
)

// Names of /settings, its subcommands and options.
const (
	cmdSettings = "settings"

	subShow       = "show"
	subTimezone   = "timezone"
	subNotices    = "notices"
	subNothingNew = "nothing-new"
	subLength     = "length"

	optZone   = "zone"
	optPost   = "post"
	optLength = "length"
)

// settingsCommand is /settings: a server's own choices, Manage Server only.
func settingsCommand() *discordgo.ApplicationCommand {
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	return adminCommand(cmdSettings, "This server's briefbot settings",
		sub(subShow, "Show this server's settings"),
		sub(subTimezone, "The time zone for new schedules and the dates the bot shows",
			&discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionString, Name: optZone, Required: true, Autocomplete: true, MaxLength: 64,
				Description: "IANA time zone such as Europe/Kyiv; UTC for none",
			}),
		sub(subNotices, "Where admin notices go (failing feeds, posts that could not be delivered)",
			&discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionChannel, Name: optChannel,
				Description:  "A channel for the server's admins; leave out to only log notices",
				ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText},
			}),
		sub(subNothingNew, `Whether schedules post "Nothing new" when nothing changed`,
			&discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionBoolean, Name: optPost, Required: true,
				Description: "True: post it; false (the default): stay quiet until there is news",
			}),
		sub(subLength, "How long briefings are by default",
			&discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionString, Name: optLength, Required: true,
				Description: "short: 3 stories, standard: 5, long: 8",
				Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: lengthShort, Value: lengthShort}, {Name: lengthStandard, Value: lengthStandard}, {Name: lengthLong, Value: lengthLong},
				},
			}),
	)
}

// handleSettings answers /settings: shows or changes one setting at a time.
func (b *Bot) handleSettings(ctx context.Context, r *responder, opts optionMap) error {
	if r.i.GuildID == "" {
		return r.text(ctx, guildOnlyReply, true)
	}
	if !canManage(r.i) {
		return r.text(ctx, permissionReply, true)
	}
	set, err := b.store.Settings(ctx, r.i.GuildID)
	if err != nil {
		return err
	}
	changed := ""
	switch opts.sub {
	case subShow:
		return r.text(ctx, b.settingsText(set), true)
	case subTimezone:
		raw := strings.TrimSpace(opts.str(optZone))
		if len([]rune(raw)) > 64 {
			return r.text(ctx, "That is not a time zone: use an IANA name such as Europe/Kyiv.", true)
		}
		loc, err := LoadZone(raw)
		if err != nil {
			return r.text(ctx, fit(err.Error(), 500)+".", true)
		}
		set.TZ = loc.String()
		changed = "Time zone set to **" + fit(set.TZ, 64) + "**. New schedules are read in it; existing ones keep theirs."
	case subNotices:
		channelID := opts.str(optChannel)
		if channelID == "" {
			set.NoticeChannel = ""
			changed = "Admin notices are now only logged."
			break
		}
		if !isSnowflake(channelID) {
			return r.text(ctx, "Pick a text channel for the notices.", true)
		}
		if ok, err := b.channelUsable(ctx, r, channelID, needNotice); !ok {
			return err
		}
		set.NoticeChannel = channelID
		changed = fmt.Sprintf("Admin notices now go to <#%s>.", channelID)
	case subNothingNew:
		post, ok := opts.boolean(optPost)
		if !ok {
			return r.text(ctx, "Say true or false.", true)
		}
		set.NothingNew = post
		changed = `Schedules now stay quiet when nothing changed.`
		if post {
			changed = `Schedules now post "Nothing new" when nothing changed.`
		}
	case subLength:
		l := opts.str(optLength)
		if l != lengthShort && l != lengthStandard && l != lengthLong {
			return r.text(ctx, "Pick short, standard or long.", true)
		}
		set.Length = l
		if l == lengthStandard {
			set.Length = ""
		}
		changed = "Briefings are now **" + l + "** by default."
	default:
		return r.text(ctx, "Use /settings show, timezone, notices, nothing-new or length.", true)
	}
	if err := b.store.SaveSettings(ctx, set); err != nil {
		return err
	}
	return r.text(ctx, changed+"\n"+b.settingsText(set), true)
}

// settingsText describes a server's settings.
func (b *Bot) settingsText(set data.GuildSettings) string {
	var sb strings.Builder
	sb.WriteString("**Settings**\n")
	if set.TZ != "" {
		fmt.Fprintf(&sb, "Time zone: %s\n", fit(set.TZ, 64))
	} else {
		fmt.Fprintf(&sb, "Time zone: the bot's (%s)\n", b.loc.String())
	}
	if set.NoticeChannel != "" {
		fmt.Fprintf(&sb, "Admin notices: <#%s>\n", set.NoticeChannel)
	} else {
		sb.WriteString("Admin notices: only logged (/settings notices to pick a channel)\n")
	}
	if set.NothingNew {
		sb.WriteString(`"Nothing new" posts: on` + "\n")
	} else {
		sb.WriteString(`"Nothing new" posts: off` + "\n")
	}
	l := set.Length
	if l == "" {
		l = lengthStandard
	}
	fmt.Fprintf(&sb, "Briefing length: %s", l)
	return sb.String()
}
