// Package files reads and writes a shanyu bundle: a folder of plain open
// files (JSON, GeoJSON, CSV) holding one Dataset. The bundled sample county
// is one; `shanyu export` writes another.
//
// The files, each documented column by column in the bundle's README.md:
//
//	dataset.json        where the data comes from, licence, sample flag
//	regions.geojson     county, townships, villages: codes, names, boundaries
//	population.csv      residents per region and year, by age band
//	childcare.csv       childcare centres
//	nursing_rooms.csv   mother-and-baby rooms
//	paediatricians.csv  paediatric physicians per hospital or health centre
//	policy.json         the county's policy: targets and money rules (optional)
package bundle

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"shanyu/county"
	"shanyu/geo"
	"shanyu/indicators"
	"shanyu/policy"
	"shanyu/source/table"
)

// The file names of a bundle.
const (
	DatasetFile        = "dataset.json"
	RegionsFile        = "regions.geojson"
	PopulationFile     = "population.csv"
	ChildcareFile      = "childcare.csv"
	NursingRoomsFile   = "nursing_rooms.csv"
	PaediatriciansFile = "paediatricians.csv"
	IndicatorsFile     = "indicators.json"
	PolicyFile         = "policy.json"
)

// Names lists the data files of a bundle in a fixed order: the order in
// which a bundle's version hash reads them.
var Names = []string{DatasetFile, RegionsFile, PopulationFile, ChildcareFile, NursingRoomsFile, PaediatriciansFile, IndicatorsFile, PolicyFile}

// Columns are the header rows of the CSV files, from the table descriptors.
var (
	PopulationColumns    = table.ByName(table.Population).BundleColumns()
	ChildcareColumns     = table.ByName(table.Childcare).BundleColumns()
	NursingRoomColumns   = table.ByName(table.NursingRoom).BundleColumns()
	PaediatricianColumns = table.ByName(table.Paediatricians).BundleColumns()
)

// ErrInvalid is wrapped by every error about a bundle's content.
var ErrInvalid = errors.New("invalid bundle")

// Read loads and checks the bundle in fsys. Every problem names the file and
// line (or feature) and what is wrong.
func Read(fsys fs.FS) (*county.Dataset, error) {
	ds := &county.Dataset{}
	b, err := fs.ReadFile(fsys, DatasetFile)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &ds.Meta); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, DatasetFile, err)
	}
	if ds.Regions, err = readRegions(fsys); err != nil {
		return nil, err
	}
	// The policy is optional: a dataset without one has no targets.
	if b, err := fs.ReadFile(fsys, PolicyFile); err == nil {
		if ds.Policy, err = policy.Parse(b); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, PolicyFile, err)
		}
	}
	// The published indicator tables are optional.
	if b, err := fs.ReadFile(fsys, IndicatorsFile); err == nil {
		ds.Published = &indicators.Publication{}
		if err := json.Unmarshal(b, ds.Published); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, IndicatorsFile, err)
		}
	}
	readers := []struct {
		name string
		cols []string
		row  func(r row) error
	}{
		{PopulationFile, PopulationColumns, func(r row) error {
			p := county.Population{Code: r.str("code"), Year: r.int("year"), Total: r.int("total"),
				Under3: r.int("under_3"), Age0to14: r.int("age_0_14"), Age15to64: r.int("age_15_64"),
				Age65Plus: r.int("age_65_plus")}
			ds.Population = append(ds.Population, p)
			return r.err
		}},
		{ChildcareFile, ChildcareColumns, func(r row) error {
			f := county.Facility{Kind: county.Childcare, OperatorType: r.str("operator_type"),
				Inclusive: r.bool("inclusive"), Filed: r.bool("filed"), MonthlyFeeYuan: r.int("monthly_fee_yuan"),
				Slots: county.ClassCounts{Infant: r.int("slots_infant"), ToddlerSmall: r.int("slots_toddler_small"),
					ToddlerLarge: r.int("slots_toddler_large"), Mixed: r.int("slots_mixed")},
				Enrolled: county.ClassCounts{Infant: r.int("enrolled_infant"), ToddlerSmall: r.int("enrolled_toddler_small"),
					ToddlerLarge: r.int("enrolled_toddler_large"), Mixed: r.int("enrolled_mixed")}}
			r.common(&f)
			ds.Facilities = append(ds.Facilities, f)
			return r.err
		}},
		{NursingRoomsFile, NursingRoomColumns, func(r row) error {
			f := county.Facility{Kind: county.NursingRoom, VenueType: r.str("venue_type"), Star: r.int("star"),
				Accessible: r.bool("accessible")}
			if a := r.str("amenities"); a != "" {
				f.Amenities = strings.Split(a, ";")
			}
			r.common(&f)
			ds.Facilities = append(ds.Facilities, f)
			return r.err
		}},
		{PaediatriciansFile, PaediatricianColumns, func(r row) error {
			u := county.PaediatricUnit{ID: r.str("id"), NameZh: r.str("name_zh"), Type: r.str("type"),
				Point: r.point(), Paediatricians: r.int("paediatricians")}
			ds.Paediatric = append(ds.Paediatric, u)
			return r.err
		}},
	}
	for _, rd := range readers {
		if err := readCSV(fsys, rd.name, rd.cols, rd.row); err != nil {
			return nil, err
		}
	}
	if err := county.Validate(ds); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return ds, nil
}

