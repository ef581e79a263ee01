package api_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"shanyu/api"
	"shanyu/county"
	"shanyu/snapshot"
)

// decodeTile reads a tile's one layer, in tile units and in WGS84.
func decodeTile(t *testing.T, b []byte, name string, tile maptile.Tile) (units, wgs *mvt.Layer) {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatalf("not a vector tile: %v", err)
	}
	if len(layers) != 1 || layers[0].Name != name || layers[0].Extent != 4096 {
		t.Fatalf("layers: %d, first %q", len(layers), layers[0].Name)
	}
	units = layers[0]
	again, _ := mvt.Unmarshal(b)
	again[0].ProjectToWGS84(tile)
	return units, again[0]
}

func TestTiles(t *testing.T) {
	ts := newTestServer(t)
	snap := sampleSnapshot(t)
	all, _ := snap.Facilities(snapshot.Query{Kinds: []county.Kind{county.Childcare}, Limit: -1})
	seat := all[0].Facility.Point

	// A point tile holds exactly the centres inside it and its margin,
	// each where it is (to a tile unit), with its properties.
	for _, z := range []maptile.Zoom{8, 12, 15} {
		tile := maptile.At(seat, z)
		r := get(t, ts, fmt.Sprintf("/tiles/childcare/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y))
		if r.status != 200 || r.header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
			t.Fatalf("z%d: %d %s", z, r.status, r.header.Get("Content-Type"))
		}
		_, layer := decodeTile(t, r.body, "childcare", tile)
		inside := tile.Bound(64.0 / 4096)
		var want []string
		for _, m := range all {
			if inside.Contains(m.Facility.Point) {
				want = append(want, m.Facility.ID)
			}
		}
		var got []string
		unit := (inside.Max[0] - inside.Min[0]) / (4096 + 128)
		for _, f := range layer.Features {
			id := f.Properties["id"].(string)
			got = append(got, id)
			fac, _, err := snap.Facility(id)
			if err != nil {
				t.Fatalf("z%d: tile holds unknown facility %s", z, id)
			}
			p := f.Geometry.(orb.Point)
			if d := max(abs(p[0]-fac.Point[0]), abs(p[1]-fac.Point[1])); d > unit {
				t.Errorf("z%d: %s at %v, is at %v", z, id, p, fac.Point)
			}
			if f.Properties["approved_slots"] != float64(fac.Slots.Total()) || f.Properties["name_zh"] != fac.NameZh {
				t.Errorf("z%d: %s properties %v", z, id, f.Properties)
			}
		}
		slices.Sort(got)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("z%d tile %v holds %v, want %v", z, tile, got, want)
		}
	}

	// Polygons are clipped to the tile and its margin, and simpler at low zoom.
	vertices := func(z maptile.Zoom) (n int, codes []string) {
		tile := maptile.At(seat, z)
		r := get(t, ts, fmt.Sprintf("/tiles/townships/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y))
		if r.status != 200 {
			t.Fatalf("townships z%d: %d", z, r.status)
		}
		units, _ := decodeTile(t, r.body, "townships", tile)
		for _, f := range units.Features {
			codes = append(codes, f.Properties["code"].(string))
			for _, p := range orb.MultiPoint(flattenPoints(f.Geometry)) {
				n++
				if p[0] < -64 || p[0] > 4096+64 || p[1] < -64 || p[1] > 4096+64 {
					t.Fatalf("z%d: vertex %v outside the tile and its margin", z, p)
				}
			}
		}
		return n, codes
	}
	low, lowCodes := vertices(9)
	high, highCodes := vertices(14)
	if !slices.Contains(lowCodes, all[0].Place.Township) || !slices.Contains(highCodes, all[0].Place.Township) {
		t.Errorf("township tiles %v / %v miss %s", lowCodes, highCodes, all[0].Place.Township)
	}
	full := 0
	for _, r := range snap.Regions(county.LevelTownship) {
		full += len(flattenPoints(r.Geometry))
	}
	if low >= full {
		t.Errorf("z9 keeps %d vertices of %d: not simplified", low, full)
	}
	t.Logf("township vertices: z9 tile %d, z14 tile %d, all townships %d", low, high, full)

	// A tile is revalidated by the dataset version.
	tile := maptile.At(seat, 12)
	path := fmt.Sprintf("/tiles/childcare/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y)
	first := get(t, ts, path)
	etag := first.header.Get("ETag")
	if !strings.HasPrefix(etag, `"`+snap.Version) {
		t.Errorf("tile ETag %q does not name version %s", etag, snap.Version)
	}
	if r := get(t, ts, path, "If-None-Match", etag); r.status != 304 || len(r.body) != 0 {
		t.Errorf("If-None-Match with the tile's ETag: %d, %d bytes", r.status, len(r.body))
	}
	if r := get(t, ts, path, "If-None-Match", `"other-0.1.0"`); r.status != 200 {
		t.Errorf("If-None-Match with another ETag: %d", r.status)
	}

	// Empty tiles are 204; bad addresses are problems.
	if r := get(t, ts, "/tiles/childcare/12/0/0.mvt"); r.status != 204 || len(r.body) != 0 {
		t.Errorf("empty tile: %d %d bytes", r.status, len(r.body))
	}
	for _, c := range []struct {
		path   string
		status int
		says   string
	}{
		{"/tiles/nope/1/0/0.mvt", 404, "no tiled collection"},
		{"/tiles/childcare/23/0/0.mvt", 400, "zoom is 0 to 22"},
		{"/tiles/childcare/2/4/0.mvt", 400, "column is 0 to 3"},
		{"/tiles/childcare/2/0/4.mvt", 400, "row is 0 to 3"},
		{"/tiles/childcare/2/0/1.png", 400, "followed by .mvt"},
		{"/tiles/childcare/2/0/-1.mvt", 400, "row is 0 to 3"},
		{"/tiles/nope/tilejson.json", 404, "no tiled collection"},
	} {
		r := get(t, ts, c.path)
		if r.status != c.status || r.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(r.body), c.says) {
			t.Errorf("%s: %d %s", c.path, r.status, r.body)
		}
	}

	// TileJSON points at the tiles of this server.
	tj := decode[api.TileJSON](t, get(t, ts, "/tiles/nursing_rooms/tilejson.json"))
	if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || tj.Tiles[0] != ts.URL+"/tiles/nursing_rooms/{z}/{x}/{y}.mvt" ||
		len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != "nursing_rooms" || tj.Version != snap.Version {
		t.Errorf("TileJSON: %+v", tj)
	}
}

func abs(v float64) float64 { return max(v, -v) }

// flattenPoints lists every vertex of a geometry.
func flattenPoints(g orb.Geometry) []orb.Point {
	var out []orb.Point
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			out = append(out, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			out = append(out, flattenPoints(p)...)
		}
	}
	return out
}

// TestTileSizeBounded crowds 20,000 rooms into a few kilometres: a tile
// over them keeps one point per grid cell, counting the rest, so its size
// stays bounded, and the counts add up to every room.
func TestTileSizeBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	facs := make([]county.Facility, 20000)
	for i := range facs {
		facs[i] = county.Facility{ID: fmt.Sprintf("NR%05d", i), Kind: county.NursingRoom, NameZh: "母婴室", Star: 1,
			Point: orb.Point{119.05 + r.Float64()*0.05, 27.60 + r.Float64()*0.05}}
	}
	snap := snapshot.New(&county.Dataset{Facilities: facs}, "crowd")
	ts := httptest.NewServer(api.NewServer(snap, nil).Handler())
	defer ts.Close()
	tile := maptile.At(orb.Point{119.075, 27.625}, 10)
	res := get(t, ts, fmt.Sprintf("/tiles/nursing_rooms/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y))
	if res.status != 200 {
		t.Fatalf("%d %s", res.status, res.body)
	}
	layer, _ := decodeTile(t, res.body, "nursing_rooms", tile)
	total := 0
	for _, f := range layer.Features {
		total += int(f.Properties["point_count"].(float64))
	}
	if len(layer.Features) > 66*66 || len(layer.Features) >= len(facs) || total != len(facs) {
		t.Errorf("%d features counting %d rooms, want at most %d counting %d", len(layer.Features), total, 66*66, len(facs))
	}
	if len(res.body) > 512<<10 {
		t.Errorf("tile of %d bytes", len(res.body))
	}
	// The same tile again comes from the cache, byte for byte.
	again := get(t, ts, fmt.Sprintf("/tiles/nursing_rooms/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y))
	if !bytes.Equal(again.body, res.body) {
		t.Error("the cached tile differs from the rendered one")
	}
	t.Logf("%d rooms in %d features, %d bytes", len(facs), len(layer.Features), len(res.body))
}
