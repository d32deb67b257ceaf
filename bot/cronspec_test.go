package bot

import (
	"strings"
	"testing"
	"time"
)

func TestValidateSchedule(t *testing.T) {
	tests := []struct {
		spec, tz string
		wantErr  string // "" means valid
	}{
		{"0 8 * * *", "", ""},
		{"0 8 * * *", "Europe/Kyiv", ""},
		{"CRON_TZ=Europe/Kyiv 0 8 * * *", "", ""},
		{"TZ=America/New_York 30 6 * * 1-5", "", ""},
		{"@daily", "", ""},
		{"@every 6h", "", ""},
		{"  0 8 * * *  ", "", ""},
		{"CRON_TZ=UTC", "", "needs a cron spec after the zone"},
		{"CRON_TZ=", "", "needs a cron spec after the zone"},
		{"TZ=UTC", "", "needs a cron spec after the zone"},
		{"CRON_TZ=Nowhere/City 0 8 * * *", "", "unknown time zone \"Nowhere/City\""},
		{"0 8 * * *", "Mars/Olympus", "unknown time zone \"Mars/Olympus\""},
		{"0 8 * * *", "Local", "depends on the host"},
		{"", "", "schedule is empty"},
		{"0 8 * *", "", "five fields"},
		{"0 0 8 * * *", "", "five fields"},
		{"61 8 * * *", "", "five fields"},
		{"@every 30s", "", "at least 1m0s"},
		{"@every 1m", "", ""},
		{"@sometimes", "", "five fields"},
		{"0 8 30 2 *", "", "never fires"},
		{"CRON_TZ=Europe/Kyiv   @hourly", "", ""},
	}
	for _, tc := range tests {
		err := ValidateSchedule(tc.spec, tc.tz)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("ValidateSchedule(%q, %q) = %v", tc.spec, tc.tz, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("ValidateSchedule(%q, %q) = %v, want %q", tc.spec, tc.tz, err, tc.wantErr)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestScheduleNext(t *testing.T) {
	kyiv := mustZone(t, "Europe/Kyiv")
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		spec, tz string
		from     time.Time
		want     time.Time
	}{
		// The default: daily at 08:00 in the configured zone, across Kyiv's
		// spring-forward night.
		{"0 8 * * *", "Europe/Kyiv", time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 8, 0, 0, 0, kyiv)},
		{"CRON_TZ=Europe/Kyiv 0 8 * * *", "America/New_York", time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 8, 0, 0, 0, kyiv)},
		{"0 8 * * *", "", time.Date(2026, 3, 28, 7, 59, 0, 0, time.UTC), time.Date(2026, 3, 28, 8, 0, 0, 0, time.UTC)},
		// 02:30 does not exist on New York's spring-forward day: cron skips
		// to the next day.
		{"30 2 * * *", "America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, ny), time.Date(2026, 3, 9, 2, 30, 0, 0, ny)},
		{"@daily", "Europe/Kyiv", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 6, 2, 0, 0, 0, 0, kyiv)},
		{"0 9 * * 1-5", "", time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}, // Saturday -> Monday
	}
	for _, tc := range tests {
		sched, _, err := parseSchedule(tc.spec, tc.tz)
		if err != nil {
			t.Fatalf("%q: %v", tc.spec, err)
		}
		if got := sched.Next(tc.from); !got.Equal(tc.want) {
			t.Errorf("%q in %q: Next(%s) = %s, want %s", tc.spec, tc.tz, tc.from, got, tc.want)
		}
	}
}

