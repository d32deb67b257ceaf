package data

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/golang/snappy"

	"github.com/briefbot/briefbot/briefing"
)

// An article's analysis as stored. A briefing reads some 160 analyses; as
// compressed JSON, inflating and unmarshalling them was a tenth of /brief
// at 300k articles, and deflating them at ingest near a tenth of ingest's
// CPU. They are written in a binary form instead, read with a few
// allocations whatever the analysis holds: the whole value is made one
// string and every text in it (sentences, terms, names, quotations) is a
// piece of that string, so only the slices and maps are allocated.
//
// The binary form is kept Snappy-compressed (block format): plain, it was
// 46% larger than the compressed JSON (1,586 against 1,089 bytes for the
// analysis of a Reuters report, an eighth more store per article);
// Snappy brings it to 1,247 for some 2.5 µs a read and 6 µs a write,
// where DEFLATE's reader alone costs tens of µs.
//
// The form, after the magic and format bytes: the analysis version; title
// and outlet; the publication time; the sentences (text, paragraph as a
// difference from the one before, flags, quoted share unless 0 or 1,
// salience); the terms and the names, each key with its count, in key
// order; the people; the quotations. A string is its length and bytes;
// integers are varints (zig-zag when they may be negative); floats are
// their 8 bytes, exact. Every list is written as its length plus one, 0
// meaning nil, so a value reads back deeply equal to the one written.
// Analyses written by earlier versions, as compressed JSON, are still read.

// analysisMagic starts a binary analysis: as profileMagic, a byte DEFLATE
// data never starts with. analysisFormat numbers the binary form.
const analysisMagic, analysisFormat = 0xff, 1

// Sentence flags.
const (
	sentAttributed = 1 << iota
	sentQuotedAll  // Quoted is 1
	sentQuotedPart // Quoted follows (neither 0 nor 1)
)

// Publication time kinds.
const (
	timeZero  = iota
	timeUTC   // seconds and nanoseconds, in UTC
	timeZoned // seconds, nanoseconds, zone offset and name
)

// analysisBuffers keeps the buffers an analysis is written to and read
// from before or after compression.
var analysisBuffers = sync.Pool{New: func() any { return new([]byte) }}

// encodeAnalysis writes an in the stored form.
func encodeAnalysis(an *briefing.Analysis) []byte {
	buf := analysisBuffers.Get().(*[]byte)
	defer analysisBuffers.Put(buf)
	raw := appendAnalysis((*buf)[:0], an)
	// Compressed into a kept buffer too, and copied out at its size: the
	// value is kept until its batch is written, and snappy wants room for
	// the worst case, a sixth more than raw, where it writes some 60%.
	zbuf := analysisBuffers.Get().(*[]byte)
	defer analysisBuffers.Put(zbuf)
	z := slices.Grow((*zbuf)[:0], 2+snappy.MaxEncodedLen(len(raw)))
	z = append(z, analysisMagic, analysisFormat)
	z = z[:2+len(snappy.Encode(z[2:cap(z)], raw))]
	*buf, *zbuf = raw, z
	return slices.Clone(z)
}

// appendAnalysis appends an in the binary form, uncompressed.
func appendAnalysis(out []byte, an *briefing.Analysis) []byte {
	out = appendVarint(out, int64(an.Version))
	out = appendString(out, an.Title)
	out = appendString(out, an.Outlet)
	out = appendTime(out, an.Published)

	out = appendLen(out, len(an.Sentences), an.Sentences == nil)
	para := 0
	for _, s := range an.Sentences {
		out = appendString(out, s.Text)
		out = appendVarint(out, int64(s.Para-para))
		para = s.Para
		var flags byte
		if s.Attributed {
			flags |= sentAttributed
		}
		switch s.Quoted {
		case 0:
		case 1:
			flags |= sentQuotedAll
		default:
			flags |= sentQuotedPart
		}
		out = append(out, flags)
		if flags&sentQuotedPart != 0 {
			out = appendFloat(out, s.Quoted)
		}
		out = appendFloat(out, s.Salience)
	}
	out = appendCounts(out, an.Terms, an.SortedTerms(), an.SortedTermCounts())
	out = appendCounts(out, an.Names, nil, nil)
	out = appendLen(out, len(an.People), an.People == nil)
	for _, p := range an.People {
		out = appendString(out, p)
	}
	out = appendLen(out, len(an.Quotes), an.Quotes == nil)
	for _, q := range an.Quotes {
		out = appendString(out, q.Text)
		out = appendString(out, q.Speaker)
		out = appendVarint(out, int64(q.Sentence))
	}
	return out
}

