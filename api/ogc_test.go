package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb/maptile"
)

// ogcFC is a page of OGC API features as a client reads it.
type ogcFC struct {
	Type           string `json:"type"`
	NumberMatched  int    `json:"numberMatched"`
	NumberReturned int    `json:"numberReturned"`
	Features       []struct {
		ID         any            `json:"id"`
		Geometry   map[string]any `json:"geometry"`
		Properties map[string]any `json:"properties"`
	} `json:"features"`
	Links []struct {
		Href string `json:"href"`
		Rel  string `json:"rel"`
		Type string `json:"type"`
	} `json:"links"`
}

func (fc ogcFC) link(rel string) string {
	for _, l := range fc.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// ogcCollectionsUnderTest are the collections and the API listing each
// one must agree with.
var ogcCollectionsUnderTest = []struct{ id, api string }{
	{"childcare", "/api/v1/facilities?kind=childcare&open_on=any&limit=1000"},
	{"nursing_rooms", "/api/v1/facilities?kind=nursing_room&open_on=any&limit=1000"},
	{"townships", "/api/v1/regions?level=township"},
	{"villages", "/api/v1/regions?level=village"},
	{"coverage_townships", "/api/v1/coverage?level=township"},
	{"coverage_villages", "/api/v1/coverage?level=village"},
}

// flatten turns an API item into one level of names: nested objects become
// parent_child, lists are ;-joined, as the OGC properties write them.
func flatten(prefix string, v map[string]any, out map[string]any) map[string]any {
	for k, x := range v {
		switch x := x.(type) {
		case map[string]any:
			flatten(prefix+k+"_", x, out)
		case []any:
			parts := make([]string, len(x))
			for i, p := range x {
				parts[i] = fmt.Sprint(p)
			}
			out[prefix+k] = strings.Join(parts, ";")
		default:
			out[prefix+k] = x
		}
	}
	return out
}

// apiItems reads every item of an API listing, keyed by id or code.
func apiItems(t *testing.T, ts *httptest.Server, path string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for path != "" {
		r := get(t, ts, path)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var body struct {
			Items []map[string]any `json:"items"`
			Next  string           `json:"next"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatal(err)
		}
		for _, it := range body.Items {
			key, _ := it["id"].(string)
			if key == "" {
				key, _ = it["code"].(string)
			}
			out[key] = flatten("", it, map[string]any{})
		}
		path = body.Next
	}
	return out
}

var gdalDate = regexp.MustCompile(`^\d{4}/\d{2}/\d{2}$`)

// same compares a property as GDAL wrote it with the API's value: null
// and absent agree, numbers compare as numbers.
func same(gdal, api any) bool {
	if gdal == nil {
		return api == nil || api == ""
	}
	if s, ok := gdal.(string); ok && gdalDate.MatchString(s) {
		gdal = strings.ReplaceAll(s, "/", "-") // GDAL writes the dates it recognises as YYYY/MM/DD
	}
	return reflect.DeepEqual(gdal, api) || fmt.Sprint(gdal) == fmt.Sprint(api)
}

// TestGDALReadsEveryCollection opens the OGC API with GDAL's OAPIF driver,
// as QGIS does, and checks every collection is listed and read whole with
// the counts and attributes the API gives.
func TestGDALReadsEveryCollection(t *testing.T) {
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run scripts/install-test-deps (Debian gdal-bin)", tool)
		}
	}
	ts := newTestServer(t)
	landing := "OAPIF:" + ts.URL + "/ogc"
	out, err := exec.Command("ogrinfo", "-ro", "-q", landing).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, c := range ogcCollectionsUnderTest {
		if !strings.Contains(string(out), ": "+c.id+" (") {
			t.Errorf("ogrinfo does not list %s:\n%s", c.id, out)
		}
	}
	for _, c := range ogcCollectionsUnderTest {
		t.Run(c.id, func(t *testing.T) {
			want := apiItems(t, ts, c.api)
			if len(want) == 0 {
				t.Fatalf("the API lists no %s", c.id)
			}
			cmd := exec.Command("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", landing, c.id)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			b, err := cmd.Output()
			if err != nil {
				t.Fatalf("ogr2ogr: %v\n%s", err, stderr.String())
			}
			var fc ogcFC
			if err := json.Unmarshal(b, &fc); err != nil {
				t.Fatalf("ogr2ogr output: %v\n%.500s", err, b)
			}
			if len(fc.Features) != len(want) {
				t.Fatalf("GDAL read %d features, the API lists %d", len(fc.Features), len(want))
			}
			seen := map[string]bool{}
			for _, f := range fc.Features {
				key := fmt.Sprint(f.Properties["id"])
				if code, ok := f.Properties["code"].(string); ok {
					key = code
				}
				if seen[key] {
					t.Fatalf("GDAL read %s twice", key)
				}
				seen[key] = true
				api, ok := want[key]
				if !ok {
					t.Fatalf("GDAL read %s, which the API does not list", key)
				}
				if len(f.Properties) < 8 {
					t.Fatalf("%s: GDAL sees only %d attributes", key, len(f.Properties))
				}
				for name, v := range f.Properties {
					if name == "id" && api["id"] == nil {
						continue // GDAL adds the feature id as a column
					}
					a, ok := api[name]
					if !ok && v != nil {
						t.Errorf("%s: attribute %s is not in the API's item", key, name)
						continue
					}
					if ok && !same(v, a) {
						t.Errorf("%s.%s: GDAL read %v, the API says %v", key, name, v, a)
					}
				}
				if lon, ok := api["lon"]; ok {
					coords, _ := f.Geometry["coordinates"].([]any)
					if len(coords) != 2 || !same(coords[0], lon) || !same(coords[1], api["lat"]) {
						t.Errorf("%s: GDAL read the point %v, the API says %v,%v", key, coords, lon, api["lat"])
					}
				}
			}
		})
	}
}

func TestOGCDocuments(t *testing.T) {
	ts := newTestServer(t)
	r := get(t, ts, "/ogc")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("landing: %d %s", r.status, r.header.Get("Content-Type"))
	}
	landing := decode[struct {
		Links []struct{ Href, Rel string }
	}](t, r)
	rels := map[string]string{}
	for _, l := range landing.Links {
		if rels[l.Rel] == "" {
			rels[l.Rel] = l.Href // the first of a kind: the OpenAPI 3.0 service-desc
		}
	}
	for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
		if !strings.HasPrefix(rels[rel], ts.URL+"/") {
			t.Errorf("landing link %s = %q, want an absolute link on this server", rel, rels[rel])
		}
	}
	if r := get(t, ts, strings.TrimPrefix(rels["service-desc"], ts.URL)); r.status != 200 ||
		r.header.Get("Content-Type") != "application/vnd.oai.openapi+json;version=3.0" || !bytes.Contains(r.body, []byte(`"openapi":"3.0`)) {
		t.Errorf("service-desc %s: %d %s", rels["service-desc"], r.status, r.header.Get("Content-Type"))
	}
	conf := decode[struct {
		ConformsTo []string `json:"conformsTo"`
	}](t, get(t, ts, "/ogc/conformance"))
	for _, c := range []string{"/conf/core", "/conf/geojson", "/conf/oas30", "/conf/queryables"} {
		if !slices.ContainsFunc(conf.ConformsTo, func(s string) bool { return strings.HasSuffix(s, c) }) {
			t.Errorf("conformance lacks %s: %v", c, conf.ConformsTo)
		}
	}
	colls := decode[struct {
		Collections []struct {
			ID     string
			Links  []struct{ Href, Rel, Type string }
			Extent struct {
				Spatial struct{ BBox [][4]float64 }
			}
		}
	}](t, get(t, ts, "/ogc/collections"))
	if len(colls.Collections) != len(ogcCollectionsUnderTest) {
		t.Fatalf("%d collections, want %d", len(colls.Collections), len(ogcCollectionsUnderTest))
	}
	for i, c := range colls.Collections {
		if c.ID != ogcCollectionsUnderTest[i].id {
			t.Errorf("collection %d is %s, want %s", i, c.ID, ogcCollectionsUnderTest[i].id)
		}
		b := c.Extent.Spatial.BBox[0]
		if !(b[0] > 118 && b[2] < 120 && b[1] > 27 && b[3] < 28.2 && b[0] < b[2]) {
			t.Errorf("%s: extent %v is not the county's", c.ID, b)
		}
		if !slices.ContainsFunc(c.Links, func(l struct{ Href, Rel, Type string }) bool {
			return l.Rel == "items" && l.Type == "application/geo+json"
		}) {
			t.Errorf("%s has no items link of type application/geo+json", c.ID)
		}
	}
	q := get(t, ts, "/ogc/collections/childcare/queryables")
	if q.status != 200 || q.header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("queryables: %d %s", q.status, q.header.Get("Content-Type"))
	}
	schema := decode[struct {
		Properties map[string]struct {
			Type string
			Enum []string
		}
	}](t, q)
	if schema.Properties["inclusive"].Type != "boolean" || len(schema.Properties["operator_type"].Enum) != 4 {
		t.Errorf("queryables: %+v", schema.Properties)
	}
}

func TestOGCItems(t *testing.T) {
	ts := newTestServer(t)
	items := func(path string) ogcFC {
		t.Helper()
		r := get(t, ts, path)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
			t.Fatalf("%s: Content-Type %q, want application/geo+json", path, ct)
		}
		if crs := r.header.Get("Content-Crs"); crs != "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>" {
			t.Fatalf("%s: Content-Crs %q", path, crs)
		}
		if !strings.HasPrefix(r.header.Get("ETag"), `"`+sampleSnapshot(t).Version) {
			t.Fatalf("%s: ETag %q", path, r.header.Get("ETag"))
		}
		return decode[ogcFC](t, r)
	}
	all := items("/ogc/collections/childcare/items?limit=10000")
	n := all.NumberMatched
	if n != len(all.Features) || all.NumberReturned != n || all.link("next") != "" || all.link("prev") != "" {
		t.Fatalf("whole collection: matched %d returned %d features %d next %q", n, all.NumberReturned, len(all.Features), all.link("next"))
	}

	// Walk the pages by their next links, then back by prev.
	var ids []any
	path := "/ogc/collections/childcare/items?limit=7"
	var last ogcFC
	for pages := 0; path != ""; pages++ {
		if pages > n {
			t.Fatal("the next links do not end")
		}
		last = items(path)
		if last.NumberMatched != n || last.NumberReturned != len(last.Features) || last.NumberReturned > 7 {
			t.Fatalf("%s: matched %d returned %d of %d", path, last.NumberMatched, last.NumberReturned, len(last.Features))
		}
		for _, f := range last.Features {
			ids = append(ids, f.ID)
		}
		path = strings.TrimPrefix(last.link("next"), ts.URL)
	}
	wantIDs := make([]any, n)
	for i, f := range all.Features {
		wantIDs[i] = f.ID
	}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Fatalf("paging by next gives %v, want %v", ids, wantIDs)
	}
	prev := items(strings.TrimPrefix(last.link("prev"), ts.URL))
	if prev.Features[0].ID != wantIDs[(n-1)/7*7-7] {
		t.Errorf("prev of the last page starts at %v, want %v", prev.Features[0].ID, wantIDs[(n-1)/7*7-7])
	}

	// bbox keeps exactly the points inside it.
	bbox := "119.03,27.59,119.09,27.64"
	in := items("/ogc/collections/childcare/items?limit=10000&bbox=" + bbox)
	want := 0
	for _, f := range all.Features {
		c := f.Geometry["coordinates"].([]any)
		if c[0].(float64) >= 119.03 && c[0].(float64) <= 119.09 && c[1].(float64) >= 27.59 && c[1].(float64) <= 27.64 {
			want++
		}
	}
	if want == 0 || want == n || in.NumberMatched != want {
		t.Errorf("bbox %s: %d features, want %d of %d", bbox, in.NumberMatched, want, n)
	}
	// Townships meeting a box around one facility include its township.
	f0 := all.Features[0]
	c := f0.Geometry["coordinates"].([]any)
	box := fmt.Sprintf("%v,%v,%v,%v", c[0].(float64)-0.001, c[1].(float64)-0.001, c[0].(float64)+0.001, c[1].(float64)+0.001)
	towns := items("/ogc/collections/townships/items?bbox=" + box)
	if towns.NumberMatched < 1 || towns.NumberMatched > 3 ||
		!slices.ContainsFunc(towns.Features, func(t struct {
			ID         any            `json:"id"`
			Geometry   map[string]any `json:"geometry"`
			Properties map[string]any `json:"properties"`
		}) bool {
			return t.ID == f0.Properties["township_code"]
		}) {
		t.Errorf("townships meeting %s: %d, without %v", box, towns.NumberMatched, f0.Properties["township_code"])
	}

	// A property filter keeps what equals it; datetime keeps the open ones.
	inclusive := items("/ogc/collections/childcare/items?limit=10000&inclusive=true")
	count := 0
	for _, f := range all.Features {
		if f.Properties["inclusive"] == true {
			count++
		}
	}
	if count == 0 || count == n || inclusive.NumberMatched != count {
		t.Errorf("inclusive=true: %d, want %d of %d", inclusive.NumberMatched, count, n)
	}
	open := items("/ogc/collections/childcare/items?limit=10000&datetime=2020-01-01")
	api := decode[page](t, get(t, ts, "/api/v1/facilities?kind=childcare&open_on=2020-01-01&limit=1000"))
	if open.NumberMatched != api.NumberMatched || open.NumberMatched == n {
		t.Errorf("datetime=2020-01-01: %d, the API's open_on gives %d (of %d)", open.NumberMatched, api.NumberMatched, n)
	}
	during := items("/ogc/collections/childcare/items?limit=10000&datetime=2020-01-01/..")
	if during.NumberMatched < open.NumberMatched {
		t.Errorf("open at some time since 2020 (%d) is fewer than open on 2020-01-01 (%d)", during.NumberMatched, open.NumberMatched)
	}
	// Open at any time since 1900 (filtered here) is every centre (paged by the snapshot).
	ever := items("/ogc/collections/childcare/items?limit=10000&datetime=1900-01-01/..")
	if ever.NumberMatched != n || len(ever.Features) != n || ever.Features[n-1].ID != wantIDs[n-1] {
		t.Errorf("datetime=1900-01-01/..: %d features, want all %d", ever.NumberMatched, n)
	}
	second := items("/ogc/collections/childcare/items?limit=5&offset=5&datetime=1900-01-01/..")
	if second.NumberMatched != n || second.Features[0].ID != wantIDs[5] || second.link("prev") == "" {
		t.Errorf("second page of an interval: %d matched, first %v", second.NumberMatched, second.Features[0].ID)
	}
	cov := items("/ogc/collections/coverage_townships/items?datetime=2024-06-30")
	if cov.Features[0].Properties["as_of"] != "2024-06-30" {
		t.Errorf("coverage datetime: as_of %v", cov.Features[0].Properties["as_of"])
	}

	// One feature, and the ones that are not there.
	one := get(t, ts, "/ogc/collections/childcare/items/"+fmt.Sprint(wantIDs[0]))
	if one.status != 200 || one.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("item: %d %s", one.status, one.header.Get("Content-Type"))
	}
	feature := decode[map[string]any](t, one)
	if feature["type"] != "Feature" || feature["id"] != wantIDs[0] {
		t.Errorf("item: %v", feature)
	}
	for _, p := range []string{"/ogc/collections/nope/items", "/ogc/collections/nope", "/ogc/collections/childcare/items/NOPE",
		"/ogc/collections/nursing_rooms/items/" + fmt.Sprint(wantIDs[0]), "/ogc/collections/townships/items/331126",
		"/ogc/collections/nope/queryables"} {
		r := get(t, ts, p)
		if r.status != 404 || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want a 404 problem", p, r.status, r.header.Get("Content-Type"))
		}
	}
}

