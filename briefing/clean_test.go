package briefing

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCleanIsBoilerplate(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Manage your account", true},
		{"Stepinac was, 5th graf, pvs.", true},
		{"The plane, 5th graf pvs.", true},
		{"The team played its fifth game in a row at the Graf stadium.", false},
		{"Sign up for our newsletter", true},
		{"Sign up for our daily briefing newsletter to get the news in your inbox.", true},
		{"Subscribe now for unlimited access.", true},
		{"Follow us on our WhatsApp channel here .", true},
		{"Join us on Telegram for the latest updates.", true},
		{"EMEA Tribune is not responsible for this news, news agencies have provided us this news.", true},
		{"Contributing: Kim Hjelmgaard and Francesca Chambers, USA TODAY; Reuters", true},
		{"This article originally appeared on USA TODAY: Trump, Putin to talk this week", true},
		{"Reporting by Jane Doe; Editing by John Smith", true},
		{"Additional reporting by Tom Balmforth in Moscow.", true},
		{"Copyright 2025 The Associated Press. All rights reserved.", true},
		{"READ MORE:", true},
		{"Read more: Ukraine's drone war explained", true},
		{"REUTER", true},
		{"By Kim Hjelmgaard, USA TODAY", true},
		{"By Jane Doe and John Smith", true},
		{"Updated 10:32 a.m. ET March 16, 2025", true},
		{"Published: March 16, 2025", true},
		{"Volodymyr Zelenskyy speaks in Kyiv. (AP Photo/Efrem Lukatsky)", true},
		{"Sign up to our free daily newsletter.", true},
		{"Get our Morning Briefing newsletter", true},
		{"Skip to main content", true},
		{"Thank you for reading.", true},
		{"Have a news tip? Email us.", true},
		{"Listen to this article", true},
		{"5 min read", true},
		{"Story continues below advertisement", true},
		{"Please support our journalism with a donation.", true},
		{"Image source, Getty Images", true},
		{"Please enable JavaScript to view the comments.", true},
		// News about such things is not boilerplate.
		{"The company launched a newsletter for investors in 2019 and it now has 40,000 readers across the country, executives said on Monday in a statement.", false},
		{"Police said the tip came from a neighbour.", false},
		{"By Friday, the talks had collapsed.", false},
		{"By the end of the war, Ukraine had lost much of its east.", false},
		{"Published reports say the deal is close.", false},
		{"Updated figures show growth slowed.", false},
		{"Millions sign up for health insurance before the deadline.", false},
		{"The minister said he was not responsible for the delays.", false},
		{"Reporting rules for banks will change next year, the regulator said.", false},
		{"Witkoff met with Putin in Moscow on Thursday.", false},
		{"The newspaper's editors followed the story for months.", false},
		{"Copyright law is being rewritten in Brussels.", false},
	}
	for _, tt := range tests {
		if got := cleanIsBoilerplate(tt.in); got != tt.want {
			t.Errorf("cleanIsBoilerplate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCleanStripDateline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"WASHINGTON (Reuters) - The U.S. Senate voted on Tuesday.", "The U.S. Senate voted on Tuesday."},
		{"NEW YORK, March 3 (Reuters) - Stocks rose.", "Stocks rose."},
		{"KYIV, Ukraine (AP) — Russia launched drones overnight.", "Russia launched drones overnight."},
		{"LONDON - Britain's economy grew.", "Britain's economy grew."},
		{"U.S. President Donald Trump said - again - that talks would go on.", "U.S. President Donald Trump said - again - that talks would go on."},
		{"Officials - and their staff - met on Monday.", "Officials - and their staff - met on Monday."},
		{"The talks ended.", "The talks ended."},
	}
	for _, tt := range tests {
		if got := cleanStripDateline(tt.in); got != tt.want {
			t.Errorf("cleanStripDateline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"one a line", "First paragraph.\nSecond one.\nA heading\nThird.", []string{"First paragraph.", "Second one.", "A heading", "Third."}},
		{"blank lines with hard wraps", "The talks\nresumed today.\n\nThey ended\nlate.", []string{"The talks resumed today.", "They ended late."}},
		{"wire layout", "Showers continued in\nthe Bahia cocoa zone, said\nComissaria Smith.\n    The dry period means\nthe temporao will be late.\n Reuter\n\x03", []string{"Showers continued in the Bahia cocoa zone, said Comissaria Smith.", "The dry period means the temporao will be late.", "Reuter"}},
		{"table rows dropped", "Prices were:\n   Wheat   2.55   2.40\n   Corn    1.50   1.92\nThe figures are final.", []string{"Prices were:", "The figures are final."}},
		{"crlf", "One.\r\nTwo.", []string{"One.", "Two."}},
		// A blank line inside a sentence, as a feed that double-spaces its
		// wrapped lines sends it: one paragraph, no fragment.
		{"blank line mid-sentence", "Israel rejected calls for the\n\nwithdrawal of troops from the Philadelphi corridor.\n\nTalks resume Monday.",
			[]string{"Israel rejected calls for the withdrawal of troops from the Philadelphi corridor.", "Talks resume Monday."}},
		{"wire layout cut mid-sentence", "    Israel rejected calls for the\n    withdrawal of troops from the corridor.\n    Talks resume Monday.",
			[]string{"Israel rejected calls for the withdrawal of troops from the corridor.", "Talks resume Monday."}},
		{"heading then lower case stays apart", "Key points:\n\nprices rose.", []string{"Key points:", "prices rose."}},
		{"empty", "  \n\n ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanParagraphs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("cleanParagraphs() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCleanStripTrailer(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The dry period means the temporao will be late. REUTER", "The dry period means the temporao will be late."},
		{"Reuter", ""},
		{"  REUTER  ", ""},
		{"Lukman told Reuters", "Lukman told Reuters"},
		{"He spoke to Reuter", "He spoke to"},
		{"The SHREUTER", "The SHREUTER"},
	}
	for _, tt := range tests {
		if got := cleanStripTrailer(tt.in); got != tt.want {
			t.Errorf("cleanStripTrailer(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanIsSubheading(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Trump denies media reports", true},
		{"What happens next", true},
		{"Putin has repeatedly spoken about the need to end the war.", false},
		{`"It was positive," Witkoff said.`, false},
		{"This is a long line without a full stop at its end that goes on and on about many things in detail", false},
	}
	for _, tt := range tests {
		if got := cleanIsSubheading(tt.in); got != tt.want {
			t.Errorf("cleanIsSubheading(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCleanArticle(t *testing.T) {
	tests := []struct {
		name       string
		art        Article
		wantOutlet string
		wantSents  []string
	}{
		{
			name: "syndicated with disclaimers",
			art: Article{Title: "Talks go on", Body: "Manage your account\nThe talks went on for hours.\nTrump denies media reports\nBoth sides said progress was made.\n" +
				"Contributing: Jane Doe, USA TODAY\nThis article originally appeared on USA TODAY: Talks go on\n" +
				"EMEA Tribune is not responsible for this news, news agencies have provided us this news.\nFollow us on our WhatsApp channel here ."},
			wantOutlet: "USA TODAY via EMEA Tribune",
			wantSents:  []string{"The talks went on for hours.", "Both sides said progress was made."},
		},
		{
			name:       "wire copy",
			art:        Article{Title: "ARVIN INDS <ARV> PROMOTES EVANS", Source: "Reuters", Body: "CHICAGO (Reuters) - Arvin Industries Inc said it promoted Evans.\n Reuter\n\x03"},
			wantOutlet: "Reuters",
			wantSents:  []string{"Arvin Industries Inc said it promoted Evans."},
		},
		{
			name:       "host as outlet",
			art:        Article{Title: "X", URL: "https://www.example.com/a/b", Body: "The vote passed easily on Monday."},
			wantOutlet: "example.com",
			wantSents:  []string{"The vote passed easily on Monday."},
		},
		{
			name:       "title as outlet",
			art:        Article{Title: "Vote passes", Body: "Vote passes\nThe vote passed easily on Monday."},
			wantOutlet: "Vote passes",
			wantSents:  []string{"The vote passed easily on Monday."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cleanArticle(tt.art)
			if d.outlet != tt.wantOutlet {
				t.Errorf("outlet = %q, want %q", d.outlet, tt.wantOutlet)
			}
			if got := d.sents(); !reflect.DeepEqual(got, tt.wantSents) {
				t.Errorf("sentences = %q, want %q", got, tt.wantSents)
			}
		})
	}
}

func TestCleanTitle(t *testing.T) {
	tests := []struct{ in, outlet, want string }{
		{"ARVIN INDS <ARV> PROMOTES EVANS", "Reuters", "ARVIN INDS PROMOTES EVANS"},
		{"Talks resume - Reuters", "Reuters", "Talks resume"},
		{"Talks resume | The Daily Planet", "The Daily Planet", "Talks resume"},
		{"Peace - at last - in sight", "Reuters", "Peace - at last - in sight"},
		{"ZURICH, Switzerland (AP) -- Swissair \"did everything correctly\" in installing a", "Associated Press", "Swissair \"did everything correctly\" in installing a"},
	}
	for _, tt := range tests {
		if got := cleanTitle(tt.in, tt.outlet); got != tt.want {
			t.Errorf("cleanTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanRepeated(t *testing.T) {
	day := time.Date(2025, 3, 16, 9, 0, 0, 0, time.UTC)
	promo := "Get breaking alerts from the Daily Planet on your phone."
	arts := []Article{
		{Source: "Daily Planet", Title: "Floods hit the north", Published: day, Body: "Heavy rain flooded towns across the north on Sunday.\nRescue teams evacuated hundreds of residents from their homes.\n" + promo},
		{Source: "Daily Planet", Title: "Budget vote delayed", Published: day, Body: "Parliament delayed its vote on the budget until next month.\nThe finance minister blamed the opposition for the delay.\n" + promo},
		{Source: "Daily Planet", Title: "Floods spread south", Published: day, Body: "Heavy rain flooded towns across the north on Sunday.\nThe floods have now spread to southern valleys as well."},
		{Source: "Other Times", Title: "Budget vote delayed again", Published: day, Body: promo + "\nLawmakers put off the budget vote."},
	}
	var ans []*Analysis
	var outlets []string
	var sents [][]string
	stats := newBuildStats(len(arts), 0)
	for i, a := range arts {
		an := Analyze(a)
		ans = append(ans, an)
		stats.add(i, an)
		outlets = append(outlets, analysisKey(an))
		var ss []string
		for _, s := range an.Sentences {
			ss = append(ss, s.Text)
		}
		sents = append(sents, ss)
	}
	stats.finish()
	keys := make([][]uint64, len(sents))
	for i, ss := range sents {
		for _, s := range ss {
			keys[i] = append(keys[i], cleanKey(s))
		}
	}
	drop := cleanRepeated(outlets, keys, func(i, j int) float64 { return cosine(stats.vec(i), stats.vec(j)) })
	kept := func(i int) []string {
		var out []string
		for j, s := range sents[i] {
			if drop[i] == nil || !drop[i][j] {
				out = append(out, s)
			}
		}
		return out
	}
	for i := range 2 {
		for _, s := range kept(i) {
			if s == promo {
				t.Errorf("article %d kept the outlet's repeated promo line", i)
			}
		}
	}
	// The same fact in two related reports of one outlet is news, and a line
	// another outlet has once is that outlet's business.
	if got := kept(2)[0]; got != "Heavy rain flooded towns across the north on Sunday." {
		t.Errorf("related update lost its shared sentence: %q", got)
	}
	if !strings.Contains(strings.Join(kept(3), " "), "breaking alerts") {
		t.Errorf("a single occurrence at another outlet was removed")
	}
}
