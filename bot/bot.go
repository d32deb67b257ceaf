// Package bot is briefbot's Discord side: the session, slash commands,
// briefings rendered as embeds, scheduled posts, and text renderers for the
// terminal. It uses the store only through data.Store's methods and the
// engine only through briefing.Build.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// readyTimeout is how long Run waits for the gateway's READY.
const readyTimeout = 30 * time.Second

// shutdownGrace bounds how long a post or a command still running at
// shutdown may take to finish.
const shutdownGrace = 30 * time.Second

// Bot is a connected briefbot. Create it with New and start it with Run.
type Bot struct {
	cfg     Config
	store   *data.Store
	log     *slog.Logger
	s       *discordgo.Session
	loc     *time.Location
	build   func(context.Context, []briefing.Article, briefing.Options) (briefing.Briefing, error)
	clock   Clock
	now     func() time.Time
	backoff []time.Duration
	// startWaits are the waits between attempts to reach Discord at start.
	startWaits []time.Duration
	started    time.Time
	// owner names this process in the delivery log's leases.
	owner string
	// grace is shutdownGrace; tests shorten it.
	grace time.Duration

	// ctx lives until Run returns; work that must finish at shutdown (a
	// post being sent) uses work instead, which outlives ctx by
	// shutdownGrace.
	ctx  context.Context
	work context.Context

	appMu sync.Mutex
	appID string
	botID string // the bot's user ID: its messages are the ones it looks for

	// apiURL is the REST base every session uses.
	apiURL string
	// shardSet is the shards this process runs; sessions are their
	// gateway connections (b.s first), readied those that sent READY.
	shardSet shardSet
	shardMu  sync.Mutex
	sessions []*discordgo.Session
	readied  map[*discordgo.Session]bool
	readyCh  chan struct{}

	inflight sync.WaitGroup // interaction handlers
	sched    *scheduler
	feeds    *feeds
	// running is closed once the bot is connected, registered and
	// scheduling.
	running chan struct{}
}

// Run connects the bot, registers its commands, ingests and watches the
// articles folder, runs the schedules, and answers commands until ctx is
// cancelled; then it stops the scheduler (letting a running post finish),
// waits for commands being answered, and closes the gateway.
func Run(ctx context.Context, cfg Config, store *data.Store) error {
	b, err := New(cfg, store)
	if err != nil {
		return err
	}
	return b.Run(ctx)
}

