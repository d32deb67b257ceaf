package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
)

// TestInteractionRateLimitWithinThreeSeconds: a 429 on the first response
// to an interaction is waited out only when the wait ends within Discord's
// 3 seconds. A short one is waited out and /brief is answered; one of 3.5 s
// (which discordgo would sleep through, losing the interaction) fails the
// call at once, and the user still gets an answer in time.
func TestInteractionRateLimitWithinThreeSeconds(t *testing.T) {
	tests := []struct {
		name      string
		wait      time.Duration
		wantBrief bool
	}{
		{"short 429 waited out", 300 * time.Millisecond, true},
		{"429 past the 3 s window", 3500 * time.Millisecond, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := startBot(t, harnessOpts{})
			ctx := testCtx(t)
			h.srv.RateLimitNext("POST", "/interactions/*/*/callback", tc.wait, 1)
			ex := h.interact(ctx, discordtest.Interaction{Name: cmdBrief, Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt(optTopic, "ceasefire")}})
			if tc.wantBrief {
				m, err := ex.Response(ctx)
				if err != nil || !strings.Contains(m.Text(), "Witkoff") {
					t.Fatalf("no briefing after a short 429: %v %+v", err, m)
				}
			} else {
				// Nothing can answer it in time (its bucket is held for
				// 3.5 s); the bot gives up at once and sends nothing late.
				for start := time.Now(); !h.logContains("could not send the error reply"); time.Sleep(10 * time.Millisecond) {
					if time.Since(start) > 10*time.Second {
						t.Fatal("the bot did not give up on the interaction")
					}
				}
				time.Sleep(discordtest.DefaultInteractionDeadline + 500*time.Millisecond - time.Since(ex.Dispatched()))
			}
			for _, cb := range ex.Callbacks() {
				if late := cb.Time.Sub(ex.Dispatched()); late > discordtest.DefaultInteractionDeadline {
					t.Errorf("a callback came %s after the interaction", late)
				}
			}
			for _, r := range ex.Requests() {
				if r.Status == 404 {
					t.Errorf("Discord refused a late response: %s", r)
				}
			}
		})
	}
}
