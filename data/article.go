// Package data owns briefbot's articles: their file formats, the SQLite store
// with its full-text index, and ingestion.
package data

import (
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// Article is one stored news report.
type Article struct {
	// ID is stable across re-ingestion: derived from the canonical URL when
	// there is one, else from the normalized text.
	ID        string
	Title     string
	Source    string // outlet name; may be empty
	URL       string
	Author    string
	Published time.Time // zero when unknown
	Ingested  time.Time
	Body      string // normalized: paragraphs separated by a blank line
	// StoryID is the stored story the article belongs to (0: none yet).
	StoryID int64
	// Analysis is the engine's analysis stored with the article, when it
	// was read with it (StoryReports); nil otherwise.
	Analysis *briefing.Analysis
}
