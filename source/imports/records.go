package imports

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"golang.org/x/text/unicode/norm"

	"shanyu/county"
	"shanyu/geo"
	"shanyu/source/table"
)

// Problem is one thing wrong with one row.
type Problem struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Reason)
	}
	return fmt.Sprintf("line %d, %s: %s", p.Line, p.Column, p.Reason)
}

// Options say how to read coordinates and what the database already holds.
type Options struct {
	// GCJ02 says the file's coordinates are GCJ-02 (Amap, WeChat); they are
	// converted to WGS84.
	GCJ02 bool
	// WGS84 states that the coordinates are WGS84 (GPS): points that look
	// GCJ-02 against their declared villages are then taken as they are.
	WGS84 bool
	// Villages holds the village boundaries by code, for checking the
	// points of a file that declares each facility's village (nil skips it).
	Villages map[string]orb.MultiPolygon
	// Regions maps the codes the database holds to their level; a code
	// outside it is refused (nil skips the check).
	Regions map[string]string
	// County is the county's boundary; facilities outside it are refused
	// (nil skips the check).
	County orb.MultiPolygon
	// inCounty is County prepared for many points, once a Parse.
	inCounty *geo.Area
}

// Records are the checked contents of one file.
type Records struct {
	Kind       string
	Facilities []county.Facility
	Population []county.Population
	Paediatric []county.PaediatricUnit
	Regions    []county.Region
	Problems   []Problem
	Unknown    []string // header cells that matched no column
	// Lines gives the line of each record by id (regions: by code), so a
	// refusal by the database can still name the row.
	Lines map[string]int
}

// Parse checks every row of t as kind and returns the records, or the
// problems: every bad row is listed, not just the first.
func Parse(kind string, t *Table, opt Options) *Records {
	if opt.County != nil {
		opt.inCounty = geo.NewArea(opt.County)
	}
	rec := &Records{Kind: kind, Unknown: t.Unknown, Lines: map[string]int{}}
	spec := Specs[kind]
	for _, c := range spec.Columns {
		if c.Required && !slices.Contains(t.Columns, c.Name) && !(c.Name == "lon" || c.Name == "lat") {
			rec.Problems = append(rec.Problems, Problem{Line: 1, Column: c.Name,
				Reason: fmt.Sprintf("the header has no %s column (%s)", c.Name, strings.Join(c.Aliases, ", "))})
		}
	}
	if len(rec.Problems) > 0 {
		return rec
	}
	if kind != "regions" && opt.Regions != nil && len(opt.Regions) == 0 {
		rec.Problems = append(rec.Problems, Problem{Line: 1, Reason: "the database holds no regions yet, so no row can be " +
			"checked or placed: import in this order — regions, then population, then childcare, nursing_room and paediatricians"})
		return rec
	}
	checkText(rec, t)
	switch kind {
	case "childcare", "nursing_room":
		parseFacilities(rec, t, opt)
	case "population":
		parsePopulation(rec, t, opt)
	case "paediatricians":
		parsePaediatric(rec, t, opt)
	case "regions":
		parseRegions(rec, t, opt)
	}
	sort.SliceStable(rec.Problems, func(i, j int) bool { return rec.Problems[i].Line < rec.Problems[j].Line })
	return rec
}

// cell reads the typed values of one row, recording its problems.
type cell struct {
	row Row
	rec *Records
	opt Options
	bad bool
}

func (c *cell) fail(col, format string, args ...any) {
	c.bad = true
	c.rec.Problems = append(c.rec.Problems, Problem{Line: c.row.Line, Column: col, Reason: fmt.Sprintf(format, args...)})
}

func (c *cell) str(col string) string { return c.row.Values[col] }

// num returns a cell that holds a number, a date or a yes/no in NFKC form:
// full-width digits, commas and slashes (１２，２０２３／６／１) become ASCII.
func (c *cell) num(col string) string { return strings.TrimSpace(norm.NFKC.String(c.row.Values[col])) }

func (c *cell) required(col string) string {
	v := c.str(col)
	if v == "" {
		c.fail(col, "is empty")
	}
	return v
}

func (c *cell) int(col string) int {
	v := strings.ReplaceAll(c.num(col), ",", "")
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		c.fail(col, "%q is not a whole number", v)
		return 0
	}
	if f < 0 {
		c.fail(col, "%v is negative", f)
		return 0
	}
	return int(f)
}

