package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/data"
)

// How a scheduled slot is delivered exactly once: the delivery log in the
// store (data/delivery.go) records every step, and this file takes a slot
// through it. What a post says is postMessage's business; when a slot
// is due, the scheduler's.

const (
	// leaseTime is how long a claim on a slot holds without renewal: a
	// process killed while sending has its slots taken over after at most
	// this (by itself, restarted, or by another process).
	leaseTime = time.Minute
	// renewEvery is how often the holder renews its lease while it works.
	renewEvery = leaseTime / 4
	// leaseMargin: every Discord call of a delivery ends this long before
	// the lease could run out, so no request of a process is still in
	// flight when another takes the slot over.
	leaseMargin = 15 * time.Second
	// lookupSkew widens the search for a post that may have been sent, for
	// the difference between this host's clock and Discord's.
	lookupSkew = 2 * time.Minute
	// lookupPages bounds the search: 100 messages a page.
	lookupPages = 10
	// lookupGrace is how long after its deadline a slot that may have been
	// sent is still looked for, while Discord cannot be asked, so the log
	// records whether it went out. Nothing is sent after the deadline.
	lookupGrace = 24 * time.Hour
)

// retryBackoff is the wait after each failed attempt at a slot in a row
// (the last repeats), plus up to a tenth derived from the subscription so
// that many slots failed by one outage do not all retry at once. A slot is
// retried until it is sent or too late.
var retryBackoff = []time.Duration{5 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute}

// newOwner names this process in the leases it takes: host, process ID and
// a random part, unique across restarts and hosts.
func newOwner() string {
	host, _ := os.Hostname()
	var r [4]byte
	_, _ = rand.Read(r[:])
	return host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(r[:])
}

// slotNonce is the nonce a slot's message carries: the same on every
// attempt, so Discord's enforce_nonce returns the first message instead of
// posting a second one when an attempt is repeated within its few minutes.
func slotNonce(subID int64, slot time.Time) string {
	return fmt.Sprintf("bb%d-%d", subID, slot.Unix())
}