func readRegions(fsys fs.FS) ([]county.Region, error) {
	b, err := fs.ReadFile(fsys, RegionsFile)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, RegionsFile, err)
	}
	regions := make([]county.Region, 0, len(fc.Features))
	for i, f := range fc.Features {
		r := county.Region{
			Code: f.Properties.MustString("code", ""), Level: county.Level(f.Properties.MustString("level", "")),
			NameZh: f.Properties.MustString("name_zh", ""), NameEn: f.Properties.MustString("name_en", ""),
			ParentCode:   f.Properties.MustString("parent_code", ""),
			NewCommunity: f.Properties.MustBool("new_community", false),
			Illustrative: f.Properties.MustBool("illustrative_boundary", false),
		}
		mp, ok := geo.AsMultiPolygon(f.Geometry)
		if !ok {
			return nil, fmt.Errorf("%w: %s feature %d (%s): geometry is a %s, want Polygon or MultiPolygon",
				ErrInvalid, RegionsFile, i+1, r.Code, f.Geometry.GeoJSONType())
		}
		r.Geometry = mp
		regions = append(regions, r)
	}
	return regions, nil
}

// row reads typed cells of one CSV record, keeping the first error.
type row struct {
	file string
	line int
	idx  map[string]int
	rec  []string
	err  error
}

func (r *row) fail(col, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s line %d, column %s: %s", ErrInvalid, r.file, r.line, col, fmt.Sprintf(format, args...))
	}
}

func (r *row) str(col string) string { return strings.TrimSpace(r.rec[r.idx[col]]) }

func (r *row) int(col string) int {
	s := r.str(col)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		r.fail(col, "%q is not a whole number", s)
	}
	return v
}

func (r *row) float(col string) float64 {
	s := r.str(col)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail(col, "%q is not a finite number", s)
	}
	return v
}

func (r *row) bool(col string) bool {
	switch s := r.str(col); s {
	case "true":
		return true
	case "false", "":
		return false
	default:
		r.fail(col, "%q is not true or false", s)
		return false
	}
}

func (r *row) date(col string) county.Date {
	s := r.str(col)
	if s == "" {
		return ""
	}
	d, err := county.ParseDate(s)
	if err != nil {
		r.fail(col, "%v", err)
	}
	return d
}

func (r *row) point() orb.Point { return orb.Point{r.float("lon"), r.float("lat")} }

func (r *row) common(f *county.Facility) {
	f.ID, f.NameZh, f.Point = r.str("id"), r.str("name_zh"), r.point()
	f.Address, f.OpeningHours = r.str("address"), r.str("opening_hours")
	if _, ok := r.idx["phone"]; ok {
		f.Phone = r.str("phone")
	}
	f.OpenedOn, f.ClosedOn = r.date("opened_on"), r.date("closed_on")
}

func readCSV(fsys fs.FS, name string, cols []string, fn func(row) error) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(b))
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%w: %s: no header row: %v", ErrInvalid, name, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.TrimSpace(h)] = i
	}
	for _, c := range cols {
		if _, ok := idx[c]; !ok {
			return fmt.Errorf("%w: %s: header has no column %q (want %s)", ErrInvalid, name, c, strings.Join(cols, ","))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%w: %s line %d: %v", ErrInvalid, name, line, err)
		}
		if err := fn(row{file: name, line: line, idx: idx, rec: rec}); err != nil {
			return err
		}
	}
}

