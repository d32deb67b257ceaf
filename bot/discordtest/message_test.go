package discordtest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestMessageApply(t *testing.T) {
	str := func(s string) *string { return &s }
	flags := func(f int) *int { return &f }
	embeds := &[]*discordgo.MessageEmbed{{Title: "T"}}
	tests := []struct {
		name  string
		start Message
		body  messageBody
		check func(*Message) bool
	}{
		{"content replaces", Message{Content: "a"}, messageBody{Content: str("b")}, func(m *Message) bool { return m.Content == "b" }},
		{"absent content kept", Message{Content: "a"}, messageBody{Embeds: embeds}, func(m *Message) bool { return m.Content == "a" && len(m.Embeds) == 1 }},
		{"empty embeds clear", Message{Embeds: *embeds}, messageBody{Embeds: &[]*discordgo.MessageEmbed{}}, func(m *Message) bool { return len(m.Embeds) == 0 && !m.Visible() }},
		{"allowed mentions kept when absent", Message{AllowedMentions: json.RawMessage(`{"parse":[]}`)}, messageBody{Content: str("x")}, func(m *Message) bool { return MentionsNone(m.AllowedMentions) }},
		{"ephemeral settable", Message{}, messageBody{Flags: flags(FlagEphemeral)}, func(m *Message) bool { return m.Ephemeral() }},
		{"loading not settable", Message{}, messageBody{Flags: flags(FlagLoading)}, func(m *Message) bool { return !m.Loading() }},
		{"loading survives flag edit", Message{Flags: FlagLoading}, messageBody{Flags: flags(0)}, func(m *Message) bool { return m.Loading() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.start
			m.apply(&tc.body)
			if !tc.check(&m) {
				t.Errorf("after apply: %+v", m)
			}
		})
	}
}

func TestMessageTextAndWire(t *testing.T) {
	srv := newServer(t)
	m := &Message{
		ID: "10", ChannelID: "20", GuildID: "30", InteractionID: "40", Content: "c", Created: time.Now(), Edited: time.Now(),
		Embeds: []*discordgo.MessageEmbed{{
			Title: "title", Description: "desc", Fields: []*discordgo.MessageEmbedField{{Name: "fname", Value: "fval"}},
			Footer: &discordgo.MessageEmbedFooter{Text: "foot"}, Author: &discordgo.MessageEmbedAuthor{Name: "auth"},
		}},
	}
	for _, want := range []string{"c", "title", "desc", "fname", "fval", "foot", "auth"} {
		if !strings.Contains(m.Text(), want) {
			t.Errorf("Text() lacks %q", want)
		}
	}
	b, err := json.Marshal(srv.wire(m))
	if err != nil {
		t.Fatal(err)
	}
	var dm discordgo.Message
	if err := json.Unmarshal(b, &dm); err != nil {
		t.Fatalf("discordgo cannot decode the wire message: %v\n%s", err, b)
	}
	if dm.ID != "10" || dm.GuildID != "30" || dm.WebhookID != srv.AppID() || dm.EditedTimestamp == nil ||
		dm.Type != discordgo.MessageTypeChatInputCommand || len(dm.Embeds) != 1 || dm.Author.ID != srv.BotUserID() {
		t.Errorf("decoded = %+v", dm)
	}
	c := m.clone()
	c.Embeds[0] = nil
	if m.Embeds[0] == nil {
		t.Error("clone shares the embeds slice")
	}
}
