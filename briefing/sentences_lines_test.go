package briefing

import "testing"

func TestSegHardBreak(t *testing.T) {
	tests := []struct {
		name                string
		l, nx               string
		indentL, indentN    int
		maxIndent, width, n int
		listLike, want      bool
	}{
		{"wrapped before a name", "the drought since early", "January and improving prospects", 0, 0, 0, 30, 5, false, false},
		{"heading before a paragraph", "Trump denies media reports", "The meeting between Witkoff and Putin happened two days after the talks.", 0, 0, 0, 300, 5, false, true},
		{"short first line of wire copy", "Standard Oil Co and BP North America", "Inc said they plan to form a venture to manage the money", 0, 0, 0, 66, 5, false, false},
		{"ends on a function word", "Officials met in the Saudi city of", "Jeddah on Tuesday", 0, 0, 0, 300, 5, false, false},
		{"lower case goes on", "This is a sentence", "cut off in the middle because pdf.", 0, 0, 0, 34, 2, false, false},
		{"sentence punctuation decides", "It closed.", "Shares fell.", 0, 0, 0, 300, 5, false, false},
		{"next line is a list item", "The plan has three parts:", "1. Cut taxes", 0, 0, 0, 30, 4, false, true},
		{"bullet after bullet", "• a", "• b", 0, 0, 0, 3, 2, true, true},
		{"dash wrapped to the line start", "while gearing", "- debt to equity plus debt - rose", 0, 0, 0, 60, 3, false, false},
		{"list of short lines", "features", "contact manager", 0, 0, 0, 18, 3, true, true},
		{"table row wrapped", "Div 7.3 cts vs 1.0 cent in prior", "period", 4, 0, 4, 40, 3, true, false},
		{"indented paragraph", "Net 1,000 vs 800", "Revs 5.1 mln vs 4.9 mln", 0, 4, 4, 40, 3, true, true},
		{"two lines, new sentence", "Contributing: Kim Hjelmgaard and Francesca Chambers, USA TODAY; Reuters", "This article originally appeared on USA TODAY", 0, 0, 0, 72, 2, false, true},
	}
	for _, tt := range tests {
		got := segHardBreak(tt.l, tt.nx, tt.indentL, tt.indentN, tt.maxIndent, tt.width, tt.n, tt.listLike)
		if got != tt.want {
			t.Errorf("%s: segHardBreak(%q, %q) = %v, want %v", tt.name, tt.l, tt.nx, got, tt.want)
		}
	}
}
