package bot

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// backoff is the wait before each retry of a request that failed with a 5xx
// or a network error. discordgo itself waits out 429s (as Discord asks) and
// retries 502s; everything else transient is retried here a few times, then
// reported.
var backoff = []time.Duration{250 * time.Millisecond, time.Second, 3 * time.Second}

// retry runs fn until it succeeds, fails for good, or the retries run out.
func retry(ctx context.Context, log *slog.Logger, what string, waits []time.Duration, fn func() error) error {
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || !transient(err) || attempt >= len(waits) {
			return err
		}
		log.Warn("discord request failed, retrying", "what", what, "attempt", attempt+1, "err", shortErr(err))
		t := time.NewTimer(waits[attempt])
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
	}
}

// transient reports whether a request may succeed if sent again.
func transient(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		return re.Response != nil && re.Response.StatusCode >= 500
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) {
		return true
	}
	// discordgo gives up on repeated 502s with an unwrapped error.
	return strings.HasPrefix(err.Error(), "Exceeded Max retries HTTP 5")
}

// shortErr keeps a REST error's log line to its status and Discord's message
// rather than the whole body.
func shortErr(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Message != nil && re.Message.Message != "" {
			return re.Response.Status + ": " + re.Message.Message
		}
		return re.Response.Status
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// noMentions allows no mention at all: an article quoting "@everyone" or a
// role must ping nobody. Parse is non-nil and empty so it marshals as
// "parse": [] (the field has no omitempty; nil would be null, and an absent
// allowed_mentions lets Discord parse everything).
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}
