package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseFormats(t *testing.T) {
	pub := time.Date(2025, 3, 16, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name, file, in string
		want           []Article
		wantErr        error
	}{
		{"txt", "a.txt", "\n\nThe title\nFirst para.\n\nSecond para.\n",
			[]Article{{Title: "The title", Body: "First para.\n\nSecond para."}}, nil},
		{"md front matter", "a.md", "---\ntitle: \"Quoted: title\"\nsource: USA TODAY\nurl: https://example.com/x\npublished: 2025-03-16T09:30:00Z\nauthor: Kim\n---\n# Heading\n\nBody with a [link](https://x.y) and **bold**.\n",
			[]Article{{Title: "Quoted: title", Source: "USA TODAY", URL: "https://example.com/x", Author: "Kim", Published: pub, Body: "Heading\n\nBody with a link and bold."}}, nil},
		{"md without front matter", "a.md", "# My title\n\nThe body.",
			[]Article{{Title: "My title", Body: "The body."}}, nil},
		{"md date key", "a.md", "---\ntitle: T\ndate: 16 March 2025\n---\nBody.",
			[]Article{{Title: "T", Published: time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC), Body: "Body."}}, nil},
		{"json object", "a.json", `{"title":"T","body":"B.","source":"S","url":"u","published":"2025-03-16T09:30:00Z"}`,
			[]Article{{Title: "T", Body: "B.", Source: "S", URL: "u", Published: pub}}, nil},
		{"json array", "a.json", `[{"title":"T1","body":"B1."},{"title":"T2","text":"B2."}]`,
			[]Article{{Title: "T1", Body: "B1."}, {Title: "T2", Body: "B2."}}, nil},
		{"json unix time", "a.json", `{"title":"T","body":"B.","published":1742117400}`,
			[]Article{{Title: "T", Body: "B.", Published: pub}}, nil},
		{"jsonl", "a.jsonl", "{\"title\":\"T1\",\"body\":\"B1.\"}\n\n{\"title\":\"T2\",\"body\":\"wrapped line\\nin two.\",\"published\":\"\"}\n",
			[]Article{{Title: "T1", Body: "B1."}, {Title: "T2", Body: "wrapped line in two."}}, nil},
		{"title from body", "a.json", `{"body":"Only a body here."}`,
			[]Article{{Title: "Only a body here.", Body: "Only a body here."}}, nil},
		{"utf8 bom", "a.txt", "\xEF\xBB\xBFTitle\nBody.", []Article{{Title: "Title", Body: "Body."}}, nil},
		{"utf16 le bom", "a.txt", "\xFF\xFET\x00i\x00\n\x00B\x00.\x00", []Article{{Title: "Ti", Body: "B."}}, nil},
		{"empty", "a.txt", " \n\t\n", nil, ErrEmpty},
		{"binary", "a.txt", "PK\x03\x04\x00\x00binary", nil, ErrBinary},
		{"latin1", "a.txt", "Caf\xe9 news\n" + strings.Repeat("caf\xe9 cr\xe8me br\xfbl\xe9e ", 3),
			[]Article{{Title: "Café news", Body: strings.TrimSpace(strings.Repeat("café crème brûlée ", 3))}}, nil},
		{"windows-1252 quotes", "a.md", "---\ntitle: \x93Quoted\x94 \x96 dash\n---\nIt\x92s \x8013 for a caf\xe9 au lait.",
			[]Article{{Title: "“Quoted” – dash", Body: "It’s €13 for a café au lait."}}, nil},
		{"utf-8 with a stray byte", "a.txt", "Café\nUn café \xff crème, déjà vu.", []Article{{Title: "Café", Body: "Un café \uFFFD crème, déjà vu."}}, nil},
		{"cyrillic koi8-r", "a.txt", "\xeb\xcf\xd2\xcf\xd4\xcb\xc9\xca\n\xf4\xc5\xcb\xd3\xd4 \xce\xcf\xd7\xcf\xd3\xd4\xc9.", nil, ErrEncoding},
		{"nfd", "a.txt", "Cafe\u0301 news\nUn cafe\u0301 cre\u0300me.", []Article{{Title: "Café news", Body: "Un café crème."}}, nil},
		{"title only", "a.txt", "Just a title\n", nil, ErrNoBody},
		{"unsupported", "a.pdf", "%PDF-1.4", nil, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.file, []byte(tt.in))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d articles, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Title != w.Title || g.Body != w.Body || g.Source != w.Source || g.URL != w.URL || g.Author != w.Author || !g.Published.Equal(w.Published) {
					t.Errorf("article %d\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestParseErrorsAreSpecific(t *testing.T) {
	tests := []struct{ file, in, want string }{
		{"a.md", "---\ntitle: [unclosed\n---\nBody", "front matter"},
		{"a.md", "---\ntitle: x\nBody without end", "no closing ---"},
		{"a.json", `{"title": }`, "json"},
		{"a.json", `{"title":"T","body":"B","published":"not a date at all"}`, "cannot read date"},
		{"a.json", `{"title":"T","body":"B","published":{"x":1}}`, "published"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.file, []byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s, %.30q) error = %v, want it to mention %q", tt.file, tt.in, err, tt.want)
		}
	}
}

func TestParseJSONLinesKeepsGoodLines(t *testing.T) {
	in := "{\"title\":\"ok1\",\"body\":\"b1\"}\nnot json\n{\"title\":\"nobody\"}\n{\"title\":\"ok2\",\"body\":\"b2\"}\n"
	got, err := Parse("x.jsonl", []byte(in))
	if len(got) != 2 {
		t.Fatalf("got %d good articles, want 2", len(got))
	}
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("error %v should name lines 2 and 3", err)
	}
}

func FuzzParse(f *testing.F) {
	seeds := []struct{ name, in string }{
		{"a.txt", "Title\nBody."}, {"a.md", "---\ntitle: t\n---\nb"}, {"a.json", `{"title":"t","body":"b"}`},
		{"a.jsonl", "{\"body\":\"b\"}\n{}"}, {"a.json", `[{"body":"x","published":12}]`}, {"a.json", `["x", 3, {"body":"b"}]`}, {"a.txt", "\xff\xfe\x00"},
		{"a.txt", "Caf\xe9\nCr\xe8me \x80 \x93x\x94"}, {"a.md", "T\nCafe\u0301 \xff"}, {"a.txt", "\xeb\xcf\xd2\n\xf4\xc5"},
	}
	for _, s := range seeds {
		f.Add(s.name, []byte(s.in))
	}
	f.Fuzz(func(t *testing.T, name string, raw []byte) {
		arts, _ := Parse(name, raw)
		for _, a := range arts {
			if a.Body == "" || a.Title == "" {
				t.Fatalf("article without title or body: %+v", a)
			}
		}
	})
}
