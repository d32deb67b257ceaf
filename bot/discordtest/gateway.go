package discordtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway close codes the fake uses (Discord's own numbers).
const (
	CloseUnknownError         = 4000
	CloseUnknownOpcode        = 4001
	CloseDecodeError          = 4002
	CloseNotAuthenticated     = 4003
	CloseAuthenticationFailed = 4004
	CloseAlreadyAuthenticated = 4005
	CloseInvalidShard         = 4010
)

// maxEventLog bounds the events kept per session for RESUME replay.
const maxEventLog = 10000

// writeTimeout bounds one websocket write, so a stuck client cannot wedge the fake.
const writeTimeout = 5 * time.Second

// gatewayState is the gateway's bookkeeping; guarded by Server.mu.
type gatewayState struct {
	sessions   map[string]*session
	conns      map[*gwConn]bool
	current    *session // the most recently identified session
	identifies []Identify
	resumes    int
	connects   int
	heartbeats int
	noAcks     bool
}

func (g *gatewayState) init() {
	g.sessions = map[string]*session{}
	g.conns = map[*gwConn]bool{}
}

// gwConn is one websocket connection.
type gwConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex // one writer at a time, as gorilla requires
	sess *session   // guarded by Server.mu; nil before IDENTIFY/RESUME
	// serverClosed is set when the fake ends the connection, so the
	// client's answering close frame does not count as the client's choice.
	serverClosed atomic.Bool
}

// write sends one JSON frame.
func (c *gwConn) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode gateway frame: %w", err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("write gateway frame: %w", err)
	}
	return nil
}

// closeWith sends a close frame with a Discord close code, then closes.
func (c *gwConn) closeWith(code int, text string) {
	c.serverClosed.Store(true)
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

// frame is a gateway payload.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

type outFrame struct {
	Op int     `json:"op"`
	D  any     `json:"d"`
	S  *int64  `json:"s"`
	T  *string `json:"t"`
}

// session is one gateway session: its sequence and the events sent in it,
// kept for RESUME.
type session struct {
	id    string
	token string

	mu   sync.Mutex // orders seq assignment with writes; never taken under Server.mu
	seq  int64
	log  []logged
	conn *gwConn // guarded by mu

	attached bool // guarded by Server.mu: a live connection carries it
	invalid  bool // guarded by Server.mu: no longer resumable
	// shard is the IDENTIFY's [shard_id, num_shards]; nil: unsharded,
	// receiving every guild's events (see shards.go).
	shard *[2]int
}

// logged is one dispatched event. onSend(true) runs just before each write
// of it, onSend(false) after a failed one.
type logged struct {
	seq    int64
	t      string
	d      any
	onSend func(sent bool)
}

// dispatch assigns the next sequence number to an event, logs it and sends
// it if a connection carries the session; onSend also runs for a replay
// after RESUME.
func (ss *session) dispatch(t string, d any, onSend func(sent bool)) (int64, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.seq++
	ev := logged{seq: ss.seq, t: t, d: d, onSend: onSend}
	ss.log = append(ss.log, ev)
	if len(ss.log) > maxEventLog {
		ss.log = ss.log[len(ss.log)-maxEventLog:]
	}
	if ss.conn == nil {
		return ev.seq, false
	}
	return ev.seq, ss.send(ss.conn, ev)
}

// send writes one logged event to c; ss.mu must be held.
func (ss *session) send(c *gwConn, ev logged) bool {
	t, seq := ev.t, ev.seq
	// Mark before writing: the client may answer (a REST callback) before
	// the write call returns here.
	if ev.onSend != nil {
		ev.onSend(true)
	}
	if err := c.write(outFrame{Op: 0, D: ev.d, S: &seq, T: &t}); err != nil {
		if ev.onSend != nil {
			ev.onSend(false)
		}
		return false
	}
	return true
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveGateway runs one websocket connection: HELLO, then IDENTIFY or
// RESUME, then heartbeats and dispatches until either side closes.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.gw.conns[c] = true
	s.gw.connects++
	s.conns.Add(1)
	s.notifyLocked()
	s.mu.Unlock()
	defer s.conns.Done()
	defer s.detach(c)

	if q.Get("encoding") != "" && q.Get("encoding") != "json" {
		c.closeWith(CloseDecodeError, "Error while decoding payload.")
		return
	}
	hello := map[string]any{"heartbeat_interval": s.cfg.heartbeat.Milliseconds()}
	if err := c.write(outFrame{Op: 10, D: hello}); err != nil {
		_ = ws.Close()
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			// As on Discord, a client closing with 1000 or 1001 ends its
			// session: it cannot RESUME, only IDENTIFY again.
			if !c.serverClosed.Load() && websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) {
				s.mu.Lock()
				if c.sess != nil {
					c.sess.invalid = true
				}
				s.mu.Unlock()
			}
			_ = ws.Close()
			return
		}
		var f frame
		if err := json.Unmarshal(msg, &f); err != nil {
			c.closeWith(CloseDecodeError, "Error while decoding payload.")
			return
		}
		if !s.handleFrame(c, f) {
			return
		}
	}
}

