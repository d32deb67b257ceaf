// Package discordtest is a fake Discord for tests, in the spirit of
// net/http/httptest: it speaks the real gateway and REST protocols on
// 127.0.0.1 so the real discordgo v0.29.0 client (and a bot built on it)
// runs against it unchanged.
//
// A test starts a server, points the bot at it, drives it with
// interactions, and inspects what the bot sent:
//
//	srv := discordtest.NewServer(discordtest.WithHeartbeatInterval(200 * time.Millisecond))
//	defer srv.Close()
//
//	// The bot's REST base: srv.URL() is "http://127.0.0.1:PORT/api/v9/",
//	// the same shape as discordgo.EndpointAPI. discordgo compiles its
//	// endpoints at init, so the bot installs a RoundTripper on
//	// Session.Client that rewrites discordgo.EndpointAPI to the configured
//	// base; RewriteTransport(discordtest.DiscordAPI, base, nil) is one, and
//	// srv.Transport() is that transport for srv. The gateway URL comes from
//	// GET /gateway, so nothing else needs pointing.
//	dg, _ := discordgo.New("Bot any-token")
//	dg.Client = &http.Client{Transport: srv.Transport()}
//	dg.Open()
//	defer func() {
//		// Close does not stop a reconnect under way: switch reconnects off
//		// first, under the session lock so -race sees it ordered.
//		dg.Lock()
//		dg.ShouldReconnectOnError = false
//		dg.Unlock()
//		dg.Close() // sleeps 1 s
//	}()
//
//	ctx := context.Background() // use a deadline in real tests
//	srv.WaitConnected(ctx)      // READY sent
//	ex, err := srv.Interact(ctx, discordtest.Interaction{
//		Name:    "brief",
//		Options: []*discordgo.ApplicationCommandInteractionDataOption{discordtest.Opt("topic", "ceasefire")},
//	})
//	msg, err := ex.Response(ctx) // the reply, or the edit after a defer
//	// msg.Embeds, msg.Text(), msg.AllowedMentions ...
//	err = srv.CheckAllowedMentionsNone() // every message carried {"parse": []}
//	pings := msg.Pings()                 // who it notified: none, with {"parse": []}
//	problems := srv.Problems()           // every 4xx/5xx the bot caused
//
// # What it fakes
//
// Gateway (ws://127.0.0.1:PORT/gateway, JSON text frames, no compression):
// HELLO with a configurable heartbeat_interval, IDENTIFY (recorded, see
// Identifies), READY with user, application and guild, GUILD_CREATE,
// heartbeat ACKs (SetHeartbeatAcks(false) starves them), RESUME with replay
// of missed events then RESUMED, op 9 when a session cannot be resumed, and
// controls: DropConnection, CloseConnection, Reconnect (op 7),
// InvalidateSession (op 9), Dispatch (any event). As on Discord, a client
// that closes with 1000 or 1001 (discordgo's Close, which discordgo also
// uses after five missed ACKs) ends its session: its RESUME gets op 9 and
// it identifies again; connections the server ends stay resumable.
//
// REST (under /api/v9/): gateway, gateway/bot, users/@me,
// oauth2/applications/@me, applications/@me, application commands (global
// and guild: GET, bulk-overwrite PUT, POST, GET/DELETE one), interaction
// callbacks, interaction webhooks (follow-up POST, GET/PATCH/DELETE of
// @original and follow-ups), channels (GET, messages POST/GET, message
// GET/PATCH), guilds (GET, channels, roles, the bot's member). The bot may
// be in several guilds (AddGuild), each with its roles (AddRole,
// SetRolePermissions, SetBotRoles) and channel permission overwrites
// (SetChannelOverwrite): a channel the bot may not see or post in answers
// 403 as on Discord. Any other route answers 404 and is listed by
// UnknownRoutes.
//
// Discord's rules, answered as Discord answers them: message limits
// (CheckMessage, CheckEmbeds: content 2000, 10 embeds, title 256,
// description 4096, 25 fields, field name 256 and value 1024 and both
// required, footer 2048, author 256, 6000 in all, http(s) URLs) give 400
// code 50035 with Discord's nested errors; an empty new message gives 50006;
// a second callback gives 400 code 40060; a first callback later than the
// interaction deadline (3 s from the first delivery attempt) or with a wrong token gives 404
// code 10062; edits before any acknowledgement give 404 code 10008; edits
// after the token lifetime (15 min) give 401 code 50027; command definitions
// are validated (CheckCommands). Interact refuses, as Discord's client
// would, a command that is not registered, a command whose
// default_member_permissions the member lacks, and guild-only commands in
// DMs (Interaction.SkipChecks overrides).
//
// Faults: FailNext, RateLimitNext and Inject answer matching requests with
// a 429 (retry_after body plus Retry-After and X-RateLimit-* headers, which
// discordgo waits out and retries), a 5xx, any coded error, or a dropped
// connection. WithRateLimit enforces real per-route buckets instead.
//
// Everything is safe for concurrent use and -race clean; waits take a
// context and never sleep for a fixed time.
package discordtest
