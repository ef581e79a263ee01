// Package imports reads the files a county's offices send — CSV (UTF-8 with
// or without a byte-order mark, or GB18030), Excel .xlsx and GeoJSON — with
// headers in Chinese or English, and turns them into checked records. Every
// bad row is reported with its line and the reason; nothing here writes.
// store/postgis does the writing, in one transaction.
package imports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"shanyu/source/table"
)

// Row is one record of a file: its line (the header is line 1; for GeoJSON
// the feature's position, counting from 1) and its values by canonical
// column name.
type Row struct {
	Line     int
	Values   map[string]string
	Geometry orb.Geometry // GeoJSON only
}

// Table is a file's rows, with the canonical columns its header named.
type Table struct {
	Columns []string
	Rows    []Row
	// Unknown lists header cells that match no column of the kind: reported,
	// so a misspelt header is not silently dropped.
	Unknown []string
}

// ErrFormat is wrapped by errors about the file as a whole.
var ErrFormat = errors.New("unreadable file")

// ReadTable reads name's bytes as CSV, XLSX or GeoJSON (by extension) and
// maps its header onto spec's columns.
func ReadTable(name string, b []byte, spec *Spec) (*Table, error) {
	return ReadSheet(name, b, spec, "")
}

// ReadSheet is ReadTable choosing a workbook's sheet by name; with no name
// it reads the sheet whose header names the most columns.
func ReadSheet(name string, b []byte, spec *Spec, sheet string) (*Table, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return readCSV(b, spec)
	case ".xlsx":
		return readXLSX(b, spec, sheet)
	case ".geojson", ".json":
		return readGeoJSON(b, spec)
	}
	return nil, fmt.Errorf("%w: %s: the extension must be .csv, .xlsx or .geojson", ErrFormat, name)
}

// decodeText returns b as UTF-8: without its byte-order mark when it has
// one, as is when it is valid UTF-8, else decoded from GB18030 (which
// includes GBK and GB2312), the encoding Excel in China saves CSV in.
func decodeText(b []byte) ([]byte, error) {
	if bytes.HasPrefix(b, []byte("\uFEFF")) {
		return b[3:], nil
	}
	if utf8.Valid(b) {
		return b, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("%w: neither UTF-8 nor GB18030: %v", ErrFormat, err)
	}
	return out, nil
}

func (t *Table) header(cells []string, spec *Spec) []string {
	cols := make([]string, len(cells))
	for i, h := range cells {
		if c := spec.Canonical(h); c != "" {
			cols[i] = c
			t.Columns = append(t.Columns, c)
		} else if strings.TrimSpace(h) != "" {
			t.Unknown = append(t.Unknown, strings.TrimSpace(h))
		}
	}
	return cols
}

func (t *Table) add(line int, cols, cells []string) {
	r := Row{Line: line, Values: map[string]string{}}
	empty := true
	for i, v := range cells {
		if i < len(cols) && cols[i] != "" {
			v = strings.TrimSpace(v)
			r.Values[cols[i]] = v
			empty = empty && v == ""
		}
	}
	if !empty {
		t.Rows = append(t.Rows, r)
	}
}

func readCSV(b []byte, spec *Spec) (*Table, error) {
	b, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: no header row: %v", ErrFormat, err)
	}
	t := &Table{}
	cols := t.header(header, spec)
	for {
		rec, err := r.Read()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%w: line %d: %v", ErrFormat, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		line, _ := r.FieldPos(0)
		t.add(line, cols, rec)
	}
	return t, nil
}

// maxHeaderRow is how far down a sheet the header row is looked for: below
// a title row, a date line or a merged banner.
const maxHeaderRow = 15

// readXLSX reads the named sheet, or else the sheet whose header names the
// most columns of spec. Cells are read raw, not as displayed, so numbers
// keep their digits and dates arrive as serial numbers, which the date
// columns turn into days whatever the cell's date format. Merged cells give
// their value to every cell they cover; the header is the row (or the pair
// of rows, a merged group over its sub-headers) that names the most
// columns.
func readXLSX(b []byte, spec *Spec, sheet string) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: not an .xlsx workbook: %v", ErrFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheet", ErrFormat)
	}
	if sheet != "" {
		if !slices.Contains(sheets, sheet) {
			return nil, fmt.Errorf("%w: the workbook has no sheet %q; its sheets are %s (choose one with --sheet)",
				ErrFormat, sheet, strings.Join(sheets, ", "))
		}
		sheets = []string{sheet}
	}
	var best *sheetRows
	for _, name := range sheets {
		sr, err := readSheet(f, name, spec)
		if err != nil {
			return nil, err
		}
		if best == nil || sr.score > best.score {
			best = sr
		}
	}
	if best.score == 0 {
		var want []string
		for _, c := range spec.Columns {
			if c.Required {
				want = append(want, c.Aliases[0]+" ("+c.Name+")")
			}
		}
		return nil, fmt.Errorf("%w: no header row: none of the first %d rows of sheet %q names the columns (%s)",
			ErrFormat, maxHeaderRow, best.name, strings.Join(want, ", "))
	}
	t := &Table{}
	cols := t.header(best.header, spec)
	for i := best.at + 1; i < len(best.rows); i++ {
		rec := best.rows[i]
		for j, c := range cols {
			if j < len(rec) && c != "" && spec.Columns[spec.index(c)].Field != nil && spec.Columns[spec.index(c)].Field.Type == table.Date {
				rec[j] = serialDate(rec[j])
			}
		}
		t.add(i+1, cols, rec)
	}
	return t, nil
}

