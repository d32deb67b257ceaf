package main

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
)

// TestComposeProfiles checks the compose file's shape (no Docker here): the
// default service keeps SQLite, and the postgres profile runs PostgreSQL and
// one process per shard, together covering every shard, all on that database.
func TestComposeProfiles(t *testing.T) {
	raw, err := os.ReadFile("deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Profiles    []string          `yaml:"profiles"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]any    `yaml:"depends_on"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if def, ok := c.Services["briefbot"]; !ok || len(def.Profiles) != 0 || def.Environment["BRIEFBOT_DB"] == "" {
		t.Error("the default service must stay: no profile, SQLite in BRIEFBOT_DB")
	}
	if pg, ok := c.Services["postgres"]; !ok || len(pg.Profiles) != 1 || pg.Profiles[0] != "postgres" {
		t.Error("no postgres service in the postgres profile")
	}
	covered := map[int]bool{}
	count := 0
	for name, s := range c.Services {
		if !strings.HasPrefix(name, "briefbot-shard") {
			continue
		}
		if len(s.Profiles) != 1 || s.Profiles[0] != "postgres" {
			t.Errorf("%s is not in the postgres profile", name)
		}
		if u := s.Environment["DATABASE_URL"]; !strings.HasPrefix(u, "postgres://") || !strings.Contains(u, "@postgres:5432/") {
			t.Errorf("%s: DATABASE_URL %q does not name the postgres service", name, u)
		}
		if _, ok := s.DependsOn["postgres"]; !ok {
			t.Errorf("%s does not wait for postgres", name)
		}
		sc, err := bot.ParseShards(s.Environment["DISCORD_SHARD_COUNT"], s.Environment["DISCORD_SHARD_ID"])
		if err != nil || sc.Count == 0 {
			t.Errorf("%s: shards %+v, %v", name, sc, err)
			continue
		}
		count = sc.Count
		for _, id := range sc.IDs {
			if covered[id] {
				t.Errorf("shard %d runs twice", id)
			}
			covered[id] = true
		}
	}
	if count != 2 || len(covered) != count {
		t.Errorf("the postgres profile runs shards %v of %d; want 0 and 1 of 2", covered, count)
	}
}
