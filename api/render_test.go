package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// awkward is a facility whose text needs every kind of JSON escaping.
var awkward = county.Facility{ID: "ODD1", Kind: county.NursingRoom, NameZh: "引号\"反斜杠\\<&>\u2028\u2029\x01\t",
	Point: orb.Point{119.0612345, 27.6212345}, Address: "bad utf-8 \xff\xfe end", Phone: "a&b", OpeningHours: "全天",
	VenueType: "mall", Star: 2, Amenities: []string{"sink", "door_lock"}, Accessible: true, OpenedOn: "2020-01-01"}

func renderTestSnapshots(t *testing.T) map[string]*snapshot.Snapshot {
	t.Helper()
	smp, err := bundle.Load(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	ds.Facilities = append(ds.Facilities, awkward)
	return map[string]*snapshot.Snapshot{"sample": smp, "awkward": snapshot.New(ds, "awkward")}
}

// TestRenderedFacilitiesEqualTheEncoder compares every facility's
// assembled object, at several distances and none, with what the encoder
// writes for the same Facility value.
func TestRenderedFacilitiesEqualTheEncoder(t *testing.T) {
	for name, snap := range renderTestSnapshots(t) {
		r := rendering(snap)
		for i := range snap.NumFacilities() {
			for _, m := range []float64{math.NaN(), 0, -0.01, 0.04, 0.05, 12.345, 999.95, 123456.78} {
				var want bytes.Buffer
				if err := encodeJSON(&want, facilityOut(snap.FacilityAt(i), snap.PlaceAt(i), m)); err != nil {
					t.Fatal(err)
				}
				got := r.appendFacility(nil, i, m, nil, orb.Point{})
				if !bytes.Equal(got, bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
					t.Fatalf("%s facility %s at %v m:\nassembled %s\nencoder   %s", name, snap.FacilityAt(i).ID, m, got, want.Bytes())
				}
			}
		}
	}
}

// TestAppendJSONStringEqualsTheEncoder checks the string writer on text
// that needs no escaping and on text that does.
func TestAppendJSONStringEqualsTheEncoder(t *testing.T) {
	for _, s := range []string{"", "plain", "/api/v1/facilities?cursor=YzE6&near=1,2", "中文", "q\"b\\", `back\slash`, "\x00\x1f",
		"<&>", "\u2028\u2029", "\xff", "a\xe4b", awkward.NameZh, awkward.Address} {
		var want bytes.Buffer
		if err := encodeJSON(&want, s); err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Errorf("%q: got %s, want %s", s, got, want.Bytes())
		}
	}
}

