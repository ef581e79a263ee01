package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRouterErrorsAreProblems: under /api, paths no operation serves and
// methods an operation does not take are problems, not plain text.
func TestRouterErrorsAreProblems(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct {
		method, path string
		status       int
		says         string
		allow        string // with 405: a method the Allow header must name
	}{
		{"GET", "/api/v1/nope", 404, "nothing is at /api/v1/nope", ""},
		{"GET", "/api/", 404, "openapi.json", ""},
		{"POST", "/api/v1/facilities", 405, "POST is not allowed", "GET"},
		{"DELETE", "/api/v1/facilities/CC0001", 405, "allowed: GET", "GET"},
		// The calculator takes a body: a GET is the wrong method, not a missing page.
		{"GET", "/api/v1/benefits", 405, "allowed: POST", "POST"},
	} {
		r := raw(t, ts, tt.method, tt.path)
		if r.status != tt.status || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s = %d %s: %s", tt.method, tt.path, r.status, r.header.Get("Content-Type"), r.body)
			continue
		}
		var p struct {
			Status int
			Detail string
		}
		if err := json.Unmarshal(r.body, &p); err != nil || p.Status != tt.status || !strings.Contains(p.Detail, tt.says) {
			t.Errorf("%s %s: problem %s does not say %q (%v)", tt.method, tt.path, r.body, tt.says, err)
		}
		if tt.status == 405 && !strings.Contains(r.header.Get("Allow"), tt.allow) {
			t.Errorf("%s %s: Allow %q", tt.method, tt.path, r.header.Get("Allow"))
		}
	}
	// Outside /api the dashboard's 404 stays a page answer.
	if r := raw(t, ts, "GET", "/nope"); r.status != 404 {
		t.Errorf("GET /nope = %d", r.status)
	}
}
