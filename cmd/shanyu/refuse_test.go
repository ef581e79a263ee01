package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shanyu/internal/pgtest"
)

// TestImportRefusesWhatWouldCorrupt: facilities before regions are refused
// with the order to follow; a self-intersecting village boundary is refused
// with its line, code and PostGIS's reason; import-bundle with no folder
// asks for --sample instead of loading the sample county.
func TestImportRefusesWhatWouldCorrupt(t *testing.T) {
	db := pgtest.DB(t)
	dir := t.TempDir()
	mustRun(t, "", "export", dir)

	out, err := run(t, db, "import", "--kind", "childcare", filepath.Join(dir, "childcare.csv"))
	if err == nil || !strings.Contains(out, "import in this order — regions, then population") {
		t.Errorf("facilities before regions: %v %s", err, out)
	}
	if n := countRows(t, db, `SELECT count(*) FROM public_data.childcare`); n != 0 {
		t.Errorf("%d centres stored before any region", n)
	}

	regions, err := os.ReadFile(filepath.Join(dir, "regions.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	// A bow tie: the last feature's boundary crosses itself.
	text := string(regions)
	last := strings.LastIndex(text, `{"type":"Feature"`)
	end := strings.Index(text[last:], `"properties"`)
	bowtie := `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[119.0,27.6],[119.01,27.61],[119.01,27.6],[119.0,27.61],[119.0,27.6]]]},`
	text = text[:last] + bowtie + text[last+end:]
	bad := filepath.Join(dir, "bad-regions.geojson")
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, db, "import", "--kind", "regions", bad)
	if err == nil || !strings.Contains(out, "1 bad rows") || strings.Contains(out, "line 0") || !strings.Contains(out, ", geometry: the boundary of 331126") ||
		!strings.Contains(out, "Self-intersection[119.005 27.605]") || !strings.Contains(out, "Fix Geometries") {
		t.Errorf("an invalid boundary: %v\n%s", err, out)
	}
	if n := countRows(t, db, `SELECT count(*) FROM public_data.region`); n != 0 {
		t.Errorf("%d regions stored from a refused file", n)
	}

	out, err = run(t, db, "import-bundle")
	if err == nil || !strings.Contains(out, "--sample") {
		t.Errorf("import-bundle with no folder: %v %s", err, out)
	}
	if n := countRows(t, db, `SELECT count(*) FROM public_data.region`); n != 0 {
		t.Errorf("import-bundle with no folder loaded %d regions", n)
	}
}
