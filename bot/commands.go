package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"github.com/bwmarrin/discordgo"
)

// maxTopic is the longest topic /brief and /schedule accept, in characters.
const maxTopic = 100

// Command and option names, shared by the definitions and the handlers.
const (
	cmdBrief    = "brief"
	cmdSchedule = "schedule"
	cmdStatus   = "status"

	optTopic    = "topic"
	optChannel  = "channel"
	optTime     = "time"
	optTimezone = "timezone"
	optID       = "id"
	optInclude  = "include"
	optExclude  = "exclude"
	optOutlets  = "outlets"
	optBlock    = "block"

	subAdd    = "add"
	subList   = "list"
	subRemove = "remove"
)

// manageServer is the permission the admin commands need by default.
var manageServer int64 = discordgo.PermissionManageGuild

// adminCommand is a slash command for server managers only: Manage Server
// by default, and guild-only both ways Discord knows (contexts [guild] and
// the older dm_permission false).
func adminCommand(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
	noDM := false
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	installs := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	return &discordgo.ApplicationCommand{
		Type:                     discordgo.ChatApplicationCommand,
		Name:                     name,
		Description:              desc,
		DefaultMemberPermissions: &manageServer,
		DMPermission:             &noDM,
		Contexts:                 &guildOnly,
		IntegrationTypes:         &installs,
		Options:                  opts,
	}
}

// commandDefinitions are the slash commands the bot registers, modelled on
// discordgo's examples/slash_commands.
func commandDefinitions() []*discordgo.ApplicationCommand {
	minTopic := 1
	minID := 1.0
	anywhere := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	installs := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	topic := func(required bool, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type:         discordgo.ApplicationCommandOptionString,
			Name:         optTopic,
			Description:  desc,
			Required:     required,
			Autocomplete: true,
			MinLength:    &minTopic,
			MaxLength:    maxTopic,
		}
	}
	return append([]*discordgo.ApplicationCommand{
		{
			Type:             discordgo.ChatApplicationCommand,
			Name:             cmdBrief,
			Description:      "A cited briefing on a topic from the stored news articles",
			Contexts:         &anywhere,
			IntegrationTypes: &installs,
			Options: []*discordgo.ApplicationCommandOption{
				topic(false, "What to brief on, e.g. ceasefire (empty: the top stories)"),
			},
		},
		adminCommand(cmdSchedule, "Scheduled briefings posted into channels",
			&discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        subAdd,
				Description: "Post a briefing on a topic into a channel every day at a time",
				Options: []*discordgo.ApplicationCommandOption{
					topic(true, "What to brief on, e.g. ceasefire"),
					{
						Type:         discordgo.ApplicationCommandOptionChannel,
						Name:         optChannel,
						Description:  "The channel to post into",
						Required:     true,
						ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews},
					},
					{
						Type:        discordgo.ApplicationCommandOptionString,
						Name:        optTime,
						Description: "Time of day as HH:MM (24-hour), or a cron spec such as 0 8 * * 1-5",
						Required:    true,
						MaxLength:   100,
					},
					{
						Type:         discordgo.ApplicationCommandOptionString,
						Name:         optTimezone,
						Description:  "IANA time zone such as Europe/Kyiv (default: the server's, /settings timezone)",
						Autocomplete: true,
						MaxLength:    64,
					},
					filterOption(optInclude, `Only articles with one of these words: "exact phrase", word*, -not`),
					filterOption(optExclude, `Drop articles with these words: "exact phrase", -unless`),
					filterOption(optOutlets, "Only these outlets, comma-separated: names or domains (bbc.co.uk)"),
					filterOption(optBlock, "Never these outlets, comma-separated: names or domains"),
				},
			},
			alertSubcommand(topic(false, "Only stories on this, e.g. ceasefire (empty: any story)")),
			&discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        subList,
				Description: "List this server's scheduled briefings and alerts with their next run",
			},
			&discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        subRemove,
				Description: "Stop a scheduled briefing or alert",
				Options: []*discordgo.ApplicationCommandOption{{
					Type:        discordgo.ApplicationCommandOptionInteger,
					Name:        optID,
					Description: "The schedule's number, as /schedule list shows it",
					Required:    true,
					MinValue:    &minID,
				}},
			},
		),
		adminCommand(cmdStatus, "What the bot has stored, its schedules and uptime"),
	}, feedsCommand(), settingsCommand())
}

// maxFilterOption is the longest filter option, as data.Filter allows.
const maxFilterOption = 500

// filterOption is one of /schedule add's optional filter options.
func filterOption(name, desc string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, MaxLength: maxFilterOption,
	}
}

