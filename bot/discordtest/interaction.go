package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Default permission sets for interactions.
const (
	// MemberPermissions is an ordinary member's: no Manage Server.
	MemberPermissions int64 = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
		discordgo.PermissionEmbedLinks | discordgo.PermissionAttachFiles | discordgo.PermissionReadMessageHistory |
		discordgo.PermissionAddReactions | discordgo.PermissionUseExternalEmojis | discordgo.PermissionUseApplicationCommands
	// AdminPermissions is a member with Manage Server (what admin commands need).
	AdminPermissions = MemberPermissions | discordgo.PermissionManageGuild
	// BotPermissions is what the bot may do in the channel (app_permissions):
	// the invite's Send Messages and Embed Links, and the basics.
	BotPermissions int64 = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
		discordgo.PermissionEmbedLinks | discordgo.PermissionReadMessageHistory | discordgo.PermissionUseExternalEmojis
)

// Errors Interact returns when Discord itself would not dispatch the interaction.
var (
	ErrUnknownCommand = errors.New("discordtest: command not registered")
	ErrNotPermitted   = errors.New("discordtest: command not available to this user here")
)

// Interaction describes an interaction to dispatch; zero fields take the
// defaults documented on each.
type Interaction struct {
	// Type is the interaction type; 0 means discordgo.InteractionApplicationCommand.
	// Use discordgo.InteractionApplicationCommandAutocomplete with one FocusedOpt.
	Type discordgo.InteractionType
	// Name is the command's name, e.g. "brief".
	Name string
	// CommandType is the command's type; 0 means chat input (slash command).
	CommandType discordgo.ApplicationCommandType
	// Options are the command's options; build them with Opt, FocusedOpt, SubOpt.
	Options []*discordgo.ApplicationCommandInteractionDataOption
	// CustomID is the component's custom_id for discordgo.InteractionMessageComponent.
	CustomID string
	// DM sends the interaction from the user's DM with the bot: no guild, no member.
	DM bool
	// GuildID is the server it comes from; "" means the first (GuildID()).
	GuildID string
	// ChannelID defaults to the server's first channel (or the user's DM channel).
	ChannelID string
	// UserID and Username identify the invoking user; defaults are fixed.
	UserID, Username string
	// Permissions are the member's; 0 means MemberPermissions. Ignored in DMs.
	Permissions int64
	// AppPermissions are the bot's in the channel; 0 means BotPermissions.
	AppPermissions int64
	// Locale is the user's locale; "" means "en-US".
	Locale string
	// SkipChecks dispatches even if the command is not registered or is
	// closed to this member or to DMs, to test a bot's own checks.
	SkipChecks bool
}

// Opt builds a command option; its type follows value's Go type: string
// (3), int/int64 (4), bool (5), float64 (10).
func Opt(name string, value any) *discordgo.ApplicationCommandInteractionDataOption {
	t := discordgo.ApplicationCommandOptionString
	switch v := value.(type) {
	case int:
		t, value = discordgo.ApplicationCommandOptionInteger, float64(v)
	case int64:
		t, value = discordgo.ApplicationCommandOptionInteger, float64(v)
	case bool:
		t = discordgo.ApplicationCommandOptionBoolean
	case float64:
		t = discordgo.ApplicationCommandOptionNumber
	}
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: t, Value: value}
}

// TypedOpt builds an option of an explicit type, such as a channel (7) whose
// value is a channel ID string.
func TypedOpt(name string, t discordgo.ApplicationCommandOptionType, value any) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: t, Value: value}
}

// FocusedOpt builds the string option an autocomplete interaction is about,
// holding what the user has typed so far.
func FocusedOpt(name, typed string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: typed, Focused: true}
}

