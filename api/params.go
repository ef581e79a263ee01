package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"shanyu/county"
	"shanyu/snapshot"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
)

// The query parsers below are pure and fuzzed (params_fuzz_test.go). Their
// errors are sentences a person can act on; the caller adds the location.

// parseFloats reads n comma-separated finite numbers.
// parseFloats reads n (at most 4) comma-separated finite numbers. It
// returns them in an array, so that reading a point allocates nothing.
func parseFloats(s string, n int, what string) ([4]float64, error) {
	var out [4]float64
	if got := strings.Count(s, ",") + 1; got != n {
		return out, fmt.Errorf("want %d comma-separated numbers (%s), got %d", n, what, got)
	}
	for i := range n {
		var p string
		p, s, _ = strings.Cut(s, ",")
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return out, fmt.Errorf("%q is not a number; write %s with a dot for decimals", p, what)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return out, fmt.Errorf("%q is not a finite number; write %s", p, what)
		}
		out[i] = v
	}
	return out, nil
}

func checkLonLat(lon, lat float64) error {
	if lon < -180 || lon > 180 {
		return fmt.Errorf("longitude %v is outside -180..180; the order is lon,lat", lon)
	}
	if lat < -90 || lat > 90 {
		return fmt.Errorf("latitude %v is outside -90..90; the order is lon,lat", lat)
	}
	return nil
}

// parsePoint reads "lon,lat" in WGS84 degrees.
func parsePoint(s string) (orb.Point, error) {
	v, err := parseFloats(s, 2, "lon,lat")
	if err != nil {
		return orb.Point{}, err
	}
	if err := checkLonLat(v[0], v[1]); err != nil {
		return orb.Point{}, err
	}
	return orb.Point{v[0], v[1]}, nil
}

// parseBBox reads "minLon,minLat,maxLon,maxLat" in WGS84 degrees. A box
// across the antimeridian (minLon > maxLon) is refused: ask for two boxes.
func parseBBox(s string) (orb.Bound, error) {
	v, err := parseFloats(s, 4, "minLon,minLat,maxLon,maxLat")
	if err != nil {
		return orb.Bound{}, err
	}
	for i := 0; i < 4; i += 2 {
		if err := checkLonLat(v[i], v[i+1]); err != nil {
			return orb.Bound{}, err
		}
	}
	if v[0] > v[2] {
		return orb.Bound{}, fmt.Errorf("minLon %v is greater than maxLon %v; the order is minLon,minLat,maxLon,maxLat", v[0], v[2])
	}
	if v[1] > v[3] {
		return orb.Bound{}, fmt.Errorf("minLat %v is greater than maxLat %v; the order is minLon,minLat,maxLon,maxLat", v[1], v[3])
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// A cursor carries the offset of the next page and the dataset version it
// was issued for, so a page never mixes two versions of the data.
type cursor struct {
	offset  int
	version string
}

const cursorPrefix = "c1:"

func (c cursor) String() string {
	var buf [96]byte // holds a cursor of any version this API issues without allocating
	raw := strconv.AppendInt(append(buf[:0], cursorPrefix...), int64(c.offset), 10)
	raw = append(append(raw, ':'), c.version...)
	return base64.RawURLEncoding.EncodeToString(raw)
}

var errBadCursor = errors.New("the cursor is not one this API issued; copy the next link whole, or drop cursor to start from the first page")

func parseCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, errBadCursor
	}
	rest, ok := strings.CutPrefix(string(b), cursorPrefix)
	if !ok {
		return cursor{}, errBadCursor
	}
	off, version, ok := strings.Cut(rest, ":")
	if !ok || version == "" {
		return cursor{}, errBadCursor
	}
	n, err := strconv.Atoi(off)
	if err != nil || n < 0 || strconv.Itoa(n) != off {
		return cursor{}, errBadCursor
	}
	return cursor{offset: n, version: version}, nil
}

// The types below are the API's request parameters, each parsed and judged
// once, here, whichever endpoint takes it: Huma calls UnmarshalText with the
// raw value (a struct kind reaches that path) and documents each by its
// Schema. An error from UnmarshalText becomes a 422 at the parameter's
// location. Checks that need the data (does this region exist?) happen in
// the inputs' Resolve methods, through the helpers below, so that every
// endpoint answers them alike.

// stringSchema is the schema of a parameter written as a string.
func stringSchema(description, pattern string, enum ...string) *huma.Schema {
	s := &huma.Schema{Type: huma.TypeString, Description: description, Pattern: pattern}
	for _, e := range enum {
		s.Enum = append(s.Enum, e)
	}
	return s
}

// Level is a region level parameter: county, township or village; empty
// when none was given. Huma checks it against the enumeration in its
// schema (a string kind, so that a field can carry a default tag).
type Level string

// Schema implements huma.SchemaProvider.
func (Level) Schema(huma.Registry) *huma.Schema {
	return stringSchema("", "", levelNames(county.Levels)...)
}

