package data

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// trackingParams are query parameters that identify a click, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true,
	"mc_eid": true, "igshid": true, "yclid": true, "_ga": true, "ref": true,
	"ref_src": true, "cmpid": true, "ocid": true, "smid": true, "amp": true,
	"outputtype": true, "taid": true, "ito": true, "sr_share": true,
	// Added by Google's AMP viewer and cache.
	"amp_js_v": true, "amp_gsa": true, "amp_tf": true, "usqp": true, "aoh": true, "ampshare": true,
}

// CanonicalURL reduces a URL to the form that names the page, so the same
// article reached through a newsletter link, a share button or an AMP page
// is recognized as one: lower-case scheme and host, no "www." or "amp."
// prefix, no fragment, no tracking parameters (utm_* and friends), no
// trailing "/amp" or slash, remaining parameters sorted. It returns "" for
// anything that is not an absolute http(s) URL.
func CanonicalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if inner := unwrapAMPCache(host, u); inner != "" {
		return CanonicalURL(inner)
	}
	host = strings.TrimPrefix(host, "www.")
	host = strings.TrimPrefix(host, "amp.")
	host = strings.TrimPrefix(host, "m.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := u.EscapedPath()
	for _, suffix := range []string{"/amp", "/amp/", ".amp", "/"} {
		path = strings.TrimSuffix(path, suffix)
	}
	path = strings.TrimPrefix(path, "/amp/")
	if strings.HasSuffix(path, ".amp.html") {
		path = strings.TrimSuffix(path, ".amp.html") + ".html"
	}
	if path != "" && !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if isTrackingParam(k) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			qs = append(qs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	// Both schemes name the same page; https is the one worth linking.
	out := "https://" + host + path
	if len(qs) > 0 {
		out += "?" + strings.Join(qs, "&")
	}
	return out
}

// isTrackingParam reports whether a query parameter identifies a click
// rather than the page: utm_* and the names in trackingParams.
func isTrackingParam(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "utm_") || trackingParams[n]
}

// CleanLink removes tracking parameters (the ones CanonicalURL drops) from a
// link shown to people, and changes nothing else: scheme, host, path, the
// other parameters in their order and the fragment stay as the outlet wrote
// them, so the link still opens the same page. Anything that is not an
// absolute http(s) URL is returned trimmed, unchanged.
func CleanLink(raw string) string {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "?") {
		return raw // no query, nothing to take out (and no parse per link read)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery == "" {
		return raw
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return raw
	}
	var kept []string
	for _, part := range strings.Split(u.RawQuery, "&") {
		name, _, _ := strings.Cut(part, "=")
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if part == "" || isTrackingParam(name) {
			continue
		}
		kept = append(kept, part)
	}
	u.RawQuery = strings.Join(kept, "&")
	u.ForceQuery = false
	return u.String()
}

// unwrapAMPCache returns the publisher's URL inside a Google AMP cache URL
// (https://www-example-com.cdn.ampproject.org/c/s/www.example.com/story),
// which is how AMP pages are often shared; "" for any other URL.
func unwrapAMPCache(host string, u *url.URL) string {
	if !strings.HasSuffix(host, ".cdn.ampproject.org") {
		return ""
	}
	p := u.EscapedPath()
	for _, kind := range []string{"/c/", "/v/"} {
		if !strings.HasPrefix(p, kind) {
			continue
		}
		rest, scheme := strings.TrimPrefix(p, kind), "http://"
		if strings.HasPrefix(rest, "s/") {
			rest, scheme = strings.TrimPrefix(rest, "s/"), "https://"
		}
		inner, err := url.Parse(scheme + rest)
		if err != nil || inner.Host == "" || strings.HasSuffix(strings.ToLower(inner.Hostname()), ".cdn.ampproject.org") {
			return ""
		}
		inner.RawQuery = u.RawQuery
		return inner.String()
	}
	return ""
}

// textKey fingerprints an article's text: the same words in the same order,
// whatever the case, punctuation or white space, give the same key. It is how
// a re-published copy without a URL is recognized.
func textKey(body string) string {
	k, _ := textKeyBuf(body, nil)
	return k
}

// textKeyBuf is textKey writing the words it hashes in buf's room, which
// it returns for the next call: ingest keys every article.
func textKeyBuf(body string, buf []byte) (string, []byte) {
	buf = slices.Grow(buf[:0], len(body))
	space := false
	for _, r := range body {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		default:
			space = len(buf) > 0
			continue
		}
		if space {
			buf = append(buf, ' ')
			space = false
		}
		buf = utf8.AppendRune(buf, r)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16]), buf
}

// articleID derives the stable ID: from the canonical URL when there is one,
// so an edited article keeps its ID, else from the text key.
func articleID(canonical, textKey string) string {
	if canonical != "" {
		sum := sha256.Sum256([]byte(canonical))
		return hex.EncodeToString(sum[:8])
	}
	return textKey[:16]
}