// Encode renders ds as the bytes of each bundle file. Equal datasets give
// equal bytes: rows keep their order, numbers their shortest form and
// coordinates six decimals (about 0.1 m).
func Encode(ds *county.Dataset) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := encodeFiles(ds, func(name string, body func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := body(&buf); err != nil {
			return err
		}
		out[name] = buf.Bytes()
		return nil
	})
	return out, err
}

// encodeFiles renders each file of ds in the order of Names, by calling
// file with the file's name and a function that writes its bytes; a file
// the dataset does not have (indicators.json without a publication) is
// skipped. Rendering streams: no file is held whole in memory unless file
// keeps it, and the rows are read in canonical order without copying them.
func encodeFiles(ds *county.Dataset, file func(name string, body func(io.Writer) error) error) error {
	c := canonical(ds)
	for _, name := range Names {
		var body func(io.Writer) error
		switch name {
		case DatasetFile:
			body = func(w io.Writer) error {
				meta, err := json.MarshalIndent(ds.Meta, "", "  ")
				if err != nil {
					return err
				}
				_, err = w.Write(append(meta, '\n'))
				return err
			}
		case RegionsFile:
			body = func(w io.Writer) error { return encodeRegions(w, ds.Meta, c.regions) }
		case PopulationFile:
			body = func(w io.Writer) error {
				return encodeCSV(w, PopulationColumns, len(c.population), func(k int, r []string) []string {
					p := c.population[k]
					return append(r, p.Code, strconv.Itoa(p.Year), strconv.Itoa(p.Total), strconv.Itoa(p.Under3),
						strconv.Itoa(p.Age0to14), strconv.Itoa(p.Age15to64), strconv.Itoa(p.Age65Plus))
				})
			}
		case ChildcareFile:
			body = func(w io.Writer) error {
				return encodeCSV(w, ChildcareColumns, len(c.childcare), func(k int, r []string) []string {
					f := c.childcare[k]
					i, b := strconv.Itoa, strconv.FormatBool
					return append(r, f.ID, f.NameZh, f.OperatorType, b(f.Inclusive), b(f.Filed),
						FormatCoord(f.Point[0]), FormatCoord(f.Point[1]),
						f.Address, f.Phone, f.OpeningHours, i(f.MonthlyFeeYuan),
						i(f.Slots.Infant), i(f.Slots.ToddlerSmall), i(f.Slots.ToddlerLarge), i(f.Slots.Mixed),
						i(f.Enrolled.Infant), i(f.Enrolled.ToddlerSmall), i(f.Enrolled.ToddlerLarge), i(f.Enrolled.Mixed),
						string(f.OpenedOn), string(f.ClosedOn))
				})
			}
		case NursingRoomsFile:
			body = func(w io.Writer) error {
				return encodeCSV(w, NursingRoomColumns, len(c.nursing), func(k int, r []string) []string {
					n := c.nursing[k]
					return append(r, n.ID, n.NameZh, n.VenueType, strconv.Itoa(n.Star),
						FormatCoord(n.Point[0]), FormatCoord(n.Point[1]), n.Address,
						n.OpeningHours, strings.Join(n.Amenities, ";"), strconv.FormatBool(n.Accessible),
						string(n.OpenedOn), string(n.ClosedOn))
				})
			}
		case PaediatriciansFile:
			body = func(w io.Writer) error {
				return encodeCSV(w, PaediatricianColumns, len(c.paediatric), func(k int, r []string) []string {
					u := c.paediatric[k]
					return append(r, u.ID, u.NameZh, u.Type, FormatCoord(u.Point[0]), FormatCoord(u.Point[1]),
						strconv.Itoa(u.Paediatricians))
				})
			}
		case PolicyFile:
			if ds.Policy == nil {
				continue
			}
			body = func(w io.Writer) error {
				b, err := json.MarshalIndent(ds.Policy, "", "  ")
				if err != nil {
					return err
				}
				_, err = w.Write(append(b, '\n'))
				return err
			}
		case IndicatorsFile:
			if ds.Published == nil {
				continue
			}
			body = func(w io.Writer) error {
				b, err := indicators.MarshalCanonical(ds.Published)
				if err != nil {
					return err
				}
				_, err = w.Write(b)
				return err
			}
		}
		if err := file(name, body); err != nil {
			return err
		}
	}
	return nil
}

