package data

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Hello world.", "Hello world."},
		{"collapse spaces", "  Hello \t  world.  ", "Hello world."},
		{"crlf paragraphs", "One.\r\n\r\nTwo.", "One.\n\nTwo."},
		{"control chars", "REUTER\x03", "REUTER"},
		{"invalid utf8", "caf\xe9 ok", "caf\uFFFD ok"},
		{"nbsp and zero width", "a\u00a0b\u200bc\uFEFF", "a bc"},
		{"bidi overrides", "gpj.\u202eexe\u202c and \u2066x\u2069", "gpj.exe and x"},
		{"long lines are paragraphs", strings.Repeat("x ", 60) + "end.\n" + strings.Repeat("y ", 60) + "end.",
			strings.TrimSpace(strings.Repeat("x ", 60)) + " end.\n\n" + strings.TrimSpace(strings.Repeat("y ", 60)) + " end."},
		{"reuters wrap joined",
			"Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects.\n    The dry period means the temporao will be late.",
			"Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early January and improving prospects.\n\nThe dry period means the temporao will be late."},
		{"heading line kept apart", "Trump denies media reports\n" + strings.Repeat("word ", 40) + "end.",
			"Trump denies media reports\n\n" + strings.TrimSpace(strings.Repeat("word ", 40)) + " end."},
		{"short first line wrapped early",
			"A final compromise proposal on cocoa\nbuffer stock rules presented by the council chairman is gaining\nacceptance by consumer and producer members, delegates said.",
			"A final compromise proposal on cocoa buffer stock rules presented by the council chairman is gaining acceptance by consumer and producer members, delegates said."},
		{"short line before a parenthesis",
			"The International Cocoa Organization\n(ICCO) council adjourned after agreeing buffer stock rules for the\n1986 agreement, an ICCO spokesman said.",
			"The International Cocoa Organization (ICCO) council adjourned after agreeing buffer stock rules for the 1986 agreement, an ICCO spokesman said."},
		{"list items", "Points made by the minister were these:\n- first point here today\n- second point here today",
			"Points made by the minister were these:\n\n- first point here today\n\n- second point here today"},
		{"empty", "   \n\n \t ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeText(tt.in); got != tt.want {
				t.Errorf("NormalizeText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{"a\nb", "x\x00y", "\xff\xfe", "  \n\n  para\n  two", "REUTER\x03\n", "cafe\u0301", "e\x00\u0301", "e\u200b\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeText(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Fatalf("not NFC: %q out of %q", got, s)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "\n\n\n") || strings.Contains(got, "  ") {
			t.Fatalf("white space not normalized: %q", got)
		}
		if NormalizeText(got) != got {
			t.Fatalf("not idempotent: %q -> %q", got, NormalizeText(got))
		}
	})
}

// TestNFCAndNFDAreOneArticle: the same text with precomposed and with
// combining accents is stored once, and found by either spelling.
func TestNFCAndNFDAreOneArticle(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	nfc := Article{Title: "Café crème in Zürich", Body: "The café in Zürich raised the price of a crème brûlée."}
	nfd := Article{Title: "Cafe\u0301 cre\u0300me in Zu\u0308rich", Body: "The cafe\u0301 in Zu\u0308rich raised the price of a cre\u0300me bru\u0302le\u0301e."}
	res, err := s.Add(ctx, []Article{nfc, nfd})
	if err != nil || res.Added != 1 || res.Duplicates != 1 {
		t.Fatalf("added %+v, %v; want one article and one duplicate", res, err)
	}
	for _, q := range []string{"Zürich", "Zu\u0308rich"} {
		if hits, err := s.Search(ctx, q, SearchOptions{}); err != nil || len(hits) != 1 {
			t.Errorf("Search(%q): %d hits, %v", q, len(hits), err)
		}
	}
}

// BenchmarkNormalizeText measures the normalization every stored article
// goes through, beside its NFC step alone, on a 3 KB article with accents.
func BenchmarkNormalizeText(b *testing.B) {
	text := strings.Repeat("Le café de Zürich a augmenté le prix de la crème brûlée, said the owner. ", 40)
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			NormalizeText(text)
		}
	})
	b.Run("nfc-only", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for i := 0; i < b.N; i++ {
			norm.NFC.String(text)
		}
	})
}
