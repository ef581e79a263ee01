package generator

import (
	"math"
	"math/rand/v2"
	"shanyu/geo"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func area(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		a += math.Abs(planar.Area(p))
	}
	return a
}

func TestClipHalfPlaneSplitsIntoPieces(t *testing.T) {
	// A "U": clipping away its base leaves two separate arms.
	u := orb.Ring{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}
	got := ClipHalfPlane(u, 0, -1, -2) // keep y >= 2
	if len(got) != 2 {
		t.Fatalf("ClipHalfPlane(U, y>=2) = %d rings, want 2", len(got))
	}
	for _, r := range got {
		if a := math.Abs(planar.Area(r)); math.Abs(a-1) > 1e-12 {
			t.Errorf("arm area = %v, want 1", a)
		}
	}
	if got := ClipHalfPlane(u, 0, 1, -1); len(got) != 0 {
		t.Errorf("ClipHalfPlane(U, y<=-1) = %d rings, want 0", len(got))
	}
	if got := ClipHalfPlane(u, 0, 1, 10); len(got) != 1 || math.Abs(planar.Area(got[0])) != 7 {
		t.Errorf("ClipHalfPlane(U, y<=10) should return U whole")
	}
}

func TestVoronoiPartitionCoversWithoutOverlap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	// A jagged, non-convex outline, like a county's.
	var ring orb.Ring
	for i := 0; i < 400; i++ {
		a := 2 * math.Pi * float64(i) / 400
		rad := 1 + 0.3*math.Sin(7*a) + 0.1*r.Float64()
		ring = append(ring, orb.Point{rad * math.Cos(a), rad * math.Sin(a)})
	}
	ring = append(ring, ring[0])
	region := orb.MultiPolygon{{ring}}
	seeds := make([]orb.Point, 25)
	for i := range seeds {
		seeds[i] = orb.Point{r.Float64()*2 - 1, r.Float64()*2 - 1}
	}
	cells := VoronoiPartition(region, seeds, 0.9)
	var sum float64
	for _, c := range cells {
		sum += area(c)
	}
	if want := area(region); math.Abs(sum-want) > 1e-9*want {
		t.Fatalf("cells cover %.12f, region is %.12f", sum, want)
	}
	// Random points of the region fall in exactly one cell (off borders).
	idx := geo.NewPolygonIndex(cells)
	for i := 0; i < 2000; i++ {
		p := orb.Point{r.Float64()*3 - 1.5, r.Float64()*3 - 1.5}
		in := planar.MultiPolygonContains(region, p)
		n := len(idx.Covering(p))
		if in && n != 1 || !in && n != 0 {
			t.Fatalf("point %v in region=%v is covered by %d cells", p, in, n)
		}
	}
}

func TestPolygonIndexBorderPointCoveredByBoth(t *testing.T) {
	left := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	right := orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}}
	idx := geo.NewPolygonIndex([]orb.MultiPolygon{left, right})
	if got := idx.Covering(orb.Point{1, 0.5}); len(got) != 2 || got[0] != 0 {
		t.Errorf("Covering(border) = %v, want [0 1]", got)
	}
	if got := idx.Covering(orb.Point{5, 5}); len(got) != 0 {
		t.Errorf("Covering(outside) = %v, want none", got)
	}
}
