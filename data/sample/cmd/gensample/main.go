// Command gensample writes the sample county bundle. Run it through
// `go generate ./data/sample`; the same seed always writes the same bytes.
package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"shanyu/data/sample"
	"shanyu/data/sample/generator"
)

func main() {
	out := flag.String("out", "bundle", "folder to write the bundle into")
	seed := flag.Uint64("seed", generator.DefaultSeed, "random seed")
	skipIndicators := flag.Bool("skip-indicators", false, "keep indicators.json as it is (publishing it takes minutes)")
	flag.Parse()
	files, err := generator.Files(sample.Reference(), *seed)
	if err == nil && !*skipIndicators {
		files["indicators.json"], err = generator.Indicators(sample.Reference(), *seed)
	}
	if err == nil {
		err = os.MkdirAll(*out, 0o755)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err != nil {
			break
		}
		err = os.WriteFile(filepath.Join(*out, name), files[name], 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensample:", err)
		os.Exit(1)
	}
}
