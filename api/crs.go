package api

import (
	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"

	"shanyu/geo"
)

// CRS is the coordinate system a client sends and reads facility
// coordinates in: WGS84 (the default, what GPS and open data use) or GCJ-02,
// the obfuscated datum of maps published in China (Amap, Tencent, WeChat
// locations). The data stays WGS84; only the parameters coming in and the
// coordinates going out are converted, so distances stay true.
type CRS string

// The coordinate systems of the crs parameter.
const (
	WGS84 CRS = "wgs84"
	GCJ02 CRS = "gcj02"
)

// crsDoc documents the crs parameter.
const crsDoc = "Coordinate system of near, bbox and of the coordinates answered: wgs84 (default) or gcj02, the datum of " +
	"Amap, Tencent and WeChat maps (火星坐标). Distances are measured on the true positions either way."

// Schema implements huma.SchemaProvider.
func (CRS) Schema(huma.Registry) *huma.Schema {
	s := stringSchema(crsDoc, "", string(WGS84), string(GCJ02))
	s.Default = string(WGS84)
	return s
}

// point converts a point the client sent to WGS84.
func (c CRS) point(p orb.Point) orb.Point {
	if c == GCJ02 {
		return geo.GCJ02ToWGS84(p)
	}
	return p
}

// bound converts a box the client sent to the WGS84 box around its
// corners. GCJ-02's offset varies by metres over a county, so the edges move
// by no more than that.
func (c CRS) bound(b orb.Bound) orb.Bound {
	if c != GCJ02 {
		return b
	}
	out := orb.Bound{Min: c.point(b.Min), Max: c.point(b.Min)}
	for _, p := range []orb.Point{b.Max, {b.Min[0], b.Max[1]}, {b.Max[0], b.Min[1]}} {
		out = out.Extend(c.point(p))
	}
	return out
}

// facility writes a facility's coordinates in the client's system, at the
// API's six decimals.
func (c CRS) facility(f Facility, p orb.Point) Facility {
	if c == GCJ02 {
		g := orb.Round(geo.WGS84ToGCJ02(p)).(orb.Point)
		f.Lon, f.Lat = g[0], g[1]
	}
	return f
}

// coords returns the conversion of WGS84 points into c for the answers
// assembled from pre-rendered bytes, nil for WGS84 (the rendered
// coordinates stand). The caller rounds to six decimals, as facility does.
func (c CRS) coords() func(orb.Point) orb.Point {
	if c == GCJ02 {
		return geo.WGS84ToGCJ02
	}
	return nil
}
