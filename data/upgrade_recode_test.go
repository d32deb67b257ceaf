package data

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/briefbot/briefbot/briefing"
)

// TestRecode: analyses stored as compressed JSON by earlier versions are
// rewritten in the binary form by the upgrade, a batch at a time from
// where an interrupted run stopped, each reading back as it did before;
// a row that cannot be read is left alone, and the stories are not
// regrouped.
func TestRecode(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	arts, err := Samples()
	if err != nil {
		t.Fatal(err)
	}
	arts = append(arts, twoEvents()...)
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	// The store as an earlier version left it.
	before := storedAnalyses(t, s)
	if len(before) < 6 {
		t.Fatalf("%d analyses stored", len(before))
	}
	var seqs []int64
	for seq, data := range before {
		an, err := decodeAnalysis(data)
		if err != nil {
			t.Fatal(err)
		}
		zipped, err := zipJSON(an)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(`UPDATE analyses SET data = ? WHERE seq = ?`, zipped, seq); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	broken := seqs[len(seqs)-1]
	if _, err := s.db.Exec(`UPDATE analyses SET data = ? WHERE seq = ?`, []byte("not an analysis"), broken); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO meta (key, value) VALUES ('recode', '0')`); err != nil {
		t.Fatal(err)
	}
	storiesBefore := partition(t, s)

	// One batch of two, then the upgrade goes on from there.
	if n, last, err := s.recodeFrom(ctx, 0, 2); err != nil || n != 2 || last != seqs[1] {
		t.Fatalf("first batch: %d rows up to %d (%v), want 2 up to %d", n, last, err, seqs[1])
	}
	after := storedAnalyses(t, s)
	for i, seq := range seqs {
		if binary := after[seq][0] == analysisMagic; binary != (i < 2) {
			t.Errorf("after one batch, row %d (seq %d) binary: %v", i, seq, binary)
		}
	}
	var v string
	if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'recode'`).Scan(&v); err != nil || v != strconv.FormatInt(seqs[1], 10) {
		t.Fatalf("progress %q (%v), want %d", v, err, seqs[1])
	}
	// Resuming skips what is done: the rows before are rewritten no more.
	if _, err := s.db.Exec(`UPDATE analyses SET data = ? WHERE seq = ?`, mustZipAnalysis(t, before[seqs[0]]), seqs[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	after = storedAnalyses(t, s)
	for i, seq := range seqs {
		want := i != 0 && seq != broken
		if binary := after[seq][0] == analysisMagic; binary != want {
			t.Errorf("after the upgrade, row %d (seq %d) binary: %v, want %v", i, seq, binary, want)
		}
		if !want {
			continue
		}
		got, err := decodeAnalysis(after[seq])
		if err != nil {
			t.Fatal(err)
		}
		old, _ := decodeAnalysis(before[seq])
		if !reflect.DeepEqual(got, jsonRoundTrip(t, old)) {
			t.Errorf("seq %d reads back as %+v, want %+v", seq, got, old)
		}
	}
	if string(after[broken]) != "not an analysis" {
		t.Errorf("unreadable row rewritten: %q", after[broken])
	}
	var left int
	if err := s.db.QueryRow(`SELECT count(*) FROM meta WHERE key = 'recode'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("recode key left: %d (%v)", left, err)
	}
	if got := partition(t, s); !reflect.DeepEqual(got, storiesBefore) {
		t.Errorf("stories changed: %q, were %q", got, storiesBefore)
	}
	var version string
	if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'analysis_version'`).Scan(&version); err != nil || version != strconv.Itoa(briefing.AnalysisVersion) {
		t.Errorf("analysis_version %q (%v)", version, err)
	}
}

// storedAnalyses reads every stored analysis by seq.
func storedAnalyses(t *testing.T, s *Store) map[int64][]byte {
	t.Helper()
	rows, err := s.db.Query(`SELECT seq, data FROM analyses`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]byte{}
	for rows.Next() {
		var seq int64
		var data []byte
		if err := rows.Scan(&seq, &data); err != nil {
			t.Fatal(err)
		}
		out[seq] = data
	}
	return out
}

func mustZipAnalysis(t *testing.T, stored []byte) []byte {
	t.Helper()
	an, err := decodeAnalysis(stored)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zipJSON(an)
	if err != nil {
		t.Fatal(err)
	}
	return z
}
