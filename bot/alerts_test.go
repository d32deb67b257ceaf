package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/data"
)

// ferryReports are four outlets' reports of one event, which the store
// groups into one story.
func ferryReports() []data.Article {
	day := time.Now().UTC().Add(-3 * time.Hour)
	texts := []string{
		"The Quillmore ferry ran aground near Brenwick harbour on Monday; coastguard crews lifted 120 passengers from the stranded ferry.",
		"Coastguard boats took passengers off the Quillmore ferry after it ran aground outside Brenwick harbour, the ferry operator said.",
		"Investigators began examining why the Quillmore ferry ran aground at Brenwick, as the operator suspended the ferry route.",
		"The Brenwick harbour master said the grounded Quillmore ferry would be towed once the tide rises.",
	}
	outlets := []string{"Harbour Times", "Coast Wire", "Daily Ledger", "Evening Post"}
	var arts []data.Article
	for i, text := range texts {
		arts = append(arts, data.Article{Title: fmt.Sprintf("Ferry aground at Brenwick (%d)", i), Source: outlets[i],
			URL: fmt.Sprintf("https://ferry.example/%d", i), Published: day.Add(time.Duration(i) * 20 * time.Minute), Body: text})
	}
	return arts
}

// TestStoryAlertOnce: an alert posts once, when the third outlet's report
// of a story arrives, and not again when a fourth comes or the scheduler
// passes again; an alert whose filter blocks an outlet waits for the
// fourth; an alert on another topic stays quiet.
func TestStoryAlertOnce(t *testing.T) {
	srv := newServer(t)
	store := openStore(t)
	h := startBot(t, harnessOpts{srv: srv, store: store})
	ctx := testCtx(t)
	plain, blocked, other := srv.AddChannel("alerts"), srv.AddChannel("alerts-filtered"), srv.AddChannel("alerts-other")
	alert := func(channel string, opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
		t.Helper()
		ex := h.interact(ctx, discordtest.Interaction{Name: cmdSchedule, Permissions: discordtest.AdminPermissions,
			Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subAlert, append([]*discordgo.ApplicationCommandInteractionDataOption{channelOpt(channel)}, opts...)...)}})
		m, err := ex.Response(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return m.Content
	}
	if m := alert(plain); !strings.Contains(m, "Alert #1: 🔔 in <#"+plain+"> as soon as a story first reaches 3 outlets") {
		t.Fatalf("/schedule alert: %q", m)
	}
	if m := alert(blocked, discordtest.Opt(optBlock, "Coast Wire")); !strings.Contains(m, "Alert #2") || !strings.Contains(m, "not from: Coast Wire") {
		t.Fatalf("/schedule alert with a filter: %q", m)
	}
	if m := alert(other, discordtest.Opt(optTopic, "budget")); !strings.Contains(m, "a story on **budget**") {
		t.Fatalf("/schedule alert on a topic: %q", m)
	}
	if m := alert(plain, discordtest.Opt(optReach, 1)); !strings.Contains(m, "2 to 20 outlets") {
		t.Errorf("an alert for 1 outlet: %q", m)
	}
	counts := func() (int, int, int) {
		return len(srv.ChannelMessages(plain)), len(srv.ChannelMessages(blocked)), len(srv.ChannelMessages(other))
	}
	for i, a := range ferryReports() {
		if _, err := store.Add(ctx, []data.Article{a}); err != nil {
			t.Fatal(err)
		}
		h.waitIdle()
		h.waitIdle() // and a pass more: nothing twice
		p, b, o := counts()
		wantPlain, wantBlocked := 0, 0
		if i >= 2 {
			wantPlain = 1 // the third outlet
		}
		if i >= 3 {
			wantBlocked = 1 // the third outlet not blocked
		}
		if p != wantPlain || b != wantBlocked || o != 0 {
			t.Fatalf("after %d reports: %d, %d, %d alerts; want %d, %d, 0", i+1, p, b, o, wantPlain, wantBlocked)
		}
	}
	msg := srv.ChannelMessages(plain)[0]
	for _, want := range []string{"🔔 **Story alert**: 3 outlets now report this story (Harbour Times, Coast Wire, Daily Ledger)", "Quillmore"} {
		if !strings.Contains(msg.Text(), want) {
			t.Errorf("alert lacks %q:\n%s", want, msg.Text())
		}
	}
	if len(msg.Embeds) != 1 {
		t.Errorf("alert has %d embeds, want the one story", len(msg.Embeds))
	}
	if m := srv.ChannelMessages(blocked)[0].Content; !strings.Contains(m, "(Harbour Times, Daily Ledger, Evening Post)") {
		t.Errorf("filtered alert counts a blocked outlet: %q", m)
	}
	list, err := h.interact(ctx, discordtest.Interaction{Name: cmdSchedule, Permissions: discordtest.AdminPermissions,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subList)}}).Response(ctx)
	if err != nil || !strings.Contains(list.Content, "`#1` 🔔 alert: any story reaching 3 outlets") || !strings.Contains(list.Content, "last alert <t:") ||
		!strings.Contains(list.Content, "`#3` 🔔 alert: stories on **budget**") {
		t.Errorf("/schedule list: %v %q", err, list.Content)
	}
	h.checkClean()
}

// TestStoryAlertNotForOldNews: a story that had its outlets before the
// alert was made is not alerted when it grows.
func TestStoryAlertNotForOldNews(t *testing.T) {
	// The store's clock: the story has 3 outlets a minute before the
	// alert is made.
	clock := newManualClock(time.Now().Add(-2 * time.Minute))
	store := openStore(t, data.WithClock(clock.Now))
	ctx := context.Background()
	reports := ferryReports()
	if _, err := store.Add(ctx, reports[:3]); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t)
	h := startBot(t, harnessOpts{srv: srv, store: store})
	clock.set(time.Now().Add(-time.Minute))
	sub, err := store.AddSubscription(ctx, data.Subscription{GuildID: srv.GuildID(), ChannelID: srv.ChannelID(), Kind: data.KindAlert, Threshold: 3})
	if err != nil {
		t.Fatal(err)
	}
	h.bot.sched.add(sub)
	clock.set(time.Now())
	if _, err := store.Add(ctx, reports[3:]); err != nil {
		t.Fatal(err)
	}
	h.waitIdle()
	if n := len(srv.ChannelMessages(srv.ChannelID())); n != 0 {
		t.Errorf("%d alerts about a story that reached 3 outlets before the alert existed", n)
	}
}
