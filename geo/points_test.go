package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// county is roughly the sample county's bound; the property tests draw
// facilities there, as a real county's data would be.
var county = orb.Bound{Min: orb.Point{118.85, 27.40}, Max: orb.Point{119.40, 27.85}}

func randomIn(r *rand.Rand, b orb.Bound) orb.Point {
	return orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
}

func bruteNearest(points []orb.Point, p orb.Point, k int, maxMetres float64, keep func(int) bool) []Hit {
	var hits []Hit
	for i, q := range points {
		if keep != nil && !keep(i) {
			continue
		}
		m := Distance(p, q)
		if maxMetres > 0 && m > maxMetres {
			continue
		}
		hits = append(hits, Hit{i, m})
	}
	sortHits(hits)
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits
}

// sameHits compares two nearest answers as sets of distances: where two
// points are equally far (to a micrometre) either may come first, and the
// k-th place may go to either of a tie.
func sameHits(t *testing.T, name string, got, want []Hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d hits, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i].Metres-want[i].Metres) > 1e-6 {
			t.Fatalf("%s: hit %d at %.6f m (index %d), want %.6f m (index %d)",
				name, i, got[i].Metres, got[i].Index, want[i].Metres, want[i].Index)
		}
	}
	if len(got) > 0 && got[len(got)-1].Metres < want[len(want)-1].Metres-1e-6 {
		t.Fatalf("%s: farthest hit nearer than the true k-th", name)
	}
}

func TestNearestMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	points := make([]orb.Point, 3000)
	for i := range points {
		points[i] = randomIn(r, county)
	}
	// Duplicates and collinear runs, as on a street of centres.
	for i := 0; i < 50; i++ {
		points[i] = points[100]
		points[200+i] = orb.Point{119.0 + float64(i)*1e-4, 27.6}
	}
	idx := NewPointIndex(points)

	wide := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	queries := []struct {
		name  string
		bound orb.Bound
		n     int
	}{
		{"inside the county", county, 1500},
		{"at its edge", orb.Bound{Min: orb.Point{118.84, 27.39}, Max: orb.Point{118.86, 27.86}}, 500},
		{"just outside", orb.Bound{Min: orb.Point{119.45, 27.3}, Max: orb.Point{119.9, 27.9}}, 500},
		{"anywhere on Earth", wide, 1000},
	}
	for _, q := range queries {
		for i := 0; i < q.n; i++ {
			p := randomIn(r, q.bound)
			k := 1 + r.IntN(30)
			var maxM float64
			if r.IntN(3) == 0 {
				maxM = r.Float64() * 20000
			}
			got := idx.Nearest(p, k, maxM, nil)
			want := bruteNearest(points, p, k, maxM, nil)
			sameHits(t, q.name, got, want)
		}
	}
}

func TestNearestWithFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	points := make([]orb.Point, 2000)
	for i := range points {
		points[i] = randomIn(r, county)
	}
	idx := NewPointIndex(points)
	keep := func(i int) bool { return i%7 == 3 }
	for i := 0; i < 500; i++ {
		p := randomIn(r, county)
		got := idx.Nearest(p, 10, 0, keep)
		for _, h := range got {
			if !keep(h.Index) {
				t.Fatalf("Nearest returned index %d that the filter drops", h.Index)
			}
		}
		sameHits(t, "filtered", got, bruteNearest(points, p, 10, 0, keep))
	}
}

func TestNearestEdgeCases(t *testing.T) {
	points := []orb.Point{{179.9999, 0}, {-179.9999, 0}, {0, 89.9999}, {180, 0}, {0, -90}}
	idx := NewPointIndex(points)
	for _, p := range []orb.Point{{-180, 0}, {180, 0}, {0, 90}, {0, -90}, {90, 45}, {math.Copysign(0, -1), 0}} {
		for k := 1; k <= len(points)+2; k++ {
			sameHits(t, "edge", idx.Nearest(p, k, 0, nil), bruteNearest(points, p, k, 0, nil))
		}
	}
	if got := NewPointIndex(nil).Nearest(orb.Point{0, 0}, 5, 0, nil); len(got) != 0 {
		t.Errorf("empty index returned %d hits", len(got))
	}
	if got := idx.Nearest(orb.Point{0, 0}, 0, 0, nil); len(got) != 0 {
		t.Errorf("k=0 returned %d hits", len(got))
	}
}

func TestInBoundMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	points := make([]orb.Point, 5000)
	for i := range points {
		points[i] = randomIn(r, county)
	}
	points[0] = orb.Point{119.0, 27.5} // exactly on the query's corner below
	idx := NewPointIndex(points)
	bounds := []orb.Bound{{Min: orb.Point{119.0, 27.5}, Max: orb.Point{119.02, 27.52}}}
	for i := 0; i < 300; i++ {
		a, b := randomIn(r, county), randomIn(r, county)
		bounds = append(bounds, orb.Bound{Min: a, Max: a}.Extend(b))
	}
	for _, b := range bounds {
		var got []int
		idx.InBound(b, func(i int) { got = append(got, i) })
		slices.Sort(got)
		var want []int
		for i, p := range points {
			if b.Contains(p) {
				want = append(want, i)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("InBound(%v) = %d points, want %d", b, len(got), len(want))
		}
	}
}

func TestWithinMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	points := make([]orb.Point, 3000)
	for i := range points {
		points[i] = randomIn(r, county)
	}
	points = append(points, orb.Point{179.99, 10}, orb.Point{-179.99, 10}, orb.Point{0, 89.99}, orb.Point{180, 89.99})
	idx := NewPointIndex(points)
	queries := []orb.Point{{180, 10}, {-180, 10}, {0, 90}, {90, 90}}
	for i := 0; i < 1000; i++ {
		queries = append(queries, randomIn(r, orb.Bound{Min: orb.Point{118.7, 27.2}, Max: orb.Point{119.6, 28}}))
	}
	for _, p := range queries {
		metres := r.Float64() * 30000
		var got []int
		idx.Within(p, metres, func(i int, m float64) {
			if math.Abs(m-Distance(p, points[i])) > 1e-9 {
				t.Fatalf("Within reported %v m for %d, distance is %v", m, i, Distance(p, points[i]))
			}
			got = append(got, i)
		})
		slices.Sort(got)
		var want []int
		for i, q := range points {
			if Distance(p, q) <= metres {
				want = append(want, i)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Within(%v, %.0f m) = %d points, want %d", p, metres, len(got), len(want))
		}
	}
}