// V is the level as the data model names it.
func (l Level) V() county.Level { return county.Level(l) }

// SiteLevel is the level of candidate sites for new centres: village or
// township (a county is one site, which places nothing).
type SiteLevel string

// Schema implements huma.SchemaProvider.
func (SiteLevel) Schema(huma.Registry) *huma.Schema {
	return stringSchema("", "", levelNames([]county.Level{county.LevelVillage, county.LevelTownship})...)
}

// V is the level as the data model names it.
func (l SiteLevel) V() county.Level { return county.Level(l) }

func levelNames(levels []county.Level) []string {
	out := make([]string, len(levels))
	for i, l := range levels {
		out[i] = string(l)
	}
	return out
}

// RegionCode is a statistical division code parameter: 6 digits for the
// county, 9 for a township, 12 for a village. The zero value means none
// was given.
type RegionCode struct{ Code string }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *RegionCode) UnmarshalText(b []byte) error {
	s := string(b)
	if n := len(s); (n != 6 && n != 9 && n != 12) || strings.Trim(s, "0123456789") != "" {
		return fmt.Errorf("%q is not a region code: write the 6 (county), 9 (township) or 12 (village) digits of a statistical division code; list them with GET /api/v1/regions", s)
	}
	c.Code = s
	return nil
}

// Schema implements huma.SchemaProvider.
func (RegionCode) Schema(huma.Registry) *huma.Schema {
	s := stringSchema("", `^[0-9]{6}([0-9]{3}){0,2}$`)
	s.MaxLength = ptr(12)
	return s
}

// lookupRegion finds the region a query parameter names. An unknown code in
// a query is a 422 at loc (in a path it is a 404: see Server.problem).
func lookupRegion(snap *snapshot.Snapshot, loc string, c RegionCode) (*county.Region, error) {
	r, err := snap.Region(c.Code)
	if err != nil {
		return nil, &huma.ErrorDetail{Location: loc, Value: c.Code,
			Message: fmt.Sprintf("no region has code %q; list them with GET /api/v1/regions", c.Code)}
	}
	return r, nil
}

// LonLat is a point parameter, "lon,lat" in WGS84 degrees.
type LonLat struct {
	P   orb.Point
	Set bool
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *LonLat) UnmarshalText(b []byte) error {
	pt, err := parsePoint(string(b))
	if err != nil {
		return err
	}
	p.P, p.Set = pt, true
	return nil
}

// Schema implements huma.SchemaProvider.
func (LonLat) Schema(huma.Registry) *huma.Schema { return stringSchema("", "") }

// BBox is a bounding-box parameter, "minLon,minLat,maxLon,maxLat" in WGS84
// degrees.
type BBox struct {
	B   orb.Bound
	Set bool
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (bb *BBox) UnmarshalText(b []byte) error {
	v, err := parseBBox(string(b))
	if err != nil {
		return err
	}
	bb.B, bb.Set = v, true
	return nil
}

// Schema implements huma.SchemaProvider.
func (BBox) Schema(huma.Registry) *huma.Schema { return stringSchema("", "") }

// Day is a date parameter, YYYY-MM-DD. The zero value means none was given.
type Day struct{ D county.Date }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Day) UnmarshalText(b []byte) error {
	v, err := county.ParseDate(string(b))
	if err != nil {
		return err
	}
	d.D = v
	return nil
}

// Schema implements huma.SchemaProvider.
func (Day) Schema(huma.Registry) *huma.Schema {
	s := stringSchema("", "")
	s.Format = "date"
	return s
}

// Or returns the day given, or def when none was.
func (d Day) Or(def county.Date) county.Date {
	if d.D == "" {
		return def
	}
	return d.D
}

// OpenOn is the open_on parameter: a date, or "any" for facilities whatever
// their opening and closing dates. Not given, it means today in China.
type OpenOn struct {
	D   county.Date
	Any bool
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *OpenOn) UnmarshalText(b []byte) error {
	if string(b) == "any" {
		o.Any = true
		return nil
	}
	v, err := county.ParseDate(string(b))
	if err != nil {
		return fmt.Errorf("%v, or 'any'", err)
	}
	o.D = v
	return nil
}

// Schema implements huma.SchemaProvider.
func (OpenOn) Schema(huma.Registry) *huma.Schema { return stringSchema("", "") }

// Day returns the day to filter on: empty for "any", today in China when
// nothing was given.
func (o OpenOn) Day() county.Date {
	switch {
	case o.Any:
		return ""
	case o.D == "":
		return county.Today()
	}
	return o.D
}

// Cursor is an opaque page position from a next link.
type Cursor struct {
	c   cursor
	Set bool
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Cursor) UnmarshalText(b []byte) error {
	v, err := parseCursor(string(b))
	if err != nil {
		return err
	}
	c.c, c.Set = v, true
	return nil
}

// Schema implements huma.SchemaProvider.
func (Cursor) Schema(huma.Registry) *huma.Schema { return stringSchema("", "") }
