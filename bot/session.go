package bot

import (
	"net/http"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// restTimeout bounds one REST request, as discordgo's default client does.
const restTimeout = 20 * time.Second

// newSession builds a discordgo session whose every REST request (and so the
// gateway lookup, GET gateway) goes to apiURL. discordgo computes all its
// endpoints from EndpointAPI at init, so reassigning that variable changes
// nothing; rewriting on the HTTP client does, and touches no globals that
// discordgo's goroutines read.
func newSession(token, apiURL string) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + strings.TrimPrefix(token, "Bot "))
	if err != nil {
		return nil, err
	}
	var rt http.RoundTripper = http.DefaultTransport
	if apiURL != discordgo.EndpointAPI {
		rt = &baseRewriter{from: discordgo.EndpointAPI, to: apiURL, next: rt}
	}
	s.Client = &http.Client{Timeout: restTimeout, Transport: rt}
	// Every call passes these as request options too (callOptions): set
	// here so that no call can sleep on a 429 without a deadline.
	s.ShouldRetryOnRateLimit = false
	s.MaxRestRetries = 0
	// Slash commands arrive as INTERACTION_CREATE whatever the intents; the
	// guilds intent keeps the channel cache that maps channels to servers.
	s.Identify.Intents = discordgo.IntentsGuilds
	s.StateEnabled = true
	s.State.TrackMembers = false
	s.State.TrackPresences = false
	s.State.TrackVoice = false
	s.State.TrackEmojis = false
	s.State.TrackStickers = false
	s.State.TrackThreadMembers = false
	s.State.MaxMessageCount = 0
	return s, nil
}

// baseRewriter sends requests for one URL prefix to another.
type baseRewriter struct {
	from, to string
	next     http.RoundTripper
}

// RoundTrip rewrites a clone: a RoundTripper must not change the caller's
// request.
func (t *baseRewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	u := r.URL.String()
	if !strings.HasPrefix(u, t.from) {
		return t.next.RoundTrip(r)
	}
	nu, err := r.URL.Parse(t.to + strings.TrimPrefix(u, t.from))
	if err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	r2 := r.Clone(r.Context())
	r2.URL = nu
	r2.Host = nu.Host
	return t.next.RoundTrip(r2)
}
