package discordtest

import (
	"encoding/json"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Message flags the fake understands.
const (
	FlagEphemeral = 1 << 6
	FlagLoading   = 1 << 7 // a deferred reply not edited yet ("thinking...")
)

// Message is the fake's record of a message the bot created: a channel post,
// an interaction's original response or a follow-up. Values returned by the
// Server are snapshots: later edits do not change them.
type Message struct {
	ID            string
	ChannelID     string
	GuildID       string
	InteractionID string // set for interaction responses and follow-ups
	Content       string
	Embeds        []*discordgo.MessageEmbed
	Flags         int
	// AllowedMentions is the value the last create or edit carried, nil when
	// absent (which on Discord means: ping everything mentioned).
	AllowedMentions json.RawMessage
	Components      json.RawMessage
	// AuthorID is the author of a message posted with PostUserMessage; ""
	// is the bot.
	AuthorID string
	Created  time.Time
	Edited   time.Time // zero until edited
	// Nonce is the nonce the creating request carried. Like Discord, the
	// fake returns it only in the answer to that request, never when the
	// channel is listed.
	Nonce   string
	Edits   int
	Deleted bool
}

// Ephemeral reports whether only the invoking user sees the message.
func (m *Message) Ephemeral() bool { return m.Flags&FlagEphemeral != 0 }

// Loading reports whether the message is a deferred reply still "thinking".
func (m *Message) Loading() bool { return m.Flags&FlagLoading != 0 }

// Visible reports whether the message shows anything to users.
func (m *Message) Visible() bool {
	return !m.Deleted && (m.Content != "" || len(m.Embeds) > 0 || nonEmptyJSON(m.Components))
}

// Text returns the content and every embed's text in one string, for
// assertions such as "mentions Witkoff".
func (m *Message) Text() string {
	t := m.Content
	for _, e := range m.Embeds {
		t += "\n" + e.Title + "\n" + e.Description
		for _, f := range e.Fields {
			t += "\n" + f.Name + "\n" + f.Value
		}
		if e.Footer != nil {
			t += "\n" + e.Footer.Text
		}
		if e.Author != nil {
			t += "\n" + e.Author.Name
		}
	}
	return t
}

func (m *Message) clone() *Message {
	if m == nil {
		return nil
	}
	c := *m
	c.Embeds = append([]*discordgo.MessageEmbed(nil), m.Embeds...)
	return &c
}

// apply copies the fields a create or edit body sets. Slices are replaced,
// never mutated, so snapshots stay valid.
func (m *Message) apply(b *messageBody) {
	if b.Content != nil {
		m.Content = *b.Content
	}
	if b.Embeds != nil {
		m.Embeds = *b.Embeds
	}
	if b.AllowedMentions != nil {
		m.AllowedMentions = b.AllowedMentions
	}
	if b.Components != nil {
		m.Components = b.Components
	}
	if b.Flags != nil {
		// Only ephemeral and suppress-embeds are settable; loading is Discord's.
		m.Flags = m.Flags&^(FlagEphemeral|1<<2) | *b.Flags&(FlagEphemeral|1<<2)
	}
}

// wire renders the message as Discord's REST API returns it.
func (s *Server) wire(m *Message) map[string]any {
	embeds := m.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	out := map[string]any{
		"id":               m.ID,
		"channel_id":       m.ChannelID,
		"type":             0,
		"content":          m.Content,
		"embeds":           embeds,
		"author":           s.author(m),
		"timestamp":        m.Created.UTC().Format(time.RFC3339Nano),
		"edited_timestamp": nil,
		"tts":              false,
		"mention_everyone": false,
		"mentions":         []any{},
		"mention_roles":    []any{},
		"attachments":      []any{},
		"components":       []any{},
		"pinned":           false,
		"flags":            m.Flags,
	}
	if m.Components != nil {
		out["components"] = m.Components
	}
	if !m.Edited.IsZero() {
		out["edited_timestamp"] = m.Edited.UTC().Format(time.RFC3339Nano)
	}
	if m.GuildID != "" {
		out["guild_id"] = m.GuildID
	}
	if m.InteractionID != "" {
		out["type"] = 20 // CHAT_INPUT_COMMAND reply
		out["webhook_id"] = s.appID
		out["application_id"] = s.appID
	}
	return out
}

// channel is a guild text channel or a DM channel.
type channel struct {
	ID         string
	GuildID    string // "" for a DM
	Name       string
	Type       int // 0 guild text, 1 DM
	overwrites []overwrite
}

func (c *channel) wire() map[string]any {
	out := map[string]any{"id": c.ID, "type": c.Type}
	if c.GuildID != "" {
		out["guild_id"] = c.GuildID
		out["name"] = c.Name
		out["position"] = 0
		ows := []any{}
		for _, o := range c.overwrites {
			ows = append(ows, o.wire())
		}
		out["permission_overwrites"] = ows
		out["nsfw"] = false
		out["parent_id"] = nil
	}
	return out
}

// author is a message's author object: the bot, or the user who posted it
// with PostUserMessage.
func (s *Server) author(m *Message) map[string]any {
	if m.AuthorID == "" {
		return s.botUser()
	}
	return map[string]any{"id": m.AuthorID, "username": "user" + m.AuthorID, "discriminator": "0", "global_name": nil, "avatar": nil}
}

// botUser is the bot's user object.
func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id":            s.botID,
		"username":      "briefbot-test",
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"bot":           true,
		"verified":      true,
		"flags":         0,
	}
}
