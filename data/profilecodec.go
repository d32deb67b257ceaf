package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// A story's profile as stored. A batch rewrites the profile of every story
// it adds to, each up to 600 terms with their weights; as compressed JSON
// that was a tenth of ingest's CPU (DEFLATE's set-up alone costs more than
// the rest), so profiles are written in a binary form of about the same
// size: the terms in order, each sharing a prefix with the one before
// (front coding, Witten, Moffat & Bell, "Managing Gigabytes", 1999, §4.1),
// and each weight's 8 bytes, exact. Profiles written by earlier versions, as
// compressed JSON, are still read.
//
// Version 3 writes, after the times, the profile's standing heads (see
// briefing.Profile.Heads: each key with its first and last times) and its
// names (a byte saying whether it has them, then front-coded as the terms
// are). Versions 1 (neither) and 2 (one column string, which the heads
// replace) are still read, as profiles without heads and names.

// profileMagic starts a binary profile. DEFLATE data never starts with it:
// its block type bits (11) are reserved (RFC 1951 §3.2.3).
const profileMagic, profileVersion = 0xff, 3

// encodeProfile writes p in the binary form.
func encodeProfile(p *briefing.Profile) []byte {
	terms := p.SortedTerms()
	var names []string
	var wts []float64
	if p.Names != nil {
		// The names in order with their weights, as the profile keeps
		// them, rather than sorted and each looked up again.
		names, wts = p.SortedNames()
	}
	// Room for all of it at once: an entry takes its weight's 8 bytes,
	// at most its key's bytes and, while keys are shorter than 128 bytes,
	// a byte for each of its two lengths; a head at most its key's bytes
	// and 22 for its length and times. Grown by append from a guess, the
	// buffer was copied once or twice in most profiles, and three times
	// the profile's size was allocated.
	size := 64 + weightsSize(terms) + weightsSize(names)
	for k := range p.Heads {
		size += len(k) + 22
	}
	out := make([]byte, 0, size)
	out = append(out, profileMagic, profileVersion)
	out = binary.AppendUvarint(out, uint64(p.Articles))
	for _, t := range []time.Time{p.First, p.Last} {
		if t.IsZero() {
			out = append(out, 0)
			continue
		}
		out = append(out, 1)
		out = binary.AppendVarint(out, t.Unix())
		out = binary.AppendUvarint(out, uint64(t.Nanosecond()))
	}
	heads := make([]string, 0, len(p.Heads))
	for k := range p.Heads {
		heads = append(heads, k)
	}
	sort.Strings(heads)
	out = binary.AppendUvarint(out, uint64(len(heads)))
	for _, k := range heads {
		out = binary.AppendUvarint(out, uint64(len(k)))
		out = append(out, k...)
		out = binary.AppendVarint(out, p.Heads[k][0])
		out = binary.AppendVarint(out, p.Heads[k][1])
	}
	if p.Names == nil {
		out = append(out, 0)
	} else {
		out = append(out, 1)
		out = appendWeights(out, names, wts)
	}
	// The terms' weights as the profile keeps them beside its terms in
	// order, rather than each looked up in Terms.
	return appendWeights(out, terms, p.SortedWeights())
}

// weightsSize bounds what appendWeights writes for keys shorter than 128
// bytes, but for their number's length.
func weightsSize(keys []string) int {
	n := 10
	for _, k := range keys {
		n += len(k) + 10
	}
	return n
}

// appendWeights writes keys (in order) and their weights (wts, aligned):
// their number, then each key front-coded on the one before and its
// weight.
func appendWeights(out []byte, keys []string, wts []float64) []byte {
	out = binary.AppendUvarint(out, uint64(len(keys)))
	prev := ""
	for i, t := range keys {
		n := 0
		for n < len(prev) && n < len(t) && prev[n] == t[n] {
			n++
		}
		out = binary.AppendUvarint(out, uint64(n))
		out = binary.AppendUvarint(out, uint64(len(t)-n))
		out = append(out, t[n:]...)
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(wts[i]))
		prev = t
	}
	return out
}

var errBadProfile = errors.New("malformed story profile")

