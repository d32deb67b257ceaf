package briefing

import "testing"

func TestCleanOutletName(t *testing.T) {
	tests := []struct {
		name                string
		a                   Article
		republisher, origin string
		want                string
	}{
		{"own outlet", Article{Source: "Reuters"}, "", "", "Reuters"},
		{"republished, outlet known", Article{Source: "EMEA Tribune"}, "EMEA Tribune", "USA TODAY", "USA TODAY via EMEA Tribune"},
		{"origin is the outlet", Article{Source: "USA TODAY"}, "", "USA TODAY", "USA TODAY"},
		{"no outlet, both disclaimers", Article{}, "EMEA Tribune", "USA TODAY", "USA TODAY via EMEA Tribune"},
		{"no outlet, republisher only", Article{}, "EMEA Tribune", "", "EMEA Tribune"},
		{"host", Article{URL: "https://www.example.com/a"}, "", "", "example.com"},
		{"title", Article{Title: "A headline"}, "", "", "A headline"},
		{"nothing", Article{}, "", "", "unknown source"},
	}
	for _, tt := range tests {
		if got := cleanOutletName(tt.a, tt.republisher, tt.origin); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
