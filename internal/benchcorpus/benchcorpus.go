// Package benchcorpus generates, deterministically, news-like article sets of
// any size from the Reuters-21578 corpus for benchmarks, and caches the
// stores built from them under the system's temporary folder. The corpus is
// research-licensed and never part of the project: it is read by path, and
// callers skip their benchmarks when it is absent.
package benchcorpus

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Article is one generated report, in the shape of an article file.
type Article struct {
	Title, Body, Source, URL string
	Published                time.Time
}

// Path is where the Reuters corpus is looked for: $BRIEFBOT_REUTERS, else
// ../shared/corpus/reuters21578.jsonl above the repository root, found from
// the calling test's working directory.
func Path() string {
	if p := os.Getenv("BRIEFBOT_REUTERS"); p != "" {
		return p
	}
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "corpus", "reuters21578.jsonl")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, "..", "shared", "corpus", "reuters21578.jsonl")
		}
	}
}

// ErrNoCorpus says the Reuters corpus is not where Path looks.
var ErrNoCorpus = errors.New("no Reuters corpus")

type base struct {
	title     string
	paras     []string
	published time.Time
}

// load reads the corpus's articles that have a title and a body.
func load(path string) ([]base, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w at %s (set BRIEFBOT_REUTERS): %v", ErrNoCorpus, path, err)
	}
	defer f.Close()
	var out []base
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r struct {
			Title, Body, Published string
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// Reuters marks paragraphs with an indented line.
		var paras []string
		for _, p := range strings.Split(r.Body, "\n    ") {
			if p = strings.TrimSpace(p); p != "" {
				paras = append(paras, p)
			}
		}
		if r.Title == "" || len(paras) == 0 {
			continue
		}
		t, _ := time.Parse(time.RFC3339, r.Published)
		out = append(out, base{title: r.Title, paras: paras, published: t})
	}
	return out, sc.Err()
}

// Epoch is when the n-th generated set's first article is dated; article i
// is dated i·Step after it, so ingestion order is publication order.
var Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Step is the time between two generated articles' publication.
const Step = 90 * time.Second

// Outlets is how many outlet names the generated articles are spread over.
const Outlets = 40

// Generate calls each with articles 0..n-1 of the generated set. Article i
// is Reuters article b = i mod N (N articles in the corpus) with its
// paragraphs rotated by v = i / N places, the first paragraph of article
// b+v+1 appended (so variants are not copies of one another), and a unique
// stamp word in its title and body (so none is a duplicate of another). The
// set is the same on every run and machine.
func Generate(n int, each func(i int, a Article) error) error {
	return GenerateRange(0, n, each)
}

// GenerateRange calls each with articles from..to-1 of the generated set
// (the same articles Generate makes), for adding new articles to a store
// that holds the first from.
func GenerateRange(from, to int, each func(i int, a Article) error) error {
	bases, err := load(Path())
	if err != nil {
		return err
	}
	if len(bases) == 0 {
		return fmt.Errorf("%s: no articles", Path())
	}
	for i := from; i < to; i++ {
		b, v := i%len(bases), i/len(bases)
		src := bases[b]
		paras := make([]string, 0, len(src.paras)+1)
		for k := range src.paras {
			paras = append(paras, src.paras[(k+v)%len(src.paras)])
		}
		if v > 0 {
			other := bases[(b+v+1)%len(bases)]
			paras = append(paras, other.paras[0])
		}
		stamp := Stamp(i)
		paras[0] = paras[0] + " (" + stamp + ")"
		a := Article{
			Title:     src.title + " " + strings.ToUpper(stamp),
			Body:      strings.Join(paras, "\n\n"),
			Source:    fmt.Sprintf("Outlet %d", (i*7)%Outlets),
			URL:       fmt.Sprintf("https://bench.example/%d/%s", i%Outlets, stamp),
			Published: Epoch.Add(time.Duration(i) * Step),
		}
		if err := each(i, a); err != nil {
			return err
		}
	}
	return nil
}

// Batches calls each with the generated articles 0..n-1 in batches of size
// (the last may be shorter), as the store is given them at ingest.
func Batches(n, size int, each func([]Article) error) error {
	batch := make([]Article, 0, size)
	err := Generate(n, func(_ int, a Article) error {
		batch = append(batch, a)
		if len(batch) < size {
			return nil
		}
		err := each(batch)
		batch = batch[:0]
		return err
	})
	if err == nil && len(batch) > 0 {
		err = each(batch)
	}
	return err
}

// Stamp is the unique word of article i: letters only ("bq" and i in base
// 26), so every tokenizer keeps it one word and no stemmer changes it.
func Stamp(i int) string {
	var b []byte
	for {
		b = append(b, byte('a'+i%26))
		i /= 26
		if i == 0 {
			break
		}
	}
	return "bq" + string(b) + "x"
}

// Cached returns the path of a store of n generated articles built by build,
// building it the first time: stores are kept in the system's temporary
// folder, named by n and key (callers put their schema version in key, so a
// changed schema builds a new one). A half-built store is never reused.
func Cached(n int, key string, build func(path string) error) (string, error) {
	if _, err := os.Stat(Path()); err != nil {
		return "", fmt.Errorf("%w at %s (set BRIEFBOT_REUTERS)", ErrNoCorpus, Path())
	}
	dir := filepath.Join(os.TempDir(), "briefbot-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("%dk-%s.db", n/1000, key))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if err := build(tmp); err != nil {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(tmp + suffix); err == nil {
			return "", fmt.Errorf("build %s: store left open (%s exists)", tmp, tmp+suffix)
		}
	}
	return path, os.Rename(tmp, path)
}

// Find returns the newest cached store of n generated articles, built by
// any package's benchmarks, or "" when there is none. Stores cached under a
// key with more than the schema in it (a test's variant, such as one with a
// planted report) are not plain generated stores and are left out.
func Find(n int) string {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "briefbot-bench", fmt.Sprintf("%dk-*.db", n/1000)))
	best, bestTime := "", time.Time{}
	for _, m := range matches {
		if !plainStore.MatchString(filepath.Base(m)) {
			continue
		}
		if fi, err := os.Stat(m); err == nil && fi.ModTime().After(bestTime) {
			best, bestTime = m, fi.ModTime()
		}
	}
	return best
}

// plainStore is the name of a cached generated store: size and schema key
// (see data's benchStoreKey), with the stored analyses' form (-c1: binary)
// or without it (compressed JSON), and the fingerprint of the stories the
// code that built it makes (-g, hex) or without it (older stores).
var plainStore = regexp.MustCompile(`^[0-9]+k-s[0-9]+-t[0-9]+(-c[0-9]+)?(-g[0-9a-f]+)?\.db$`)

// Copy copies a cached store to dst, streaming (the 300k store is over a
// gigabyte), so a benchmark or test can open and change its copy.
func Copy(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
