package imports

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"shanyu/geo"
)

// declaredPoint is a facility's point with the village its file says it
// lies in.
type declaredPoint struct {
	line    int
	village string
	p       orb.Point
}

// checkDatum catches GCJ-02 coordinates imported as WGS84. GCJ-02 moves a
// point a few hundred metres in a direction that varies slowly across a
// county, so a file in GCJ-02 misses its declared villages consistently,
// and hits them once converted. When the coordinate system was not stated
// and converting puts clearly more points in their declared village, every
// point that misses its village but would hit it is refused, naming the
// flags. A declared code that is not a village of the database is refused
// too.
func checkDatum(rec *Records, pts []declaredPoint, opt Options) {
	if opt.Villages == nil || len(pts) == 0 {
		return
	}
	var known []declaredPoint
	for _, d := range pts {
		if _, ok := opt.Villages[d.village]; !ok {
			rec.Problems = append(rec.Problems, Problem{Line: d.line, Column: "village_code",
				Reason: fmt.Sprintf("no village or community has code %s: use the 12-digit code of a village imported with the regions", d.village)})
			continue
		}
		known = append(known, d)
	}
	if opt.GCJ02 || opt.WGS84 || len(known) < 3 {
		return
	}
	asIs, converted := 0, 0
	var misses []declaredPoint
	var offset float64
	for _, d := range known {
		v := opt.Villages[d.village]
		q := geo.GCJ02ToWGS84(d.p)
		in, inConverted := planar.MultiPolygonContains(v, d.p), planar.MultiPolygonContains(v, q)
		if in {
			asIs++
		}
		if inConverted {
			converted++
		}
		if !in && inConverted {
			misses = append(misses, d)
			offset += geo.Distance(d.p, q)
		}
	}
	n := len(known)
	if converted-asIs < max(2, (n+9)/10) || converted*10 < n*9 {
		return
	}
	for _, d := range misses {
		rec.Problems = append(rec.Problems, Problem{Line: d.line, Column: "lon/lat", Reason: fmt.Sprintf(
			"%.6f, %.6f lies outside village %s that the row declares, and inside it read as GCJ-02 (Amap, WeChat): "+
				"%d of %d points miss their villages by about %.0f m the way GCJ-02 does. State the coordinate system: "+
				"--gcj02 to convert them, or --wgs84 if they really are GPS coordinates",
			d.p[0], d.p[1], d.village, n-asIs, n, offset/float64(len(misses)))})
	}
}