// deliver takes one slot of sub through the delivery log, once: it claims
// the slot (nothing happens when it is final or another process holds it),
// then, holding the lease, looks for the message if an earlier attempt may
// have sent it, gives the slot up if it is too late, or sends it, and
// records the outcome. It returns the slot as it now stands and whether
// this call posted it.
func (b *Bot) deliver(ctx context.Context, sub data.Subscription, slot, deadline time.Time) (data.Post, bool) {
	log := b.log.With("subscription", sub.ID, "slot", slot.Format(time.RFC3339))
	p, ok, err := b.store.ClaimPost(ctx, data.Claim{
		SubscriptionID: sub.ID, Slot: slot, Deadline: deadline, Owner: b.owner, Now: b.now(), Lease: leaseTime,
	})
	if err != nil {
		log.Error("claim slot", "err", err)
		return p, false
	}
	if !ok {
		if !p.Status.Final() {
			log.Debug("slot held by another attempt", "status", p.Status, "owner", p.LeaseOwner, "until", p.LeaseUntil)
		}
		return p, false
	}
	lease := b.holdLease(ctx, log, p)
	defer lease.stop()
	out := p
	posted := false
	func() {
		defer func() {
			if r := recover(); r != nil {
				log.Error("scheduled post panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				out = b.retryLater(p, fmt.Errorf("panic: %v", r))
			}
		}()
		out, posted = b.attempt(lease.ctx, log, sub, p, lease)
	}()
	if out.Status == data.PostSending {
		return out, false // the lease was lost: the new holder records the outcome
	}
	if err := b.store.FinishPost(context.WithoutCancel(ctx), out, b.owner, b.now()); err != nil {
		log.Error("record post", "status", out.Status, "err", err)
	}
	switch out.Status {
	case data.PostSent:
		if posted {
			log.Info("posted scheduled briefing", "channel", sub.ChannelID, "message", out.MessageID)
		}
	case data.PostRetry:
		log.Warn("scheduled post failed; will retry", "channel", sub.ChannelID, "next", out.NextTry.Format(time.RFC3339), "err", out.Error)
	case data.PostAbandoned:
		log.Error("scheduled post given up", "channel", sub.ChannelID, "err", out.Error)
		b.notice(context.WithoutCancel(ctx), sub.GuildID, fmt.Sprintf("⚠️ %s could not be posted in <#%s>: %s",
			postName(sub, slot), sub.ChannelID, fit(out.Error, 500)))
	}
	return out, posted
}

// attempt is one try at a held slot. It returns the outcome to record
// (sent, retry or abandoned), or the slot still sending when the lease was
// lost and nothing may be recorded.
func (b *Bot) attempt(ctx context.Context, log *slog.Logger, sub data.Subscription, p data.Post, lease *lease) (data.Post, bool) {
	// An earlier attempt began a POST: it may have reached Discord even if
	// its answer never came back. Look before sending again.
	if p.Body != "" {
		id, found, err := b.findPosted(ctx, lease, sub.ChannelID, p)
		switch {
		case err != nil && !b.now().Before(p.Deadline.Add(lookupGrace)):
			p.Status, p.Error = data.PostAbandoned, "too late, and whether an interrupted attempt sent it could not be checked: "+shortErr(err)
			return p, false
		case err != nil:
			return b.retryLater(p, fmt.Errorf("could not check the channel for an earlier attempt: %w", err)), false
		case found:
			log.Info("found the post an interrupted attempt sent; not sending again", "message", id)
			p.Status, p.MessageID, p.Error = data.PostSent, id, ""
			return p, false
		}
	}
	if !b.now().Before(p.Deadline) {
		p.Status, p.Error = data.PostAbandoned, fmt.Sprintf("too late: the schedule's next slot (%s) has come", p.Deadline.Format(time.RFC3339))
		return p, false
	}
	body, said := p.Body, p.Said
	if body == "" {
		msg, s, err := b.postMessage(ctx, sub, p.Slot, b.guildSettings(ctx, sub.GuildID))
		if errors.Is(err, errNothingNew) {
			// Nothing to say and the server wants quiet: the slot is done,
			// and the next post covers everything since the last one sent.
			log.Info("nothing new; not posting (/settings nothing-new)")
			p.Status = data.PostSkipped
			return p, false
		}
		if err != nil {
			return b.retryLater(p, fmt.Errorf("build the briefing: %w", err)), false
		}
		js, err := json.Marshal(channelMessage{
			Content: msg.Content, Embeds: msg.Embeds, AllowedMentions: noMentions(),
			Nonce: slotNonce(sub.ID, p.Slot), EnforceNonce: true,
		})
		if err != nil {
			return b.retryLater(p, err), false
		}
		body, said = string(js), s
	}
	// Recorded before the POST, so whoever picks the slot up after a crash
	// knows to look for the message first.
	if err := b.store.StartSending(ctx, p, b.owner, body, said, b.now()); err != nil {
		if errors.Is(err, data.ErrLeaseLost) {
			log.Warn("lost the slot before sending", "err", err)
			p.Status = data.PostSending
			return p, false
		}
		return b.retryLater(p, err), false
	}
	p.Body, p.Said = body, said
	id, err := b.sendMessage(ctx, lease, sub.ChannelID, body)
	switch {
	case err == nil:
		p.Status, p.MessageID, p.Error = data.PostSent, id, ""
		return p, true
	case permanentErr(err):
		p.Status, p.Error = data.PostAbandoned, "Discord refused the post: "+shortErr(err)
		return p, false
	}
	return b.retryLater(p, err), false
}

// retryLater is the outcome of a failed attempt: try again after the
// backoff (or the rate limit's wait, if longer), but no later than the
// deadline, when a last attempt looks for the post and gives the slot up.
func (b *Bot) retryLater(p data.Post, err error) data.Post {
	failures := p.Attempts
	if failures >= len(retryBackoff) {
		failures = len(retryBackoff) - 1
	}
	wait := retryBackoff[failures]
	h := fnv.New32a()
	fmt.Fprint(h, p.SubscriptionID)
	wait += time.Duration(h.Sum32()) % (wait/10 + 1)
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.TooManyRequests != nil {
		wait = max(wait, rl.RetryAfter)
	}
	now := b.now()
	next := now.Add(wait)
	if now.Before(p.Deadline) && next.After(p.Deadline) {
		next = p.Deadline
	}
	p.Status, p.NextTry, p.Error = data.PostRetry, next, shortErr(err)
	return p
}

// permanentErr reports whether Discord refused a post in a way no retry
// changes: a malformed message (400) or a channel that no longer exists
// (404). A 403 may be fixed by an admin in time, and is retried.
func permanentErr(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode == http.StatusBadRequest || re.Response.StatusCode == http.StatusNotFound
	}
	return false
}

