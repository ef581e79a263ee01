// Package sample holds shanyu's bundled sample county: a deterministic,
// made-up data set on the real outline, townships and villages of 庆元县
// (Qingyuan County, Zhejiang). It is sample data — not official statistics.
//
// Bundle is what `shanyu serve` loads when no database is named; Reference
// holds the real reference facts, with their licences, that the generator in
// ./generator builds it from. Regenerate with `go generate ./data/sample`.
package sample

import (
	"embed"
	"io/fs"
)

//go:generate go run ./cmd/gensample -out bundle

//go:embed bundle
var bundle embed.FS

//go:embed reference
var reference embed.FS

// Bundle returns the generated sample bundle (dataset.json, regions.geojson,
// population.csv, childcare.csv, nursing_rooms.csv, paediatricians.csv).
func Bundle() fs.FS { return sub(bundle, "bundle") }

// Reference returns the reference facts the generator reads.
func Reference() fs.FS { return sub(reference, "reference") }

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the directory is embedded at compile time
	}
	return s
}
