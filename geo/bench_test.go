package geo

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

// China's rough bound, and the denser east where most facilities are.
var (
	china = orb.Bound{Min: orb.Point{73.5, 18.2}, Max: orb.Point{134.8, 53.5}}
	east  = orb.Bound{Min: orb.Point{102, 21}, Max: orb.Point{123, 42}}
)

// ChinaPoints returns n points spread over China, 80% in the east, from a
// fixed seed: the benchmark's stand-in for every facility in the country.
func chinaPoints(n int) []orb.Point {
	r := rand.New(rand.NewPCG(42, 43))
	pts := make([]orb.Point, n)
	for i := range pts {
		b := china
		if r.IntN(5) > 0 {
			b = east
		}
		pts[i] = randomIn(r, b)
	}
	return pts
}

var (
	millionOnce sync.Once
	million     *PointIndex
)

func benchIndexes(b *testing.B) map[string]*PointIndex {
	millionOnce.Do(func() { million = NewPointIndex(chinaPoints(1_000_000)) })
	r := rand.New(rand.NewPCG(1, 1))
	sample := make([]orb.Point, 140) // the size of the sample county's facilities
	for i := range sample {
		sample[i] = randomIn(r, county)
	}
	return map[string]*PointIndex{"sample": NewPointIndex(sample), "china-1M": million}
}

func queries(name string) []orb.Point {
	r := rand.New(rand.NewPCG(7, 7))
	b := county
	if name == "china-1M" {
		b = east
	}
	q := make([]orb.Point, 1024)
	for i := range q {
		q[i] = randomIn(r, b)
	}
	return q
}

func BenchmarkNearest10(b *testing.B) {
	for _, name := range []string{"sample", "china-1M"} {
		idx := benchIndexes(b)[name]
		q := queries(name)
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if len(idx.Nearest(q[i%len(q)], 10, 0, nil)) != 10 {
					b.Fatal("short answer")
				}
				i++
			}
		})
	}
}

// BenchmarkBBox2km asks for the points of a 2 km × 2 km box.
func BenchmarkBBox2km(b *testing.B) {
	const dLat, dLon = 2000.0 / 110540, 2000.0 / 98000 // about 2 km at 28°N
	for _, name := range []string{"sample", "china-1M"} {
		idx := benchIndexes(b)[name]
		q := queries(name)
		b.Run(name, func(b *testing.B) {
			i, n := 0, 0
			for b.Loop() {
				p := q[i%len(q)]
				idx.InBound(orb.Bound{Min: p, Max: orb.Point{p[0] + dLon, p[1] + dLat}}, func(int) { n++ })
				i++
			}
			b.ReportMetric(float64(n)/float64(b.N), "points/op")
		})
	}
}

func BenchmarkBuildIndex1M(b *testing.B) {
	pts := chinaPoints(1_000_000)
	for b.Loop() {
		NewPointIndex(pts)
	}
}
