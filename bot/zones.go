package bot

import (
	"strings"
)

// commonZones are offered by /schedule add's timezone autocomplete; any
// other IANA name is accepted when typed in full.
var commonZones = []string{
	"UTC",
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago",
	"America/Denver", "America/Halifax", "America/Los_Angeles", "America/Mexico_City",
	"America/New_York", "America/Phoenix", "America/Sao_Paulo", "America/St_Johns", "America/Toronto",
	"America/Vancouver",
	"Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem",
	"Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata", "Asia/Manila", "Asia/Seoul", "Asia/Shanghai",
	"Asia/Singapore", "Asia/Taipei", "Asia/Tehran", "Asia/Tokyo",
	"Atlantic/Reykjavik",
	"Australia/Adelaide", "Australia/Brisbane", "Australia/Melbourne", "Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Bucharest",
	"Europe/Dublin", "Europe/Helsinki", "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/London",
	"Europe/Madrid", "Europe/Moscow", "Europe/Oslo", "Europe/Paris", "Europe/Prague", "Europe/Rome",
	"Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Honolulu",
}

// suggestZones returns up to n zones containing prefix (case-insensitive),
// those starting with it (or with it after the region) first. A valid zone
// typed in full is offered even when it is not a common one.
func suggestZones(prefix string, n int) []string {
	p := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(prefix), " ", "_"))
	var first, rest []string
	for _, z := range commonZones {
		lz := strings.ToLower(z)
		city := lz[strings.LastIndexByte(lz, '/')+1:]
		switch {
		case strings.HasPrefix(lz, p) || strings.HasPrefix(city, p):
			first = append(first, z)
		case strings.Contains(lz, p):
			rest = append(rest, z)
		}
	}
	out := append(first, rest...)
	if len(out) == 0 && prefix != "" {
		if loc, err := LoadZone(prefix); err == nil {
			out = []string{loc.String()}
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}
