package briefing

import (
	"reflect"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"The cease-fire held.", []string{"ceasefir", "held"}},
		{"Ceasefire talks", []string{"ceasefir", "talk"}},
		{"U.S. envoy's trip", []string{"us", "envoy", "trip"}},
		{"He said it rose 3.5% to $1,000.", []string{"rose", "35", "1000"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := terms(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
