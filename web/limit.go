package web

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

// ErrBusy answers a request whose heavy computation found no free slot.
var ErrBusy = huma.ErrorWithHeaders(
	huma.Error503ServiceUnavailable("the server is busy with other heavy requests; try again in a second"),
	http.Header{"Retry-After": {"1"}})

// Limiter bounds how many heavy computations (accessibility, suggestions:
// everything the model cache computes) run at once, so that a burst of
// expensive requests cannot starve the cheap ones (or /healthz) of CPU.
// Answers already in the cache are not limited: they cost nothing. A
// computation that finds no free slot within the wait is not started and
// its request gets a 503 problem with Retry-After: 1.
type Limiter struct {
	slots chan struct{}
	wait  time.Duration
	shed  func() // counts a refusal
}

// NewLimiter allows n heavy computations at once; n ≤ 0 means one per
// CPU, less one kept for everything else (at least one).
func NewLimiter(n int, wait time.Duration, shed func()) *Limiter {
	if n <= 0 {
		n = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if shed == nil {
		shed = func() {}
	}
	return &Limiter{slots: make(chan struct{}, n), wait: wait, shed: shed}
}

// Acquire takes a slot, waiting at most l.wait; it returns ErrBusy when
// none frees up in time and ctx's error when ctx ends first.
func (l *Limiter) Acquire(ctx context.Context) error {
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
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release frees a slot Acquire took.
func (l *Limiter) Release() { <-l.slots }

// InUse is how many slots are taken.
func (l *Limiter) InUse() int { return len(l.slots) }

// Limited runs compute under l.
func Limited[V any](l *Limiter, compute func(context.Context) (V, error)) func(context.Context) (V, error) {
	return func(ctx context.Context) (V, error) {
		if err := l.Acquire(ctx); err != nil {
			var zero V
			return zero, err
		}
		defer l.Release()
		return compute(ctx)
	}
}
