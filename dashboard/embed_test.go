package dashboard

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    Config
		ok   bool
	}{
		{"offline", Config{}, true},
		{"tiles with credit", Config{BaseMapURL: "https://t{s}.example.org/{z}/{x}/{y}.png", BaseMapAttribution: "© Example"}, true},
		{"no credit", Config{BaseMapURL: "https://tile.example.org/{z}/{x}/{y}.png"}, false},
		{"credit without tiles", Config{BaseMapAttribution: "© Example"}, false},
		{"not http", Config{BaseMapURL: "ftp://tile.example.org/{z}/{x}/{y}.png", BaseMapAttribution: "x"}, false},
		{"no {y}", Config{BaseMapURL: "https://tile.example.org/{z}/{x}.png", BaseMapAttribution: "x"}, false},
		{"no host", Config{BaseMapURL: "https:///{z}/{x}/{y}.png", BaseMapAttribution: "x"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate(%+v) = %v, want ok=%v", tt.c, err, tt.ok)
			}
		})
	}
}

// TestCSPFollowsBaseMap: offline, images come only from the origin; with a
// base map, from its host too (every subdomain when the template has {s}),
// and /config.json tells the pages what to draw.
func TestCSPFollowsBaseMap(t *testing.T) {
	offline := get(t, Handler(), "/")
	csp := offline.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data: blob:;") || strings.Contains(csp, "http") {
		t.Errorf("offline CSP %q allows another origin", csp)
	}
	h := New(Config{BaseMapURL: "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY", BaseMapAttribution: "天地图"})
	res := get(t, h, "/planning.html")
	csp = res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data: blob: https://*.tianditu.gov.cn;") {
		t.Errorf("CSP %q does not allow the base map's tiles", csp)
	}
	if !strings.Contains(csp, "connect-src 'self';") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("CSP %q opens more than images", csp)
	}
	var cfg struct {
		BaseMap struct{ URL, Attribution string } `json:"base_map"`
	}
	if err := json.NewDecoder(get(t, h, "/config.json").Body).Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cfg.BaseMap.URL, "https://t{s}.tianditu.gov.cn/") || cfg.BaseMap.Attribution != "天地图" {
		t.Errorf("config.json = %+v", cfg)
	}
}

// TestCompressedAndCacheable: text files arrive gzip-compressed when asked,
// decompress to the embedded bytes, and revalidate with their ETag.
func TestCompressedAndCacheable(t *testing.T) {
	want, err := fs.ReadFile(Static(), "finder.js")
	if err != nil {
		t.Fatal(err)
	}
	res := get(t, Handler(), "/finder.js", "Accept-Encoding", "gzip, br")
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("finder.js: encoding %q type %q", res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, want) {
		t.Errorf("gunzipped finder.js differs from the embedded file")
	}
	etag := res.Header.Get("ETag")
	if etag == "" || res.Header.Get("Cache-Control") == "" {
		t.Fatalf("no ETag or Cache-Control: %v", res.Header)
	}
	if again := get(t, Handler(), "/finder.js", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation answered %d, want 304", again.StatusCode)
	}
	if plain := get(t, Handler(), "/finder.js"); plain.Header.Get("Content-Encoding") != "" {
		t.Errorf("compressed for a client that did not ask")
	}
	for path, status := range map[string]int{"/": 200, "/docs": 200, "/favicon.ico": 200, "/robots.txt": 200, "/nope.html": 404, "/../embed.go": 404, "/vendor": 404} {
		if got := get(t, Handler(), path).StatusCode; got != status {
			t.Errorf("GET %s = %d, want %d", path, got, status)
		}
	}
}
