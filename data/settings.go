package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// GuildSettings are one server's choices (/settings). The zero value of
// each field is the default.
type GuildSettings struct {
	GuildID string
	// TZ is the IANA zone new schedules are read in and dates are shown in;
	// empty: the bot's (BRIEFBOT_TZ).
	TZ string
	// NoticeChannel is where notices for the server's admins go (a feed
	// that keeps failing, a scheduled post that could not be delivered);
	// empty: they are only logged.
	NoticeChannel string
	// NothingNew makes a schedule post "Nothing new on … since …" when it
	// has nothing to say; by default it stays quiet.
	NothingNew bool
	// Length is the default briefing length ("short", "standard", "long");
	// empty: standard.
	Length  string
	Updated time.Time
}

// Settings returns a server's settings; a server that never changed any
// gets the defaults.
func (s *Store) Settings(ctx context.Context, guildID string) (GuildSettings, error) {
	g := GuildSettings{GuildID: guildID}
	var updated int64
	err := s.db.QueryRowContext(ctx, `SELECT tz, notice_channel, nothing_new, brief_length, updated
		FROM guild_settings WHERE guild_id = ?`, guildID).Scan(&g.TZ, &g.NoticeChannel, &g.NothingNew, &g.Length, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return g, nil
	}
	if err != nil {
		return g, fmt.Errorf("settings of guild %s: %w", guildID, err)
	}
	g.Updated = timeOrZero(updated)
	return g, nil
}

// SaveSettings stores a server's settings, all fields at once.
func (s *Store) SaveSettings(ctx context.Context, g GuildSettings) error {
	if g.GuildID == "" {
		return errors.New("save settings: no guild")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO guild_settings (guild_id, tz, notice_channel, nothing_new, brief_length, updated)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (guild_id) DO UPDATE SET tz = excluded.tz, notice_channel = excluded.notice_channel,
		nothing_new = excluded.nothing_new, brief_length = excluded.brief_length, updated = excluded.updated`,
		g.GuildID, g.TZ, g.NoticeChannel, g.NothingNew, g.Length, s.now().UTC().Unix())
	if err != nil {
		return fmt.Errorf("save settings of guild %s: %w", g.GuildID, err)
	}
	return nil
}
