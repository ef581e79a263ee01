package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// rawGet fetches path without the client's transparent decompression.
func rawGet(t *testing.T, url, method, encoding string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

// TestCompressedResponses: JSON, GeoJSON and CSV arrive gzip-compressed to
// clients that accept it, decompress to exactly the plain answer, and are
// left plain for clients that do not; the dashboard's precompressed files
// are not compressed twice.
func TestCompressedResponses(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/api/v1/facilities.geojson", "/api/v1/coverage.csv?level=village", "/api/v1/dataset", "/api/v1/facilities?limit=0"} {
		plainRes, plain := rawGet(t, ts.URL+path, http.MethodGet, "")
		if plainRes.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: encoded %q for a client that did not ask", path, plainRes.Header.Get("Content-Encoding"))
		}
		res, body := rawGet(t, ts.URL+path, http.MethodGet, "gzip, deflate, br")
		if res.StatusCode != plainRes.StatusCode {
			t.Errorf("%s: status %d compressed, %d plain", path, res.StatusCode, plainRes.StatusCode)
		}
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Content-Encoding %q, Vary %q", path, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%s: decompressed %d bytes differ from the plain %d (%v)", path, len(got), len(plain), err)
		}
		if len(plain) > 2000 && len(body)*3 > len(plain) {
			t.Errorf("%s: %d bytes compressed to %d", path, len(plain), len(body))
		}
	}
	if res, _ := rawGet(t, ts.URL+"/api/v1/dataset", http.MethodGet, "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("compressed although the client refused gzip")
	}
	res, body := rawGet(t, ts.URL+"/style.css", http.MethodGet, "gzip")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("style.css: %v %q", err, res.Header.Get("Content-Encoding"))
	}
	css, _ := io.ReadAll(zr)
	if !bytes.HasPrefix(css, []byte(":root")) {
		t.Errorf("style.css compressed twice or garbled: %q", css[:min(20, len(css))])
	}
}
