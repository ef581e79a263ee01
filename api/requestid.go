package api

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// maxRequestIDLength bounds a client's X-Request-Id.
const maxRequestIDLength = 64

// validRequestID reports whether a client's request id may be echoed and
// logged as it is: 1 to 64 characters among letters, digits and - _ . : so
// that it can neither forge log lines nor carry markup or control bytes.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 16 random hex digits.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// withRequestID gives each request an id: the client's X-Request-Id when it
// is valid, a new random one otherwise. The id is echoed in the response,
// logged, and quoted in 500 problems.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		st := state(r.Context())
		if st == nil {
			r, st = withState(r)
		}
		st.id = id
		next.ServeHTTP(w, r)
	})
}
