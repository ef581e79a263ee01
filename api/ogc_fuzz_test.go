package api

import (
	"testing"

	"shanyu/county"
)

// FuzzParseDatetime: an OGC datetime is refused with a sentence, or read as
// real days in order, with at least one end.
func FuzzParseDatetime(f *testing.F) {
	for _, s := range []string{"2025-06-01", "2025-06-01T12:00:00Z", "2024-01-01/2024-12-31", "../2020-01-01",
		"2023-01-01/..", "/2020-01-01", "../..", "2025-13-01", "2025-06-01/2025-01-01", "2025-02-29", "2024-02-29t00:00:00+08:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, to, err := parseDatetime(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if from == "" && to == "" {
			t.Fatalf("parseDatetime(%q) accepted no day at all", s)
		}
		for _, d := range []county.Date{from, to} {
			if d == "" {
				continue
			}
			if _, err := county.ParseDate(string(d)); err != nil {
				t.Fatalf("parseDatetime(%q) gave %q: %v", s, d, err)
			}
		}
		if from != "" && to != "" && from > to {
			t.Fatalf("parseDatetime(%q) = %s after %s", s, from, to)
		}
	})
}

// FuzzTileAddress: any path values either make a valid tile or a problem,
// never a panic.
func FuzzTileAddress(f *testing.F) {
	f.Add(12, 3402, "1720.mvt")
	f.Add(0, 0, "0.mvt")
	f.Add(23, 1, "1.mvt")
	f.Add(62, -1, "-1.mvt")
	f.Add(2, 3, "04.mvt")
	f.Fuzz(func(t *testing.T, z, x int, y string) {
		in := TileInput{Collection: "childcare", Z: z, X: x, Y: y}
		if errs := in.Resolve(nil); len(errs) == 0 {
			n := uint32(1) << in.tile.Z
			if in.tile.Z > tileMaxZoom || in.tile.X >= n || in.tile.Y >= n || int(in.tile.Z) != z {
				t.Fatalf("%d/%d/%s accepted as %v", z, x, y, in.tile)
			}
		}
	})
}
