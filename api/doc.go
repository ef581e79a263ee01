// Package api is shanyu's HTTP service: the Huma operations under /api/v1,
// the OpenAPI document, the embedded dashboard and docs pages, /metrics and
// the probes, behind a stack of small middlewares, one concern each.
//
// A request goes through, outermost first (see Server.Handler):
//
//   - requestid.go: a sanitised X-Request-Id, echoed and put in the context;
//   - logging.go: one log line per request, and a panic becomes a 500 problem;
//   - cors.go: public GET and HEAD readable from any origin;
//   - headers.go: X-Content-Type-Options and Referrer-Policy on every
//     response, and a 431 problem for oversized headers;
//   - compress.go: gzip or brotli, negotiated, for JSON, CSV and GeoJSON;
//   - conditional.go: ETag and Last-Modified on 200 answers under /api, and
//     304 only where the handler answered 200 with that validator;
//   - problems.go: 404 and 405 outside Huma's operations become problems;
//   - the snapshot pinned to the request (state.go): every handler reads one
//     consistent version of the data even while a new one is swapped in;
//   - versions.go: the Dataset-Version header.
//
// Inside Huma, operation middlewares check strict inputs (strict.go:
// unknown, repeated or non-finite query parameters) and count requests
// (metrics.go). The handlers are thin: withData pins the snapshot or
// answers 503; they take typed inputs (params.go), call the snapshot or
// the bounded model cache (cache.go), whose computations run under a
// concurrency limit (limit.go), and encode (encode.go: one FeatureCollection
// encoder, one BOM-CSV writer). Connection limits and server timeouts are in
// connections.go; the dashboard's files are package dashboard's. Every
// error a client sees is an RFC 9457 problem document saying what to fix.
package api