// SubOpt builds a subcommand option ("/schedule add ...") holding options.
func SubOpt(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

// Callback is an accepted interaction callback.
type Callback struct {
	Type    discordgo.InteractionResponseType
	Data    json.RawMessage
	Choices []Choice // autocomplete results (type 8)
	Time    time.Time
}

// Choice is one autocomplete choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// interactionState is the fake's record of one interaction; guarded by s.mu.
type interactionState struct {
	id, token  string
	typ        discordgo.InteractionType
	name       string
	channelID  string
	guildID    string
	payload    []byte
	dispatched time.Time // zero until written to a connection
	acked      discordgo.InteractionResponseType
	callbacks  []Callback
	original   *Message
	followups  []*Message
}

// Interact dispatches an interaction as INTERACTION_CREATE in the current
// gateway session (waiting for one if the bot has not identified yet) and
// returns the Exchange through which the test waits for the bot's answers.
// If the client is disconnected, the event is delivered when it resumes; the
// 3-second reply deadline runs from delivery.
func (s *Server) Interact(ctx context.Context, in Interaction) (*Exchange, error) {
	target := in.GuildID
	switch {
	case in.DM:
		target = ""
	case target == "":
		target = s.guildID
	}
	ss, err := s.waitSessionFor(ctx, target)
	if err != nil {
		return nil, err
	}
	st, payload, err := s.newInteraction(in)
	if err != nil {
		return nil, err
	}
	ss.dispatch("INTERACTION_CREATE", json.RawMessage(payload), func(sent bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case sent && st.dispatched.IsZero():
			st.dispatched = time.Now()
		case !sent && st.acked == 0:
			st.dispatched = time.Time{} // not delivered after all: the clock starts on replay
		}
		s.notifyLocked()
	})
	return &Exchange{s: s, st: st}, nil
}

// newInteraction checks the interaction against the registered commands and
// builds its payload.
func (s *Server) newInteraction(in Interaction) (*interactionState, []byte, error) {
	if in.Type == 0 {
		in.Type = discordgo.InteractionApplicationCommand
	}
	if in.CommandType == 0 {
		in.CommandType = discordgo.ChatApplicationCommand
	}
	if in.UserID == "" {
		in.UserID = "500000000000000001"
	}
	if in.Username == "" {
		in.Username = "tester"
	}
	if in.Permissions == 0 {
		in.Permissions = MemberPermissions
	}
	if in.AppPermissions == 0 {
		in.AppPermissions = BotPermissions
	}
	if in.Locale == "" {
		in.Locale = "en-US"
	}
	user := map[string]any{"id": in.UserID, "username": in.Username, "discriminator": "0", "global_name": in.Username, "avatar": nil}

	s.mu.Lock()
	defer s.mu.Unlock()
	guildID := s.guildID
	if in.GuildID != "" {
		guildID = in.GuildID
	}
	if in.DM {
		guildID = ""
		if in.ChannelID == "" {
			in.ChannelID = s.dmChannelLocked(in.UserID)
		}
	} else if in.ChannelID == "" {
		in.ChannelID = s.firstChannelLocked(guildID)
	}
	var cmdID string
	if in.Type == discordgo.InteractionApplicationCommand || in.Type == discordgo.InteractionApplicationCommandAutocomplete {
		cmd := s.findCommandLocked(guildID, in.Name, in.CommandType)
		if cmd != nil {
			cmdID = cmd.ID
		} else {
			cmdID = s.ids.next()
		}
		if !in.SkipChecks {
			if err := s.checkInvocableLocked(cmd, in); err != nil {
				return nil, nil, err
			}
		}
	}

	st := &interactionState{
		id: s.ids.next(), token: newInteractionToken(), typ: in.Type, name: in.Name,
		channelID: in.ChannelID, guildID: guildID,
	}
	p := map[string]any{
		"id":              st.id,
		"application_id":  s.appID,
		"type":            in.Type,
		"token":           st.token,
		"version":         1,
		"channel_id":      in.ChannelID,
		"locale":          in.Locale,
		"app_permissions": fmt.Sprint(in.AppPermissions), // a string: discordgo drops the
		// whole interaction when this is a number
		"entitlements": []any{},
	}
	switch in.Type {
	case discordgo.InteractionMessageComponent:
		p["data"] = map[string]any{"custom_id": in.CustomID, "component_type": 2}
	default:
		data := map[string]any{"id": cmdID, "name": in.Name, "type": in.CommandType}
		if len(in.Options) > 0 {
			data["options"] = in.Options
			if chans := s.resolvedChannelsLocked(in.Options); len(chans) > 0 {
				data["resolved"] = map[string]any{"channels": chans}
			}
		}
		if guildID != "" {
			data["guild_id"] = guildID
		}
		p["data"] = data
	}
	if in.DM {
		p["user"] = user
		p["context"] = discordgo.InteractionContextBotDM
		p["channel"] = map[string]any{"id": in.ChannelID, "type": 1}
		p["authorizing_integration_owners"] = map[string]any{"0": "0"}
	} else {
		p["guild_id"] = guildID
		p["guild_locale"] = "en-US"
		p["context"] = discordgo.InteractionContextGuild
		p["channel"] = map[string]any{"id": in.ChannelID, "type": 0, "guild_id": guildID}
		p["authorizing_integration_owners"] = map[string]any{"0": guildID}
		p["member"] = map[string]any{
			"user":        user,
			"roles":       []any{},
			"joined_at":   "2024-01-01T00:00:00.000000+00:00",
			"deaf":        false,
			"mute":        false,
			"flags":       0,
			"pending":     false,
			"nick":        nil,
			"avatar":      nil,
			"permissions": fmt.Sprint(in.Permissions), // a string, as app_permissions
		}
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return nil, nil, fmt.Errorf("encode interaction: %w", err)
	}
	st.payload = payload
	s.interactions[st.id] = st
	s.byToken[st.token] = st
	return st, payload, nil
}

