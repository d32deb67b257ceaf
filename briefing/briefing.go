// Package briefing turns a set of news articles into a Briefing: the stories in
// them, each with the sentences that state its key facts, citing every outlet
// that reports them, the quotations several outlets carry with who said them,
// and the sources. It is pure Go, offline and deterministic: the same
// articles and options always give the same Briefing. It knows nothing of
// Discord or of storage.
//
// # One engine
//
// Build is the only way to a briefing: /brief, scheduled posts and every
// format of the command line call it, for one article or many, and
// Options.MaxWords is filled the same way for all of them. Its pipeline, a
// file a stage:
//
//   - analyse (analysis.go; clean.go, sentences*.go, quotes.go, rank.go):
//     each article cleaned of boilerplate, split into sentences, its
//     sentences ranked within the article (TextRank), its terms counted and
//     its attributed quotations found, once. A store keeps the result, an
//     Analysis, beside the article; Build uses Article.Analysis when it is
//     current (AnalysisVersion) and analyses the body otherwise.
//   - group (group.go): articles into stories, see below.
//   - facts (facts.go): a story's sentences merged into facts across its
//     articles, each citing every article that reports it; near-copies (a
//     wire's write-thrus) found so they count once; quotations carried by
//     several reports merged likewise. Indexes, never all pairs.
//   - select (select.go): one selection under the word budget for all
//     stories at once, maximizing concept coverage (Gillick and Favre 2009)
//     plus in-article relevance (Lin and Bilmes 2011), by budgeted greedy
//     and a knapsack minorize-maximize step (Iyer and Bilmes 2013); a
//     story's share of the budget follows its importance.
//   - assemble (assemble.go): stories in order of importance, each fact
//     once with its citations, the lede first and the rest in the order the
//     articles tell them.
//
// Cost is bounded and near-linear in the text: an article contributes at
// most a fixed number of sentences, a story a fixed number in all, and
// every comparison goes through an index. Build checks its context between
// stages and inside its loops.
//
// # Story grouping
//
// One similarity groups articles in two places: inside Build, over the
// articles it is given, and in a store at ingest, one article at a time.
//
// A story is represented by its Profile, an aggregate of its members that
// grows by one article at a time (Profile.Add) and serializes to JSON, so a
// store can keep it in a row and update it as articles arrive. Similarity
// compares an article's Analysis with a Profile under corpus statistics the
// caller supplies (DocFreq: how many of N documents contain each stemmed
// term, e.g. a DocCounts the store keeps up to date); Assign picks, among
// candidate stories the caller found (say, by the article's heaviest terms),
// the most similar one that is similar enough, or says the article starts a
// story of its own. Group does the same for a batch, for Build and for a
// store's regrouping: it visits the articles in an order fixed by their
// content (publication time, then outlet, title and text), so the same
// articles give the same stories in any input order, and finds each
// article's candidates through an inverted index of its 30 heaviest terms.
//
// The similarity is the cosine between the article's TF-IDF vector
// (sub-linear term frequency, Salton and Buckley 1988) and the story's
// centroid: the sum of its members' length-normalized term-frequency
// vectors, weighted by the same IDF at comparison time. Keeping the profile
// free of IDF is what lets it be updated incrementally while the corpus, and
// with it every IDF, keeps changing. Comparing with the centroid rather than
// each member is the group-average link of single-pass event clustering in
// Topic Detection and Tracking (Allan et al. 1998; Yang et al. 1998), which
// keeps a long-running story together as long as its reports keep sharing
// its names and terms, with no fixed time window. What keeps different
// events apart over time is Yang et al.'s time-decayed threshold: the
// similarity needed to join (0.11 within three days of the story) rises by
// half for every 30 days beyond. One outlet's pages under one headline on
// different days (a standing head: the daily weather page) are editions of
// a column, not reports of one event, and never form a story by
// themselves (see columnEdition). A guard requiring a shared name in the
// headline or lede was tried and dropped: on duc2003-dev it split single
// events whose reports lead with different names (B-cubed recall 0.81
// against 0.93 without it) and bought no precision.
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
	// Story is the caller's grouping, when it has one (a store that groups
	// articles into stories as they arrive): the articles with the same
	// Story are one story, which Build does not group again; articles
	// without one are grouped by similarity among themselves. Within a
	// story the articles listed first are read first: Build reads the text
	// of at most MaxStoryTexts of them, and cites and counts every other
	// one among the story's sources. An article of a story with neither
	// Body nor Analysis is such a source only.
	Story string `json:"story,omitempty"`
}

// MaxStoryTexts bounds the articles of one story whose text a briefing
// reads (see Article.Story); a caller that keeps analyses reads no more of
// a story's than this. A briefing says about six sentences of a story; what
// it needs of the reports is their candidate facts and how widely each is
// carried, and the share of reports carrying a fact is estimated from n of
// them with a standard error of at most 1/(2√n), under 0.09 for 32 (the
// most-carried facts, those a briefing leads with, stay apart from the
// rest). A story of a few dozen reports is read whole, as DUC's ten-document
// clusters are; a larger one costs the same however many reports it has,
// and its sources still list every report.
const MaxStoryTexts = 32

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
	// Coverage is the stored story's coverage, when the caller briefs
	// stories it keeps (Build leaves it nil; the store's callers set it).
	Coverage *Coverage `json:"coverage,omitempty"`
	// Key is the caller's Article.Story of the story's articles ("" for a
	// story Build grouped).
	Key string `json:"-"`
}

// Coverage says how widely a story was reported: every report the reader
// may see, not only those a briefing cites.
type Coverage struct {
	Reports int `json:"reports"`
	Outlets int `json:"outlets"`
	// FirstSeen and LastUpdate span the reports' times.
	FirstSeen  time.Time `json:"first_seen,omitzero"`
	LastUpdate time.Time `json:"last_update,omitzero"`
	// NewReports counts the reports stored since the last scheduled post
	// (0 outside scheduled posts).
	NewReports int `json:"new_reports,omitempty"`
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
	// MaxWords is the word budget of all bullets and quotes together, whole
	// sentences only, shared among the stories by their importance. Zero
	// gives each story a budget of its own of about six sentences
	// (defaultStoryWords).
	MaxWords int
	// MaxBullets caps the bullets per story. Zero means no cap: the word
	// budget decides.
	MaxBullets int
	// MaxStories caps the stories. Zero means every story formed.
	MaxStories int
	// Said holds the texts of bullets and quotes earlier briefings already
	// posted; Build leaves out what they say, so a scheduled post reports only
	// what is new.
	Said []string
}
