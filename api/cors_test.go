package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func request(t *testing.T, method, url string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestCORS(t *testing.T) {
	ts := newTestServer(t)
	origin := "https://news.example"

	// Public data is readable from any origin with GET and HEAD, 304 and
	// problems included, and the validators and links are exposed.
	for _, c := range []struct {
		method, path string
		header       []string
		status       int
	}{
		{"GET", "/api/v1/facilities?limit=1", nil, 200},
		{"HEAD", "/api/v1/facilities.csv", nil, 200},
		{"GET", "/ogc/collections", nil, 200},
		{"GET", "/openapi.json", nil, 200},
		{"GET", "/api/v1/facilities?bbox=1,2", nil, 422},
		{"GET", "/api/v1/dataset", []string{"If-None-Match", get(t, ts, "/api/v1/dataset").header.Get("ETag")}, 304},
	} {
		res := request(t, c.method, ts.URL+c.path, append([]string{"Origin", origin}, c.header...)...)
		if res.StatusCode != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, res.StatusCode, c.status)
		}
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s %s: Access-Control-Allow-Origin %q, want *", c.method, c.path, res.Header.Get("Access-Control-Allow-Origin"))
		}
		if exp := res.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(exp, "ETag") || !strings.Contains(exp, "Link") {
			t.Errorf("%s %s: exposes %q", c.method, c.path, exp)
		}
		if res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s %s: allows credentials", c.method, c.path)
		}
	}

	// The same answer without Origin, so a shared cache can keep one copy.
	if res := request(t, "GET", ts.URL+"/api/v1/dataset"); res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("a GET without Origin lacks Access-Control-Allow-Origin: a cache would serve it to other origins")
	}

	// A preflight for GET with a conditional header is granted.
	res := request(t, "OPTIONS", ts.URL+"/api/v1/facilities", "Origin", origin,
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match, x-request-id")
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "GET") ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "If-None-Match") {
		t.Errorf("GET preflight: %d %v", res.StatusCode, res.Header)
	}

	// Everything else is closed: preflights for writes or unusual headers
	// are refused with a problem, and no other answer carries CORS headers.
	for _, h := range [][]string{
		{"Access-Control-Request-Method", "POST"},
		{"Access-Control-Request-Method", "DELETE"},
		{"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "Authorization"},
	} {
		res := request(t, "OPTIONS", ts.URL+"/api/v1/facilities", append([]string{"Origin", origin}, h...)...)
		if res.StatusCode != 403 || res.Header.Get("Access-Control-Allow-Origin") != "" ||
			res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("preflight %v: %d %v", h, res.StatusCode, res.Header)
		}
	}
	for _, c := range []struct{ method, path string }{
		{"POST", "/api/v1/facilities"},
		{"DELETE", "/api/v1/dataset"},
		{"GET", "/metrics"},
	} {
		res := request(t, c.method, ts.URL+c.path, "Origin", origin)
		if res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s %s from another origin carries Access-Control-Allow-Origin", c.method, c.path)
		}
		if c.method != "GET" && res.StatusCode < 400 {
			t.Errorf("%s %s: %d", c.method, c.path, res.StatusCode)
		}
	}
}
