package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// RequiredPermissions are what the bot needs in a channel it posts in, and
// all it asks for when invited: View Channel to see it, Send Messages for
// scheduled briefings and feed warnings, Embed Links because a briefing is
// embeds, Read Message History because a post a restart interrupted is
// looked for in the channel before it is sent again (without it Discord
// lists no messages, and the post could be sent twice). Answers to slash
// commands go through the interaction's webhook and need none of them.
const RequiredPermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionEmbedLinks | discordgo.PermissionReadMessageHistory

// permissionNames names the permissions RequiredPermissions may lack, as
// Discord's settings show them.
var permissionNames = []struct {
	bit  int64
	name string
}{
	{discordgo.PermissionViewChannel, "View Channel"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
	{discordgo.PermissionReadMessageHistory, "Read Message History"},
}

func describePermissions(p int64) string {
	return strings.Join(permissionList(p), ", ")
}

// permissionList names the permissions in p that permissionNames knows.
func permissionList(p int64) []string {
	var names []string
	for _, n := range permissionNames {
		if p&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return names
}

// inviteBase is Discord's authorization page; it is not behind a REST
// proxy, so DISCORD_API_URL does not change it.
const inviteBase = "https://discord.com/oauth2/authorize"

// InviteURL is the link that adds the bot to a server with exactly
// RequiredPermissions and its slash commands; with a guild ID the server is
// chosen already.
func InviteURL(appID, guildID string) string {
	q := url.Values{}
	q.Set("client_id", appID)
	q.Set("permissions", fmt.Sprint(RequiredPermissions))
	q.Set("scope", "bot applications.commands")
	if guildID != "" {
		q.Set("guild_id", guildID)
		q.Set("disable_guild_select", "true")
	}
	return inviteBase + "?" + q.Encode()
}

// Preflight is what CheckDiscord found out.
type Preflight struct {
	// User and UserID are the bot's user, when the token was accepted.
	User, UserID string
	// AppID is the application's ID (the invite's client_id).
	AppID string
	// Guild and Channel are the names of DISCORD_GUILD_ID's server and
	// BRIEFBOT_CHANNEL_ID's channel, when the bot can see them.
	Guild, Channel string
	// Invite adds the bot with exactly the permissions it needs.
	Invite string
	// Problems are sentences naming the setting at fault and what to do.
	Problems []string
	// TokenRejected is set when Discord refused DISCORD_TOKEN: nothing
	// else could be checked and the bot cannot run.
	TokenRejected bool
}

// UnreachableError says Discord (or the REST proxy in DISCORD_API_URL) could
// not be reached at all: a network failure or a 5xx, not an answer.
type UnreachableError struct {
	URL string // the REST base that was tried
	Err error
}

// Error names the URL really tried: http.Client's own error names
// discordgo's compiled-in endpoint even when a proxy was configured.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach Discord at %s: %s", e.URL, describeNetErr(e.Err))
}

// Unwrap returns the cause.
func (e *UnreachableError) Unwrap() error { return e.Err }

// describeNetErr is err without the request URL wrapped around it.
func describeNetErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return shortErr(err)
}

// CheckDiscord checks the configuration against Discord itself: the token
// (GET users/@me), the application, DISCORD_GUILD_ID's server,
// BRIEFBOT_CHANNEL_ID's channel and the bot's permissions there. Problems
// found are in the report; the error is only for Discord being unreachable
// (an *UnreachableError) or a cancelled ctx.
func CheckDiscord(ctx context.Context, cfg Config) (Preflight, error) {
	apiURL, err := ValidateAPIURL(cfg.APIURL)
	if err != nil {
		return Preflight{}, err
	}
	s, err := newSession(cfg.Token, apiURL)
	if err != nil {
		return Preflight{}, err
	}
	return checkDiscord(ctx, s, cfg, apiURL)
}

