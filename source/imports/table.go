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
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
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
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return readCSV(b, spec)
	case ".xlsx":
		return readXLSX(b, spec)
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

func readXLSX(b []byte, spec *Spec) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: not an .xlsx workbook: %v", ErrFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheet", ErrFormat)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: the first sheet is empty: it needs a header row", ErrFormat)
	}
	t := &Table{}
	cols := t.header(rows[0], spec)
	for i, rec := range rows[1:] {
		t.add(i+2, cols, rec)
	}
	return t, nil
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
