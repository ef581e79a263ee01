package api_test

import (
	"bytes"
	"strings"
	"testing"
)

// TestStaticFiles: through the whole service, the dashboard's files come
// with a strong ETag and Cache-Control, answer If-None-Match with 304, are
// sent compressed when the client accepts it and not compressed twice, and
// no directory is ever listed.
func TestStaticFiles(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/docs", "/style.css", "/planning.html"} {
		plain := raw(t, ts, "GET", path)
		etag := plain.header.Get("ETag")
		if plain.status != 200 || !strings.HasPrefix(etag, `"`) || plain.header.Get("Cache-Control") == "" {
			t.Fatalf("GET %s = %d, ETag %q, Cache-Control %q", path, plain.status, etag, plain.header.Get("Cache-Control"))
		}
		if r := raw(t, ts, "GET", path, "If-None-Match", etag); r.status != 304 || len(r.body) != 0 {
			t.Errorf("GET %s If-None-Match = %d", path, r.status)
		}
		if len(plain.body) < 1024 {
			continue
		}
		r := raw(t, ts, "GET", path, "Accept-Encoding", "gzip")
		if r.header.Get("Content-Encoding") != "gzip" || !bytes.Equal(decompress(t, "gzip", r.body), plain.body) {
			t.Errorf("GET %s gzip: Content-Encoding %q, or not the plain bytes once decompressed", path, r.header.Get("Content-Encoding"))
		}
	}
	for _, path := range []string{"/vendor/", "/vendor", "/vendor/leaflet/", "/../embed.go", "/static/style.css", "/.installed"} {
		r := raw(t, ts, "GET", path)
		if r.status != 404 || bytes.Contains(r.body, []byte("<a href")) {
			t.Errorf("GET %s = %d: %.80s", path, r.status, r.body)
		}
	}
}

// TestReferencePagesRouted: the rendered reference pages under /docs/ are
// served (with the CSP), next to the API explorer at /docs.
func TestReferencePagesRouted(t *testing.T) {
	ts := newTestServer(t)
	r := raw(t, ts, "GET", "/docs/api")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("GET /docs/api = %d %q", r.status, r.header.Get("Content-Type"))
	}
}
