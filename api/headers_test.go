package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestSecurityHeadersEverywhere: every kind of answer — pages, static
// files, API data, problems, 404s, 405s, metrics — says nosniff and a
// referrer policy (no-referrer; the dashboard's pages same-origin); HTML
// pages carry the same-origin CSP.
func TestSecurityHeadersEverywhere(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/docs"}, {"GET", "/planning.html"}, {"GET", "/finder.js"}, {"GET", "/api/v1/dataset"},
		{"GET", "/api/v1/facilities?limit=abc"}, {"GET", "/api/v1/nope"}, {"POST", "/api/v1/dataset"},
		{"GET", "/nope"}, {"GET", "/metrics"}, {"GET", "/openapi.json"}, {"GET", "/healthz"},
	} {
		r := raw(t, ts, tt.method, tt.path)
		if rp := r.header.Get("Referrer-Policy"); r.header.Get("X-Content-Type-Options") != "nosniff" || (rp != "no-referrer" && rp != "same-origin") {
			t.Errorf("%s %s (%d): X-Content-Type-Options %q, Referrer-Policy %q", tt.method, tt.path, r.status,
				r.header.Get("X-Content-Type-Options"), r.header.Get("Referrer-Policy"))
		}
		if strings.HasPrefix(r.header.Get("Content-Type"), "text/html") &&
			!strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s %s is HTML without the CSP", tt.method, tt.path)
		}
	}
}

// TestOversizedHeadersAreAProblem: headers over 32 KiB get a 431 problem
// (the server's own, larger limit is the last resort).
func TestOversizedHeadersAreAProblem(t *testing.T) {
	ts := newTestServer(t)
	r := raw(t, ts, "GET", "/api/v1/dataset", "Cookie", strings.Repeat("a", 40<<10))
	if r.status != http.StatusRequestHeaderFieldsTooLarge || r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("40 KiB cookie: %d %s", r.status, r.header.Get("Content-Type"))
	}
	var p struct{ Status int }
	if err := json.Unmarshal(r.body, &p); err != nil || p.Status != 431 {
		t.Errorf("problem %s: %v", r.body, err)
	}
	if r := raw(t, ts, "GET", "/api/v1/dataset", "Cookie", strings.Repeat("a", 20<<10)); r.status != 200 {
		t.Errorf("20 KiB cookie: %d", r.status)
	}
}
