// Package dashboard is shanyu's static front end: the finder (index.html),
// the planners' workbench (planning.html), the scorecard and indicators
// (indicators.html), the data page (data.html), the API explorer (docs.html)
// and the reference pages rendered from docs/ (/docs/{name}), with the
// front-end libraries that `make assets` installs from npm into
// static/vendor. Everything is embedded in the binary, so pages load
// nothing from any other origin unless the operator configures a base map.
package dashboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"shanyu/web"
	"strings"
	"sync"
)

//go:embed all:static
var static embed.FS

// Static returns the dashboard's files.
func Static() fs.FS {
	s, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // static is embedded at compile time
	}
	return s
}

// Config is what an operator can change about the dashboard.
type Config struct {
	// BaseMapURL is an optional XYZ raster tile template
	// (https://host/{z}/{x}/{y}.png, with {s} for subdomains) drawn under
	// the county's own polygons. Empty keeps the pages fully offline.
	BaseMapURL string
	// BaseMapAttribution is the credit the tile operator requires; it is
	// required with BaseMapURL.
	BaseMapAttribution string
}

// Validate says what is wrong with c, if anything.
func (c Config) Validate() error {
	if c.BaseMapURL == "" {
		if c.BaseMapAttribution != "" {
			return fmt.Errorf("base map attribution given without a base map URL")
		}
		return nil
	}
	u, err := url.Parse(strings.NewReplacer("{s}", "a", "{z}", "0", "{x}", "0", "{y}", "0").Replace(c.BaseMapURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("base map URL %q is not an http(s) URL template", c.BaseMapURL)
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(c.BaseMapURL, p) {
			return fmt.Errorf("base map URL %q lacks %s", c.BaseMapURL, p)
		}
	}
	if strings.TrimSpace(c.BaseMapAttribution) == "" {
		return fmt.Errorf("base map URL given without its attribution (the tile operator's credit)")
	}
	return nil
}

// tileSources returns the CSP source expression for the base map's tiles:
// its scheme and host, with every subdomain when the template has {s}.
func (c Config) tileSources() string {
	if c.BaseMapURL == "" {
		return ""
	}
	const sub = "subdomain-placeholder"
	u, err := url.Parse(strings.NewReplacer("{s}", sub, "{z}", "0", "{x}", "0", "{y}", "0").Replace(c.BaseMapURL))
	if err != nil {
		return ""
	}
	host := u.Host
	if i := strings.Index(host, sub); i >= 0 {
		host = "*." + strings.TrimPrefix(host[i+len(sub):], ".")
	}
	return " " + u.Scheme + "://" + host
}

// contentSecurityPolicy forbids loading anything from another origin, except
// the base map's tiles when one is configured: the pages work offline, and a
// test proves it.
func (c Config) contentSecurityPolicy() string {
	return "default-src 'self'; img-src 'self' data: blob:" + c.tileSources() +
		"; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; font-src 'self' data:; " +
		"frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
}

// Handler serves the dashboard with no base map.
func Handler() http.Handler { return New(Config{}) }

// New serves the dashboard at /, the API explorer at /docs, the reference
// pages at /docs/{name} and the pages' configuration at /config.json. Text files are gzip-compressed when the
// client accepts it and carry a content hash as their ETag, so browsers
// revalidate them cheaply.
func New(c Config) http.Handler {
	csp := c.contentSecurityPolicy()
	cfg, _ := json.Marshal(map[string]any{"base_map": map[string]string{
		"url": c.BaseMapURL, "attribution": c.BaseMapAttribution,
	}})
	assets := &assetCache{fsys: Static(), m: map[string]*asset{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		switch {
		case name == "" || name == ".":
			name = "index.html"
		case name == "docs":
			name = "docs.html"
		case strings.HasPrefix(name, "docs/") && !strings.Contains(name[len("docs/"):], "/"):
			servePage(w, r, name[len("docs/"):])
			return
		case name == "config.json":
			h.Set("Content-Type", "application/json")
			h.Set("Cache-Control", "no-cache")
			_, _ = w.Write(cfg)
			return
		case name == "favicon.ico":
			name = "favicon.svg"
		}
		a, err := assets.get(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", a.ctype)
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "public, no-cache")
		if strings.HasPrefix(name, "vendor/") {
			// Library files change only with a new build, whose ETags differ.
			h.Set("Cache-Control", "public, max-age=86400")
		}
		h.Add("Vary", "Accept-Encoding")
		if web.ETagMatch(r.Header.Get("If-None-Match"), a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := a.raw
		if a.gz != nil && web.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body = a.gz
		}
		h.Set("Content-Length", fmt.Sprint(len(body)))
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	})
}

// asset is one embedded file, read and compressed once.
type asset struct {
	raw, gz []byte
	ctype   string
	etag    string
}

type assetCache struct {
	fsys fs.FS
	mu   sync.Mutex
	m    map[string]*asset
}

func (c *assetCache) get(name string) (*asset, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.m[name]; ok {
		return a, nil
	}
	raw, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	a := &asset{raw: raw, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	a.ctype = mime.TypeByExtension(path.Ext(name))
	if a.ctype == "" {
		a.ctype = http.DetectContentType(raw)
	}
	if web.Compressible(a.ctype) && len(raw) > 512 {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(raw)
		_ = zw.Close()
		a.gz = b.Bytes()
	}
	c.m[name] = a
	return a, nil
}

// HasVendor reports whether the front-end libraries were installed at build
// time (`make assets`); without them the map and docs pages say so.
func HasVendor() bool {
	_, err := fs.Stat(Static(), "vendor/leaflet/leaflet.js")
	return err == nil
}
