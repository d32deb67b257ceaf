package discordtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Route path patterns (net/http.ServeMux syntax); Request.Route holds one of
// these, or "" for a route the fake does not know. Methods vary per route.
const (
	RouteGateway         = "/api/v9/gateway"
	RouteGatewayBot      = "/api/v9/gateway/bot"
	RouteMe              = "/api/v9/users/@me"
	RouteOAuthApp        = "/api/v9/oauth2/applications/@me"
	RouteApp             = "/api/v9/applications/@me"
	RouteGlobalCommands  = "/api/v9/applications/{app}/commands"
	RouteGuildCommands   = "/api/v9/applications/{app}/guilds/{guild}/commands"
	RouteGlobalCommand   = "/api/v9/applications/{app}/commands/{cmd}"
	RouteGuildCommand    = "/api/v9/applications/{app}/guilds/{guild}/commands/{cmd}"
	RouteCallback        = "/api/v9/interactions/{id}/{token}/callback"
	RouteWebhookExecute  = "/api/v9/webhooks/{app}/{token}"
	RouteWebhookMessage  = "/api/v9/webhooks/{app}/{token}/messages/{msg}"
	RouteChannel         = "/api/v9/channels/{channel}"
	RouteChannelMessages = "/api/v9/channels/{channel}/messages"
	RouteChannelMessage  = "/api/v9/channels/{channel}/messages/{msg}"
	RouteGuild           = "/api/v9/guilds/{guild}"
	RouteGuildChannels   = "/api/v9/guilds/{guild}/channels"
	RouteGuildRoles      = "/api/v9/guilds/{guild}/roles"
	RouteGuildMember     = "/api/v9/guilds/{guild}/members/{user}"

	noAuth    = false
	needsAuth = true
)

// answer is what a route handler returns; the wrapper writes and records it.
type answer struct {
	status int
	body   any // nil: no body (204)
	header http.Header
}

func ok(v any) answer { return answer{status: http.StatusOK, body: v} }

func noContent() answer { return answer{status: http.StatusNoContent} }

func fail(status, code int, msg string) answer {
	return answer{status: status, body: apiError{Message: msg, Code: code}}
}

// invalidBody turns a message parse error into Discord's answer.
func invalidBody(err error) answer {
	if ve, isVE := err.(*ValidationError); isVE {
		return answer{status: http.StatusBadRequest, body: apiError{Message: "Invalid Form Body", Code: CodeInvalidFormBody, Errors: ve.discordErrors()}}
	}
	if err == errEmptyMessage {
		return fail(http.StatusBadRequest, CodeEmptyMessage, "Cannot send an empty message")
	}
	return fail(http.StatusBadRequest, CodeInvalidJSON, "The request body contains invalid JSON.")
}

// handlerFunc serves one route; s.mu is held while it runs, so handlers
// must not block.
type handlerFunc func(r *http.Request, body []byte) answer

// routes registers every REST route the fake implements.
func (s *Server) routes(mux *http.ServeMux) {
	h := func(pattern string, auth bool, fn handlerFunc) {
		mux.HandleFunc(pattern, s.wrap(pattern, auth, fn))
	}
	h("GET "+RouteGateway, noAuth, s.getGateway)
	h("GET "+RouteGatewayBot, needsAuth, s.getGatewayBot)
	h("GET "+RouteMe, needsAuth, s.getMe)
	h("GET "+RouteOAuthApp, needsAuth, s.getApplication)
	h("GET "+RouteApp, needsAuth, s.getApplication)
	h("GET "+RouteGlobalCommands, needsAuth, s.getCommands)
	h("PUT "+RouteGlobalCommands, needsAuth, s.putCommands)
	h("POST "+RouteGlobalCommands, needsAuth, s.postCommand)
	h("GET "+RouteGuildCommands, needsAuth, s.getCommands)
	h("PUT "+RouteGuildCommands, needsAuth, s.putCommands)
	h("POST "+RouteGuildCommands, needsAuth, s.postCommand)
	h("GET "+RouteGlobalCommand, needsAuth, s.getCommand)
	h("DELETE "+RouteGlobalCommand, needsAuth, s.deleteCommand)
	h("GET "+RouteGuildCommand, needsAuth, s.getCommand)
	h("DELETE "+RouteGuildCommand, needsAuth, s.deleteCommand)
	h("POST "+RouteCallback, noAuth, s.postCallback)
	h("POST "+RouteWebhookExecute, noAuth, s.postFollowup)
	h("GET "+RouteWebhookMessage, noAuth, s.getWebhookMessage)
	h("PATCH "+RouteWebhookMessage, noAuth, s.patchWebhookMessage)
	h("DELETE "+RouteWebhookMessage, noAuth, s.deleteWebhookMessage)
	h("GET "+RouteChannel, needsAuth, s.getChannel)
	h("POST "+RouteChannelMessages, needsAuth, s.postChannelMessage)
	h("GET "+RouteChannelMessages, needsAuth, s.getChannelMessages)
	h("GET "+RouteChannelMessage, needsAuth, s.getChannelMessage)
	h("PATCH "+RouteChannelMessage, needsAuth, s.patchChannelMessage)
	h("GET "+RouteGuild, needsAuth, s.getGuild)
	h("GET "+RouteGuildChannels, needsAuth, s.getGuildChannels)
	h("GET "+RouteGuildRoles, needsAuth, s.getGuildRoles)
	h("GET "+RouteGuildMember, needsAuth, s.getGuildMember)
	mux.HandleFunc("/", s.wrap("", noAuth, nil))
}

