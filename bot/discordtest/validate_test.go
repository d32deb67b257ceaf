package discordtest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func rep(n int) string { return strings.Repeat("a", n) }

func TestCheckEmbeds(t *testing.T) {
	field := func(name, value string) *discordgo.MessageEmbedField {
		return &discordgo.MessageEmbedField{Name: name, Value: value}
	}
	fields := func(n int) []*discordgo.MessageEmbedField {
		out := make([]*discordgo.MessageEmbedField, n)
		for i := range out {
			out[i] = field("n", "v")
		}
		return out
	}
	many := func(n int) []*discordgo.MessageEmbed {
		out := make([]*discordgo.MessageEmbed, n)
		for i := range out {
			out[i] = &discordgo.MessageEmbed{Title: "t"}
		}
		return out
	}
	tests := []struct {
		name     string
		embeds   []*discordgo.MessageEmbed
		wantPath string // "" means valid
	}{
		{"empty", nil, ""},
		{"title at limit", []*discordgo.MessageEmbed{{Title: rep(256)}}, ""},
		{"title over", []*discordgo.MessageEmbed{{Title: rep(257)}}, "embeds.0.title"},
		{"title in runes", []*discordgo.MessageEmbed{{Title: strings.Repeat("é", 256)}}, ""},
		{"description at limit", []*discordgo.MessageEmbed{{Description: rep(4096)}}, ""},
		{"description over", []*discordgo.MessageEmbed{{Description: rep(4097)}}, "embeds.0.description"},
		{"25 fields", []*discordgo.MessageEmbed{{Fields: fields(25)}}, ""},
		{"26 fields", []*discordgo.MessageEmbed{{Fields: fields(26)}}, "embeds.0.fields"},
		{"field name over", []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{field(rep(257), "v")}}}, "embeds.0.fields.0.name"},
		{"field value at limit", []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{field("n", rep(1024))}}}, ""},
		{"field value over", []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{field("n", rep(1025))}}}, "embeds.0.fields.0.value"},
		{"field value empty", []*discordgo.MessageEmbed{{Fields: []*discordgo.MessageEmbedField{field("n", " ")}}}, "embeds.0.fields.0.value"},
		{"footer over", []*discordgo.MessageEmbed{{Footer: &discordgo.MessageEmbedFooter{Text: rep(2049)}}}, "embeds.0.footer.text"},
		{"author over", []*discordgo.MessageEmbed{{Author: &discordgo.MessageEmbedAuthor{Name: rep(257)}}}, "embeds.0.author.name"},
		{"10 embeds", many(10), ""},
		{"11 embeds", many(11), "embeds"},
		{"6000 in all", []*discordgo.MessageEmbed{{Description: rep(4000)}, {Description: rep(2000)}}, ""},
		{"6001 in all", []*discordgo.MessageEmbed{{Description: rep(4000)}, {Description: rep(2000), Title: "x"}}, "embeds"},
		{"http url", []*discordgo.MessageEmbed{{URL: "https://example.com/a"}}, ""},
		{"relative url", []*discordgo.MessageEmbed{{URL: "/a"}}, "embeds.0.url"},
		{"javascript url", []*discordgo.MessageEmbed{{URL: "javascript:alert(1)"}}, "embeds.0.url"},
		{"bad timestamp", []*discordgo.MessageEmbed{{Timestamp: "yesterday"}}, "embeds.0.timestamp"},
		{"good timestamp", []*discordgo.MessageEmbed{{Timestamp: "2026-11-21T08:00:00Z"}}, ""},
		{"color too big", []*discordgo.MessageEmbed{{Color: 0x1000000}}, "embeds.0.color"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckEmbeds(tc.embeds)
			if tc.wantPath == "" {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a ValidationError at %s", err, tc.wantPath)
			}
			found := false
			for _, f := range ve.Fields {
				found = found || f.Path == tc.wantPath
			}
			if !found {
				t.Errorf("errors %v do not include %s", ve.Fields, tc.wantPath)
			}
		})
	}
}

