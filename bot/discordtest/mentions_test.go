package discordtest

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestPings(t *testing.T) {
	const text = "@everyone see <@123> and <@!456>, <@&789> and @here"
	tests := []struct {
		name    string
		content string
		am      string
		want    []string
	}{
		{"absent pings everything", text, "", []string{"@everyone", "user:123", "user:456", "role:789", "@here"}},
		{"null pings everything", text, "null", []string{"@everyone", "user:123", "user:456", "role:789", "@here"}},
		{"parse none", text, `{"parse":[]}`, nil},
		{"empty object pings nothing", text, `{}`, nil},
		{"users only", text, `{"parse":["users"]}`, []string{"user:123", "user:456"}},
		{"one listed user", text, `{"users":["456"]}`, []string{"user:456"}},
		{"roles and everyone", text, `{"parse":["roles","everyone"]}`, []string{"@everyone", "role:789", "@here"}},
		{"no mentions", "plain text", "", nil},
		{"escaped-looking text", "email@everyone.com <@abc>", "", []string{"@everyone"}},
		{"duplicates once", "<@1> <@1>", "", []string{"user:1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Pings(tc.content, json.RawMessage(tc.am))
			if !slices.Equal(got, tc.want) {
				t.Errorf("Pings = %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzPings(f *testing.F) {
	f.Add("@everyone <@1> <@&2>", `{"parse":[]}`)
	f.Add("<@!3>@here", ``)
	f.Add("x", `{"parse":["users"],"users":["1"]}`)
	f.Fuzz(func(t *testing.T, content, am string) {
		got := Pings(content, json.RawMessage(am))
		if MentionsNone(json.RawMessage(am)) && len(got) != 0 {
			t.Fatalf("allowed_mentions %s allows nothing, but %q pings %v", am, content, got)
		}
		for i := range got {
			for j := i + 1; j < len(got); j++ {
				if got[i] == got[j] {
					t.Fatalf("duplicate ping %q", got[i])
				}
			}
		}
	})
}