// New checks the configuration and prepares a bot without connecting.
func New(cfg Config, store *data.Store) (*Bot, error) {
	if store == nil {
		return nil, errors.New("bot: no store")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	apiURL, _ := ValidateAPIURL(cfg.APIURL)
	loc, _ := LoadZone(cfg.TZ)
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s, err := newSession(cfg.Token, apiURL)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	b := &Bot{
		cfg:        cfg,
		store:      store,
		log:        log,
		s:          s,
		loc:        loc,
		build:      cfg.Build,
		clock:      realClock{},
		now:        time.Now,
		backoff:    backoff,
		startWaits: startWaits,
		owner:      newOwner(),
		grace:      shutdownGrace,
		running:    make(chan struct{}),
		apiURL:     apiURL,
		readyCh:    make(chan struct{}),
	}
	if b.build == nil {
		b.build = briefing.Build
	}
	b.feeds = newFeeds(b, cfg.Feeds)
	if b.cfg.PollInterval <= 0 {
		b.cfg.PollInterval = 5 * time.Second
	}
	if cfg.Clock != nil {
		b.clock, b.now = cfg.Clock, cfg.Clock.Now
	}
	b.addHandlers(s)
	return b, nil
}

// addHandlers installs the bot's gateway event handlers on a session.
func (b *Bot) addHandlers(s *discordgo.Session) {
	s.AddHandler(b.onReady)
	s.AddHandler(b.onInteraction)
}

// Run is the package-level Run for a bot made with New.
func (b *Bot) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	b.ctx, b.work = ctx, work
	b.started = b.now()
	b.sched = newScheduler(b)

	// The token, the server, the channel and the permissions are checked
	// over REST first: a bad token is clearer from there than as the
	// gateway's close code 4004, and a missing permission is better found
	// now than as a 403 at the first scheduled post.
	pre, err := b.preflight(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if pre.TokenRejected {
		return errors.New(pre.Problems[0])
	}
	if pre.UserID != "" {
		b.setBotID(pre.UserID)
	}
	defer b.closeShards()
	if err := b.openShards(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	appID := b.applicationID()
	if appID == "" {
		appID = pre.AppID
	}
	if appID == "" {
		return errors.New("the gateway's READY named no application: cannot register commands")
	}
	wrote, err := b.registerCommands(appID)
	if err != nil {
		return err
	}
	scope := "globally"
	if b.cfg.GuildID != "" {
		scope = "in guild " + b.cfg.GuildID
	}
	if wrote {
		b.log.Info("registered commands", "where", scope)
	} else {
		b.log.Info("commands already up to date", "where", scope)
	}

	var bg sync.WaitGroup
	if b.cfg.ArticlesDir != "" {
		w := newDirWatcher(b.cfg.ArticlesDir, b.store, b.log, b.cfg.PollInterval)
		if err := w.scan(ctx); err != nil && ctx.Err() == nil {
			return fmt.Errorf("ingest %s: %w", b.cfg.ArticlesDir, err)
		}
		bg.Add(1)
		go func() {
			defer bg.Done()
			w.run(ctx)
		}()
	}
	if err := b.adoptLegacyFeeds(ctx); err != nil {
		return err
	}
	if err := b.sched.start(ctx); err != nil {
		return err
	}
	if err := b.feeds.start(ctx); err != nil {
		return err
	}
	bg.Add(2)
	go func() {
		defer bg.Done()
		b.feeds.run(ctx)
	}()
	go func() {
		defer bg.Done()
		b.runRetention(ctx, pruneDelay)
	}()
	b.log.Info("briefbot running", "user", pre.User, "app", appID)
	close(b.running)

	<-ctx.Done()
	b.log.Info("shutting down")
	stopped := b.sched.stop()
	grace := time.NewTimer(b.grace)
	defer grace.Stop()
	select {
	case <-stopped.Done():
	case <-grace.C:
		b.log.Warn("a scheduled post did not finish in time")
	}
	handlers := make(chan struct{})
	go func() { b.inflight.Wait(); close(handlers) }()
	select {
	case <-handlers:
	case <-grace.C:
	}
	cancelWork()
	bg.Wait()
	b.closeShards()
	return nil
}

func (b *Bot) onReady(s *discordgo.Session, r *discordgo.Ready) {
	b.appMu.Lock()
	switch {
	case r.Application != nil && r.Application.ID != "":
		b.appID = r.Application.ID
	case r.User != nil:
		b.appID = r.User.ID
	}
	if r.User != nil && r.User.ID != "" {
		b.botID = r.User.ID
	}
	b.appMu.Unlock()
	b.log.Debug("gateway ready", "session", r.SessionID, "shard", s.ShardID)
	b.markReady(s)
}

func (b *Bot) setBotID(id string) {
	b.appMu.Lock()
	defer b.appMu.Unlock()
	b.botID = id
}

func (b *Bot) applicationID() string {
	b.appMu.Lock()
	defer b.appMu.Unlock()
	return b.appID
}

// botUserID is the bot's own user ID (its member in every server).
func (b *Bot) botUserID() string {
	b.appMu.Lock()
	defer b.appMu.Unlock()
	if b.botID != "" {
		return b.botID
	}
	return b.appID
}

// EngineArticles converts stored articles to the briefing engine's type.
func EngineArticles(arts []data.Article) []briefing.Article {
	out := make([]briefing.Article, len(arts))
	for i, a := range arts {
		out[i] = engineArticle(a)
	}
	return out
}

// engineArticle is a stored article as the engine reads it.
func engineArticle(a data.Article) briefing.Article {
	return briefing.Article{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published, Body: a.Body, Analysis: a.Analysis}
}
