package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// WriteProblem answers with an RFC 9457 problem document of status, in the
// same shape as Huma's errors.
func WriteProblem(w http.ResponseWriter, status int, detail string, errs ...error) {
	b, _ := json.Marshal(huma.NewError(status, detail, errs...))
	h := w.Header()
	h.Del("Content-Encoding")
	h.Del("Content-Disposition")
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// APIProblems makes the router's own answers under /api problems too: a
// path no operation serves is a 404 problem, a method an operation does not
// take a 405 problem with its Allow header. Huma's answers, already
// problems, pass through.
func APIProblems(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&problemWriter{ResponseWriter: w, r: r}, r)
	})
}

// problemWriter replaces a plain-text 404 or 405 by a problem.
type problemWriter struct {
	http.ResponseWriter
	r        *http.Request
	replaced bool
	wrote    bool
}

func (w *problemWriter) WriteHeader(code int) {
	if w.wrote || w.replaced {
		return
	}
	if code == http.StatusNotFound || code == http.StatusMethodNotAllowed {
		if ct := w.Header().Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "text/plain") {
			w.replaced = true
			if code == http.StatusNotFound {
				WriteProblem(w.ResponseWriter, code, "nothing is at "+w.r.URL.Path+
					"; the operations are listed in /openapi.json and on /docs")
			} else {
				WriteProblem(w.ResponseWriter, code, w.r.Method+" is not allowed on "+w.r.URL.Path+
					"; allowed: "+w.Header().Get("Allow"))
			}
			return
		}
	}
	if code >= 200 {
		w.wrote = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *problemWriter) Write(b []byte) (int, error) {
	if !w.wrote && !w.replaced {
		w.WriteHeader(http.StatusOK)
	}
	if w.replaced {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *problemWriter) Flush() {
	if !w.replaced {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *problemWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
