package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestShardOf(t *testing.T) {
	tests := []struct {
		guild       string
		count, want int
	}{
		{"4194304", 2, 1},  // 1 << 22
		{"8388608", 2, 0},  // 2 << 22
		{"12582912", 3, 0}, // 3 << 22
		{"", 4, 0},         // DMs: shard 0
		{"garbage", 4, 0},
	}
	for _, tt := range tests {
		if got := ShardOf(tt.guild, tt.count); got != tt.want {
			t.Errorf("ShardOf(%s, %d) = %d, want %d", tt.guild, tt.count, got, tt.want)
		}
	}
	var s snowflakes
	for shard := 0; shard < 3; shard++ {
		id := s.nextOnShard(shard, 3)
		if ShardOf(id, 3) != shard {
			t.Errorf("nextOnShard(%d, 3) = %s, on shard %d", shard, id, ShardOf(id, 3))
		}
		if next := s.next(); next <= id && len(next) == len(id) {
			t.Errorf("next() = %s after %s: IDs must grow", next, id)
		}
	}
}

// Two shard sessions each get READY with their own guilds, and each guild's
// interactions (and DMs, on shard 0) reach only the session of its shard.
func TestShardRouting(t *testing.T) {
	srv := newServer(t, WithRecommendedShards(2))
	g0, _ := srv.AddGuildOnShard("zero", 0, 2)
	g1, c1 := srv.AddGuildOnShard("one", 1, 2)
	main := srv.GuildID()

	var mu sync.Mutex
	got := map[int][]string{}   // shard -> guilds of the interactions it received
	ready := map[int][]string{} // shard -> guilds in READY
	sessions := make([]*discordgo.Session, 2)
	for sh := range sessions {
		dg := newSession(t, srv)
		dg.ShardID, dg.ShardCount = sh, 2
		// With the state on, READY's guilds are the state's own structs,
		// which GUILD_CREATE rewrites while this handler reads them.
		dg.StateEnabled = false
		dg.AddHandler(func(s *discordgo.Session, r *discordgo.Ready) {
			mu.Lock()
			defer mu.Unlock()
			for _, g := range r.Guilds {
				ready[sh] = append(ready[sh], g.ID)
			}
		})
		dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
			mu.Lock()
			got[sh] = append(got[sh], i.GuildID)
			mu.Unlock()
			s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "shard " + string(rune('0'+sh)), AllowedMentions: &discordgo.MessageAllowedMentions{}}})
		})
		openSession(t, srv, dg)
		sessions[sh] = dg
	}
	ctx := testCtx(t)
	if err := srv.WaitShards(ctx, 2, 0, 1); err != nil {
		t.Fatal(err)
	}
	// The bot answers by REST through any session: register the command once.
	if _, err := sessions[0].ApplicationCommandCreate(srv.AppID(), "", &discordgo.ApplicationCommand{Name: "brief", Description: "b"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in        Interaction
		wantShard int
	}{
		{Interaction{Name: "brief", GuildID: g0}, 0},
		{Interaction{Name: "brief", GuildID: g1, ChannelID: c1}, 1},
		{Interaction{Name: "brief", GuildID: main}, ShardOf(main, 2)},
		{Interaction{Name: "brief", DM: true}, 0},
	} {
		ex, err := srv.Interact(ctx, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := ex.Response(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := "shard " + string(rune('0'+tc.wantShard)); msg.Content != want {
			t.Errorf("interaction of guild %q answered by %q, want %q", tc.in.GuildID, msg.Content, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for sh, guilds := range ready {
		for _, g := range guilds {
			if ShardOf(g, 2) != sh {
				t.Errorf("READY of shard %d lists guild %s of shard %d", sh, g, ShardOf(g, 2))
			}
		}
	}
	if len(ready[0])+len(ready[1]) != 3 {
		t.Errorf("READY guilds %v: want the 3 guilds split between the shards", ready)
	}

	// GET /gateway/bot recommends the configured count.
	req, _ := http.NewRequest("GET", srv.URL()+"gateway/bot", nil)
	req.Header.Set("Authorization", testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var gb struct{ Shards int }
	if err := json.NewDecoder(resp.Body).Decode(&gb); err != nil || gb.Shards != 2 {
		t.Errorf("gateway/bot: %+v, %v; want 2 shards", gb, err)
	}
}

func TestInvalidShardClosed(t *testing.T) {
	srv := newServer(t)
	dg := newSession(t, srv)
	dg.ShardID, dg.ShardCount = 1, 2
	dg.Identify.Shard = &[2]int{3, 2} // what a buggy client might send
	dg.ShardCount = 0                 // keep discordgo from overwriting it
	dg.ShouldReconnectOnError = false
	err := dg.Open()
	if err == nil {
		dg.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "4010") {
		t.Errorf("IDENTIFY with shard [3, 2]: %v; want close 4010", err)
	}
}
