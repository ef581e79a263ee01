package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"shanyu/api"
	"shanyu/county"
)

// checkValue applies a Table Schema field's type and constraints to one
// cell, as frictionless validate does: "" is missing.
func checkValue(f api.Field, v string) error {
	req := f.Constraints != nil && f.Constraints.Required
	if v == "" {
		if req {
			return fmt.Errorf("%s is required", f.Name)
		}
		return nil
	}
	switch f.Type {
	case "integer":
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%s: %q is not an integer", f.Name, v)
		}
		if c := f.Constraints; c != nil && ((c.Minimum != nil && n < *c.Minimum) || (c.Maximum != nil && n > *c.Maximum)) {
			return fmt.Errorf("%s: %d is out of range", f.Name, n)
		}
	case "number":
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s: %q is not a number", f.Name, v)
		}
	case "boolean":
		if !slices.Contains(f.TrueValues, v) && !slices.Contains(f.FalseValues, v) {
			return fmt.Errorf("%s: %q is not one of %v/%v", f.Name, v, f.TrueValues, f.FalseValues)
		}
	case "date":
		if _, err := county.ParseDate(v); err != nil {
			return fmt.Errorf("%s: %v", f.Name, err)
		}
	case "string":
	default:
		return fmt.Errorf("%s: type %s in a CSV", f.Name, f.Type)
	}
	if f.Constraints != nil && f.Constraints.Enum != nil && !slices.Contains(f.Constraints.Enum, v) {
		return fmt.Errorf("%s: %q is not one of %v", f.Name, v, f.Constraints.Enum)
	}
	return nil
}

// checkJSON applies a field to one GeoJSON property.
func checkJSON(f api.Field, v any) error {
	if v == nil {
		return checkValue(f, "")
	}
	switch f.Type {
	case "integer", "number":
		x, ok := v.(float64)
		if !ok || (f.Type == "integer" && x != math.Trunc(x)) {
			return fmt.Errorf("%s: %v is not a%s", f.Name, v, map[bool]string{true: "n integer", false: " number"}[f.Type == "integer"])
		}
		return checkValue(f, strconv.FormatFloat(x, 'f', -1, 64))
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %v is not a boolean", f.Name, v)
		}
		return nil
	case "array":
		if _, ok := v.([]any); !ok {
			return fmt.Errorf("%s: %v is not an array", f.Name, v)
		}
		return nil
	case "object":
		if _, ok := v.(map[string]any); !ok {
			return fmt.Errorf("%s: %v is not an object", f.Name, v)
		}
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("%s: %v is not a string", f.Name, v)
	}
	return checkValue(f, s)
}

