package discordtest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// WithRateLimit makes the fake enforce Discord-style per-route buckets:
// at most limit requests per window for each method, route and major
// parameter (channel, guild, webhook token). Answers carry accurate
// X-RateLimit-* headers, which discordgo obeys; a client that ignores them
// gets a real (not injected) 429, listed by Problems. Interaction callbacks
// are exempt, as on Discord. Off by default.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(c *config) { c.rlLimit, c.rlWindow = limit, window }
}

// bucket is one rate limit bucket's state.
type bucket struct {
	used  int
	reset time.Time
}

// rateLimitLocked counts a request against its bucket. It returns the
// headers for a served request, or the 429 answer when the bucket is empty.
func (s *Server) rateLimitLocked(r *http.Request, route string) (http.Header, *answer) {
	if s.cfg.rlLimit <= 0 || route == "" || stripMethod(route) == RouteCallback {
		return nil, nil
	}
	major := r.PathValue("channel") + r.PathValue("guild") + r.PathValue("token")
	key := r.Method + " " + stripMethod(route) + " " + major
	now := time.Now()
	b := s.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{reset: now.Add(s.cfg.rlWindow)}
		s.buckets[key] = b
	}
	after := b.reset.Sub(now)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.cfg.rlLimit))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(b.reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(after.Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", bucketHash(key))
	if b.used >= s.cfg.rlLimit {
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Scope", "user")
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(after.Seconds()))))
		return nil, &answer{status: http.StatusTooManyRequests, header: h, body: map[string]any{
			"message":     "You are being rate limited.",
			"retry_after": math.Ceil(after.Seconds()*1000) / 1000,
			"global":      false,
		}}
	}
	b.used++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.cfg.rlLimit-b.used))
	return h, nil
}
