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

// dueSlot returns the latest slot of sched at or before now and after
// created, keyed as canonicalSlot does, and its deadline: when the
// schedule's next slot comes and this one is too late to post. ok is false
// when no slot has come since created. @every schedules count their slots
// from created's minute.
func dueSlot(sched cron.Schedule, loc *time.Location, now, created time.Time) (slot, deadline time.Time, ok bool) {
	if every, isEvery := sched.(cron.ConstantDelaySchedule); isEvery {
		anchor := created.Truncate(time.Minute)
		k := now.Sub(anchor) / every.Delay
		if k < 1 {
			return time.Time{}, time.Time{}, false
		}
		fired := anchor.Add(k * every.Delay)
		return canonicalSlot(fired, loc), fired.Add(every.Delay), true
	}
	// Look back over growing windows, so a dense schedule iterates over an
	// hour of slots and a yearly one still finds last year's.
	for _, back := range []time.Duration{time.Hour, 26 * time.Hour, 8 * 24 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour, 5 * 367 * 24 * time.Hour} {
		from := now.Add(-back)
		if !from.After(created) {
			from = created
		}
		t := sched.Next(from)
		if t.IsZero() || t.After(now) {
			if from.Equal(created) {
				return time.Time{}, time.Time{}, false
			}
			continue
		}
		for {
			n := sched.Next(t)
			if n.IsZero() || n.After(now) {
				return canonicalSlot(t, loc), slotDeadline(sched, loc, t), true
			}
			t = n
		}
	}
	return time.Time{}, time.Time{}, false
}

// slotDeadline is when the slot fired at becomes too late: the schedule's
// next firing that is a different slot (on a fall-back day a 01:30
// schedule fires twice for one slot), or a day later for a schedule that
// never fires again.
func slotDeadline(sched cron.Schedule, loc *time.Location, fired time.Time) time.Time {
	slot := canonicalSlot(fired, loc)
	t := fired
	for range 4 {
		t = sched.Next(t)
		if t.IsZero() {
			break
		}
		if !canonicalSlot(t, loc).Equal(slot) {
			return t
		}
	}
	return fired.Add(24 * time.Hour)
}
