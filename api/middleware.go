package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

const (
	requestIDKey ctxKey = iota + 1
	requestURLKey
)

// requestID returns the id the middleware gave this request.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// statusWriter remembers the status and size of a response, and sets the
// validators (ETag, Last-Modified) only on successful answers, so an error
// is never cached as if it were the resource.
type statusWriter struct {
	http.ResponseWriter
	status     int
	bytes      int64
	validators func(h http.Header)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	if code < 300 && w.validators != nil {
		w.validators(w.Header())
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware gives each request an id, pins the current snapshot to it,
// answers conditional GETs, bounds the body, recovers panics and logs one
// line per request.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		snap := s.snap.Load()
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ctx = context.WithValue(ctx, snapKey, snap)
		ctx = context.WithValue(ctx, requestURLKey, r.URL)
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)

		sw := &statusWriter{ResponseWriter: w}
		conditional := snap != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			strings.HasPrefix(r.URL.Path, "/api/")
		if conditional {
			etag := `"` + snap.Version + "-" + Version + `"`
			lm := snap.LastModified()
			sw.validators = func(h http.Header) {
				h.Set("ETag", etag)
				if !lm.IsZero() { // an empty database has no date yet
					h.Set("Last-Modified", lm.UTC().Format(http.TimeFormat))
				}
				h.Set("Cache-Control", "public, no-cache")
			}
			if etagMatch(r.Header.Get("If-None-Match"), etag) {
				sw.validators(w.Header())
				w.WriteHeader(http.StatusNotModified)
				s.logRequest(r, http.StatusNotModified, 0, start)
				return
			}
		}
		defer func() {
			if v := recover(); v != nil {
				s.log.ErrorContext(ctx, "panic", "request_id", id, "panic", v)
				if sw.status == 0 {
					http.Error(sw, "internal error; quote request id "+id, http.StatusInternalServerError)
				}
			}
			s.logRequest(r, sw.status, sw.bytes, start)
		}()
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) logRequest(r *http.Request, status int, bytes int64, start time.Time) {
	if status == 0 {
		status = http.StatusOK
	}
	s.log.LogAttrs(r.Context(), levelFor(status), "request",
		slog.String("request_id", requestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000))
}

// etagMatch implements If-None-Match's weak comparison over a list of tags.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
