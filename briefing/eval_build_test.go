package briefing

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefing/rouge"
)

// evalBuildText is what the scorers read of a briefing: every story's
// bullets, then its quotes, story by story.
func evalBuildText(b Briefing) []string {
	var out []string
	for _, s := range b.Stories {
		for _, bl := range s.Bullets {
			out = append(out, bl.Text)
		}
		for _, q := range s.Quotes {
			out = append(out, q.Text)
		}
	}
	return out
}

// evalBBCWith scores Build with the given selection constants on bbc-dev.
func evalBBCWith(tb testing.TB, items []evalItem, w selWeights) evalResult {
	var r evalResult
	for _, it := range items {
		n := len(strings.Fields(it.Ref))
		b, err := buildWith(context.Background(), []Article{{ID: it.ID, Title: it.Title, Body: it.Body}}, Options{MaxWords: n, Now: buildGoldenNow}, w)
		if err != nil {
			tb.Fatal(err)
		}
		peer := rouge.Tokens(evalCut(evalBuildText(b), n))
		model := rouge.Tokens(it.Ref)
		r.R1 += rouge.N(peer, model, 1).F1
		r.R2 += rouge.N(peer, model, 2).F1
	}
	r.R1 *= 100 / float64(len(items))
	r.R2 *= 100 / float64(len(items))
	return r
}

func TestEvalBuildBBC(t *testing.T) {
	items := evalLoad(t)
	t.Logf("Build: %v", evalBBCWith(t, items, defaultWeights))
	w := defaultWeights
	w.swaps = false
	t.Logf("no swaps: %v", evalBBCWith(t, items, w))
}
