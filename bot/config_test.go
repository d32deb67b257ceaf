package bot

import (
	"strings"
	"testing"
	"time"
)

func TestValidateToken(t *testing.T) {
	tests := []struct {
		token, wantErr string
	}{
		{testToken, ""},
		{"Bot " + testToken, ""},
		{"", "empty"},
		{" " + testToken, "spaces"},
		{testToken + "\n", "spaces"},
		{"abc", "3 parts"},
		{"123456789012345678", "3 parts"},
		{"a.b", "3 parts"},
		{"..", "part 1 is empty"},
		{"MTIz.GaBcDe.abc def", "contains"},
		{"bm90LWFuLWlk.GaBcDe.abcdefgh", ""},
		{"client-secret-looking-32-chars-x", "3 parts"},
	}
	for _, tc := range tests {
		err := ValidateToken(tc.token)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("ValidateToken(%q) = %v", tc.token, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("ValidateToken(%q) = %v, want %q", tc.token, err, tc.wantErr)
		}
	}
}

func TestValidateAPIURL(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"", DefaultAPIURL, ""},
		{"http://127.0.0.1:8080/api/v9", "http://127.0.0.1:8080/api/v9/", ""},
		{"https://proxy.internal/api/v9/", "https://proxy.internal/api/v9/", ""},
		{"proxy.internal/api", "", "absolute http(s) URL"},
		{"ftp://x/api/", "", "absolute http(s) URL"},
		{"http://x/api/?a=1", "", "query"},
	}
	for _, tc := range tests {
		got, err := ValidateAPIURL(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ValidateAPIURL(%q) = %q, %v; want error %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ValidateAPIURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestConfigValidateNamesEveryProblem(t *testing.T) {
	c := Config{Token: "nope", GuildID: "my-server", ChannelID: "#general", Schedule: "CRON_TZ=UTC", TZ: "Mars/Olympus", Topics: []string{"ok", " ", strings.Repeat("x", 101)}}
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"DISCORD_TOKEN", "DISCORD_GUILD_ID", "BRIEFBOT_CHANNEL_ID", "CRON_TZ= needs", "topic \" \"", "1 to 100"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	good := Config{Token: testToken}
	if err := good.Validate(); err != nil {
		t.Errorf("minimal config: %v", err)
	}
}

func TestEnvSubscriptions(t *testing.T) {
	c := Config{ChannelID: "123456789012345678", GuildID: "223456789012345678", Topics: []string{"ceasefire", " gaza "}, TZ: "Europe/Kyiv"}
	subs := c.envSubscriptions()
	if len(subs) != 2 || subs[1].Topic != "gaza" || subs[0].Spec != DefaultSchedule || subs[0].TZ != "Europe/Kyiv" || !subs[0].FromEnv {
		t.Errorf("%+v", subs)
	}
	c.Topics = nil
	if subs := c.envSubscriptions(); len(subs) != 1 || subs[0].Topic != "" {
		t.Errorf("no topics: %+v", subs)
	}
	c.ChannelID = ""
	if subs := c.envSubscriptions(); len(subs) != 0 {
		t.Errorf("no channel: %+v", subs)
	}
}

func TestTimeSpec(t *testing.T) {
	tests := []struct{ in, want, wantErr string }{
		{"08:00", "0 8 * * *", ""},
		{"8:05", "5 8 * * *", ""},
		{"20h15", "15 20 * * *", ""},
		{"7", "0 7 * * *", ""},
		{"8:30pm", "30 20 * * *", ""},
		{"12am", "0 0 * * *", ""},
		{"12 PM", "0 12 * * *", ""},
		{"0 9 * * 1-5", "0 9 * * 1-5", ""},
		{"@daily", "@daily", ""},
		{"CRON_TZ=Asia/Tokyo 0 9 * * *", "CRON_TZ=Asia/Tokyo 0 9 * * *", ""},
		{"24:00", "", "not a time of day"},
		{"13pm", "", "1 to 12"},
		{"", "", "give a time"},
	}
	for _, tc := range tests {
		got, err := timeSpec(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("timeSpec(%q) = %q, %v; want error %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("timeSpec(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestSuggestZones(t *testing.T) {
	tests := []struct {
		prefix string
		first  string
	}{
		{"kyi", "Europe/Kyiv"},
		{"Europe/L", "Europe/Lisbon"},
		{"new y", "America/New_York"},
		{"Asia/Yangon", "Asia/Yangon"}, // not common, but valid
	}
	for _, tc := range tests {
		got := suggestZones(tc.prefix, 25)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("suggestZones(%q) = %v, want %q first", tc.prefix, got, tc.first)
		}
	}
	if got := suggestZones("", 25); len(got) != 25 {
		t.Errorf("empty prefix gave %d zones", len(got))
	}
	if got := suggestZones("nowhere", 25); len(got) != 0 {
		t.Errorf("nowhere: %v", got)
	}
	for _, z := range commonZones {
		if _, err := LoadZone(z); err != nil {
			t.Errorf("common zone %q does not load: %v", z, err)
		}
	}
}

func TestCleanTopic(t *testing.T) {
	if got := cleanTopic("  cease\nfire  "); got != "cease fire" {
		t.Errorf("%q", got)
	}
	if got := cleanTopic(strings.Repeat("é", 150)); len([]rune(got)) != maxTopic {
		t.Errorf("%d runes", len([]rune(got)))
	}
}

func TestValidateUserSchedule(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		spec    string
		wantErr bool
	}{
		{"0 8 * * *", false},
		{"*/15 * * * *", false},
		{"0 */2 * * *", false},
		{"* * * * *", true},
		{"*/5 * * * *", true},
		{"0,10 8 * * *", true},
		{"@every 1m", true},
		{"@every 1h", false},
		{"nonsense", true},
	}
	for _, tc := range tests {
		if err := validateUserSchedule(tc.spec, "", now); (err != nil) != tc.wantErr {
			t.Errorf("validateUserSchedule(%q) = %v", tc.spec, err)
		}
	}
}
