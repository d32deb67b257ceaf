package bot

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // zones must work on minimal hosts and in scratch images

	"github.com/robfig/cron/v3"
)

// specParser reads standard five-field cron specs and @descriptors. Seconds
// are not offered: a slot is a minute.
var specParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// minEvery is the shortest @every interval: posts are keyed by the minute.
const minEvery = time.Minute

// ValidateSchedule checks a cron spec as BRIEFBOT_SCHEDULE or /schedule
// accept it, read in time zone tz (empty: UTC) unless the spec starts with
// its own CRON_TZ=. The error says exactly what is wrong.
func ValidateSchedule(spec, tz string) error {
	_, _, err := parseSchedule(spec, tz)
	return err
}

// LoadZone loads an IANA time zone name; empty means UTC.
func LoadZone(tz string) (*time.Location, error) {
	tz = strings.TrimSpace(tz)
	if tz == "" || strings.EqualFold(tz, "UTC") {
		return time.UTC, nil
	}
	if strings.EqualFold(tz, "local") {
		return nil, fmt.Errorf("time zone %q: name a zone such as Europe/London; Local depends on the host", tz)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: use an IANA name such as Europe/Kyiv or America/New_York", tz)
	}
	return loc, nil
}

// parseSchedule parses spec in zone tz and returns the schedule and the zone
// its times are read in. cron's own parser panics on "CRON_TZ=UTC" with
// nothing after it, so the prefix is handled here and the rest is parsed
// under recover.
func parseSchedule(spec, tz string) (sched cron.Schedule, loc *time.Location, err error) {
	s := strings.TrimSpace(spec)
	if s == "" {
		return nil, nil, fmt.Errorf("schedule is empty: use a cron spec such as %q (minute hour day month weekday)", DefaultSchedule)
	}
	if strings.HasPrefix(s, "CRON_TZ=") || strings.HasPrefix(s, "TZ=") {
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			return nil, nil, fmt.Errorf("schedule %q: CRON_TZ= needs a cron spec after the zone, as in %q", spec, s+" "+DefaultSchedule)
		}
		tz = s[strings.IndexByte(s, '=')+1 : i]
		s = strings.TrimSpace(s[i:])
	}
	if loc, err = LoadZone(tz); err != nil {
		return nil, nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	defer func() {
		if r := recover(); r != nil {
			sched, loc, err = nil, nil, fmt.Errorf("schedule %q: not a cron spec (%v)", spec, r)
		}
	}()
	sched, err = specParser.Parse("CRON_TZ=" + loc.String() + " " + s)
	if err != nil {
		return nil, nil, fmt.Errorf("schedule %q: %w; want five fields (minute hour day month weekday) such as %q, or @daily, @hourly, @every 6h", spec, err, DefaultSchedule)
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok && every.Delay < minEvery {
		return nil, nil, fmt.Errorf("schedule %q: @every must be at least %s", spec, minEvery)
	}
	if sched.Next(time.Now()).IsZero() {
		return nil, nil, fmt.Errorf("schedule %q: never fires (no such date)", spec)
	}
	return sched, loc, nil
}

// canonicalSlot turns the time a job fired into the key of its slot: the
// local wall-clock minute, resolved in loc. On a fall-back day a 01:30 job
// fires at two instants with the same wall clock; both map to the same slot,
// so the second firing finds the slot taken.
func canonicalSlot(fired time.Time, loc *time.Location) time.Time {
	t := fired.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc)
}

// lastSlotToday returns the latest slot of sched that fell at or before now
// on now's local day in loc and after created, for catching up a post missed
// while the bot was down. @every schedules have no fixed slots and are not
// caught up.
func lastSlotToday(sched cron.Schedule, loc *time.Location, now, created time.Time) (time.Time, bool) {
	if _, ok := sched.(cron.ConstantDelaySchedule); ok {
		return time.Time{}, false
	}
	n := now.In(loc)
	midnight := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	var last time.Time
	t := sched.Next(midnight.Add(-time.Second))
	for i := 0; i < 24*60+60 && !t.IsZero() && !t.After(now); i++ {
		last = t
		t = sched.Next(t)
	}
	if last.IsZero() || !last.After(created) {
		return time.Time{}, false
	}
	return last, true
}