func appendVarint(out []byte, v int64) []byte {
	return appendUvarint(out, uint64(v<<1)^uint64(v>>63))
}

func appendUvarint(out []byte, v uint64) []byte {
	for v >= 0x80 {
		out = append(out, byte(v)|0x80)
		v >>= 7
	}
	return append(out, byte(v))
}

func appendString(out []byte, s string) []byte {
	return append(appendUvarint(out, uint64(len(s))), s...)
}

func appendFloat(out []byte, f float64) []byte {
	b := math.Float64bits(f)
	return append(out, byte(b), byte(b>>8), byte(b>>16), byte(b>>24), byte(b>>32), byte(b>>40), byte(b>>48), byte(b>>56))
}

// appendLen writes a list's length plus one, or 0 for a nil list.
func appendLen(out []byte, n int, isNil bool) []byte {
	if isNil {
		return append(out, 0)
	}
	return appendUvarint(out, uint64(n)+1)
}

// appendTime writes t's instant and, unless it is UTC, its zone.
func appendTime(out []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(out, timeZero)
	}
	name, offset := t.Zone()
	kind := byte(timeZoned)
	if t.Location() == time.UTC {
		kind = timeUTC
	}
	out = append(out, kind)
	out = appendVarint(out, t.Unix())
	out = appendUvarint(out, uint64(t.Nanosecond()))
	if kind == timeZoned {
		out = appendVarint(out, int64(offset))
		out = appendString(out, name)
	}
	return out
}

// appendCounts writes m's keys in order, each with its count.
//
// sorted, when it has as many keys as m, is m's keys in order: the terms
// the preparing sorted for grouping (Analysis.SortedTerms), which need no
// second sort; and counts, when in step with it, their counts in m
// (Analysis.SortedTermCounts), which need not be looked up.
func appendCounts(out []byte, m map[string]int, sorted []string, counts []float64) []byte {
	out = appendLen(out, len(m), m == nil)
	if len(sorted) == len(m) && len(counts) == len(sorted) {
		for i, k := range sorted {
			out = appendString(out, k)
			out = appendVarint(out, int64(counts[i]))
		}
		return out
	}
	keys := sorted
	if len(keys) != len(m) {
		keys = make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	for _, k := range keys {
		out = appendString(out, k)
		out = appendVarint(out, int64(m[k]))
	}
	return out
}

// errBadAnalysis says a stored analysis cannot be read.
var errBadAnalysis = errors.New("malformed stored analysis")

// decodeAnalysis reads a stored analysis, in either form.
func decodeAnalysis(data []byte) (*briefing.Analysis, error) {
	an := &briefing.Analysis{}
	if len(data) == 0 || data[0] != analysisMagic {
		if err := unzipJSON(data, an); err != nil {
			return nil, fmt.Errorf("stored analysis (compressed JSON): %w", err)
		}
		return an, nil
	}
	if len(data) < 2 {
		return nil, fmt.Errorf("%w: no format byte", errBadAnalysis)
	}
	if data[1] != analysisFormat {
		return nil, fmt.Errorf("%w: unknown format %d", errBadAnalysis, data[1])
	}
	// Snappy expands a byte to at most some 22 (a 3-byte copy of 64), so
	// a length beyond that is a lie that would make a large allocation.
	n, err := snappy.DecodedLen(data[2:])
	if err != nil || n > 32*len(data) || n > analysisMaxRaw {
		return nil, fmt.Errorf("%w: compressed length %d of %d bytes (%v)", errBadAnalysis, n, len(data), err)
	}
	buf := analysisBuffers.Get().(*[]byte)
	defer analysisBuffers.Put(buf)
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	raw, err := snappy.Decode((*buf)[:n], data[2:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadAnalysis, err)
	}
	return readAnalysis(an, string(raw))
}

// analysisMaxRaw bounds an analysis's binary form: Analyze keeps at most
// a megabyte of an article's text.
const analysisMaxRaw = 16 << 20

// readAnalysis reads the binary form in s into an. Every text of an is a
// piece of s.
func readAnalysis(an *briefing.Analysis, s string) (*briefing.Analysis, error) {
	r := analysisReader{s: s}
	an.Version = int(r.varint())
	an.Title = r.string()
	an.Outlet = r.string()
	an.Published = r.time()

	// Each list's length is checked against the bytes left (each element
	// takes at least one), so no input makes a large allocation.
	if n, ok := r.len("sentences", 11); ok {
		an.Sentences = make([]briefing.Sentence, n)
		para := 0
		for i := range an.Sentences {
			s := &an.Sentences[i]
			s.Text = r.string()
			para += int(r.varint())
			s.Para = para
			flags := r.byte()
			if flags&^(sentAttributed|sentQuotedAll|sentQuotedPart) != 0 || flags&sentQuotedAll != 0 && flags&sentQuotedPart != 0 {
				r.fail("sentence %d: flags %#x", i, flags)
			}
			s.Attributed = flags&sentAttributed != 0
			switch {
			case flags&sentQuotedAll != 0:
				s.Quoted = 1
			case flags&sentQuotedPart != 0:
				s.Quoted = r.float()
			}
			s.Salience = r.float()
		}
	}
	an.Terms = r.counts("terms")
	an.Names = r.counts("names")
	if n, ok := r.len("people", 1); ok {
		an.People = make([]string, n)
		for i := range an.People {
			an.People[i] = r.string()
		}
	}
	if n, ok := r.len("quotes", 3); ok {
		an.Quotes = make([]briefing.AnalysisQuote, n)
		for i := range an.Quotes {
			q := &an.Quotes[i]
			q.Text = r.string()
			q.Speaker = r.string()
			q.Sentence = int(r.varint())
		}
	}
	if r.err == nil && len(r.s) > 0 {
		r.fail("%d bytes after the end", len(r.s))
	}
	if r.err != nil {
		return nil, r.err
	}
	return an, nil
}

// analysisReader reads a binary analysis, remembering the first error;
// after one it reads zeros.
type analysisReader struct {
	s   string
	err error
}

func (r *analysisReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: "+format, append([]any{errBadAnalysis}, args...)...)
	}
	r.s = ""
}

