package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot/discordtest"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

func commandByName(cmds []*discordgo.ApplicationCommand, name string) *discordgo.ApplicationCommand {
	for _, c := range cmds {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func countRequests(srv *discordtest.Server, method, pathSuffix string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, pathSuffix) && !r.Injected {
			n++
		}
	}
	return n
}

func TestRegistration(t *testing.T) {
	srv := newServer(t)
	store := openStore(t)
	h := startBot(t, harnessOpts{srv: srv, store: store})
	cmds := srv.Commands(srv.GuildID())
	if len(cmds) != len(commandDefinitions()) {
		t.Fatalf("registered %d commands in the guild, want %d", len(cmds), len(commandDefinitions()))
	}
	if g := srv.Commands(""); len(g) != 0 {
		t.Errorf("registered %d global commands with a guild configured", len(g))
	}
	if err := discordtest.CheckCommands(commandDefinitions()); err != nil {
		t.Error(err)
	}
	if c := commandByName(cmds, cmdBrief); c == nil || len(c.Options) != 1 || !c.Options[0].Autocomplete || c.Options[0].MaxLength != maxTopic {
		t.Errorf("/brief registered as %+v", c)
	}
	for _, name := range []string{cmdSchedule, cmdStatus, cmdFeeds, cmdSettings} {
		c := commandByName(cmds, name)
		if c == nil || c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != discordgo.PermissionManageGuild {
			t.Errorf("/%s lacks default_member_permissions Manage Server: %+v", name, c)
			continue
		}
		if c.Contexts == nil || len(*c.Contexts) != 1 || (*c.Contexts)[0] != discordgo.InteractionContextGuild {
			t.Errorf("/%s is not guild-only: contexts %v", name, c.Contexts)
		}
	}
	puts := countRequests(srv, "PUT", "/commands")
	if puts != 1 {
		t.Errorf("%d bulk overwrites, want 1", puts)
	}
	if err := h.stop(); err != nil {
		t.Fatalf("Run returned %v", err)
	}

	// A restart with unchanged definitions does not write again.
	startBot(t, harnessOpts{srv: srv, store: store})
	if n := countRequests(srv, "PUT", "/commands"); n != puts {
		t.Errorf("restart overwrote commands again (%d PUTs)", n)
	}
	if n := countRequests(srv, "GET", "/commands"); n != 2 {
		t.Errorf("%d command listings, want one per start", n)
	}
}

func TestRegistrationGlobal(t *testing.T) {
	srv := newServer(t)
	h := startBot(t, harnessOpts{srv: srv, config: func(c *Config) { c.GuildID = "" }})
	if n := len(srv.Commands("")); n != len(commandDefinitions()) {
		t.Fatalf("registered %d global commands, want %d", n, len(commandDefinitions()))
	}
	// Global /brief works in a DM with the bot; the admin commands do not
	// exist there.
	ctx := testCtx(t)
	m, err := h.interact(ctx, discordtest.Interaction{Name: cmdBrief, DM: true, Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt(optTopic, "ceasefire")}}).Response(ctx)
	if err != nil || len(m.Embeds) == 0 {
		t.Errorf("/brief in a DM: %v %+v", err, m)
	}
	if _, err := srv.Interact(ctx, discordtest.Interaction{Name: cmdStatus, DM: true, Permissions: discordtest.AdminPermissions}); !errors.Is(err, discordtest.ErrNotPermitted) {
		t.Errorf("/status in a DM: %v", err)
	}
	h.checkClean()
}

func TestBriefCeasefire(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	ex, m := h.brief(ctx, "ceasefire")
	cb, err := ex.Callback(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("first callback type %d, want a deferral (5)", cb.Type)
	}
	if len(m.Embeds) == 0 {
		t.Fatalf("no embeds: %q", m.Content)
	}
	if errs := limitErrors(m.Content, m.Embeds); len(errs) > 0 {
		t.Error(errs)
	}
	if err := discordtest.CheckEmbeds(m.Embeds); err != nil {
		t.Error(err)
	}
	if !strings.Contains(m.Text(), "Witkoff") {
		t.Errorf("briefing does not mention Witkoff:\n%s", m.Text())
	}
	if !strings.Contains(m.Content, "ceasefire") {
		t.Errorf("content %q does not name the topic", m.Content)
	}
	h.checkClean()
}

