package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// handleBrief answers /brief: defer at once (searching and building may
// take longer than Discord's 3 seconds on a busy host), then edit in the
// briefing.
func (b *Bot) handleBrief(ctx context.Context, r *responder, opts optionMap) error {
	start := time.Now()
	topic := cleanTopic(opts.str(optTopic))
	if err := r.deferReply(ctx, false); err != nil {
		return err
	}
	msg, err := b.briefMessage(ctx, topic, scopeOf(r.i), b.guildSettings(ctx, r.i.GuildID))
	if err != nil {
		return err
	}
	if err := r.send(ctx, msg, false); err != nil {
		return err
	}
	b.log.Info("answered /brief", "topic", topic, "stories", len(msg.Embeds), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// sampleNote is the line a /brief built from the samples ends its header
// with.
const sampleNote = "\n-# Sample articles: a server admin can add real ones with /feeds add, the bot's owner with `briefbot ingest`."

// briefMessage builds the /brief answer for topic ("" means top stories)
// from the articles scope sees, as long and in the zone set asks.
func (b *Bot) briefMessage(ctx context.Context, topic string, sc data.Scope, set data.GuildSettings) (Message, error) {
	store, sample, err := BriefSource(ctx, b.store)
	if err != nil {
		return Message{}, err
	}
	sb, err := BriefStories(ctx, store, topic, data.SearchOptions{Scope: sc}, lengthOptions(set.Length, briefing.Options{Now: b.now()}), b.build)
	if err != nil {
		return Message{}, err
	}
	br := sb.Briefing
	if len(br.Stories) == 0 {
		return b.noMatch(ctx, topic, sc)
	}
	header := "**Top stories**"
	if topic != "" {
		header = "**Briefing: " + fit(topic, maxTopic*2) + "**"
	}
	header += fmt.Sprintf(" · from %d %s", sb.Reports, plural(sb.Reports, "report", "reports"))
	if sample {
		header += sampleNote
	}
	return RenderEmbeds(br, EmbedOptions{Location: b.zone(set), Content: header}), nil
}

// BriefSource returns the store briefings and searches read: store itself,
// or while it holds no article the embedded sample articles (sample is
// then true, and the answer must say so). Scheduled posts never read the
// samples.
func BriefSource(ctx context.Context, store *data.Store) (src *data.Store, sample bool, err error) {
	has, err := store.HasArticles(ctx)
	if err != nil || has {
		return store, false, err
	}
	ss, err := data.SampleStore()
	if err != nil {
		return nil, false, fmt.Errorf("sample articles: %w", err)
	}
	return ss, true, nil
}

// noMatch is the friendly answer when nothing the scope sees is about
// topic: what it does see, and topics to try.
func (b *Bot) noMatch(ctx context.Context, topic string, sc data.Scope) (Message, error) {
	st, err := b.store.Stats(ctx, sc)
	if err != nil {
		return Message{}, err
	}
	var sb strings.Builder
	if topic == "" {
		sb.WriteString("I have no articles to brief on yet.")
	} else {
		fmt.Fprintf(&sb, "I found nothing stored about “%s”.", fit(topic, maxTopic*2))
	}
	if st.Articles == 0 {
		sb.WriteString(" No articles are stored yet: a server admin can drop article files into the bot's articles folder or run `briefbot ingest`.")
		return Message{Content: truncateContent(sb.String())}, nil
	}
	fmt.Fprintf(&sb, "\nI have %d %s from %d %s", st.Articles, plural(st.Articles, "article", "articles"), st.Sources, plural(st.Sources, "outlet", "outlets"))
	if !st.Newest.IsZero() {
		fmt.Fprintf(&sb, ", the newest from <t:%d:R>", st.Newest.Unix())
	}
	if len(st.TopSources) > 0 {
		names := make([]string, 0, len(st.TopSources))
		for _, s := range st.TopSources {
			names = append(names, fit(s, 60))
		}
		fmt.Fprintf(&sb, ", mostly %s", strings.Join(names, ", "))
	}
	sb.WriteString(".")
	if sugg, err := b.store.Suggest(ctx, sc, "", 8); err == nil && len(sugg) > 0 {
		tries := make([]string, 0, len(sugg))
		for _, s := range sugg {
			tries = append(tries, "`"+strings.ReplaceAll(clean(s), "`", "'")+"`")
		}
		fmt.Fprintf(&sb, "\nTry: %s", strings.Join(tries, ", "))
	} else if err != nil {
		b.log.Warn("suggestions", "err", err)
	}
	return Message{Content: truncateContent(sb.String())}, nil
}

// maxChoices is Discord's cap on autocomplete choices; choice names and
// values are at most 100 characters.
const (
	maxChoices   = 25
	maxChoiceLen = 100
)

// handleAutocomplete suggests topics from the stored articles' frequent
// topics and names, and time zones for /schedule add.
func (b *Bot) handleAutocomplete(ctx context.Context, r *responder, data discordgo.ApplicationCommandInteractionData) error {
	focused := focusedOption(data.Options)
	var values []string
	if focused != nil {
		prefix, _ := focused.Value.(string)
		prefix = cleanTopic(prefix)
		switch focused.Name {
		case optTopic:
			sugg, err := b.store.Suggest(ctx, scopeOf(r.i), prefix, maxChoices)
			if err != nil {
				return fmt.Errorf("suggest %q: %w", prefix, err)
			}
			values = sugg
		case optTimezone, optZone:
			values = suggestZones(prefix, maxChoices)
		}
	}
	choices := make([]*discordgo.ApplicationCommandOptionChoice, 0, maxChoices)
	seen := map[string]bool{}
	for _, v := range values {
		v = cutRunes(clean(v), maxChoiceLen)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		if len(choices) == maxChoices {
			break
		}
	}
	// discordgo's response type drops an empty choices list (omitempty);
	// Discord wants "choices": [] to show "no options".
	body := struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		} `json:"data"`
	}{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	body.Data.Choices = choices
	endpoint := discordgo.EndpointInteractionResponse(r.i.ID, r.i.Token)
	ctx, cancel := r.firstResponseCtx(ctx)
	defer cancel()
	if err := b.bucketFree(ctx, endpoint); err != nil {
		return err
	}
	_, err := call(ctx, b.log, "autocomplete", nil, func(opts ...discordgo.RequestOption) ([]byte, error) {
		return b.s.RequestWithBucketID("POST", endpoint, body, endpoint, opts...)
	})
	return err
}

func focusedOption(opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if o.Focused {
			return o
		}
		if f := focusedOption(o.Options); f != nil {
			return f
		}
	}
	return nil
}

// cutRunes cuts plain text to n characters at a word boundary when there is
// one.
func cutRunes(s string, n int) string {
	if dlen(s) <= n {
		return s
	}
	r := []rune(s)
	for dlen(string(r)) > n {
		r = r[:len(r)-1]
	}
	out := string(r)
	if i := strings.LastIndexByte(out, ' '); i > len(out)/2 {
		out = out[:i]
	}
	return strings.TrimSpace(out)
}
