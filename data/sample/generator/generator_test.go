package generator

import (
	"bytes"
	"io/fs"
	"slices"
	"testing"

	"shanyu/data/sample"
)

// TestBundleIsUpToDate regenerates the sample and compares every byte with
// the committed bundle: the generator is deterministic and the bundle is its
// output. After changing the generator, run `go generate ./data/sample`.
func TestBundleIsUpToDate(t *testing.T) {
	for run := 0; run < 2; run++ { // twice: the same bytes each time
		got, err := Files(sample.Reference(), DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		var committed []string
		_ = fs.WalkDir(sample.Bundle(), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				committed = append(committed, p)
			}
			return err
		})
		for _, name := range committed {
			if name == "indicators.json" {
				continue // TestPublishedIndicators checks it
			}
			want, _ := fs.ReadFile(sample.Bundle(), name)
			if !bytes.Equal(got[name], want) {
				t.Errorf("run %d: %s differs from the generator's output; run go generate ./data/sample", run, name)
			}
		}
		for name := range got {
			if !slices.Contains(committed, name) {
				t.Errorf("the generator writes %s but the bundle has no such file", name)
			}
		}
	}
}

func TestOtherSeedGivesOtherData(t *testing.T) {
	a, err := Files(sample.Reference(), 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Files(sample.Reference(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a["childcare.csv"], b["childcare.csv"]) {
		t.Error("seeds 1 and 2 gave the same childcare.csv")
	}
}
