package bot

import (
	"fmt"
	"strings"
	"time"
)

// FormatBytes writes a size for people: "812 B", "3.4 MB", "1.2 GB" (SI
// units, as disk tools and Discord show file sizes).
func FormatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTP"[exp])
}

// FormatSpan writes a duration in words, to the two largest units:
// "3 days 4 hours", "26 minutes", "less than a minute".
func FormatSpan(d time.Duration) string {
	if d < time.Minute {
		return "less than a minute"
	}
	units := []struct {
		d         time.Duration
		one, many string
	}{
		{24 * time.Hour, "day", "days"},
		{time.Hour, "hour", "hours"},
		{time.Minute, "minute", "minutes"},
	}
	var parts []string
	for _, u := range units {
		if n := int(d / u.d); n > 0 || len(parts) > 0 {
			if n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, plural(n, u.one, u.many)))
			}
			d -= time.Duration(n) * u.d
			if len(parts) == 2 || (len(parts) == 1 && n == 0) {
				break
			}
		}
	}
	return strings.Join(parts, " ")
}
