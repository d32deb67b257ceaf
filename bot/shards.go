package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Gateway sharding. Discord requires it past 2,500 servers: each gateway
// connection (shard) identifies as [shard_id, num_shards] and receives the
// events of the servers with (guild_id >> 22) % num_shards == shard_id, DMs
// only on shard 0. One process may run several shards (a session each) and
// several processes share the work; they share one database, so feed
// polling and scheduled posts, which need no gateway, are coordinated by the
// store's leases and claims. A process schedules only its own servers' posts.
// https://discord.com/developers/docs/events/gateway#sharding

// ShardConfig says which gateway shards this process runs.
type ShardConfig struct {
	// Count is the total number of shards across all processes; 0 (or 1)
	// means one unsharded connection.
	Count int
	// Auto takes Count from Discord's recommendation (GET /gateway/bot).
	Auto bool
	// IDs are the shards this process runs; empty means all of Count.
	IDs []int
	// IdentifyInterval is the wait between this process's IDENTIFYs:
	// Discord accepts one per 5 s per max_concurrency bucket. Zero means
	// 5 s divided by the max_concurrency Discord reports.
	IdentifyInterval time.Duration
}

// ParseShards reads DISCORD_SHARD_COUNT ("", a number, or "auto") and
// DISCORD_SHARD_ID ("", a shard, a range "0-3", or a comma list of both).
func ParseShards(count, ids string) (ShardConfig, error) {
	var sc ShardConfig
	count, ids = strings.TrimSpace(count), strings.TrimSpace(ids)
	switch {
	case count == "":
		if ids != "" {
			return sc, errors.New("DISCORD_SHARD_ID is set but DISCORD_SHARD_COUNT is not: set the total number of shards (or auto)")
		}
		return sc, nil
	case strings.EqualFold(count, "auto"):
		sc.Auto = true
	default:
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 || n > maxShards {
			return sc, fmt.Errorf("DISCORD_SHARD_COUNT %q: want a number of shards from 1 to %d, or auto", count, maxShards)
		}
		sc.Count = n
	}
	if ids == "" {
		return sc, nil
	}
	seen := map[int]bool{}
	for _, part := range strings.Split(ids, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, errA := strconv.Atoi(strings.TrimSpace(lo))
		b, errB := a, error(nil)
		if isRange {
			b, errB = strconv.Atoi(strings.TrimSpace(hi))
		}
		if errA != nil || errB != nil || a < 0 || b < a || b >= maxShards {
			return sc, fmt.Errorf("DISCORD_SHARD_ID %q: want a shard number, a range such as 0-3, or a comma list of them", ids)
		}
		if sc.Count > 0 && b >= sc.Count {
			return sc, fmt.Errorf("DISCORD_SHARD_ID %q: shard %d is not below DISCORD_SHARD_COUNT %d (shards count from 0)", ids, b, sc.Count)
		}
		for i := a; i <= b; i++ {
			if !seen[i] {
				seen[i] = true
				sc.IDs = append(sc.IDs, i)
			}
		}
	}
	sort.Ints(sc.IDs)
	return sc, nil
}

// maxShards bounds the shard numbers accepted: far past any bot's needs
// (Discord recommends one shard per 1,000 servers).
const maxShards = 4096

// resolve fixes the count (asking Discord when Auto) and the IDs.
func (sc ShardConfig) resolve(ctx context.Context, s *discordgo.Session) (ShardConfig, error) {
	if sc.Auto {
		gb, err := s.GatewayBot(discordgo.WithContext(ctx))
		if err != nil {
			return sc, fmt.Errorf("DISCORD_SHARD_COUNT=auto: ask Discord for the shard count: %w", err)
		}
		sc.Count = max(gb.Shards, 1)
		if sc.IdentifyInterval == 0 && gb.SessionStartLimit.MaxConcurrency > 1 {
			sc.IdentifyInterval = identifyEvery / time.Duration(gb.SessionStartLimit.MaxConcurrency)
		}
		for _, id := range sc.IDs {
			if id >= sc.Count {
				return sc, fmt.Errorf("DISCORD_SHARD_ID names shard %d, but Discord recommends %d shards (0-%d)", id, sc.Count, sc.Count-1)
			}
		}
	}
	if sc.Count < 1 {
		sc.Count = 1
	}
	if len(sc.IDs) == 0 {
		for i := 0; i < sc.Count; i++ {
			sc.IDs = append(sc.IDs, i)
		}
	}
	if sc.IdentifyInterval <= 0 {
		sc.IdentifyInterval = identifyEvery
	}
	return sc, nil
}

