package api

import (
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// heavy marks an operation whose cost grows with its parameters (see the
// maxima in its input): it runs under the server's concurrency limit.
var heavy = map[string]any{"heavy": true}

// HeavyQueueWait is how long a heavy request waits for a free slot before
// it is answered 503 with Retry-After.
const HeavyQueueWait = 250 * time.Millisecond

// limiter bounds how many heavy operations compute at once, so that a
// burst of expensive requests cannot starve the cheap ones (or /healthz)
// of CPU. A request that finds no free slot within HeavyQueueWait gets a
// 503 problem with Retry-After: 1, and costs nothing more.
type limiter struct {
	slots chan struct{}
	wait  time.Duration
}

// newLimiter allows n heavy operations at once; n ≤ 0 means one per CPU,
// less one kept for everything else (at least one).
func newLimiter(n int, wait time.Duration) *limiter {
	if n <= 0 {
		n = max(1, runtime.GOMAXPROCS(0)-1)
	}
	return &limiter{slots: make(chan struct{}, n), wait: wait}
}

// acquire takes a slot, waiting at most l.wait or until done closes.
func (l *limiter) acquire(done <-chan struct{}) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(l.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-done:
		return false
	}
}

func (l *limiter) release() { <-l.slots }

// middleware applies the limit to operations marked heavy.
func (l *limiter) middleware(api huma.API, m *metrics) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if ctx.Operation().Metadata["heavy"] != true {
			next(ctx)
			return
		}
		if !l.acquire(ctx.Context().Done()) {
			m.shed.WithLabelValues(ctx.Operation().OperationID).Inc()
			ctx.SetHeader("Retry-After", strconv.Itoa(1))
			_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable,
				"the server is busy with other heavy requests; try again in a second")
			return
		}
		defer l.release()
		next(ctx)
	}
}
