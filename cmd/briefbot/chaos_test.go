package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
)

// TestChaosDelivery is the delivery log's proof: the real `briefbot run`
// process posts an hourly briefing through rounds of faults, one slot a
// round: kill -9 before the request reached Discord, while Discord holds a
// request it has not acted on, after Discord created the message but before
// the answer came back, just after the answer, and at a random moment;
// restarts after 0 s to 15 min of simulated time; Discord 5xx storms of
// several minutes (500, 502, 503, dropped connections, messages created but
// answered 500), with kills inside them; 429 storms, some global; other
// users talking in the channel. Discord's own nonce deduplication is off in
// the fake, so nothing but the delivery log keeps a slot from posting twice.
// Every slot must end with exactly one message, recorded as sent with that
// message's ID.
//
// BRIEFBOT_CHAOS_ROUNDS (default 20) and BRIEFBOT_CHAOS_SEED (default 1)
// choose the run; the same seed makes the same fault plan.
func TestChaosDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs briefbot processes for a minute or more")
	}
	rounds := envInt(t, "BRIEFBOT_CHAOS_ROUNDS", 20)
	seed := envInt(t, "BRIEFBOT_CHAOS_SEED", 1)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	first := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)
	c := newChaos(t, first.Add(-15*time.Minute))
	c.start()
	var deck []int
	for k := range rounds {
		// Each block of plans rounds deals every plan once, in a random
		// order, so 20 rounds see each at least twice.
		if len(deck) == 0 {
			deck = rng.Perm(plans)
		}
		c.round(rng, k, first.Add(time.Duration(k)*time.Hour), deck[0])
		deck = deck[1:]
		if t.Failed() {
			return
		}
	}
	c.stop(true)

	// Every slot the log holds (the rounds' and nothing else) was sent,
	// exactly once, and no message is anyone else's.
	posts, err := c.store.Posts(context.Background(), c.subID, 10*rounds)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != rounds {
		t.Errorf("the log holds %d slots for %d rounds", len(posts), rounds)
	}
	seen := map[string]bool{}
	for _, p := range posts {
		msgs := c.messagesFor(p.Slot)
		if p.Status != data.PostSent || len(msgs) != 1 || msgs[0].ID != p.MessageID {
			t.Errorf("slot %s: %s with %d messages (recorded %q)", p.Slot.Format(time.RFC3339), p.Status, len(msgs), p.MessageID)
			continue
		}
		seen[msgs[0].ID] = true
	}
	for _, m := range c.srv.ChannelMessages(c.srv.ChannelID()) {
		if m.AuthorID == "" && !seen[m.ID] {
			t.Errorf("a message no slot accounts for: %s %q (nonce %q)", m.ID, m.Content, m.Nonce)
		}
	}
	if err := c.srv.CheckAllowedMentionsNone(); err != nil {
		t.Error(err)
	}
	for i, p := range c.procs {
		if strings.Contains(p.logs.String(), "WARNING: DATA RACE") {
			t.Errorf("process %d reported a data race", i+1)
		}
	}
	c.countRequests()
	t.Log(c.stats.report(int64(seed)))
}

// kill points, as the report names them.
const (
	killHeld      = "held, not acted on"
	killCreated   = "message created, answer held"
	killReplied   = "just after the answer"
	killRandom    = "random moment"
	killInStorm   = "during a 5xx storm"
	killNone      = ""
	restartSIGTRM = "SIGTERM"
)

// plans is how many fault plans round knows.
const plans = 10

// round runs one slot through a fault plan and checks it ends with exactly
// one message.
func (c *chaos) round(rng *rand.Rand, k int, slot time.Time, plan int) {
	t := c.t
	c.stats.rounds++
	c.addArticle(k, slot)
	for range rng.IntN(3) {
		c.srv.PostUserMessage(c.srv.ChannelID(), strconv.Itoa(100+rng.IntN(5)), "Nothing new on **ceasefire** here either")
		c.stats.noise++
	}
	if !c.running() {
		c.start()
	}
	c.clock.jumpTo(t, slot.Add(-2*time.Second))
	const msgs = "/channels/*/messages"
	killed := false
	switch plan {
	case 0: // a clean slot
		c.clock.jumpTo(t, slot)
	case 1, 2: // kill while Discord holds a request it has not acted on, or after it created the message
		kind, create := killHeld, plan == 2
		if create {
			kind = killCreated
		}
		c.srv.Inject(discordtest.Fault{Method: "POST", Path: msgs, Hold: time.Minute, CreateFirst: create,
			OnHold: func(discordtest.Request) { c.kill(kind) }})
		c.clock.jumpTo(t, slot)
		killed = c.waitKilled()
	case 3: // kill just after Discord answered
		before := len(c.srv.Requests())
		c.clock.jumpTo(t, slot)
		c.pumpUntil(func() bool {
			for _, r := range c.srv.Requests()[before:] {
				if r.Method == "POST" && r.Route == discordtest.RouteChannelMessages && r.Status == http.StatusOK {
					return true
				}
			}
			return false
		}, slot.Add(30*time.Minute), time.Minute, "first answered post")
		killed = c.kill(killReplied)
	case 4: // kill at a random moment of the slot's delivery
		c.clock.jumpTo(t, slot)
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		killed = c.kill(killRandom)
	case 5, 6: // a 5xx storm of several minutes, maybe with a kill inside
		c.storm5xx(rng, slot, plan == 6)
		killed = !c.running()
	case 7: // a 429 storm
		c.storm429(rng, slot)
	case 8: // Discord creates the message but answers 500
		c.srv.Inject(discordtest.Fault{Method: "POST", Path: msgs, Status: 500, CreateFirst: true})
		c.stats.ambiguous++
		c.clock.jumpTo(t, slot)
	case 9: // a graceful restart around the slot
		c.clock.jumpTo(t, slot)
		time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
		c.stop(true)
		c.stats.gracefulRestarts++
		c.restartAfter(rng)
	}
	if killed {
		c.stats.restarts++
		c.restartAfter(rng)
	}
	c.pumpUntil(func() bool { p, ok := c.post(slot); return ok && p.Status.Final() },
		slot.Add(45*time.Minute), 90*time.Second, fmt.Sprintf("round %d (slot %s)", k, slot.Format(time.RFC3339)))
	c.srv.ClearFaults()
	p, _ := c.post(slot)
	got := c.messagesFor(slot)
	if p.Status != data.PostSent || len(got) != 1 || got[0].ID != p.MessageID {
		t.Fatalf("round %d: slot %s ended %s (%s) with %d messages", k, slot.Format(time.RFC3339), p.Status, p.Error, len(got))
	}
	c.stats.slotsSent++
}

