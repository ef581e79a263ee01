package generator

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ClipHalfPlane returns the part of the simple polygon ring r where
// a*x + b*y <= c. Unlike Sutherland–Hodgman, a ring the line cuts into
// several pieces comes back as several rings, never as one ring joined by
// zero-width bridges, so the result stays valid. The rings keep r's
// orientation and are closed.
func ClipHalfPlane(r orb.Ring, a, b, c float64) []orb.Ring {
	v := openRing(r)
	m := len(v)
	if m < 3 {
		return nil
	}
	f := func(p orb.Point) float64 { return a*p[0] + b*p[1] - c }
	start := -1
	for i, p := range v {
		if f(p) > 0 {
			start = i
			break
		}
	}
	if start < 0 {
		return []orb.Ring{closeRing(v)}
	}
	// Walk from an outside vertex so that every inside chain runs from an
	// entry crossing to an exit crossing.
	var chains [][]orb.Point
	var cur []orb.Point
	for k := 0; k < m; k++ {
		p, q := v[(start+k)%m], v[(start+k+1)%m]
		fp, fq := f(p), f(q)
		pin, qin := fp <= 0, fq <= 0
		switch {
		case pin && qin:
			cur = append(cur, q)
		case pin && !qin:
			cur = append(cur, cross(p, q, fp, fq))
			chains = append(chains, cur)
			cur = nil
		case !pin && qin:
			cur = []orb.Point{cross(p, q, fp, fq), q}
		}
	}
	if len(chains) == 0 {
		return nil
	}
	// The line meets the polygon's inside in intervals whose ends, sorted
	// along the line, pair up (0,1), (2,3)...; each chain's exit continues
	// along its interval to the entry of the next chain.
	type end struct {
		t     float64
		chain int
		exit  bool
	}
	dir := func(p orb.Point) float64 { return -b*p[0] + a*p[1] }
	ends := make([]end, 0, 2*len(chains))
	for i, ch := range chains {
		ends = append(ends, end{dir(ch[0]), i, false}, end{dir(ch[len(ch)-1]), i, true})
	}
	slices.SortStableFunc(ends, func(x, y end) int {
		switch {
		case x.t < y.t:
			return -1
		case x.t > y.t:
			return 1
		}
		return 0
	})
	next := make([]int, len(chains)) // chain whose entry follows chain i's exit
	for i := range next {
		next[i] = -1
	}
	for i := 0; i+1 < len(ends); i += 2 {
		x, y := ends[i], ends[i+1]
		switch {
		case x.exit && !y.exit:
			next[x.chain] = y.chain
		case y.exit && !x.exit:
			next[y.chain] = x.chain
		}
	}
	used := make([]bool, len(chains))
	var out []orb.Ring
	for i := range chains {
		if used[i] {
			continue
		}
		var ring []orb.Point
		for j := i; j >= 0 && !used[j]; j = next[j] {
			used[j] = true
			ring = append(ring, chains[j]...)
		}
		ring = dedupe(ring)
		if len(ring) >= 3 && math.Abs(planar.Area(closeRing(ring))) > 0 {
			out = append(out, closeRing(ring))
		}
	}
	return out
}

// VoronoiPartition splits region among seeds: cell i is the part of region
// nearer to seeds[i] than to any other seed, with x distances scaled by
// xScale (cos of the latitude makes degrees of longitude and latitude
// comparable). The cells cover region without overlap. region's polygons
// must have no holes.
func VoronoiPartition(region orb.MultiPolygon, seeds []orb.Point, xScale float64) []orb.MultiPolygon {
	cells := make([]orb.MultiPolygon, len(seeds))
	for i, s := range seeds {
		var rings []orb.Ring
		for _, poly := range region {
			rings = append(rings, poly[0])
		}
		for j, o := range seeds {
			if i == j {
				continue
			}
			// |p-s|² <= |p-o|² in scaled space, as a*x + b*y <= c.
			sx, ox := s[0]*xScale, o[0]*xScale
			a := 2 * (ox - sx) * xScale
			b := 2 * (o[1] - s[1])
			c := ox*ox + o[1]*o[1] - sx*sx - s[1]*s[1]
			var clipped []orb.Ring
			for _, r := range rings {
				clipped = append(clipped, ClipHalfPlane(r, a, b, c)...)
			}
			rings = clipped
		}
		for _, r := range rings {
			cells[i] = append(cells[i], orb.Polygon{r})
		}
	}
	return cells
}

func cross(p, q orb.Point, fp, fq float64) orb.Point {
	t := fp / (fp - fq)
	return orb.Point{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}
}

func openRing(r orb.Ring) []orb.Point {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		return r[:len(r)-1]
	}
	return r
}

func closeRing(v []orb.Point) orb.Ring {
	r := make(orb.Ring, 0, len(v)+1)
	r = append(r, v...)
	return append(r, v[0])
}

func dedupe(v []orb.Point) []orb.Point {
	out := v[:0:0]
	for _, p := range v {
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}
