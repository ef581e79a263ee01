package store

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"shanyu/geo"
	"shanyu/indicators"
)

// ErrNotFound is returned when an id or code names nothing in the snapshot.
var ErrNotFound = errors.New("not found")

// Snapshot is an immutable, versioned, indexed copy of one Dataset: what the
// API serves. It is safe for concurrent use; a new import builds a new one.
type Snapshot struct {
	// Version identifies the content: equal data, equal version, whichever
	// store it was loaded from.
	Version string
	Meta    Meta

	regions      []Region // sorted by code
	regionByCode map[string]int
	children     map[string][]int // code → indexes of child regions, by code
	population   map[string][]Population
	latestYear   int

	facilities []Facility // sorted by id
	places     []Place    // places[i] is where facilities[i] lies
	// placeIdx[i] holds the indexes in regions of places[i]'s county,
	// township and village (-1 for none), so tallies add by index.
	placeIdx [][3]int32
	byID     map[string]int
	points   *geo.PointIndex

	paediatric       []PaediatricUnit
	paediatricPlaces []Place // paediatricPlaces[i] is where paediatric[i] lies

	access accessCache // demand points for accessibility, made on first use

	published *indicators.Publication

	counts       sync.Map     // countKey → int: matches per filter, for number_matched
	cachedCounts atomic.Int64 // entries stored in counts
}

// Place is where a point lies: the codes of its county, township and
// village, empty where no region of that level covers it.
type Place struct {
	County, Township, Village string
}

// In reports whether the place lies in the region with this code.
func (p Place) In(code string) bool {
	return code != "" && (p.County == code || p.Township == code || p.Village == code)
}

// NewSnapshot indexes ds. It takes ownership of ds's slices. Each facility is
// placed in the regions that cover it; a point on a border shared by two
// regions of one level goes to the one with the smaller code, and its
// township is always its village's parent.
func NewSnapshot(ds *Dataset, version string) *Snapshot {
	s := &Snapshot{Version: version, Meta: ds.Meta, regions: ds.Regions, facilities: ds.Facilities,
		paediatric: ds.Paediatric, published: ds.Published}
	slices.SortFunc(s.regions, func(a, b Region) int { return cmp.Compare(a.Code, b.Code) })
	slices.SortFunc(s.facilities, func(a, b Facility) int { return cmp.Compare(a.ID, b.ID) })

	s.regionByCode = make(map[string]int, len(s.regions))
	s.children = map[string][]int{}
	for i, r := range s.regions {
		s.regionByCode[r.Code] = i
		if r.ParentCode != "" {
			s.children[r.ParentCode] = append(s.children[r.ParentCode], i)
		}
	}
	s.population = map[string][]Population{}
	for _, p := range ds.Population {
		s.population[p.Code] = append(s.population[p.Code], p)
		s.latestYear = max(s.latestYear, p.Year)
	}
	for _, rows := range s.population {
		slices.SortFunc(rows, func(a, b Population) int { return a.Year - b.Year })
	}

	locate := s.locator()
	s.byID = make(map[string]int, len(s.facilities))
	s.places = make([]Place, len(s.facilities))
	pts := make([]orb.Point, len(s.facilities))
	for i := range s.facilities {
		f := &s.facilities[i]
		s.byID[f.ID] = i
		pts[i] = f.Point
		s.places[i] = locate(f.Point)
	}
	s.points = geo.NewPointIndex(pts)
	s.paediatricPlaces = make([]Place, len(s.paediatric))
	for i, u := range s.paediatric {
		s.paediatricPlaces[i] = locate(u.Point)
	}
	s.placeIdx = make([][3]int32, len(s.places))
	for i, pl := range s.places {
		s.placeIdx[i] = s.indexOf(pl)
	}
	return s
}

// locator returns a function placing a point in the snapshot's regions.
func (s *Snapshot) locator() func(orb.Point) Place {
	byLevel := map[string][]int{}
	for i, r := range s.regions {
		if len(r.Geometry) > 0 {
			byLevel[r.Level] = append(byLevel[r.Level], i)
		}
	}
	index := map[string]*geo.PolygonIndex{}
	for level, idx := range byLevel {
		polys := make([]orb.MultiPolygon, len(idx))
		for k, i := range idx {
			polys[k] = s.regions[i].Geometry
		}
		index[level] = geo.NewPolygonIndex(polys)
	}
	// first returns the smallest code of the level covering p: regions are
	// sorted by code, so the first covering index is the smallest code.
	first := func(level string, p orb.Point) *Region {
		ix := index[level]
		if ix == nil {
			return nil
		}
		if c := ix.Covering(p); len(c) > 0 {
			return &s.regions[byLevel[level][c[0]]]
		}
		return nil
	}
	return func(p orb.Point) Place {
		var pl Place
		if v := first(LevelVillage, p); v != nil {
			pl.Village, pl.Township = v.Code, v.ParentCode
		} else if t := first(LevelTownship, p); t != nil {
			pl.Township = t.Code
		}
		if pl.Township != "" {
			if i, ok := s.regionByCode[pl.Township]; ok {
				pl.County = s.regions[i].ParentCode
			}
		} else if c := first(LevelCounty, p); c != nil {
			pl.County = c.Code
		}
		return pl
	}
}