// TestAssembledAnswersEqualTheGeneralPath sends every query of a table —
// the filters of the API tests, pages followed by their next links, random
// nearby searches — to a server that assembles answers from pre-rendered
// bytes and to one that encodes them item by item, and wants the same
// status, headers and bytes.
func TestAssembledAnswersEqualTheGeneralPath(t *testing.T) {
	queries := []string{
		"", "?limit=1", "?limit=7", "?limit=1000", "?offset=40&limit=30", "?offset=100000",
		"?near=119.06,27.62&kind=childcare&limit=5", "?near=119.1,27.6&limit=9",
		"?region=331126001&limit=1000", "?region=331126001003&limit=1000",
		"?bbox=119.03,27.59,119.09,27.64&limit=1000", "?inclusive=false&limit=1000", "?inclusive=true",
		"?class=infant&limit=1000", "?star_min=3&limit=1000", "?near=119.06,27.62&max_distance=1500&limit=1000",
		"?kind=childcare&kind=nursing_room&bbox=119.03,27.59,119.09,27.64&near=119.06,27.62&limit=1000",
		"?kind=childcare&open_on=any&limit=1", "?kind=childcare&open_on=2021-06-01&limit=1000",
		"?kind=nursing_room&limit=3", "?near=119.06,27.62&limit=3&offset=2", "?near=0,0&limit=2",
		"?bbox=0,0,1,1", "?near=119.06,27.62&max_distance=1",
	}
	queries = append(queries, "?crs=gcj02", "?near=119.06,27.62&kind=childcare&limit=5&crs=gcj02",
		"?bbox=119.03,27.59,119.09,27.64&limit=1000&crs=gcj02", "?near=119.1,27.6&limit=50&crs=wgs84")
	r := rand.New(rand.NewPCG(4, 4))
	for range 40 {
		queries = append(queries, fmt.Sprintf("?near=%.6f,%.6f&limit=%d", 118.9+r.Float64()*0.4, 27.45+r.Float64()*0.35, 1+r.IntN(60)))
	}
	for name, snap := range renderTestSnapshots(t) {
		fast := NewServer(snap, nil).Handler()
		general := NewServer(snap, nil)
		general.general = true
		slow := general.Handler()
		for _, q := range queries {
			for _, file := range []string{"/api/v1/facilities.csv", "/api/v1/facilities.geojson"} {
				a, b := serve(fast, file+q), serve(slow, file+q)
				if a.status != b.status || !bytes.Equal(a.body, b.body) || a.header.Get("Content-Type") != b.header.Get("Content-Type") {
					t.Fatalf("%s %s:\nassembled %d %v %s\ngeneral   %d %v %s", name, file+q, a.status, a.header, a.body, b.status, b.header, b.body)
				}
			}
			path := "/api/v1/facilities" + q
			for page := 0; path != "" && page < 4; page++ {
				a, b := serve(fast, path), serve(slow, path)
				if a.status != b.status || !bytes.Equal(a.body, b.body) || a.header.Get("Link") != b.header.Get("Link") ||
					a.header.Get("Content-Type") != b.header.Get("Content-Type") {
					t.Fatalf("%s %s:\nassembled %d %v %s\ngeneral   %d %v %s", name, path, a.status, a.header, a.body, b.status, b.header, b.body)
				}
				if cl := a.header.Get("Content-Length"); a.status == http.StatusOK && cl != fmt.Sprint(len(a.body)) {
					t.Fatalf("%s %s: Content-Length %q for %d bytes", name, path, cl, len(a.body))
				}
				path = nextOf(a.header.Get("Link"))
			}
		}
	}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func serve(h http.Handler, path string) answer {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(w.Result().Body)
	return answer{w.Code, w.Header(), body}
}

// nextOf returns the path of a rel=next Link header, or "".
func nextOf(link string) string {
	if !strings.HasPrefix(link, "<") {
		return ""
	}
	return link[1:strings.Index(link, ">")]
}

// TestNextLinkEqualsURLValues compares the next link with what url.Values
// writes for the same request (parse, drop offset, set cursor, encode), on
// queries with escapes, repeats, bad escapes, semicolons and empty pairs.
func TestNextLinkEqualsURLValues(t *testing.T) {
	reference := func(u *url.URL, c cursor) string {
		q := u.Query()
		q.Del("offset")
		q.Set("cursor", c.String())
		return u.Path + "?" + q.Encode()
	}
	raws := []string{"", "limit=10", "near=119.06,27.62&limit=10", "offset=20&limit=5", "cursor=abc&cursor=def&limit=2",
		"kind=nursing_room&kind=childcare&b=1&a=2", "name=%E4%B8%AD+x&x=%2B%26", "bad=%zz&ok=1", "a;b=1&c=2", "&&limit=3&",
		"near=119.06%2C27.62", "k", "=v", "z=1&a=1&m=1&a=0", "sp=a b", "tilde=~-_.&star=*"}
	r := rand.New(rand.NewPCG(8, 8))
	const alphabet = "ab=&%2C+;~ 中"
	for range 2000 {
		n := r.IntN(24)
		var sb strings.Builder
		for range n {
			sb.WriteString(string([]rune(alphabet)[r.IntN(len([]rune(alphabet)))]))
		}
		raws = append(raws, sb.String())
	}
	for _, raw := range raws {
		u := &url.URL{Path: "/api/v1/facilities", RawQuery: raw}
		c := cursor{offset: 10, version: "v1"}
		ctx := context.WithValue(context.Background(), stateKey, &reqState{url: u})
		if got, want := nextLink(ctx, c), reference(u, c); got != want {
			t.Fatalf("query %q: next link %q, url.Values gives %q", raw, got, want)
		}
	}
}

// BenchmarkRenderFacilities renders every facility of the sample (what a
// new snapshot costs before its first answer) and reports the time and the
// pre-rendered bytes per facility, apart from the snapshot's own memory.
func BenchmarkRenderFacilities(b *testing.B) {
	snap, err := bundle.Load(sample.Bundle())
	if err != nil {
		b.Fatal(err)
	}
	var r *renderedFacilities
	for b.Loop() {
		r = renderFacilities(snap)
	}
	n := float64(snap.NumFacilities())
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/facility")
	b.ReportMetric(float64(r.Size())/n, "bytes/facility")
}

// TestCoordinatesSeam checks that an answer in another coordinate system
// changes only the coordinates: the object with coords equals the
// encoder's object for a Facility whose lon, lat are the converted point
// at six decimals.
func TestCoordinatesSeam(t *testing.T) {
	snap := renderTestSnapshots(t)["awkward"]
	r := rendering(snap)
	shift := func(p orb.Point) orb.Point { return orb.Point{p[0] + 0.0049999, p[1] - 0.0021234567} }
	for i := range snap.NumFacilities() {
		f := snap.FacilityAt(i)
		want := facilityOut(f, snap.PlaceAt(i), 42.42)
		at := orb.Round(shift(f.Point)).(orb.Point)
		want.Lon, want.Lat = at[0], at[1]
		var buf bytes.Buffer
		if err := encodeJSON(&buf, want); err != nil {
			t.Fatal(err)
		}
		if got := r.appendFacility(nil, i, 42.42, shift, f.Point); !bytes.Equal(got, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))) {
			t.Fatalf("facility %s:\nassembled %s\nencoder   %s", f.ID, got, buf.Bytes())
		}
	}
}

