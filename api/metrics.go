package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"shanyu/snapshot"
)

// metrics are the Prometheus series the service exports at /metrics. Each
// Server has its own registry, so tests can run many servers at once.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	snapshot   *prometheus.GaugeVec
	facilities prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shanyu_http_requests_total", Help: "API requests by operation and status code.",
		}, []string{"operation", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shanyu_http_request_duration_seconds", Help: "API request latency by operation.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
		snapshot: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "shanyu_snapshot_info", Help: "The dataset version being served (value 1) and when it was loaded.",
		}, []string{"version"}),
		facilities: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shanyu_snapshot_facilities", Help: "Facilities in the snapshot being served.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.snapshot, m.facilities,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) snapshotLoaded(s *snapshot.Snapshot) {
	m.snapshot.Reset()
	m.snapshot.WithLabelValues(s.Version).Set(1)
	c := s.Counts()
	m.facilities.Set(float64(c.Childcare + c.NursingRooms))
}

// humaMiddleware counts and times each operation by its id, a label of
// bounded cardinality (raw paths are not: every facility id is one).
func (m *metrics) humaMiddleware(ctx huma.Context, next func(huma.Context)) {
	start := time.Now()
	next(ctx)
	op := ctx.Operation().OperationID
	status := ctx.Status()
	if status == 0 {
		status = http.StatusOK
	}
	m.requests.WithLabelValues(op, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
