package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"shanyu/api"
	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/geo"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

var update = flag.Bool("update", false, "rewrite openapi.yaml from the code")

var (
	sampleOnce sync.Once
	sampleSnap *snapshot.Snapshot
)

func sampleSnapshot(t testing.TB) *snapshot.Snapshot {
	sampleOnce.Do(func() {
		var err error
		if sampleSnap, err = bundle.Load(sample.Bundle()); err != nil {
			t.Fatal(err)
		}
	})
	return sampleSnap
}

func newTestServer(t testing.TB) *httptest.Server {
	ts := httptest.NewServer(api.NewServer(sampleSnapshot(t), nil).Handler())
	t.Cleanup(ts.Close)
	return ts
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t testing.TB, ts *httptest.Server, path string, header ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

func decode[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return v
}

type page struct {
	NumberMatched  int            `json:"number_matched"`
	NumberReturned int            `json:"number_returned"`
	Next           string         `json:"next"`
	Items          []api.Facility `json:"items"`
	Dataset        api.DatasetRef `json:"dataset"`
}

// TestNearestFiveCentres is the acceptance query: five childcare
// centres around the county seat, nearest first, equal to a brute-force
// answer over the bundle.
func TestNearestFiveCentres(t *testing.T) {
	ts := newTestServer(t)
	r := get(t, ts, "/api/v1/facilities?near=119.06,27.62&kind=childcare&limit=5")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	p := decode[page](t, r)
	if len(p.Items) != 5 {
		t.Fatalf("got %d items, want 5", len(p.Items))
	}
	// Brute force: every open centre's distance.
	snap := sampleSnapshot(t)
	all, _ := snap.Facilities(snapshot.Query{Kinds: []county.Kind{county.Childcare}, Limit: -1, OpenOn: today()})
	var want []geo.Hit
	for i, m := range all {
		want = append(want, geo.Hit{Index: i, Metres: geo.Distance(orb.Point{119.06, 27.62}, m.Facility.Point)})
	}
	slices.SortFunc(want, func(a, b geo.Hit) int {
		if a.Metres < b.Metres {
			return -1
		}
		if a.Metres > b.Metres {
			return 1
		}
		return 0
	})
	if p.NumberMatched != len(all) {
		t.Errorf("number_matched = %d, want %d open centres", p.NumberMatched, len(all))
	}
	for i, it := range p.Items {
		if it.Kind != "childcare" || it.DistanceM == nil {
			t.Fatalf("item %d: kind %q, distance %v", i, it.Kind, it.DistanceM)
		}
		if i > 0 && *it.DistanceM < *p.Items[i-1].DistanceM {
			t.Errorf("items not sorted by distance_m: %v after %v", *it.DistanceM, *p.Items[i-1].DistanceM)
		}
		if d := *it.DistanceM - want[i].Metres; d > 0.06 || d < -0.06 {
			t.Errorf("item %d at %.1f m, brute force says %.1f m", i, *it.DistanceM, want[i].Metres)
		}
		if !strings.Contains(it.DirectionsURL, "coordinate=wgs84") || it.ApprovedSlots == nil || it.Slots == nil {
			t.Errorf("item %d lacks directions, approved_slots or slots: %+v", i, it)
		}
	}
	if !p.Dataset.Sample || p.Dataset.Version != snap.Version {
		t.Errorf("dataset block = %+v", p.Dataset)
	}
}

func today() county.Date {
	return county.Date(time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly))
}

