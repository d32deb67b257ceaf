package rouge

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

const vectorsPath = "../../../shared/eval/rouge155-vectors.jsonl"

type prf struct{ R, P, F float64 }

type vector struct {
	ID       string         `json:"id"`
	Peer     []string       `json:"peer_sentences"`
	Model    []string       `json:"model_sentences"`
	Rouge155 map[string]prf `json:"rouge155"`
}

func (v *prf) UnmarshalJSON(b []byte) error {
	var m struct{ R, P, F float64 }
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*v = prf(m)
	return nil
}

// TestRouge155Vectors checks every item scored by the original Perl script.
func TestRouge155Vectors(t *testing.T) {
	f, err := os.Open(vectorsPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s absent", vectorsPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	items := 0
	worst := map[string]float64{}
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %d: %v", items+1, err)
		}
		items++
		peer := Tokens(strings.Join(v.Peer, "\n"))
		model := Tokens(strings.Join(v.Model, "\n"))
		got := map[string]Score{
			"ROUGE-1": N(peer, model, 1),
			"ROUGE-2": N(peer, model, 2),
			"ROUGE-L": L(SentenceTokens(v.Peer), SentenceTokens(v.Model)),
		}
		for name, g := range got {
			exact := g.Rounded()
			want, ok := v.Rouge155[name]
			if !ok {
				t.Fatalf("%s: no %s in vectors", v.ID, name)
			}
			pairs := [][2]float64{{g.Recall, want.R}, {g.Precision, want.P}, {g.F1, want.F}}
			for k, p := range pairs {
				d := math.Abs(p[0] - p[1])
				worst[name] = max(worst[name], d)
				if d > 0.00001 {
					t.Errorf("%s %s [%c]: got %.6f, want %.5f", v.ID, name, "rpf"[k], p[0], p[1])
				}
			}
			// Rounded as Perl rounds, the scores must agree exactly.
			for k, p := range [][2]float64{{exact.Recall, want.R}, {exact.Precision, want.P}, {exact.F1, want.F}} {
				if math.Abs(p[0]-p[1]) > 1e-9 {
					t.Errorf("%s %s [%c]: got %.6f, want %.5f", v.ID, name, "rpf"[k], p[0], p[1])
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if items != 250 {
		t.Errorf("read %d items, want 250", items)
	}
	t.Logf("%d items; largest difference: %v", items, worst)
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, World!", []string{"hello", "world"}},
		{"high-speed", []string{"high", "speed"}},
		{"$1.13bn (£600m)", []string{"1", "13bn", "600m"}},
		{"AOL's 8%", []string{"aol", "s", "8"}},
		{"U.S. 3.5%", []string{"u", "s", "3", "5"}},
		{"café naïve", []string{"caf", "na", "ve"}},
		{"--- - x-", []string{"x"}},
		{"  tabs\tand\nnewlines ", []string{"tabs", "and", "newlines"}},
		{"“Quoted” — dash", []string{"quoted", "dash"}},
		{"ÄBC", []string{"bc"}},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestN(t *testing.T) {
	tok := func(s string) []string { return strings.Fields(s) }
	tests := []struct {
		name        string
		peer, model string
		n           int
		want        Score
	}{
		{"identical unigram", "a b c", "a b c", 1, Score{1, 1, 1}},
		{"disjoint", "a b", "c d", 1, Score{0, 0, 0}},
		{"clipped peer repeats", "a a a a", "a b", 1, Score{0.5, 0.25, 1.0 / 3}},
		{"clipped model repeats", "a b", "a a a a", 1, Score{0.25, 0.5, 1.0 / 3}},
		{"bigram", "a b c d", "a b x c d", 2, Score{0.5, 2.0 / 3, 4.0 / 7}},
		{"bigram too short", "a", "a b", 2, Score{0, 0, 0}},
		{"empty peer", "", "a b", 1, Score{0, 0, 0}},
		{"empty model", "a", "", 1, Score{0, 0, 0}},
		{"n zero", "a", "a", 0, Score{0, 0, 0}},
	}
	for _, tt := range tests {
		got := N(tok(tt.peer), tok(tt.model), tt.n)
		if !close(got, tt.want) {
			t.Errorf("%s: N = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestL(t *testing.T) {
	split := func(ss ...string) [][]string {
		out := make([][]string, len(ss))
		for i, s := range ss {
			out[i] = strings.Fields(s)
		}
		return out
	}
	tests := []struct {
		name        string
		peer, model [][]string
		want        Score
	}{
		{"identical", split("a b c"), split("a b c"), Score{1, 1, 1}},
		// Lin (2004), section 3.2: r1 = w1 w2 w3 w4 w5, c1 = w1 w2 w6 w7
		// w8, c2 = w1 w3 w8 w9 w5; union LCS = w1 w2 w3 w5, so R = 4/5.
		{"union lcs", split("w1 w2 w6 w7 w8", "w1 w3 w8 w9 w5"), split("w1 w2 w3 w4 w5"), Score{0.8, 0.4, 0.8 * 0.4 * 2 / 1.2}},
		{"order matters", split("c b a"), split("a b c"), Score{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		// The peer has one "a", so two model sentences cannot both use it.
		{"clipped", split("a b"), split("a", "a b"), Score{2.0 / 3, 1, 0.8}},
		{"empty", nil, split("a"), Score{}},
	}
	for _, tt := range tests {
		if got := L(tt.peer, tt.model); !close(got, tt.want) {
			t.Errorf("%s: L = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func close(a, b Score) bool {
	const eps = 1e-12
	return math.Abs(a.Recall-b.Recall) < eps && math.Abs(a.Precision-b.Precision) < eps && math.Abs(a.F1-b.F1) < eps
}

// FuzzTokens checks the tokenizer's invariants on arbitrary input: tokens are
// non-empty runs of lower-case ASCII letters and digits, and no such run of
// the lowered input is lost.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "Hello, World!", "high-speed $1.13bn (£600m)", "café\x00\xff", "--a--B--", "AOL's 8%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		total := 0
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("empty token from %q", s)
			}
			for i := 0; i < len(tok); i++ {
				c := tok[i]
				if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
					t.Fatalf("token %q from %q has byte %q", tok, s, c)
				}
			}
			total += len(tok)
		}
		alnum := 0
		for i := 0; i < len(s); i++ {
			if isAlnum(s[i]) {
				alnum++
			}
		}
		if total != alnum {
			t.Fatalf("tokens of %q cover %d alphanumeric bytes, want %d", s, total, alnum)
		}
		if utf8.ValidString(s) {
			if got := Tokens(strings.Join(toks, " ")); !reflect.DeepEqual(got, toks) {
				t.Fatalf("re-tokenizing %q gave %q, want %q", s, got, toks)
			}
		}
	})
}

func TestRounded(t *testing.T) {
	tests := []struct{ in, want Score }{
		{Score{0.640625, 0.5, 0}, Score{0.64062, 0.5, 0.56164}},
		{Score{1.0 / 3, 2.0 / 3, 0}, Score{0.33333, 0.66667, 0.44444}},
		{Score{0, 0, 0}, Score{0, 0, 0}},
	}
	for _, tt := range tests {
		if got := tt.in.Rounded(); got != tt.want {
			t.Errorf("%+v.Rounded() = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
