package data

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// feedServer serves the fixtures in testdata/feeds on 127.0.0.1, with
// {{BASE}} replaced by its own URL, counts requests per path, and lets a
// test serve other content under a path (a feed that changes, breaks or
// answers 304).
type feedServer struct {
	*httptest.Server
	t      testing.TB
	mu     sync.Mutex
	hits   map[string]int
	routes map[string]http.HandlerFunc
	// headers are the request headers of the last request per path.
	headers map[string]http.Header
}

func newFeedServer(t testing.TB) *feedServer {
	t.Helper()
	fs := &feedServer{t: t, hits: map[string]int{}, routes: map[string]http.HandlerFunc{}, headers: map[string]http.Header{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.hits[r.URL.Path]++
	fs.headers[r.URL.Path] = r.Header.Clone()
	h := fs.routes[r.URL.Path]
	fs.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	fs.serveFixture(w, r, strings.TrimPrefix(r.URL.Path, "/"))
}

// serveFixture writes testdata/feeds/name with {{BASE}} filled in.
func (fs *feedServer) serveFixture(w http.ResponseWriter, _ *http.Request, name string) {
	raw, err := os.ReadFile(filepath.Join("testdata", "feeds", filepath.FromSlash(path.Clean("/"+name))))
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	switch path.Ext(name) {
	case ".xml":
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	case ".json":
		w.Header().Set("Content-Type", "application/feed+json")
	case ".html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Write([]byte(fs.fill(string(raw))))
}

func (fs *feedServer) fill(s string) string { return strings.ReplaceAll(s, "{{BASE}}", fs.URL) }

// route serves h under p instead of a fixture.
func (fs *feedServer) route(p string, h http.HandlerFunc) {
	fs.mu.Lock()
	fs.routes[p] = h
	fs.mu.Unlock()
}

// alias serves the fixture name under p; changing it later is how a test
// makes a feed change between polls.
func (fs *feedServer) alias(p, name string) {
	fs.route(p, func(w http.ResponseWriter, r *http.Request) { fs.serveFixture(w, r, name) })
}

func (fs *feedServer) hitCount(p string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits[p]
}

// pageHits counts requests for article pages.
func (fs *feedServer) pageHits() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for p, c := range fs.hits {
		if strings.HasPrefix(p, "/articles/") || strings.HasPrefix(p, "/news/") || strings.HasPrefix(p, "/2026/") {
			n += c
		}
	}
	return n
}

func (fs *feedServer) lastHeader(p string) http.Header {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.headers[p]
}

// allowOnly is a guard for tests: the one test server address passes,
// every other non-public address is refused as in production.
func allowOnly(ok string) addrGuard {
	okAddr := netip.MustParseAddr(ok)
	return func(addr netip.Addr) error {
		if addr.Unmap() == okAddr {
			return nil
		}
		return publicOnly(addr)
	}
}

// testFetcher is a fetcher whose untrusted client lets exactly 127.0.0.1
// through, with short limits so hostile-server tests end quickly.
func testFetcher(opt FetcherOptions) *Fetcher {
	if opt.Timeout == 0 {
		opt.Timeout = 5 * time.Second
	}
	opt.Version = "test"
	return newFetcher(opt, allowOnly("127.0.0.1"))
}
