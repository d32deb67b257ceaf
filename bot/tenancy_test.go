package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
)

// twoServers is a bot in two servers, A and B, registered globally so both
// (and DMs) have its commands, its Discord-added feeds allowed to reach the
// test's feed site.
type twoServers struct {
	*harness
	site     *feedSite
	a, b     string // guild IDs
	aCh, bCh string // their first text channels
}

func startTwoServers(t *testing.T) *twoServers {
	t.Helper()
	srv := newServer(t)
	b, bCh := srv.AddGuild("Server B")
	h := startBot(t, harnessOpts{srv: srv, config: func(c *Config) {
		c.GuildID = ""
		c.Feeds.AllowPrivate = true
	}})
	return &twoServers{harness: h, site: newFeedSite(t), a: srv.GuildID(), b: b, aCh: srv.ChannelID(), bCh: bCh}
}

// run sends a command from a server ("" for a DM) as an admin and returns
// the answer the user ends up seeing.
func (ts *twoServers) run(ctx context.Context, guild, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordtest.Message {
	ts.t.Helper()
	in := discordtest.Interaction{Name: name, GuildID: guild, DM: guild == "", Permissions: discordtest.AdminPermissions, Options: opts}
	m, err := ts.interact(ctx, in).Response(ctx)
	if err != nil {
		ts.t.Fatalf("/%s in %q: %v", name, guild, err)
	}
	return m
}

// choices returns /brief's topic autocomplete for what was typed.
func (ts *twoServers) choices(ctx context.Context, guild, typed string) []string {
	ts.t.Helper()
	in := discordtest.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, Name: cmdBrief, GuildID: guild, DM: guild == "",
		Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.FocusedOpt(optTopic, typed)}}
	cs, err := ts.interact(ctx, in).Choices(ctx)
	if err != nil {
		ts.t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func channelOpt(id string) *discordgo.ApplicationCommandInteractionDataOption {
	return discordtest.TypedOpt(optChannel, discordgo.ApplicationCommandOptionChannel, id)
}

// TestTwoServersIsolated drives two servers through the fake Discord and
// checks each tenancy rule: a server lists and removes only its own feeds
// and schedules; /brief, autocomplete and /status see the shared articles
// and the server's own, never the other's; a DM sees the shared ones only;
// a channel of the other server is refused.
func TestTwoServersIsolated(t *testing.T) {
	ts := startTwoServers(t)
	ctx := testCtx(t)
	a, b := ts.a, ts.b

	// A follows the Valley Courier (reservoir, weekend trains) and the
	// Harbor Gazette; B the Northern Ledger (copper mine, ice road). The
	// samples (the ceasefire) are the owner's, shared.
	for _, f := range []struct{ guild, path, want string }{
		{a, "/atom_full.xml", "Following `#1` **Valley Courier**"},
		{a, "/rss_summaries.xml", "Following `#2`"},
		{b, "/feed.json", "Following `#1` **Northern Ledger**"},
	} {
		m := ts.run(ctx, f.guild, cmdFeeds, discordtest.SubOpt(subAdd, discordtest.Opt(optURL, ts.site.URL+f.path)))
		if !strings.Contains(m.Content, f.want) {
			t.Fatalf("/feeds add %s: %q, want %q", f.path, m.Content, f.want)
		}
	}

	t.Run("list", func(t *testing.T) {
		la := ts.run(ctx, a, cmdFeeds, discordtest.SubOpt(subList)).Content
		lb := ts.run(ctx, b, cmdFeeds, discordtest.SubOpt(subList)).Content
		if !strings.Contains(la, "Valley Courier") || strings.Contains(la, "Northern Ledger") || !strings.Contains(la, "**Feeds** (2)") {
			t.Errorf("A's /feeds list:\n%s", la)
		}
		if !strings.Contains(lb, "Northern Ledger") || strings.Contains(lb, "Valley Courier") || !strings.Contains(lb, "**Feeds** (1)") {
			t.Errorf("B's /feeds list:\n%s", lb)
		}
	})

	t.Run("remove", func(t *testing.T) {
		m := ts.run(ctx, b, cmdFeeds, discordtest.SubOpt(subRemove, discordtest.Opt(optID, 2)))
		if !strings.Contains(m.Content, "no feed #2 in this server") {
			t.Errorf("B removes A's #2: %q", m.Content)
		}
		if la := ts.run(ctx, a, cmdFeeds, discordtest.SubOpt(subList)).Content; !strings.Contains(la, "**Feeds** (2)") {
			t.Errorf("A's feeds after B's attempt:\n%s", la)
		}
	})

	t.Run("brief", func(t *testing.T) {
		if m := ts.run(ctx, a, cmdBrief, discordtest.Opt(optTopic, "reservoir")); !strings.Contains(m.Text(), "Greywater") {
			t.Errorf("A's /brief reservoir lacks its feed's article:\n%s", m.Text())
		}
		for _, where := range []string{b, ""} {
			m := ts.run(ctx, where, cmdBrief, discordtest.Opt(optTopic, "reservoir"))
			if strings.Contains(m.Text(), "Greywater") || !strings.Contains(m.Content, "I found nothing stored about") {
				t.Errorf("/brief reservoir in %q shows A's article:\n%s", where, m.Text())
			}
			if strings.Contains(m.Content, "Valley Courier") {
				t.Errorf("no-match reply in %q names A's outlet:\n%s", where, m.Content)
			}
		}
		if m := ts.run(ctx, b, cmdBrief, discordtest.Opt(optTopic, "copper mine")); !strings.Contains(m.Text(), "Northern Ledger") {
			t.Errorf("B's /brief copper mine:\n%s", m.Text())
		}
		// Top stories: each server's own and the shared, never the other's.
		top := ts.run(ctx, b, cmdBrief).Text()
		if strings.Contains(top, "Valley Courier") || strings.Contains(top, "Harbor Gazette") {
			t.Errorf("B's top stories show A's outlets:\n%s", top)
		}
	})

	t.Run("dm", func(t *testing.T) {
		m := ts.run(ctx, "", cmdBrief, discordtest.Opt(optTopic, "ceasefire"))
		if len(m.Embeds) == 0 {
			t.Errorf("/brief ceasefire in a DM sees no shared article: %q", m.Content)
		}
		top := ts.run(ctx, "", cmdBrief).Text()
		for _, outlet := range []string{"Valley Courier", "Harbor Gazette", "Northern Ledger"} {
			if strings.Contains(top, outlet) {
				t.Errorf("DM top stories show a server's outlet %s:\n%s", outlet, top)
			}
		}
	})

	t.Run("autocomplete", func(t *testing.T) {
		has := func(cs []string, want string) bool {
			for _, c := range cs {
				if strings.EqualFold(c, want) {
					return true
				}
			}
			return false
		}
		if cs := ts.choices(ctx, a, "reserv"); !has(cs, "Reservoir") {
			t.Errorf("A's autocomplete for reserv: %q", cs)
		}
		for _, where := range []string{b, ""} {
			if cs := ts.choices(ctx, where, "reserv"); len(cs) != 0 {
				t.Errorf("autocomplete in %q offers A's words: %q", where, cs)
			}
		}
		if cs := ts.choices(ctx, b, "copp"); !has(cs, "Copper") {
			t.Errorf("B's autocomplete for copp: %q", cs)
		}
		if cs := ts.choices(ctx, a, "copp"); len(cs) != 0 {
			t.Errorf("A's autocomplete offers B's words: %q", cs)
		}
	})

	t.Run("status", func(t *testing.T) {
		sa := ts.run(ctx, a, cmdStatus).Content
		sb := ts.run(ctx, b, cmdStatus).Content
		if !strings.Contains(sa, "Feeds: 2 of this server's") || strings.Contains(sa, "Northern Ledger") {
			t.Errorf("A's /status:\n%s", sa)
		}
		if !strings.Contains(sb, "Feeds: 1 of this server's") || strings.Contains(sb, "Valley Courier") || strings.Contains(sb, "Harbor Gazette") {
			t.Errorf("B's /status names A's outlets:\n%s", sb)
		}
	})

	t.Run("schedules", func(t *testing.T) {
		add := func(guild, channel string) string {
			return ts.run(ctx, guild, cmdSchedule, discordtest.SubOpt(subAdd, discordtest.Opt(optTopic, "ceasefire"),
				channelOpt(channel), discordtest.Opt(optTime, "08:00"))).Content
		}
		if m := add(a, ts.bCh); !strings.Contains(m, "is not a channel of this server") {
			t.Errorf("A schedules into B's channel: %q", m)
		}
		if m := add(b, ts.bCh); !strings.Contains(m, "Scheduled #1") {
			t.Errorf("B schedules into its channel: %q", m)
		}
		if m := ts.run(ctx, a, cmdSchedule, discordtest.SubOpt(subList)).Content; !strings.Contains(m, "No scheduled briefings") {
			t.Errorf("A's /schedule list shows B's: %q", m)
		}
		if m := ts.run(ctx, a, cmdSchedule, discordtest.SubOpt(subRemove, discordtest.Opt(optID, 1))).Content; !strings.Contains(m, "no schedule #1") {
			t.Errorf("A removes B's #1: %q", m)
		}
		if m := ts.run(ctx, b, cmdSchedule, discordtest.SubOpt(subList)).Content; !strings.Contains(m, "`#1` **ceasefire**") {
			t.Errorf("B's /schedule list: %q", m)
		}
		if m := ts.run(ctx, a, cmdSettings, discordtest.SubOpt(subNotices, channelOpt(ts.bCh))).Content; !strings.Contains(m, "not a channel of this server") {
			t.Errorf("A sends notices to B's channel: %q", m)
		}
	})

	t.Run("scheduled post", func(t *testing.T) {
		subs, err := ts.store.GuildSubscriptions(ctx, b)
		if err != nil || len(subs) != 1 {
			t.Fatalf("B's schedules: %+v %v", subs, err)
		}
		top := subs[0]
		top.Topic = ""
		if !ts.bot.postSlot(ctx, top, time.Now().Add(-time.Minute)) {
			t.Fatal("B's top-stories post failed")
		}
		msgs := ts.srv.ChannelMessages(ts.bCh)
		text := msgs[len(msgs)-1].Text()
		if strings.Contains(text, "Valley Courier") || strings.Contains(text, "Harbor Gazette") || !strings.Contains(text, "Northern Ledger") {
			t.Errorf("B's scheduled top stories:\n%s", text)
		}
	})
	ts.checkClean()
}

// TestScheduleAddChecks: /schedule add refuses what it cannot honour, with
// a reply that says why: an over-long time, a bad filter, a channel the bot
// cannot post in (naming the missing permissions); a CRON_TZ spec is
// reported in its own zone, and a filter is kept and listed.
func TestScheduleAddChecks(t *testing.T) {
	ts := startTwoServers(t)
	ctx := testCtx(t)
	srv := ts.srv
	add := func(opts ...*discordgo.ApplicationCommandInteractionDataOption) string {
		t.Helper()
		base := []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt(optTopic, "ceasefire")}
		return ts.run(ctx, ts.a, cmdSchedule, discordtest.SubOpt(subAdd, append(base, opts...)...)).Content
	}
	noEmbeds := srv.AddChannelIn(ts.a, "no-embeds")
	srv.SetChannelOverwrite(noEmbeds, ts.a, 0, discordgo.PermissionEmbedLinks)
	hidden := srv.AddChannelIn(ts.a, "hidden")
	srv.SetChannelOverwrite(hidden, srv.BotUserID(), 0, discordgo.PermissionViewChannel)
	mute := srv.AddChannelIn(ts.a, "mute")
	srv.SetChannelOverwrite(mute, srv.BotRoleID(), 0, discordgo.PermissionSendMessages)
	tests := []struct {
		name string
		opts []*discordgo.ApplicationCommandInteractionDataOption
		want string
	}{
		{"6,000-character time", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(ts.aCh), discordtest.Opt(optTime, strings.Repeat("1", 6000))},
			"That time is 6000 characters long"},
		{"bad filter", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(ts.aCh), discordtest.Opt(optTime, "08:00"), discordtest.Opt(optInclude, `"peace talks`)},
			"That filter does not work: include: the quote before"},
		{"no embed links", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(noEmbeds), discordtest.Opt(optTime, "08:00")},
			"I am missing **Embed Links** there"},
		{"cannot send", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(mute), discordtest.Opt(optTime, "08:00")},
			"I am missing **Send Messages** and **Embed Links** there"},
		{"cannot see", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(hidden), discordtest.Opt(optTime, "08:00")},
			"I cannot see <#" + hidden + ">: give briefbot's role the View Channel permission"},
		{"unknown channel", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt("123456789012345678"), discordtest.Opt(optTime, "08:00")},
			"There is no channel 123456789012345678"},
		{"CRON_TZ in its own zone", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(ts.aCh), discordtest.Opt(optTime, "CRON_TZ=Europe/Kyiv 0 8 * * *")},
			"(Europe/Kyiv)"},
		{"with a filter", []*discordgo.ApplicationCommandInteractionDataOption{channelOpt(ts.aCh), discordtest.Opt(optTime, "09:00"),
			discordtest.Opt(optInclude, `"peace talks" -rumor`), discordtest.Opt(optBlock, "Daily Tabloid")},
			`Filter: include: "peace talks" -rumor · not from: Daily Tabloid`},
	}
	for _, tt := range tests {
		if got := add(tt.opts...); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	subs, err := ts.store.GuildSubscriptions(ctx, ts.a)
	if err != nil || len(subs) != 2 || subs[0].TZ != "Europe/Kyiv" || subs[1].Filter.Block != "Daily Tabloid" {
		t.Fatalf("stored: %+v %v", subs, err)
	}
	list := ts.run(ctx, ts.a, cmdSchedule, discordtest.SubOpt(subList)).Content
	if !strings.Contains(list, `include: "peace talks" -rumor · not from: Daily Tabloid`) {
		t.Errorf("/schedule list does not show the filter:\n%s", list)
	}
	// Discord refused only the two lookups meant to fail.
	for _, r := range srv.Problems() {
		if r.Method != "GET" || (r.Path != "/channels/"+hidden && r.Path != "/channels/123456789012345678") {
			t.Errorf("Discord rejected a request: %s", r.String())
		}
	}
	if err := srv.CheckAllowedMentionsNone(); err != nil {
		t.Error(err)
	}
}