func TestCheckMessage(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		create bool
		want   string // "" valid; "form", "empty", "json"
	}{
		{"content at limit", `{"content":"` + rep(2000) + `"}`, true, ""},
		{"content over", `{"content":"` + rep(2001) + `"}`, true, "form"},
		{"content emoji at limit", `{"content":"` + strings.Repeat("😀", 2000) + `"}`, true, ""},
		{"empty create", `{"content":""}`, true, "empty"},
		{"empty edit is fine here", `{}`, false, ""},
		{"embeds only", `{"embeds":[{"title":"t"}]}`, true, ""},
		{"not json", `{"content":`, true, "json"},
		{"wrong type", `{"content":5}`, true, "json"},
		{"parse and users", `{"content":"x","allowed_mentions":{"parse":["users"],"users":["1"]}}`, true, "form"},
		{"bad parse value", `{"content":"x","allowed_mentions":{"parse":["all"]}}`, true, "form"},
		{"parse none", `{"content":"x","allowed_mentions":{"parse":[]}}`, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMessage([]byte(tc.body), tc.create)
			var ve *ValidationError
			got := ""
			switch {
			case err == nil:
			case errors.As(err, &ve):
				got = "form"
			case errors.Is(err, errEmptyMessage):
				got = "empty"
			default:
				got = "json"
			}
			if got != tc.want {
				t.Errorf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

func TestMentionsNone(t *testing.T) {
	tests := []struct {
		raw  string
		want bool
	}{
		{``, false},
		{`null`, false},
		{`{}`, false},
		{`{"parse":[]}`, true},
		{`{"parse":[],"users":[],"roles":[]}`, true},
		{`{"parse":[],"replied_user":false}`, true},
		{`{"parse":[],"replied_user":true}`, false},
		{`{"parse":["everyone"]}`, false},
		{`{"parse":[],"users":["1"]}`, false},
		{`{"parse":null}`, false},
	}
	for _, tc := range tests {
		if got := MentionsNone(json.RawMessage(tc.raw)); got != tc.want {
			t.Errorf("MentionsNone(%s) = %v, want %v", tc.raw, got, tc.want)
		}
	}
}

func TestDiscordErrorShape(t *testing.T) {
	err := CheckMessage([]byte(`{"embeds":[{"title":"`+rep(300)+`"}],"content":"`+rep(2001)+`"}`), true)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ve.discordErrors())
	var got struct {
		Content struct {
			Errors []struct{ Code string } `json:"_errors"`
		} `json:"content"`
		Embeds map[string]struct {
			Title struct {
				Errors []struct{ Code string } `json:"_errors"`
			} `json:"title"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Content.Errors) != 1 || got.Content.Errors[0].Code != "BASE_TYPE_MAX_LENGTH" || len(got.Embeds["0"].Title.Errors) != 1 {
		t.Errorf("errors JSON = %s", b)
	}
}

func TestOverLimitMessagesAre400AndNotStored(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	_, err := dg.ChannelMessageSendComplex(srv.ChannelID(), &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{{Title: "t", Description: rep(4097)}},
		AllowedMentions: noPings,
	})
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response.StatusCode != 400 || re.Message == nil || re.Message.Code != CodeInvalidFormBody {
		t.Fatalf("err = %v, want 400 Invalid Form Body", err)
	}
	if !strings.Contains(string(re.ResponseBody), `"description"`) {
		t.Errorf("body does not name the field: %s", re.ResponseBody)
	}
	if n := len(srv.ChannelMessages(srv.ChannelID())); n != 0 {
		t.Errorf("stored %d messages", n)
	}
	if p := srv.Problems(); len(p) != 1 || p[0].Status != 400 {
		t.Errorf("problems = %v", p)
	}
	_, err = dg.ChannelMessageSendComplex("123", &discordgo.MessageSend{Content: "x"})
	if st, code := restCode(err); st != 404 || code != CodeUnknownChannel {
		t.Errorf("unknown channel: %v", err)
	}
}

func FuzzCheckMessage(f *testing.F) {
	f.Add([]byte(`{"content":"hi","allowed_mentions":{"parse":[]}}`), true)
	f.Add([]byte(`{"embeds":[{"title":"t","fields":[{"name":"","value":"v"}],"footer":{"text":"f"},"author":{"name":"a","url":"ftp://x"}}]}`), false)
	f.Add([]byte(`{"embeds":[null,{}],"content":null}`), true)
	f.Add([]byte(`[]`), true)
	f.Fuzz(func(t *testing.T, body []byte, create bool) {
		err := CheckMessage(body, create)
		var ve *ValidationError
		if errors.As(err, &ve) {
			if len(ve.Fields) == 0 {
				t.Fatal("ValidationError without fields")
			}
			if _, merr := json.Marshal(ve.discordErrors()); merr != nil {
				t.Fatalf("error JSON: %v", merr)
			}
			return
		}
		if err != nil {
			return
		}
		// Accepted bodies respect every limit when decoded the way discordgo does.
		var m discordgo.MessageSend
		if json.Unmarshal(body, &m) == nil {
			if len([]rune(m.Content)) > MaxContent || len(m.Embeds) > MaxEmbeds {
				t.Fatalf("accepted over-limit message %s", body)
			}
		}
	})
}
