package web

import (
	"testing"

	"github.com/paulmach/orb/maptile"
)

// tileKey is a key shaped like the API's tile keys.
type tileKey struct {
	version, collection string
	tile                maptile.Tile
}

// TestBytesLRUBounded fills the cache past its bound: it keeps within the
// bound by dropping the least recently used tiles, and keeps those in use.
func TestBytesLRUBounded(t *testing.T) {
	var c BytesLRU[tileKey]
	const limit = 10 * (1000 + EntryOverhead)
	key := func(i int) tileKey {
		return tileKey{version: "v", collection: "c", tile: maptile.New(uint32(i), 0, 20)}
	}
	for i := range 100 {
		c.Put(key(i), make([]byte, 1000), limit)
		if _, ok := c.Get(key(0)); !ok {
			t.Fatalf("tile 0, used after every put, was dropped at %d", i)
		}
		if c.Bytes() > limit {
			t.Fatalf("%d bytes cached, bound %d", c.Bytes(), limit)
		}
	}
	if c.Len() != 10 {
		t.Errorf("%d tiles cached, want 10", c.Len())
	}
	if _, ok := c.Get(key(50)); ok {
		t.Error("tile 50 is still cached")
	}
	if _, ok := c.Get(key(99)); !ok {
		t.Error("the last tile is not cached")
	}
	c.Put(key(200), make([]byte, limit), limit)
	if _, ok := c.Get(key(200)); ok || c.Len() != 10 {
		t.Error("a tile larger than the bound was cached")
	}
	// Another dataset version is another tile.
	if _, ok := c.Get(tileKey{version: "w", collection: "c", tile: key(99).tile}); ok {
		t.Error("a tile of another version came from the cache")
	}
}
