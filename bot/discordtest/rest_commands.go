package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Handlers for application command routes. They run with s.mu held.

// storedCommand is a registered command as Discord returns it.
type storedCommand = discordgo.ApplicationCommand

// commandName is Discord's pattern for command and option names.
var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

// commandScope resolves the route's application and guild: "" for global.
func (s *Server) commandScope(r *http.Request) (string, *answer) {
	if r.PathValue("app") != s.appID {
		a := fail(http.StatusForbidden, CodeMissingAccess, "Missing Access")
		return "", &a
	}
	g := r.PathValue("guild")
	if g != "" && s.guilds[g] == nil {
		a := fail(http.StatusForbidden, CodeMissingAccess, "Missing Access")
		return "", &a
	}
	return g, nil
}

func (s *Server) getCommands(r *http.Request, _ []byte) answer {
	g, bad := s.commandScope(r)
	if bad != nil {
		return *bad
	}
	out := []*storedCommand{}
	out = append(out, s.commands[g]...)
	return ok(out)
}

func (s *Server) getCommand(r *http.Request, _ []byte) answer {
	g, bad := s.commandScope(r)
	if bad != nil {
		return *bad
	}
	for _, c := range s.commands[g] {
		if c.ID == r.PathValue("cmd") {
			return ok(c)
		}
	}
	return fail(http.StatusNotFound, CodeUnknownCommand, "Unknown application command")
}

func (s *Server) deleteCommand(r *http.Request, _ []byte) answer {
	g, bad := s.commandScope(r)
	if bad != nil {
		return *bad
	}
	for i, c := range s.commands[g] {
		if c.ID == r.PathValue("cmd") {
			s.commands[g] = append(s.commands[g][:i:i], s.commands[g][i+1:]...)
			return noContent()
		}
	}
	return fail(http.StatusNotFound, CodeUnknownCommand, "Unknown application command")
}

// putCommands is the bulk overwrite: the list replaces every command in the
// scope; a command keeping its name and type keeps its ID, as on Discord.
func (s *Server) putCommands(r *http.Request, body []byte) answer {
	g, bad := s.commandScope(r)
	if bad != nil {
		return *bad
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &cmds); err != nil {
		return invalidBody(err)
	}
	if err := CheckCommands(cmds); err != nil {
		return invalidBody(err)
	}
	stored := make([]*storedCommand, 0, len(cmds))
	for _, c := range cmds {
		stored = append(stored, s.normalizeCommandLocked(g, c))
	}
	s.commands[g] = stored
	return ok(stored)
}

// postCommand creates one command, or overwrites the one with its name.
func (s *Server) postCommand(r *http.Request, body []byte) answer {
	g, bad := s.commandScope(r)
	if bad != nil {
		return *bad
	}
	var c discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &c); err != nil {
		return invalidBody(err)
	}
	if err := CheckCommands([]*discordgo.ApplicationCommand{&c}); err != nil {
		return invalidBody(err)
	}
	sc := s.normalizeCommandLocked(g, &c)
	for i, old := range s.commands[g] {
		if old.ID == sc.ID {
			s.commands[g][i] = sc
			return ok(sc)
		}
	}
	s.commands[g] = append(s.commands[g], sc)
	return answer{status: http.StatusCreated, body: sc}
}

// normalizeCommandLocked fills what Discord fills: IDs, version and defaults.
func (s *Server) normalizeCommandLocked(guildID string, in *discordgo.ApplicationCommand) *storedCommand {
	c := *in
	if c.Type == 0 {
		c.Type = discordgo.ChatApplicationCommand
	}
	c.ID = ""
	if old := s.findCommandLocked(guildID, c.Name, c.Type); old != nil && old.GuildID == guildID {
		c.ID = old.ID
	}
	if c.ID == "" {
		c.ID = s.ids.next()
	}
	c.ApplicationID = s.appID
	c.GuildID = guildID
	c.Version = s.ids.next()
	t := true
	if c.DefaultPermission == nil {
		c.DefaultPermission = &t
	}
	if guildID == "" && c.DMPermission == nil {
		c.DMPermission = &t
	}
	if c.NSFW == nil {
		f := false
		c.NSFW = &f
	}
	if c.IntegrationTypes == nil {
		it := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
		c.IntegrationTypes = &it
	}
	return &c
}

