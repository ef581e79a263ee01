package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// TestHeavyAnswersCached: a heavy answer is computed once per snapshot
// and parameters; a reload computes it again.
func TestHeavyAnswersCached(t *testing.T) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(snap, nil)
	h := s.Handler()
	get := func(path string) []byte {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d: %s", path, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	miss := func() float64 { return testutil.ToFloat64(s.metrics.cache.WithLabelValues("miss")) }
	a := get("/api/v1/coverage/accessibility?catchment=800")
	b := get("/api/v1/coverage/accessibility?catchment=800")
	get("/api/v1/coverage/suggestions?slots=40&catchment=800")
	get("/api/v1/coverage/suggestions?slots=40&catchment=800")
	if !bytes.Equal(a, b) || miss() != 2 || testutil.ToFloat64(s.metrics.cache.WithLabelValues("hit")) != 2 {
		t.Errorf("misses %v, equal answers %v", miss(), bytes.Equal(a, b))
	}
	get("/api/v1/coverage/accessibility?catchment=900")
	if miss() != 3 {
		t.Errorf("other parameters: misses %v, want 3", miss())
	}
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	s.Swap(snapshot.New(ds, "reloaded"))
	get("/api/v1/coverage/accessibility?catchment=800")
	if miss() != 4 || s.accessCache.Len() != 1 {
		t.Errorf("after a reload: misses %v, %d entries", miss(), s.accessCache.Len())
	}
}

// TestGoneClientStopsWork: a heavy request whose client has gone (or whose
// deadline has passed) stops computing, is answered 503 (nobody reads
// it), is logged as 499, and leaves nothing in the cache.
func TestGoneClientStopsWork(t *testing.T) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := NewServer(snap, slog.New(slog.NewJSONHandler(&logs, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/coverage/suggestions?slots=4000&catchment=5000", nil).WithContext(ctx))
	if rec.Code != 503 || s.suggestCache.Len() != 0 {
		t.Errorf("gone client: %d, %d cache entries", rec.Code, s.suggestCache.Len())
	}
	var line struct{ Status int }
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		_ = json.Unmarshal([]byte(l), &line)
	}
	if line.Status != 499 {
		t.Errorf("logged %s", logs.String())
	}
}
