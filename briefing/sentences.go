package briefing

import (
	"regexp"
	"strings"
)

// PLACEHOLDER: being replaced by the real splitter (helper task).
var naiveBoundary = regexp.MustCompile(`([.!?]["”’]?)\s+`)

// Sentences splits text into sentences.
func Sentences(text string) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		idx := naiveBoundary.FindAllStringSubmatchIndex(para, -1)
		start := 0
		for _, m := range idx {
			out = append(out, strings.TrimSpace(para[start:m[3]]))
			start = m[1]
		}
		if s := strings.TrimSpace(para[start:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}
