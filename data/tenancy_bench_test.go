package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

var (
	benchTenantsOnce sync.Once
	benchTenantsPath string
	benchTenantsErr  error
)

// storeTenants returns a store of 20,000 synthetic articles (or
// BRIEFBOT_BENCH_ARTICLES): one in ten is server g1's own, one in ten g2's,
// the rest shared. It is built once and kept in the temporary folder beside
// the other benchmark stores, named by size and schema, so later runs reuse
// it.
func storeTenants(b *testing.B) *Store {
	benchTenantsOnce.Do(func() {
		n, _ := strconv.Atoi(envOr("BRIEFBOT_BENCH_ARTICLES", "20000"))
		dir := filepath.Join(os.TempDir(), "briefbot-bench")
		if benchTenantsErr = os.MkdirAll(dir, 0o755); benchTenantsErr != nil {
			return
		}
		benchTenantsPath = filepath.Join(dir, fmt.Sprintf("tenants-%d-%s.db", n, benchStoreKey()))
		if _, err := os.Stat(benchTenantsPath); err == nil {
			return
		}
		tmp := benchTenantsPath + ".building"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
		if benchTenantsErr = buildTenants(tmp, n); benchTenantsErr == nil {
			benchTenantsErr = os.Rename(tmp, benchTenantsPath)
		}
	})
	if benchTenantsErr != nil {
		b.Fatal(benchTenantsErr)
	}
	s, err := Open(benchTenantsPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// buildTenants stores n synthetic articles at path, a tenth for each of two
// servers.
func buildTenants(path string, n int) error {
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := context.Background()
	for i := 0; i < n; i += ingestBatch {
		var shared, g1, g2 []Article
		for j := i; j < i+ingestBatch; j++ {
			switch j % 10 {
			case 3:
				g1 = append(g1, benchArticle(j))
			case 7:
				g2 = append(g2, benchArticle(j))
			default:
				shared = append(shared, benchArticle(j))
			}
		}
		for _, part := range []struct {
			arts []Article
			vis  visibility
		}{{shared, sharedVisibility}, {g1, visibility{guilds: []string{"g1"}}}, {g2, visibility{guilds: []string{"g2"}}}} {
			if _, _, err := s.add(ctx, part.arts, false, part.vis); err != nil {
				return err
			}
		}
	}
	return nil
}

// BenchmarkScopedReads measures every read a server makes through its scope
// over 20,000 articles (10% its own, 10% another server's): "all" (the
// owner's view, no visibility test) is the floor the "guild" and "shared"
// views are compared with.
func BenchmarkScopedReads(b *testing.B) {
	s := storeTenants(b)
	ctx := context.Background()
	scopes := []struct {
		name string
		sc   Scope
	}{{"all", AllArticles()}, {"shared", SharedOnly()}, {"guild", GuildScope("g1")}}
	reads := []struct {
		name string
		read func(sc Scope, i int) error
	}{
		{"search", func(sc Scope, i int) error {
			_, err := s.Search(ctx, benchQueries[i%len(benchQueries)], SearchOptions{Limit: 30, Scope: sc})
			return err
		}},
		{"recent", func(sc Scope, _ int) error {
			_, err := s.Recent(ctx, SearchOptions{Limit: 30, Scope: sc})
			return err
		}},
		{"stats", func(sc Scope, _ int) error {
			_, err := s.Stats(ctx, sc)
			return err
		}},
		{"suggest", func(sc Scope, i int) error {
			_, err := s.Suggest(ctx, sc, benchVocab[i%60][:3], 25)
			return err
		}},
	}
	for _, r := range reads {
		for _, sc := range scopes {
			b.Run(r.name+"/"+sc.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if err := r.read(sc.sc, i); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
