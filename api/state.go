package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"shanyu/county"
	"shanyu/snapshot"
)

// reqState is what the middlewares learn about a request and the handlers
// read back: its id, the snapshot pinned to it, its URL, and whether the
// answer depends on today's date (which then enters the ETag).
type reqState struct {
	id    string
	snap  *snapshot.Snapshot
	url   *url.URL
	start time.Time
	today county.Date // set by a handler whose answer depends on today
}

type ctxKey int

const stateKey ctxKey = 0

// withState attaches a fresh state to r.
func withState(r *http.Request) (*http.Request, *reqState) {
	st := &reqState{url: r.URL, start: time.Now()}
	return r.WithContext(context.WithValue(r.Context(), stateKey, st)), st
}

func state(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey).(*reqState)
	return st
}

// requestID returns the id the middleware gave this request.
func requestID(ctx context.Context) string {
	if st := state(ctx); st != nil {
		return st.id
	}
	return ""
}

// pinned returns the snapshot pinned to this request, or nil.
func pinned(ctx context.Context) *snapshot.Snapshot {
	if st := state(ctx); st != nil {
		return st.snap
	}
	return nil
}

// requestURL returns the URL the client asked for.
func requestURL(ctx context.Context) *url.URL {
	if st := state(ctx); st != nil {
		return st.url
	}
	return nil
}

// usesToday records that the answer depends on today's date d (China
// Standard Time), so that its ETag changes at midnight.
func usesToday(ctx context.Context, d county.Date) {
	if st := state(ctx); st != nil {
		st.today = d
	}
}

// pinSnapshot pins the current snapshot to each request, so that a handler
// reads one version of the data even while a newer one is swapped in, and
// bounds the request's work with a deadline.
func (s *Server) pinSnapshot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r.Context())
		if st == nil {
			r, st = withState(r)
		}
		st.snap = s.snap.Load()
		ctx, cancel := context.WithTimeout(r.Context(), RequestDeadline)
		defer cancel()
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}
