package briefing

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

// TestAddHeadDropsLeastRecent: past maxHeads heads, a profile drops the
// head whose last member is oldest, the first by key among equally old
// ones, whichever the map's order.
func TestAddHeadDropsLeastRecent(t *testing.T) {
	base := storyFixtureDay.Unix()
	a := &Analysis{Title: "Markets wrap", Outlet: "Reuters", Published: storyFixtureDay.Add(time.Hour)}
	own := columnKey(a)
	tests := []struct {
		name string
		last map[string]int64 // heads whose last member is not at base+100
		at   int64            // the new member's time, from base
		drop string
	}{
		{"the oldest", map[string]int64{"k17": 3, "k05": 7}, 3600, "k17"},
		{"ties by key", map[string]int64{"k17": 3, "k05": 3, "k30": 3}, 3600, "k05"},
		{"the key after a tie", map[string]int64{"k02": 3, "k01": 3}, 3600, "k01"},
		{"the new member's own", map[string]int64{"k17": 3}, 1, own},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Profile{Heads: map[string][2]int64{}}
			for i := range maxHeads {
				k := fmt.Sprintf("k%02d", i)
				last, ok := tt.last[k]
				if !ok {
					last = 100
				}
				p.Heads[k] = [2]int64{base, base + last}
			}
			want := slices.Sorted(maps.Keys(p.Heads))
			want = append(want, own)
			want = slices.DeleteFunc(want, func(k string) bool { return k == tt.drop })
			slices.Sort(want)
			b := *a
			b.Published = time.Unix(base+tt.at, 0)
			p.addHead(&b)
			if got := slices.Sorted(maps.Keys(p.Heads)); !slices.Equal(got, want) {
				t.Errorf("heads %q, want %q", got, want)
			}
		})
	}
}