func checkDiscord(ctx context.Context, s *discordgo.Session, cfg Config, apiURL string) (Preflight, error) {
	// Every Discord call has a deadline; the checks together get one
	// call's worth.
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var p Preflight
	unreachable := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{URL: apiURL, Err: err}
	}
	me, err := s.User("@me", discordgo.WithContext(ctx))
	switch {
	case err == nil:
		p.User, p.UserID = me.Username, me.ID
	case restStatus(err) == 401:
		p.TokenRejected = true
		p.Problems = append(p.Problems, "DISCORD_TOKEN was rejected by Discord (401 Unauthorized): reset the token in the developer portal (Bot → Reset Token) and update the env file")
		return p, nil
	case restStatus(err) == 0 || transient(err):
		return p, unreachable(err)
	default:
		// A REST proxy need not serve users/@me; the gateway will tell.
		p.Problems = append(p.Problems, fmt.Sprintf("DISCORD_API_URL %s: could not look up the bot user (%s)", apiURL, shortErr(err)))
	}
	p.AppID = p.UserID
	if body, err := s.RequestWithBucketID("GET", discordgo.EndpointOAuth2Application("@me"), nil,
		discordgo.EndpointOAuth2Application(""), discordgo.WithContext(ctx)); err == nil {
		var app discordgo.Application
		if json.Unmarshal(body, &app) == nil && app.ID != "" {
			p.AppID = app.ID
		}
	} else if restStatus(err) == 0 {
		return p, unreachable(err)
	}
	if p.AppID != "" {
		p.Invite = InviteURL(p.AppID, cfg.GuildID)
	}
	invite := "invite it with the link below"
	if p.Invite == "" {
		invite = "invite it again"
	}
	if cfg.GuildID != "" {
		g, err := s.Guild(cfg.GuildID, discordgo.WithContext(ctx))
		switch st := restStatus(err); {
		case err == nil:
			p.Guild = g.Name
		case st == 403 || st == 404:
			p.Problems = append(p.Problems, fmt.Sprintf("DISCORD_GUILD_ID %s: the bot is not in that server, or there is no such server: check the ID (right-click the server → Copy Server ID) or %s", cfg.GuildID, invite))
		case st == 0:
			return p, unreachable(err)
		default:
			p.Problems = append(p.Problems, fmt.Sprintf("DISCORD_GUILD_ID %s: Discord answered %s", cfg.GuildID, shortErr(err)))
		}
	}
	if cfg.ChannelID != "" {
		problem, err := checkChannel(ctx, s, cfg, &p, invite)
		if err != nil {
			return p, unreachable(err)
		}
		if problem != "" {
			p.Problems = append(p.Problems, problem)
		}
	}
	return p, nil
}

// checkChannel checks BRIEFBOT_CHANNEL_ID: it exists, is a text channel of
// DISCORD_GUILD_ID's server, and the bot has RequiredPermissions there. The
// error is only for Discord being unreachable.
func checkChannel(ctx context.Context, s *discordgo.Session, cfg Config, p *Preflight, invite string) (string, error) {
	id := cfg.ChannelID
	ch, err := s.Channel(id, discordgo.WithContext(ctx))
	switch st := restStatus(err); {
	case err == nil:
	case st == 404:
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s: there is no such channel: copy the ID again (right-click the channel → Copy Channel ID)", id), nil
	case st == 403:
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s: the bot cannot see that channel: in the channel's settings → Permissions, give the bot's role View Channel (or, if the channel is in another server, %s)", id, invite), nil
	case st == 0:
		return "", err
	default:
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s: Discord answered %s", id, shortErr(err)), nil
	}
	name := "#" + ch.Name
	p.Channel = name
	switch {
	case ch.GuildID == "":
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s is not a server channel: pick a text channel of your server", id), nil
	case cfg.GuildID != "" && p.Guild != "" && ch.GuildID != cfg.GuildID:
		// (A DISCORD_GUILD_ID the bot cannot see is reported on its own.)
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s (%s) is in server %s, not in DISCORD_GUILD_ID %s: pick a channel of that server", id, name, ch.GuildID, cfg.GuildID), nil
	case ch.Type != discordgo.ChannelTypeGuildText && ch.Type != discordgo.ChannelTypeGuildNews:
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s (%s) is not a text channel: pick one briefings can be posted in", id, name), nil
	}
	if p.UserID == "" {
		return "", nil
	}
	perms, err := memberChannelPermissions(ctx, s, ch, p.UserID)
	switch st := restStatus(err); {
	case err == nil:
	case st == 0:
		return "", err
	default:
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s (%s): could not read the bot's permissions there (%s)", id, name, shortErr(err)), nil
	}
	if missing := RequiredPermissions &^ perms; missing != 0 {
		return fmt.Sprintf("BRIEFBOT_CHANNEL_ID %s (%s): the bot lacks %s there, which scheduled briefings need: in the channel's settings → Permissions, allow them for the bot's role", id, name, describePermissions(missing)), nil
	}
	return "", nil
}

// restStatus is the HTTP status of a REST error, 0 for an error that is no
// answer from Discord (a network failure) and -1 for no error.
func restStatus(err error) int {
	if err == nil {
		return -1
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}
