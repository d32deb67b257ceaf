package bot

import (
	"context"
	"errors"
	"time"
)

// startWaits are the waits between attempts to reach Discord when the bot
// starts: a host that boots before its network is up, or a REST proxy that
// starts after the bot, gets about four minutes before the bot gives up and
// exits (and systemd or Docker restarts it). Exponential backoff, capped at
// a minute.
var startWaits = []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
	30 * time.Second, time.Minute, time.Minute, time.Minute}

// preflight runs CheckDiscord's checks on the bot's session until Discord
// answers, and logs each problem found, one plain sentence a line.
func (b *Bot) preflight(ctx context.Context) (Preflight, error) {
	apiURL, _ := ValidateAPIURL(b.cfg.APIURL)
	var pre Preflight
	err := b.untilReachable(ctx, "check the configuration with Discord", func() error {
		var err error
		pre, err = checkDiscord(ctx, b.s, b.cfg, apiURL)
		return err
	})
	if err != nil || pre.TokenRejected {
		return pre, err
	}
	for _, p := range pre.Problems {
		b.log.Warn(p)
	}
	if len(pre.Problems) > 0 && pre.Invite != "" {
		b.log.Warn("to invite the bot with the permissions it needs, open " + pre.Invite)
	}
	return pre, nil
}

// untilReachable runs fn until it succeeds or fails with anything but
// Discord being unreachable, waiting startWaits between attempts and
// logging each failure with the URL really tried.
func (b *Bot) untilReachable(ctx context.Context, what string, fn func() error) error {
	apiURL, _ := ValidateAPIURL(b.cfg.APIURL)
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		var ue *UnreachableError
		if !errors.As(err, &ue) {
			if restStatus(err) != 0 || ctx.Err() != nil {
				return err
			}
			ue = &UnreachableError{URL: apiURL, Err: err}
		}
		if attempt >= len(b.startWaits) {
			return ue
		}
		wait := b.startWaits[attempt]
		b.log.Warn(ue.Error()+": retrying", "what", what, "in", wait, "attempt", attempt+1, "of", len(b.startWaits)+1)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}
