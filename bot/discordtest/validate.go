package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's message limits, counted in characters (Unicode code points).
const (
	MaxContent          = 2000
	MaxEmbeds           = 10
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxEmbedFields      = 25
	MaxFieldName        = 256
	MaxFieldValue       = 1024
	MaxFooterText       = 2048
	MaxAuthorName       = 256
	MaxEmbedTotal       = 6000
	MaxURL              = 2048
	MaxChoices          = 25
	MaxChoiceName       = 100
	MaxChoiceValue      = 100
)

// FieldError is one broken rule, at a JSON path such as "embeds.0.description".
type FieldError struct {
	Path    string
	Code    string // Discord's code, e.g. BASE_TYPE_MAX_LENGTH
	Message string
}

// ValidationError lists every rule a message body breaks; the fake answers it
// as Discord's 400 "Invalid Form Body" (code 50035) with the same nested errors.
type ValidationError struct {
	Fields []FieldError
}

// Error joins the broken rules into one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Path + ": " + f.Message
	}
	return "invalid form body: " + strings.Join(parts, "; ")
}

// discordErrors renders the errors in Discord's nested shape:
// {"embeds":{"0":{"title":{"_errors":[{"code":..,"message":..}]}}}}.
func (e *ValidationError) discordErrors() map[string]any {
	root := map[string]any{}
	for _, f := range e.Fields {
		node := root
		if f.Path != "" {
			for _, part := range strings.Split(f.Path, ".") {
				child, ok := node[part].(map[string]any)
				if !ok {
					child = map[string]any{}
					node[part] = child
				}
				node = child
			}
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]string{"code": f.Code, "message": f.Message})
	}
	return root
}

// validator collects broken rules.
type validator struct{ errs []FieldError }

func (v *validator) add(path, code, msg string) {
	v.errs = append(v.errs, FieldError{Path: path, Code: code, Message: msg})
}

func (v *validator) maxLen(path, s string, max int) int {
	n := utf8.RuneCountInString(s)
	if n > max {
		v.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max))
	}
	return n
}

func (v *validator) required(path, s string) {
	if strings.TrimSpace(s) == "" {
		v.add(path, "BASE_TYPE_REQUIRED", "This field is required")
	}
}

func (v *validator) url(path, s string, schemes ...string) {
	if s == "" {
		return
	}
	v.maxLen(path, s, MaxURL)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" && u.Scheme != "attachment" {
		v.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")
		return
	}
	for _, sc := range schemes {
		if u.Scheme == sc {
			return
		}
	}
	v.add(path, "URL_TYPE_INVALID_SCHEME", fmt.Sprintf("Scheme %q is not supported. Scheme must be one of (%s).", u.Scheme, strings.Join(schemes, ", ")))
}

func (v *validator) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.errs}
}

// CheckEmbeds reports every Discord limit the embeds of one message break:
// their count, each text field's length, empty field names or values, URL
// schemes, and the 6000-character total. Bots can call it from unit tests of
// their renderers; the fake applies it to every message it receives.
func CheckEmbeds(embeds []*discordgo.MessageEmbed) error {
	var v validator
	checkEmbeds(&v, "embeds", embeds)
	return v.err()
}

func checkEmbeds(v *validator, path string, embeds []*discordgo.MessageEmbed) {
	if len(embeds) > MaxEmbeds {
		v.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxEmbeds))
	}
	total := 0
	for i, e := range embeds {
		p := path + "." + strconv.Itoa(i)
		if e == nil {
			v.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
			continue
		}
		total += v.maxLen(p+".title", e.Title, MaxEmbedTitle)
		total += v.maxLen(p+".description", e.Description, MaxEmbedDescription)
		v.url(p+".url", e.URL, "http", "https")
		if e.Color < 0 || e.Color > 0xFFFFFF {
			v.add(p+".color", "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.")
		}
		if e.Timestamp != "" {
			if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
				v.add(p+".timestamp", "DATE_TIME_TYPE_PARSE", "Could not parse "+e.Timestamp+". Should be ISO8601.")
			}
		}
		if len(e.Fields) > MaxEmbedFields {
			v.add(p+".fields", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxEmbedFields))
		}
		for j, f := range e.Fields {
			fp := p + ".fields." + strconv.Itoa(j)
			if f == nil {
				v.add(fp, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
				continue
			}
			v.required(fp+".name", f.Name)
			v.required(fp+".value", f.Value)
			total += v.maxLen(fp+".name", f.Name, MaxFieldName)
			total += v.maxLen(fp+".value", f.Value, MaxFieldValue)
		}
		if e.Footer != nil {
			v.required(p+".footer.text", e.Footer.Text)
			total += v.maxLen(p+".footer.text", e.Footer.Text, MaxFooterText)
			v.url(p+".footer.icon_url", e.Footer.IconURL, "http", "https", "attachment")
		}
		if e.Author != nil {
			v.required(p+".author.name", e.Author.Name)
			total += v.maxLen(p+".author.name", e.Author.Name, MaxAuthorName)
			v.url(p+".author.url", e.Author.URL, "http", "https")
			v.url(p+".author.icon_url", e.Author.IconURL, "http", "https", "attachment")
		}
		if e.Image != nil {
			v.url(p+".image.url", e.Image.URL, "http", "https", "attachment")
		}
		if e.Thumbnail != nil {
			v.url(p+".thumbnail.url", e.Thumbnail.URL, "http", "https", "attachment")
		}
	}
	if total > MaxEmbedTotal {
		v.add(path, "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", MaxEmbedTotal))
	}
}