func TestBriefTopStoriesAndNoMatch(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	_, m := h.brief(ctx, "")
	if len(m.Embeds) == 0 {
		t.Errorf("no top stories: %q", m.Content)
	}
	_, m = h.brief(ctx, "quantum chromodynamics")
	for _, want := range []string{"nothing stored about", "2 articles", "Try:"} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("no-match reply lacks %q: %q", want, m.Content)
		}
	}
	h.checkClean()
}

// TestBriefEmptyStore: with nothing stored, /brief answers from the sample
// articles and says so, stores nothing, and a topic the samples do not
// cover gets the empty-store advice.
func TestBriefEmptyStore(t *testing.T) {
	store := openStore(t)
	h := startBot(t, harnessOpts{store: store})
	ctx := testCtx(t)
	_, m := h.brief(ctx, "ceasefire")
	if !strings.Contains(m.Content, "Sample articles") || len(m.Embeds) == 0 || !strings.Contains(m.Text(), "Witkoff") {
		t.Errorf("empty-store reply: %q", m.Text())
	}
	if has, err := store.HasArticles(ctx); err != nil || has {
		t.Errorf("briefing from the samples stored articles: %v %v", has, err)
	}
	_, m = h.brief(ctx, "zebra crossings")
	if !strings.Contains(m.Content, "No articles are stored yet") {
		t.Errorf("empty-store reply: %q", m.Content)
	}
	if _, err := store.Add(ctx, []data.Article{{Title: "Harbour reopens", Body: "The harbour reopened on Monday."}}); err != nil {
		t.Fatal(err)
	}
	_, m = h.brief(ctx, "ceasefire")
	if strings.Contains(m.Text(), "Sample") || strings.Contains(m.Text(), "Witkoff") {
		t.Errorf("samples used although the store has an article: %q", m.Text())
	}
	h.checkClean()
}

func TestAutocomplete(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	tests := []struct {
		cmd   string
		opts  []*discordgo.ApplicationCommandInteractionDataOption
		want  string
		admin bool
	}{
		{cmdBrief, []*discordgo.ApplicationCommandInteractionDataOption{discordtest.FocusedOpt(optTopic, "wit")}, "Witkoff", false},
		{cmdBrief, []*discordgo.ApplicationCommandInteractionDataOption{discordtest.FocusedOpt(optTopic, "")}, "", false},
		{cmdBrief, []*discordgo.ApplicationCommandInteractionDataOption{discordtest.FocusedOpt(optTopic, "zzzzqqq")}, "", false},
		{cmdSchedule, []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subAdd, discordtest.FocusedOpt(optTimezone, "kyi"))}, "Europe/Kyiv", true},
		{cmdSchedule, []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subAdd, discordtest.FocusedOpt(optTopic, "cease"))}, "", true},
	}
	for _, tc := range tests {
		in := discordtest.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, Name: tc.cmd, Options: tc.opts}
		if tc.admin {
			in.Permissions = discordtest.AdminPermissions
		}
		choices, err := h.interact(ctx, in).Choices(ctx)
		if err != nil {
			t.Fatalf("%s %v: %v", tc.cmd, tc.opts[0], err)
		}
		if len(choices) > maxChoices {
			t.Errorf("%d choices", len(choices))
		}
		found := tc.want == ""
		for _, c := range choices {
			if c.Name == "" || dlen(c.Name) > maxChoiceLen {
				t.Errorf("bad choice %q", c.Name)
			}
			if strings.Contains(c.Name, tc.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s autocomplete: %v lacks %q", tc.cmd, choices, tc.want)
		}
	}
	h.checkClean()
}