// TestDataPackageValidates reads the data package and validates every file
// it lists against its declared schema: CSV headers, types, required
// columns and enumerations, and the properties of each GeoJSON feature.
func TestDataPackageValidates(t *testing.T) {
	ts := newTestServer(t)
	snap := sampleSnapshot(t)
	r := get(t, ts, "/api/v1/datapackage.json")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	pkg := decode[api.DataPackage](t, r)
	if pkg.Version != snap.Version || !pkg.Sample || len(pkg.Licenses) == 0 || pkg.Licenses[0].Title == "" ||
		len(pkg.Sources) != len(snap.Meta.Sources) || !strings.Contains(pkg.Citation, snap.Version) {
		t.Errorf("package: version %s sample %v licences %v sources %d citation %q", pkg.Version, pkg.Sample, pkg.Licenses, len(pkg.Sources), pkg.Citation)
	}
	csvs, geos := 0, 0
	for _, res := range pkg.Resources {
		path, ok := strings.CutPrefix(res.Path, ts.URL)
		if !ok {
			t.Fatalf("%s: path %s is not on this server", res.Name, res.Path)
		}
		body := get(t, ts, path)
		if body.status != 200 || !strings.HasPrefix(body.header.Get("Content-Type"), res.MediaType) {
			t.Fatalf("%s: %d %s, declared %s", res.Name, body.status, body.header.Get("Content-Type"), res.MediaType)
		}
		if res.Schema == nil {
			if res.Format != "geojson" {
				t.Errorf("%s has no schema", res.Name)
			}
			continue
		}
		for _, f := range res.Schema.Fields {
			if f.Description == "" {
				t.Errorf("%s.%s has no description", res.Name, f.Name)
			}
		}
		switch res.Format {
		case "csv":
			csvs++
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body.body, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", res.Name, err)
			}
			var names []string
			for _, f := range res.Schema.Fields {
				names = append(names, f.Name)
			}
			if !slices.Equal(rows[0], names) {
				t.Fatalf("%s: header %v, schema %v", res.Name, rows[0], names)
			}
			if len(rows) < 2 {
				t.Errorf("%s has no rows", res.Name)
			}
			bad := 0
			for i, row := range rows[1:] {
				for k, f := range res.Schema.Fields {
					if err := checkValue(f, row[k]); err != nil && bad < 5 {
						bad++
						t.Errorf("%s row %d: %v", res.Name, i+2, err)
					}
				}
			}
		case "geojson":
			geos++
			var fc struct {
				Features []struct {
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(body.body, &fc); err != nil || len(fc.Features) == 0 {
				t.Fatalf("%s: %v, %d features", res.Name, err, len(fc.Features))
			}
			fields := map[string]api.Field{}
			for _, f := range res.Schema.Fields {
				fields[f.Name] = f
			}
			bad := 0
			for i, ft := range fc.Features {
				for name, v := range ft.Properties {
					f, ok := fields[name]
					if !ok {
						if bad < 5 {
							bad++
							t.Errorf("%s feature %d: property %s is not in the schema", res.Name, i, name)
						}
						continue
					}
					if err := checkJSON(f, v); err != nil && bad < 5 {
						bad++
						t.Errorf("%s feature %d: %v", res.Name, i, err)
					}
				}
				for name, f := range fields {
					if _, ok := ft.Properties[name]; !ok && f.Constraints != nil && f.Constraints.Required && bad < 5 {
						bad++
						t.Errorf("%s feature %d lacks required %s", res.Name, i, name)
					}
				}
			}
		}
	}
	if csvs < 4 || geos < 4 {
		t.Errorf("%d CSV and %d GeoJSON files validated", csvs, geos)
	}
	t.Logf("%d CSV and %d GeoJSON files validated", csvs, geos)
}

func TestCatalogue(t *testing.T) {
	ts := newTestServer(t)
	r := get(t, ts, "/api/v1/catalogue.jsonld")
	if r.status != 200 || r.header.Get("Content-Type") != "application/ld+json" {
		t.Fatalf("%d %s", r.status, r.header.Get("Content-Type"))
	}
	var cat struct {
		Type     string `json:"@type"`
		Datasets []struct {
			Type          string `json:"@type"`
			Version       string `json:"dcat:version"`
			Distributions []struct {
				Download struct {
					ID string `json:"@id"`
				} `json:"dcat:downloadURL"`
				MediaType string `json:"dcat:mediaType"`
			} `json:"dcat:distribution"`
		} `json:"dcat:dataset"`
	}
	if err := json.Unmarshal(r.body, &cat); err != nil {
		t.Fatal(err)
	}
	pkg := decode[api.DataPackage](t, get(t, ts, "/api/v1/datapackage.json"))
	if cat.Type != "dcat:Catalog" || len(cat.Datasets) != 1 || cat.Datasets[0].Version != pkg.Version ||
		len(cat.Datasets[0].Distributions) != len(pkg.Resources) {
		t.Fatalf("catalogue: %+v", cat)
	}
	for _, d := range cat.Datasets[0].Distributions {
		path, _ := strings.CutPrefix(d.Download.ID, ts.URL)
		if res := get(t, ts, path); res.status != 200 {
			t.Errorf("distribution %s: %d", d.Download.ID, res.status)
		}
	}
}
