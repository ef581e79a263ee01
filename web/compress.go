package web

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Compression levels for answers compressed on the fly: fast levels, since
// the bytes are streamed as the handler writes them. Static files are
// compressed once at the highest levels instead (package dashboard).
const (
	gzipLevel   = gzip.DefaultCompression
	brotliLevel = 4
)

// minCompressBytes is the size below which an answer whose length is known
// is sent as it is: compressing it would save less than a packet.
const minCompressBytes = 1024

// Compressible reports whether a media type is worth compressing: JSON,
// problems, GeoJSON, CSV, YAML, HTML, JavaScript, CSS and SVG.
func Compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/yaml", "application/openapi+yaml", "application/javascript",
		"application/cbor", "image/svg+xml":
		return true
	}
	return false
}

// AcceptsGzip reports whether Accept-Encoding admits gzip (by name or by *,
// with a q-value above 0): what the downloads kept gzipped per snapshot ask.
func AcceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		if v, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err != nil || f <= 0 {
				continue
			}
		}
		return true
	}
	return false
}

// negotiateEncoding picks br, gzip or nothing from Accept-Encoding, by the
// client's q-values, brotli first on a tie. "identity;q=0" is not honoured:
// the identity is always acceptable to us.
func negotiateEncoding(header string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q == 0 {
			continue
		}
		switch name {
		case "br", "gzip", "*":
			if name == "*" {
				name = "br"
			}
			if q > bestQ || (q == bestQ && name == "br") {
				best, bestQ = name, q
			}
		}
	}
	return best
}

var (
	gzipPool   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzipLevel); return w }}
	brotliPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(io.Discard, brotliLevel) }}
)

// encoder is a pooled streaming compressor.
type encoder interface {
	io.WriteCloser
	Flush() error
	Reset(io.Writer)
}

// Compress negotiates gzip or brotli for compressible answers and streams
// them through the compressor as the handler writes. Every compressible
// answer says Vary: Accept-Encoding; a compressed one's ETag gets a -gzip
// or -br suffix, since its bytes differ (ETagMatch accepts both).
func Compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &compressWriter{ResponseWriter: w, encoding: negotiateEncoding(r.Header.Get("Accept-Encoding")),
			head: r.Method == http.MethodHead}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

type compressWriter struct {
	http.ResponseWriter
	encoding string // negotiated; "" for none
	head     bool
	wrote    bool
	enc      encoder
}

func (w *compressWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	if code < 200 {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.wrote = true
	h := w.Header()
	if ce := h.Get("Content-Encoding"); ce != "" {
		suffixETag(h, ce) // bytes the handler encoded itself: an ETag of their own
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if !Compressible(h.Get("Content-Type")) {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	h.Add("Vary", "Accept-Encoding")
	if n, err := strconv.Atoi(h.Get("Content-Length")); w.encoding == "" || code == http.StatusNoContent ||
		code == http.StatusNotModified || (err == nil && n < minCompressBytes) {
		if code == http.StatusNotModified {
			if w.encoding != "" {
				suffixETag(h, w.encoding) // the ETag the 200 would have carried
			}
			h.Del("Content-Type")
		}
		w.ResponseWriter.WriteHeader(code)
		return
	}
	h.Set("Content-Encoding", w.encoding)
	h.Del("Content-Length")
	suffixETag(h, w.encoding)
	if !w.head {
		if w.encoding == "br" {
			w.enc = brotliPool.Get().(*brotli.Writer)
		} else {
			w.enc = gzipPool.Get().(*gzip.Writer)
		}
		w.enc.Reset(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(code)
}

// suffixETag marks a strong ETag with the content coding of the bytes.
func suffixETag(h http.Header, encoding string) {
	if etag := h.Get("ETag"); strings.HasPrefix(etag, `"`) && strings.HasSuffix(etag, `"`) && StripEncoding(etag) == etag {
		h.Set("ETag", strings.TrimSuffix(etag, `"`)+"-"+encoding+`"`)
	}
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.enc != nil {
		return w.enc.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *compressWriter) Flush() {
	if w.enc != nil {
		_ = w.enc.Flush()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *compressWriter) close() {
	if w.enc == nil {
		return
	}
	_ = w.enc.Close()
	w.enc.Reset(io.Discard)
	switch e := w.enc.(type) {
	case *brotli.Writer:
		brotliPool.Put(e)
	case *gzip.Writer:
		gzipPool.Put(e)
	}
	w.enc = nil
}

func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
