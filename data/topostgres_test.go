package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// tableRows reads a whole table, rows in a stable order, values as the
// engines' drivers give them normalized to int64, float64, string or nil.
func tableRows(t *testing.T, db *DB, table string) [][]any {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals, err := scanValues(rows, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			switch x := v.(type) {
			case []byte:
				vals[i] = string(x)
			case int32:
				vals[i] = int64(x)
			}
		}
		out = append(out, vals)
	}
	keys := make([]string, len(out))
	for i, r := range out {
		keys[i] = fmt.Sprint(r...)
	}
	sortTogether(keys, out)
	return out
}

func sortTogether(keys []string, rows [][]any) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// populate gives a store something in every table a server uses.
func populate(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	var arts []Article
	for i := 0; i < 1234; i++ {
		arts = append(arts, Article{Title: fmt.Sprintf("Harbour report %d: ferries resume", i), Source: []string{"Wire", "Post", "Café Times"}[i%3],
			URL: fmt.Sprintf("https://example.com/%d", i), Published: time.Date(2026, 11, 1, 0, i, 0, 0, time.UTC),
			Body: fmt.Sprintf("Report %d. The harbour reopened after the storm, the port authority said; the cease-fire held. Crème brûlée was served.", i)})
	}
	if _, err := s.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	sub, err := s.AddSubscription(ctx, Subscription{GuildID: "111", ChannelID: "222", Topic: "harbour", Spec: "0 8 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	slot := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	if _, ok, err := s.ClaimPost(ctx, Claim{SubscriptionID: sub.ID, Slot: slot, Deadline: slot.Add(24 * time.Hour),
		Owner: "p1", Now: slot, Lease: time.Minute}); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if err := s.FinishPost(ctx, Post{SubscriptionID: sub.ID, Slot: slot, Status: PostSent, MessageID: "333", Said: []string{"The harbour reopened."}}, "p1", slot); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.ReplaceEnvFeeds(ctx, []string{"https://example.com/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.markSeen(ctx, feeds[0].ID, []string{"guid-1", "https://example.com/1"}, 1, slot); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.FollowStoredFeed(ctx, feeds[0].ID, "111", "444", slot); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, GuildSettings{GuildID: "111", TZ: "Europe/Kyiv", NothingNew: true}); err != nil {
		t.Fatal(err)
	}
}

func TestCopyToPostgres(t *testing.T) {
	pg := postgresOnly(t)
	ctx := context.Background()
	src, err := Open(filepath.Join(t.TempDir(), "src.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	populate(t, src)
	dst, err := Open(pg)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	var reported []string
	copied, err := CopyToPostgres(ctx, src, dst, func(table string, n int) { reported = append(reported, table) })
	if err != nil {
		t.Fatal(err)
	}
	if copied["articles"] != 1234 || len(reported) == 0 {
		t.Errorf("copied %v, progress %d reports", copied, len(reported))
	}
	// Every table holds the same rows on both sides.
	tables, err := sqliteTablesInOrder(ctx, src.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		want, got := tableRows(t, src.db, table), tableRows(t, dst.db, table)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("table %s: %d rows copied differ from the %d in SQLite", table, len(got), len(want))
		}
	}
	// The copy searches like the original, and new rows get new keys.
	for _, q := range []string{"harbour", "ceasefire", "creme brulee", "ferries resume"} {
		a, err1 := src.Search(ctx, q, SearchOptions{Limit: 5, Now: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Scope: AllArticles()})
		b, err2 := dst.Search(ctx, q, SearchOptions{Limit: 5, Now: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Scope: AllArticles()})
		if err1 != nil || err2 != nil || len(a) == 0 || len(b) != len(a) {
			t.Errorf("search %q: SQLite %d hits (%v), PostgreSQL %d (%v)", q, len(a), err1, len(b), err2)
		}
	}
	sub, err := dst.AddSubscription(ctx, Subscription{GuildID: "111", ChannelID: "222", Spec: "0 9 * * *"})
	if err != nil || sub.ID <= 1 {
		t.Errorf("a new subscription after the copy: %+v, %v; want a new key", sub, err)
	}
	if res, err := dst.Add(ctx, []Article{{Title: "New", Body: "A new article after the copy."}}); err != nil || res.Added != 1 {
		t.Errorf("a new article after the copy: %+v, %v", res, err)
	}
	// A second copy into the now non-empty target is refused.
	if _, err := CopyToPostgres(ctx, src, dst, nil); !errors.Is(err, ErrTargetNotEmpty) {
		t.Errorf("copy into a non-empty target: %v", err)
	}
}

func TestCopyToPostgresRefusesWrongEngines(t *testing.T) {
	s := openTest(t)
	if _, err := CopyToPostgres(context.Background(), s, s, nil); err == nil || !strings.Contains(err.Error(), "SQLite to PostgreSQL") {
		t.Errorf("copy %s to %s: %v", s.Engine(), s.Engine(), err)
	}
}