// messageBody is the part of a message create/edit body the fake reads.
// Pointers and raw fields tell "absent" from "empty", which edits depend on.
type messageBody struct {
	Content         *string                    `json:"content"`
	Embeds          *[]*discordgo.MessageEmbed `json:"embeds"`
	AllowedMentions json.RawMessage            `json:"allowed_mentions"`
	Flags           *int                       `json:"flags"`
	Components      json.RawMessage            `json:"components"`
	StickerIDs      json.RawMessage            `json:"sticker_ids"`
	Attachments     json.RawMessage            `json:"attachments"`
	Poll            json.RawMessage            `json:"poll"`
	TTS             bool                       `json:"tts"`
	Nonce           json.RawMessage            `json:"nonce"` // a string or an integer
	EnforceNonce    bool                       `json:"enforce_nonce"`
}

// nonce returns the body's nonce as text ("" when absent); Discord takes a
// string of at most 25 characters or an integer.
func (m *messageBody) nonce() string {
	raw := strings.TrimSpace(string(m.Nonce))
	if raw == "" || raw == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(m.Nonce, &s) == nil {
		return s
	}
	return raw
}

// hasBody reports whether the body would show something, which a new
// message must.
func (m *messageBody) hasBody() bool {
	return m.Content != nil && *m.Content != "" ||
		m.Embeds != nil && len(*m.Embeds) > 0 ||
		nonEmptyJSON(m.Components) || nonEmptyJSON(m.StickerIDs) || nonEmptyJSON(m.Poll)
}

func nonEmptyJSON(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != "[]" && s != "{}"
}

// parseMessageBody decodes and validates a message body. The error is a
// *ValidationError for broken limits, or a decoding error for bad JSON.
func parseMessageBody(raw []byte, create bool) (*messageBody, error) {
	var m messageBody
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decode message body: %w", err)
	}
	var v validator
	if m.Content != nil {
		v.maxLen("content", *m.Content, MaxContent)
	}
	if m.Embeds != nil {
		checkEmbeds(&v, "embeds", *m.Embeds)
	}
	checkAllowedMentions(&v, m.AllowedMentions)
	if n := m.nonce(); len(n) > 25 {
		v.add("nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
	}
	if err := v.err(); err != nil {
		return &m, err
	}
	if create && !m.hasBody() {
		return &m, errEmptyMessage
	}
	return &m, nil
}

// errEmptyMessage is Discord's 50006.
var errEmptyMessage = errors.New("cannot send an empty message")

// checkAllowedMentions applies Discord's rule that a type listed in parse may
// not also be given as an explicit ID list.
func checkAllowedMentions(v *validator, raw json.RawMessage) {
	if !nonEmptyJSON(raw) {
		return
	}
	var am struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
		Roles []string `json:"roles"`
	}
	if err := json.Unmarshal(raw, &am); err != nil {
		v.add("allowed_mentions", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType")
		return
	}
	for _, p := range am.Parse {
		switch p {
		case "users":
			if len(am.Users) > 0 {
				v.add("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"users\"] and users: [ids...] are mutually exclusive.")
			}
		case "roles":
			if len(am.Roles) > 0 {
				v.add("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"roles\"] and roles: [ids...] are mutually exclusive.")
			}
		case "everyone":
		default:
			v.add("allowed_mentions.parse", "BASE_TYPE_CHOICES", "Value must be one of {'everyone', 'roles', 'users'}.")
		}
	}
}

// CheckMessage validates a JSON message body (channel message, interaction
// reply data, webhook execute or edit) the way Discord does. create requires
// the message to show something (Discord's 50006 "Cannot send an empty message").
func CheckMessage(body []byte, create bool) error {
	_, err := parseMessageBody(body, create)
	return err
}

// MentionsNone reports whether an allowed_mentions value allows no pings at
// all: {"parse": []} with no user or role IDs and no reply ping. An absent
// value is not "none": Discord then pings everything the text mentions.
func MentionsNone(raw json.RawMessage) bool {
	var am map[string]json.RawMessage
	if err := json.Unmarshal(raw, &am); err != nil {
		return false
	}
	parse, ok := am["parse"]
	if !ok {
		return false
	}
	var list []string
	if err := json.Unmarshal(parse, &list); err != nil || list == nil || len(list) != 0 {
		return false
	}
	for _, k := range []string{"users", "roles"} {
		if ids, ok := am[k]; ok {
			var l []string
			if err := json.Unmarshal(ids, &l); err != nil || len(l) > 0 {
				return false
			}
		}
	}
	if r, ok := am["replied_user"]; ok && strings.TrimSpace(string(r)) == "true" {
		return false
	}
	return true
}

// checkChoices validates an autocomplete result's choices.
func checkChoices(raw json.RawMessage) ([]Choice, error) {
	var data struct {
		Choices []Choice `json:"choices"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &data); err != nil {
			return nil, fmt.Errorf("decode choices: %w", err)
		}
	}
	var v validator
	if len(data.Choices) > MaxChoices {
		v.add("data.choices", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", MaxChoices))
	}
	for i, c := range data.Choices {
		p := "data.choices." + strconv.Itoa(i)
		if utf8.RuneCountInString(c.Name) < 1 {
			v.add(p+".name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
		}
		v.maxLen(p+".name", c.Name, MaxChoiceName)
		if s, ok := c.Value.(string); ok {
			v.maxLen(p+".value", s, MaxChoiceValue)
		}
	}
	return data.Choices, v.err()
}
