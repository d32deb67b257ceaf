package briefing

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

func zzLoad(tb testing.TB, topic string) []Article {
	type rec struct {
		A  Article
		An *Analysis
	}
	var rs []rec
	bs, err := os.ReadFile("/tmp/build-in-" + topic + ".json")
	if err != nil {
		tb.Skip(err)
	}
	if err := json.Unmarshal(bs, &rs); err != nil {
		tb.Fatal(err)
	}
	out := make([]Article, len(rs))
	for i, r := range rs {
		out[i] = r.A
		out[i].Analysis = r.An
	}
	return out
}

var zzTopics = []string{"oil", "cocoa", "gold", "election", "war"}

func TestZZDevHash(t *testing.T) {
	for _, topic := range zzTopics {
		arts := zzLoad(t, topic)
		for _, o := range []Options{{Topic: topic}, {Topic: topic, MaxWords: 300}, {Topic: topic, MaxStories: 3, MaxBullets: 4}, {}} {
			o.Now = time.Unix(1e9, 0)
			b, err := Build(context.Background(), arts, o)
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(b)
			fmt.Printf("DEVHASH %s %d %d %x\n", topic, o.MaxWords, o.MaxStories, sha256.Sum256(js))
		}
	}
}

func zzCPU() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkZZDev(b *testing.B) {
	for _, topic := range []string{"oil", "cocoa"} {
		arts := zzLoad(b, topic)
		b.Run(topic, func(b *testing.B) {
			b.ReportAllocs()
			c0 := zzCPU()
			for i := 0; i < b.N; i++ {
				Build(context.Background(), arts, Options{Topic: topic, Now: time.Unix(1e9, 0)})
			}
			b.ReportMetric(float64(zzCPU()-c0)/1e6/float64(b.N), "cpu-ms")
		})
	}
}
