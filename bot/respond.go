package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// responder answers one interaction: a first response within Discord's 3
// seconds (a reply or a deferral), then edits of it. It remembers which was
// sent so an error or a panic can still be answered the right way.
type responder struct {
	b *Bot
	i *discordgo.Interaction
	// received is when the interaction arrived: Discord's windows for the
	// first response (3 s) and for edits (15 min) run from about then.
	received time.Time

	mu        sync.Mutex
	acked     bool
	ephemeral bool
}

// deferReply acknowledges the interaction ("briefbot is thinking…") so the
// answer may take longer than 3 seconds.
func (r *responder) deferReply(ctx context.Context, ephemeral bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.acked {
		return nil
	}
	data := &discordgo.InteractionResponseData{AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := r.callback(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: data})
	if err != nil {
		return fmt.Errorf("defer reply: %w", err)
	}
	r.acked, r.ephemeral = true, ephemeral
	return nil
}

// Discord's windows for answering an interaction, less a margin for the
// trip to Discord: the first response within 3 s of the interaction, edits
// and follow-ups while its token lasts, 15 minutes.
const (
	firstResponseWindow = 3*time.Second - 300*time.Millisecond
	tokenWindow         = 15*time.Minute - 10*time.Second
)

// firstResponseCtx bounds the interaction's first response, 429 waits and
// retries included, by Discord's 3 seconds: a wait that would end later
// fails the call at once instead.
func (r *responder) firstResponseCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithDeadline(ctx, r.received.Add(firstResponseWindow))
}

// callback sends the interaction's one response. Retries are short: past 3
// seconds the interaction is gone.
func (r *responder) callback(ctx context.Context, resp *discordgo.InteractionResponse) error {
	ctx, cancel := r.firstResponseCtx(ctx)
	defer cancel()
	if err := r.b.bucketFree(ctx, discordgo.EndpointInteractionResponse(r.i.ID, r.i.Token)); err != nil {
		return err
	}
	_, err := call(ctx, r.b.log, "interaction response", []time.Duration{100 * time.Millisecond, 300 * time.Millisecond}, func(opts ...discordgo.RequestOption) (struct{}, error) {
		return struct{}{}, r.b.s.InteractionRespond(r.i, resp, opts...)
	})
	return err
}

// send shows msg: as the reply when nothing was sent yet, else by editing
// the deferred reply. Ephemeral only applies to a first reply; a deferral
// already fixed it.
func (r *responder) send(ctx context.Context, msg Message, ephemeral bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if msg.Embeds == nil {
		msg.Embeds = []*discordgo.MessageEmbed{}
	}
	if msg.Content == "" && len(msg.Embeds) == 0 {
		return errors.New("send: empty message")
	}
	if !r.acked {
		data := &discordgo.InteractionResponseData{Content: msg.Content, Embeds: msg.Embeds, AllowedMentions: noMentions()}
		if ephemeral {
			data.Flags = discordgo.MessageFlagsEphemeral
		}
		err := r.callback(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data})
		if err != nil {
			return fmt.Errorf("reply: %w", err)
		}
		r.acked, r.ephemeral = true, ephemeral
		return nil
	}
	edit := &discordgo.WebhookEdit{Content: &msg.Content, Embeds: &msg.Embeds, AllowedMentions: noMentions()}
	ctx, cancel := context.WithDeadline(ctx, r.received.Add(tokenWindow))
	defer cancel()
	_, err := call(ctx, r.b.log, "edit reply", r.b.backoff, func(opts ...discordgo.RequestOption) (*discordgo.Message, error) {
		return r.b.s.InteractionResponseEdit(r.i, edit, opts...)
	})
	if err != nil {
		return fmt.Errorf("edit reply: %w", err)
	}
	return nil
}

// text sends a plain text answer.
func (r *responder) text(ctx context.Context, s string, ephemeral bool) error {
	return r.send(ctx, Message{Content: truncateContent(s)}, ephemeral)
}
