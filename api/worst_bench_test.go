package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"shanyu/api"
	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// worstRequests are the most expensive requests the parameter maxima
// allow, one per heavy operation. Each runs on a fresh server so no cache
// helps: this is the cost of the first such request after a reload.
var worstRequests = map[string]string{
	"suggestions":   "/api/v1/coverage/suggestions?slots=20000&centre_size=40&catchment=5000&level=village",
	"accessibility": "/api/v1/coverage/accessibility?catchment=5000&level=village",
	"coverage":      "/api/v1/coverage.geojson?level=village",
	"facilities":    "/api/v1/facilities.geojson?open_on=any",
}

// BenchmarkWorstRequest measures each heavy operation's worst request,
// uncached (the first such request after a reload: a new snapshot and
// server each time, made outside the timer) and cached. Besides wall time
// it reports cpu-ms/op, the process's CPU time per request (user and
// system, GC included), which other load on the machine inflates less.
func BenchmarkWorstRequest(b *testing.B) {
	snap := sampleSnapshot(b)
	for name, path := range worstRequests {
		b.Run(name+"/uncached", func(b *testing.B) {
			var cpu time.Duration
			defer func() { b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op") }()
			for range b.N {
				b.StopTimer()
				ds, err := bundle.Read(sample.Bundle())
				if err != nil {
					b.Fatal(err)
				}
				h := api.NewServer(snapshot.New(ds, "bench"), nil).Handler()
				b.StartTimer()
				c0 := cpuTime()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				cpu += cpuTime() - c0
				if rec.Code != 200 {
					b.Fatalf("%s = %d: %s", path, rec.Code, rec.Body)
				}
			}
		})
		b.Run(name+"/cached", func(b *testing.B) {
			h := api.NewServer(snap, nil).Handler()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil)) // fill the cache
			c0 := cpuTime()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s = %d: %s", path, rec.Code, rec.Body)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
