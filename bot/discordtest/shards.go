package discordtest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
)

// Guilds and gateway shards. The fake can hold several guilds; a bot that
// identifies with shard [id, count] receives, as from Discord, only the
// events and interactions of the guilds on that shard, (guild_id >> 22) %
// count, and DMs only on shard 0. An unsharded session receives everything.
// https://discord.com/developers/docs/events/gateway#sharding

// WithRecommendedShards sets the shard count GET /gateway/bot recommends
// (default 1), for bots that ask for it (DISCORD_SHARD_COUNT=auto).
func WithRecommendedShards(n int) Option {
	return func(c *config) { c.recommendedShards = n }
}

// ShardOf is the shard of a guild among count shards, Discord's formula:
// (guild_id >> 22) % count. A DM ("" guild) is shard 0's.
func ShardOf(guildID string, count int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || count < 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// AddGuildOnShard adds a guild, as AddGuild, whose ID puts it on shard
// among count shards.
func (s *Server) AddGuildOnShard(name string, shard, count int) (guildID, channelID string) {
	if shard < 0 || shard >= count {
		panic(fmt.Sprintf("discordtest: shard %d of %d", shard, count))
	}
	id := s.ids.nextOnShard(shard, count)
	s.mu.Lock()
	g, ch := s.newGuildWithIDLocked(id, name)
	s.mu.Unlock()
	s.guildCreated(g.id)
	return g.id, ch
}

// guildCreated sends a new guild's GUILD_CREATE to the live sessions that
// receive its events, as when the bot is invited to a server.
func (s *Server) guildCreated(guildID string) {
	s.mu.Lock()
	var to []*session
	for _, ss := range s.gw.sessions {
		if !ss.invalid && ss.receives(guildID) {
			to = append(to, ss)
		}
	}
	s.notifyLocked()
	s.mu.Unlock()
	for _, ss := range to {
		ss.dispatch("GUILD_CREATE", s.guildJSON(guildID, true), nil)
	}
}

// shardGuildsLocked lists, oldest first, the guilds a session of this
// shard receives.
func (s *Server) shardGuildsLocked(shard *[2]int) []string {
	var out []string
	for _, g := range s.guildIDsLocked() {
		if shard == nil || ShardOf(g, shard[1]) == shard[0] {
			out = append(out, g)
		}
	}
	return out
}

func sameShard(a, b *[2]int) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// receives reports whether a session gets the events of guildID ("" for DMs).
func (ss *session) receives(guildID string) bool {
	if ss.shard == nil {
		return true
	}
	return ShardOf(guildID, ss.shard[1]) == ss.shard[0]
}

// waitSessionFor waits for a live session that receives guildID's events
// (connected or resuming), preferring the most recent.
func (s *Server) waitSessionFor(ctx context.Context, guildID string) (*session, error) {
	var ss *session
	err := s.waitFor(ctx, func() bool {
		ss = nil
		if cur := s.gw.current; cur != nil && !cur.invalid && cur.receives(guildID) {
			ss = cur
			return true
		}
		for _, cand := range s.gw.sessions {
			if !cand.invalid && cand.receives(guildID) {
				ss = cand
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, fmt.Errorf("wait for a gateway session of guild %s's shard: %w", guildID, err)
	}
	return ss, nil
}

// DispatchGuild sends an event of a guild (e.g. "GUILD_UPDATE") to the
// session of the guild's shard.
func (s *Server) DispatchGuild(ctx context.Context, guildID, eventType string, data any) error {
	ss, err := s.waitSessionFor(ctx, guildID)
	if err != nil {
		return err
	}
	ss.dispatch(eventType, data, nil)
	return nil
}

// ShardSession is one live gateway session, as ShardSessions reports it.
type ShardSession struct {
	// Shard is [shard_id, num_shards]; nil for an unsharded session.
	Shard    *[2]int
	Attached bool // a live connection carries it
}

// ShardSessions lists the sessions that are still valid.
func (s *Server) ShardSessions() []ShardSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shardSessionsLocked()
}

func (s *Server) shardSessionsLocked() []ShardSession {
	var out []ShardSession
	for _, ss := range s.gw.sessions {
		if !ss.invalid {
			out = append(out, ShardSession{Shard: ss.shard, Attached: ss.attached})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Shard, out[j].Shard
		return a != nil && (b == nil || a[0] < b[0])
	})
	return out
}

// WaitShards waits until a session of every one of shards (of count) is
// connected.
func (s *Server) WaitShards(ctx context.Context, count int, shards ...int) error {
	err := s.waitFor(ctx, func() bool {
		live := map[int]bool{}
		for _, ss := range s.shardSessionsLocked() {
			if ss.Attached && ss.Shard != nil && ss.Shard[1] == count {
				live[ss.Shard[0]] = true
			}
		}
		for _, sh := range shards {
			if !live[sh] {
				return false
			}
		}
		return true
	})
	if err != nil {
		return fmt.Errorf("wait for shards %v of %d: %w", shards, count, err)
	}
	return nil
}