func TestOGCBadInput(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []struct{ query, loc, says string }{
		{"bbox=119.1,27.6,119.0,27.7", "query.bbox", "greater than maxLon"},
		{"bbox=1,2,3", "query.bbox", "want 4"},
		{"limit=0", "query.limit", "1 to 10000"},
		{"limit=10001", "query.limit", "1 to 10000"},
		{"offset=-1", "query.offset", "0 or more"},
		{"datetime=2025-13-01", "query.datetime", "YYYY-MM-DD"},
		{"datetime=2025-06-01/2025-01-01", "query.datetime", "starts"},
		{"datetime=../..", "query.datetime", "at least one end"},
		{"colour=red", "query.colour", "queryable"},
		{"inclusive=yes", "query.inclusive", "true or false"},
		{"operator_type=state", "query.operator_type", "one of"},
		{"inclusive=true&inclusive=false", "query.inclusive", "once"},
	} {
		r := get(t, ts, "/ogc/collections/childcare/items?"+c.query)
		if r.status != 400 || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want a 400 problem", c.query, r.status, r.header.Get("Content-Type"))
			continue
		}
		p := decode[struct {
			Errors []struct{ Location, Message string }
		}](t, r)
		if len(p.Errors) == 0 || p.Errors[0].Location != c.loc || !strings.Contains(p.Errors[0].Message, c.says) {
			t.Errorf("%s: %s, want %s saying %q", c.query, r.body, c.loc, c.says)
		}
	}
	r := get(t, ts, "/ogc/collections/coverage_villages/items?datetime="+url.QueryEscape("2025-01-01/2025-12-31"))
	if r.status != 400 || !strings.Contains(string(r.body), "one day") {
		t.Errorf("coverage over an interval: %d %s", r.status, r.body)
	}
}