func TestScheduleCommands(t *testing.T) {
	h := startBot(t, harnessOpts{config: func(c *Config) { c.TZ = "Europe/Kyiv" }})
	ctx := testCtx(t)
	news := h.srv.AddChannel("news")
	admin := func(sub *discordgo.ApplicationCommandInteractionDataOption) *discordtest.Message {
		t.Helper()
		ex := h.interact(ctx, discordtest.Interaction{Name: cmdSchedule, Permissions: discordtest.AdminPermissions, Options: []*discordgo.ApplicationCommandInteractionDataOption{sub}})
		m, err := ex.Response(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Ephemeral() {
			t.Errorf("schedule reply is public: %q", m.Content)
		}
		return m
	}
	m := admin(discordtest.SubOpt(subAdd,
		discordtest.Opt(optTopic, "ceasefire"),
		discordtest.TypedOpt(optChannel, discordgo.ApplicationCommandOptionChannel, news),
		discordtest.Opt(optTime, "07:30")))
	if !strings.Contains(m.Content, "Scheduled #1") || !strings.Contains(m.Content, "`30 7 * * *` (Europe/Kyiv)") {
		t.Fatalf("add reply: %q", m.Content)
	}
	subs, err := h.store.Subscriptions(ctx)
	if err != nil || len(subs) != 1 || subs[0].ChannelID != news || subs[0].TZ != "Europe/Kyiv" || subs[0].GuildID != h.srv.GuildID() {
		t.Fatalf("stored %+v, %v", subs, err)
	}
	m = admin(discordtest.SubOpt(subAdd,
		discordtest.Opt(optTopic, "gaza"),
		discordtest.TypedOpt(optChannel, discordgo.ApplicationCommandOptionChannel, news),
		discordtest.Opt(optTime, "25:00")))
	if !strings.Contains(m.Content, "does not work") {
		t.Errorf("bad time accepted: %q", m.Content)
	}
	m = admin(discordtest.SubOpt(subAdd,
		discordtest.Opt(optTopic, "gaza"),
		discordtest.TypedOpt(optChannel, discordgo.ApplicationCommandOptionChannel, news),
		discordtest.Opt(optTime, "8:00"), discordtest.Opt(optTimezone, "Mars/Olympus")))
	if !strings.Contains(m.Content, "unknown time zone") {
		t.Errorf("bad zone accepted: %q", m.Content)
	}

	m = admin(discordtest.SubOpt(subList))
	next := nextRun(subs[0], time.Now())
	if !strings.Contains(m.Content, "`#1` **ceasefire**") || !strings.Contains(m.Content, fmt.Sprintf("next <t:%d:f>", next.Unix())) {
		t.Errorf("list: %q", m.Content)
	}

	m = admin(discordtest.SubOpt(subRemove, discordtest.Opt(optID, 99)))
	if !strings.Contains(m.Content, "no schedule #99") {
		t.Errorf("remove of unknown id: %q", m.Content)
	}
	m = admin(discordtest.SubOpt(subRemove, discordtest.Opt(optID, 1)))
	if !strings.Contains(m.Content, "Removed schedule #1") {
		t.Errorf("remove: %q", m.Content)
	}
	if subs, _ := h.store.Subscriptions(ctx); len(subs) != 0 {
		t.Errorf("still stored: %+v", subs)
	}
	h.bot.sched.mu.Lock()
	if len(h.bot.sched.entries) != 0 {
		t.Errorf("still scheduled: %v", h.bot.sched.entries)
	}
	h.bot.sched.mu.Unlock()
	m = admin(discordtest.SubOpt(subList))
	if !strings.Contains(m.Content, "No scheduled briefings") {
		t.Errorf("list after remove: %q", m.Content)
	}
	h.checkClean()
}

func TestSchedulePermission(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	list := []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subList)}
	// Discord itself hides the admin commands from members and DMs...
	for _, in := range []discordtest.Interaction{
		{Name: cmdSchedule, Options: list},
		{Name: cmdSchedule, Options: list, DM: true},
		{Name: cmdStatus},
		{Name: cmdStatus, DM: true},
	} {
		_, err := h.srv.Interact(ctx, in)
		// Guild commands do not exist in DMs at all.
		if !errors.Is(err, discordtest.ErrNotPermitted) && !(in.DM && errors.Is(err, discordtest.ErrUnknownCommand)) {
			t.Errorf("/%s (DM %v) as a member: %v, want ErrNotPermitted", in.Name, in.DM, err)
		}
	}
	// ...and the bot refuses them too when a server admin widened who sees them.
	for _, in := range []discordtest.Interaction{
		{Name: cmdSchedule, Options: list, SkipChecks: true},
		{Name: cmdStatus, SkipChecks: true},
	} {
		m, err := h.interact(ctx, in).Response(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Content != permissionReply || !m.Ephemeral() {
			t.Errorf("/%s as a member: %q", in.Name, m.Content)
		}
	}
	m, err := h.interact(ctx, discordtest.Interaction{Name: cmdSchedule, Options: list, DM: true, SkipChecks: true}).Response(ctx)
	if err != nil || m.Content != guildOnlyReply {
		t.Errorf("/schedule in a DM: %v %+v", err, m)
	}
	h.checkClean()
}