// decodeProfile reads a stored profile, in either form.
func decodeProfile(data []byte) (*briefing.Profile, error) {
	p := &briefing.Profile{}
	if len(data) == 0 || data[0] != profileMagic {
		if err := unzipJSON(data, p); err != nil {
			return nil, fmt.Errorf("story profile: %w", err)
		}
		return p, nil
	}
	if len(data) < 2 || data[1] < 1 || data[1] > profileVersion {
		return nil, fmt.Errorf("%w: unknown version", errBadProfile)
	}
	version := data[1]
	r := profileReader{b: data[2:]}
	p.Articles = int(r.uvarint())
	for _, t := range []*time.Time{&p.First, &p.Last} {
		if r.byte() == 1 {
			sec := r.varint()
			*t = time.Unix(sec, int64(r.uvarint())).UTC()
		}
	}
	switch version {
	case 2:
		// A column string: superseded by the heads, read past.
		n := r.uvarint()
		if n > uint64(len(r.b)) {
			return nil, fmt.Errorf("%w: column of %d bytes in %d", errBadProfile, n, len(r.b))
		}
		r.b = r.b[n:]
	case 3:
		n := r.uvarint()
		if n > uint64(len(r.b)) { // every head takes at least three bytes
			return nil, fmt.Errorf("%w: %d heads in %d bytes", errBadProfile, n, len(r.b))
		}
		if n > 0 {
			p.Heads = make(map[string][2]int64, n)
		}
		for i := uint64(0); i < n && r.err == nil; i++ {
			k := r.uvarint()
			if k > uint64(len(r.b)) {
				return nil, fmt.Errorf("%w: head %d", errBadProfile, i)
			}
			key := string(r.b[:k])
			r.b = r.b[k:]
			p.Heads[key] = [2]int64{r.varint(), r.varint()}
		}
		if r.byte() == 1 {
			names, err := r.weights()
			if err != nil {
				return nil, err
			}
			p.Names = names
		}
	}
	keys, wts, sorted, err := r.sortedWeights()
	if err != nil {
		return nil, err
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errBadProfile
	}
	if sorted {
		p.SetSortedTerms(keys, wts)
	} else {
		p.Terms = weightsMap(keys, wts)
	}
	return p, nil
}

// weights reads what appendWeights wrote, into a map.
func (r *profileReader) weights() (map[string]float64, error) {
	keys, wts, _, err := r.sortedWeights()
	if err != nil {
		return nil, err
	}
	return weightsMap(keys, wts), nil
}

// weightsMap maps each of keys to its weight, a later repeat winning.
func weightsMap(keys []string, wts []float64) map[string]float64 {
	m := make(map[string]float64, len(keys))
	for i, t := range keys {
		m[t] = wts[i]
	}
	return m
}

// sortedWeights reads what appendWeights wrote: the keys, as written, with
// their weights, and whether the keys are in order without repeats (as
// encodeProfile writes them; a profile not so written is still read).
func (r *profileReader) sortedWeights() (keys []string, wts []float64, sorted bool, err error) {
	n := r.uvarint()
	if n > uint64(len(r.b)) { // every key takes at least a byte
		return nil, nil, false, fmt.Errorf("%w: %d keys in %d bytes", errBadProfile, n, len(r.b))
	}
	keys, wts = make([]string, 0, n), make([]float64, 0, n)
	sorted = true
	// Each key is built in buf on the one before, and becomes a string
	// once.
	var buf []byte
	for i := uint64(0); i < n && r.err == nil; i++ {
		shared, rest := r.uvarint(), r.uvarint()
		if shared > uint64(len(buf)) || rest > uint64(len(r.b)) {
			return nil, nil, false, fmt.Errorf("%w: key %d", errBadProfile, i)
		}
		buf = append(buf[:shared], r.b[:rest]...)
		r.b = r.b[rest:]
		t := string(buf)
		if len(keys) > 0 && keys[len(keys)-1] >= t {
			sorted = false
		}
		keys, wts = append(keys, t), append(wts, math.Float64frombits(r.uint64()))
	}
	return keys, wts, sorted, r.err
}

// profileReader reads a binary profile, remembering the first error.
type profileReader struct {
	b   []byte
	err error
}

func (r *profileReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errBadProfile, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// varint reads what binary.AppendVarint wrote: a uvarint holding the
// value zig-zag encoded.
func (r *profileReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *profileReader) byte() byte {
	if len(r.b) == 0 {
		r.err = errBadProfile
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *profileReader) uint64() uint64 {
	if len(r.b) < 8 {
		r.err, r.b = errBadProfile, nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}
