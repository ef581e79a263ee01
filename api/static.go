package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"shanyu/dashboard"
)

// staticFile is one embedded file with its compressed variants, made once
// per process (the variant is dropped where compression does not pay).
// Brotli at level 6 makes the 1.7 MB docs bundle 400 KB in about a fifth
// of a second; level 11 would save another 10% for seventy times the time.
type staticFile struct {
	name        string
	contentType string
	raw         []byte
	etag        string // "sha256 prefix", quoted
	once        sync.Once
	gz, br      []byte
}

func (f *staticFile) variants() {
	f.once.Do(func() {
		if !compressible(f.contentType) || len(f.raw) < minCompressBytes {
			return
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
		_, _ = zw.Write(f.raw)
		_ = zw.Close()
		if gz.Len() < len(f.raw) {
			f.gz = gz.Bytes()
		}
		var br bytes.Buffer
		bw := brotli.NewWriterLevel(&br, 6)
		_, _ = bw.Write(f.raw)
		_ = bw.Close()
		if br.Len() < len(f.raw) {
			f.br = br.Bytes()
		}
	})
}

// staticFiles serves the dashboard's embedded files: / is index.html,
// /docs the API docs page, any other path exactly one file. There are no
// directory listings. Every file carries a strong ETag from its content
// and Cache-Control: "immutable" for names that carry a version or a
// content hash, "no-cache" (revalidate, then 304) for the others. HTML
// pages carry the dashboard's Content-Security-Policy. Files are sent
// brotli- or gzip-compressed when the client accepts it.
type staticFiles struct {
	files map[string]*staticFile
}

var (
	staticOnce sync.Once
	staticSet  *staticFiles
)

// dashboardFiles reads the embedded files once per process and starts
// compressing them in the background, so that the first visitor finds the
// compressed variants ready (one who comes sooner waits for its file only).
func dashboardFiles() *staticFiles {
	staticOnce.Do(func() {
		staticSet = newStaticFiles(dashboard.Static())
		go func() {
			for _, f := range staticSet.files {
				f.variants()
			}
		}()
	})
	return staticSet
}

func newStaticFiles(fsys fs.FS) *staticFiles {
	s := &staticFiles{files: map[string]*staticFile{}}
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(name), ".") {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		sum := sha256.Sum256(b)
		s.files[name] = &staticFile{name: name, contentType: ct, raw: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	return s
}

// versioned matches names that change whenever their content does: a
// version (leaflet@1.9.4.js, app-1.2.0.css) or a content hash (app.3f9a2c1b.js).
var versioned = regexp.MustCompile(`(@|[.-])(v?\d+\.\d+(\.\d+)?|[0-9a-f]{8,})[.-]`)

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	switch name {
	case "":
		name = "index.html"
	case "docs", "docs/":
		name = "docs.html"
	}
	f := s.files[name]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	if strings.HasPrefix(f.contentType, "text/html") {
		h.Set("Content-Security-Policy", dashboard.ContentSecurityPolicy)
	}
	if versioned.MatchString(path.Base(name)) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	body, etag := f.raw, f.etag
	if compressible(f.contentType) {
		h.Add("Vary", "Accept-Encoding")
		f.variants()
		coding := ""
		switch enc := negotiateEncoding(r.Header.Get("Accept-Encoding")); {
		case enc == "br" && f.br != nil:
			body, coding = f.br, "br"
		case enc == "gzip" && f.gz != nil:
			body, coding = f.gz, "gzip"
		}
		if coding != "" {
			h.Set("Content-Encoding", coding)
			etag = strings.TrimSuffix(etag, `"`) + "-" + coding + `"`
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
