package geo

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// east returns the point metres east of p along its parallel (close
// enough at these distances; the tests use the exact Distance anyway).
func eastOf(p orb.Point, metres float64) orb.Point {
	return orb.Point{p[0] + metres/(111320*math.Cos(p[1]*math.Pi/180)), p[1]}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestTwoStepFCAByHand checks a case small enough to work out on paper.
//
// Demand: k0 (40 children) at the origin, k1 (60) 800 m east, k2 (100)
// 3,000 m east. Supply: j0 (20 slots) 400 m east, j1 (10 slots) 2,900 m east.
// Catchment 1,000 m.
//
//	R_0 = 20 / (40 + 60) = 0.2      (k0 at 400 m, k1 at 400 m; k2 too far)
//	R_1 = 10 / 100       = 0.1      (only k2, at 100 m)
//	A_0 = 0.2, A_1 = 0.2, A_2 = 0.1
func TestTwoStepFCAByHand(t *testing.T) {
	o := orb.Point{119, 27.6}
	demandAt := []orb.Point{o, eastOf(o, 800), eastOf(o, 3000)}
	supplyAt := []orb.Point{eastOf(o, 400), eastOf(o, 2900)}
	a := twoStep(demandAt, []float64{40, 60, 100}, supplyAt, []float64{20, 10}, 1000, NoDecay)
	for j, want := range []float64{0.2, 0.1} {
		if !near(a.Ratio[j], want, 1e-12) {
			t.Errorf("R_%d = %v, want %v", j, a.Ratio[j], want)
		}
	}
	for k, want := range []float64{0.2, 0.2, 0.1} {
		if !near(a.Score[k], want, 1e-12) {
			t.Errorf("A_%d = %v, want %v", k, a.Score[k], want)
		}
	}
	// Supply is conserved: Σ_k A_k D_k = Σ_j S_j when all supply has demand in reach.
	if got := 0.2*40 + 0.2*60 + 0.1*100; !near(got, 30, 1e-9) {
		t.Errorf("Σ A·D = %v, want 30", got)
	}
}

// TestE2SFCAByHand: one supply of 10 slots, two demand points of 10
// children at 0 m and at 500 m, catchment 1,000 m, Gaussian decay.
//
//	G(0) = 1, G(500) = (e^-0.125 − e^-0.5) / (1 − e^-0.5) = (0.882497 − 0.606531) / 0.393469 = 0.701367
//	R = 10 / (10·1 + 10·G(500));  A_0 = R, A_1 = G(500)·R
func TestE2SFCAByHand(t *testing.T) {
	o := orb.Point{119, 27.6}
	g := GaussianDecay(1000)
	if !near(g(0), 1, 1e-12) || !near(g(1000), 0, 1e-12) || g(1001) != 0 {
		t.Fatalf("G(0), G(d0), G(d0+1) = %v, %v, %v; want 1, 0, 0", g(0), g(1000), g(1001))
	}
	g500 := (math.Exp(-0.125) - math.Exp(-0.5)) / (1 - math.Exp(-0.5))
	if !near(g500, 0.701367, 1e-6) {
		t.Fatalf("G(500) = %v", g500)
	}
	d1 := eastOf(o, 500)
	a := twoStep([]orb.Point{o, d1}, []float64{10, 10}, []orb.Point{o}, []float64{10}, 1000, g)
	gd := g(Distance(o, d1))
	r := 10 / (10 + 10*gd)
	if !near(a.Ratio[0], r, 1e-12) || !near(a.Score[0], r, 1e-12) || !near(a.Score[1], gd*r, 1e-12) {
		t.Errorf("R = %v, A = %v; want %v, [%v %v]", a.Ratio[0], a.Score, r, r, gd*r)
	}
}

func TestTwoStepFCANoDemandOrSupply(t *testing.T) {
	o := orb.Point{119, 27.6}
	a := twoStep([]orb.Point{o}, []float64{5}, []orb.Point{eastOf(o, 5000)}, []float64{10}, 1000, NoDecay)
	if a.Ratio[0] != 0 || a.Score[0] != 0 {
		t.Errorf("supply out of reach: R = %v, A = %v; want 0, 0", a.Ratio, a.Score)
	}
}

// TestPlaceGreedyByHand: unmet demand 30 around candidate 0, 50 around
// candidate 1 (2 km away), capacity 40 then 40.
//
// First pick: candidate 1 serves min(40, 50) = 40, leaving 10 there.
// Second: candidate 0 serves min(40, 30) = 30 (candidate 1 only 10 now).
func TestPlaceGreedyByHand(t *testing.T) {
	o := orb.Point{119, 27.6}
	c1 := eastOf(o, 2000)
	demandAt := []orb.Point{o, eastOf(o, 100), c1, eastOf(c1, 100)}
	unmet := []float64{10, 20, 25, 25}
	got, _ := PlaceGreedy(context.Background(), []orb.Point{o, c1}, NewPointIndex(demandAt), unmet, 500, []float64{40, 40, 40})
	want := []Placement{{1, 40}, {0, 30}, {1, 10}}
	if len(got) != len(want) {
		t.Fatalf("PlaceGreedy = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Candidate != want[i].Candidate || !near(got[i].Covered, want[i].Covered, 1e-9) {
			t.Errorf("placement %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if unmet[0] != 10 {
		t.Error("PlaceGreedy modified its input")
	}
	// Nothing left to serve: no more placements.
	if more, _ := PlaceGreedy(context.Background(), []orb.Point{o}, NewPointIndex(demandAt), []float64{0, 0, 0, 0}, 500, []float64{10}); len(more) != 0 {
		t.Errorf("placed %v with no unmet demand", more)
	}
}

func TestGridPointsInside(t *testing.T) {
	// A 0.05° square (about 5 km) holds about (5000/200)² = 600 points at 200 m.
	sq := orb.MultiPolygon{{{{119, 27.6}, {119.05, 27.6}, {119.05, 27.65}, {119, 27.65}, {119, 27.6}}}}
	pts := GridPoints(sq, 200)
	if len(pts) < 550 || len(pts) > 700 {
		t.Errorf("GridPoints gave %d points, want about 600", len(pts))
	}
	for _, p := range pts {
		if !planar.MultiPolygonContains(sq, p) {
			t.Fatalf("grid point %v outside", p)
		}
	}
	tiny := orb.MultiPolygon{{{{119, 27.6}, {119.0001, 27.6}, {119.0001, 27.6001}, {119, 27.6}}}}
	if pts := GridPoints(tiny, 200); len(pts) != 1 || !planar.MultiPolygonContains(tiny, pts[0]) {
		t.Errorf("tiny region got %v", pts)
	}
	// A "U" whose centroid falls in the gap still gets a point inside.
	u := orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}}
	if p := PointInside(u); !planar.MultiPolygonContains(u, p) {
		t.Errorf("PointInside(U) = %v, outside", p)
	}
}

// TestAccessStopsWhenCancelled: both loops stop with the context's error
// once their caller has gone.
func TestAccessStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := orb.Point{119.06, 27.62}
	pts := []orb.Point{o, eastOf(o, 100)}
	idx := NewPointIndex(pts)
	if _, err := TwoStepFCA(ctx, idx, []float64{1, 1}, pts, []float64{1, 1}, 1000, NoDecay); err != context.Canceled {
		t.Errorf("TwoStepFCA: %v", err)
	}
	if _, err := PlaceGreedy(ctx, pts, idx, []float64{1, 1}, 1000, []float64{1}); err != context.Canceled {
		t.Errorf("PlaceGreedy: %v", err)
	}
	if a, err := TwoStepFCA(context.Background(), idx, []float64{1, 1}, pts, []float64{1, 1}, 1000, NoDecay); err != nil || a[0].Score[0] == 0 {
		t.Errorf("TwoStepFCA live: %v %v", a, err)
	}
}

