package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"shanyu/api"
	"shanyu/county"
	"shanyu/snapshot"
)

// Published WGS84 → GCJ-02 pairs (the eviltransform project's test cases)
// in Shanghai, Shenzhen and Beijing.
var publishedGCJ = []struct {
	id       string
	wgs, gcj orb.Point
}{
	{"SH", orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
	{"SZ", orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}},
	{"BJ", orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
}

// TestGCJ02 puts a facility at each published WGS84 point and asks for it
// the way an app on Amap or WeChat would: near and bbox in GCJ-02, answers
// in GCJ-02 in JSON, CSV and GeoJSON, equal to the published pair; and the
// same request without crs stays in WGS84.
func TestGCJ02(t *testing.T) {
	var facs []county.Facility
	for _, p := range publishedGCJ {
		facs = append(facs, county.Facility{ID: p.id, Kind: county.NursingRoom, NameZh: p.id, Point: p.wgs, Star: 1})
	}
	ts := httptest.NewServer(api.NewServer(snapshot.New(&county.Dataset{Facilities: facs}, "gcj"), nil).Handler())
	defer ts.Close()
	close6 := func(a, b float64) bool { return math.Abs(a-b) <= 0.6e-6 }
	for _, p := range publishedGCJ {
		near := fmt.Sprintf("%v,%v", p.gcj[0], p.gcj[1])
		pg := decode[page](t, get(t, ts, "/api/v1/facilities?open_on=any&crs=gcj02&limit=1&near="+near))
		if len(pg.Items) != 1 || pg.Items[0].ID != p.id {
			t.Fatalf("%s: nearest to its GCJ-02 point is %+v", p.id, pg.Items)
		}
		it := pg.Items[0]
		if !close6(it.Lon, p.gcj[0]) || !close6(it.Lat, p.gcj[1]) {
			t.Errorf("%s: JSON gives %v,%v, published GCJ-02 is %v", p.id, it.Lon, it.Lat, p.gcj)
		}
		if *it.DistanceM > 0.1 {
			t.Errorf("%s: %v m from its own GCJ-02 point", p.id, *it.DistanceM)
		}
		one := decode[struct{ Facility api.Facility }](t, get(t, ts, "/api/v1/facilities/"+p.id+"?crs=gcj02"))
		if !close6(one.Facility.Lon, p.gcj[0]) || !close6(one.Facility.Lat, p.gcj[1]) {
			t.Errorf("%s: one facility in GCJ-02 at %v,%v", p.id, one.Facility.Lon, one.Facility.Lat)
		}
		wgs := decode[page](t, get(t, ts, "/api/v1/facilities?open_on=any&limit=1&near="+fmt.Sprintf("%v,%v", p.wgs[0], p.wgs[1])))
		if !close6(wgs.Items[0].Lon, p.wgs[0]) || !close6(wgs.Items[0].Lat, p.wgs[1]) || *wgs.Items[0].DistanceM > 0.1 {
			t.Errorf("%s: without crs %+v, want WGS84 %v", p.id, wgs.Items[0], p.wgs)
		}

		// A 20 m GCJ-02 box around the GCJ-02 point holds it; the same box
		// read as WGS84 (a few hundred metres off) does not.
		d := 0.0002
		box := fmt.Sprintf("%v,%v,%v,%v", p.gcj[0]-d, p.gcj[1]-d, p.gcj[0]+d, p.gcj[1]+d)
		if n := decode[page](t, get(t, ts, "/api/v1/facilities?open_on=any&crs=gcj02&bbox="+box)).NumberMatched; n != 1 {
			t.Errorf("%s: GCJ-02 box finds %d", p.id, n)
		}
		if n := decode[page](t, get(t, ts, "/api/v1/facilities?open_on=any&bbox="+box)).NumberMatched; n != 0 {
			t.Errorf("%s: the GCJ-02 box read as WGS84 finds %d", p.id, n)
		}

		gj := decode[struct {
			Features []struct {
				Geometry   struct{ Coordinates [2]float64 }
				Properties struct{ Lon, Lat float64 }
			}
		}](t, get(t, ts, "/api/v1/facilities.geojson?open_on=any&crs=gcj02&bbox="+box))
		if len(gj.Features) != 1 || !close6(gj.Features[0].Geometry.Coordinates[0], p.gcj[0]) ||
			!close6(gj.Features[0].Geometry.Coordinates[1], p.gcj[1]) || gj.Features[0].Properties.Lon != gj.Features[0].Geometry.Coordinates[0] {
			t.Errorf("%s: GeoJSON in GCJ-02 %+v", p.id, gj.Features)
		}

		r := get(t, ts, "/api/v1/facilities.csv?open_on=any&crs=gcj02&bbox="+box)
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\uFEFF")))).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%s: CSV %v %q", p.id, err, r.body)
		}
		lon, _ := strconv.ParseFloat(rows[1][3], 64)
		lat, _ := strconv.ParseFloat(rows[1][4], 64)
		if rows[0][3] != "lon" || !close6(lon, p.gcj[0]) || !close6(lat, p.gcj[1]) {
			t.Errorf("%s: CSV in GCJ-02 %v", p.id, rows[1][:5])
		}
	}
	if r := get(t, ts, "/api/v1/facilities?crs=bd09"); r.status != 422 {
		t.Errorf("crs=bd09: %d, want 422", r.status)
	}
}
