package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"shanyu/web"
	"time"
)

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logAndRecover writes one log line per request, after it is answered, and
// turns a panic into a 500 problem that quotes the request id (the panic
// itself goes to the log, never to the client). A request whose client
// left before the answer is logged with status 499.
func (s *Server) logAndRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", requestID(r.Context()), "panic", fmt.Sprint(v))
				if sw.status == 0 {
					web.WriteProblem(sw, http.StatusInternalServerError,
						"internal error; quote request id "+requestID(r.Context())+" when reporting it")
				}
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			if r.Context().Err() != nil {
				status = 499 // the client closed the connection first
			}
			s.logRequest(r, status, sw.bytes, start)
		}()
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) logRequest(r *http.Request, status int, bytes int64, start time.Time) {
	s.log.LogAttrs(r.Context(), levelFor(status), "request",
		slog.String("request_id", requestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Float64("latency_ms", float64(time.Since(start).Microseconds())/1000))
}

// levelFor logs server errors as errors, except 503: the documented answer
// of a busy or still-loading server, a warning.
func levelFor(status int) slog.Level {
	if status == http.StatusServiceUnavailable || status == 499 {
		return slog.LevelWarn
	}
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}
