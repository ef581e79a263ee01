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
	"shanyu/snapshot"
)

// TestTileCacheBounded fills the cache past its bound: it keeps within the
// bound by dropping the least recently used tiles, and keeps those in use.
func TestTileCacheBounded(t *testing.T) {
	var c tileCache
	const limit = 10 * (1000 + tileEntryOverhead)
	key := func(i int) tileKey {
		return tileKey{version: "v", collection: "c", tile: maptile.New(uint32(i), 0, 20)}
	}
	for i := range 100 {
		c.put(key(i), make([]byte, 1000), limit)
		if _, ok := c.get(key(0)); !ok {
			t.Fatalf("tile 0, used after every put, was dropped at %d", i)
		}
		if c.bytes > limit {
			t.Fatalf("%d bytes cached, bound %d", c.bytes, limit)
		}
	}
	if c.len() != 10 {
		t.Errorf("%d tiles cached, want 10", c.len())
	}
	if _, ok := c.get(key(50)); ok {
		t.Error("tile 50 is still cached")
	}
	if _, ok := c.get(key(99)); !ok {
		t.Error("the last tile is not cached")
	}
	c.put(key(200), make([]byte, limit), limit)
	if _, ok := c.get(key(200)); ok || c.len() != 10 {
		t.Error("a tile larger than the bound was cached")
	}
	// Another dataset version is another tile.
	if _, ok := c.get(tileKey{version: "w", collection: "c", tile: key(99).tile}); ok {
		t.Error("a tile of another version came from the cache")
	}
}

// benchFacilities spreads n facilities over China, four in five in the
// populous east, half of each kind: the 1M-point set of the store
// benchmarks, so the figures compare with pg_tileserv over 1M points.
func benchFacilities(n int) []county.Facility {
	r := rand.New(rand.NewPCG(42, 43))
	out := make([]county.Facility, n)
	for i := range out {
		lo, la := 73.5+r.Float64()*61.3, 18.2+r.Float64()*35.3
		if r.IntN(5) > 0 {
			lo, la = 102+r.Float64()*21, 21+r.Float64()*21
		}
		f := county.Facility{ID: fmt.Sprintf("F%07d", i), NameZh: fmt.Sprintf("第%d号托育园", i), Point: orb.Point{lo, la}}
		if i%2 == 0 {
			f.Kind, f.Inclusive, f.Slots = county.Childcare, true, county.ClassCounts{ToddlerSmall: 15, ToddlerLarge: 20}
		} else {
			f.Kind, f.Star = county.NursingRoom, 1+i%3
		}
		out[i] = f
	}
	return out
}

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
	snap := snapshot.New(&county.Dataset{Facilities: benchFacilities(1_000_000)}, "bench")
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