// indexOf returns the region indexes of a place's three levels, -1 for none.
func (s *Snapshot) indexOf(pl Place) [3]int32 {
	out := [3]int32{-1, -1, -1}
	for k, code := range []string{pl.County, pl.Township, pl.Village} {
		if i, ok := s.regionByCode[code]; ok && code != "" {
			out[k] = int32(i)
		}
	}
	return out
}

// Published returns the protected indicator tables, or nil.
func (s *Snapshot) Published() *indicators.Publication { return s.published }

// Counts are the sizes of a snapshot, for its dataset metadata.
type Counts struct {
	Townships       int `json:"townships"`
	Villages        int `json:"villages"`
	Childcare       int `json:"childcare"`
	NursingRooms    int `json:"nursing_rooms"`
	PaediatricUnits int `json:"paediatric_units"`
	Paediatricians  int `json:"paediatricians"`
}

// Counts counts what the snapshot holds (closed facilities included).
func (s *Snapshot) Counts() Counts {
	var c Counts
	for _, r := range s.regions {
		switch r.Level {
		case LevelTownship:
			c.Townships++
		case LevelVillage:
			c.Villages++
		}
	}
	for _, f := range s.facilities {
		if f.Kind == Childcare {
			c.Childcare++
		} else {
			c.NursingRooms++
		}
	}
	c.PaediatricUnits = len(s.paediatric)
	for _, u := range s.paediatric {
		c.Paediatricians += u.Paediatricians
	}
	return c
}

// LastModified is when the snapshot's data was generated or published.
func (s *Snapshot) LastModified() time.Time { return s.Meta.GeneratedAt }

// Facility returns the facility with id and where it lies.
func (s *Snapshot) Facility(id string) (*Facility, Place, error) {
	i, ok := s.byID[id]
	if !ok {
		return nil, Place{}, ErrNotFound
	}
	return &s.facilities[i], s.places[i], nil
}

// Region returns the region with code.
func (s *Snapshot) Region(code string) (*Region, error) {
	i, ok := s.regionByCode[code]
	if !ok {
		return nil, ErrNotFound
	}
	return &s.regions[i], nil
}

// Regions returns the regions of a level (all levels when level is empty),
// by code. The slice is shared: do not modify it.
func (s *Snapshot) Regions(level string) []*Region {
	var out []*Region
	for i := range s.regions {
		if level == "" || s.regions[i].Level == level {
			out = append(out, &s.regions[i])
		}
	}
	return out
}

// Children returns the regions directly inside code, by code.
func (s *Snapshot) Children(code string) []*Region {
	out := make([]*Region, 0, len(s.children[code]))
	for _, i := range s.children[code] {
		out = append(out, &s.regions[i])
	}
	return out
}

// Population returns a region's population rows, oldest year first.
func (s *Snapshot) Population(code string) []Population { return s.population[code] }

// LatestPopulation returns a region's population in the latest year the
// snapshot has, and false when it has none.
func (s *Snapshot) LatestPopulation(code string) (Population, bool) {
	rows := s.population[code]
	if len(rows) == 0 {
		return Population{}, false
	}
	return rows[len(rows)-1], true
}

// Paediatric returns the hospitals and health centres with their
// paediatricians, and where each lies.
func (s *Snapshot) Paediatric() []PaediatricUnit { return s.paediatric }

// Query selects facilities. Zero fields do not filter.
type Query struct {
	Kinds       []Kind
	Region      string     // any level's code: facilities inside it
	BBox        *orb.Bound // lon/lat, edges included
	Near        *orb.Point // sort by distance from here
	MaxDistance float64    // metres from Near; 0 means no limit
	Inclusive   *bool      // childcare only
	Class       string     // childcare with slots of this class
	StarMin     int        // mother-and-baby rooms of at least this star
	OpenOn      Date       // open on this day; empty means any
	Offset      int
	Limit       int // < 0 means all
}

