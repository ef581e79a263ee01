package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Area answers whether points lie in a multipolygon exactly as
// planar.MultiPolygonContains does, but in constant time for almost every
// point: a grid over the polygon's bounds marks the cells no edge touches,
// where the answer cannot change from one point to another, with the
// answer of their part of the plane. Only a point in a cell an edge
// crosses is tested against the edges. Checking 100,000 imported rows
// against a county's boundary of thousands of vertices is then a matter of
// milliseconds, not seconds.
type Area struct {
	mp    orb.MultiPolygon
	bound orb.Bound
	n     int     // cells a side
	w, h  float64 // cell width and height, degrees
	cells []int8  // cellEdge, cellIn or cellOut, row by row
}

const (
	cellEdge int8 = iota // an edge touches the cell: test the point exactly
	cellIn
	cellOut
)

// areaGrid is the number of cells a side of an Area's grid.
const areaGrid = 128

// NewArea prepares mp for Contains.
func NewArea(mp orb.MultiPolygon) *Area {
	a := &Area{mp: mp, bound: mp.Bound(), n: areaGrid}
	a.w = (a.bound.Max[0] - a.bound.Min[0]) / float64(a.n)
	a.h = (a.bound.Max[1] - a.bound.Min[1]) / float64(a.n)
	if len(mp) == 0 || !(a.w > 0) || !(a.h > 0) {
		return a // no grid: every point is tested exactly
	}
	a.cells = make([]int8, a.n*a.n) // all cellEdge until proven clear
	touched := make([]bool, a.n*a.n)
	for _, poly := range mp {
		for _, ring := range poly {
			for k := range ring {
				p, q := ring[k], ring[(k+1)%len(ring)]
				// The cells of the edge's box, one more each way against
				// rounding: a cell left clear is clear for certain.
				i0, j0 := a.index(math.Min(p[0], q[0]), math.Min(p[1], q[1]))
				i1, j1 := a.index(math.Max(p[0], q[0]), math.Max(p[1], q[1]))
				for j := max(j0-1, 0); j <= min(j1+1, a.n-1); j++ {
					for i := max(i0-1, 0); i <= min(i1+1, a.n-1); i++ {
						touched[j*a.n+i] = true
					}
				}
			}
		}
	}
	// Cells no edge touches, side by side, lie on one side of every edge:
	// one exact test answers for each connected group of them.
	var stack []int
	for c := range a.cells {
		if touched[c] || a.cells[c] != cellEdge {
			continue
		}
		i, j := c%a.n, c/a.n
		status := cellOut
		if planar.MultiPolygonContains(mp, orb.Point{a.bound.Min[0] + (float64(i)+0.5)*a.w, a.bound.Min[1] + (float64(j)+0.5)*a.h}) {
			status = cellIn
		}
		a.cells[c] = status
		stack = append(stack[:0], c)
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			i, j := c%a.n, c/a.n
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				ni, nj := i+d[0], j+d[1]
				if ni < 0 || nj < 0 || ni >= a.n || nj >= a.n {
					continue
				}
				if nc := nj*a.n + ni; !touched[nc] && a.cells[nc] == cellEdge {
					a.cells[nc] = status
					stack = append(stack, nc)
				}
			}
		}
	}
	return a
}

// index returns the grid cell of a point inside the bounds.
func (a *Area) index(x, y float64) (int, int) {
	i := int((x - a.bound.Min[0]) / a.w)
	j := int((y - a.bound.Min[1]) / a.h)
	return min(max(i, 0), a.n-1), min(max(j, 0), a.n-1)
}

// Contains reports whether p lies in the multipolygon (its boundary
// included), as planar.MultiPolygonContains does.
func (a *Area) Contains(p orb.Point) bool {
	if !a.bound.Contains(p) {
		return false
	}
	if a.cells == nil {
		return planar.MultiPolygonContains(a.mp, p)
	}
	i, j := a.index(p[0], p[1])
	// Trust the cell only when p lies inside the cell's own rectangle as
	// computed here; rounding at a cell's edge falls through to the test.
	x0, y0 := a.bound.Min[0]+float64(i)*a.w, a.bound.Min[1]+float64(j)*a.h
	if p[0] < x0 || p[0] > x0+a.w || p[1] < y0 || p[1] > y0+a.h {
		return planar.MultiPolygonContains(a.mp, p)
	}
	switch a.cells[j*a.n+i] {
	case cellIn:
		return true
	case cellOut:
		return false
	}
	return planar.MultiPolygonContains(a.mp, p)
}