// wrap reads and records the request, applies auth and injected faults,
// then runs fn under s.mu.
func (s *Server) wrap(route string, auth bool, fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, readErr := readBody(r)
		rec := Request{
			Time:   time.Now(),
			Method: r.Method,
			Path:   "/" + strings.TrimPrefix(r.URL.Path, APIPath),
			Query:  r.URL.Query(),
			Header: r.Header.Clone(),
			Body:   body,
			Route:  stripMethod(route),
		}
		if !strings.HasPrefix(r.URL.Path, APIPath) {
			rec.Path = r.URL.Path
		}
		if len(body) > 0 {
			var v any
			if json.Unmarshal(body, &v) == nil {
				rec.JSON = v
			}
		}

		s.mu.Lock()
		fault, faulted := s.takeFaultLocked(r.Method, rec.Path)
		if faulted && fault.Drop {
			rec.Injected = true
			rec.Status = 0
			s.recordLocked(rec)
			s.mu.Unlock()
			hijackClose(w)
			return
		}
		if faulted && fault.Hold > 0 && !fault.CreateFirst {
			// Held before anything is done: a client that leaves gets
			// nothing done.
			s.mu.Unlock()
			gone := !s.hold(r, fault, rec)
			s.mu.Lock()
			if gone {
				rec.Injected, rec.Gone = true, true
				s.recordLocked(rec)
				s.mu.Unlock()
				return
			}
		}
		var a answer
		if faulted && fault.Status != 0 && !fault.CreateFirst {
			rec.Injected = true
			a.status, a.header, a.body = faultResponse(fault, route)
		} else {
			a = s.answerLocked(r, route, auth, fn, body, readErr)
		}
		if faulted && fault.CreateFirst {
			// The route ran (the message exists); the client sees a
			// slow answer, an error, or nothing if it leaves meanwhile.
			created := a
			if fault.Status != 0 {
				rec.Injected = true
				a.status, a.header, a.body = faultResponse(fault, route)
			}
			s.mu.Unlock()
			gone := !s.hold(r, fault, rec)
			s.mu.Lock()
			if gone {
				rec.Injected, rec.Gone = true, true
				rec.Response, _ = json.Marshal(created.body)
				s.recordLocked(rec)
				s.mu.Unlock()
				return
			}
		}
		var out []byte
		if a.body != nil {
			var err error
			if out, err = json.Marshal(a.body); err != nil {
				a = fail(http.StatusInternalServerError, 0, "fake: encode answer: "+err.Error())
				out, _ = json.Marshal(a.body)
			}
		}
		rec.Status = a.status
		rec.Response = out
		s.recordLocked(rec)
		s.mu.Unlock()

		for k, v := range a.header {
			w.Header()[k] = v
		}
		if !rec.Injected && a.header == nil {
			rateLimitHeaders(w.Header(), route)
		}
		if out != nil {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(out)
	}
}

// answerLocked is the route's own answer to a request no fault took:
// 404 for an unknown route, auth, rate limits, then the handler.
func (s *Server) answerLocked(r *http.Request, route string, auth bool, fn handlerFunc, body []byte, readErr error) answer {
	switch {
	case fn == nil:
		return fail(http.StatusNotFound, 0, "404: Not Found")
	case readErr != nil:
		return fail(http.StatusBadRequest, CodeInvalidJSON, "The request body contains invalid JSON.")
	case auth && !s.authorized(r.Header.Get("Authorization")):
		return fail(http.StatusUnauthorized, CodeUnauthorized, "401: Unauthorized")
	}
	h, limited := s.rateLimitLocked(r, route)
	if limited != nil {
		return *limited
	}
	a := fn(r, body)
	a.header = h
	return a
}

// hold keeps a held request for the fault's Hold, calling its OnHold
// first. It reports false when the client left (gave up or died) meanwhile.
func (s *Server) hold(r *http.Request, f Fault, rec Request) bool {
	if f.OnHold != nil {
		f.OnHold(rec)
	}
	if f.Hold <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(f.Hold)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// recordLocked appends a request to the log and wakes waiters.
func (s *Server) recordLocked(rec Request) {
	rec.Seq = len(s.requests) + 1
	s.requests = append(s.requests, rec)
	s.notifyLocked()
}

// authorized checks a REST Authorization header: a bot token, and the
// configured one if any.
func (s *Server) authorized(h string) bool {
	tok, isBot := strings.CutPrefix(h, "Bot ")
	if !isBot || tok == "" {
		return false
	}
	return s.cfg.token == "" || tok == s.cfg.token
}

// stripMethod drops a pattern's method so Request.Route compares equal for
// every method of one path.
func stripMethod(pattern string) string {
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		return pattern[i+1:]
	}
	return pattern
}