// TestGDALReadsATile reads a vector tile with GDAL's MVT driver, as QGIS
// does: the features GDAL sees are the centres inside the tile.
func TestGDALReadsATile(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Fatal("ogrinfo is missing: run scripts/install-test-deps (Debian gdal-bin)")
	}
	ts := newTestServer(t)
	b := maptile.New(3402, 1720, 12).Bound(64.0 / 4096) // the tile with its margin
	all := decode[ogcFC](t, get(t, ts, fmt.Sprintf("/ogc/collections/childcare/items?limit=10000&bbox=%v,%v,%v,%v", b.Min[0], b.Min[1], b.Max[0], b.Max[1])))
	out, err := exec.Command("ogrinfo", "-ro", "-al", "-q", "MVT:"+ts.URL+"/tiles/childcare/12/3402/1720.mvt").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	var ids []string
	for _, line := range strings.Split(string(out), "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), "id (String) = "); ok {
			ids = append(ids, id)
		}
	}
	var want []string
	for _, f := range all.Features {
		want = append(want, fmt.Sprint(f.ID))
	}
	slices.Sort(ids)
	if len(want) == 0 || !slices.Equal(ids, want) {
		t.Errorf("GDAL reads %v in tile 12/3402/1720, the OGC API has %v inside it", ids, want)
	}
}
