package geo_test

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"shanyu/data/sample"
	"shanyu/geo"
	"shanyu/source/bundle"
)

// TestAreaAgreesWithPlanar compares Area.Contains with
// planar.MultiPolygonContains on the sample's county and every township
// and village (real and illustrative boundaries, thousands of vertices),
// a polygon with a hole, and a two-part multipolygon: at random points over
// and around each, on every vertex and at every edge's midpoint.
func TestAreaAgreesWithPlanar(t *testing.T) {
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	shapes := map[string]orb.MultiPolygon{
		"hole": {{
			{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
			{{3, 3}, {7, 3}, {7, 7}, {3, 7}, {3, 3}},
		}},
		"two parts": {
			{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
			{{{5, 5}, {6, 5}, {5.5, 6}, {5, 5}}},
		},
	}
	for _, r := range ds.Regions {
		shapes[r.Code] = r.Geometry
	}
	rnd := rand.New(rand.NewPCG(6, 6))
	checked := 0
	for name, mp := range shapes {
		a := geo.NewArea(mp)
		b := mp.Bound()
		dx, dy := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
		var pts []orb.Point
		for range 3000 {
			pts = append(pts, orb.Point{b.Min[0] - dx*0.05 + rnd.Float64()*dx*1.1, b.Min[1] - dy*0.05 + rnd.Float64()*dy*1.1})
		}
		for _, poly := range mp {
			for _, ring := range poly {
				for k := range ring {
					p, q := ring[k], ring[(k+1)%len(ring)]
					pts = append(pts, p, orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2})
				}
			}
		}
		for _, p := range pts {
			if got, want := a.Contains(p), planar.MultiPolygonContains(mp, p); got != want {
				t.Fatalf("%s: Contains(%v) = %v, planar says %v", name, p, got, want)
			}
			checked++
		}
	}
	if checked < 100000 {
		t.Fatalf("only %d points checked", checked)
	}
}

func BenchmarkAreaContains(b *testing.B) {
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		b.Fatal(err)
	}
	var mp orb.MultiPolygon
	for _, r := range ds.Regions {
		if r.Level == "county" {
			mp = r.Geometry
		}
	}
	a := geo.NewArea(mp)
	i := 0
	for b.Loop() {
		a.Contains(orb.Point{119.0 + float64(i%300)*0.0003, 27.55 + float64(i/300%300)*0.0003})
		i++
	}
}