// registerCommands makes the registered commands equal the definitions with
// one bulk overwrite, in the guild when one is configured (instant) or
// globally, and only when they differ: a restart does not churn Discord's
// command cache. It reports whether it wrote.
func (b *Bot) registerCommands(appID string) (bool, error) {
	want := commandDefinitions()
	have, err := call(b.ctx, b.log, "list registered commands", b.backoff, func(opts ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error) {
		return b.s.ApplicationCommands(appID, b.cfg.GuildID, opts...)
	})
	switch {
	case err == nil:
		if sameCommands(have, want) {
			return false, nil
		}
	case b.accessHint(err) != "":
		return false, fmt.Errorf("list registered commands: %w%s", err, b.accessHint(err))
	default:
		// Not knowing what is registered, write: an overwrite is idempotent.
		b.log.Warn("could not list registered commands; overwriting them", "err", shortErr(err))
	}
	_, err = call(b.ctx, b.log, "register commands", b.backoff, func(opts ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error) {
		return b.s.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, want, opts...)
	})
	if err != nil {
		return false, fmt.Errorf("register commands: %w%s", err, b.accessHint(err))
	}
	return true, nil
}

// accessHint explains the usual cause of a 403 on the commands routes.
func (b *Bot) accessHint(err error) string {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode != 403 {
		return ""
	}
	if b.cfg.GuildID != "" {
		return fmt.Sprintf(" (is the bot in server %s, invited with the scopes bot and applications.commands? Check DISCORD_GUILD_ID)", b.cfg.GuildID)
	}
	return " (was the bot invited with the applications.commands scope?)"
}

// canonCommand is the part of a command definition that matters, in a form
// where what Discord fills in by default equals what the bot leaves out.
type canonCommand struct {
	Type        discordgo.ApplicationCommandType
	Name        string
	Description string
	Perms       string
	Contexts    []discordgo.InteractionContextType
	Installs    []discordgo.ApplicationIntegrationType
	NSFW        bool
	Options     []canonOption
}

type canonOption struct {
	Type         discordgo.ApplicationCommandOptionType
	Name         string
	Description  string
	Required     bool
	Autocomplete bool
	ChannelTypes []discordgo.ChannelType
	MinLength    int
	MaxLength    int
	MinValue     string
	MaxValue     float64
	Choices      string
	Options      []canonOption
}

func canonicalCommands(cmds []*discordgo.ApplicationCommand) []canonCommand {
	out := make([]canonCommand, 0, len(cmds))
	for _, c := range cmds {
		cc := canonCommand{Type: c.Type, Name: c.Name, Description: c.Description, Options: canonicalOptions(c.Options)}
		if cc.Type == 0 {
			cc.Type = discordgo.ChatApplicationCommand
		}
		if c.DefaultMemberPermissions != nil {
			cc.Perms = fmt.Sprint(*c.DefaultMemberPermissions)
		}
		if c.Contexts != nil {
			cc.Contexts = append(cc.Contexts, *c.Contexts...)
			sort.Slice(cc.Contexts, func(i, j int) bool { return cc.Contexts[i] < cc.Contexts[j] })
		}
		if c.IntegrationTypes != nil {
			cc.Installs = append(cc.Installs, *c.IntegrationTypes...)
		}
		if len(cc.Installs) == 0 {
			cc.Installs = []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
		}
		if c.NSFW != nil {
			cc.NSFW = *c.NSFW
		}
		out = append(out, cc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func canonicalOptions(opts []*discordgo.ApplicationCommandOption) []canonOption {
	var out []canonOption
	for _, o := range opts {
		co := canonOption{
			Type: o.Type, Name: o.Name, Description: o.Description, Required: o.Required,
			Autocomplete: o.Autocomplete, ChannelTypes: o.ChannelTypes, MaxLength: o.MaxLength,
			MaxValue: o.MaxValue, Options: canonicalOptions(o.Options),
		}
		if len(co.ChannelTypes) == 0 {
			co.ChannelTypes = nil
		}
		if o.MinLength != nil {
			co.MinLength = *o.MinLength
		}
		if o.MinValue != nil {
			co.MinValue = fmt.Sprint(*o.MinValue)
		}
		if len(o.Choices) > 0 {
			js, _ := json.Marshal(o.Choices)
			co.Choices = string(js)
		}
		out = append(out, co)
	}
	return out
}

// sameCommands reports whether the registered commands already match the
// definitions.
func sameCommands(have, want []*discordgo.ApplicationCommand) bool {
	return reflect.DeepEqual(canonicalCommands(have), canonicalCommands(want))
}
