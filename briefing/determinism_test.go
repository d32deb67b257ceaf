package briefing

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestBuildDeterministic: the same articles give the same briefing, byte
// for byte, every time. Go randomises map iteration, so a choice that
// depends on it (which of two equally similar sentences a fact merges
// into, say) shows up as a different citation list between runs.
func TestBuildDeterministic(t *testing.T) {
	arts := buildBenchGenerated(100, 600)
	var first []byte
	for run := range 8 {
		br, err := Build(context.Background(), arts, Options{Topic: "ceasefire"})
		if err != nil {
			t.Fatal(err)
		}
		br.GeneratedAt = time.Time{} // the clock, not the content
		got, err := json.Marshal(br)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = got
		} else if string(got) != string(first) {
			t.Fatalf("run %d differs from run 0:\n%s\n%s", run, got, first)
		}
	}
}
