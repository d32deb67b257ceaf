package data

import (
	"context"
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	s := openWithSamples(t)
	ctx := context.Background()
	got, err := s.Suggest(ctx, AllArticles(), "wit", 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || !strings.Contains(strings.ToLower(got[0]), "witkoff") {
		t.Fatalf("Suggest(wit) = %q", got)
	}
	got, err = s.Suggest(ctx, AllArticles(), "", 25)
	if err != nil || len(got) == 0 {
		t.Fatalf("Suggest('') = %q, %v", got, err)
	}
	for _, q := range []string{`"`, "%", "_", "🕊️", strings.Repeat("x", 500)} {
		if _, err := s.Suggest(ctx, AllArticles(), q, 25); err != nil {
			t.Errorf("Suggest(%.20q): %v", q, err)
		}
	}
}
