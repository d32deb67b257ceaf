package data

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// articleJSONCases are lines decodeArticleJSON reads, or must leave to
// encoding/json, as encoding/json reads them.
var articleJSONCases = []string{
	`{}`, ` { } `, `{"title":"T","body":"B"}`, `{"title":"T","body":"B","title":"U"}`,
	`{"id":1,"title":"BAHIA","body":"Showers\ncontinued","published":"1987-02-26T15:01:01Z"}`,
	`{"published":1700000000,"body":"x"}`, `{"published":-1.5e+3,"body":"x"}`, `{"published":null,"body":"x"}`,
	`{"body":"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9\u003c\u2028\u0000"}`, `{"body":"\ud83d\ude00 emoji"}`, `{"body":"\ud83d lone"}`,
	`{"body":"caf` + "\xc3\xa9" + `"}`, `{"body":"bad ` + "\xff" + `"}`, `{"body":"ctl ` + "\x01" + `"}`, `{"body":"tab	raw"}`,
	`{"Title":"case","body":"x"}`, `{"TITLE":"case","body":"x"}`, `{"titlE":1,"body":"x"}`, `{"ſource":"fold","body":"x"}`,
	`{"\u0074itle":"escaped name","body":"x"}`, `{"":"empty name","body":"x"}`, `{"lang":"en","n":0,"f":-0.5E-2,"body":"x"}`,
	`{"body":"x",}`, `{"body":"x"`, `{"body":"x"} x`, `{"body":"x"}{}`, `{"body" "x"}`, `{"body":'x'}`, `{"body":"x\'"}`,
	`{"body":"x\u12"}`, `{"body":"x\u12g4"}`, `{"body":"x\q"}`, `{"body":"x\`, `{"body":true}`, `{"body":null}`,
	`{"title":["a"],"body":"x"}`, `{"meta":{"a":1},"body":"x"}`, `{"n":01,"body":"x"}`, `{"n":1.,"body":"x"}`,
	`{"n":.5,"body":"x"}`, `{"n":-,"body":"x"}`, `{"n":1e,"body":"x"}`, `{"n":+1,"body":"x"}`, `{"n":1x,"body":"x"}`,
	"{\"body\":\"x\"\r\n,\t\"url\" :\n\"u\"}", `{"url":"https://a.example/x?y=1&z=2","link":"l","text":"t","content":"c","author":"A"}`,
}

// checkArticleJSON returns what differs between decodeArticleJSON's
// reading of line and encoding/json's, when decodeArticleJSON reads it;
// "" when nothing does or it leaves the line to encoding/json.
func checkArticleJSON(line string) string {
	var got jsonArticle
	if !decodeArticleJSON([]byte(line), &got) {
		return ""
	}
	var want jsonArticle
	if err := json.Unmarshal([]byte(line), &want); err != nil {
		return fmt.Sprintf("read, where encoding/json says %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("read as %+v, encoding/json reads %+v", got, want)
	}
	return ""
}

// TestDecodeArticleJSONAsUnmarshal: decodeArticleJSON reads a line as
// encoding/json does, or leaves it to encoding/json, on edge cases and on
// the corpora's lines; and it reads the corpora's lines and a line of the
// benchmarks' files itself.
func TestDecodeArticleJSONAsUnmarshal(t *testing.T) {
	asFirst(t, articleJSONCases, 3000, nil, checkArticleJSON, func(string) string { return "" }, sameString)
	read, lines := 0, 0
	eachCorpusLine(t, 3000, func(where, line string) {
		lines++
		var j jsonArticle
		if decodeArticleJSON([]byte(line), &j) {
			read++
		}
	})
	if lines > 0 && read < lines*99/100 {
		t.Errorf("read %d of the corpora's %d lines itself, not 99%%", read, lines)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	if err := enc.Encode(map[string]string{"title": "A <b> & “quotes”", "body": "Line\none\u2028\x01 \"q\" \\", "source": "S",
		"url": "https://x.example/?a=1&b=2", "published": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	var j jsonArticle
	if line := strings.TrimSpace(b.String()); !decodeArticleJSON([]byte(line), &j) {
		t.Errorf("left to encoding/json: %s", line)
	}
	// The buffer of a line is the reader's: the time must be copied.
	raw := []byte(`{"published":"2026-01-02T03:04:05Z","body":"x"}`)
	if !decodeArticleJSON(raw, &j) {
		t.Fatal("a plain line was left to encoding/json")
	}
	copy(raw, strings.Repeat("#", len(raw)))
	if string(j.Published) != `"2026-01-02T03:04:05Z"` {
		t.Errorf("published %s after the buffer changed", j.Published)
	}
}

func FuzzDecodeArticleJSON(f *testing.F) {
	fuzzAsFirst(f, articleJSONCases, checkArticleJSON, func(string) string { return "" }, sameString)
}
