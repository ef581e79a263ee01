package api_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"shanyu/api"
)

// discard is a ResponseWriter that keeps nothing but the status, so a
// benchmark measures the service and not a recorder's buffer.
type discard struct {
	h      http.Header
	status int
	n      int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) WriteHeader(code int)        { d.status = code }
func (d *discard) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }

// BenchmarkNearest10 is one nearest-10 search of the sample county through
// the whole handler (middleware, Huma, the query, the answer's bytes), in
// process: no sockets. The points are random over the county, seeded.
func BenchmarkNearest10(b *testing.B) {
	h := api.NewServer(sampleSnapshot(b), nil).Handler()
	r := rand.New(rand.NewPCG(9, 9))
	reqs := make([]*http.Request, 256)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/facilities?near=%.5f,%.5f&limit=10",
			118.9+r.Float64()*0.4, 27.45+r.Float64()*0.35), nil)
	}
	w := &discard{h: http.Header{}}
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		clear(w.h)
		w.status = 0
		h.ServeHTTP(w, reqs[i%len(reqs)])
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
		i++
	}
	// On a shared machine wall time per request includes waiting for a
	// core; the CPU time the process spent (GC included) does not.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(i), "cpu-ns/op")
	b.ReportMetric(float64(w.n)/float64(i), "B/answer")
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
