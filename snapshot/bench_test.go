package snapshot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/coverage"
	"shanyu/data/sample"
	"shanyu/internal/benchdata"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

var (
	bigOnce sync.Once
	big     *snapshot.Snapshot
	bigMem  float64
)

// bigSnapshot builds a snapshot of 1,000,000 facilities once and measures
// the heap it holds per facility (facilities, places, indexes).
func bigSnapshot() (*snapshot.Snapshot, float64) {
	bigOnce.Do(func() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		big = snapshot.New(&county.Dataset{Facilities: benchdata.Facilities(1_000_000)}, "bench")
		runtime.GC()
		runtime.ReadMemStats(&after)
		bigMem = float64(after.HeapAlloc-before.HeapAlloc) / 1_000_000
	})
	return big, bigMem
}

func BenchmarkQuery(b *testing.B) {
	smp, err := bundle.Load(sample.Bundle())
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	// The sample runs first: the million-facility heap, once built, makes
	// every later allocation's garbage collection dearer.
	for _, tt := range []struct {
		name string
		snap func() *snapshot.Snapshot
		box  orb.Bound
	}{
		{"sample", func() *snapshot.Snapshot { return smp }, orb.Bound{Min: orb.Point{118.9, 27.45}, Max: orb.Point{119.3, 27.8}}},
		{"china-1M", func() *snapshot.Snapshot { s, _ := bigSnapshot(); return s }, orb.Bound{Min: orb.Point{102, 21}, Max: orb.Point{123, 42}}},
	} {
		pts := make([]orb.Point, 1024)
		for i := range pts {
			pts[i] = orb.Point{tt.box.Min[0] + r.Float64()*(tt.box.Max[0]-tt.box.Min[0]), tt.box.Min[1] + r.Float64()*(tt.box.Max[1]-tt.box.Min[1])}
		}
		b.Run("near10-childcare/"+tt.name, func(b *testing.B) {
			snap, i := tt.snap(), 0
			for b.Loop() {
				p := pts[i%len(pts)]
				page, _ := snap.Facilities(snapshot.Query{Near: &p, Kinds: []county.Kind{county.Childcare}, Limit: 10, OpenOn: "2025-06-01"})
				if len(page) != 10 {
					b.Fatal("short page")
				}
				i++
			}
		})
		b.Run("bbox2km/"+tt.name, func(b *testing.B) {
			snap, i := tt.snap(), 0
			for b.Loop() {
				p := pts[i%len(pts)]
				box := orb.Bound{Min: p, Max: orb.Point{p[0] + 0.0204, p[1] + 0.0181}}
				snap.Facilities(snapshot.Query{BBox: &box, Limit: 50})
				i++
			}
		})
	}
	b.Run("memory/china-1M", func(b *testing.B) {
		_, mem := bigSnapshot()
		for b.Loop() {
		}
		b.ReportMetric(mem, "bytes/facility")
	})
}

var (
	gridOnce sync.Once
	gridSnap *snapshot.Snapshot
)

// gridCountry is 1,000,000 facilities over 40,000 square townships (a 200 ×
// 200 grid over eastern China) under one root region, with population.
func gridCountry() *snapshot.Snapshot {
	gridOnce.Do(func() {
		const n = 200
		x0, y0, dx, dy := 102.0, 21.0, 21.0/n, 21.0/n
		ds := &county.Dataset{Meta: county.Meta{CountyCode: "100000", ReferenceDate: "2025-12-31"}}
		ds.Regions = append(ds.Regions, county.Region{Code: "100000", Level: county.LevelCounty, NameZh: "全域",
			Geometry: orb.MultiPolygon{orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x0 + n*dx, y0 + n*dy}}.ToPolygon()}})
		ds.Population = append(ds.Population, county.Population{Code: "100000", Year: 2025})
		r := rand.New(rand.NewPCG(3, 3))
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				code := fmt.Sprintf("100000%03d%03d", i, j)
				b := orb.Bound{Min: orb.Point{x0 + float64(i)*dx, y0 + float64(j)*dy}, Max: orb.Point{x0 + float64(i+1)*dx, y0 + float64(j+1)*dy}}
				ds.Regions = append(ds.Regions, county.Region{Code: code, Level: county.LevelTownship, NameZh: code,
					ParentCode: "100000", Geometry: orb.MultiPolygon{b.ToPolygon()}})
				p := 2000 + r.IntN(20000)
				ds.Population = append(ds.Population, county.Population{Code: code, Year: 2025, Total: p, Under3: p / 50, Age0to14: p / 7})
			}
		}
		fs := benchdata.Facilities(1_000_000)
		for i := range fs { // keep every facility inside the grid
			fs[i].Point = orb.Point{x0 + r.Float64()*n*dx, y0 + r.Float64()*n*dy}
		}
		ds.Facilities = fs
		gridSnap = snapshot.New(ds, "bench")
	})
	return gridSnap
}

func BenchmarkCoverage(b *testing.B) {
	smp, err := bundle.Load(sample.Bundle())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("township/sample", func(b *testing.B) {
		for b.Loop() {
			if rows := coverage.OfLevel(smp, county.LevelTownship, "2025-12-31"); len(rows) != 19 {
				b.Fatal("rows")
			}
		}
	})
	b.Run("accessibility-1km/sample", func(b *testing.B) {
		for b.Loop() {
			_, _ = coverage.MeasureAccessibility(context.Background(), smp, county.LevelVillage, "2025-12-31", 1000)
		}
	})
	b.Run("township/1M-facilities-40k-regions", func(b *testing.B) {
		snap := gridCountry()
		b.ResetTimer()
		for b.Loop() {
			if rows := coverage.OfLevel(snap, county.LevelTownship, "2025-12-31"); len(rows) != 40000 {
				b.Fatal("rows")
			}
		}
	})
}
