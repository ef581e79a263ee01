package api

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"sync"

	"shanyu/county"
	"shanyu/snapshot"
	"shanyu/web"
)

// The unfiltered bulk downloads (every facility open today, as CSV or
// GeoJSON, in either coordinate system) are the same bytes for every
// client all day long: they are assembled and gzipped once per snapshot and
// day, and served with their length known. Filtered downloads are
// assembled per request.

// DownloadOutput is a bulk download: bytes with their type, a file name,
// and — when served from the per-snapshot copy — their length and encoding.
type DownloadOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ContentEncoding    string `header:"Content-Encoding" doc:"gzip when the client accepts it and the file is one kept compressed per dataset version"`
	ContentLength      string `header:"Content-Length"`
	Body               []byte
}

// bulkKey names one unfiltered download of a snapshot.
type bulkKey struct {
	file string // "csv" or "geojson"
	crs  CRS
}

// bulkFile is one download, plain and gzipped.
type bulkFile struct {
	plain, gz []byte
}

// bulkFiles holds a snapshot's unfiltered downloads for one day (the
// default open_on is today: a new day makes new files).
type bulkFiles struct {
	mu    sync.Mutex
	day   county.Date
	files map[bulkKey]*bulkFile
}

type bulkFilesKey struct{}

func bulkCache(snap *snapshot.Snapshot) *bulkFiles {
	return snap.Memo(bulkFilesKey{}, func() any { return &bulkFiles{} }).(*bulkFiles)
}

// get returns the download k of day, building it with build the first time.
// A request for an earlier day than the one kept (a clock on either side
// of midnight) is built and not kept.
func (c *bulkFiles) get(k bulkKey, day county.Date, build func() []byte) *bulkFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	if day < c.day {
		return compressed(build())
	}
	if day > c.day || c.files == nil {
		c.day, c.files = day, map[bulkKey]*bulkFile{}
	}
	f, ok := c.files[k]
	if !ok {
		f = compressed(build())
		c.files[k] = f
	}
	return f
}

// compressed returns b with its gzip encoding, at the best compression:
// it is made once and sent many times.
func compressed(b []byte) *bulkFile {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // a valid level
	_, _ = zw.Write(b)                                       // a bytes.Buffer does not fail
	_ = zw.Close()
	return &bulkFile{plain: b, gz: buf.Bytes()}
}

// unfiltered reports whether the filter asks for the whole set: no filter
// but the default open_on (today).
func (f *FacilityFilter) unfiltered() bool {
	return len(f.Kind) == 0 && f.Region.Code == "" && !f.BBox.Set && !f.Near.Set && f.MaxDistance == 0 &&
		f.Inclusive == "" && f.Class == "" && f.StarMin == 0 && !f.OpenOn.Any && f.OpenOn.D == ""
}

// download answers a bulk download: from the per-snapshot copy when the
// query is unfiltered (gzipped when the client accepts it), else assembled
// by build.
func download(snap *snapshot.Snapshot, in *BulkFacilitiesInput, file, contentType string, build func() []byte) *DownloadOutput {
	out := &DownloadOutput{ContentType: contentType, ContentDisposition: attachment(snap, "facilities", file)}
	if !in.unfiltered() {
		out.Body = build()
		return out
	}
	f := bulkCache(snap).get(bulkKey{file, in.CRS}, in.query.OpenOn, build)
	out.Body = f.plain
	if web.AcceptsGzip(in.AcceptEncoding) {
		out.Body, out.ContentEncoding = f.gz, "gzip"
	}
	out.ContentLength = strconv.Itoa(len(out.Body))
	return out
}
