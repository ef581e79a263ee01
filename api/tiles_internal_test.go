package api

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"shanyu/county"
	"shanyu/internal/benchdata"
	"shanyu/snapshot"
)

// benchTiles picks n tiles of zoom z around random points of the east.
func benchTiles(z maptile.Zoom, n int) []maptile.Tile {
	r := rand.New(rand.NewPCG(7, uint64(z)))
	out := make([]maptile.Tile, n)
	for i := range out {
		out[i] = maptile.At(orb.Point{102 + r.Float64()*21, 21 + r.Float64()*21}, z)
	}
	return out
}

// BenchmarkTiles measures childcare tiles over 1,000,000 facilities:
// rendered on every request (the cost of a miss, and of a server without a
// cache) against served from the cache through the whole HTTP handler
// (middleware, router, validation), on every core.
func BenchmarkTiles(b *testing.B) {
	snap := snapshot.New(&county.Dataset{Facilities: benchdata.Facilities(1_000_000)}, "bench")
	coll := ogcCollectionByID("childcare")
	for _, z := range []maptile.Zoom{8, 12} {
		tiles := benchTiles(z, 256)
		b.Run(fmt.Sprintf("z%d/rendered", z), func(b *testing.B) {
			var i atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := renderTile(snap, coll, tiles[int(i.Add(1))%len(tiles)]); err != nil {
						b.Error(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tiles/s")
		})
		b.Run(fmt.Sprintf("z%d/cached-http", z), func(b *testing.B) {
			s := NewServer(snap, nil)
			h := s.Handler()
			paths := make([]string, len(tiles))
			for k, t := range tiles {
				paths[k] = fmt.Sprintf("/tiles/childcare/%d/%d/%d.mvt", t.Z, t.X, t.Y)
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, paths[k], nil))
			}
			var i atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, paths[int(i.Add(1))%len(paths)], nil))
					if w.Code != http.StatusOK && w.Code != http.StatusNoContent {
						b.Errorf("%d", w.Code)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tiles/s")
		})
	}
}
