package data

import (
	"context"
	"path/filepath"
	"testing"
)

func TestSamplesLoadedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 {
		t.Fatalf("fresh store has %d articles, want the 2 samples", st.Articles)
	}
	if _, err := s.db.Exec(`DELETE FROM articles`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, _ := s.Stats(ctx); st.Articles != 0 {
		t.Fatalf("samples came back into a store emptied on purpose: %d articles", st.Articles)
	}
}
