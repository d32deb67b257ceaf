package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits of one fetch. A feed or page is a few hundred kilobytes; anything
// past these is a broken or hostile server, and the bot must not wait on it
// or hold it in memory.
const (
	DefaultMaxBytes       = 10 << 20
	DefaultFetchTimeout   = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	maxRedirects          = 5
)

// FetcherOptions configure NewFetcher. The zero value is usable.
type FetcherOptions struct {
	// Version goes into the User-Agent; empty means "dev".
	Version string
	// AllowPrivate lets untrusted fetches (Discord-added feeds, pages that
	// feed items link to) reach loopback, private and link-local addresses
	// too (BRIEFBOT_FEEDS_ALLOW_PRIVATE), for owners who run their feeds and
	// sites on the same network.
	AllowPrivate bool
	// Timeout bounds a whole fetch, body included; zero means
	// DefaultFetchTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds the TCP connect and the TLS handshake each;
	// zero means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxBytes is where a response body is cut off; zero means
	// DefaultMaxBytes.
	MaxBytes int64
}

// Fetcher gets feeds and article pages over HTTP within the limits above.
// Requests for URLs the owner gave (a feed in the env file, a URL on the
// command line) may go anywhere; every other request (feeds added through
// Discord, and the pages any feed's items link to) is refused at connect
// time when it would reach a non-public address. It is safe for concurrent use.
type Fetcher struct {
	userAgent string
	timeout   time.Duration
	maxBytes  int64
	trusted   *http.Client
	untrusted *http.Client
	guard     addrGuard // the untrusted client's; nil when private addresses are allowed
}

// NewFetcher builds a Fetcher.
func NewFetcher(opt FetcherOptions) *Fetcher {
	var guard addrGuard
	if !opt.AllowPrivate {
		guard = publicOnly
	}
	return newFetcher(opt, guard)
}

// newFetcher is NewFetcher with the untrusted client's address guard given;
// nil means no guard.
func newFetcher(opt FetcherOptions, guard addrGuard) *Fetcher {
	if opt.Version == "" {
		opt.Version = "dev"
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultFetchTimeout
	}
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = DefaultConnectTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	return &Fetcher{
		userAgent: "briefbot/" + opt.Version + " (+https://github.com/briefbot/briefbot)",
		timeout:   opt.Timeout,
		maxBytes:  opt.MaxBytes,
		trusted:   newHTTPClient(opt, nil, true),
		untrusted: newHTTPClient(opt, guard, false),
		guard:     guard,
	}
}

func newHTTPClient(opt FetcherOptions, guard addrGuard, useProxy bool) *http.Client {
	dialer := &net.Dialer{Timeout: opt.ConnectTimeout, KeepAlive: 30 * time.Second}
	if guard != nil {
		dialer.Control = dialControl(guard)
	}
	tr := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   opt.ConnectTimeout,
		ResponseHeaderTimeout: opt.Timeout,
		MaxIdleConns:          16,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       60 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	// A proxy would be the only address the guard sees, so untrusted
	// requests never go through one.
	if useProxy && guard == nil {
		tr.Proxy = http.ProxyFromEnvironment
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			if s := req.URL.Scheme; s != "http" && s != "https" {
				return fmt.Errorf("redirect to a %s URL refused: only http and https", s)
			}
			return nil
		},
	}
}

// CheckURL is CheckFeedURL for an untrusted source under this fetcher's
// rules: the answer a Discord user gets before anything is fetched.
func (f *Fetcher) CheckURL(raw string) (*url.URL, error) {
	u, err := CheckFeedURL(raw, true)
	if err != nil {
		return nil, err
	}
	if err := checkHost(u, f.guard); err != nil {
		return nil, fmt.Errorf("%s: %w", raw, err)
	}
	return u, nil
}

// Validators are what a server said identifies the version it sent, for a
// conditional request next time.
type Validators struct {
	ETag         string
	LastModified string
}

// Response is a fetched body, cut off at the fetcher's limit.
type Response struct {
	// URL is where the body came from, after redirects.
	URL         string
	Status      int
	ContentType string
	Body        []byte
	// Truncated is set when the body was longer than the limit and was cut
	// off there.
	Truncated bool
	// NotModified is set for a 304 answer to a conditional request; Body is
	// then empty.
	NotModified bool
	Validators  Validators
}

// StatusError is an HTTP answer that is neither success nor 304.
type StatusError struct {
	URL    string
	Code   int
	Status string
	// RetryAfter is how long the server asked us to wait (429, 503), or 0.
	RetryAfter time.Duration
}

// Error says what the server answered, in a sentence for /feeds list.
func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: server answered %s", e.URL, e.Status)
}

// Fetch GETs rawURL. trusted says whether the source is the owner's (env
// file, command line): only untrusted fetches are held to public addresses.
// cond makes the request conditional; an unchanged resource then comes back
// as NotModified.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, trusted bool, cond Validators) (*Response, error) {
	if _, err := CheckFeedURL(rawURL, true); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	client := f.untrusted
	if trusted {
		client = f.trusted
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, describeFetchErr(rawURL, err, f.timeout)
	}
	defer resp.Body.Close()
	out := &Response{
		URL:         resp.Request.URL.String(),
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &StatusError{URL: rawURL, Code: resp.StatusCode, Status: resp.Status,
			RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	// One byte past the limit tells a body of exactly the limit from a
	// longer one without reading the rest.
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, describeFetchErr(rawURL, err, f.timeout)
	}
	if int64(len(body)) > f.maxBytes {
		body = body[:f.maxBytes]
		out.Truncated = true
	}
	out.Body = body
	return out, nil
}

// describeFetchErr turns transport errors into sentences a server owner can
// act on.
func describeFetchErr(rawURL string, err error, timeout time.Duration) error {
	var ne net.Error
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return fmt.Errorf("GET %s: refused, it leads to a non-public address: %w", rawURL, unwrapBlocked(err))
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("GET %s: no complete answer within %s: %w", rawURL, timeout, err)
	}
	return fmt.Errorf("GET %s: %w", rawURL, err)
}

// unwrapBlocked digs the guard's own error out of the url.Error and
// net.OpError wrapping, so the message names the refused address once.
func unwrapBlocked(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && errors.Is(oe.Err, ErrBlockedAddress) {
		return oe.Err
	}
	return err
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