// TestSettingsCommand: each /settings subcommand changes its setting and
// only in its server, refuses bad values with a reason, and the settings
// take effect (zone of new schedules, briefing length).
func TestSettingsCommand(t *testing.T) {
	ts := startTwoServers(t)
	ctx := testCtx(t)
	admins := ts.srv.AddChannelIn(ts.a, "admins")
	set := func(sub *discordgo.ApplicationCommandInteractionDataOption) string {
		t.Helper()
		return ts.run(ctx, ts.a, cmdSettings, sub).Content
	}
	tests := []struct {
		name string
		sub  *discordgo.ApplicationCommandInteractionDataOption
		want []string
	}{
		{"defaults", discordtest.SubOpt(subShow), []string{"Time zone: the bot's (UTC)", "Admin notices: only logged", `"Nothing new" posts: off`, "Briefing length: standard"}},
		{"zone", discordtest.SubOpt(subTimezone, discordtest.Opt(optZone, "Europe/Kyiv")), []string{"Time zone set to **Europe/Kyiv**", "Time zone: Europe/Kyiv"}},
		{"bad zone", discordtest.SubOpt(subTimezone, discordtest.Opt(optZone, "Mars/Olympus")), []string{`unknown time zone "Mars/Olympus"`}},
		{"long zone", discordtest.SubOpt(subTimezone, discordtest.Opt(optZone, strings.Repeat("x", 6000))), []string{"That is not a time zone"}},
		{"notices", discordtest.SubOpt(subNotices, channelOpt(admins)), []string{"Admin notices now go to <#" + admins + ">"}},
		{"nothing new on", discordtest.SubOpt(subNothingNew, discordtest.Opt(optPost, true)), []string{`"Nothing new" posts: on`}},
		{"long", discordtest.SubOpt(subLength, discordtest.Opt(optLength, lengthLong)), []string{"Briefing length: long"}},
		{"bad length", discordtest.SubOpt(subLength, discordtest.Opt(optLength, "epic")), []string{"Pick short, standard or long"}},
		{"all kept", discordtest.SubOpt(subShow), []string{"Time zone: Europe/Kyiv", "<#" + admins + ">", `posts: on`, "length: long"}},
		{"notices off", discordtest.SubOpt(subNotices), []string{"Admin notices are now only logged", "Admin notices: only logged"}},
		{"short", discordtest.SubOpt(subLength, discordtest.Opt(optLength, lengthShort)), []string{"Briefing length: short"}},
	}
	for _, tt := range tests {
		got := set(tt.sub)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tt.name, got, w)
			}
		}
	}
	if got := ts.run(ctx, ts.b, cmdSettings, discordtest.SubOpt(subShow)).Content; !strings.Contains(got, "Time zone: the bot's") || !strings.Contains(got, "length: standard") {
		t.Errorf("B's settings changed with A's: %q", got)
	}
	// A new schedule without a zone is read in the server's.
	m := ts.run(ctx, ts.a, cmdSchedule, discordtest.SubOpt(subAdd, discordtest.Opt(optTopic, "ceasefire"), channelOpt(ts.aCh), discordtest.Opt(optTime, "07:00")))
	if !strings.Contains(m.Content, "(Europe/Kyiv)") {
		t.Errorf("schedule in a server set to Kyiv: %q", m.Content)
	}
	// Short briefings: at most 3 stories.
	if m := ts.run(ctx, ts.a, cmdBrief); len(m.Embeds) == 0 || len(m.Embeds) > 3 {
		t.Errorf("short /brief has %d stories", len(m.Embeds))
	}
	// Members cannot change settings.
	in := discordtest.Interaction{Name: cmdSettings, GuildID: ts.a, SkipChecks: true, Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subShow)}}
	if m, err := ts.interact(ctx, in).Response(ctx); err != nil || m.Content != permissionReply {
		t.Errorf("/settings as a member: %v %+v", err, m)
	}
	ts.checkClean()
}

