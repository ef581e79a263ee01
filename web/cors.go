package web

import (
	"net/http"
	"strings"
)

// CORS: the public data may be read from a page on any origin (a newsroom's
// chart, a planner's web map), with GET and HEAD only and no credentials.
// Every other method is closed to other origins: a preflight for it is
// refused and no answer carries CORS headers.

// corsPublic are the path prefixes of the public data.
var corsPublic = []string{"/api/", "/ogc", "/tiles/", "/openapi"}

// corsHeaders are the request headers a cross-origin reader may send
// beyond the CORS-safelisted ones: validators for conditional GETs and a
// request id to quote.
var corsHeaders = []string{"If-None-Match", "If-Modified-Since", "X-Request-Id"}

// corsExposed are the response headers a cross-origin reader may see.
const corsExposed = "ETag, Last-Modified, Link, Content-Disposition, X-Request-Id, Dataset-Version"

func corsPath(path string) bool {
	for _, p := range corsPublic {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// CORS answers preflights and marks public GET and HEAD answers readable
// from any origin. It wraps the whole handler, so 304s and errors carry the
// headers too (a browser needs them to read a problem).
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !corsPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != "" {
			preflight(w, r)
			return
		}
		// Set whether or not the request names an origin: the answer is
		// the same for every origin, so a shared cache may keep one copy.
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", corsExposed)
		}
		next.ServeHTTP(w, r)
	})
}

// preflight answers a CORS preflight: 204 with the grant for GET and HEAD
// and safe headers, 403 with a problem for anything else.
func preflight(w http.ResponseWriter, r *http.Request) {
	method := r.Header.Get("Access-Control-Request-Method")
	if method != http.MethodGet && method != http.MethodHead {
		WriteProblem(w, http.StatusForbidden, "other origins may only read this API with GET or HEAD, not "+method)
		return
	}
	for _, h := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if !corsSafeHeader(h) {
			WriteProblem(w, http.StatusForbidden, "other origins may not send the header "+h+"; they may send "+
				strings.Join(corsHeaders, ", ")+" and the CORS-safelisted headers")
			return
		}
	}
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Allow-Methods", "GET, HEAD")
	hd.Set("Access-Control-Allow-Headers", strings.Join(corsHeaders, ", "))
	hd.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// corsSafeHeader reports whether a preflight may ask for header h.
func corsSafeHeader(h string) bool {
	for _, ok := range append([]string{"Accept", "Accept-Language", "Content-Language"}, corsHeaders...) {
		if strings.EqualFold(h, ok) {
			return true
		}
	}
	return false
}
