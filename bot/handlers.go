package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/data"
)

// interactionTimeout is how long a command may work on its answer: the
// interaction token lasts 15 minutes.
const interactionTimeout = 14 * time.Minute

// commandHandler answers one slash command.
type commandHandler func(ctx context.Context, r *responder, opts optionMap) error

// handlers maps command names to their handlers, as in discordgo's
// examples/slash_commands.
func (b *Bot) handlers() map[string]commandHandler {
	return map[string]commandHandler{
		cmdBrief:    b.handleBrief,
		cmdSchedule: b.handleSchedule,
		cmdStatus:   b.handleStatus,
		cmdFeeds:    b.feeds.handle,
		cmdSettings: b.handleSettings,
	}
}

// errorReply is what a member sees when answering failed: what to try
// next. Details go to the log, not to the channel.
func errorReply(command string, err error) string {
	what := "that"
	if command != "" {
		what = "/" + command
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		if command == cmdBrief {
			return "Answering " + what + " took too long. Try a more specific topic, or try again in a minute."
		}
		return "Answering " + what + " took too long. Try again in a minute."
	case data.IsBusy(err):
		return "The bot's database is busy right now. Try " + what + " again in a minute."
	}
	return "Sorry, something went wrong while answering " + what + ". Try again in a minute; if it keeps failing, " +
		"ask a server admin to look at the bot's log (the error is there, with the time)."
}

// onInteraction dispatches an interaction to its handler. Every handler runs
// under recover: a panic is logged and answered with a short error reply
// instead of killing the process.
func (b *Bot) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	b.inflight.Add(1)
	defer b.inflight.Done()
	base := b.work
	if base == nil {
		base = context.Background()
	}
	ctx, cancel := context.WithTimeout(base, interactionTimeout)
	defer cancel()
	r := &responder{b: b, i: ic.Interaction, received: time.Now()}
	var name string
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("command handler panicked", "command", name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			b.answerError(ctx, r, name, nil)
		}
	}()
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := ic.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return
		}
		name = data.Name
		h, ok := b.handlers()[name]
		if !ok {
			b.log.Warn("unknown command", "command", name)
			b.answerError(ctx, r, "", nil)
			return
		}
		if err := h(ctx, r, newOptionMap(data.Options)); err != nil {
			b.log.Error("command failed", "command", name, "err", err)
			b.answerError(ctx, r, name, err)
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := ic.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return
		}
		name = data.Name + " autocomplete"
		if err := b.handleAutocomplete(ctx, r, data); err != nil {
			b.log.Warn("autocomplete failed", "command", data.Name, "err", err)
		}
	}
}

// answerError tells the member that command failed with err, and what to
// try, the best way still open.
func (b *Bot) answerError(ctx context.Context, r *responder, command string, err error) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("error reply panicked", "panic", fmt.Sprint(p))
		}
	}()
	if r.i.Type != discordgo.InteractionApplicationCommand {
		return
	}
	if err := r.text(ctx, errorReply(command, err), true); err != nil {
		b.log.Warn("could not send the error reply", "err", err)
	}
}

// optionMap holds a command's options by name, flattened through one level
// of subcommand.
type optionMap struct {
	sub  string
	opts map[string]*discordgo.ApplicationCommandInteractionDataOption
}

func newOptionMap(opts []*discordgo.ApplicationCommandInteractionDataOption) optionMap {
	m := optionMap{opts: map[string]*discordgo.ApplicationCommandInteractionDataOption{}}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			m.sub = o.Name
			for _, so := range o.Options {
				if so != nil {
					m.opts[so.Name] = so
				}
			}
			continue
		}
		m.opts[o.Name] = o
	}
	return m
}

// str returns a string option's value; discordgo's own getters panic on a
// value of an unexpected type.
func (m optionMap) str(name string) string {
	if o, ok := m.opts[name]; ok {
		if s, ok := o.Value.(string); ok {
			return s
		}
	}
	return ""
}

func (m optionMap) boolean(name string) (value, ok bool) {
	o, found := m.opts[name]
	if !found {
		return false, false
	}
	value, ok = o.Value.(bool)
	return value, ok
}

func (m optionMap) integer(name string) (int64, bool) {
	o, ok := m.opts[name]
	if !ok {
		return 0, false
	}
	switch v := o.Value.(type) {
	case float64:
		return int64(v), v == float64(int64(v))
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// cleanTopic normalizes a user's topic: one line, trimmed, at most maxTopic
// characters (Discord enforces max_length, but nothing stops a client from
// sending more).
func cleanTopic(s string) string {
	s = clean(s)
	if r := []rune(s); len(r) > maxTopic {
		s = strings.TrimSpace(string(r[:maxTopic]))
	}
	return s
}

// canManage reports whether the member invoking i may manage the server,
// which the admin commands require even when a server admin has widened who
// sees them: they post into channels.
func canManage(i *discordgo.Interaction) bool {
	if i.Member == nil {
		return false
	}
	return i.Member.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
}
