package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func decompress(t testing.TB, encoding string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	default:
		return b
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", encoding, err)
	}
	return out
}

// TestCompressionNegotiated: JSON, CSV, GeoJSON and problems are sent
// brotli- or gzip-compressed as the client prefers, decode to exactly the
// identity bytes, say Vary: Accept-Encoding, and carry an ETag of their own
// that still answers a conditional GET.
func TestCompressionNegotiated(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/api/v1/facilities?limit=100&open_on=any", "/api/v1/facilities.csv?open_on=any",
		"/api/v1/facilities.geojson?open_on=any", "/api/v1/coverage.geojson", "/openapi.json"} {
		plain := raw(t, ts, "GET", path)
		if plain.status != 200 || plain.header.Get("Content-Encoding") != "" {
			t.Fatalf("GET %s identity = %d %q", path, plain.status, plain.header.Get("Content-Encoding"))
		}
		for _, tt := range []struct{ accept, want string }{
			{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0.5, gzip", "gzip"}, {"br;q=0, gzip;q=0", ""},
			{"identity", ""}, {"*", "br"},
		} {
			r := raw(t, ts, "GET", path, "Accept-Encoding", tt.accept)
			if got := r.header.Get("Content-Encoding"); got != tt.want {
				t.Errorf("GET %s Accept-Encoding %q: Content-Encoding %q, want %q", path, tt.accept, got, tt.want)
				continue
			}
			if !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s: no Vary: Accept-Encoding", path)
			}
			if body := decompress(t, tt.want, r.body); !bytes.Equal(body, plain.body) {
				t.Errorf("GET %s %s: decodes to %d bytes, identity is %d", path, tt.want, len(body), len(plain.body))
			}
			if tt.want != "" && len(r.body)*3 > len(plain.body) {
				t.Errorf("GET %s %s: %d bytes from %d", path, tt.want, len(r.body), len(plain.body))
			}
			etag := r.header.Get("ETag")
			if path == "/openapi.json" {
				continue
			}
			if tt.want != "" && etag == plain.header.Get("ETag") {
				t.Errorf("GET %s %s: same ETag %s as the identity bytes", path, tt.want, etag)
			}
			if again := raw(t, ts, "GET", path, "Accept-Encoding", tt.accept, "If-None-Match", etag); again.status != 304 ||
				again.header.Get("ETag") != etag || len(again.body) != 0 {
				t.Errorf("GET %s %s If-None-Match %s = %d ETag %s", path, tt.want, etag, again.status, again.header.Get("ETag"))
			}
		}
	}
	// A problem is compressed too; HEAD sends no body.
	p := raw(t, ts, "GET", "/api/v1/facilities?limt="+strings.Repeat("x", 2000), "Accept-Encoding", "gzip")
	if p.status != 422 || p.header.Get("Content-Encoding") != "gzip" || !bytes.Contains(decompress(t, "gzip", p.body), []byte("limt")) {
		t.Errorf("problem: %d %q", p.status, p.header.Get("Content-Encoding"))
	}
	if h := raw(t, ts, "HEAD", "/api/v1/facilities.geojson", "Accept-Encoding", "br"); h.status != 200 || len(h.body) != 0 {
		t.Errorf("HEAD: %d, %d bytes", h.status, len(h.body))
	}
	// The dashboard's files, compressed already, are not compressed twice.
	css := raw(t, ts, "GET", "/style.css", "Accept-Encoding", "gzip, br")
	if enc := css.header.Get("Content-Encoding"); enc != "gzip" || !bytes.HasPrefix(decompress(t, enc, css.body), []byte(":root")) {
		t.Errorf("style.css: Content-Encoding %q, or compressed twice", enc)
	}
}
