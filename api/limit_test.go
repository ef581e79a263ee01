package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"shanyu/data/sample"
	"shanyu/source/bundle"
	"shanyu/web"
)

// TestHeavyLimit: while every heavy slot is taken, a heavy request that
// needs a computation waits at most the limiter's wait and is answered 503
// with Retry-After and a problem; cheap requests and answers already
// cached are not limited; a freed slot serves again.
func TestHeavyLimit(t *testing.T) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(snap, nil)
	s.limit = web.NewLimiter(1, 20*time.Millisecond, nil)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	if res, err := http.Get(ts.URL + "/api/v1/coverage/accessibility?catchment=700"); err != nil || res.StatusCode != 200 {
		t.Fatalf("before: %v %v", res.StatusCode, err)
	}
	if err := s.limit.Acquire(context.Background()); err != nil { // a heavy request is computing
		t.Fatal(err)
	}

	for _, path := range []string{"/api/v1/coverage/accessibility", "/api/v1/coverage/suggestions?slots=10"} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Status int
			Detail string
		}
		_ = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if res.StatusCode != 503 || res.Header.Get("Retry-After") != "1" || p.Status != 503 ||
			res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(p.Detail, "busy") {
			t.Errorf("GET %s while full = %d, Retry-After %q, %+v", path, res.StatusCode, res.Header.Get("Retry-After"), p)
		}
	}
	for _, path := range []string{"/healthz", "/api/v1/coverage", "/api/v1/facilities?limit=1", "/api/v1/coverage/accessibility?catchment=700"} {
		if res, err := http.Get(ts.URL + path); err != nil || res.StatusCode != 200 {
			t.Errorf("cheap GET %s while heavy is full: %v %v", path, res.StatusCode, err)
		}
	}
	s.limit.Release()
	if res, err := http.Get(ts.URL + "/api/v1/coverage/accessibility"); err != nil || res.StatusCode != 200 {
		t.Errorf("after release: %v %v", res.StatusCode, err)
	}
	if got := s.limit.InUse(); got != 0 {
		t.Errorf("%d slots still taken after the requests", got)
	}
}
