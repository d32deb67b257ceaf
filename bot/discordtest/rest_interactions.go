package discordtest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Handlers for interaction callbacks and the interaction webhook routes.
// They run with s.mu held (see wrap).

// allowedCallbacks lists the callback types each interaction type accepts.
var allowedCallbacks = map[discordgo.InteractionType][]discordgo.InteractionResponseType{
	discordgo.InteractionApplicationCommand: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseModal,
	},
	discordgo.InteractionApplicationCommandAutocomplete: {
		discordgo.InteractionApplicationCommandAutocompleteResult,
	},
	discordgo.InteractionMessageComponent: {
		discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseDeferredMessageUpdate,
		discordgo.InteractionResponseUpdateMessage,
		discordgo.InteractionResponseModal,
	},
}

func unknownInteraction() answer {
	return fail(http.StatusNotFound, CodeUnknownInteraction, "Unknown interaction")
}

func (s *Server) postCallback(r *http.Request, body []byte) answer {
	st := s.interactions[r.PathValue("id")]
	if st == nil || st.token != r.PathValue("token") || st.dispatched.IsZero() {
		return unknownInteraction()
	}
	if st.acked != 0 {
		return fail(http.StatusBadRequest, CodeAlreadyAcknowledged, "Interaction has already been acknowledged.")
	}
	if time.Since(st.dispatched) > s.cfg.deadline {
		return unknownInteraction()
	}
	var cb struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(body, &cb); err != nil {
		return invalidBody(err)
	}
	allowed := false
	for _, t := range allowedCallbacks[st.typ] {
		allowed = allowed || t == cb.Type
	}
	if !allowed {
		return invalidBody(&ValidationError{Fields: []FieldError{{
			Path: "type", Code: "INTERACTION_CALLBACK_TYPE_INVALID",
			Message: "Interaction callback type is not valid for this interaction type.",
		}}})
	}
	rec := Callback{Type: cb.Type, Data: cb.Data, Time: time.Now()}
	switch cb.Type {
	case discordgo.InteractionResponseChannelMessageWithSource:
		b, err := parseMessageBody(cb.Data, true)
		if err != nil {
			return invalidBody(prefixed(err, "data"))
		}
		m := s.newInteractionMessageLocked(st)
		m.apply(b)
		st.original = m
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		var d struct {
			Flags int `json:"flags"`
		}
		_ = json.Unmarshal(cb.Data, &d)
		m := s.newInteractionMessageLocked(st)
		m.Flags = d.Flags&FlagEphemeral | FlagLoading
		st.original = m
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		choices, err := checkChoices(cb.Data)
		if err != nil {
			return invalidBody(err)
		}
		rec.Choices = choices
	case discordgo.InteractionResponseUpdateMessage:
		if _, err := parseMessageBody(cb.Data, false); err != nil {
			return invalidBody(prefixed(err, "data"))
		}
	}
	st.acked = cb.Type
	st.callbacks = append(st.callbacks, rec)
	return noContent()
}

// prefixed moves a validation error's paths under prefix ("data.content").
func prefixed(err error, prefix string) error {
	ve, isVE := err.(*ValidationError)
	if !isVE {
		return err
	}
	out := &ValidationError{}
	for _, f := range ve.Fields {
		f.Path = prefix + "." + f.Path
		out.Fields = append(out.Fields, f)
	}
	return out
}

func (s *Server) newInteractionMessageLocked(st *interactionState) *Message {
	return &Message{
		ID: s.ids.next(), ChannelID: st.channelID, GuildID: st.guildID,
		InteractionID: st.id, Created: time.Now(),
	}
}

// webhookInteraction resolves an interaction webhook route, answering like
// Discord for a wrong application, an unknown token or an expired one.
func (s *Server) webhookInteraction(r *http.Request) (*interactionState, *answer) {
	st := s.byToken[r.PathValue("token")]
	if st == nil || r.PathValue("app") != s.appID {
		a := fail(http.StatusNotFound, CodeUnknownWebhook, "Unknown Webhook")
		return nil, &a
	}
	if st.dispatched.IsZero() || time.Since(st.dispatched) > s.cfg.tokenLifetime {
		a := fail(http.StatusUnauthorized, CodeInvalidWebhookToken, "Invalid Webhook Token")
		return nil, &a
	}
	return st, nil
}

// webhookMessageLocked finds "@original" or a follow-up by ID.
func webhookMessageLocked(st *interactionState, id string) *Message {
	if id == "@original" || st.original != nil && id == st.original.ID {
		if st.original == nil || st.original.Deleted {
			return nil
		}
		return st.original
	}
	for _, m := range st.followups {
		if m.ID == id && !m.Deleted {
			return m
		}
	}
	return nil
}

func unknownMessage() answer {
	return fail(http.StatusNotFound, CodeUnknownMessage, "Unknown Message")
}

func (s *Server) postFollowup(r *http.Request, body []byte) answer {
	st, bad := s.webhookInteraction(r)
	if bad != nil {
		return *bad
	}
	if st.acked == 0 {
		// Discord creates the webhook only when the interaction is acknowledged.
		return fail(http.StatusNotFound, CodeUnknownWebhook, "Unknown Webhook")
	}
	b, err := parseMessageBody(body, true)
	if err != nil {
		return invalidBody(err)
	}
	m := s.newInteractionMessageLocked(st)
	m.apply(b)
	st.followups = append(st.followups, m)
	if r.URL.Query().Get("wait") != "true" {
		return noContent()
	}
	return ok(s.wire(m))
}

// webhookMessage finds the interaction message a webhook route names, or
// the error answer Discord would give.
func (s *Server) webhookMessage(r *http.Request) (*Message, *answer) {
	st, bad := s.webhookInteraction(r)
	if bad != nil {
		return nil, bad
	}
	m := webhookMessageLocked(st, r.PathValue("msg"))
	if m == nil {
		a := unknownMessage()
		return nil, &a
	}
	return m, nil
}

func (s *Server) getWebhookMessage(r *http.Request, _ []byte) answer {
	m, bad := s.webhookMessage(r)
	if bad != nil {
		return *bad
	}
	return ok(s.wire(m))
}

func (s *Server) patchWebhookMessage(r *http.Request, body []byte) answer {
	m, bad := s.webhookMessage(r)
	if bad != nil {
		return *bad
	}
	return s.editLocked(m, body)
}

func (s *Server) deleteWebhookMessage(r *http.Request, _ []byte) answer {
	m, bad := s.webhookMessage(r)
	if bad != nil {
		return *bad
	}
	m.Deleted = true
	return noContent()
}