// twoStep runs TwoStepFCA with one decay.
func twoStep(demandAt []orb.Point, demand []float64, supplyAt []orb.Point, supply []float64, catchment float64, w Decay) Access {
	a, err := TwoStepFCA(context.Background(), NewPointIndex(demandAt), demand, supplyAt, supply, catchment, w)
	if err != nil {
		panic(err)
	}
	return a[0]
}

// TestTwoStepFCAManyDecays: the decays computed together give what each
// gives alone.
func TestTwoStepFCAManyDecays(t *testing.T) {
	o := orb.Point{119.06, 27.62}
	demandAt := []orb.Point{o, eastOf(o, 300), eastOf(o, 700), eastOf(o, 1500)}
	demand := []float64{10, 20, 30, 40}
	supplyAt := []orb.Point{eastOf(o, 100), eastOf(o, 900)}
	supply := []float64{15, 25}
	g := GaussianDecay(1000)
	both, err := TwoStepFCA(context.Background(), NewPointIndex(demandAt), demand, supplyAt, supply, 1000, NoDecay, g)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []Decay{NoDecay, g} {
		alone := twoStep(demandAt, demand, supplyAt, supply, 1000, w)
		for k := range alone.Score {
			if both[i].Score[k] != alone.Score[k] {
				t.Errorf("decay %d, point %d: %v together, %v alone", i, k, both[i].Score[k], alone.Score[k])
			}
		}
	}
	if both[0].Score[1] == both[1].Score[1] {
		t.Error("the two decays gave the same scores")
	}
}