// identifyEvery is Discord's IDENTIFY rate: one per 5 s (per bucket).
const identifyEvery = 5 * time.Second

// ShardOf is the shard of a server among count shards: (guild_id >> 22) %
// count. A DM (guild "") and anything unparsable is shard 0's.
func ShardOf(guildID string, count int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || count <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// shardSet is the shards this process runs, once resolved.
type shardSet struct {
	mu    sync.RWMutex
	count int
	ids   map[int]bool
}

func (ss *shardSet) set(sc ShardConfig) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.count = sc.Count
	ss.ids = map[int]bool{}
	for _, id := range sc.IDs {
		ss.ids[id] = true
	}
}

// ownsGuild reports whether this process handles a server: its
// interactions, its schedules. An unsharded bot handles every server; a
// server-less subscription (guild "") belongs with DMs to shard 0.
func (b *Bot) ownsGuild(guildID string) bool {
	b.shardSet.mu.RLock()
	defer b.shardSet.mu.RUnlock()
	if b.shardSet.count <= 1 {
		return true
	}
	return b.shardSet.ids[ShardOf(guildID, b.shardSet.count)]
}

// openShards resolves the shard configuration and connects a gateway
// session per shard, IDENTIFYs spaced as Discord requires, waiting for each
// shard's READY. b.s is the first shard's session (and every REST call's).
func (b *Bot) openShards(ctx context.Context) error {
	sc, err := b.cfg.Shards.resolve(ctx, b.s)
	if err != nil {
		return err
	}
	b.shardSet.set(sc)
	for i, id := range sc.IDs {
		s := b.s
		if i > 0 {
			if s, err = b.newShardSession(); err != nil {
				return err
			}
			select {
			case <-time.After(sc.IdentifyInterval):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if sc.Count > 1 {
			s.ShardID, s.ShardCount = id, sc.Count
		}
		b.shardMu.Lock()
		b.sessions = append(b.sessions, s)
		b.shardMu.Unlock()
		if err := b.untilReachable(ctx, "connect to the gateway", s.Open); err != nil {
			return fmt.Errorf("connect to the Discord gateway: %w", err)
		}
		if err := b.waitReady(ctx, s); err != nil {
			return err
		}
		if sc.Count > 1 {
			b.log.Info("shard connected", "shard", id, "shards", sc.Count)
		}
	}
	return nil
}

// newShardSession makes another gateway session like b.s: the same token,
// API base and handlers, and the same REST rate limiter, since Discord's
// REST limits are per bot, not per connection.
func (b *Bot) newShardSession() (*discordgo.Session, error) {
	s, err := newSession(b.cfg.Token, b.apiURL)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Client = b.s.Client
	s.Ratelimiter = b.s.Ratelimiter
	b.addHandlers(s)
	return s, nil
}

// waitReady waits for a session's READY.
func (b *Bot) waitReady(ctx context.Context, s *discordgo.Session) error {
	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	for {
		b.shardMu.Lock()
		done, ch := b.readied[s], b.readyCh
		b.shardMu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			return errors.New("the Discord gateway sent no READY: check DISCORD_TOKEN and the network")
		}
	}
}

// markReady records a session's READY and wakes waitReady.
func (b *Bot) markReady(s *discordgo.Session) {
	b.shardMu.Lock()
	defer b.shardMu.Unlock()
	if b.readied == nil {
		b.readied = map[*discordgo.Session]bool{}
	}
	b.readied[s] = true
	close(b.readyCh)
	b.readyCh = make(chan struct{})
}

// closeShards closes every gateway session.
func (b *Bot) closeShards() {
	b.shardMu.Lock()
	sessions := b.sessions
	b.sessions = nil
	b.shardMu.Unlock()
	for _, s := range sessions {
		// Close does not stop a reconnect already under way.
		s.Lock()
		s.ShouldReconnectOnError = false
		s.Unlock()
		if err := s.Close(); err != nil {
			b.log.Warn("close gateway", "shard", s.ShardID, "err", err)
		}
	}
}

// stateGuilds lists the servers in every shard's cache: this process's
// servers.
func (b *Bot) stateGuilds() []string {
	b.shardMu.Lock()
	sessions := append([]*discordgo.Session{b.s}, b.sessions...)
	b.shardMu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, s := range sessions {
		s.State.RLock()
		for _, g := range s.State.Guilds {
			if !seen[g.ID] {
				seen[g.ID] = true
				out = append(out, g.ID)
			}
		}
		s.State.RUnlock()
	}
	return out
}