// TestUnfilteredDownloadsKeptCompressed checks the unfiltered downloads
// served from the per-snapshot copy: plain or gzipped as the client asks,
// with their length, the same bytes as the general path; a filtered
// download is not kept; a new day makes new files.
func TestUnfilteredDownloadsKeptCompressed(t *testing.T) {
	snap := renderTestSnapshots(t)["sample"]
	fast := NewServer(snap, nil).Handler()
	general := NewServer(snap, nil)
	general.general = true
	slow := general.Handler()
	for _, path := range []string{"/api/v1/facilities.csv", "/api/v1/facilities.geojson", "/api/v1/facilities.csv?crs=gcj02",
		"/api/v1/facilities.geojson?crs=gcj02", "/api/v1/regions.geojson", "/api/v1/regions.geojson?level=village"} {
		want := serve(slow, path).body
		plain := serve(fast, path)
		if !bytes.Equal(plain.body, want) || plain.header.Get("Content-Length") != fmt.Sprint(len(want)) ||
			plain.header.Get("Content-Encoding") != "" {
			t.Fatalf("%s plain: %d bytes, Content-Length %q, Content-Encoding %q; want %d bytes", path, len(plain.body),
				plain.header.Get("Content-Length"), plain.header.Get("Content-Encoding"), len(want))
		}
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip, br")
		fast.ServeHTTP(w, req)
		if w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Content-Length") != fmt.Sprint(w.Body.Len()) {
			t.Fatalf("%s gzip: Content-Encoding %q, Content-Length %q for %d bytes", path, w.Header().Get("Content-Encoding"),
				w.Header().Get("Content-Length"), w.Body.Len())
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(zr); !bytes.Equal(got, want) {
			t.Fatalf("%s gzip: the decompressed body differs from the general path's", path)
		}
	}
	c := bulkCache(snap)
	k := bulkKey{"csv", WGS84}
	built := 0
	build := func() []byte { built++; return []byte("x") }
	c.get(k, "2099-01-01", build)
	c.get(k, "2099-01-01", build)
	if built != 1 {
		t.Errorf("the same day built %d times, want once", built)
	}
	c.get(k, "2099-01-02", build)
	c.get(k, "2099-01-01", build) // an earlier day: built, not kept
	c.get(k, "2099-01-02", build)
	if built != 3 {
		t.Errorf("built %d times over two days and a late request, want 3", built)
	}
	if filtered := serve(fast, "/api/v1/facilities.csv?kind=childcare"); filtered.header.Get("Content-Length") != "" {
		t.Error("a filtered download came from the kept copy")
	}
}

// TestAssembledAnswersUnderConcurrency sends nearby searches from many
// goroutines at once and wants each answer to equal the general path's: a
// pooled buffer reused before its answer was written would mix answers.
func TestAssembledAnswersUnderConcurrency(t *testing.T) {
	snap := renderTestSnapshots(t)["sample"]
	fast := NewServer(snap, nil).Handler()
	general := NewServer(snap, nil)
	general.general = true
	slow := general.Handler()
	r := rand.New(rand.NewPCG(12, 12))
	paths := make([]string, 64)
	want := make([][]byte, len(paths))
	for i := range paths {
		paths[i] = fmt.Sprintf("/api/v1/facilities?near=%.5f,%.5f&limit=%d", 118.9+r.Float64()*0.4, 27.45+r.Float64()*0.35, 1+i%20)
		want[i] = serve(slow, paths[i]).body
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 40 {
				i := (g*7 + k) % len(paths)
				if got := serve(fast, paths[i]).body; !bytes.Equal(got, want[i]) {
					errs <- paths[i]
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for p := range errs {
		t.Errorf("%s: a concurrent answer differs from the general path's", p)
	}
}

// TestCoverageDownloadsKept checks that the coverage downloads of the
// dataset's reference date are kept per snapshot — the same bytes for the
// default day and for that date asked outright, with their length — and
// that another day is still answered for itself.
func TestCoverageDownloadsKept(t *testing.T) {
	snap := renderTestSnapshots(t)["sample"]
	h := NewServer(snap, nil).Handler()
	ref := string(snap.Meta.ReferenceDate)
	for _, file := range []string{"/api/v1/coverage.csv", "/api/v1/coverage.geojson"} {
		def := serve(h, file+"?level=village")
		asked := serve(h, file+"?level=village&as_of="+ref)
		if def.status != http.StatusOK || !bytes.Equal(def.body, asked.body) || def.header.Get("Content-Length") != fmt.Sprint(len(def.body)) {
			t.Fatalf("%s: status %d, %d and %d bytes, Content-Length %q", file, def.status, len(def.body), len(asked.body), def.header.Get("Content-Length"))
		}
		if again := serve(h, file+"?level=village"); !bytes.Equal(again.body, def.body) {
			t.Fatalf("%s: the kept file changed", file)
		}
		if other := serve(h, file+"?level=village&as_of=2021-06-01"); other.status != http.StatusOK || bytes.Equal(other.body, def.body) {
			t.Fatalf("%s: another day answered %d with the reference date's bytes", file, other.status)
		}
		if township := serve(h, file); bytes.Equal(township.body, def.body) {
			t.Fatalf("%s: the township file is the village file", file)
		}
	}
}
