package briefing

import (
	"reflect"
	"strings"
	"testing"
)

func TestQuoteExtract(t *testing.T) {
	type q struct{ text, speaker string }
	tests := []struct {
		name  string
		body  string
		known []string
		want  []q
	}{
		{
			name:  "quote then speaker, full name from the story",
			body:  `"I expect that there will be a call with both presidents this week," Witkoff said Sunday.`,
			known: []string{"Steve Witkoff"},
			want:  []q{{"I expect that there will be a call with both presidents this week.", "Steve Witkoff"}},
		},
		{
			name: "speaker before, colon",
			body: `Steve Witkoff said: "We are bridging the gap between the two sides now."`,
			want: []q{{"We are bridging the gap between the two sides now.", "Steve Witkoff"}},
		},
		{
			name: "verb before speaker with title",
			body: `"These include Bulgaria and Romania and several other countries," stated Sergey Lavrov, the Russian Minister of Foreign Affairs.`,
			want: []q{{"These include Bulgaria and Romania and several other countries.", "Sergey Lavrov"}},
		},
		{
			name: "pronoun resolved to last named person",
			body: "Special envoy Steve Witkoff met Vladimir Putin's aides and then Putin. Witkoff flew home.\n" +
				`"As the president said, he really expects some sort of deal soon," he said.`,
			want: []q{{"As the president said, he really expects some sort of deal soon.", "Steve Witkoff"}},
		},
		{
			name: "role noun resolved",
			body: "Steve Witkoff met Putin in Moscow. Witkoff later spoke to CNN.\n" +
				`"It was a solutions-based discussion with a lot of progress," the envoy told CNN.`,
			want: []q{{"It was a solutions-based discussion with a lot of progress.", "Steve Witkoff"}},
		},
		{
			name: "curly quotes",
			body: `“We’re also continuing to engage with the Ukrainians every day,” Witkoff said.`,
			want: []q{{"We’re also continuing to engage with the Ukrainians every day.", "Witkoff"}},
		},
		{
			name: "according to",
			body: `"The ceasefire will hold for thirty days from Monday," according to Marco Rubio.`,
			want: []q{{"The ceasefire will hold for thirty days from Monday.", "Marco Rubio"}},
		},
		{
			name: "described speaker",
			body: `"Probably shares of companies involved in the domestic economy are a good bet," said a broker at Daiwa Securities Co Ltd.`,
			want: []q{{"Probably shares of companies involved in the domestic economy are a good bet.", "a broker at Daiwa Securities Co Ltd"}},
		},
		{name: "scare quotes are not quotes", body: `Putin spoke of the "root causes" of the war, he said.`},
		{name: "short quote", body: `"It was positive," Witkoff said.`},
		{name: "partial quote in lower case", body: `Trump said there was "a very good chance that this horrible, bloody war can finally come to an end."`},
		{name: "unattributed", body: `"We will fight on the beaches and in the hills," the poster read.`},
		{name: "organization is no person", body: "Acme Corp reported results.\n" + `"Sales were strong in every region this quarter," the company said.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cleanArticle(Article{Title: "T", Body: tt.body})
			var got []q
			text, _ := quoteDocText(d)
			for _, c := range quoteExtract(0, d, quotePeople(text), tt.known) {
				got = append(got, q{c.text, c.speaker})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("quoteExtract() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQuoteSame(t *testing.T) {
	a := "I expect that there will be a call with both presidents this week, and we’re also continuing to engage and have a conversation with the Ukrainians. We’re bridging the gap between two sides."
	b := "I expect that there will be a call with both presidents this week, and we're also continuing to engage and have conversation with the Ukrainians."
	tests := []struct {
		x, y string
		want bool
	}{
		{a, b, true},
		{b, a, true},
		{b, strings.ReplaceAll(b, "'", "’"), true},
		{b, "We are talking about the withdrawal of foreign forces, equipment and weapons.", false},
		{"", b, false},
	}
	for _, tt := range tests {
		if got := quoteSame(quoteNormWords(tt.x), quoteNormWords(tt.y)); got != tt.want {
			t.Errorf("quoteSame(%q, %q) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestQuotePeople(t *testing.T) {
	text := "U.S. President Donald Trump and Russian President Vladimir Putin spoke. Trump said Putin agreed. " +
		"The White House and Saudi Arabia hosted talks. OPEC President Rilwanu Lukman, who is also Nigerian Oil Minister, said prices held. " +
		"Indonesian Energy Minister Subroto agreed. Special envoy Steve Witkoff went on to Ukraine. Witkoff met Putin."
	var got []string
	for _, p := range quotePeople(text) {
		got = append(got, p.name)
	}
	// Every mention, in order: full names and surnames alone.
	want := []string{"Donald Trump", "Vladimir Putin", "Donald Trump", "Vladimir Putin", "Rilwanu Lukman", "Subroto", "Steve Witkoff", "Steve Witkoff", "Vladimir Putin"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("quotePeople() = %q, want %q", got, want)
	}
}

func TestQuoteResolve(t *testing.T) {
	people := []quoteName{{"Steve Witkoff", 10}, {"Vladimir Putin", 50}}
	known := []string{"Donald Trump", "Steve Witkoff", "Vladimir Putin"}
	tests := []struct {
		who  string
		at   int
		want string
	}{
		{"Witkoff", 100, "Steve Witkoff"},
		{"he", 30, "Steve Witkoff"},
		{"he", 60, "Vladimir Putin"},
		{"the envoy", 5, ""},
		{"President Trump", 100, "Donald Trump"},
		{"Lavrov", 100, "Lavrov"},
	}
	for _, tt := range tests {
		if got := quoteResolve(tt.who, tt.at, people, known); got != tt.want {
			t.Errorf("quoteResolve(%q, %d) = %q, want %q", tt.who, tt.at, got, tt.want)
		}
	}
}

func TestQuoteTidy(t *testing.T) {
	tests := []struct{ in, want string }{
		{"We are bridging the gap,", "We are bridging the gap."},
		{"Is it over?", "Is it over?"},
		{"  two   spaces ", "two spaces."},
	}
	for _, tt := range tests {
		if got := quoteTidy(tt.in); got != tt.want {
			t.Errorf("quoteTidy(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