func TestCanonicalSlotFallBack(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	sched, loc, err := parseSchedule("30 1 * * *", "America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// cron fires the 01:30 job twice on the fall-back day...
	first := sched.Next(time.Date(2026, 11, 1, 0, 0, 0, 0, ny))
	second := sched.Next(first)
	if second.Sub(first) != time.Hour {
		t.Skipf("cron no longer fires twice on fall-back (%s, %s)", first, second)
	}
	// ...but both firings are the same slot.
	a, b := canonicalSlot(first, loc), canonicalSlot(second, loc)
	if !a.Equal(b) {
		t.Errorf("slots differ: %s vs %s", a, b)
	}
	if next := canonicalSlot(sched.Next(second), loc); next.Equal(a) {
		t.Error("the next day maps to the same slot")
	}
	// Seconds and sub-minute jitter do not change the slot.
	if s := canonicalSlot(first.Add(1500*time.Millisecond), loc); !s.Equal(a) {
		t.Errorf("jitter moved the slot: %s vs %s", s, a)
	}
}

func TestDueSlot(t *testing.T) {
	day := func(h, m int) time.Time { return time.Date(2026, 5, 4, h, m, 0, 0, time.UTC) }
	long := day(0, 0).Add(-48 * time.Hour)
	tests := []struct {
		spec, tz             string
		now, created         time.Time
		wantSlot, wantDeadln time.Time // zero slot: none due
	}{
		{"0 8 * * *", "", day(12, 0), long, day(8, 0), day(8, 0).Add(24 * time.Hour)},
		{"0 8 * * *", "", day(7, 59), long, day(8, 0).Add(-24 * time.Hour), day(8, 0)}, // yesterday's, until today's
		{"0 8 * * *", "", day(8, 0), long, day(8, 0), day(8, 0).Add(24 * time.Hour)},
		{"0 8 * * *", "", day(12, 0), day(9, 0), time.Time{}, time.Time{}}, // subscribed after the slot
		{"0 8 * * *", "", day(12, 0), day(7, 0), day(8, 0), day(8, 0).Add(24 * time.Hour)},
		{"0 8,20 * * *", "", day(23, 0), day(1, 0), day(20, 0), day(8, 0).Add(24 * time.Hour)},
		{"*/15 * * * *", "", day(10, 7), day(1, 0), day(10, 0), day(10, 15)},
		{"@every 1h", "", day(12, 30), day(1, 10), day(12, 10), day(13, 10)},
		{"@every 1h", "", day(1, 30), day(1, 10), time.Time{}, time.Time{}},
		{"0 8 * * 0", "", day(12, 0), day(1, 0).Add(-240 * time.Hour), day(8, 0).Add(-24 * time.Hour), day(8, 0).Add(6 * 24 * time.Hour)}, // 4 May 2026 is a Monday
		{"0 0 1 1 *", "", day(12, 0), long.AddDate(-2, 0, 0), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		// Kyiv's 08:00 is 05:00 UTC in May.
		{"0 8 * * *", "Europe/Kyiv", day(4, 0), long, day(5, 0).Add(-24 * time.Hour), day(5, 0)},
	}
	for _, tc := range tests {
		sched, loc, err := parseSchedule(tc.spec, tc.tz)
		if err != nil {
			t.Fatal(err)
		}
		slot, deadline, ok := dueSlot(sched, loc, tc.now, tc.created)
		if ok != !tc.wantSlot.IsZero() || (ok && (!slot.Equal(tc.wantSlot) || !deadline.Equal(tc.wantDeadln))) {
			t.Errorf("%q at %s: got %s until %s (%v), want %s until %s", tc.spec, tc.now.Format("15:04"), slot, deadline, ok, tc.wantSlot, tc.wantDeadln)
		}
	}
}

// TestDueSlotFallBack: on the fall-back day a 01:30 schedule fires twice
// for one slot; both firings are that one slot, and its deadline is the next
// day's, not the second firing.
func TestDueSlotFallBack(t *testing.T) {
	sched, loc, err := parseSchedule("30 1 * * *", "America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)  // 01:30 EDT
	second := time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC) // 01:30 EST
	created := first.Add(-72 * time.Hour)
	s1, d1, ok1 := dueSlot(sched, loc, first.Add(time.Minute), created)
	s2, d2, ok2 := dueSlot(sched, loc, second.Add(time.Minute), created)
	if !ok1 || !ok2 || !s1.Equal(s2) {
		t.Fatalf("two slots on the fall-back day: %s %s", s1, s2)
	}
	want := time.Date(2026, 11, 2, 6, 30, 0, 0, time.UTC)
	if !d1.Equal(want) || !d2.Equal(want) {
		t.Errorf("deadlines %s %s, want %s", d1, d2, want)
	}
}