// channelMessage is a channel message with Discord's nonce fields, which
// discordgo's MessageSend lacks: with enforce_nonce, a repeat of a request
// that did reach Discord returns that message instead of posting twice.
type channelMessage struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
}

// sendMessage POSTs a frozen message body and returns the new message's ID.
// It is sent once per attempt: a 5xx or a network error may come after
// Discord created the message, so the next attempt looks first instead of
// repeating it here. A 429 created nothing and is waited out while the
// lease allows.
func (b *Bot) sendMessage(ctx context.Context, lease *lease, channelID, body string) (string, error) {
	ctx, cancel := lease.callCtx(ctx)
	defer cancel()
	endpoint := discordgo.EndpointChannelMessages(channelID)
	if err := b.bucketFree(ctx, endpoint); err != nil {
		return "", err
	}
	resp, err := call(ctx, b.log, "post to channel "+channelID, nil, func(opts ...discordgo.RequestOption) ([]byte, error) {
		return b.s.RequestWithBucketID("POST", endpoint, json.RawMessage(body), endpoint, opts...)
	})
	if err != nil {
		return "", err
	}
	var m discordgo.Message
	if err := json.Unmarshal(resp, &m); err != nil || m.ID == "" {
		return "", fmt.Errorf("decode posted message: %w (%.200s)", err, resp)
	}
	return m.ID, nil
}

// findPosted looks in the channel for the message an earlier attempt at p
// may have sent: by this bot, created since that attempt began (less
// lookupSkew), with the same content and embeds (and nonce, when Discord
// returns one). A message's ID encodes its creation time, so the search
// starts at an ID made from that time and pages forward.
func (b *Bot) findPosted(ctx context.Context, lease *lease, channelID string, p data.Post) (string, bool, error) {
	var want channelMessage
	if err := json.Unmarshal([]byte(p.Body), &want); err != nil {
		return "", false, fmt.Errorf("the recorded message does not decode: %w", err)
	}
	botID := b.botUserID()
	if botID == "" {
		return "", false, errors.New("the bot's user ID is not known yet")
	}
	after := snowflakeAt(p.SendingSince.Add(-lookupSkew))
	for range lookupPages {
		cctx, cancel := lease.callCtx(ctx)
		if err := b.bucketFree(cctx, discordgo.EndpointChannelMessages(channelID)); err != nil {
			cancel()
			return "", false, err
		}
		msgs, err := call(cctx, b.log, "look for an earlier post in "+channelID, b.backoff, func(opts ...discordgo.RequestOption) ([]*discordgo.Message, error) {
			return b.s.ChannelMessages(channelID, 100, "", after, "", opts...)
		})
		cancel()
		if err != nil {
			return "", false, err
		}
		for _, m := range msgs {
			if m.Author != nil && m.Author.ID == botID && sameMessage(m, want) {
				return m.ID, true, nil
			}
			if snowflakeLess(after, m.ID) {
				after = m.ID
			}
		}
		if len(msgs) < 100 {
			// Discord lists no messages at all to a bot without Read
			// Message History: "not there" is only true with it.
			return "", false, b.canReadHistory(ctx, lease, channelID)
		}
	}
	b.log.Warn("more messages in the channel since the post began than the search reads; taking it as not sent",
		"channel", channelID, "messages", lookupPages*100)
	return "", false, nil
}

