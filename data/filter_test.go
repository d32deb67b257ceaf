package data

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestFilterMatch(t *testing.T) {
	talks := Article{Title: "Peace talks resume in Geneva", Source: "BBC News", URL: "https://www.bbc.co.uk/news/1",
		Body: "Negotiators met again. A ceasefire was not discussed."}
	rumor := Article{Title: "Rumor: peace talks collapse", Source: "The Daily Tabloid", URL: "https://tabloid.example/x",
		Body: "Unnamed sources say the talks failed."}
	sport := Article{Title: "Olympics sport funding cut", Source: "Reuters", URL: "https://www.reuters.com/sport/olympics",
		Body: "Sport budgets shrink. The cease-fire in the league holds."}
	software := Article{Title: "Software warnings", Source: "Tech Wire", URL: "https://news.techwire.example/a",
		Body: "A software update warns users."}
	all := []Article{talks, rumor, sport, software}
	tests := []struct {
		name   string
		filter Filter
		want   []string // titles that pass
	}{
		{"empty", Filter{}, []string{talks.Title, rumor.Title, sport.Title, software.Title}},
		{"one word, whole words only", Filter{Include: "war"}, nil},
		{"word prefix", Filter{Include: "war*"}, []string{software.Title}},
		{"any of the words", Filter{Include: "geneva, olympics"}, []string{talks.Title, sport.Title}},
		{"case and punctuation ignored", Filter{Include: "GENEVA!"}, []string{talks.Title}},
		{"exact phrase", Filter{Include: `"peace talks"`}, []string{talks.Title, rumor.Title}},
		{"phrase not words", Filter{Include: `"talks peace"`}, nil},
		{"curly quotes", Filter{Include: "“peace talks”"}, []string{talks.Title, rumor.Title}},
		{"phrase with negation", Filter{Include: `"peace talks" -rumor`}, []string{talks.Title}},
		{"bang negates too", Filter{Include: `"peace talks" !rumor`}, []string{talks.Title}},
		{"only negation", Filter{Include: "-sport"}, []string{talks.Title, rumor.Title, software.Title}},
		{"hyphenated word is a phrase", Filter{Include: "cease-fire"}, []string{sport.Title}},
		{"exclude", Filter{Exclude: "rumor"}, []string{talks.Title, sport.Title, software.Title}},
		{"exclude with exception", Filter{Exclude: "sport -olympics"}, []string{talks.Title, rumor.Title, sport.Title, software.Title}},
		{"exclude whose exception fails", Filter{Exclude: "sport -geneva"}, []string{talks.Title, rumor.Title, software.Title}},
		{"negated phrase", Filter{Exclude: `-"peace talks"`}, []string{talks.Title, rumor.Title}},
		{"include and exclude", Filter{Include: "talks", Exclude: "unnamed"}, []string{talks.Title}},
		{"outlet by name prefix", Filter{Allow: "BBC"}, []string{talks.Title}},
		{"outlet name without The", Filter{Allow: "daily tabloid"}, []string{rumor.Title}},
		{"outlet by domain", Filter{Allow: "reuters.com, techwire.example"}, []string{sport.Title, software.Title}},
		{"outlet by address", Filter{Allow: "https://www.bbc.co.uk/news"}, []string{talks.Title}},
		{"outlet name is not a substring", Filter{Allow: "News"}, nil},
		{"block outlets", Filter{Block: "Reuters, The Daily Tabloid"}, []string{talks.Title, software.Title}},
		{"all four", Filter{Include: "talks, sport", Exclude: "rumor", Allow: "bbc, reuters", Block: "reuters.com"}, []string{talks.Title}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.filter.Compile()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range all {
				if m.Match(a) {
					got = append(got, a.Title)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%+v passes %q, want %q", tt.filter, got, tt.want)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		filter Filter
		want   string // in the error
	}{
		{Filter{Include: `"peace talks`}, `include: the quote before "peace talks" is never closed`},
		{Filter{Exclude: `""`}, `exclude: an empty "" phrase`},
		{Filter{Include: "ceasefire -"}, `include: "-" negates nothing`},
		{Filter{Include: "ceasefire ! rumor"}, `include: "!" negates nothing`},
		{Filter{Include: "***"}, `include: "***" has no letters or digits`},
		{Filter{Include: strings.Repeat("word ", 26)}, "include: more than 25 words"},
		{Filter{Exclude: strings.Repeat("x", 501)}, "exclude: longer than 500 characters"},
		{Filter{Allow: strings.Repeat("a,", 26)}, "outlets: more than 25 outlets"},
		{Filter{Block: "!!!"}, `not from: "!!!" is not an outlet name`},
		{Filter{Include: `"a`, Block: "???"}, "include: the quote"},
	}
	for _, tt := range tests {
		_, err := tt.filter.Compile()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%+v) = %v, want an error with %q", tt.filter, err, tt.want)
		}
	}
	if _, err := (Filter{Include: `"a`, Block: "???"}).Compile(); err == nil || !strings.Contains(err.Error(), "not from:") {
		t.Errorf("every field's problem is named: %v", err)
	}
}

func TestFilterString(t *testing.T) {
	f := Filter{Include: ` "peace talks" -rumor `, Block: "Tabloid"}
	if got, want := f.String(), `include: "peace talks" -rumor · not from: Tabloid`; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if (Filter{Include: "  "}).String() != "" || !(Filter{Allow: " "}).IsZero() {
		t.Error("a blank filter is not empty")
	}
}

// TestFilteredSearchCountsPassing: Limit counts the articles that pass,
// in search and in the newest articles alike.
func TestFilteredSearchCountsPassing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var arts []Article
	for i := 0; i < 30; i++ {
		src := "Tabloid"
		if i%3 == 0 {
			src = "Herald"
		}
		arts = append(arts, Article{Title: "Harbour story", Source: src, URL: "https://x.example/" + string(rune('a'+i)),
			Body: "Harbour news number " + strings.Repeat("x", i+1), Published: now.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	m, err := Filter{Allow: "Herald"}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	opt := SearchOptions{Limit: 5, Filter: m}
	hits, err := s.Search(ctx, "harbour", opt)
	if err != nil || len(hits) != 5 {
		t.Fatalf("Search: %d hits, %v; want 5", len(hits), err)
	}
	recent, err := s.Recent(ctx, opt)
	if err != nil || len(recent) != 5 {
		t.Fatalf("Recent: %d, %v; want 5", len(recent), err)
	}
	for _, a := range append(recent, hits[0].Article) {
		if a.Source != "Herald" {
			t.Errorf("filtered read returned %s", a.Source)
		}
	}
}

func FuzzFilter(f *testing.F) {
	for _, s := range []string{`"peace talks" -rumor`, "war* !x", `""`, `-`, "a,b,,c", `"unclosed`, "“curly”", "reuters.com, The BBC", "-\"x\"*"} {
		f.Add(s, "Peace talks resume; war warnings")
	}
	f.Fuzz(func(t *testing.T, expr, text string) {
		a := Article{Title: text, Body: text, Source: text, URL: "https://" + text}
		for _, flt := range []Filter{{Include: expr}, {Exclude: expr}, {Allow: expr}, {Block: expr}} {
			m, err := flt.Compile()
			if err != nil {
				if m != nil {
					t.Fatalf("Compile(%q) returned a matcher with error %v", expr, err)
				}
				continue
			}
			m.Match(a)
		}
	})
}
