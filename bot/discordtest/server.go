package discordtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// APIPath is the path prefix of the REST API, as in discordgo.EndpointAPI.
const APIPath = "/api/v9/"

// DiscordAPI is the REST base discordgo v0.29.0 compiles into every endpoint.
const DiscordAPI = "https://discord.com/api/v9/"

// Defaults for the timing options; see the With* options.
const (
	DefaultHeartbeatInterval   = time.Second
	DefaultInteractionDeadline = 3 * time.Second
	DefaultTokenLifetime       = 15 * time.Minute
	DefaultRetryAfter          = 100 * time.Millisecond
	// DefaultNonceWindow is how long a channel message's nonce is
	// remembered for enforce_nonce; Discord says "the past few minutes".
	DefaultNonceWindow = 5 * time.Minute
)

// Option changes a Server's configuration in NewServer.
type Option func(*config)

type config struct {
	heartbeat     time.Duration
	deadline      time.Duration
	tokenLifetime time.Duration
	token         string
	// recommendedShards is what GET /gateway/bot answers; 0 means 1.
	recommendedShards int
	rlLimit           int
	rlWindow          time.Duration
	clock             func() time.Time
	nonceWindow       time.Duration
}

// WithClock sets the time the fake stamps messages with: their Created
// time, their IDs (which encode it, as Discord's do) and the enforce_nonce
// window. The chaos test shares its simulated clock with the bot this way.
// Interaction deadlines and rate limits stay in real time.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithNonceWindow sets how long enforce_nonce remembers a nonce; 0 turns
// the deduplication off, so a test shows exactly-once without it.
func WithNonceWindow(d time.Duration) Option {
	return func(c *config) { c.nonceWindow = d }
}

// WithHeartbeatInterval sets the heartbeat_interval sent in HELLO. Short
// intervals make discordgo notice a dead connection sooner (after five).
func WithHeartbeatInterval(d time.Duration) Option {
	return func(c *config) { c.heartbeat = d }
}

// WithInteractionDeadline sets how long after dispatch an interaction
// accepts its first callback (Discord: 3 s), after which the callback is
// answered 404 "Unknown interaction".
func WithInteractionDeadline(d time.Duration) Option {
	return func(c *config) { c.deadline = d }
}

// WithTokenLifetime sets how long after dispatch an interaction token accepts
// edits and follow-ups (Discord: 15 min); later ones get 401 "Invalid Webhook Token".
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// WithToken makes the fake accept only this bot token (with or without the
// "Bot " prefix): REST answers 401 and the gateway closes with 4004 otherwise.
// Without it any "Bot ..." token is accepted.
func WithToken(token string) Option {
	return func(c *config) { c.token = strings.TrimPrefix(token, "Bot ") }
}

// Server is a fake Discord: a gateway websocket and the REST routes a bot
// uses, on 127.0.0.1. All methods are safe for concurrent use.
type Server struct {
	cfg  config
	ts   *httptest.Server
	ids  snowflakes
	base string // REST base, ends with APIPath

	appID, botID, guildID, channelID string

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every state change
	closed       bool
	requests     []Request
	faults       []*Fault
	commands     map[string][]*storedCommand // by guild ID; "" holds global commands
	guilds       map[string]*guild
	channels     map[string]*channel
	messages     map[string][]*Message // by channel ID
	interactions map[string]*interactionState
	byToken      map[string]*interactionState
	buckets      map[string]*bucket
	nonceHits    int
	gw           gatewayState

	conns sync.WaitGroup // gateway connection goroutines
}

// NewServer starts a fake Discord on a random 127.0.0.1 port with one
// application (whose bot user has the application's ID, as on Discord), one
// guild and one text channel in it. Call Close when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		cfg: config{
			heartbeat:     DefaultHeartbeatInterval,
			deadline:      DefaultInteractionDeadline,
			tokenLifetime: DefaultTokenLifetime,
			clock:         time.Now,
			nonceWindow:   DefaultNonceWindow,
		},
		changed:      make(chan struct{}),
		commands:     map[string][]*storedCommand{},
		guilds:       map[string]*guild{},
		channels:     map[string]*channel{},
		messages:     map[string][]*Message{},
		interactions: map[string]*interactionState{},
		byToken:      map[string]*interactionState{},
		buckets:      map[string]*bucket{},
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.ids.now = s.cfg.clock
	s.gw.init()
	s.appID = s.ids.next()
	s.botID = s.appID
	g, ch := s.newGuildLocked("Test Guild")
	s.guildID, s.channelID = g.id, ch

	mux := http.NewServeMux()
	s.routes(mux)
	mux.HandleFunc("/gateway", s.serveGateway)
	mux.HandleFunc("/gateway/", s.serveGateway)
	s.ts = httptest.NewServer(mux)
	s.base = s.ts.URL + APIPath
	return s
}

// URL returns the REST base in discordgo.EndpointAPI's shape,
// "http://127.0.0.1:PORT/api/v9/".
func (s *Server) URL() string { return s.base }

// GatewayURL returns the websocket URL that GET /gateway answers.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.ts.URL, "http") + "/gateway"
}

// AppID returns the application ID (also the bot user's ID).
func (s *Server) AppID() string { return s.appID }

// BotUserID returns the bot user's ID.
func (s *Server) BotUserID() string { return s.botID }

// GuildID returns the ID of the first guild the bot is in (AddGuild adds
// more).
func (s *Server) GuildID() string { return s.guildID }

// ChannelID returns the ID of the guild's text channel.
func (s *Server) ChannelID() string { return s.channelID }

// AddChannel creates another text channel in the first guild and returns
// its ID.
func (s *Server) AddChannel(name string) string { return s.AddChannelIn(s.guildID, name) }

// Transport returns a RoundTripper that sends requests for discordgo's
// compiled-in base (DiscordAPI) to this server and everything else as is.
// Install it as Session.Client.Transport when the code under test has no
// configurable API base of its own.
func (s *Server) Transport() http.RoundTripper {
	return RewriteTransport(DiscordAPI, s.base, nil)
}

// RewriteTransport returns a RoundTripper that rewrites request URLs starting
// with from to start with to instead, then sends them with next
// (http.DefaultTransport when nil). Both bases must end with "/".
func RewriteTransport(from, to string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &rewriteTransport{from: from, to: to, next: next}
}

type rewriteTransport struct {
	from, to string
	next     http.RoundTripper
}

// RoundTrip rewrites the URL on a clone: a RoundTripper must not modify the
// caller's request.
func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	u := r.URL.String()
	if !strings.HasPrefix(u, t.from) {
		return t.next.RoundTrip(r)
	}
	nu, err := r.URL.Parse(t.to + strings.TrimPrefix(u, t.from))
	if err != nil {
		if r.Body != nil {
			_ = r.Body.Close() // a RoundTripper must close the body, even on error
		}
		return nil, fmt.Errorf("rewrite %s: %w", u, err)
	}
	r2 := r.Clone(r.Context())
	r2.URL = nu
	r2.Host = nu.Host
	return t.next.RoundTrip(r2)
}

// Close closes every gateway connection and shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.notifyLocked()
	conns := make([]*gwConn, 0, len(s.gw.conns))
	for c := range s.gw.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
	s.ts.CloseClientConnections()
	s.ts.Close()
	s.conns.Wait()
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (called with s.mu held) is true, the context ends
// or the server closes.
func (s *Server) waitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		if s.closed {
			s.mu.Unlock()
			return errClosed
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// hijackClose drops a request's connection without answering, which the
// client sees as a network error.
func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