// sheetRows is one sheet's cells and where its header is.
type sheetRows struct {
	name   string
	rows   [][]string
	header []string
	at     int // index of the header row (the lower one of a pair)
	score  int // columns the header names
}

func readSheet(f *excelize.File, name string, spec *Spec) (*sheetRows, error) {
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrFormat, name, err)
	}
	merged, err := f.GetMergeCells(name)
	if err != nil {
		return nil, fmt.Errorf("%w: sheet %q: %v", ErrFormat, name, err)
	}
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r2-r1 > 1000 || c2-c1 > 200 {
			continue
		}
		v := m.GetCellValue()
		for r := r1; r <= r2; r++ {
			for len(rows) < r {
				rows = append(rows, nil)
			}
			for c := c1; c <= c2; c++ {
				for len(rows[r-1]) < c {
					rows[r-1] = append(rows[r-1], "")
				}
				rows[r-1][c-1] = v
			}
		}
	}
	sr := &sheetRows{name: name, rows: rows}
	score := func(cells []string) int {
		seen := map[string]bool{}
		for _, c := range cells {
			if n := spec.Canonical(c); n != "" {
				seen[n] = true
			}
		}
		return len(seen)
	}
	for i := 0; i < len(rows) && i < maxHeaderRow; i++ {
		if s := score(rows[i]); s > sr.score {
			sr.header, sr.at, sr.score = rows[i], i, s
		}
		if i == 0 {
			continue
		}
		// A merged group over its sub-headers: 乳儿班 over 托位 and 在托.
		pair := make([]string, len(rows[i]))
		for j, c := range rows[i] {
			pair[j] = c
			if j < len(rows[i-1]) && rows[i-1][j] != "" && rows[i-1][j] != c && spec.Canonical(c) == "" {
				pair[j] = rows[i-1][j] + c
			}
		}
		if s := score(pair); s > sr.score {
			sr.header, sr.at, sr.score = pair, i, s
		}
	}
	return sr, nil
}

// serialDate turns an Excel serial day number (what a date cell holds,
// whatever its display format) into YYYY-MM-DD; other text is left as is.
func serialDate(v string) string {
	v = strings.TrimSpace(v)
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > 2958465 {
		return v
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return v
	}
	return t.Format(time.DateOnly)
}

func readGeoJSON(b []byte, spec *Spec) (*Table, error) {
	b, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%w: not a GeoJSON FeatureCollection: %v", ErrFormat, err)
	}
	t := &Table{}
	seen := map[string]bool{}
	for i, f := range fc.Features {
		r := Row{Line: i + 1, Values: map[string]string{}, Geometry: f.Geometry}
		for k, v := range f.Properties {
			c := spec.Canonical(k)
			if c == "" {
				if !seen[k] {
					seen[k] = true
					t.Unknown = append(t.Unknown, k)
				}
				continue
			}
			switch x := v.(type) {
			case nil:
				r.Values[c] = ""
			case float64:
				r.Values[c] = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				r.Values[c] = strconv.FormatBool(x)
			case []any:
				parts := make([]string, len(x))
				for i, p := range x {
					parts[i] = fmt.Sprint(p)
				}
				r.Values[c] = strings.Join(parts, ";")
			default:
				r.Values[c] = strings.TrimSpace(fmt.Sprint(x))
			}
		}
		if p, ok := f.Geometry.(orb.Point); ok {
			r.Values["lon"], r.Values["lat"] = strconv.FormatFloat(p[0], 'f', -1, 64), strconv.FormatFloat(p[1], 'f', -1, 64)
		}
		t.Rows = append(t.Rows, r)
	}
	for _, c := range spec.Columns {
		for _, r := range t.Rows {
			if _, ok := r.Values[c.Name]; ok {
				t.Columns = append(t.Columns, c.Name)
				break
			}
		}
	}
	return t, nil
}
