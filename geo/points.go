package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// EarthRadius is the radius in metres of the sphere on which distances are
// measured: orb's, so that Distance agrees with orb/geo.DistanceHaversine.
const EarthRadius = orb.EarthRadius

// Distance returns the great-circle distance in metres between a and b, both
// [lon, lat] in degrees (WGS84), on a sphere of EarthRadius.
func Distance(a, b orb.Point) float64 { return orbgeo.DistanceHaversine(a, b) }

// Hit is one answer of a nearest search: the caller's index of the point and
// its distance in metres.
type Hit struct {
	Index  int
	Metres float64
}

// PointIndex answers nearest-K and bounding-box queries over a fixed set of
// points. It is immutable once built and safe for concurrent use.
//
// Nearest search runs on unit vectors in three dimensions: the straight
// chord between two points of the sphere grows monotonically with the arc
// between them, so the K nearest by chord are exactly the K nearest by
// great-circle distance, everywhere on Earth (poles and the antimeridian
// included), with no planar approximation to misorder near-ties.
type PointIndex struct {
	n      int
	at     func(i int) orb.Point // the caller's point i, read back for exact distances
	sphere *kdTree               // 3-D unit vectors
	plane  *kdTree               // lon, lat for bounding boxes
}

// NewPointIndex indexes points, each [lon, lat] in degrees. Indexes in the
// answers are positions in points.
func NewPointIndex(points []orb.Point) *PointIndex {
	return NewPointIndexFunc(len(points), func(i int) orb.Point { return points[i] })
}

// NewPointIndexFunc indexes n points read through at, which must keep
// returning the same point for an index for the life of the index. It lets a
// caller that already holds its points (inside larger records) index them
// without a second copy.
func NewPointIndexFunc(n int, at func(i int) orb.Point) *PointIndex {
	xyz := make([]float64, 0, 3*n)
	ll := make([]float64, 0, 2*n)
	for i := range n {
		p := at(i)
		x, y, z := unitVector(p)
		xyz = append(xyz, x, y, z)
		ll = append(ll, p[0], p[1])
	}
	// The two trees are independent: build them side by side.
	idx := &PointIndex{n: n, at: at}
	done := make(chan struct{})
	go func() { idx.plane = newKDTree(2, ll); close(done) }()
	idx.sphere = newKDTree(3, xyz)
	<-done
	return idx
}

// Len returns the number of indexed points.
func (idx *PointIndex) Len() int { return idx.n }

// Nearest returns the k points nearest to p by great-circle distance in
// metres, nearest first; ties are broken by index. maxMetres > 0 drops points
// farther than that. keep, when not nil, says which indexes may be returned.
func (idx *PointIndex) Nearest(p orb.Point, k int, maxMetres float64, keep func(i int) bool) []Hit {
	if k <= 0 || idx.Len() == 0 {
		return nil
	}
	x, y, z := unitVector(p)
	maxSq := math.Inf(1)
	if maxMetres > 0 {
		// chord = 2 sin(θ/2) for an arc of θ radians; clamp past the antipode.
		theta := math.Min(maxMetres/EarthRadius, math.Pi)
		c := 2 * math.Sin(theta/2)
		// A hair of slack so a point exactly at maxMetres is not lost to
		// rounding; the exact test on metres follows below.
		maxSq = c*c*(1+1e-12) + 1e-24
	}
	s := &knn{t: idx.sphere, q: [3]float64{x, y, z}, k: k, maxSq: maxSq, keep: keep,
		heap: make([]kdHit, 0, min(k, idx.n, 1024))}
	s.search(0, idx.sphere.len(), 0)
	hits := make([]Hit, 0, len(s.heap))
	for _, h := range s.heap {
		m := Distance(p, idx.at(int(h.id)))
		if maxMetres > 0 && m > maxMetres {
			continue
		}
		hits = append(hits, Hit{Index: int(h.id), Metres: m})
	}
	sortHits(hits)
	return hits
}

// Within calls fn with the index and distance of every point within metres
// of p by great-circle distance, in no particular order. It searches the
// chord ball on the unit sphere, so it is exact near the poles and across
// the antimeridian too.
func (idx *PointIndex) Within(p orb.Point, metres float64, fn func(i int, metres float64)) {
	if metres <= 0 {
		return
	}
	x, y, z := unitVector(p)
	theta := math.Min(metres/EarthRadius, math.Pi)
	c := 2*math.Sin(theta/2)*(1+1e-12) + 1e-12 // slack for rounding; exact test below
	idx.sphere.rangeSearch([]float64{x - c, y - c, z - c}, []float64{x + c, y + c, z + c}, func(id int32) {
		if m := Distance(p, idx.at(int(id))); m <= metres {
			fn(int(id), m)
		}
	})
}

// InBound calls fn with the index of every point inside b (edges included),
// in no particular order. b must not cross the antimeridian.
func (idx *PointIndex) InBound(b orb.Bound, fn func(i int)) {
	idx.plane.rangeSearch([]float64{b.Min[0], b.Min[1]}, []float64{b.Max[0], b.Max[1]},
		func(id int32) { fn(int(id)) })
}

func sortHits(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Metres != b.Metres {
			if a.Metres < b.Metres {
				return -1
			}
			return 1
		}
		return a.Index - b.Index
	})
}

func unitVector(p orb.Point) (x, y, z float64) {
	lon, lat := p[0]*math.Pi/180, p[1]*math.Pi/180
	cl := math.Cos(lat)
	return cl * math.Cos(lon), cl * math.Sin(lon), math.Sin(lat)
}
