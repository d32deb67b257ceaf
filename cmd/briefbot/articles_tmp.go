package main

import (
	"context"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// Moves into bot once the bot package settles (it has the same logic).
func findArticles(ctx context.Context, store *data.Store, topic string, since time.Time) ([]data.Article, error) {
	if topic == "" {
		return store.Recent(ctx, since, 40)
	}
	hits, err := store.Search(ctx, topic, data.SearchOptions{Since: since, Limit: 40})
	arts := make([]data.Article, len(hits))
	for i, h := range hits {
		arts[i] = h.Article
	}
	return arts, err
}

func engineArticles(arts []data.Article) []briefing.Article {
	out := make([]briefing.Article, len(arts))
	for i, a := range arts {
		out[i] = briefing.Article{ID: a.ID, Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published, Body: a.Body}
	}
	return out
}
