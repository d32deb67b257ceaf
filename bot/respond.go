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

// callback sends the interaction's one response. Retries are short: past 3
// seconds the interaction is gone.
func (r *responder) callback(ctx context.Context, resp *discordgo.InteractionResponse) error {
	return retry(ctx, r.b.log, "interaction response", []time.Duration{100 * time.Millisecond, 300 * time.Millisecond}, func() error {
		return r.b.s.InteractionRespond(r.i, resp, discordgo.WithContext(ctx))
	})
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
	err := retry(ctx, r.b.log, "edit reply", r.b.backoff, func() error {
		_, err := r.b.s.InteractionResponseEdit(r.i, edit, discordgo.WithContext(ctx))
		return err
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