// handleFrame acts on one client frame; false ends the connection.
func (s *Server) handleFrame(c *gwConn, f frame) bool {
	s.mu.Lock()
	authed := c.sess != nil
	s.mu.Unlock()
	switch f.Op {
	case 1: // heartbeat
		s.mu.Lock()
		s.gw.heartbeats++
		noAcks := s.gw.noAcks
		s.notifyLocked()
		s.mu.Unlock()
		if !noAcks {
			if err := c.write(outFrame{Op: 11}); err != nil {
				_ = c.ws.Close()
				return false
			}
		}
		return true
	case 2:
		if authed {
			c.closeWith(CloseAlreadyAuthenticated, "You sent more than one identify payload.")
			return false
		}
		return s.identify(c, f.D)
	case 6:
		if authed {
			c.closeWith(CloseAlreadyAuthenticated, "You sent more than one identify payload.")
			return false
		}
		return s.resume(c, f.D)
	case 3, 4, 8: // presence, voice state, request members: accepted, ignored
		if !authed {
			c.closeWith(CloseNotAuthenticated, "Not authenticated.")
			return false
		}
		return true
	default:
		c.closeWith(CloseUnknownOpcode, "Unknown opcode.")
		return false
	}
}

func (s *Server) tokenOK(tok string) bool {
	tok = strings.TrimPrefix(tok, "Bot ")
	return tok != "" && (s.cfg.token == "" || tok == s.cfg.token)
}

// identify starts a new session and sends READY and GUILD_CREATE.
func (s *Server) identify(c *gwConn, raw json.RawMessage) bool {
	id := Identify{Raw: raw}
	if err := json.Unmarshal(raw, &id); err != nil {
		c.closeWith(CloseDecodeError, "Error while decoding payload.")
		return false
	}
	s.mu.Lock()
	s.gw.identifies = append(s.gw.identifies, id)
	s.notifyLocked()
	s.mu.Unlock()
	if !s.tokenOK(id.Token) {
		c.closeWith(CloseAuthenticationFailed, "Authentication failed.")
		return false
	}
	if sh := id.Shard; sh != nil && (sh[1] < 1 || sh[0] < 0 || sh[0] >= sh[1]) {
		c.closeWith(CloseInvalidShard, "Invalid shard.")
		return false
	}
	ss := &session{id: newSessionID(), token: id.Token, shard: id.Shard}
	ss.mu.Lock()
	ss.conn = c
	ss.mu.Unlock()

	s.mu.Lock()
	s.gw.sessions[ss.id] = ss
	// A new IDENTIFY replaces the earlier session of the same shard; other
	// shards' sessions live on.
	for _, old := range s.gw.sessions {
		if old != ss && sameShard(old.shard, ss.shard) {
			old.invalid = true
		}
	}
	s.gw.current = ss
	c.sess = ss
	ss.attached = true
	s.notifyLocked()
	s.mu.Unlock()

	s.mu.Lock()
	ids := s.shardGuildsLocked(ss.shard)
	s.mu.Unlock()
	guilds := make([]any, 0, len(ids))
	for _, id := range ids {
		guilds = append(guilds, map[string]any{"id": id, "unavailable": true})
	}
	ready := map[string]any{
		"v":                  9,
		"user":               s.botUser(),
		"session_id":         ss.id,
		"resume_gateway_url": s.GatewayURL(),
		"application":        map[string]any{"id": s.appID, "flags": 0},
		"guilds":             guilds,
		"shard":              ss.shard,
		"private_channels":   []any{},
		"session_type":       "normal",
	}
	if _, ok := ss.dispatch("READY", ready, nil); !ok {
		return false
	}
	for _, id := range ids {
		ss.dispatch("GUILD_CREATE", s.guildJSON(id, true), nil)
	}
	return true
}