// checkInvocableLocked applies what Discord's client and API enforce before
// an interaction reaches a bot: the command exists where it is used,
// default_member_permissions, and DM availability.
func (s *Server) checkInvocableLocked(cmd *discordgo.ApplicationCommand, in Interaction) error {
	if cmd == nil {
		return fmt.Errorf("%w: %q (register it, or set SkipChecks)", ErrUnknownCommand, in.Name)
	}
	if in.DM {
		if cmd.GuildID != "" {
			return fmt.Errorf("%w: %q is a guild command, not usable in DMs", ErrNotPermitted, in.Name)
		}
		if cmd.DMPermission != nil && !*cmd.DMPermission {
			return fmt.Errorf("%w: %q has dm_permission false", ErrNotPermitted, in.Name)
		}
		if cmd.Contexts != nil && !slices.Contains(*cmd.Contexts, discordgo.InteractionContextBotDM) {
			return fmt.Errorf("%w: %q contexts exclude bot DMs", ErrNotPermitted, in.Name)
		}
		return nil
	}
	if cmd.Contexts != nil && !slices.Contains(*cmd.Contexts, discordgo.InteractionContextGuild) {
		return fmt.Errorf("%w: %q contexts exclude guilds", ErrNotPermitted, in.Name)
	}
	if cmd.DefaultMemberPermissions != nil && in.Permissions&discordgo.PermissionAdministrator == 0 {
		need := *cmd.DefaultMemberPermissions
		if need == 0 || in.Permissions&need != need {
			return fmt.Errorf("%w: %q needs permissions %d, member has %d", ErrNotPermitted, in.Name, need, in.Permissions)
		}
	}
	return nil
}

// resolvedChannelsLocked builds data.resolved.channels for channel options,
// as Discord sends it with every channel option it dispatches.
func (s *Server) resolvedChannelsLocked(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]any {
	out := map[string]any{}
	var walk func([]*discordgo.ApplicationCommandInteractionDataOption)
	walk = func(opts []*discordgo.ApplicationCommandInteractionDataOption) {
		for _, o := range opts {
			if o == nil {
				continue
			}
			if id, isStr := o.Value.(string); isStr && o.Type == discordgo.ApplicationCommandOptionChannel {
				if c := s.channels[id]; c != nil {
					w := c.wire()
					w["permissions"] = fmt.Sprint(BotPermissions)
					out[id] = w
				}
			}
			walk(o.Options)
		}
	}
	walk(opts)
	return out
}

// firstChannelLocked returns a guild's oldest text channel.
func (s *Server) firstChannelLocked(guildID string) string {
	if guildID == s.guildID {
		return s.channelID
	}
	first := ""
	for _, id := range s.channelIDsLocked() {
		if c := s.channels[id]; c.GuildID == guildID && (first == "" || len(id) < len(first)) {
			first = id
		}
	}
	return first
}

// dmChannelLocked returns (creating it) the DM channel between the bot and a user.
func (s *Server) dmChannelLocked(userID string) string {
	for _, c := range s.channels {
		if c.Type == 1 && c.Name == userID {
			return c.ID
		}
	}
	id := s.ids.next()
	s.channels[id] = &channel{ID: id, Type: 1, Name: userID}
	return id
}

