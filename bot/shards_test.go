package bot

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
)

func TestParseShards(t *testing.T) {
	tests := []struct {
		count, ids string
		want       ShardConfig
		err        string
	}{
		{"", "", ShardConfig{}, ""},
		{"4", "", ShardConfig{Count: 4}, ""},
		{"4", "2", ShardConfig{Count: 4, IDs: []int{2}}, ""},
		{"4", "0-3", ShardConfig{Count: 4, IDs: []int{0, 1, 2, 3}}, ""},
		{"8", "6, 0-1,1", ShardConfig{Count: 8, IDs: []int{0, 1, 6}}, ""},
		{"auto", "", ShardConfig{Auto: true}, ""},
		{"AUTO", "5", ShardConfig{Auto: true, IDs: []int{5}}, ""},
		{"", "1", ShardConfig{}, "DISCORD_SHARD_COUNT is not"},
		{"two", "", ShardConfig{}, "want a number"},
		{"0", "", ShardConfig{}, "want a number"},
		{"2", "2", ShardConfig{}, "not below DISCORD_SHARD_COUNT 2"},
		{"4", "3-1", ShardConfig{}, "range"},
		{"4", "x", ShardConfig{}, "range"},
		{"4", "-1", ShardConfig{}, "range"},
	}
	for _, tt := range tests {
		got, err := ParseShards(tt.count, tt.ids)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseShards(%q, %q) error %v, want %q", tt.count, tt.ids, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseShards(%q, %q) = %+v, %v; want %+v", tt.count, tt.ids, got, err, tt.want)
		}
	}
}

// One process running every shard (DISCORD_SHARD_COUNT=auto): a session a
// shard, each identifying as its shard, answering its own servers.
func TestShardedBotRunsEveryShard(t *testing.T) {
	srv := newServer(t, discordtest.WithRecommendedShards(2))
	g0, _ := srv.AddGuildOnShard("zero", 0, 2)
	g1, _ := srv.AddGuildOnShard("one", 1, 2)
	h := startBot(t, harnessOpts{srv: srv, config: func(c *Config) {
		c.GuildID = "" // global commands: every server has them
		c.Shards = ShardConfig{Auto: true, IdentifyInterval: 10 * time.Millisecond}
	}})
	ctx := testCtx(t)
	if err := srv.WaitShards(ctx, 2, 0, 1); err != nil {
		t.Fatal(err)
	}
	var shards [][2]int
	for _, id := range srv.Identifies() {
		if id.Shard != nil {
			shards = append(shards, *id.Shard)
		}
	}
	if !reflect.DeepEqual(shards, [][2]int{{0, 2}, {1, 2}}) {
		t.Errorf("IDENTIFY shards %v, want [0 2] then [1 2]", shards)
	}
	for _, g := range []string{g0, g1} {
		ex := h.interact(ctx, discordtest.Interaction{Name: cmdBrief, GuildID: g, Options: briefOpts("ceasefire")})
		if m, err := ex.Response(ctx); err != nil || !strings.Contains(m.Text(), "Witkoff") {
			t.Errorf("/brief in guild %s (shard %d): %v", g, ShardOf(g, 2), err)
		}
	}
}

