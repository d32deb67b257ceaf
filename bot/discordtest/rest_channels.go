package discordtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// Handlers for the gateway, user, application, guild and channel routes.
// They run with s.mu held (see wrap).

func (s *Server) getGateway(*http.Request, []byte) answer {
	return ok(map[string]any{"url": s.GatewayURL()})
}

func (s *Server) getGatewayBot(*http.Request, []byte) answer {
	return ok(map[string]any{
		"url":    s.GatewayURL(),
		"shards": max(s.cfg.recommendedShards, 1),
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) getMe(*http.Request, []byte) answer { return ok(s.botUser()) }

func (s *Server) getApplication(*http.Request, []byte) answer {
	return ok(map[string]any{
		"id":                     s.appID,
		"name":                   "briefbot-test",
		"icon":                   nil,
		"description":            "",
		"bot_public":             true,
		"bot_require_code_grant": false,
		"verify_key":             "0000000000000000000000000000000000000000000000000000000000000000",
		"flags":                  0,
		"bot":                    s.botUser(),
		"owner":                  map[string]any{"id": "1", "username": "owner", "discriminator": "0"},
	})
}

func (s *Server) getGuildChannels(r *http.Request, _ []byte) answer {
	g := r.PathValue("guild")
	if s.guilds[g] == nil {
		return fail(http.StatusNotFound, CodeUnknownGuild, "Unknown Guild")
	}
	out := []any{}
	for _, id := range s.channelIDsLocked() {
		if c := s.channels[id]; c.GuildID == g {
			out = append(out, c.wire())
		}
	}
	return ok(out)
}

func (s *Server) channelIDsLocked() []string {
	ids := make([]string, 0, len(s.channels))
	for id := range s.channels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (s *Server) getChannel(r *http.Request, _ []byte) answer {
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		return fail(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
	}
	if a, ok := s.channelAccessLocked(c, 0); !ok {
		return a
	}
	return ok(c.wire())
}

func (s *Server) postChannelMessage(r *http.Request, body []byte) answer {
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		return fail(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
	}
	if a, ok := s.channelAccessLocked(c, discordgo.PermissionSendMessages); !ok {
		return a
	}
	b, err := parseMessageBody(body, true)
	if err != nil {
		return invalidBody(err)
	}
	now := s.cfg.clock()
	nonce := b.nonce()
	if b.EnforceNonce && nonce != "" && s.cfg.nonceWindow > 0 {
		// Discord: a message by the same author with the same nonce in the
		// past few minutes is returned and no new one is created.
		for _, m := range s.messages[c.ID] {
			if m.Nonce == nonce && m.AuthorID == "" && now.Sub(m.Created) < s.cfg.nonceWindow {
				s.nonceHits++
				return ok(s.wireWithNonce(m))
			}
		}
	}
	m := &Message{ID: s.ids.next(), ChannelID: c.ID, GuildID: c.GuildID, Created: now, Nonce: nonce}
	m.apply(b)
	s.messages[c.ID] = append(s.messages[c.ID], m)
	return ok(s.wireWithNonce(m))
}

// wireWithNonce is the answer to the request that created m: the only
// place Discord shows a message's nonce.
func (s *Server) wireWithNonce(m *Message) map[string]any {
	w := s.wire(m)
	if m.Nonce != "" {
		w["nonce"] = m.Nonce
	}
	return w
}

// NonceHits counts channel posts that enforce_nonce answered with an
// existing message instead of creating one.
func (s *Server) NonceHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nonceHits
}

// PostUserMessage posts a message by another user (not the bot) into a
// channel, as people talking in it would, and returns its ID.
func (s *Server) PostUserMessage(channelID, userID, content string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[channelID]
	m := &Message{ID: s.ids.next(), ChannelID: channelID, Content: content, Created: s.cfg.clock(), AuthorID: userID}
	if c != nil {
		m.GuildID = c.GuildID
	}
	s.messages[channelID] = append(s.messages[channelID], m)
	s.notifyLocked()
	return m.ID
}

func (s *Server) findChannelMessageLocked(channelID, msgID string) *Message {
	for _, m := range s.messages[channelID] {
		if m.ID == msgID && !m.Deleted {
			return m
		}
	}
	return nil
}

func (s *Server) getChannelMessage(r *http.Request, _ []byte) answer {
	if s.channels[r.PathValue("channel")] == nil {
		return fail(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
	}
	m := s.findChannelMessageLocked(r.PathValue("channel"), r.PathValue("msg"))
	if m == nil {
		return fail(http.StatusNotFound, CodeUnknownMessage, "Unknown Message")
	}
	return ok(s.wire(m))
}

func (s *Server) getChannelMessages(r *http.Request, _ []byte) answer {
	id := r.PathValue("channel")
	c := s.channels[id]
	if c == nil {
		return fail(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
	}
	if a, ok := s.channelAccessLocked(c, 0); !ok {
		return a
	}
	// Without Read Message History Discord lists no messages (and says
	// nothing about it).
	if c.GuildID != "" && s.botPermsLocked(id)&discordgo.PermissionReadMessageHistory == 0 {
		return ok([]any{})
	}
	q := r.URL.Query()
	limit := 50
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l >= 1 && l <= 100 {
		limit = l
	}
	// Like Discord: newest first; with after, the limit messages just
	// after that ID; with before, the limit messages just before it.
	var msgs []*Message
	for _, m := range s.messages[id] {
		if !m.Deleted && (q.Get("after") == "" || idLess(q.Get("after"), m.ID)) && (q.Get("before") == "" || idLess(m.ID, q.Get("before"))) {
			msgs = append(msgs, m)
		}
	}
	if q.Get("after") != "" && len(msgs) > limit {
		msgs = msgs[:limit]
	}
	out := []any{}
	for i := len(msgs) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, s.wire(msgs[i]))
	}
	return ok(out)
}

// idLess compares snowflake IDs as numbers.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func (s *Server) patchChannelMessage(r *http.Request, body []byte) answer {
	if s.channels[r.PathValue("channel")] == nil {
		return fail(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
	}
	m := s.findChannelMessageLocked(r.PathValue("channel"), r.PathValue("msg"))
	if m == nil {
		return fail(http.StatusNotFound, CodeUnknownMessage, "Unknown Message")
	}
	return s.editLocked(m, body)
}

// editLocked applies an edit body to a stored message, refusing an edit that
// would leave it empty (Discord's 50006).
func (s *Server) editLocked(m *Message, body []byte) answer {
	b, err := parseMessageBody(body, false)
	if err != nil {
		return invalidBody(err)
	}
	next := m.clone()
	next.apply(b)
	next.Flags &^= FlagLoading
	if !next.Visible() {
		return invalidBody(errEmptyMessage)
	}
	next.Edits++
	next.Edited = s.cfg.clock()
	*m = *next
	return ok(s.wire(m))
}

// ChannelMessages returns snapshots of the messages posted in a channel,
// oldest first, deleted ones included (see Message.Deleted).
func (s *Server) ChannelMessages(channelID string) []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Message
	for _, m := range s.messages[channelID] {
		out = append(out, m.clone())
	}
	return out
}

// WaitChannelMessages waits until a channel holds at least n messages and
// returns them.
func (s *Server) WaitChannelMessages(ctx context.Context, channelID string, n int) ([]*Message, error) {
	err := s.waitFor(ctx, func() bool { return len(s.messages[channelID]) >= n })
	if err != nil {
		return s.ChannelMessages(channelID), fmt.Errorf("wait for %d messages in channel %s: %w", n, channelID, err)
	}
	return s.ChannelMessages(channelID), nil
}
