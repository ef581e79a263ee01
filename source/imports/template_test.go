package imports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"shanyu/source/table"
)

// TestTemplates writes every kind's template, fills one row with the
// examples its notes give, and imports it: the row passes. The workbook has a
// notes sheet with a row per column and a drop-down list per enumeration
// and yes/no column. Regions from a table carry no boundary (the GeoJSON
// template's feature has one).
func TestTemplates(t *testing.T) {
	for _, kind := range table.Kinds {
		fields := TemplateFields(kind)
		t.Run(kind.Name+" xlsx", func(t *testing.T) {
			b, err := Template(kind, FormatXLSX)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			sheets := f.GetSheetList()
			if len(sheets) != 2 || sheets[0] != kind.Zh || sheets[1] != "说明 Notes" {
				t.Fatalf("sheets %v", sheets)
			}
			dvs, err := f.GetDataValidations(kind.Zh)
			if err != nil {
				t.Fatal(err)
			}
			lists := 0
			for _, fd := range fields {
				if fd.Type == table.Enum || fd.Type == table.Bool {
					lists++
				}
			}
			if len(dvs) != lists || lists == 0 && kind.Name != table.Population {
				t.Errorf("%d drop-down lists, want %d", len(dvs), lists)
			}
			for _, dv := range dvs {
				if dv.Type != "list" || !strings.Contains(dv.Formula1, "是") && !strings.ContainsAny(dv.Formula1, "公乡商妇一乳") {
					t.Errorf("drop-down %s: %s %s", dv.Sqref, dv.Type, dv.Formula1)
				}
			}
			notes, _ := f.GetRows("说明 Notes")
			documented := 0
			for _, r := range notes {
				for _, fd := range fields {
					if len(r) > 5 && r[0] == TemplateHeader(fd) && r[5] == fd.Doc && r[4] == fd.DocZh {
						documented++
					}
				}
			}
			if documented != len(fields) {
				t.Errorf("the notes explain %d of %d columns", documented, len(fields))
			}
			for i, fd := range fields {
				cell, _ := excelize.CoordinatesToCellName(i+1, 2)
				if err := f.SetCellValue(kind.Zh, cell, fd.Example); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			tab, err := ReadTable("filled.xlsx", buf.Bytes(), Specs[kind.Name])
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Unknown) > 0 || len(tab.Columns) != len(fields) {
				t.Errorf("header read as %v, unknown %v", tab.Columns, tab.Unknown)
			}
			checkFilled(t, kind, tab)
		})
		t.Run(kind.Name+" csv", func(t *testing.T) {
			b, err := Template(kind, FormatCSV)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("\uFEFF")) || bytes.Count(b, []byte("\n")) != 1 {
				t.Errorf("not an empty CSV with a BOM: %q", b)
			}
			var row []string
			for _, fd := range fields {
				row = append(row, fd.Example)
			}
			var buf bytes.Buffer
			buf.Write(b)
			w := csv.NewWriter(&buf)
			_ = w.Write(row)
			w.Flush()
			tab, err := ReadTable("filled.csv", buf.Bytes(), Specs[kind.Name])
			if err != nil {
				t.Fatal(err)
			}
			checkFilled(t, kind, tab)
		})
	}
	b, err := Template(table.ByName(table.Regions), FormatGeoJSON)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadTable("regions.geojson", b, Specs["regions"])
	if err != nil {
		t.Fatal(err)
	}
	if rec := Parse("regions", tab, Options{Regions: parentOnly}); len(rec.Problems) > 0 || len(rec.Regions) != 1 || len(rec.Regions[0].Geometry) != 1 {
		t.Errorf("the regions template's example: %v", rec.Problems)
	}
	if _, err := Template(table.ByName(table.Childcare), "pdf"); err == nil {
		t.Error("a pdf template")
	}
}

// parentOnly holds the township and village the examples name.
var parentOnly = map[string]string{"331126": "county", "331126001": "township", "331126001001": "village"}

func checkFilled(t *testing.T, kind *table.Kind, tab *Table) {
	t.Helper()
	rec := Parse(kind.Name, tab, Options{Regions: parentOnly})
	if len(rec.Problems) > 0 {
		t.Errorf("the examples do not import: %v", rec.Problems)
	}
	if n := len(rec.Facilities) + len(rec.Population) + len(rec.Paediatric) + len(rec.Regions); n != 1 {
		t.Errorf("%d records from one filled row", n)
	}
}
