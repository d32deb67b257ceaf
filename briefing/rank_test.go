package briefing

import (
	"math"
	"reflect"
	"testing"
)

func TestSalience(t *testing.T) {
	story := []string{
		"The central bank raised interest rates by half a point on Thursday.",
		"Markets had expected the bank to raise rates by a quarter point.",
		"My cat enjoys sleeping on sunny windowsills.",
		"Analysts said the bank's rates decision surprised markets.",
	}
	tests := []struct {
		name   string
		title  string
		sents  []string
		higher [][2]int // pairs (a, b): sentence a must outscore sentence b
	}{
		{name: "empty", sents: nil},
		{name: "one sentence", sents: story[:1]},
		{name: "off-topic sentence ranks last", title: "Bank raises rates", sents: story,
			higher: [][2]int{{0, 2}, {1, 2}, {3, 2}}},
		{name: "sentence of only stop words", sents: []string{"It is what it is.", "Rates rose; rates fell; rates rose again.", "Rates rose again today."},
			higher: [][2]int{{1, 0}, {2, 0}}},
		{name: "repeated words do not beat breadth", sents: []string{
			"Rates rates rates rates rates.",
			"The bank raised rates and markets fell.",
			"Markets fell after the bank moved.",
			"The bank said markets would calm.",
		}, higher: [][2]int{{1, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := salience(tt.title, tt.sents)
			if len(got) != len(tt.sents) {
				t.Fatalf("got %d scores for %d sentences", len(got), len(tt.sents))
			}
			for i, s := range got {
				if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 {
					t.Errorf("score %d = %v", i, s)
				}
			}
			for _, p := range tt.higher {
				if got[p[0]] <= got[p[1]] {
					t.Errorf("score[%d] = %.4f, want above score[%d] = %.4f", p[0], got[p[0]], p[1], got[p[1]])
				}
			}
			if again := salience(tt.title, tt.sents); !reflect.DeepEqual(got, again) {
				t.Errorf("not deterministic: %v then %v", got, again)
			}
		})
	}
}

func TestRankTextRank(t *testing.T) {
	tests := []struct {
		name string
		in   [][]string
		want []float64 // nil: only check that scores sum to 1
	}{
		{"single", [][]string{{"a", "b"}}, []float64{1}},
		{"no links share evenly", [][]string{{"a", "b"}, {"c", "d"}, {"e", "f"}}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{"symmetric pair", [][]string{{"a", "b"}, {"a", "c"}}, []float64{0.5, 0.5}},
		{"empty sentences", [][]string{{}, {"a"}, {}}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{"hub", [][]string{{"a", "b", "c"}, {"a", "x"}, {"b", "y"}, {"c", "z"}}, nil},
	}
	for _, tt := range tests {
		got := rankTextRank(rankIDs(tt.in))
		var sum float64
		for _, v := range got {
			sum += v
		}
		if math.Abs(sum-1) > 1e-6 {
			t.Errorf("%s: scores %v sum to %v, want 1", tt.name, got, sum)
		}
		for i := range tt.want {
			if math.Abs(got[i]-tt.want[i]) > 1e-6 {
				t.Errorf("%s: score[%d] = %v, want %v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
	hub := rankTextRank(rankIDs([][]string{{"a", "b", "c"}, {"a", "x"}, {"b", "y"}, {"c", "z"}}))
	for i := 1; i < 4; i++ {
		if hub[0] <= hub[i] {
			t.Errorf("hub score %v not above spoke %d: %v", hub[0], i, hub)
		}
	}
}

func TestRankTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"It was what it was.", []string{}},
		{"Rates rose, the bank said.", []string{"rates", "rose", "bank", "said"}},
		{"The U.S. cease-fire held a year.", []string{"u.s", "cease-fire", "held", "year"}},
		{"A 3.5% rise in 2004", []string{"3.5", "rise", "2004"}},
	}
	for _, tt := range tests {
		got := rankTerms(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("rankTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
