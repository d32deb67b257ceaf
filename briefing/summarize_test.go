package briefing

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

const sumTestBody = `The central bank raised interest rates by half a point on Thursday, its biggest move in a decade.

Markets had expected the bank to raise rates by a quarter point. Shares fell sharply after the decision.

"We acted because inflation is too high," the bank's governor said. My cat enjoys sleeping on sunny windowsills.

Analysts said the bank's rates decision surprised markets and would push mortgage rates higher. Shares fell sharply after the decision.`

func TestSummarize(t *testing.T) {
	all := Sentences(sumTestBody)
	tests := []struct {
		name      string
		body      string
		maxWords  int
		wantCount int      // -1: do not check
		mustHave  []string // prefixes of sentences that must be chosen
		mustNot   []string // prefixes of sentences that must not be chosen
	}{
		{name: "empty body", body: "", maxWords: 50, wantCount: 0},
		{name: "budget below every sentence", body: sumTestBody, maxWords: 3, wantCount: 0},
		{name: "default is five sentences", body: sumTestBody, maxWords: 0, wantCount: 5},
		{name: "whole article fits", body: "One short sentence here. Another short one.", maxWords: 100, wantCount: 2},
		{name: "tight budget keeps the core", body: sumTestBody, maxWords: 40, wantCount: -1,
			mustHave: []string{"The central bank raised"}, mustNot: []string{"My cat"}},
		{name: "repeated sentence used once", body: sumTestBody, maxWords: 1000, wantCount: len(all) - 1},
		{name: "headline repeated in body left out", body: "Bank raises rates\n\n" + sumTestBody, maxWords: 1000, wantCount: len(all) - 1,
			mustNot: []string{"Bank raises rates"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize("Bank raises rates", tt.body, tt.maxWords)
			if tt.wantCount >= 0 && len(got) != tt.wantCount {
				t.Errorf("got %d sentences, want %d: %q", len(got), tt.wantCount, got)
			}
			if tt.maxWords > 0 {
				if n := len(strings.Fields(strings.Join(got, " "))); n > tt.maxWords {
					t.Errorf("%d words, budget %d", n, tt.maxWords)
				}
			}
			sumCheckOrder(t, tt.body, got)
			for _, p := range tt.mustHave {
				if !sumHasPrefix(got, p) {
					t.Errorf("missing %q in %q", p, got)
				}
			}
			for _, p := range tt.mustNot {
				if sumHasPrefix(got, p) {
					t.Errorf("unwanted %q in %q", p, got)
				}
			}
		})
	}
}

func sumHasPrefix(sents []string, p string) bool {
	for _, s := range sents {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// sumCheckOrder fails unless got is a subsequence of the body's sentences:
// whole sentences, in article order.
func sumCheckOrder(t *testing.T, body string, got []string) {
	t.Helper()
	all := Sentences(body)
	j := 0
	for _, s := range got {
		for j < len(all) && all[j] != s {
			j++
		}
		if j == len(all) {
			t.Fatalf("%q is not a sentence of the body in article order (summary %q)", s, got)
		}
		j++
	}
}

func TestSumFill(t *testing.T) {
	sents := []string{"a b c d e", "f g", "h i j", "k l m n o p q r"}
	tests := []struct {
		name   string
		scores []float64
		budget int
		want   []string
	}{
		{"fills exactly", []float64{1, 1, 1, 1.1}, 10, []string{"f g", "k l m n o p q r"}},
		{"score beats length", []float64{3, 1, 3, 0.1}, 8, []string{"a b c d e", "h i j"}},
		{"zero score never chosen", []float64{0, 1, 0, 0}, 100, []string{"f g"}},
		{"nothing fits", []float64{1, 1, 1, 1}, 1, nil},
		{"all fit", []float64{1, 1, 1, 1}, 100, sents},
		{"all fit but a zero", []float64{1, 0, 1, 1}, 100, []string{"a b c d e", "h i j", "k l m n o p q r"}},
	}
	for _, tt := range tests {
		if got := sumFill(sents, tt.scores, tt.budget); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: sumFill = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSumGreedy(t *testing.T) {
	sents := []string{"a b c d e", "f g", "h i j", "k l m n o p q r"}
	tests := []struct {
		name   string
		scores []float64
		budget int
		want   []string
	}{
		// The best sentence (8 words) fits; the next (5) does not, so the
		// 2-word one fills the room.
		{"skips what does not fit", []float64{2, 1, 0.5, 3}, 10, []string{"f g", "k l m n o p q r"}},
		{"zero score never chosen", []float64{0, 0, 1, 0}, 100, []string{"h i j"}},
		{"nothing fits", []float64{1, 1, 1, 1}, 1, nil},
	}
	for _, tt := range tests {
		if got := sumGreedy(sents, tt.scores, tt.budget); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: sumGreedy = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add("Bank raises rates", sumTestBody, 40)
	f.Add("", "One. Two. Three.", 1)
	f.Add("x", "Same. Same. Same.", 0)
	f.Add("t", "no punctuation at all", -5)
	f.Add("t", "\n\n\"Quoted.\" (Aside.) U.S. policy... ok!", 7)
	f.Fuzz(func(t *testing.T, title, body string, maxWords int) {
		maxWords %= 2000
		got := Summarize(title, body, maxWords)
		if maxWords > 0 {
			if n := len(strings.Fields(strings.Join(got, " "))); n > maxWords {
				t.Fatalf("%d words, budget %d", n, maxWords)
			}
		} else if len(got) > sumDefaultSentences {
			t.Fatalf("%d sentences by default", len(got))
		}
		sumCheckOrder(t, body, got)
		if again := Summarize(title, body, maxWords); !reflect.DeepEqual(got, again) {
			t.Fatalf("not deterministic: %q then %q", got, again)
		}
	})
}

// BenchmarkSummarize summarizes one sample report of about 600 words to a
// 150-word budget.
func BenchmarkSummarize(b *testing.B) {
	raw, err := os.ReadFile("../data/samples/emea-tribune-usa-today-trump-putin-call.md")
	if err != nil {
		b.Skipf("sample article: %v", err)
	}
	body := string(raw)
	if _, rest, ok := strings.Cut(strings.TrimPrefix(body, "---\n"), "\n---\n"); ok {
		body = rest
	}
	title := "Trump, Putin expected to talk this week as Russia-Ukraine ceasefire negotiations continue"
	b.ReportAllocs()
	for b.Loop() {
		Summarize(title, body, 150)
	}
}

// TestSummarizeHuge checks that a book-length input takes the bounded paths
// (TextRank over the first rankMaxSents sentences, greedy fill past the
// knapsack table limit) and still respects the budget.
func TestSummarizeHuge(t *testing.T) {
	var b strings.Builder
	topics := []string{"bank rates", "football cup", "film awards", "election vote", "phone software"}
	for i := range 2 * rankMaxSents {
		fmt.Fprintf(&b, "Sentence %d is about %s and item%d today. ", i, topics[i%len(topics)], i%7)
	}
	sents := Sentences(b.String())
	if len(sents) <= rankMaxSents {
		t.Fatalf("built %d sentences, want more than %d", len(sents), rankMaxSents)
	}
	sc := salience("Bank rates", sents)
	if len(sc) != len(sents) {
		t.Fatalf("%d scores for %d sentences", len(sc), len(sents))
	}
	for _, budget := range []int{50, 15000} {
		got := Summarize("Bank rates", b.String(), budget)
		if n := len(strings.Fields(strings.Join(got, " "))); n > budget || n < budget*9/10 {
			t.Errorf("budget %d: %d words", budget, n)
		}
	}
}
