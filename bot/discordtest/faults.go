package discordtest

import (
	"fmt"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Fault makes the fake answer matching REST requests with an error instead
// of serving them. The route's state is untouched by a faulted request, as
// when Discord itself fails it.
type Fault struct {
	// Method matches the HTTP method; "" matches any.
	Method string
	// Path is a path.Match pattern for the path below the API base, such as
	// "/channels/*/messages" or "/interactions/*/*/callback"; "" matches any.
	Path string
	// Status is the answer's status: 429 sends a rate limit (see RetryAfter),
	// 5xx a server error. Ignored when Drop is set. 0 with Hold or
	// CreateFirst: the route's own answer, late.
	Status int
	// Times is how many requests fail; 0 means 1, Forever (a storm) until
	// ClearFaults or Until.
	Times int
	// Until, when set, ends the fault at that time on the fake's clock
	// (WithClock), used up or not: a storm of a given length.
	Until time.Time
	// RetryAfter is the 429's wait (body retry_after, Retry-After and
	// X-RateLimit-Reset-After headers); 0 means DefaultRetryAfter.
	RetryAfter time.Duration
	// Global marks a 429 as the global rate limit (X-RateLimit-Global).
	Global bool
	// Drop closes the connection without any answer: a network error.
	Drop bool
	// Code and Message override the error body's JSON code and message,
	// e.g. 50013 "Missing Permissions" with Status 403.
	Code    int
	Message string
	// Hold keeps the request this long before answering, like a Discord
	// that is slow to reply. A client that gives up (or dies) during a hold
	// before the request was processed gets nothing done: the route never
	// runs, as when a request never fully reached Discord.
	Hold time.Duration
	// CreateFirst runs the route before the hold and before any error
	// answer: the message exists although the client sees a slow reply, a
	// 5xx or nothing at all (if it gives up or dies during the hold).
	CreateFirst bool
	// OnHold, when set, is called as the hold begins (after the route ran,
	// with CreateFirst): the chaos test kills the bot there.
	OnHold func(Request)
}

// Forever as Fault.Times keeps the fault until ClearFaults: a storm.
const Forever = -1

// ClearFaults removes every injected fault not used up yet, ending storms.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// Inject queues a fault. Faults apply in the order injected; each matching
// request consumes one use of the first matching fault.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 || f.Times < Forever {
		f.Times = 1
	}
	if f.Status == http.StatusTooManyRequests && f.RetryAfter <= 0 {
		f.RetryAfter = DefaultRetryAfter
	}
	if f.Path != "" && !strings.HasPrefix(f.Path, "/") {
		f.Path = "/" + f.Path
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// FailNext makes the next n requests matching method and the path.Match
// pattern (below the API base, e.g. "/channels/*/messages") fail with
// status. A 429 carries DefaultRetryAfter in its body and headers.
func (s *Server) FailNext(method, pattern string, status, n int) {
	s.Inject(Fault{Method: method, Path: pattern, Status: status, Times: n})
}

// RateLimitNext makes the next n matching requests answer 429 with the given
// retry_after.
func (s *Server) RateLimitNext(method, pattern string, retryAfter time.Duration, n int) {
	s.Inject(Fault{Method: method, Path: pattern, Status: http.StatusTooManyRequests, Times: n, RetryAfter: retryAfter})
}

// PendingFaults returns how many injected failures have not been used yet;
// -1 while a storm (Forever) is on.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		if f.Times == Forever {
			return -1
		}
		n += f.Times
	}
	return n
}

// takeFaultLocked consumes one use of the first fault matching the request.
func (s *Server) takeFaultLocked(method, p string) (Fault, bool) {
	now := s.cfg.clock()
	live := s.faults[:0]
	for _, f := range s.faults {
		if f.Until.IsZero() || now.Before(f.Until) {
			live = append(live, f)
		}
	}
	s.faults = live
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.Path != "" {
			if ok, _ := path.Match(f.Path, p); !ok {
				continue
			}
		}
		taken := *f
		if f.Times != Forever {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
		}
		return taken, true
	}
	return Fault{}, false
}

// faultResponse builds the answer Discord would give for the fault.
func faultResponse(f Fault, route string) (int, http.Header, any) {
	h := http.Header{}
	switch {
	case f.Status == http.StatusTooManyRequests:
		secs := f.RetryAfter.Seconds()
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(f.RetryAfter).UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", bucketHash(route))
		scope := "user"
		if f.Global {
			h.Set("X-RateLimit-Global", "true")
			scope = "global"
		}
		h.Set("X-RateLimit-Scope", scope)
		return f.Status, h, map[string]any{
			"message":     "You are being rate limited.",
			"retry_after": math.Round(secs*1000) / 1000,
			"global":      f.Global,
		}
	default:
		msg := f.Message
		if msg == "" {
			msg = fmt.Sprintf("%d: %s", f.Status, http.StatusText(f.Status))
		}
		return f.Status, h, apiError{Message: msg, Code: f.Code}
	}
}
