package discordtest

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

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
	m := &Message{ID: s.ids.next(), ChannelID: c.ID, GuildID: c.GuildID, Created: time.Now()}
	m.apply(b)
	s.messages[c.ID] = append(s.messages[c.ID], m)
	return ok(s.wire(m))
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
	if s.channels[id] == nil {
		return fail(http.StatusNotFound, CodeUnknownChannel, "Unknown Channel")
	}
	limit := 50
	if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l >= 1 && l <= 100 {
		limit = l
	}
	out := []any{}
	msgs := s.messages[id]
	for i := len(msgs) - 1; i >= 0 && len(out) < limit; i-- {
		if !msgs[i].Deleted {
			out = append(out, s.wire(msgs[i]))
		}
	}
	return ok(out)
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
	next.Edited = time.Now()
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