// encodeRegions writes regions.geojson: a FeatureCollection naming its data
// set, so the file alone says what it is (for sample data: that it is
// sample data, with generator and seed), one feature a line.
func encodeRegions(w io.Writer, meta county.Meta, regions []*county.Region) error {
	about, err := json.Marshal(struct {
		Title     string            `json:"title"`
		Sample    bool              `json:"sample"`
		Notice    string            `json:"notice"`
		Generator *county.Generator `json:"generator,omitempty"`
	}{meta.Title, meta.Sample, meta.Notice, meta.Generator})
	if err != nil {
		return err
	}
	var rb bytes.Buffer
	rb.WriteString(`{"type":"FeatureCollection","dataset":` + string(about) + `,"features":[` + "\n")
	for i, r := range regions {
		f := geojson.NewFeature(geo.Simplest(rounded(r.Geometry)))
		f.Properties = geojson.Properties{"code": r.Code, "level": r.Level, "name_zh": r.NameZh,
			"parent_code": r.ParentCode, "new_community": r.NewCommunity, "illustrative_boundary": r.Illustrative}
		if r.NameEn != "" {
			f.Properties["name_en"] = r.NameEn
		}
		fb, err := json.Marshal(f)
		if err != nil {
			return err
		}
		rb.Write(fb)
		if i < len(regions)-1 {
			rb.WriteByte(',')
		}
		rb.WriteByte('\n')
	}
	rb.WriteString("]}\n")
	_, err = w.Write(rb.Bytes())
	return err
}

// ordered is a dataset's rows in the bundle's canonical order, as pointers
// into the dataset (nothing copied).
type ordered struct {
	regions    []*county.Region
	population []*county.Population
	childcare  []*county.Facility
	nursing    []*county.Facility
	paediatric []*county.PaediatricUnit
}

// canonical puts ds's rows in the bundle's order — regions and population
// by level (code length), then code (and year); facilities and paediatric
// units by id — so the same data encodes to the same bytes whichever store
// it came from. Rows already in order (as a store or the snapshot keeps
// them) are not sorted again.
func canonical(ds *county.Dataset) ordered {
	byCode := func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	}
	var c ordered
	c.regions = sortedPtrs(ds.Regions, func(a, b *county.Region) int { return byCode(a.Code, b.Code) })
	c.population = sortedPtrs(ds.Population, func(a, b *county.Population) int {
		if d := byCode(a.Code, b.Code); d != 0 {
			return d
		}
		return a.Year - b.Year
	})
	byID := func(a, b *county.Facility) int { return strings.Compare(a.ID, b.ID) }
	c.childcare = sortedPtrs(ds.Facilities, byID)
	c.nursing = make([]*county.Facility, 0, len(c.childcare)/2)
	n := 0
	for _, f := range c.childcare {
		if f.Kind == county.Childcare {
			c.childcare[n] = f
			n++
		} else {
			c.nursing = append(c.nursing, f)
		}
	}
	c.childcare = c.childcare[:n]
	c.paediatric = sortedPtrs(ds.Paediatric, func(a, b *county.PaediatricUnit) int { return strings.Compare(a.ID, b.ID) })
	return c
}

// sortedPtrs returns pointers to the elements of s, stably sorted by cmp.
func sortedPtrs[T any](s []T, cmp func(a, b *T) int) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	if !slices.IsSortedFunc(out, cmp) {
		slices.SortStableFunc(out, cmp)
	}
	return out
}

// Write writes ds as a bundle into dir, creating it if needed, plus any
// extra files (a README, licences) given by name.
func Write(dir string, ds *county.Dataset, extra map[string][]byte) error {
	out, err := Encode(ds)
	if err != nil {
		return err
	}
	for k, v := range extra {
		out[k] = v
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(out))
	for k := range out {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if err := os.WriteFile(filepath.Join(dir, k), out[k], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// encodeCSV writes a header row and n records; rec appends record k's
// fields to the slice it is given (reused from row to row).
func encodeCSV(w io.Writer, cols []string, n int, rec func(k int, r []string) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	r := make([]string, 0, len(cols))
	for k := 0; k < n; k++ {
		r = rec(k, r[:0])
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// rounded returns a copy of mp with coordinates at orb's default six
// decimals (about 0.1 m).
func rounded(mp orb.MultiPolygon) orb.MultiPolygon {
	if len(mp) == 0 {
		return mp
	}
	return orb.Round(orb.Clone(mp)).(orb.MultiPolygon)
}

// FormatCoord writes a longitude or latitude with six decimals at most
// (about 0.1 m, orb's default rounding), without trailing zeros.
func FormatCoord(v float64) string {
	return strconv.FormatFloat(orb.Round(orb.Point{v, 0}).(orb.Point)[0], 'f', -1, 64)
}
