package api_test

import (
	"bytes"
	"strings"
	"testing"
)

// TestStaticFiles: the dashboard's files come with a strong ETag and
// Cache-Control, answer If-None-Match with 304, are sent precompressed
// when the client accepts it, and no directory is ever listed.
func TestStaticFiles(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/docs", "/docs.js", "/app.js", "/style.css", "/planning.html"} {
		plain := raw(t, ts, "GET", path)
		etag := plain.header.Get("ETag")
		if plain.status != 200 || !strings.HasPrefix(etag, `"`) || plain.header.Get("Cache-Control") != "public, no-cache" {
			t.Fatalf("GET %s = %d, ETag %q, Cache-Control %q", path, plain.status, etag, plain.header.Get("Cache-Control"))
		}
		if r := raw(t, ts, "GET", path, "If-None-Match", etag); r.status != 304 || len(r.body) != 0 {
			t.Errorf("GET %s If-None-Match = %d", path, r.status)
		}
		if len(plain.body) < 1024 {
			continue // too small to be worth compressing
		}
		for _, enc := range []string{"br", "gzip"} {
			r := raw(t, ts, "GET", path, "Accept-Encoding", enc)
			if r.header.Get("Content-Encoding") != enc || !bytes.Equal(decompress(t, enc, r.body), plain.body) {
				t.Errorf("GET %s %s: Content-Encoding %q", path, enc, r.header.Get("Content-Encoding"))
			}
			if e := r.header.Get("ETag"); e == etag || !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s %s: ETag %s (identity %s), Vary %q", path, enc, e, etag, r.header.Get("Vary"))
			}
			if again := raw(t, ts, "GET", path, "Accept-Encoding", enc, "If-None-Match", r.header.Get("ETag")); again.status != 304 {
				t.Errorf("GET %s %s revalidation = %d", path, enc, again.status)
			}
		}
	}
	for _, path := range []string{"/vendor/", "/vendor", "/vendor/leaflet/", "/../embed.go", "/static/app.js", "/.installed"} {
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
