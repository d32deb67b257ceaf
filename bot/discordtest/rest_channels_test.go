package discordtest

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestChannelAndGuildRoutes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dg := newSession(t, srv)
	news := srv.AddChannel("news")
	c, err := dg.Channel(news)
	if err != nil || c.GuildID != srv.GuildID() || c.Name != "news" || c.Type != discordgo.ChannelTypeGuildText {
		t.Fatalf("channel = %+v, %v", c, err)
	}
	chans, err := dg.GuildChannels(srv.GuildID())
	if err != nil || len(chans) != 2 {
		t.Fatalf("guild channels = %v, %v", chans, err)
	}
	g, err := dg.Guild(srv.GuildID())
	if err != nil || g.ID != srv.GuildID() {
		t.Fatalf("guild = %+v, %v", g, err)
	}
	m, err := sendHello(dg, news)
	if err != nil {
		t.Fatal(err)
	}
	if m.ChannelID != news || m.Author == nil || m.Author.ID != srv.BotUserID() || m.Timestamp.IsZero() {
		t.Errorf("message = %+v", m)
	}
	got, err := dg.ChannelMessage(news, m.ID)
	if err != nil || got.Content != "hello" {
		t.Errorf("get message = %+v, %v", got, err)
	}
	list, err := dg.ChannelMessages(news, 10, "", "", "")
	if err != nil || len(list) != 1 {
		t.Errorf("list = %v, %v", list, err)
	}
	me, err := dg.User("@me")
	if err != nil || me.ID != srv.BotUserID() || !me.Bot {
		t.Errorf("me = %+v, %v", me, err)
	}
	app, err := dg.Application("@me")
	if err != nil || app.ID != srv.AppID() {
		t.Errorf("application = %+v, %v", app, err)
	}
	gb, err := dg.GatewayBot()
	if err != nil || !strings.HasPrefix(gb.URL, srv.GatewayURL()) || gb.Shards != 1 {
		t.Errorf("gateway/bot = %+v, %v", gb, err)
	}
	if p := srv.Problems(); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
}
