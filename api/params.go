package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// The query parsers below are pure and fuzzed (params_fuzz_test.go). Their
// errors are sentences a person can act on; the caller adds the location.

// parseFloats reads n comma-separated finite numbers.
func parseFloats(s string, n int, what string) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("want %d comma-separated numbers (%s), got %d", n, what, len(parts))
	}
	out := make([]float64, n)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number; write %s with a dot for decimals", p, what)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a finite number; write %s", p, what)
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
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s%d:%s", cursorPrefix, c.offset, c.version)))
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