// TestBadInput lists every bad query: each is a 4xx RFC 9457 problem whose
// message names the parameter and says what to fix, never a 500 and never
// a silent empty result.
func TestBadInput(t *testing.T) {
	ts := newTestServer(t)
	valid := get(t, ts, "/api/v1/facilities?limit=1")
	next := decode[page](t, valid).Next
	for _, tt := range []struct {
		name, path string
		status     int
		location   string
		says       string
	}{
		{"bbox in the wrong order", "/api/v1/facilities?bbox=119.1,27.6,119.0,27.7", 422, "query.bbox", "greater than maxLon"},
		{"bbox lat in the wrong order", "/api/v1/facilities?bbox=119.0,27.7,119.1,27.6", 422, "query.bbox", "greater than maxLat"},
		{"bbox with three numbers", "/api/v1/facilities?bbox=119,27,120", 422, "query.bbox", "want 4"},
		{"latitude above 90", "/api/v1/facilities?near=119.06,95", 422, "query.near", "latitude 95"},
		{"latitude below -90", "/api/v1/facilities?bbox=0,-91,1,1", 422, "query.bbox", "latitude -91"},
		{"longitude above 180", "/api/v1/facilities?near=181,27", 422, "query.near", "longitude 181"},
		{"lat,lon swapped far out", "/api/v1/facilities?near=27.62,119.06", 422, "query.near", "order is lon,lat"},
		{"NaN", "/api/v1/facilities?near=NaN,27", 422, "query.near", "finite"},
		{"Inf", "/api/v1/facilities?bbox=-Inf,27,119,28", 422, "query.bbox", "finite"},
		{"not a number", "/api/v1/facilities?near=east,27", 422, "query.near", "not a number"},
		{"max_distance NaN", "/api/v1/facilities?near=119,27&max_distance=NaN", 422, "query.max_distance", "finite"},
		{"max_distance zero", "/api/v1/facilities?near=119,27&max_distance=0", 422, "query.max_distance", "> 0"},
		{"max_distance without near", "/api/v1/facilities?max_distance=500", 422, "query.max_distance", "needs near"},
		{"unknown kind", "/api/v1/facilities?kind=school", 422, "query.kind[0]", "childcare"},
		{"unknown class", "/api/v1/facilities?class=big", 422, "query.class", "toddler_small"},
		{"star above 3", "/api/v1/facilities?star_min=4", 422, "query.star_min", "<= 3"},
		{"inclusive not boolean", "/api/v1/facilities?inclusive=yes", 422, "query.inclusive", "true"},
		{"limit zero", "/api/v1/facilities?limit=0", 422, "query.limit", ">= 1"},
		{"limit above the maximum", "/api/v1/facilities?limit=1001", 422, "query.limit", "<= 1000"},
		{"negative offset", "/api/v1/facilities?offset=-1", 422, "query.offset", ">= 0"},
		{"malformed cursor", "/api/v1/facilities?cursor=not-a-cursor", 422, "query.cursor", "not one this API issued"},
		{"cursor and offset", next + "&offset=3", 422, "query.offset", "not both"},
		{"cursor from another version", "/api/v1/facilities?cursor=YzE6NTpvbGR2ZXJzaW9u", 422, "query.cursor", "data has changed"},
		{"bad date", "/api/v1/facilities?open_on=2025-02-30", 422, "query.open_on", "YYYY-MM-DD"},
		{"unknown region filter", "/api/v1/facilities?region=999999", 422, "query.region", "no region has code"},
		{"unknown region filter on download", "/api/v1/facilities.csv?region=999999", 422, "query.region", "no region has code"},
		{"bad bbox on download", "/api/v1/facilities.geojson?bbox=1,2,0,3", 422, "query.bbox", "greater than"},
		{"unknown facility", "/api/v1/facilities/NOPE", 404, "", "no facility has id"},
		{"unknown region", "/api/v1/regions/331126999", 404, "", "no region has code"},
		{"unknown level", "/api/v1/regions?level=province", 422, "query.level", "township"},
		{"unknown level on download", "/api/v1/regions.geojson?level=street", 422, "query.level", "township"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, ts, tt.path)
			if r.status != tt.status {
				t.Fatalf("GET %s = %d, want %d: %s", tt.path, r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			if r.header.Get("ETag") != "" {
				t.Errorf("a problem carries ETag %q: it would be cached as the resource", r.header.Get("ETag"))
			}
			var p struct {
				Status int    `json:"status"`
				Detail string `json:"detail"`
				Errors []struct {
					Message  string `json:"message"`
					Location string `json:"location"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(r.body, &p); err != nil || p.Status != tt.status {
				t.Fatalf("problem %s: %v", r.body, err)
			}
			text := p.Detail
			if tt.location != "" {
				i := slices.IndexFunc(p.Errors, func(e struct {
					Message  string `json:"message"`
					Location string `json:"location"`
				}) bool {
					return e.Location == tt.location
				})
				if i < 0 {
					t.Fatalf("no error at %s in %s", tt.location, r.body)
				}
				text = p.Errors[i].Message
			}
			if !strings.Contains(text, tt.says) {
				t.Errorf("message %q does not say %q", text, tt.says)
			}
		})
	}
}

func TestFilters(t *testing.T) {
	ts := newTestServer(t)
	all := func(path string) []api.Facility {
		t.Helper()
		r := get(t, ts, path)
		if r.status != 200 {
			t.Fatalf("GET %s = %d: %s", path, r.status, r.body)
		}
		p := decode[page](t, r)
		if p.NumberReturned != len(p.Items) || (p.Next == "" && p.NumberMatched != len(p.Items)) {
			t.Fatalf("GET %s: matched %d, returned %d, items %d", path, p.NumberMatched, p.NumberReturned, len(p.Items))
		}
		if len(p.Items) == 0 {
			t.Fatalf("GET %s matched nothing: the sample should have some", path)
		}
		return p.Items
	}
	for _, it := range all("/api/v1/facilities?region=331126001&limit=1000") {
		if it.TownshipCode != "331126001" {
			t.Errorf("region=331126001 returned %s in %s", it.ID, it.TownshipCode)
		}
	}
	for _, it := range all("/api/v1/facilities?region=331126001003&limit=1000") {
		if it.VillageCode != "331126001003" {
			t.Errorf("region=331126001003 returned %s in %s", it.ID, it.VillageCode)
		}
	}
	for _, it := range all("/api/v1/facilities?bbox=119.03,27.59,119.09,27.64&limit=1000") {
		if it.Lon < 119.03 || it.Lon > 119.09 || it.Lat < 27.59 || it.Lat > 27.64 {
			t.Errorf("bbox returned %s at %v,%v", it.ID, it.Lon, it.Lat)
		}
	}
	for _, it := range all("/api/v1/facilities?inclusive=false&limit=1000") {
		if it.Kind != "childcare" || *it.Inclusive {
			t.Errorf("inclusive=false returned %s", it.ID)
		}
	}
	for _, it := range all("/api/v1/facilities?class=infant&limit=1000") {
		if it.Slots == nil || it.Slots.Infant == 0 {
			t.Errorf("class=infant returned %s with no infant slots", it.ID)
		}
	}
	for _, it := range all("/api/v1/facilities?star_min=3&limit=1000") {
		if it.Kind != "nursing_room" || *it.Star != 3 {
			t.Errorf("star_min=3 returned %s", it.ID)
		}
	}
	for _, it := range all("/api/v1/facilities?near=119.06,27.62&max_distance=1500&limit=1000") {
		if *it.DistanceM > 1500 {
			t.Errorf("max_distance=1500 returned %s at %v m", it.ID, *it.DistanceM)
		}
	}
	both := all("/api/v1/facilities?kind=childcare&kind=nursing_room&bbox=119.03,27.59,119.09,27.64&near=119.06,27.62&limit=1000")
	kinds := map[string]bool{}
	for i, it := range both {
		kinds[it.Kind] = true
		if i > 0 && *it.DistanceM < *both[i-1].DistanceM {
			t.Errorf("bbox+near not sorted by distance")
		}
	}
	if len(kinds) != 2 {
		t.Errorf("kind repeated twice returned kinds %v", kinds)
	}
	// Closed centres: absent today, present on a day they were open and with open_on=any.
	now := decode[page](t, get(t, ts, "/api/v1/facilities?kind=childcare&limit=1")).NumberMatched
	anyDay := decode[page](t, get(t, ts, "/api/v1/facilities?kind=childcare&open_on=any&limit=1")).NumberMatched
	past := decode[page](t, get(t, ts, "/api/v1/facilities?kind=childcare&open_on=2021-06-01&limit=1000"))
	if anyDay <= now {
		t.Errorf("open_on=any matched %d, today %d: closed centres should count only with any", anyDay, now)
	}
	for _, it := range past.Items {
		if it.OpenedOn > "2021-06-01" || (it.ClosedOn != "" && it.ClosedOn <= "2021-06-01") {
			t.Errorf("open_on=2021-06-01 returned %s open %s–%s", it.ID, it.OpenedOn, it.ClosedOn)
		}
	}
}

// TestPagination walks the next links and sees every facility exactly once.
func TestPagination(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ base, limit string }{
		{"/api/v1/facilities?limit=7", "7"}, {"/api/v1/facilities?limit=9&near=119.1,27.6", "9"},
	} {
		base := tt.base
		seen := map[string]bool{}
		path, matched, lastDist := base, -1, -1.0
		for pages := 0; path != ""; pages++ {
			r := get(t, ts, path)
			p := decode[page](t, r)
			if matched >= 0 && p.NumberMatched != matched {
				t.Fatalf("number_matched changed from %d to %d", matched, p.NumberMatched)
			}
			matched = p.NumberMatched
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Fatalf("%s: %s seen twice", base, it.ID)
				}
				seen[it.ID] = true
				if it.DistanceM != nil {
					if *it.DistanceM < lastDist {
						t.Fatalf("%s: distances go back across pages", base)
					}
					lastDist = *it.DistanceM
				}
			}
			if p.Next != "" && !strings.Contains(r.header.Get("Link"), `rel="next"`) {
				t.Errorf("no Link header with the next page")
			}
			path = p.Next
			if pages > 100 {
				t.Fatal("too many pages")
			}
		}
		if len(seen) != matched {
			t.Errorf("%s: walked %d facilities, number_matched %d", base, len(seen), matched)
		}
		// offset gives the same second page as the cursor.
		a := decode[page](t, get(t, ts, base+"&offset="+tt.limit))
		b := decode[page](t, get(t, ts, decode[page](t, get(t, ts, base)).Next))
		if len(a.Items) == 0 || len(a.Items) != len(b.Items) {
			t.Fatalf("offset page has %d items, cursor page %d", len(a.Items), len(b.Items))
		}
		for i := range a.Items {
			if a.Items[i].ID != b.Items[i].ID {
				t.Errorf("offset and cursor pages differ at %d: %s, %s", i, a.Items[i].ID, b.Items[i].ID)
			}
		}
	}
}

func TestETag(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/api/v1/facilities?limit=2", "/api/v1/facilities/CC0001", "/api/v1/facilities.csv",
		"/api/v1/facilities.geojson", "/api/v1/regions", "/api/v1/regions/331126", "/api/v1/regions.geojson", "/api/v1/dataset"} {
		r := get(t, ts, path)
		etag := r.header.Get("ETag")
		if r.status != 200 || !strings.HasPrefix(etag, `"`+sampleSnapshot(t).Version) {
			t.Fatalf("GET %s = %d with ETag %q", path, r.status, etag)
		}
		if r.header.Get("Last-Modified") == "" {
			t.Errorf("GET %s has no Last-Modified", path)
		}
		again := get(t, ts, path, "If-None-Match", etag)
		if again.status != http.StatusNotModified || len(again.body) != 0 || again.header.Get("ETag") != etag {
			t.Errorf("GET %s with If-None-Match = %d (%d bytes), want 304 and no body", path, again.status, len(again.body))
		}
		if other := get(t, ts, path, "If-None-Match", `"something-else"`); other.status != 200 {
			t.Errorf("GET %s with a stale ETag = %d, want 200", path, other.status)
		}
	}
}

func TestBulkDownloads(t *testing.T) {
	ts := newTestServer(t)
	list := decode[page](t, get(t, ts, "/api/v1/facilities?limit=1000"))

	r := get(t, ts, "/api/v1/facilities.csv")
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("CSV: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(r.body, []byte("\xEF\xBB\xBF")) {
		t.Error("CSV does not start with a UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "id" || rows[0][2] != "name_zh" || len(rows)-1 != list.NumberMatched {
		t.Errorf("CSV header %v and %d rows; want %d", rows[0][:3], len(rows)-1, list.NumberMatched)
	}
	if rows[1][0] != list.Items[0].ID || rows[1][2] != list.Items[0].NameZh {
		t.Errorf("CSV first row %v, JSON first item %s %s", rows[1][:3], list.Items[0].ID, list.Items[0].NameZh)
	}

	g := get(t, ts, "/api/v1/facilities.geojson?kind=nursing_room")
	if g.status != 200 || g.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("GeoJSON: %d %s", g.status, g.header.Get("Content-Type"))
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties api.Facility `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(g.body, &fc); err != nil {
		t.Fatal(err)
	}
	rooms := decode[page](t, get(t, ts, "/api/v1/facilities?kind=nursing_room&limit=1")).NumberMatched
	if fc.Type != "FeatureCollection" || len(fc.Features) != rooms {
		t.Fatalf("GeoJSON %s with %d features, want %d", fc.Type, len(fc.Features), rooms)
	}
	for _, f := range fc.Features {
		c := f.Geometry.Coordinates
		if f.Type != "Feature" || f.Geometry.Type != "Point" || len(c) != 2 || c[0] != f.Properties.Lon || c[1] != f.Properties.Lat {
			t.Fatalf("feature %s: %s %v", f.Properties.ID, f.Geometry.Type, c)
		}
		if f.Properties.Star == nil || f.Properties.Kind != "nursing_room" {
			t.Fatalf("feature %s lacks its star", f.Properties.ID)
		}
	}
}

func TestRegions(t *testing.T) {
	ts := newTestServer(t)
	list := decode[struct {
		Items []api.Region `json:"items"`
	}](t, get(t, ts, "/api/v1/regions?level=township"))
	if len(list.Items) != 19 {
		t.Fatalf("%d townships, want 19", len(list.Items))
	}
	sum := 0
	for _, r := range list.Items {
		sum += *r.Population
	}
	county := decode[struct {
		Region api.RegionDetail `json:"region"`
	}](t, get(t, ts, "/api/v1/regions/331126"))
	if *county.Region.Population != sum || len(county.Region.Children) != 19 || county.Region.Parent != nil {
		t.Errorf("county population %d (townships sum %d), %d children", *county.Region.Population, sum, len(county.Region.Children))
	}
	if len(county.Region.PopulationByYear) == 0 || county.Region.Facilities.Childcare == 0 {
		t.Errorf("county detail lacks population by year or facilities: %+v", county.Region.Facilities)
	}
	v := decode[struct {
		Region api.RegionDetail `json:"region"`
	}](t, get(t, ts, "/api/v1/regions/331126001003"))
	if !v.Region.NewCommunity || v.Region.Parent == nil || v.Region.Parent.Code != "331126001" {
		t.Errorf("新建社区: new_community %v, parent %+v", v.Region.NewCommunity, v.Region.Parent)
	}

	g := get(t, ts, "/api/v1/regions.geojson?level=village")
	var fc struct {
		Features []struct {
			ID       string `json:"id"`
			Geometry struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(g.body, &fc); err != nil || g.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("regions.geojson: %v %s", err, g.header.Get("Content-Type"))
	}
	if len(fc.Features) != 203 {
		t.Errorf("%d village features, want 203", len(fc.Features))
	}
	for _, f := range fc.Features {
		if f.Geometry.Type != "Polygon" && f.Geometry.Type != "MultiPolygon" {
			t.Errorf("village %s geometry %q", f.ID, f.Geometry.Type)
		}
	}
}

func TestDatasetHealthAndMetrics(t *testing.T) {
	ts := newTestServer(t)
	d := decode[api.Dataset](t, get(t, ts, "/api/v1/dataset"))
	if !d.Sample || d.Generator == nil || d.Generator.Seed == 0 || d.Counts.Childcare == 0 || len(d.Sources) == 0 {
		t.Errorf("dataset = %+v", d)
	}
	if !strings.Contains(d.Notice, "not official statistics") || d.Version == "" {
		t.Errorf("dataset notice %q, version %q", d.Notice, d.Version)
	}
	if r := get(t, ts, "/healthz"); r.status != 200 {
		t.Errorf("/healthz = %d", r.status)
	}
	if r := get(t, ts, "/readyz"); r.status != 200 || !strings.Contains(string(r.body), d.Version) {
		t.Errorf("/readyz = %d %s", r.status, r.body)
	}
	m := get(t, ts, "/metrics")
	for _, want := range []string{`shanyu_http_requests_total{code="200",operation="get-dataset"}`, "shanyu_snapshot_info{version=", "shanyu_http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if r := get(t, ts, "/", "X-Request-Id", "abc123"); r.header.Get("X-Request-Id") != "abc123" {
		t.Errorf("request id not echoed: %q", r.header.Get("X-Request-Id"))
	}

	empty := httptest.NewServer(api.NewServer(nil, nil).Handler())
	defer empty.Close()
	if r := get(t, empty, "/readyz"); r.status != 503 {
		t.Errorf("/readyz with no snapshot = %d, want 503", r.status)
	}
	if r := get(t, empty, "/api/v1/facilities"); r.status != 503 {
		t.Errorf("facilities with no snapshot = %d, want 503", r.status)
	}
}

func TestPagesAndDocs(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/docs", "/openapi.json", "/openapi.yaml"} {
		r := get(t, ts, path)
		if r.status != 200 {
			t.Errorf("GET %s = %d", path, r.status)
		}
	}
	docs := get(t, ts, "/docs")
	if !strings.Contains(docs.header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("/docs has no same-origin CSP")
	}
	for _, page := range []string{"/", "/docs"} {
		body := string(get(t, ts, page).body)
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("%s links to another origin", page)
		}
	}
	if r := get(t, ts, "/openapi.yaml"); !strings.Contains(string(r.body), "openapi: 3.1.0") {
		t.Errorf("/openapi.yaml is not OpenAPI 3.1")
	}
}

// TestOpenAPIIsCommitted fails when openapi.yaml differs from the code's;
// `go test ./api -update` rewrites it.
func TestOpenAPIIsCommitted(t *testing.T) {
	got, err := api.OpenAPI().YAML()
	if err != nil {
		t.Fatal(err)
	}
	const path = "../openapi.yaml"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("openapi.yaml differs from the API: run `go run ./cmd/shanyu openapi > openapi.yaml` (or go test ./api -update) and commit it")
	}
}
