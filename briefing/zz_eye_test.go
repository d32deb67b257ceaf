package briefing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZEye(t *testing.T) {
	kw := os.Getenv("ZZKW")
	if kw == "" {
		t.Skip()
	}
	arts := buildLoadCorpus(t, filepath.Join("..", "..", "shared", "corpus", "reuters21578.jsonl"), func(title, body string) bool {
		return strings.Contains(strings.ToLower(title), kw)
	}, 60)
	b := Build(arts, Options{Topic: os.Getenv("ZZTOPIC"), Now: buildGoldenNow})
	t.Log(len(arts), "\n"+buildRenderForEye(b))
}