// restartAfter starts briefbot again after a random delay of simulated
// time: at once, within the dead process's lease, or up to 15 minutes on.
func (c *chaos) restartAfter(rng *rand.Rand) {
	var d time.Duration
	switch rng.IntN(3) {
	case 0:
	case 1:
		d = time.Duration(rng.IntN(60)) * time.Second
	default:
		d = time.Duration(rng.IntN(15*60+1)) * time.Second
	}
	c.stats.restartDelays = append(c.stats.restartDelays, d)
	c.clock.jump(c.t, d)
	c.start()
}

// waitKilled waits for a kill an injected fault makes; it reports false
// when the slot was done without one.
func (c *chaos) waitKilled() bool {
	end := time.Now().Add(time.Minute)
	for time.Now().Before(end) {
		if !c.running() {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
	c.t.Fatal("the fault that kills briefbot was never reached")
	return false
}

// storm5xx fails every channel message request for 2 to 6 minutes of
// simulated time with a mix of 500, 502, 503, dropped connections and
// messages created but answered 500; with kill, briefbot is killed at a
// random moment inside the storm and restarted.
func (c *chaos) storm5xx(rng *rand.Rand, slot time.Time, kill bool) {
	length := time.Duration(2+rng.IntN(5)) * time.Minute
	c.stats.storms5xx++
	c.stats.storm5xxSim = append(c.stats.storm5xxSim, length)
	end := slot.Add(length)
	for range 2000 {
		f := discordtest.Fault{Path: "/channels/*/messages", Until: end}
		switch rng.IntN(5) {
		case 0:
			f.Status = 500
		case 1:
			f.Status = 502
		case 2:
			f.Status = 503
		case 3:
			f.Drop = true
		default:
			f.Method, f.Status, f.CreateFirst = "POST", 500, true
		}
		c.srv.Inject(f)
	}
	killAt := slot.Add(time.Duration(rng.Int64N(int64(length))))
	c.clock.jumpTo(c.t, slot)
	c.pumpUntil(func() bool {
		if kill && !c.clock.Now().Before(killAt) {
			if c.kill(killInStorm) {
				return true
			}
		}
		return !c.clock.Now().Before(end)
	}, end, time.Minute, "5xx storm")
}

// storm429 answers every channel message request 429 for 1 to 4 seconds
// (simulated time running at real speed meanwhile), with retry_after from 0.1 to 2.5 s, sometimes global.
func (c *chaos) storm429(rng *rand.Rand, slot time.Time) {
	length := time.Duration(1000+rng.IntN(3000)) * time.Millisecond
	c.stats.storms429++
	c.stats.storm429Real = append(c.stats.storm429Real, length)
	c.clock.jumpTo(c.t, slot)
	c.srv.Inject(discordtest.Fault{Path: "/channels/*/messages", Status: http.StatusTooManyRequests, Times: discordtest.Forever,
		RetryAfter: time.Duration(100+rng.IntN(2400)) * time.Millisecond, Global: rng.IntN(3) == 0, Until: c.clock.Now().Add(length)})
	time.Sleep(length)
}

// addArticle stores a new article on the topic before slot, so each post
// has something new to say.
func (c *chaos) addArticle(k int, slot time.Time) {
	_, err := c.store.Add(context.Background(), []data.Article{{
		Title:     fmt.Sprintf("Ceasefire talks resume for round %d", k),
		Source:    "Chaos Wire",
		URL:       fmt.Sprintf("https://example.com/chaos/ceasefire-%d", k),
		Published: slot.Add(-30 * time.Minute),
		Body: fmt.Sprintf("Negotiators met for the %d. time on Monday to discuss the ceasefire, officials said. "+
			"The delegation of %d members agreed to continue talks next week.", k+1, 10+k),
	}})
	if err != nil {
		c.t.Fatal(err)
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
