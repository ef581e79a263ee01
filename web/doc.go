// Package web is the HTTP plumbing the API stands on, none of which knows
// the data: problem documents (RFC 9457) for errors outside Huma, security
// headers and the header-size limit, CORS for the public data, compression
// (gzip and brotli, streamed) and ETag matching across encodings, a strict
// check of each operation's query parameters, a limit on concurrent heavy
// computations, a bounded cache that computes each answer once, and the
// HTTP server with its connection cap.
//
// Each middleware is a func(http.Handler) http.Handler (or a Huma operation
// middleware) in a file of its own; package api chains them.
package web
