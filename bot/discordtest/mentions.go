package discordtest

import (
	"encoding/json"
	"regexp"
	"slices"
)

// mentionPattern finds the mentions Discord resolves in message content:
// @everyone, @here, <@id>, <@!id> and <@&id>.
var mentionPattern = regexp.MustCompile(`@everyone|@here|<@!?(\d+)>|<@&(\d+)>`)

// Pings returns what a message's content would notify on Discord under
// its allowed_mentions: "@everyone", "@here", "user:ID", "role:ID".
// Embeds never ping. Without allowed_mentions everything mentioned pings,
// which is why a bot quoting articles must send {"parse": []}.
func Pings(content string, allowedMentions json.RawMessage) []string {
	type rules struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
		Roles []string `json:"roles"`
	}
	all := !nonEmptyJSON(allowedMentions) && string(allowedMentions) != "{}"
	var am rules
	if !all {
		if err := json.Unmarshal(allowedMentions, &am); err != nil {
			all = true
		}
	}
	allows := func(kind, id string, ids []string) bool {
		return all || slices.Contains(am.Parse, kind) || id != "" && slices.Contains(ids, id)
	}
	var out []string
	add := func(p string) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, m := range mentionPattern.FindAllStringSubmatch(content, -1) {
		switch {
		case m[0] == "@everyone" || m[0] == "@here":
			if allows("everyone", "", nil) {
				add(m[0])
			}
		case m[1] != "":
			if allows("users", m[1], am.Users) {
				add("user:" + m[1])
			}
		case m[2] != "":
			if allows("roles", m[2], am.Roles) {
				add("role:" + m[2])
			}
		}
	}
	return out
}

// Pings returns what the message notified when sent or last edited (see
// the package function Pings).
func (m *Message) Pings() []string { return Pings(m.Content, m.AllowedMentions) }