var truth = map[string]bool{"true": true, "false": false, "是": true, "否": false, "1": true, "0": false,
	"yes": true, "no": false, "y": true, "n": false, "√": true, "×": false, "有": true, "无": false}

func (c *cell) bool(col string) bool {
	v := strings.ToLower(c.num(col))
	if v == "" {
		return false
	}
	b, ok := truth[v]
	if !ok {
		c.fail(col, "%q is not yes or no (是/否, true/false)", c.str(col))
	}
	return b
}

// enum maps a value, in English or Chinese, onto one of a fixed set.
func (c *cell) enum(col string, names map[string]string) string {
	v := c.str(col)
	if v == "" {
		c.fail(col, "is empty")
		return ""
	}
	if out, ok := names[strings.ToLower(norm.NFKC.String(v))]; ok {
		return out
	}
	var allowed []string
	for k, out := range names {
		if k == out {
			allowed = append(allowed, k)
		}
	}
	sort.Strings(allowed)
	c.fail(col, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return ""
}

// dateRe matches the days offices type: 2023-06-01, 2023/6/1, 2023.6.1,
// 2023年6月1日, 20230601, each perhaps followed by a time of day.
var dateRe = regexp.MustCompile(`^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)

func (c *cell) date(col string) county.Date {
	v := c.num(col)
	if v == "" {
		return ""
	}
	m := dateRe.FindStringSubmatch(v)
	if m == nil {
		c.fail(col, "%q is not a date: write it as a date cell, 2023-06-01, 2023/6/1 or 2023年6月1日", v)
		return ""
	}
	if m[2] == "" {
		m[2], m[3] = m[4], m[5]
	}
	s := fmt.Sprintf("%s-%02s-%02s", m[1], m[2], m[3])
	s = strings.ReplaceAll(s, " ", "0")
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		c.fail(col, "%q is not a real day", v)
		return ""
	}
	return county.Date(d.Format(time.DateOnly))
}

// point reads lon and lat, converts GCJ-02 when asked, and checks the range
// and, for facilities, that the point lies in the county.
func (c *cell) point(inCounty bool) orb.Point {
	var p orb.Point
	for i, col := range []string{"lon", "lat"} {
		v := c.num(col)
		f, err := strconv.ParseFloat(v, 64)
		switch {
		case v == "":
			c.fail(col, "is empty")
			return p
		case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
			c.fail(col, "%q is not a number", v)
			return p
		}
		p[i] = f
	}
	if err := county.CheckPoint(p[0], p[1]); err != nil {
		c.fail("lon/lat", "%v", err)
		return p
	}
	if c.opt.GCJ02 {
		p = geo.GCJ02ToWGS84(p)
	}
	p = orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
	if inCounty && c.opt.inCounty != nil && !c.opt.inCounty.Contains(p) {
		c.fail("lon/lat", "%.6f, %.6f is outside the county (check the order lon,lat and the datum: --gcj02 for Amap or WeChat coordinates)", p[0], p[1])
	}
	return p
}

// choiceNames maps every name of choices — value, Chinese name, aliases,
// compared in lower case after NFKC — onto its value.
func choiceNames(choices []table.Choice) map[string]string {
	out := map[string]string{}
	for _, c := range choices {
		for _, n := range append([]string{c.Value, c.Zh}, c.Aliases...) {
			out[strings.ToLower(norm.NFKC.String(n))] = c.Value
		}
	}
	return out
}

var (
	operatorNames = choiceNames(table.OperatorTypes)
	venueNames    = choiceNames(table.VenueTypes)
	classNames    = choiceNames(table.Classes)
	starNames     = choiceNames(table.Stars)
	amenityNames  = choiceNames(table.Amenities)
	paedTypeNames = choiceNames(table.PaediatricTypes)
	levelNames    = choiceNames(table.Levels)
)

var idRe = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,64}$`)

func parseFacilities(rec *Records, t *Table, opt Options) {
	var declared []declaredPoint
	declare := func(c *cell, p orb.Point) {
		if v := c.str("village_code"); v != "" && !c.bad {
			declared = append(declared, declaredPoint{line: c.row.Line, village: v, p: p})
		}
	}
	defer func() { checkDatum(rec, declared, opt) }()
	long := slices.Contains(t.Columns, "class")
	byID := map[string]int{}  // id → index in rec.Facilities
	lines := map[string]int{} // id (or id/class) → first line
	for _, row := range t.Rows {
		c := &cell{row: row, rec: rec, opt: opt}
		id := c.required("id")
		if id != "" && !idRe.MatchString(id) {
			c.fail("id", "%q may hold only letters, digits and _ . : - (at most 64)", id)
		}
		key := id
		var class string
		if long {
			class = c.enum("class", classNames)
			key = id + "/" + class
		}
		first, duplicate := lines[key]
		if duplicate && id != "" {
			if long {
				c.fail("class", "%s of %s is already on line %d", class, id, first)
				continue
			}
			// Report it, and whatever else is wrong with the row.
			c.fail("id", "%s is already on line %d", id, first)
		} else {
			lines[key] = row.Line
		}
		if i, seen := byID[id]; long && seen {
			// Another class of a centre already read.
			f := &rec.Facilities[i]
			addClass(c, f, class)
			continue
		}
		f := county.Facility{ID: id, Kind: county.Kind(rec.Kind), NameZh: c.required("name_zh"), Point: c.point(true),
			Address: c.str("address"), OpeningHours: c.str("opening_hours"),
			OpenedOn: c.date("opened_on"), ClosedOn: c.date("closed_on")}
		if f.OpenedOn != "" && f.ClosedOn != "" && f.ClosedOn < f.OpenedOn {
			c.fail("closed_on", "%s is before opened_on %s", f.ClosedOn, f.OpenedOn)
		}
		switch f.Kind {
		case county.Childcare:
			f.OperatorType = c.enum("operator_type", operatorNames)
			f.Inclusive, f.Filed, f.Phone = c.bool("inclusive"), c.bool("filed"), c.str("phone")
			f.MonthlyFeeYuan = c.int("monthly_fee_yuan")
			if long {
				addClass(c, &f, class)
			} else {
				f.Slots = county.ClassCounts{Infant: c.int("slots_infant"), ToddlerSmall: c.int("slots_toddler_small"),
					ToddlerLarge: c.int("slots_toddler_large"), Mixed: c.int("slots_mixed")}
				f.Enrolled = county.ClassCounts{Infant: c.int("enrolled_infant"), ToddlerSmall: c.int("enrolled_toddler_small"),
					ToddlerLarge: c.int("enrolled_toddler_large"), Mixed: c.int("enrolled_mixed")}
				for _, cl := range county.Classes {
					s, _ := f.Slots.Get(cl)
					e, _ := f.Enrolled.Get(cl)
					if e > s {
						c.fail("enrolled_"+cl, "%d enrolled is above the %d approved %s slots", e, s, cl)
					}
				}
			}
		case county.NursingRoom:
			f.VenueType = c.enum("venue_type", venueNames)
			if s := c.enum("star", starNames); s != "" {
				f.Star, _ = strconv.Atoi(s)
			}
			f.Accessible = c.bool("accessible")
			if a := c.str("amenities"); a != "" {
				for _, part := range strings.FieldsFunc(a, func(r rune) bool { return strings.ContainsRune(";；,，、/", r) }) {
					name, ok := amenityNames[strings.ToLower(norm.NFKC.String(strings.TrimSpace(part)))]
					if !ok {
						c.fail("amenities", "%q is not a known amenity", strings.TrimSpace(part))
						continue
					}
					if !slices.Contains(f.Amenities, name) {
						f.Amenities = append(f.Amenities, name)
					}
				}
			}
		}
		if duplicate {
			continue
		}
		declare(c, f.Point)
		byID[id] = len(rec.Facilities)
		rec.Lines[id] = row.Line
		rec.Facilities = append(rec.Facilities, f)
	}
}

func addClass(c *cell, f *county.Facility, class string) {
	slots, enrolled := c.int("slots"), c.int("enrolled")
	if enrolled > slots {
		c.fail("enrolled", "%d enrolled is above the %d approved slots of %s", enrolled, slots, class)
	}
	switch class {
	case county.ClassInfant:
		f.Slots.Infant, f.Enrolled.Infant = slots, enrolled
	case county.ClassToddlerSmall:
		f.Slots.ToddlerSmall, f.Enrolled.ToddlerSmall = slots, enrolled
	case county.ClassToddlerLarge:
		f.Slots.ToddlerLarge, f.Enrolled.ToddlerLarge = slots, enrolled
	case county.ClassMixed:
		f.Slots.Mixed, f.Enrolled.Mixed = slots, enrolled
	}
}

func (c *cell) regionCode(col string) string {
	code := c.required(col)
	if code != "" && c.opt.Regions != nil {
		if _, ok := c.opt.Regions[code]; !ok {
			c.fail(col, "no region has code %s; import the regions first", code)
		}
	}
	return code
}

func parsePopulation(rec *Records, t *Table, opt Options) {
	lines := map[string]int{}
	for _, row := range t.Rows {
		c := &cell{row: row, rec: rec, opt: opt}
		p := county.Population{Code: c.regionCode("code"), Year: c.int("year"), Total: c.int("total"), Under3: c.int("under_3"),
			Age0to14: c.int("age_0_14"), Age15to64: c.int("age_15_64"), Age65Plus: c.int("age_65_plus")}
		if p.Year < 1949 || p.Year > 2200 {
			c.fail("year", "%d is not a plausible year", p.Year)
		}
		key := fmt.Sprint(p.Code, "/", p.Year)
		if first, dup := lines[key]; dup {
			c.fail("code", "%s %d is already on line %d", p.Code, p.Year, first)
		}
		lines[key] = row.Line
		if p.Under3 > p.Age0to14 {
			c.fail("under_3", "%d children under 3 is more than the %d aged 0–14", p.Under3, p.Age0to14)
		}
		if sum := p.Age0to14 + p.Age15to64 + p.Age65Plus; sum != p.Total && !c.bad {
			c.fail("total", "the age bands add up to %d, not %d", sum, p.Total)
		}
		rec.Population = append(rec.Population, p)
	}
}

func parsePaediatric(rec *Records, t *Table, opt Options) {
	lines := map[string]int{}
	var declared []declaredPoint
	for _, row := range t.Rows {
		c := &cell{row: row, rec: rec, opt: opt}
		u := county.PaediatricUnit{ID: c.required("id"), NameZh: c.required("name_zh"), Type: c.enum("type", paedTypeNames),
			Point: c.point(true), Paediatricians: c.int("paediatricians")}
		if first, dup := lines[u.ID]; dup {
			c.fail("id", "%s is already on line %d", u.ID, first)
		}
		if v := c.str("village_code"); v != "" && !c.bad {
			declared = append(declared, declaredPoint{line: row.Line, village: v, p: u.Point})
		}
		lines[u.ID] = row.Line
		rec.Lines[u.ID] = row.Line
		rec.Paediatric = append(rec.Paediatric, u)
	}
	checkDatum(rec, declared, opt)
}

func parseRegions(rec *Records, t *Table, opt Options) {
	lines := map[string]int{}
	codes := map[string]county.Level{}
	for k, v := range opt.Regions {
		codes[k] = county.Level(v)
	}
	for _, row := range t.Rows {
		c := &cell{row: row, rec: rec, opt: opt}
		r := county.Region{Code: c.required("code"), Level: county.Level(c.enum("level", levelNames)), NameZh: c.required("name_zh"),
			NameEn: c.str("name_en"), ParentCode: c.str("parent_code"), NewCommunity: c.bool("new_community"),
			Illustrative: c.bool("illustrative_boundary")}
		want := r.Level.CodeDigits()
		if r.Code != "" && r.Level != "" && (len(r.Code) != want || strings.Trim(r.Code, "0123456789") != "") {
			c.fail("code", "a %s code has %d digits, %q does not", r.Level, want, r.Code)
		}
		if first, dup := lines[r.Code]; dup {
			c.fail("code", "%s is already on line %d", r.Code, first)
		}
		lines[r.Code] = row.Line
		rec.Lines[r.Code] = row.Line
		codes[r.Code] = r.Level
		if mp, ok := geo.AsMultiPolygon(row.Geometry); ok {
			r.Geometry = mp
		} else {
			c.fail("geometry", "is a %s; a region needs a Polygon or MultiPolygon", row.Geometry.GeoJSONType())
		}
		rec.Regions = append(rec.Regions, r)
	}
	// Parents may come later in the file, or be in the database already.
	for i, r := range rec.Regions {
		if r.Level == county.LevelCounty || r.Code == "" {
			continue
		}
		row := Row{Line: lineOf(t, i)}
		c := &cell{row: row, rec: rec, opt: opt}
		if r.ParentCode == "" {
			c.fail("parent_code", "a %s needs the code of the region it lies in", r.Level)
		} else if _, ok := codes[r.ParentCode]; !ok {
			c.fail("parent_code", "no region has code %s", r.ParentCode)
		} else if !strings.HasPrefix(r.Code, r.ParentCode) {
			c.fail("code", "%s does not start with its parent's code %s", r.Code, r.ParentCode)
		}
	}
}

func lineOf(t *Table, i int) int { return t.Rows[i].Line }
