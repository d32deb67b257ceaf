package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// backoff is the wait before each retry, within one call, of a request
// that failed with a 5xx or a network error. A call that still fails is
// reported; a scheduled post is then retried by the delivery log, over
// minutes, not here.
var backoff = []time.Duration{250 * time.Millisecond, time.Second, 3 * time.Second}

// callTimeout bounds one Discord call, its waits for 429s and its retries
// included, when the caller's context has no earlier deadline.
const callTimeout = 30 * time.Second

// minRateLimitWait keeps a 429 with retry_after 0 from spinning.
const minRateLimitWait = 50 * time.Millisecond

// callOptions are the request options every Discord call is made with: the
// call's context, and no waiting or retrying inside discordgo. discordgo
// v0.29.0 sleeps a 429's retry_after without a context and retries without
// limit (RequestWithLockedBucket), and retries a 502 at once up to
// MaxRestRetries; call does both itself, within the deadline.
func callOptions(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0)}
}

// call runs one Discord REST request under ctx and a deadline (ctx's, or
// callTimeout), and returns what fn returns. A 429 is waited out as Discord
// asks when the wait fits before the deadline, else the call fails at once
// with the rate limit error; a 5xx or network error is retried after each of
// waits while the deadline allows. fn must pass the options it gets to
// discordgo. It runs in a goroutine of its own so that the caller returns at
// the deadline even while discordgo sleeps on a rate limit bucket, which it
// does without a context; the request itself is cancelled with the context.
// fn must touch nothing but its own results: after the deadline it may still
// be running.
func call[T any](ctx context.Context, log *slog.Logger, what string, waits []time.Duration, fn func(opts ...discordgo.RequestOption) (T, error)) (T, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, callTimeout)
		defer cancel()
	}
	for retries := 0; ; {
		v, err := bounded(ctx, func() (T, error) { return fn(callOptions(ctx)...) })
		if err == nil {
			return v, nil
		}
		var zero T
		var wait time.Duration
		var rl *discordgo.RateLimitError
		switch {
		case ctx.Err() != nil:
			return zero, fmt.Errorf("%s: %w", what, err)
		case errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil:
			wait = max(rl.RetryAfter, minRateLimitWait)
		case transient(err) && retries < len(waits):
			wait = waits[retries]
			retries++
		default:
			return zero, fmt.Errorf("%s: %w", what, err)
		}
		if dl, _ := ctx.Deadline(); time.Until(dl) < wait {
			return zero, fmt.Errorf("%s: %w (waiting %s more would pass the call's deadline)", what, err, wait.Round(time.Millisecond))
		}
		log.Warn("discord request failed, retrying", "what", what, "in", wait, "err", shortErr(err))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return zero, fmt.Errorf("%s: %w", what, err)
		}
	}
}

// bounded runs fn and returns its results, or ctx's error as soon as ctx is
// done.
func bounded[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// rateLimited reports whether err is a 429 that call gave up waiting for.
func rateLimited(err error) bool {
	var rl *discordgo.RateLimitError
	return errors.As(err, &rl)
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

// bucketFree fails at once, with a rate limit error, when discordgo would
// first sleep on the bucket for longer than ctx allows: after a 429 it
// holds back the bucket's next request until the reset, without a context.
// A bucket another request is using is not waited for here.
func (b *Bot) bucketFree(ctx context.Context, bucketID string) error {
	bucket := b.s.Ratelimiter.GetBucket(bucketID)
	if !bucket.TryLock() {
		return nil
	}
	wait := b.s.Ratelimiter.GetWaitTime(bucket, 1)
	bucket.Unlock()
	if dl, ok := ctx.Deadline(); ok && wait > time.Until(dl) {
		return &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
			TooManyRequests: &discordgo.TooManyRequests{Message: "rate limit bucket exhausted", RetryAfter: wait}, URL: bucketID,
		}}
	}
	return nil
}
