package api

import (
	"context"
	"net/http"
	"runtime"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// HeavyQueueWait is how long a heavy computation waits for a free slot
// before its request is answered 503 with Retry-After.
const HeavyQueueWait = 250 * time.Millisecond

// errBusy answers a request whose heavy computation found no free slot.
var errBusy = huma.ErrorWithHeaders(
	huma.Error503ServiceUnavailable("the server is busy with other heavy requests; try again in a second"),
	http.Header{"Retry-After": {"1"}})

// limiter bounds how many heavy computations (accessibility, suggestions:
// everything the model cache computes) run at once, so that a burst of
// expensive requests cannot starve the cheap ones (or /healthz) of CPU.
// Answers already in the cache are not limited: they cost nothing. A
// computation that finds no free slot within the wait is not started and
// its request gets a 503 problem with Retry-After: 1.
type limiter struct {
	slots chan struct{}
	wait  time.Duration
	shed  func() // counts a refusal
}

// newLimiter allows n heavy computations at once; n ≤ 0 means one per
// CPU, less one kept for everything else (at least one).
func newLimiter(n int, wait time.Duration, shed func()) *limiter {
	if n <= 0 {
		n = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if shed == nil {
		shed = func() {}
	}
	return &limiter{slots: make(chan struct{}, n), wait: wait, shed: shed}
}

// acquire takes a slot, waiting at most l.wait; it returns errBusy when
// none frees up in time and ctx's error when ctx ends first.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-t.C:
		l.shed()
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }

// limited runs compute under l.
func limited[V any](l *limiter, compute func(context.Context) (V, error)) func(context.Context) (V, error) {
	return func(ctx context.Context) (V, error) {
		if err := l.acquire(ctx); err != nil {
			var zero V
			return zero, err
		}
		defer l.release()
		return compute(ctx)
	}
}