func TestStatus(t *testing.T) {
	// The bot's poller may fetch the feed before /status is asked (it polls
	// at start, racing the AddFeed below): it is served here, on
	// 127.0.0.1, healthy and empty, so the status is the same either way
	// and nothing is looked up outside the machine.
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link></channel></rss>`)
	}))
	t.Cleanup(feed.Close)
	h := startBot(t, harnessOpts{config: func(c *Config) {
		c.ChannelID = "" // set below
		c.Version = "v9.8.7"
		c.Retention = 30 * 24 * time.Hour
		c.Feeds.AllowPrivate = true
	}})
	ctx := testCtx(t)
	if _, err := h.store.AddFeed(ctx, data.Feed{URL: feed.URL + "/rss", Title: "Example News", GuildID: h.srv.GuildID()}); err != nil {
		t.Fatal(err)
	}
	m, err := h.interact(ctx, discordtest.Interaction{Name: cmdStatus, Permissions: discordtest.AdminPermissions}).Response(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**briefbot status** · v9.8.7", "Stored: 2 articles from 1 outlet", "Database: ", " kB",
		"articles kept 30 days", "Feeds: 1 of this server's (at most 200), all healthy", "Up for less than a minute", "No scheduled briefings"} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("status lacks %q:\n%s", want, m.Content)
		}
	}
	h.checkClean()
}

func TestStatusListsEnvSchedule(t *testing.T) {
	srv := newServer(t)
	h := startBot(t, harnessOpts{srv: srv, config: func(c *Config) {
		c.ChannelID = srv.ChannelID()
		c.Topics = []string{"ceasefire", "gaza"}
		c.Schedule = "CRON_TZ=Europe/Kyiv 0 8 * * *"
	}})
	ctx := testCtx(t)
	m, err := h.interact(ctx, discordtest.Interaction{Name: cmdStatus, Permissions: discordtest.AdminPermissions}).Response(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Schedules (2)", "**ceasefire**", "**gaza**", "from the env file", "next <t:"} {
		if !strings.Contains(m.Content, want) {
			t.Errorf("status lacks %q:\n%s", want, m.Content)
		}
	}
	// The env file's schedules cannot be removed by command.
	ex := h.interact(ctx, discordtest.Interaction{Name: cmdSchedule, Permissions: discordtest.AdminPermissions,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.SubOpt(subRemove, discordtest.Opt(optID, 1))}})
	if m, err := ex.Response(ctx); err != nil || !strings.Contains(m.Content, "env file") {
		t.Errorf("remove env schedule: %v %+v", err, m)
	}
}

func TestHandlerPanicRecovered(t *testing.T) {
	calls := 0
	h := startBot(t, harnessOpts{config: func(c *Config) {
		c.Build = func(ctx context.Context, a []briefing.Article, o briefing.Options) (briefing.Briefing, error) {
			calls++
			if calls == 1 {
				panic("engine exploded")
			}
			return briefing.Build(ctx, a, o)
		}
	}})
	ctx := testCtx(t)
	_, m := h.brief(ctx, "ceasefire")
	if m.Content != errorReply(cmdBrief, nil) || !strings.Contains(m.Content, "Try again") {
		t.Errorf("after a panic the user saw %q", m.Content)
	}
	if !h.logContains("engine exploded") {
		t.Error("the panic was not logged")
	}
	_, m = h.brief(ctx, "ceasefire")
	if len(m.Embeds) == 0 {
		t.Errorf("bot did not recover: %q", m.Content)
	}
}

func TestEveryoneInArticle(t *testing.T) {
	store := openStore(t)
	ctx := testCtx(t)
	now := time.Now().UTC()
	_, err := store.Add(ctx, []data.Article{
		{Title: "Zebrafish regrow hearts, lab says", Source: "Science Daily", URL: "https://example.com/zebrafish-1", Published: now.Add(-time.Hour),
			Body: "Zebrafish can regrow heart tissue, researchers said on Monday. @everyone should read the study, the lab's director <@&123456789012345678> wrote. The team studied 40 fish."},
		{Title: "Zebrafish heart study", Source: "Lab Times", URL: "https://example.com/zebrafish-2", Published: now.Add(-2 * time.Hour),
			Body: "Zebrafish can regrow heart tissue, researchers said on Monday. @here is what the team found: the fish healed in 60 days."},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := startBot(t, harnessOpts{store: store, config: func(c *Config) { c.ChannelID = "" }})
	_, m := h.brief(ctx, "zebrafish")
	if !strings.Contains(m.Text(), "everyone") {
		t.Fatalf("briefing lost the text under test:\n%s", m.Text())
	}
	if !discordtest.MentionsNone(m.AllowedMentions) {
		t.Errorf("allowed_mentions %s", m.AllowedMentions)
	}
	// The scheduled post carries it too.
	sub, err := store.AddSubscription(ctx, data.Subscription{GuildID: h.srv.GuildID(), ChannelID: h.srv.ChannelID(), Topic: "zebrafish", Spec: "0 8 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	if !h.bot.postSlot(ctx, sub, now) {
		t.Fatal("not posted")
	}
	msgs := h.srv.ChannelMessages(h.srv.ChannelID())
	if len(msgs) != 1 || !discordtest.MentionsNone(msgs[0].AllowedMentions) || !strings.Contains(msgs[0].Text(), "everyone") {
		t.Errorf("channel post: %+v", msgs)
	}
	h.checkClean()
}

func TestHostileTopics(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	topics := []string{
		`ceasefire" OR 1=1 --`,
		`NEAR(witkoff putin)`,
		`*`,
		`"`,
		`)(`,
		`title:ceasefire AND -putin`,
		`🕊️ ceasefire 🇺🇦`,
		`@everyone`,
		`<@&123456789012345678>`,
		strings.Repeat("a", 100),
		strings.Repeat("ü", 100),
		strings.Repeat("🕊", 100),
		"ceasefire\nsecond line",
		`'; DROP TABLE articles; --`,
	}
	for _, topic := range topics {
		_, m := h.brief(ctx, topic)
		if strings.Contains(m.Content, "went wrong") || !m.Visible() {
			t.Errorf("/brief %q answered %q", topic, m.Content)
		}
		if errs := limitErrors(m.Content, m.Embeds); len(errs) > 0 {
			t.Errorf("/brief %q: %v", topic, errs)
		}
	}
	h.checkClean()
}

