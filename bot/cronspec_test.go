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

func TestLastSlotToday(t *testing.T) {
	day := func(h, m int) time.Time { return time.Date(2026, 5, 4, h, m, 0, 0, time.UTC) }
	tests := []struct {
		spec         string
		now, created time.Time
		want         time.Time // zero: none
	}{
		{"0 8 * * *", day(12, 0), day(0, 0).Add(-48 * time.Hour), day(8, 0)},
		{"0 8 * * *", day(7, 59), day(0, 0).Add(-48 * time.Hour), time.Time{}},
		{"0 8 * * *", day(8, 0), day(0, 0).Add(-48 * time.Hour), day(8, 0)},
		{"0 8 * * *", day(12, 0), day(9, 0), time.Time{}}, // subscribed after the slot
		{"0 8,20 * * *", day(23, 0), day(1, 0), day(20, 0)},
		{"*/15 * * * *", day(10, 7), day(1, 0), day(10, 0)},
		{"@every 1h", day(12, 0), day(1, 0), time.Time{}},
		{"0 8 * * 0", day(12, 0), day(1, 0).Add(-240 * time.Hour), time.Time{}}, // 4 May 2026 is a Monday
	}
	for _, tc := range tests {
		sched, loc, err := parseSchedule(tc.spec, "")
		if err != nil {
			t.Fatal(err)
		}
		got, ok := lastSlotToday(sched, loc, tc.now, tc.created)
		if ok != !tc.want.IsZero() || (ok && !got.Equal(tc.want)) {
			t.Errorf("%q at %s: got %s %v, want %s", tc.spec, tc.now.Format("15:04"), got, ok, tc.want)
		}
	}
}

func TestLastSlotTodayLocalDay(t *testing.T) {
	// At 01:00 in Kyiv (23:00 UTC the day before) the day is Kyiv's: its
	// 08:00 slot has not come yet, and yesterday's is not caught up.
	sched, loc, err := parseSchedule("0 8 * * *", "Europe/Kyiv")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 3, 22, 0, 0, 0, time.UTC)
	if got, ok := lastSlotToday(sched, loc, now, now.Add(-72*time.Hour)); ok {
		t.Errorf("caught up %s", got)
	}
}
