// Package briefing turns a set of news articles into a Briefing: the stories in
// them, each with a few bullets that cite their outlets, the notable quotes with
// who said them, and the sources. It is pure Go and deterministic: the same
// articles and options always give the same Briefing. It knows nothing of
// Discord or of storage.
package briefing

import "time"

// Article is one news report as the engine sees it. Callers convert their own
// article type into this one so the engine stays free of storage concerns.
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Source    string    `json:"source"` // outlet name; may be empty
	URL       string    `json:"url"`
	Published time.Time `json:"published"`
	Body      string    `json:"body"`
	// Analysis is the article's stored analysis, if the caller has one
	// (see Analyze). Build uses it instead of the Body when its Version is
	// current, and analyses the Body otherwise.
	Analysis *Analysis `json:"-"`
}

// Briefing is what a good news editor would write about a topic in 30
// seconds: the stories, most important first.
type Briefing struct {
	Topic       string    `json:"topic"`
	GeneratedAt time.Time `json:"generated_at"`
	Stories     []Story   `json:"stories"`
	// NothingNew is true when Options.Said covered everything the articles
	// say, so a scheduled post can say so plainly instead of repeating itself.
	NothingNew bool `json:"nothing_new,omitempty"`
}

// Story is one event reported by one or more outlets.
type Story struct {
	Headline string   `json:"headline"`
	Bullets  []Bullet `json:"bullets"`
	Quotes   []Quote  `json:"quotes"`
	Sources  []Source `json:"sources"`
	// From and To span the publication times of the story's articles.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// NothingNew is true when every fact of the story was already said.
	NothingNew bool `json:"nothing_new,omitempty"`
}

// Bullet is one key fact: a whole sentence taken from an article, citing every
// outlet that reports it.
type Bullet struct {
	Text    string   `json:"text"`
	Sources []Source `json:"sources"`
}

// Quote is a direct quotation with its speaker and every outlet that carries it.
type Quote struct {
	Text    string   `json:"text"`
	Speaker string   `json:"speaker"`
	Sources []Source `json:"sources"`
}

// Source is one article a story draws on.
type Source struct {
	Name      string    `json:"name"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Published time.Time `json:"published,omitzero"`
}

// Options tune Build. The zero value gives sensible defaults.
type Options struct {
	// Topic is what the reader asked about; it steers relevance. Empty means
	// the top stories of the given articles.
	Topic string
	// Now stamps GeneratedAt; zero means time.Now(). Tests set it so output is
	// reproducible.
	Now time.Time
	// MaxWords caps the words of all bullets and quotes together (whole
	// sentences only). Zero means no cap beyond MaxBullets.
	MaxWords int
	// MaxBullets caps the bullets per story. Zero means 5.
	MaxBullets int
	// MaxStories caps the stories. Zero means every story formed.
	MaxStories int
	// Said holds the texts of bullets and quotes earlier briefings already
	// posted; Build leaves out what they say, so a scheduled post reports only
	// what is new.
	Said []string
}
