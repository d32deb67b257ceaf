package discordtest

import (
	"strconv"
	"sync"
	"time"
)

// discordEpoch is the first millisecond of 2015, the origin of Discord snowflakes.
const discordEpoch = 1420070400000

// snowflakes hands out IDs shaped like Discord's (timestamp in the high bits),
// so code that derives a creation time from an ID sees a plausible one.
type snowflakes struct {
	mu   sync.Mutex
	last uint64
	now  func() time.Time // nil: time.Now
}

// next returns a new ID, strictly greater than every ID returned before.
func (g *snowflakes) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now
	if g.now != nil {
		now = g.now
	}
	id := uint64(now().UnixMilli()-discordEpoch) << 22
	if id <= g.last {
		id = g.last + 1
	}
	g.last = id
	return strconv.FormatUint(id, 10)
}

// nextOnShard returns a new ID, as next, whose shard among count shards,
// (id >> 22) % count, is shard: its timestamp is moved up to the next
// millisecond that gives it (at most count-1 ms ahead).
func (g *snowflakes) nextOnShard(shard, count int) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := uint64(time.Now().UnixMilli() - discordEpoch)
	if last := g.last >> 22; last >= ms {
		ms = last + 1
	}
	for ms%uint64(count) != uint64(shard) {
		ms++
	}
	g.last = ms << 22
	return strconv.FormatUint(g.last, 10)
}

// snowflakeTime returns the creation time encoded in a snowflake ID.
func snowflakeTime(id string) (time.Time, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(int64(n>>22) + discordEpoch), nil
}