// TestFeedFailureNoticeGoesToAdmins: a server's failing feed warns that
// server's admin-notice channel, never the channel members read; with no
// notice channel it is only logged; a server following the same feed gets
// its own warning under its own number.
func TestFeedFailureNoticeGoesToAdmins(t *testing.T) {
	ts := startTwoServers(t)
	ctx := testCtx(t)
	admins := ts.srv.AddChannelIn(ts.a, "admins")
	ts.run(ctx, ts.a, cmdSettings, discordtest.SubOpt(subNotices, channelOpt(admins)))
	ts.run(ctx, ts.b, cmdFeeds, discordtest.SubOpt(subAdd, discordtest.Opt(optURL, ts.site.URL+"/feed.json")))
	m := ts.run(ctx, ts.a, cmdFeeds, discordtest.SubOpt(subAdd, discordtest.Opt(optURL, ts.site.URL+"/atom_full.xml")))
	if !strings.Contains(m.Content, "Following `#1`") {
		t.Fatal(m.Content)
	}
	m = ts.run(ctx, ts.b, cmdFeeds, discordtest.SubOpt(subAdd, discordtest.Opt(optURL, ts.site.URL+"/atom_full.xml")))
	if !strings.Contains(m.Content, "Following `#2`") || !strings.Contains(m.Content, "2 stored articles from it are readable here") {
		t.Fatalf("B joins A's feed: %q", m.Content)
	}
	// A second bot on the same store and session owns the polls and the
	// clock; the running bot's own poller waits a minute between polls.
	clock := newManualClock(time.Now())
	poller := feedsBot(t, ts.harness, clock.Now)
	poller.store = ts.store
	fd := newFeeds(poller, FeedConfig{Interval: 15 * time.Minute, AllowPrivate: true})
	ts.site.setFailing(true)
	for i := 0; i < 6; i++ {
		clock.set(clock.Now().Add(48 * time.Hour))
		fd.pollOnce(ctx)
	}
	got := ts.srv.ChannelMessages(admins)
	if len(got) != 1 || !strings.Contains(got[0].Content, "⚠️ Feed `#1`") || !strings.Contains(got[0].Content, "/feeds remove 1") {
		t.Fatalf("A's admin channel: %+v", got)
	}
	for _, ch := range []string{ts.aCh, ts.bCh} {
		if n := len(ts.srv.ChannelMessages(ch)); n != 0 {
			t.Errorf("%d feed warnings in a members' channel", n)
		}
	}
	if !ts.logContains("admin notice (no notice channel set") || !ts.logContains("/feeds remove 2") {
		t.Error("B's warning (no notice channel) was not logged under B's number")
	}
	ts.checkClean()
}
