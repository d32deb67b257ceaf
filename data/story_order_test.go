package data

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestRegroupDUCIndependentOfOrder: every duc2003-dev report (research data
// used by path, skipped when absent) stored in time order, in reverse and
// shuffled, then regrouped: the same stories, each report (or copy of one)
// in the same story whichever order they came in.
func TestRegroupDUCIndependentOfOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	files, _ := filepath.Glob("../../shared/eval/duc2003-dev/clusters/*/*.json")
	if len(files) == 0 {
		t.Skip("no duc2003-dev at ../../shared/eval/duc2003-dev")
	}
	var arts []Article
	for _, f := range files {
		as, err := ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		arts = append(arts, as...)
	}
	sort.SliceStable(arts, func(i, j int) bool { return arts[i].Published.Before(arts[j].Published) })
	n := len(arts)
	orders := map[string]func(i int) int{
		"time":     func(i int) int { return i },
		"reverse":  func(i int) int { return n - 1 - i },
		"shuffled": func(i int) int { return i * 37 % n }, // 37 is prime to 89
	}
	ctx := context.Background()
	parts := map[string]string{}
	for name, at := range orders {
		s := openTest(t)
		seen := map[int]bool{}
		for i := range n {
			seen[at(i)] = true
			if _, err := s.Add(ctx, []Article{arts[at(i)]}); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen) != n {
			t.Fatalf("order %s is not a permutation", name)
		}
		if err := s.Regroup(ctx, nil); err != nil {
			t.Fatal(err)
		}
		parts[name] = strings.Join(partition(t, s), "\n")
	}
	for name, p := range parts {
		if p != parts["time"] {
			t.Errorf("stored in %s order and regrouped:\n%s\nin time order:\n%s", name, p, parts["time"])
		}
	}
}
