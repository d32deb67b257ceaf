package briefing

import "testing"

func TestSegMarker(t *testing.T) {
	tests := []struct {
		in         string
		style, val int
		ok         bool
	}{
		{"1.", segMarkNumDot, 1, true},
		{"12.)", segMarkNumDotParen, 12, true},
		{"3)", segMarkNumParen, 3, true},
		{"(4)", segMarkNumParens, 4, true},
		{"•9.", segMarkNumDot, 9, true},
		{"b.", segMarkAlphaDot, 2, true},
		{"c)", segMarkAlphaParen, 3, true},
		{"(d)", segMarkAlphaParens, 4, true},
		{"123.", 0, 0, false},
		{"2020.", 0, 0, false},
		{"B.", 0, 0, false},
		{"(1", 0, 0, false},
		{"ab.", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		style, val, ok := segMarker(tt.in)
		if style != tt.style || val != tt.val || ok != tt.ok {
			t.Errorf("segMarker(%q) = %d, %d, %v; want %d, %d, %v", tt.in, style, val, ok, tt.style, tt.val, tt.ok)
		}
	}
}