// findCommandLocked finds a command usable in guildID ("" for DMs): the
// guild's own first, then global ones.
func (s *Server) findCommandLocked(guildID, name string, t discordgo.ApplicationCommandType) *storedCommand {
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, g := range scopes {
		for _, c := range s.commands[g] {
			if c.Name == name && c.Type == t {
				return c
			}
		}
	}
	return nil
}

// Commands returns the commands registered in a guild, or the global ones
// for guildID "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*discordgo.ApplicationCommand, 0, len(s.commands[guildID]))
	for _, c := range s.commands[guildID] {
		cp := *c
		out = append(out, &cp)
	}
	return out
}

// CheckCommands validates command definitions as Discord's bulk overwrite
// does: at most 100 chat commands, unique names, name and description
// lengths, lowercase names, and each option's rules.
func CheckCommands(cmds []*discordgo.ApplicationCommand) error {
	var v validator
	seen := map[string]bool{}
	chat := 0
	for i, c := range cmds {
		p := strconv.Itoa(i)
		if c == nil {
			v.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		t := c.Type
		if t == 0 {
			t = discordgo.ChatApplicationCommand
		}
		key := fmt.Sprint(t, c.Name)
		if seen[key] {
			v.add(p+".name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		seen[key] = true
		if t == discordgo.ChatApplicationCommand {
			chat++
			checkName(&v, p+".name", c.Name)
			checkDescription(&v, p+".description", c.Description)
			checkOptions(&v, p+".options", c.Options, 0)
		} else {
			if c.Name == "" || utf8.RuneCountInString(c.Name) > 32 {
				v.add(p+".name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
			}
			if c.Description != "" {
				v.add(p+".description", "APPLICATION_COMMAND_DESCRIPTION_INVALID", "Context menu commands cannot have description")
			}
		}
	}
	if chat > 100 {
		v.add("", "APPLICATION_COMMANDS_TOO_MANY", "Maximum number of application commands reached (100)")
	}
	return v.err()
}

func checkName(v *validator, path, name string) {
	if !commandName.MatchString(name) {
		v.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
		return
	}
	if strings.ToLower(name) != name {
		v.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid: must be lowercase")
	}
}

func checkDescription(v *validator, path, d string) {
	if n := utf8.RuneCountInString(d); n < 1 || n > 100 {
		v.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
	}
}

// checkOptions validates an option list; depth counts subcommand nesting.
func checkOptions(v *validator, path string, opts []*discordgo.ApplicationCommandOption, depth int) {
	if len(opts) > 25 {
		v.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	names := map[string]bool{}
	optionalSeen := false
	for i, o := range opts {
		p := path + "." + strconv.Itoa(i)
		if o == nil {
			v.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		checkName(v, p+".name", o.Name)
		checkDescription(v, p+".description", o.Description)
		if names[o.Name] {
			v.add(p+".name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		names[o.Name] = true
		if o.Type < discordgo.ApplicationCommandOptionSubCommand || o.Type > discordgo.ApplicationCommandOptionAttachment {
			v.add(p+".type", "BASE_TYPE_CHOICES", "Value must be one of valid option types.")
		}
		sub := o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup
		if sub {
			if depth >= 2 || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup && depth >= 1 {
				v.add(p+".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands nested too deeply")
			}
			checkOptions(v, p+".options", o.Options, depth+1)
			continue
		}
		if o.Required && optionalSeen {
			v.add(p+".required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		}
		optionalSeen = optionalSeen || !o.Required
		if o.Autocomplete && len(o.Choices) > 0 {
			v.add(p+".autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID", "Autocomplete cannot be set with choices")
		}
		if len(o.Choices) > MaxChoices {
			v.add(p+".choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
		}
		for j, c := range o.Choices {
			cp := p + ".choices." + strconv.Itoa(j)
			if n := utf8.RuneCountInString(c.Name); n < 1 || n > MaxChoiceName {
				v.add(cp+".name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
			}
			if sv, isStr := c.Value.(string); isStr {
				v.maxLen(cp+".value", sv, MaxChoiceValue)
			}
		}
		if o.MaxLength > 6000 || o.MinLength != nil && (*o.MinLength < 0 || *o.MinLength > 6000) {
			v.add(p+".max_length", "NUMBER_TYPE_MAX", "int value should be less than or equal to 6000.")
		}
	}
}