func TestDroppedGatewayResumes(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	if err := h.srv.DropConnection(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitGateway(ctx, func(g discordtest.GatewayStats) bool { return g.Resumes >= 1 && g.Connected }); err != nil {
		t.Fatalf("no resume: %v (%+v)", err, h.srv.GatewayStats())
	}
	_, m := h.brief(ctx, "ceasefire")
	if len(m.Embeds) == 0 {
		t.Errorf("no briefing after resume: %q", m.Content)
	}
	// Also after Discord asks for a reconnect and after an invalidated session.
	if err := h.srv.InvalidateSession(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.WaitGateway(ctx, func(g discordtest.GatewayStats) bool { return g.Identifies >= 2 && g.Connected }); err != nil {
		t.Fatalf("no re-identify: %v", err)
	}
	_, m = h.brief(ctx, "witkoff")
	if len(m.Embeds) == 0 {
		t.Errorf("no briefing after re-identify: %q", m.Content)
	}
	h.checkClean()
}

func TestRateLimitedEditWaitedOut(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	h.srv.RateLimitNext("PATCH", "/webhooks/*/*/messages/@original", 150*time.Millisecond, 1)
	_, m := h.brief(ctx, "ceasefire")
	if len(m.Embeds) == 0 {
		t.Errorf("no briefing after a 429: %q", m.Content)
	}
	if n := h.srv.PendingFaults(); n != 0 {
		t.Errorf("%d faults unused", n)
	}
	h.checkClean()
}

func TestServerErrorOnEditRetried(t *testing.T) {
	h := startBot(t, harnessOpts{})
	ctx := testCtx(t)
	h.srv.FailNext("PATCH", "/webhooks/*/*/messages/@original", 500, 1)
	_, m := h.brief(ctx, "ceasefire")
	if len(m.Embeds) == 0 {
		t.Errorf("no briefing after a 500: %q", m.Content)
	}
	h.srv.Inject(discordtest.Fault{Method: "PATCH", Path: "/webhooks/*/*/messages/@original", Drop: true})
	_, m = h.brief(ctx, "witkoff")
	if len(m.Embeds) == 0 {
		t.Errorf("no briefing after a dropped connection: %q", m.Content)
	}
	h.checkClean()
}

func TestShutdownReturnsNil(t *testing.T) {
	h := startBot(t, harnessOpts{})
	start := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Logf("shutdown took %s", time.Since(start))
	if h.srv.GatewayStats().Connected {
		t.Error("gateway still connected after Run returned")
	}
}

func TestRunRejectsBadToken(t *testing.T) {
	srv := newServer(t, discordtest.WithToken(testToken))
	other := "MTExMTExMTExMTExMTExMTEx.Gxxxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	b, err := New(Config{Token: other, APIURL: srv.URL()}, openStore(t))
	if err != nil {
		t.Fatal(err)
	}
	err = b.Run(testCtx(t))
	if err == nil || !strings.Contains(err.Error(), "DISCORD_TOKEN was rejected") {
		t.Errorf("Run with a wrong token: %v", err)
	}
}

func TestRegistrationWhenListingFails(t *testing.T) {
	srv := newServer(t)
	// Listing is retried like any call; it fails here for good.
	srv.FailNext("GET", "/applications/*/guilds/*/commands", 500, 1+len(backoff))
	srv.FailNext("PUT", "/applications/*/guilds/*/commands", 503, 1)
	h := startBot(t, harnessOpts{srv: srv})
	if n := len(srv.Commands(srv.GuildID())); n != len(commandDefinitions()) {
		t.Fatalf("registered %d commands", n)
	}
	if !h.logContains("overwriting them") {
		t.Error("listing failure not logged")
	}
	h.checkClean()
}

// TestEmbedLinksWithoutTracking: a stored article's link reaches the embed
// without its tracking parameters.
func TestEmbedLinksWithoutTracking(t *testing.T) {
	h := startBot(t, harnessOpts{store: openStore(t)})
	ctx := testCtx(t)
	_, err := h.store.Add(ctx, []data.Article{{Title: "Harbour reopens after the storm", Source: "Port News",
		URL:  "https://port.example/harbour?utm_source=newsletter&utm_medium=email&id=4&fbclid=XYZ",
		Body: "The harbour reopened on Monday after the storm, the port authority said. Ferries resumed their routes."}})
	if err != nil {
		t.Fatal(err)
	}
	_, m := h.brief(ctx, "harbour")
	if len(m.Embeds) == 0 {
		t.Fatalf("no embed: %q", m.Content)
	}
	e := m.Embeds[0]
	want := "https://port.example/harbour?id=4"
	if e.URL != want || !strings.Contains(m.Text(), "("+want+")") {
		t.Errorf("title link %q; text %q; want every link to be %s", e.URL, m.Text(), want)
	}
	if strings.Contains(m.Text(), "utm_") || strings.Contains(m.Text(), "fbclid") {
		t.Errorf("tracking parameters shown: %q", m.Text())
	}
}