func newInteractionToken() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return "aW50ZXJhY3Rpb246" + base64.RawURLEncoding.EncodeToString(b)
}

// Exchange follows one dispatched interaction: its callback, original
// response, and follow-ups.
type Exchange struct {
	s  *Server
	st *interactionState
}

// ID returns the interaction's ID.
func (e *Exchange) ID() string { return e.st.id }

// Token returns the interaction's token.
func (e *Exchange) Token() string { return e.st.token }

// Payload returns the INTERACTION_CREATE data as sent.
func (e *Exchange) Payload() json.RawMessage { return e.st.payload }

// Dispatched returns when the event reached the client (zero if not yet).
func (e *Exchange) Dispatched() time.Time {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return e.st.dispatched
}

// Callbacks returns the accepted callbacks (at most one, as on Discord).
func (e *Exchange) Callbacks() []Callback {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return append([]Callback(nil), e.st.callbacks...)
}

// Callback waits for the interaction's accepted callback.
func (e *Exchange) Callback(ctx context.Context) (Callback, error) {
	var cb Callback
	err := e.s.waitFor(ctx, func() bool {
		if len(e.st.callbacks) == 0 {
			return false
		}
		cb = e.st.callbacks[0]
		return true
	})
	if err != nil {
		return Callback{}, fmt.Errorf("wait for callback to interaction %s (%s)%s: %w", e.st.id, e.st.name, e.failures(), err)
	}
	return cb, nil
}

// Choices waits for an autocomplete callback and returns its choices.
func (e *Exchange) Choices(ctx context.Context) ([]Choice, error) {
	cb, err := e.Callback(ctx)
	if err != nil {
		return nil, err
	}
	if cb.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		return nil, fmt.Errorf("callback type %d is not an autocomplete result", cb.Type)
	}
	return cb.Choices, nil
}

// Original returns a snapshot of the original response (nil if none yet).
func (e *Exchange) Original() *Message {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	return e.st.original.clone()
}

// Response waits until the original response shows something: at once for
// a reply (type 4), after the first edit for a deferred one (type 5).
func (e *Exchange) Response(ctx context.Context) (*Message, error) {
	return e.WaitOriginal(ctx, func(m *Message) bool { return !m.Loading() && m.Visible() })
}

// WaitOriginal waits until the original response satisfies cond.
func (e *Exchange) WaitOriginal(ctx context.Context, cond func(*Message) bool) (*Message, error) {
	var m *Message
	err := e.s.waitFor(ctx, func() bool {
		if e.st.original == nil {
			return false
		}
		m = e.st.original.clone()
		return cond(m)
	})
	if err != nil {
		return m, fmt.Errorf("wait for response to interaction %s (%s)%s: %w", e.st.id, e.st.name, e.failures(), err)
	}
	return m, nil
}

// Followups returns snapshots of the follow-up messages.
func (e *Exchange) Followups() []*Message {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	out := make([]*Message, len(e.st.followups))
	for i, m := range e.st.followups {
		out[i] = m.clone()
	}
	return out
}

// WaitFollowups waits for at least n follow-ups.
func (e *Exchange) WaitFollowups(ctx context.Context, n int) ([]*Message, error) {
	err := e.s.waitFor(ctx, func() bool { return len(e.st.followups) >= n })
	if err != nil {
		return e.Followups(), fmt.Errorf("wait for %d follow-ups to interaction %s%s: %w", n, e.st.id, e.failures(), err)
	}
	return e.Followups(), nil
}

// Requests returns the REST requests addressed to this interaction (its
// callback and webhook routes).
func (e *Exchange) Requests() []Request {
	return e.s.filter(e.owns)
}

func (e *Exchange) owns(r Request) bool {
	return strings.Contains(r.Path, "/"+e.st.token)
}

// failures summarises this interaction's rejected requests for error
// messages; s.mu must not be held.
func (e *Exchange) failures() string {
	var parts []string
	for _, r := range e.s.Requests() {
		if e.owns(r) && r.Status >= 400 {
			parts = append(parts, r.String())
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " [rejected: " + strings.Join(parts, "; ") + "]"
}
