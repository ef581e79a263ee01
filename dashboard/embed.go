// Package dashboard is shanyu's static front end: the public map (index.html)
// and the API docs page (docs.html), with the front-end libraries that
// `make assets` installs from npm into static/vendor. Everything is embedded
// in the binary, so pages load nothing from any other origin.
package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
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

// contentSecurityPolicy forbids loading anything from another origin: the
// pages work offline, and a test proves it.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"script-src 'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'self'"

// Handler serves the dashboard at /, the API explorer at /docs and the
// reference pages at /docs/{name}.
func Handler() http.Handler {
	files := http.FileServerFS(Static())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.URL.Path == "/docs" || r.URL.Path == "/docs/" {
			http.ServeFileFS(w, r, Static(), "docs.html")
			return
		}
		if name, ok := strings.CutPrefix(r.URL.Path, "/docs/"); ok && !strings.Contains(name, "/") {
			servePage(w, r, name)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// HasVendor reports whether the front-end libraries were installed at build
// time (`make assets`); without them the map and docs pages say so.
func HasVendor() bool {
	_, err := fs.Stat(Static(), "vendor/leaflet/leaflet.js")
	return err == nil
}
