package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// errClosed is returned by waits when the server closes under them.
var errClosed = errors.New("discordtest: server closed")

// Request is one REST request the fake received, with its answer.
type Request struct {
	Seq      int // 1-based arrival order
	Time     time.Time
	Method   string
	Path     string // below the API base with a leading "/", e.g. "/channels/1/messages"
	Query    url.Values
	Header   http.Header
	Body     []byte // the JSON body (payload_json for multipart requests)
	JSON     any    // Body decoded; nil when empty or not JSON
	Route    string // matched route pattern; "" for a route the fake does not know (404)
	Status   int    // status the fake answered
	Response []byte
	Injected bool // answered by an injected Fault, not by the route
	// Gone: the client left during a held request (Fault.Hold) and got no
	// answer; with Fault.CreateFirst the route ran all the same and
	// Response is what it would have answered.
	Gone bool
}

// Authorization returns the request's Authorization header.
func (r Request) Authorization() string { return r.Header.Get("Authorization") }

// Message returns the message a message-sending request carries (a channel
// post, an interaction reply or update, a webhook execute or edit), and
// whether it carries one. Edits (PATCH) count; defers and autocomplete
// results carry none.
func (r Request) Message() (json.RawMessage, bool) {
	switch {
	case r.Route == RouteChannelMessages && r.Method == http.MethodPost,
		r.Route == RouteWebhookExecute,
		r.Route == RouteWebhookMessage && r.Method == http.MethodPatch,
		r.Route == RouteChannelMessage && r.Method == http.MethodPatch:
		return r.Body, true
	case r.Route == RouteCallback:
		var cb struct {
			Type int             `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(r.Body, &cb) != nil {
			return nil, false
		}
		if cb.Type == 4 || cb.Type == 7 {
			return cb.Data, true
		}
	}
	return nil, false
}

// AllowedMentions returns the allowed_mentions value of the message the
// request carries, nil when absent.
func (r Request) AllowedMentions() json.RawMessage {
	msg, ok := r.Message()
	if !ok {
		return nil
	}
	var m struct {
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
	}
	_ = json.Unmarshal(msg, &m)
	return m.AllowedMentions
}

// String is a one-line summary for test failure messages.
func (r Request) String() string {
	return fmt.Sprintf("#%d %s %s -> %d %s", r.Seq, r.Method, r.Path, r.Status, truncate(string(r.Response), 200))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Requests returns every REST request received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// UnknownRoutes returns the requests for routes the fake does not implement
// (answered 404 like Discord). A bot test should expect none.
func (s *Server) UnknownRoutes() []Request {
	return s.filter(func(r Request) bool { return r.Route == "" })
}

// Problems returns every request the fake answered with a 4xx or 5xx that no
// injected Fault caused: a bot under test should normally cause none.
func (s *Server) Problems() []Request {
	return s.filter(func(r Request) bool { return r.Status >= 400 && !r.Injected })
}

// MessageRequests returns every request that carried a message (see Request.Message).
func (s *Server) MessageRequests() []Request {
	return s.filter(func(r Request) bool { _, ok := r.Message(); return ok })
}

// CheckAllowedMentionsNone returns an error naming every accepted (2xx)
// message-carrying request whose allowed_mentions is not {"parse": []}, or
// nil. Refused requests sent nothing; Problems lists them.
func (s *Server) CheckAllowedMentionsNone() error {
	var bad []string
	for _, r := range s.MessageRequests() {
		if r.Status >= 200 && r.Status < 300 && !MentionsNone(r.AllowedMentions()) {
			bad = append(bad, fmt.Sprintf("#%d %s %s allowed_mentions=%s", r.Seq, r.Method, r.Path, orNone(r.AllowedMentions())))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("messages without allowed_mentions {\"parse\":[]}: %s", strings.Join(bad, "; "))
	}
	return nil
}

func orNone(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "(absent)"
	}
	return string(raw)
}

func (s *Server) filter(keep func(Request) bool) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequest waits for a request (already received or future) for which
// match returns true, and returns the first such.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	var found Request
	err := s.waitFor(ctx, func() bool {
		for _, r := range s.requests {
			if match(r) {
				found = r
				return true
			}
		}
		return false
	})
	if err != nil {
		return Request{}, fmt.Errorf("wait for request: %w", err)
	}
	return found, nil
}

// WaitRequests waits until n requests match and returns them.
func (s *Server) WaitRequests(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	var found []Request
	err := s.waitFor(ctx, func() bool {
		found = found[:0]
		for _, r := range s.requests {
			if match(r) {
				found = append(found, r)
			}
		}
		return len(found) >= n
	})
	if err != nil {
		return nil, fmt.Errorf("wait for %d requests (have %d): %w", n, len(found), err)
	}
	return append([]Request(nil), found...), nil
}

// maxBody bounds what the fake reads of a request body (Discord's own cap
// for non-file bodies is far smaller).
const maxBody = 25 << 20

// readBody returns the JSON body of a request, taking payload_json from a
// multipart body the way Discord does.
func readBody(r *http.Request) ([]byte, error) {
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		mr := multipart.NewReader(io.LimitReader(r.Body, maxBody), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil, nil
			}
			if err != nil {
				return nil, fmt.Errorf("read multipart body: %w", err)
			}
			if p.FormName() == "payload_json" {
				return io.ReadAll(p)
			}
		}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}

// rateLimitHeaders adds the bucket headers Discord sends on every answer.
// Remaining never reaches 0, so discordgo never waits on its own.
func rateLimitHeaders(h http.Header, route string) {
	h.Set("X-RateLimit-Limit", "50")
	h.Set("X-RateLimit-Remaining", "49")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(time.Second).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", "1.000")
	h.Set("X-RateLimit-Bucket", bucketHash(route))
}

// bucketHash gives each route a stable opaque bucket name, like Discord's.
func bucketHash(route string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(route); i++ {
		h ^= uint64(route[i])
		h *= 1099511628211
	}
	return strconv.FormatUint(h, 16)
}
