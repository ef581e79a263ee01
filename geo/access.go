package geo

import (
	"context"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// GridPoints returns the points of a regular grid, spacing metres apart,
// that fall inside mp: where a region's residents are assumed to live when
// no finer population data is at hand. A region too small to hold a grid
// point gets one point inside it.
func GridPoints(mp orb.MultiPolygon, spacing float64) []orb.Point {
	b := mp.Bound()
	lat0 := (b.Min[1] + b.Max[1]) / 2
	dLat := spacing / 110540
	dLon := spacing / (111320 * math.Cos(lat0*math.Pi/180))
	var out []orb.Point
	// Offset by half a step so that grids of neighbouring regions interleave
	// rather than landing on their shared borders.
	for y := math.Floor(b.Min[1]/dLat)*dLat + dLat/2; y <= b.Max[1]; y += dLat {
		for x := math.Floor(b.Min[0]/dLon)*dLon + dLon/2; x <= b.Max[0]; x += dLon {
			p := orb.Point{x, y}
			if planar.MultiPolygonContains(mp, p) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, PointInside(mp))
	}
	return out
}

// PointInside returns a point inside mp: its centroid when that is inside,
// else the middle of the widest horizontal run through the centroid's
// latitude, else its first vertex.
func PointInside(mp orb.MultiPolygon) orb.Point {
	c, _ := planar.CentroidArea(mp)
	if planar.MultiPolygonContains(mp, c) {
		return c
	}
	b := mp.Bound()
	best, bestLen := orb.Point{}, -1.0
	const steps = 256
	var runStart float64
	inRun := false
	for i := 0; i <= steps; i++ {
		x := b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/steps
		in := planar.MultiPolygonContains(mp, orb.Point{x, c[1]})
		switch {
		case in && !inRun:
			runStart, inRun = x, true
		case !in && inRun:
			if l := x - runStart; l > bestLen {
				best, bestLen = orb.Point{(runStart + x) / 2, c[1]}, l
			}
			inRun = false
		}
	}
	if bestLen > 0 && planar.MultiPolygonContains(mp, best) {
		return best
	}
	if len(mp) > 0 && len(mp[0]) > 0 && len(mp[0][0]) > 0 {
		return mp[0][0][0]
	}
	return c
}

// Decay weighs a distance in metres: 1 at the supply, falling to 0 at the
// edge of the catchment.
type Decay func(metres float64) float64

// NoDecay is the plain two-step floating catchment: every point inside the
// catchment counts fully.
func NoDecay(float64) float64 { return 1 }

// GaussianDecay is the Gaussian weight of the enhanced two-step floating
// catchment (E2SFCA) as Dai (2010) writes it for a catchment d0:
//
//	G(d) = (exp(-½(d/d0)²) − exp(-½)) / (1 − exp(-½))  for d ≤ d0, else 0
//
// so that G(0) = 1 and G(d0) = 0.
func GaussianDecay(d0 float64) Decay {
	e := math.Exp(-0.5)
	return func(d float64) float64 {
		if d > d0 {
			return 0
		}
		return (math.Exp(-0.5*(d/d0)*(d/d0)) - e) / (1 - e)
	}
}

// Access is the answer of a two-step floating catchment analysis.
type Access struct {
	// Ratio[j] is supply j's slots per unit of demand in its catchment (R_j).
	Ratio []float64
	// Score[k] is the supply reachable from demand point k, per unit of
	// demand (A_k = Σ_j w(d_kj) R_j): 0 where no supply is in reach.
	Score []float64
}

// TwoStepFCA computes the two-step floating catchment area method (Luo and
// Wang 2003; with a decay, the enhanced form of Luo and Qi 2009):
//
//	R_j = S_j / Σ_{k: d_kj ≤ d0} w(d_kj) D_k
//	A_k = Σ_{j: d_kj ≤ d0} w(d_kj) R_j
//
// where S_j is the supply at supplyAt[j], D_k the demand at the k-th point
// of the demand index, distances are great-circle metres and d0 is
// catchment. A supply with no demand in reach has R_j = 0. It answers one
// Access per decay, all from one search of the pairs in reach; the demand
// index is the caller's, so it can be built once and reused. It stops with
// ctx's error when ctx is done.
func TwoStepFCA(ctx context.Context, demandIdx *PointIndex, demand []float64, supplyAt []orb.Point, supply []float64, catchment float64, decays ...Decay) ([]Access, error) {
	out := make([]Access, len(decays))
	for i := range out {
		out[i] = Access{Ratio: make([]float64, len(supplyAt)), Score: make([]float64, demandIdx.Len())}
	}
	if demandIdx.Len() == 0 || len(supplyAt) == 0 {
		return out, nil
	}
	sums := make([]float64, len(decays))
	for j, p := range supplyAt {
		if err := checkEvery(ctx, j); err != nil {
			return nil, err
		}
		clear(sums)
		demandIdx.Within(p, catchment, func(k int, d float64) {
			for i, w := range decays {
				sums[i] += w(d) * demand[k]
			}
		})
		for i, sum := range sums {
			if sum > 0 {
				out[i].Ratio[j] = supply[j] / sum
			}
		}
	}
	supplyIdx := NewPointIndex(supplyAt)
	for k := range demandIdx.Len() {
		if err := checkEvery(ctx, k); err != nil {
			return nil, err
		}
		supplyIdx.Within(demandIdx.at(k), catchment, func(j int, d float64) {
			for i, w := range decays {
				out[i].Score[k] += w(d) * out[i].Ratio[j]
			}
		})
	}
	return out, nil
}

// checkEvery returns ctx's error every 256th step i, so that long loops
// stop soon after their caller has gone, at no measurable cost.
func checkEvery(ctx context.Context, i int) error {
	if i&255 != 0 {
		return nil
	}
	return ctx.Err()
}

// Placement is one new facility chosen by PlaceGreedy.
type Placement struct {
	Candidate int     // index into the candidates
	Covered   float64 // unmet demand it serves, at most its capacity
}

// PlaceGreedy chooses where to put new facilities of the given capacities,
// one after another, among candidate points, so as to serve the most unmet
// demand: the greedy heuristic for the capacitated maximal covering location
// problem. Each new facility serves up to its capacity of the unmet demand
// within catchment metres of it, taken from every point in reach in
// proportion to what each still lacks; the next facility sees what is left.
// Ties go to the lower candidate index. A facility that would serve nothing
// is not placed. unmet is not modified. It stops with ctx's error when ctx
// is done.
func PlaceGreedy(ctx context.Context, candidates []orb.Point, demandIdx *PointIndex, unmet []float64, catchment float64, capacities []float64) ([]Placement, error) {
	left := append([]float64(nil), unmet...)
	reach := make([][]int, len(candidates))
	for c, p := range candidates {
		if err := checkEvery(ctx, c); err != nil {
			return nil, err
		}
		demandIdx.Within(p, catchment, func(k int, _ float64) { reach[c] = append(reach[c], k) })
	}
	var out []Placement
	for _, capacity := range capacities {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		best, bestGain := -1, 0.0
		for c, ks := range reach {
			var sum float64
			for _, k := range ks {
				sum += left[k]
			}
			if gain := math.Min(capacity, sum); gain > bestGain+1e-9 {
				best, bestGain = c, gain
			}
		}
		if best < 0 {
			break
		}
		var sum float64
		for _, k := range reach[best] {
			sum += left[k]
		}
		f := 1 - bestGain/sum
		for _, k := range reach[best] {
			left[k] *= f
		}
		out = append(out, Placement{Candidate: best, Covered: bestGain})
	}
	return out, nil
}
