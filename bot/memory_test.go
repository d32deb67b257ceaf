package bot

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/data"
)

// vmRSS reads the process's resident memory in MB from /proc/self/status;
// ok is false where there is no /proc.
func vmRSS() (float64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, found := strings.CutPrefix(sc.Text(), "VmRSS:"); found {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

func heapMB() float64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse) / (1 << 20)
}

// TestResidentMemory reports the resident memory of the test process (the
// bot, its store and the fake Discord together) idle and after a few
// hundred /brief interactions. It asserts nothing about the numbers: they
// are for the report. Run with -v to see them.
func TestResidentMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends hundreds of interactions")
	}
	h := startBot(t, harnessOpts{})
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
	idle, ok := vmRSS()
	if !ok {
		t.Skip("no /proc/self/status")
	}
	idleHeap := heapMB()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	topics := []string{"ceasefire", "witkoff", "putin", "", "ukraine talks", "nothing stored here"}
	const n = 300
	start := time.Now()
	for i := 0; i < n; i++ {
		_, m := h.brief(ctx, topics[i%len(topics)])
		if !m.Visible() {
			t.Fatalf("interaction %d: empty answer", i)
		}
	}
	elapsed := time.Since(start)
	runtime.GC()
	after, _ := vmRSS()
	t.Logf("resident memory (test process: bot + store + fake Discord): idle %.1f MB, after %d /brief %.1f MB; Go heap in use %.1f MB -> %.1f MB; %.1f ms per /brief round trip",
		idle, n, after, idleHeap, heapMB(), float64(elapsed.Milliseconds())/n)
	h.checkClean()
}

// BenchmarkBriefMessage measures /brief from topic to rendered embeds over
// the stored samples (no Discord round trip).
func BenchmarkBriefMessage(b *testing.B) {
	store := openStore(b)
	bot := &Bot{store: store, build: briefing.Build, now: time.Now, loc: time.UTC}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bot.briefMessage(ctx, "ceasefire", data.AllArticles(), data.GuildSettings{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderEmbeds(b *testing.B) {
	br := sampleBriefing()
	for i := 0; i < 4; i++ {
		br.Stories = append(br.Stories, br.Stories[0])
	}
	b.ReportAllocs()
	for b.Loop() {
		RenderEmbeds(br, EmbedOptions{})
	}
}

// BenchmarkBriefMessageCorpus measures /brief from topic to rendered embeds
// over the shared news corpora (about 21,000 articles: issue 8's "/brief at
// 21k stored articles"), topics in turn, with the median and 95th
// percentile wall time and the CPU time per brief; it is skipped when the
// corpora are absent.
func BenchmarkBriefMessageCorpus(b *testing.B) {
	paths := []string{"../../shared/corpus/reuters21578.jsonl", "../../shared/corpus/bbc2225.jsonl"}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("corpus not present: %v", err)
		}
	}
	store := openStore(b)
	ctx := context.Background()
	if _, err := data.IngestPaths(ctx, store, paths, data.IngestOptions{}); err != nil {
		b.Fatal(err)
	}
	bot := &Bot{store: store, build: briefing.Build, now: time.Now, loc: time.UTC}
	topics := []string{"oil prices", "interest rates", "football", "election", "coffee exports"}
	var times, cpus []time.Duration
	b.ResetTimer()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0, c0 := time.Now(), processCPU()
		if _, err := bot.briefMessage(ctx, topics[i%len(topics)], data.AllArticles(), data.GuildSettings{}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
		cpus = append(cpus, time.Duration(processCPU()-c0))
		i++
	}
	med, p95 := percentiles(times)
	cpu, _ := percentiles(cpus)
	b.ReportMetric(ms(med), "median-ms")
	b.ReportMetric(ms(p95), "p95-ms")
	b.ReportMetric(ms(cpu), "cpu-ms")
}
