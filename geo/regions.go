package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// PolygonIndex finds which of a fixed set of polygons cover a point. It
// buckets the polygons' bounds on a uniform grid of about one cell per
// polygon, so a lookup tests only the few polygons near the point.
type PolygonIndex struct {
	polys  []orb.MultiPolygon
	bounds []orb.Bound
	all    orb.Bound
	nx, ny int
	cells  [][]int32 // row-major grid cells, each the polygons whose bound meets it
}

// NewPolygonIndex indexes polys. Indexes in the answers are positions in
// polys.
func NewPolygonIndex(polys []orb.MultiPolygon) *PolygonIndex {
	idx := &PolygonIndex{polys: polys, bounds: make([]orb.Bound, len(polys))}
	for i, p := range polys {
		idx.bounds[i] = p.Bound()
		if i == 0 {
			idx.all = idx.bounds[i]
		} else {
			idx.all = idx.all.Union(idx.bounds[i])
		}
	}
	side := int(math.Ceil(math.Sqrt(float64(len(polys)))))
	idx.nx, idx.ny = max(side, 1), max(side, 1)
	idx.cells = make([][]int32, idx.nx*idx.ny)
	for i, b := range idx.bounds {
		x0, y0 := idx.cell(b.Min)
		x1, y1 := idx.cell(b.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				idx.cells[y*idx.nx+x] = append(idx.cells[y*idx.nx+x], int32(i))
			}
		}
	}
	return idx
}

func (idx *PolygonIndex) cell(p orb.Point) (int, int) {
	fx := (p[0] - idx.all.Min[0]) / (idx.all.Max[0] - idx.all.Min[0])
	fy := (p[1] - idx.all.Min[1]) / (idx.all.Max[1] - idx.all.Min[1])
	clamp := func(f float64, n int) int {
		if math.IsNaN(f) {
			return 0
		}
		return min(max(int(f*float64(n)), 0), n-1)
	}
	return clamp(fx, idx.nx), clamp(fy, idx.ny)
}

// Covering returns, in ascending order, the indexes of the polygons that
// contain p or have it on their boundary. A point on a border shared by two
// polygons is covered by both: callers decide which one it belongs to.
func (idx *PolygonIndex) Covering(p orb.Point) []int {
	if len(idx.polys) == 0 || !idx.all.Contains(p) {
		return nil
	}
	x, y := idx.cell(p)
	var out []int
	for _, i := range idx.cells[y*idx.nx+x] {
		if idx.bounds[i].Contains(p) && planar.MultiPolygonContains(idx.polys[i], p) {
			out = append(out, int(i))
		}
	}
	return out // ascending: cells list polygons in index order
}

// AsMultiPolygon returns a Polygon or MultiPolygon as a MultiPolygon, and
// false for any other geometry (nil gives an empty MultiPolygon and true).
func AsMultiPolygon(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}, true
	case orb.MultiPolygon:
		return g, true
	case nil:
		return nil, true
	}
	return nil, false
}

// Simplest returns a one-part MultiPolygon as a Polygon, as GeoJSON writers
// usually expect, and any other as it is.
func Simplest(mp orb.MultiPolygon) orb.Geometry {
	if len(mp) == 1 {
		return mp[0]
	}
	return mp
}
