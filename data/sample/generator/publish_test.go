package generator

import (
	"encoding/json"
	"io/fs"
	"testing"

	"shanyu/data/sample"
	"shanyu/indicators"
)

// TestPublishedIndicators checks the bundle's indicators.json against the
// microdata the generator makes: every published count is the true one,
// no count below the threshold is shown, the suppression pattern passes the
// LP audit, and the sample has suppressed cells. (Regenerating it runs the
// whole protection, minutes long: go generate ./data/sample.)
func TestPublishedIndicators(t *testing.T) {
	ref, err := ReadReference(sample.Reference())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Generate(ref, DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(sample.Bundle(), "indicators.json")
	if err != nil {
		t.Fatal(err)
	}
	var pub indicators.Publication
	if err := json.Unmarshal(b, &pub); err != nil {
		t.Fatal(err)
	}
	regions, pop := ds.IndicatorInputs()
	if err := indicators.Verify(&pub, Microdata(ds, DefaultSeed), regions, pop, ds.Policy.Benefits); err != nil {
		t.Fatal(err)
	}
	suppressed, published := 0, 0
	for _, tb := range pub.Tables {
		for _, v := range tb.Values {
			if v.Status == "suppressed" {
				suppressed++
			} else {
				published++
			}
		}
	}
	if suppressed == 0 || published == 0 || !pub.Audit.Pass {
		t.Errorf("%d suppressed, %d published values, audit %+v", suppressed, published, pub.Audit)
	}
}
