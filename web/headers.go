package web

import "net/http"

// MaxHeaderBytes bounds a request's header fields (names and values). The
// server's own limit (http.Server.MaxHeaderBytes, set higher) cuts the
// connection with a plain-text 431; this one answers with a problem.
const MaxHeaderBytes = 32 << 10

// ReferrerPolicy keeps page addresses (which may carry a location) out of
// the Referer header sent to other sites, such as the map's directions links.
const ReferrerPolicy = "no-referrer"

// SecurityHeaders sets X-Content-Type-Options and Referrer-Policy on every
// response, errors included, and answers requests with oversized headers
// with a 431 problem.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", ReferrerPolicy)
		if headerBytes(r) > MaxHeaderBytes {
			WriteProblem(w, http.StatusRequestHeaderFieldsTooLarge,
				"the request's header fields exceed 32 KiB; send fewer or shorter headers (cookies?)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerBytes is the size of r's header fields as sent: name, ": ", value
// and CRLF for each, plus the request line's target.
func headerBytes(r *http.Request) int {
	n := len(r.RequestURI)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
