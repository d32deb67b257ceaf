package bot

import (
	"testing"
	"time"
)

func TestFormatSpan(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "less than a minute"},
		{59 * time.Second, "less than a minute"},
		{time.Minute, "1 minute"},
		{26*time.Hour + 3*time.Minute + 12*time.Second, "1 day 2 hours"},
		{3 * time.Hour, "3 hours"},
		{3*time.Hour + 5*time.Minute, "3 hours 5 minutes"},
		{24*time.Hour + 5*time.Minute, "1 day"},
		{90 * 24 * time.Hour, "90 days"},
	}
	for _, tt := range tests {
		if got := FormatSpan(tt.d); got != tt.want {
			t.Errorf("FormatSpan(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {999, "999 B"}, {1000, "1.0 kB"}, {106496, "106.5 kB"}, {2_200_000, "2.2 MB"}, {3_400_000_000, "3.4 GB"},
	}
	for _, tt := range tests {
		if got := FormatBytes(tt.n); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
