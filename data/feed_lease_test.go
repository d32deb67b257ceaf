package data

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// openTwice opens one database as two stores, as two processes sharing it
// would (an SQLite file, or a PostgreSQL schema).
func openTwice(t *testing.T) (*Store, *Store) {
	t.Helper()
	dsn := testDSN(t)
	var out [2]*Store
	for i := range out {
		s, err := Open(dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}

// pollRecorder serves the Atom fixture under /slow.xml after a pause, so
// that overlapping pollers are really polling at the same time, and records
// the test clock's time of every poll that fetched it.
type pollRecorder struct {
	url   string
	mu    sync.Mutex
	clock time.Time
	times []time.Time
}

func newPollRecorder(srv *feedServer, pause time.Duration) *pollRecorder {
	r := &pollRecorder{url: srv.URL + "/slow.xml"}
	srv.route("/slow.xml", func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.times = append(r.times, r.clock)
		r.mu.Unlock()
		time.Sleep(pause)
		srv.serveFixture(w, req, "atom_full.xml")
	})
	return r
}

// at sets the clock the next polls are recorded at, and returns it.
func (r *pollRecorder) at(m int) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clock = pollNow.Add(time.Duration(m) * time.Minute)
	return r.clock
}

func (r *pollRecorder) polls() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.times...)
}

// Two processes ticking every minute poll a feed once per interval between
// them: never both at once, never twice in one interval.
func TestFeedPolledOncePerIntervalAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	a, b := openTwice(t)
	rec := newPollRecorder(newFeedServer(t), 50*time.Millisecond)
	if _, err := a.ReplaceEnvFeeds(ctx, []string{rec.url}); err != nil {
		t.Fatal(err)
	}
	f := testFetcher(FetcherOptions{})
	opt := PollOptions{Interval: 15 * time.Minute}
	const intervals = 3
	for m := 0; m <= intervals*15; m++ {
		now := rec.at(m)
		var wg sync.WaitGroup
		for _, s := range []*Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := PollDue(ctx, s, f, now, opt); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	polls := rec.polls()
	if len(polls) < intervals || len(polls) > intervals+1 {
		t.Fatalf("polled at %v: want once per interval over %d intervals", polls, intervals)
	}
	for i := 1; i < len(polls); i++ {
		if gap := polls[i].Sub(polls[i-1]); gap < opt.Interval/2 {
			t.Errorf("polled again %v after the last poll: twice in one interval (%v)", gap, polls)
		}
	}
}

// A process that claimed a feed and died (never finished, never renewed)
// holds it only until its lease runs out: another process polls the feed
// within one interval of the claim.
func TestDeadPollerFeedTakenOver(t *testing.T) {
	ctx := context.Background()
	a, b := openTwice(t)
	rec := newPollRecorder(newFeedServer(t), 0)
	feeds, err := a.ReplaceEnvFeeds(ctx, []string{rec.url})
	if err != nil {
		t.Fatal(err)
	}
	opt := PollOptions{Interval: 15 * time.Minute}
	if ok, err := a.claimFeed(ctx, feeds[0].ID, pollNow, feedLease(opt.Interval)); err != nil || !ok {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	// a dies here.
	f := testFetcher(FetcherOptions{})
	for m := 1; m <= 15; m++ {
		if _, err := PollDue(ctx, b, f, rec.at(m), opt); err != nil {
			t.Fatal(err)
		}
	}
	polls := rec.polls()
	if len(polls) != 1 {
		t.Fatalf("the dead poller's feed was polled at %v; want once, within an interval", polls)
	}
	if took := polls[0].Sub(pollNow); took < feedLease(opt.Interval) || took > opt.Interval {
		t.Errorf("taken over %v after the claim; want after the lease (%v) and within the interval (%v)", took, feedLease(opt.Interval), opt.Interval)
	}
}

// A poll that outlasts its lease keeps the feed: the lease is renewed while
// it runs, and no other poller can claim the feed meanwhile.
func TestHoldFeedRenewsLease(t *testing.T) {
	ctx := context.Background()
	a, b := openTwice(t)
	feeds, err := a.ReplaceEnvFeeds(ctx, []string{"https://example.com/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	id := feeds[0].ID
	now := time.Now().Truncate(time.Second)
	const lease = 900 * time.Millisecond
	if ok, err := a.claimFeed(ctx, id, now, lease); err != nil || !ok {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	stop := a.holdFeed(ctx, id, now, lease)
	time.Sleep(2500 * time.Millisecond)
	if ok, err := b.claimFeed(ctx, id, now.Add(2*time.Second), lease); err != nil || ok {
		t.Errorf("another poller claimed a held feed after its first lease ran out: %v, %v", ok, err)
	}
	stop()
	got, err := a.Feed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NextPoll.After(now.Add(2 * time.Second)) {
		t.Errorf("lease ends %v, want renewed past %v", got.NextPoll, now.Add(2*time.Second))
	}
	// Released by its owner's stop, the lease runs out and the feed is free.
	if ok, err := b.claimFeed(ctx, id, got.NextPoll, lease); err != nil || !ok {
		t.Errorf("claim after the renewed lease ran out: %v, %v", ok, err)
	}
}

// However many pollers in however many processes claim a due feed at once,
// exactly one gets it: the claim is one conditional UPDATE.
func TestClaimFeedOneWinner(t *testing.T) {
	ctx := context.Background()
	a, b := openTwice(t)
	feeds, err := a.ReplaceEnvFeeds(ctx, []string{"https://example.com/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 16; i++ {
		s := []*Store{a, b}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.claimFeed(ctx, feeds[0].ID, pollNow, time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d pollers claimed the feed, want 1", wins)
	}
}
