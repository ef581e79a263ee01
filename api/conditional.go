package api

import (
	"net/http"
	"shanyu/county"
	"shanyu/web"
	"strings"
	"time"
)

// conditional gives successful answers under /api their validators and
// answers conditional GETs. It decides when the handler writes its status,
// after routing, validation and the handler itself, so a 304 is only ever
// sent where the handler answered 200 with that very ETag: an invalid
// query stays a 422, an unknown id a 404, and "If-None-Match: *" matches
// only a resource that exists.
//
// The ETag is the dataset version and the API version, plus today's date
// (China Standard Time) when the answer depends on it; Last-Modified is
// when the dataset was generated, or the start of today for answers that
// depend on it. If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
func conditional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&conditionalWriter{ResponseWriter: w, r: r}, r)
	})
}

// conditionalWriter sets the validators on a 200 and turns it into a 304
// when the request's preconditions say the client has those bytes.
type conditionalWriter struct {
	http.ResponseWriter
	r           *http.Request
	wrote       bool
	notModified bool
}

func (w *conditionalWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	if code >= 200 {
		w.wrote = true
	}
	st := state(w.r.Context())
	if code != http.StatusOK || st == nil || st.snap == nil {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	etag, modified := validators(st)
	h := w.Header()
	h.Set("ETag", etag)
	if !modified.IsZero() { // an empty database has no date yet
		h.Set("Last-Modified", modified.Format(http.TimeFormat))
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "public, no-cache")
	}
	if notModified(w.r, etag, modified) {
		w.notModified = true
		for _, k := range []string{"Content-Length", "Content-Disposition", "Link"} {
			h.Del(k)
		}
		w.ResponseWriter.WriteHeader(http.StatusNotModified)
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *conditionalWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.notModified {
		return len(b), nil // the client has these bytes
	}
	return w.ResponseWriter.Write(b)
}

func (w *conditionalWriter) Flush() {
	if !w.notModified {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *conditionalWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// validators returns the ETag and Last-Modified of an answer from st's
// snapshot.
func validators(st *reqState) (string, time.Time) {
	etag := st.snap.Version + "-" + Version
	modified := st.snap.LastModified()
	if !modified.IsZero() {
		modified = modified.UTC().Truncate(time.Second)
	}
	if st.today != "" {
		etag += "-" + string(st.today)
		if day, err := time.ParseInLocation(time.DateOnly, string(st.today), county.ChinaTime); err == nil && day.After(modified) {
			modified = day.UTC()
		}
	}
	return `"` + etag + `"`, modified
}

// notModified evaluates If-None-Match, or If-Modified-Since when there is
// no If-None-Match.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return web.ETagMatch(inm, etag)
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.After(t)
	}
	return false
}