// Match is one facility in a query's answer.
type Match struct {
	Facility *Facility
	Place    Place
	// Metres is the great-circle distance from Query.Near, NaN without it.
	Metres float64
}

func (s *Snapshot) keep(q *Query) func(i int) bool {
	return func(i int) bool {
		f := &s.facilities[i]
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, f.Kind) {
			return false
		}
		if q.Region != "" && !s.places[i].In(q.Region) {
			return false
		}
		if q.BBox != nil && !q.BBox.Contains(f.Point) {
			return false
		}
		if q.OpenOn != "" && !f.OpenOn(q.OpenOn) {
			return false
		}
		if q.Inclusive != nil && (f.Kind != Childcare || f.Inclusive != *q.Inclusive) {
			return false
		}
		if q.Class != "" {
			if n, _ := f.Slots.Get(q.Class); f.Kind != Childcare || n == 0 {
				return false
			}
		}
		if q.StarMin > 0 && (f.Kind != NursingRoom || f.Star < q.StarMin) {
			return false
		}
		return true
	}
}

// Facilities answers q: one page of matches (by distance with Near, else by
// id) and how many facilities match in all.
//
// A query bounded in space (BBox, or Near with MaxDistance) gathers its
// candidates through an index. An unbounded one counts its matches once per
// snapshot and filter (the count is cached) and reads its page through the
// nearest index, or in id order, without touching the rest.
func (s *Snapshot) Facilities(q Query) (page []Match, matched int) {
	keep := s.keep(&q)
	var hits []geo.Hit
	switch {
	case q.BBox != nil:
		s.points.InBound(*q.BBox, func(i int) {
			if !keep(i) {
				return
			}
			m := math.NaN()
			if q.Near != nil {
				if m = geo.Distance(*q.Near, s.facilities[i].Point); q.MaxDistance > 0 && m > q.MaxDistance {
					return
				}
			}
			hits = append(hits, geo.Hit{Index: i, Metres: m})
		})
	case q.Near != nil && q.MaxDistance > 0:
		s.points.Within(*q.Near, q.MaxDistance, func(i int, m float64) {
			if keep(i) {
				hits = append(hits, geo.Hit{Index: i, Metres: m})
			}
		})
	default:
		matched = s.count(&q, keep)
	}
	if hits != nil || q.BBox != nil || q.MaxDistance > 0 {
		matched = len(hits)
		slices.SortFunc(hits, func(a, b geo.Hit) int {
			if a.Metres < b.Metres { // false for NaN: then by index alone
				return -1
			}
			if a.Metres > b.Metres {
				return 1
			}
			return a.Index - b.Index
		})
	}

	want := matched - q.Offset
	if q.Limit >= 0 {
		want = min(want, q.Limit)
	}
	if want <= 0 {
		return nil, matched
	}
	page = make([]Match, 0, want)
	add := func(i int, m float64) {
		page = append(page, Match{Facility: &s.facilities[i], Place: s.places[i], Metres: m})
	}
	switch {
	case hits != nil:
		for _, h := range hits[q.Offset : q.Offset+want] {
			add(h.Index, h.Metres)
		}
	case q.Near != nil:
		near := s.points.Nearest(*q.Near, q.Offset+want, 0, keep)
		for _, h := range near[min(q.Offset, len(near)):] {
			add(h.Index, h.Metres)
		}
	default:
		skip := q.Offset
		for i := range s.facilities {
			if len(page) == want {
				break
			}
			if keep(i) {
				if skip > 0 {
					skip--
					continue
				}
				add(i, math.NaN())
			}
		}
	}
	return page, matched
}

// countKey is the part of a query that decides matches without space.
type countKey struct {
	kinds, region, class string
	inclusive            int8
	starMin              int
	openOn               Date
}

// maxCachedCounts bounds the count cache: open_on takes any date, so the
// keys are unbounded; past the bound, counts are computed each time.
const maxCachedCounts = 4096

// count returns how many facilities keep accepts, caching it per filter.
func (s *Snapshot) count(q *Query, keep func(int) bool) int {
	k := countKey{region: q.Region, class: q.Class, starMin: q.StarMin, openOn: q.OpenOn}
	for _, kind := range q.Kinds {
		k.kinds += string(kind) + ","
	}
	if q.Inclusive != nil {
		k.inclusive = 1
		if *q.Inclusive {
			k.inclusive = 2
		}
	}
	if n, ok := s.counts.Load(k); ok {
		return n.(int)
	}
	n := 0
	for i := range s.facilities {
		if keep(i) {
			n++
		}
	}
	if s.cachedCounts.Add(1) <= maxCachedCounts {
		s.counts.Store(k, n)
	}
	return n
}