// resume re-attaches a session: replays what the client missed, then RESUMED.
func (s *Server) resume(c *gwConn, raw json.RawMessage) bool {
	var p struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		c.closeWith(CloseDecodeError, "Error while decoding payload.")
		return false
	}
	s.mu.Lock()
	ss := s.gw.sessions[p.SessionID]
	usable := ss != nil && !ss.invalid && ss.token == p.Token && s.tokenOK(p.Token)
	s.mu.Unlock()
	if !usable {
		// Not resumable: the client must IDENTIFY again.
		if err := c.write(outFrame{Op: 9, D: false}); err != nil {
			return false
		}
		return true
	}

	ss.mu.Lock()
	old := ss.conn
	ss.conn = c
	s.mu.Lock()
	c.sess = ss
	ss.attached = true
	s.gw.resumes++
	s.mu.Unlock()
	if old != nil && old != c {
		go old.closeWith(CloseUnknownError, "Session resumed elsewhere.")
	}
	for _, ev := range ss.log {
		if ev.seq <= p.Seq || ev.t == "READY" || ev.t == "RESUMED" {
			continue
		}
		if !ss.send(c, ev) {
			ss.mu.Unlock()
			return false
		}
	}
	ss.mu.Unlock()
	_, ok := ss.dispatch("RESUMED", map[string]any{}, nil)
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
	return ok
}

// detach forgets a connection that ended; its session stays resumable.
func (s *Server) detach(c *gwConn) {
	s.mu.Lock()
	ss := c.sess
	c.sess = nil
	delete(s.gw.conns, c)
	s.mu.Unlock()
	if ss != nil {
		ss.mu.Lock()
		if ss.conn == c {
			ss.conn = nil
			s.mu.Lock()
			ss.attached = false
			s.mu.Unlock()
		}
		ss.mu.Unlock()
	}
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
}

