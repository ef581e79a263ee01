package source_test

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"shanyu/county"
	"shanyu/source"
)

// racyWatcher loads generation n+1 on each Load, taking a random time, so
// that loads finish out of order if anything runs two at once. It signals
// a burst of changes, then stops.
type racyWatcher struct {
	gen    atomic.Int64
	bursts int
	slow   bool          // the first load is the slowest
	sent   chan struct{} // closed once the last signal is sent
}

func (w *racyWatcher) Load(ctx context.Context) (*county.Dataset, string, error) {
	n := w.gen.Add(1)
	d := time.Duration(rand.IntN(3)) * time.Millisecond
	if w.slow && n == 1 {
		d = 30 * time.Millisecond
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	return &county.Dataset{}, strconv.FormatInt(n, 10), nil
}

func (w *racyWatcher) Watch(ctx context.Context, changed chan<- struct{}, down func(error)) {
	for range w.bursts {
		source.Signal(changed)
		time.Sleep(time.Duration(rand.IntN(2)) * time.Millisecond)
	}
	close(w.sent)
	<-ctx.Done()
}

// TestFollowNeverSwapsBack: whatever the timing of loads and signals, the
// versions swapped in only ever rise, and the last one is the last load.
func TestFollowNeverSwapsBack(t *testing.T) {
	for run := range 20 {
		w := &racyWatcher{bursts: 40, slow: run%2 == 0, sent: make(chan struct{})}
		ctx, cancel := context.WithCancel(context.Background())
		var mu sync.Mutex // guards swapped
		var swapped []int64
		done := make(chan error)
		go func() {
			done <- source.Follow(ctx, w, slog.New(slog.DiscardHandler),
				func(_ *county.Dataset, v string) int64 { n, _ := strconv.ParseInt(v, 10, 64); return n },
				func(n int64) { mu.Lock(); swapped = append(swapped, n); mu.Unlock() },
				func(error) { t.Error("down called") })
		}()
		// Once the last signal is sent, the last load must arrive (however
		// loaded the machine): wait for it, then stop.
		<-w.sent
		caughtUp := func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(swapped) > 0 && swapped[len(swapped)-1] == w.gen.Load()
		}
		ok := caughtUp()
		for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); ok = caughtUp() {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		if !ok {
			t.Fatalf("run %d: the last load (%d) was never swapped in", run, w.gen.Load())
		}
		if err := <-done; err != nil {
			t.Fatalf("Follow = %v, want nil when ctx ends", err)
		}
		mu.Lock()
		for i := 1; i < len(swapped); i++ {
			if swapped[i] <= swapped[i-1] {
				t.Fatalf("run %d: swapped %v: version %d after %d", run, swapped, swapped[i], swapped[i-1])
			}
		}
		mu.Unlock()
	}
}

// failingWatcher fails every load with err after one signal.
type failingWatcher struct{ err error }

func (w failingWatcher) Load(context.Context) (*county.Dataset, string, error) { return nil, "", w.err }
func (w failingWatcher) Watch(ctx context.Context, changed chan<- struct{}, _ func(error)) {
	source.Signal(changed)
	<-ctx.Done()
}

// TestFollowStopsOnRefusal: a refused load ends Follow with its error; any
// other failed load calls down and keeps following.
func TestFollowStopsOnRefusal(t *testing.T) {
	refused := failingWatcher{err: errors.Join(source.ErrRefused, errors.New("role can write"))}
	err := source.Follow(context.Background(), refused, slog.New(slog.DiscardHandler),
		func(*county.Dataset, string) int { return 0 }, func(int) { t.Error("swapped") }, func(error) {})
	if !errors.Is(err, source.ErrRefused) {
		t.Errorf("Follow = %v, want ErrRefused", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	downs := make(chan error, 1)
	go func() {
		_ = source.Follow(ctx, failingWatcher{err: errors.New("connection refused")}, slog.New(slog.DiscardHandler),
			func(*county.Dataset, string) int { return 0 }, func(int) { t.Error("swapped") },
			func(err error) { downs <- err })
	}()
	select {
	case <-downs:
	case <-time.After(5 * time.Second):
		t.Error("a failed load did not call down")
	}
	cancel()
}
