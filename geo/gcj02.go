package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// GCJ-02 ("Mars coordinates") is the obfuscated datum of maps published in
// China (Amap, Tencent, WeChat locations). Its published forward formula
// offsets WGS84 by a few hundred metres inside China and not at all outside.
const (
	gcjA  = 6378245.0              // Krasovsky 1940 semi-major axis, as the formula uses
	gcjEE = 0.00669342162296594323 // its first eccentricity squared
)

// InChina reports whether p is inside the rough box where GCJ-02 differs
// from WGS84.
func InChina(p orb.Point) bool {
	return p[0] >= 72.004 && p[0] <= 137.8347 && p[1] >= 0.8293 && p[1] <= 55.8271
}

func gcjOffset(p orb.Point) (dLon, dLat float64) {
	x, y := p[0]-105, p[1]-35
	common := (20*math.Sin(6*math.Pi*x) + 20*math.Sin(2*math.Pi*x)) * 2 / 3
	lat := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x)) + common +
		(20*math.Sin(math.Pi*y)+40*math.Sin(math.Pi*y/3))*2/3 +
		(160*math.Sin(math.Pi*y/12)+320*math.Sin(math.Pi*y/30))*2/3
	lon := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x)) + common +
		(20*math.Sin(math.Pi*x)+40*math.Sin(math.Pi*x/3))*2/3 +
		(150*math.Sin(math.Pi*x/12)+300*math.Sin(math.Pi*x/30))*2/3
	rad := p[1] * math.Pi / 180
	magic := 1 - gcjEE*math.Sin(rad)*math.Sin(rad)
	sq := math.Sqrt(magic)
	dLat = lat * 180 / ((gcjA * (1 - gcjEE)) / (magic * sq) * math.Pi)
	dLon = lon * 180 / (gcjA / sq * math.Cos(rad) * math.Pi)
	return dLon, dLat
}

// WGS84ToGCJ02 converts a WGS84 [lon, lat] to GCJ-02.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if !InChina(p) {
		return p
	}
	dLon, dLat := gcjOffset(p)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// GCJ02ToWGS84 converts a GCJ-02 [lon, lat] back to WGS84. The forward
// formula has no closed inverse: it iterates until the forward image of its
// answer is within 1e-9 degrees (0.1 mm) of p.
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if !InChina(p) {
		return p
	}
	w := p
	for i := 0; i < 30; i++ {
		g := WGS84ToGCJ02(w)
		dx, dy := g[0]-p[0], g[1]-p[1]
		if math.Abs(dx) < 1e-9 && math.Abs(dy) < 1e-9 {
			break
		}
		w = orb.Point{w[0] - dx, w[1] - dy}
	}
	return w
}