func newSessionID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// currentConn returns the connection carrying the current session, if any.
func (s *Server) currentConn() (*session, *gwConn) {
	s.mu.Lock()
	ss := s.gw.current
	s.mu.Unlock()
	if ss == nil {
		return nil, nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss, ss.conn
}

// errNoConnection is returned by gateway controls when no client is connected.
var errNoConnection = errors.New("discordtest: no gateway connection")

// DropConnection closes the current gateway connection abruptly, without a
// close frame, as a network failure would. discordgo then reconnects and
// RESUMEs; events dispatched meanwhile are replayed on RESUME.
func (s *Server) DropConnection() error {
	_, c := s.currentConn()
	if c == nil {
		return errNoConnection
	}
	c.serverClosed.Store(true)
	return c.ws.Close()
}

// CloseConnection closes the current gateway connection with a close frame
// carrying code (e.g. CloseUnknownError, which Discord lets clients resume).
func (s *Server) CloseConnection(code int, text string) error {
	_, c := s.currentConn()
	if c == nil {
		return errNoConnection
	}
	c.closeWith(code, text)
	return nil
}

// Reconnect sends op 7: the client must reconnect and RESUME.
func (s *Server) Reconnect() error {
	_, c := s.currentConn()
	if c == nil {
		return errNoConnection
	}
	return c.write(outFrame{Op: 7})
}

// InvalidateSession sends op 9 (d: false): the session cannot be resumed and
// the client must IDENTIFY again on the same connection.
func (s *Server) InvalidateSession() error {
	ss, c := s.currentConn()
	if c == nil {
		return errNoConnection
	}
	s.mu.Lock()
	ss.invalid = true
	c.sess = nil
	ss.attached = false
	s.notifyLocked()
	s.mu.Unlock()
	ss.mu.Lock()
	ss.conn = nil
	ss.mu.Unlock()
	return c.write(outFrame{Op: 9, D: false})
}

// SetHeartbeatAcks turns heartbeat ACKs (op 11) on or off. Without ACKs
// discordgo declares the connection dead after five intervals and resumes.
func (s *Server) SetHeartbeatAcks(on bool) {
	s.mu.Lock()
	s.gw.noAcks = !on
	s.mu.Unlock()
}

// GatewayStats counts what happened on the gateway.
type GatewayStats struct {
	Connections int // websocket connections accepted
	Identifies  int
	Resumes     int // successful RESUMEs
	Heartbeats  int
	Connected   bool // a live connection carries the current session
}

// GatewayStats returns the gateway counters.
func (s *Server) GatewayStats() GatewayStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gatewayStatsLocked()
}

func (s *Server) gatewayStatsLocked() GatewayStats {
	return GatewayStats{
		Connections: s.gw.connects,
		Identifies:  len(s.gw.identifies),
		Resumes:     s.gw.resumes,
		Heartbeats:  s.gw.heartbeats,
		Connected:   s.gw.current != nil && s.gw.current.attached,
	}
}

// WaitGateway waits until cond holds for the gateway counters, e.g.
// func(g GatewayStats) bool { return g.Resumes >= 1 && g.Connected }.
func (s *Server) WaitGateway(ctx context.Context, cond func(GatewayStats) bool) (GatewayStats, error) {
	var st GatewayStats
	err := s.waitFor(ctx, func() bool {
		st = s.gatewayStatsLocked()
		return cond(st)
	})
	if err != nil {
		return st, fmt.Errorf("wait for gateway (now %+v): %w", st, err)
	}
	return st, nil
}

// WaitConnected waits until a client has identified (or resumed) and its
// connection is live.
func (s *Server) WaitConnected(ctx context.Context) error {
	_, err := s.WaitGateway(ctx, func(g GatewayStats) bool { return g.Connected })
	return err
}

// Identify is a received IDENTIFY payload. (discordgo.Identify cannot decode
// what discordgo itself sends: its presence's created_at round-trips badly.)
type Identify struct {
	Token          string            `json:"token"`
	Intents        discordgo.Intent  `json:"intents"`
	Compress       bool              `json:"compress"`
	LargeThreshold int               `json:"large_threshold"`
	Shard          *[2]int           `json:"shard"`
	Properties     map[string]string `json:"properties"`
	Raw            json.RawMessage   `json:"-"`
}

// Identifies returns every IDENTIFY payload received (token, intents, ...).
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// Dispatch sends any event (e.g. "MESSAGE_CREATE") in the current session;
// it is replayed on RESUME if the client is disconnected now.
func (s *Server) Dispatch(ctx context.Context, eventType string, data any) error {
	ss, err := s.waitSession(ctx)
	if err != nil {
		return err
	}
	ss.dispatch(eventType, data, nil)
	return nil
}

// waitSession waits for an identified session (connected or not).
func (s *Server) waitSession(ctx context.Context) (*session, error) {
	var ss *session
	err := s.waitFor(ctx, func() bool {
		ss = s.gw.current
		return ss != nil && !ss.invalid
	})
	if err != nil {
		return nil, fmt.Errorf("wait for a gateway session: %w", err)
	}
	return ss, nil
}