// canReadHistory returns an error unless the bot has Read Message History in
// the channel, without which a search of the channel finds nothing.
func (b *Bot) canReadHistory(ctx context.Context, lease *lease, channelID string) error {
	ctx, cancel := lease.callCtx(ctx)
	defer cancel()
	perms, err := call(ctx, b.log, "check permissions in "+channelID, b.backoff, func(opts ...discordgo.RequestOption) (int64, error) {
		ch, err := b.s.Channel(channelID, opts...)
		if err != nil || ch.GuildID == "" {
			return discordgo.PermissionReadMessageHistory, err
		}
		return memberChannelPermissions(ctx, b.s, ch, b.botUserID())
	})
	switch {
	case err != nil:
		return fmt.Errorf("check Read Message History in %s: %w", channelID, err)
	case perms&discordgo.PermissionReadMessageHistory == 0:
		return fmt.Errorf("briefbot lacks Read Message History in <#%s>, so it cannot tell whether an interrupted attempt posted; give it that permission", channelID)
	}
	return nil
}

// sameMessage reports whether a message in the channel is the one body
// describes. Discord keeps content and embeds as sent, less surrounding
// space. (It does not return a message's nonce when listing a channel, so
// the nonce cannot settle it.)
func sameMessage(m *discordgo.Message, want channelMessage) bool {
	if strings.TrimSpace(m.Content) != strings.TrimSpace(want.Content) || len(m.Embeds) != len(want.Embeds) {
		return false
	}
	for i, e := range m.Embeds {
		w := want.Embeds[i]
		if strings.TrimSpace(e.Title) != strings.TrimSpace(w.Title) || strings.TrimSpace(e.Description) != strings.TrimSpace(w.Description) || len(e.Fields) != len(w.Fields) {
			return false
		}
	}
	return true
}

// discordEpoch is the first millisecond of 2015, where snowflake time
// starts.
const discordEpoch = 1420070400000

// snowflakeAt is the smallest message ID Discord could give a message
// created at t.
func snowflakeAt(t time.Time) string {
	ms := t.UnixMilli() - discordEpoch
	if ms < 0 {
		ms = 0
	}
	return strconv.FormatUint(uint64(ms)<<22, 10)
}

// snowflakeLess compares two IDs as numbers.
func snowflakeLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// lease is a held slot's lease, renewed in the background while the holder
// works. Its ctx ends when the lease is lost or can no longer be shown to
// be held, which stops the work.
type lease struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	now    func() time.Time

	mu    sync.Mutex
	until time.Time
}

// holdLease starts renewing p's lease until stop is called.
func (b *Bot) holdLease(ctx context.Context, log *slog.Logger, p data.Post) *lease {
	lctx, cancel := context.WithCancel(ctx)
	l := &lease{ctx: lctx, cancel: cancel, done: make(chan struct{}), now: b.now, until: p.LeaseUntil}
	go func() {
		defer close(l.done)
		for b.clock.Sleep(lctx, renewEvery) {
			until := b.now().Add(leaseTime)
			err := b.store.RenewLease(lctx, p.SubscriptionID, p.Slot, b.owner, until)
			switch {
			case err == nil:
				l.mu.Lock()
				l.until = until
				l.mu.Unlock()
			case errors.Is(err, data.ErrLeaseLost):
				log.Warn("lost the lease on a slot being sent", "err", err)
				cancel()
				return
			case lctx.Err() == nil && !b.now().Before(l.expiry()):
				log.Error("could not renew the lease on a slot in time; stopping", "err", err)
				cancel()
				return
			}
		}
	}()
	return l
}

func (l *lease) expiry() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.until
}

// callCtx bounds one Discord call so it ends leaseMargin before the lease
// as renewed so far could run out, and within callTimeout.
func (l *lease) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	left := l.expiry().Sub(l.now()) - leaseMargin
	return context.WithTimeout(ctx, max(0, min(left, callTimeout)))
}

func (l *lease) stop() {
	l.cancel()
	<-l.done
}