// Two processes' worth of bots sharing one store, shard 0 and shard 1 of
// 2: each answers only its own servers and schedules only their posts.
func TestShardsSplitAcrossBots(t *testing.T) {
	srv := newServer(t)
	gA, cA := srv.AddGuildOnShard("a", 0, 2)
	gB, cB := srv.AddGuildOnShard("b", 1, 2)
	store := openStoreWithSamples(t)
	ctx := testCtx(t)
	subA, err := store.AddSubscription(ctx, data.Subscription{GuildID: gA, ChannelID: cA, Spec: "0 8 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	subB, err := store.AddSubscription(ctx, data.Subscription{GuildID: gB, ChannelID: cB, Spec: "0 9 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	start := func(id int) *harness {
		return startBot(t, harnessOpts{srv: srv, store: store, config: func(c *Config) {
			c.GuildID = ""
			c.Shards = ShardConfig{Count: 2, IDs: []int{id}}
		}})
	}
	a, b := start(0), start(1)
	if err := srv.WaitShards(ctx, 2, 0, 1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		h     *harness
		owns  int64
		other int64
	}{{a, subA.ID, subB.ID}, {b, subB.ID, subA.ID}} {
		tc.h.bot.sched.mu.Lock()
		_, own := tc.h.bot.sched.entries[tc.owns]
		_, other := tc.h.bot.sched.entries[tc.other]
		tc.h.bot.sched.mu.Unlock()
		if !own || other {
			t.Errorf("a bot schedules its own server's subscription: %v, the other's: %v", own, other)
		}
	}
	answered := func(h *harness) int { return strings.Count(h.logs.String(), "answered /brief") }
	for _, tc := range []struct {
		guild string
		wantA int
		wantB int
	}{{gA, 1, 0}, {gB, 1, 1}} {
		ex := a.interact(ctx, discordtest.Interaction{Name: cmdBrief, GuildID: tc.guild, Options: briefOpts("ceasefire")})
		if _, err := ex.Response(ctx); err != nil {
			t.Fatalf("/brief in guild %s: %v", tc.guild, err)
		}
		// The bot logs its answer just after sending it.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && (answered(a) != tc.wantA || answered(b) != tc.wantB); {
			time.Sleep(10 * time.Millisecond)
		}
		if answered(a) != tc.wantA || answered(b) != tc.wantB {
			t.Errorf("after /brief in guild %s (shard %d): shard 0's bot answered %d, shard 1's %d; want %d and %d",
				tc.guild, ShardOf(tc.guild, 2), answered(a), answered(b), tc.wantA, tc.wantB)
		}
	}
}

func briefOpts(topic string) []*discordgo.ApplicationCommandInteractionDataOption {
	return []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt(optTopic, topic)}
}

// Two bots sharing one store (two processes on one database) that both fire
// the same slots post each slot exactly once: the delivery log's claim is
// one conditional statement on either engine.
func TestTwoBotsPostEachSlotOnce(t *testing.T) {
	srv := newServer(t)
	store := openStoreWithSamples(t)
	ctx := testCtx(t)
	sub, err := store.AddSubscription(ctx, data.Subscription{GuildID: srv.GuildID(), ChannelID: srv.ChannelID(), Spec: "* * * * *"})
	if err != nil {
		t.Fatal(err)
	}
	// Every slot posts, "nothing new" included.
	if err := store.SaveSettings(ctx, data.GuildSettings{GuildID: srv.GuildID(), NothingNew: true}); err != nil {
		t.Fatal(err)
	}
	start := func(id int) *harness {
		return startBot(t, harnessOpts{srv: srv, store: store, config: func(c *Config) {
			c.Shards = ShardConfig{Count: 2, IDs: []int{id}}
		}})
	}
	bots := []*harness{start(0), start(1)}
	first := time.Now().Truncate(time.Minute).Add(time.Minute)
	const slots = 6
	// Both fire each slot at the same moment.
	posted := make([]int, len(bots))
	for k := range slots {
		var wg sync.WaitGroup
		won := make([]bool, len(bots))
		for i, h := range bots {
			wg.Add(1)
			go func() {
				defer wg.Done()
				won[i] = h.bot.postSlot(ctx, sub, first.Add(time.Duration(k)*time.Minute))
			}()
		}
		wg.Wait()
		if won[0] == won[1] {
			t.Errorf("slot %d: posted by bot 0: %v, by bot 1: %v; want exactly one", k, won[0], won[1])
		}
		for i, w := range won {
			if w {
				posted[i]++
			}
		}
	}
	t.Logf("slots posted by each bot: %v", posted)
	if msgs := srv.ChannelMessages(srv.ChannelID()); len(msgs) != slots {
		t.Errorf("%d messages for %d slots", len(msgs), slots)
	}
	for k := range slots {
		slot := first.Add(time.Duration(k) * time.Minute)
		p, ok, err := store.Post(ctx, sub.ID, slot)
		if err != nil || !ok || p.Status != data.PostSent || p.MessageID == "" {
			t.Errorf("slot %s: %+v, %v, %v", slot.Format(time.TimeOnly), p, ok, err)
		}
	}
}
