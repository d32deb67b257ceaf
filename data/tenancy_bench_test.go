package data

import (
	"context"
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
// BRIEFBOT_BENCH_ARTICLES), built once per benchmark process: one in ten is
// server g1's own, one in ten g2's, the rest shared.
func storeTenants(b *testing.B) *Store {
	benchTenantsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "briefbot-bench")
		if err != nil {
			benchTenantsErr = err
			return
		}
		benchTenantsPath = filepath.Join(dir, "tenants.db")
		s, err := Open(benchTenantsPath)
		if err != nil {
			benchTenantsErr = err
			return
		}
		defer s.Close()
		ctx := context.Background()
		n, _ := strconv.Atoi(envOr("BRIEFBOT_BENCH_ARTICLES", "20000"))
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
					benchTenantsErr = err
					return
				}
			}
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