func (r *analysisReader) uvarint() uint64 {
	var v uint64
	for i := 0; i < len(r.s) && i < 10; i++ {
		c := r.s[i]
		if c < 0x80 {
			if i == 9 && c > 1 {
				break // more than 64 bits
			}
			r.s = r.s[i+1:]
			return v | uint64(c)<<(7*i)
		}
		v |= uint64(c&0x7f) << (7 * i)
	}
	r.fail("cut short or bad varint")
	return 0
}

func (r *analysisReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *analysisReader) byte() byte {
	if len(r.s) == 0 {
		r.fail("cut short")
		return 0
	}
	c := r.s[0]
	r.s = r.s[1:]
	return c
}

func (r *analysisReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.s)) {
		r.fail("string of %d bytes in %d", n, len(r.s))
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

func (r *analysisReader) float() float64 {
	if len(r.s) < 8 {
		r.fail("cut short")
		return 0
	}
	s := r.s
	b := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	r.s = s[8:]
	return math.Float64frombits(b)
}

// len reads a list's length as appendLen wrote it; ok is false for a nil
// list (or after an error). Each element takes at least least bytes.
func (r *analysisReader) len(what string, least int) (n int, ok bool) {
	v := r.uvarint()
	if v == 0 || r.err != nil {
		return 0, false
	}
	if v-1 > uint64(len(r.s)/least) {
		r.fail("%d %s in %d bytes", v-1, what, len(r.s))
		return 0, false
	}
	return int(v - 1), true
}

func (r *analysisReader) time() time.Time {
	switch kind := r.byte(); kind {
	case timeZero:
		return time.Time{}
	case timeUTC, timeZoned:
		sec, nsec := r.varint(), r.uvarint()
		if nsec >= 1e9 {
			r.fail("%d nanoseconds", nsec)
			return time.Time{}
		}
		t := time.Unix(sec, int64(nsec))
		if kind == timeUTC {
			return t.UTC()
		}
		offset, name := r.varint(), r.string()
		if offset < -24*3600 || offset > 24*3600 {
			r.fail("zone offset %d", offset)
			return time.Time{}
		}
		// The local zone, when it is the one written, reads back as
		// time.Local (as time.Parse does); any other as a fixed zone
		// of the same name and offset.
		if lname, loffset := t.In(time.Local).Zone(); lname == name && int64(loffset) == offset {
			return t.In(time.Local)
		}
		return t.In(time.FixedZone(name, int(offset)))
	default:
		r.fail("time kind %d", kind)
		return time.Time{}
	}
}

// counts reads what appendCounts wrote.
func (r *analysisReader) counts(what string) map[string]int {
	n, ok := r.len(what, 2)
	if !ok {
		return nil
	}
	m := make(map[string]int, n)
	for i := 0; i < n && r.err == nil; i++ {
		k := r.string()
		m[k] = int(r.varint())
	}
	return m
}
