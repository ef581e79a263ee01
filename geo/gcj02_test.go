package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// Published pairs (the eviltransform project's test cases, WGS84 → GCJ-02)
// in Shanghai, Shenzhen and Beijing.
var gcjPairs = []struct{ wgs, gcj orb.Point }{
	{orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
	{orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}},
	{orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
}

func TestGCJ02PublishedPairs(t *testing.T) {
	for _, p := range gcjPairs {
		got := WGS84ToGCJ02(p.wgs)
		if math.Abs(got[0]-p.gcj[0]) > 1e-9 || math.Abs(got[1]-p.gcj[1]) > 1e-9 {
			t.Errorf("WGS84ToGCJ02(%v) = %v, want %v", p.wgs, got, p.gcj)
		}
		back := GCJ02ToWGS84(p.gcj)
		if d := Distance(back, p.wgs); d > 0.01 {
			t.Errorf("GCJ02ToWGS84(%v) = %v, %.4f m from %v", p.gcj, back, d, p.wgs)
		}
	}
}

func TestGCJ02RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 2000; i++ {
		p := orb.Point{73 + r.Float64()*62, 18 + r.Float64()*35}
		g := WGS84ToGCJ02(p)
		if d := Distance(p, g); d < 1 || d > 1500 {
			t.Fatalf("offset at %v is %.0f m, expected a few hundred", p, d)
		}
		if d := Distance(GCJ02ToWGS84(g), p); d > 0.001 {
			t.Fatalf("round trip at %v is off by %.4f m", p, d)
		}
	}
	outside := orb.Point{2.35, 48.85}
	if WGS84ToGCJ02(outside) != outside || GCJ02ToWGS84(outside) != outside {
		t.Error("GCJ-02 moved a point outside China")
	}
}
