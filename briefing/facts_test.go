package briefing

import (
	"slices"
	"strings"
	"testing"
)

func TestFactDiffer(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"The Mali ceasefire deal was signed on Monday in Bamako.", "The Gaza ceasefire deal was signed on Monday in Cairo.", true},
		{"Brent rose 3% to $90 a barrel.", "Brent rose 5% to $92 a barrel.", true},
		{"Russian President Vladimir Putin said on Thursday that he supports a 30-day ceasefire in Ukraine.",
			"Vladimir Putin said he supports a 30-day ceasefire in Ukraine, the Kremlin said.", false},
		{"Israeli and Hamas negotiators resumed talks in Cairo on Sunday on extending the Gaza ceasefire.",
			"Hamas and Israeli negotiators resumed talks in Cairo on extending the Gaza ceasefire, Egyptian officials said.", false},
		{"He said the talks were positive.", "The talks were positive, he said.", false},
	}
	for _, tt := range tests {
		if got := factDiffer(factSpecifics(tt.a), factSpecifics(tt.b)); got != tt.want {
			t.Errorf("factDiffer(%q, %q) = %v, want %v (%v / %v)", tt.a, tt.b, got, tt.want, factSpecifics(tt.a), factSpecifics(tt.b))
		}
	}
}

// Two outlets' templated sentences about different places are two facts,
// each citing only the article that says it.
func TestBuildDoesNotMergeDifferentPlaces(t *testing.T) {
	arts := []Article{
		{ID: "a", Source: "Wire A", Title: "Ceasefire deals signed", Body: "The Mali ceasefire deal was signed on Monday in Bamako, officials said. Talks lasted a week."},
		{ID: "b", Source: "Wire B", Title: "Ceasefire deals signed", Body: "The Gaza ceasefire deal was signed on Monday in Cairo, officials said. Talks lasted a week."},
	}
	b := mustBuild(t, arts, Options{Topic: "ceasefire"})
	for _, st := range b.Stories {
		for _, bl := range st.Bullets {
			if len(bl.Sources) > 1 && (strings.Contains(bl.Text, "Mali") || strings.Contains(bl.Text, "Gaza")) {
				t.Errorf("bullet %q cites %d sources; only one article says it", bl.Text, len(bl.Sources))
			}
		}
	}
}

// factSpecificsRef is factSpecifics as a set, by its definition: every
// field of strings.Fields judged on its own (factSpecific).
func factSpecificsRef(text string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.Fields(text) {
		if lw, ok := factSpecific(f); ok {
			out[lw] = true
		}
	}
	return out
}

// FuzzFactSpecifics keeps factSpecifics' ASCII path and its sorted list in
// step with the plain set of words.
func FuzzFactSpecifics(f *testing.F) {
	for _, s := range []string{
		"The Mali ceasefire deal was signed on Monday in Bamako.",
		"Brent rose 3% to $90 a barrel; (Reuters) said \"OPEC\" [sic].",
		"  U.S. crude\tfell\v1.5%\fto\r$70 ,, ... ",
		"“Putin” said ‘Kyiv’ — 30-day ceasefire",
		"İstanbul ÖL 12 The The the",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := factSpecifics(s)
		want := factSpecificsRef(s)
		if got == nil || len(got) != len(want) || !slices.IsSorted(got) {
			t.Fatalf("factSpecifics(%q) = %q, want the set %v", s, got, want)
		}
		for i, w := range got {
			if !want[w] || i > 0 && got[i-1] == w {
				t.Fatalf("factSpecifics(%q) = %q, want the set %v", s, got, want)
			}
		}
	})
}
