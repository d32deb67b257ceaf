package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestErrorReply: every failure a member sees says what to try.
func TestErrorReply(t *testing.T) {
	tests := []struct {
		command string
		err     error
		want    string
	}{
		{cmdBrief, fmt.Errorf("search: %w", context.DeadlineExceeded), "Try a more specific topic"},
		{cmdStatus, context.DeadlineExceeded, "/status took too long. Try again in a minute."},
		{cmdBrief, errors.New("engine"), "Try again in a minute; if it keeps failing, ask a server admin"},
		{"", nil, "answering that"},
	}
	for _, tt := range tests {
		if got := errorReply(tt.command, tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("errorReply(%q, %v) = %q, want it to say %q", tt.command, tt.err, got, tt.want)
		}
	}
}
