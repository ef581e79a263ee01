// Package snapshot holds the Snapshot the API serves: an immutable,
// versioned, indexed copy of one county.Dataset, with its queries (nearest,
// within, bbox, region and attribute filters) and the lookups the analysis
// in package coverage reads. A new import builds a new Snapshot; requests
// keep the one they started with.
package snapshot

import (
	"shanyu/county"

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
	"shanyu/policy"
)

// ErrNotFound is returned when an id or code names nothing in the snapshot.
var ErrNotFound = errors.New("not found")

// Snapshot is an immutable, versioned, indexed copy of one Dataset: what the
// API serves. It is safe for concurrent use; a new import builds a new one.
type Snapshot struct {
	// Version identifies the content: equal data, equal version, whichever
	// store it was loaded from.
	Version string
	Meta    county.Meta

	regions      []county.Region // sorted by code
	regionByCode map[string]int
	children     map[string][]int // code → indexes of child regions, by code
	population   map[string][]county.Population
	latestYear   int

	facilities []county.Facility // sorted by id, so found by binary search
	// placeIdx[i] holds the indexes in regions of the county, township and
	// village where facilities[i] lies (-1 for none): tallies add by index,
	// and a Place is read back from them rather than stored.
	placeIdx [][3]int32
	points   *geo.PointIndex

	paediatric    []county.PaediatricUnit
	paediatricIdx [][3]int32

	policy *policy.Policy

	memo sync.Map // key → *memoEntry: derived data made once per snapshot (see Memo)

	published *indicators.Publication
	sizes     county.Counts // what it holds, for its description

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

// New indexes ds. It takes ownership of ds's slices. Each facility is
// placed in the regions that cover it; a point on a border shared by two
// regions of one level goes to the one with the smaller code, and its
// township is always its village's parent.
func New(ds *county.Dataset, version string) *Snapshot {
	s := &Snapshot{Version: version, Meta: ds.Meta, regions: ds.Regions, facilities: ds.Facilities,
		paediatric: ds.Paediatric, published: ds.Published, policy: ds.Policy, sizes: ds.Counts()}
	slices.SortFunc(s.regions, func(a, b county.Region) int { return cmp.Compare(a.Code, b.Code) })
	if byID := func(a, b county.Facility) int { return cmp.Compare(a.ID, b.ID) }; !slices.IsSortedFunc(s.facilities, byID) {
		slices.SortFunc(s.facilities, byID)
	}

	s.regionByCode = make(map[string]int, len(s.regions))
	s.children = map[string][]int{}
	for i, r := range s.regions {
		s.regionByCode[r.Code] = i
		if r.ParentCode != "" {
			s.children[r.ParentCode] = append(s.children[r.ParentCode], i)
		}
	}
	s.population = map[string][]county.Population{}
	for _, p := range ds.Population {
		s.population[p.Code] = append(s.population[p.Code], p)
		s.latestYear = max(s.latestYear, p.Year)
	}
	for _, rows := range s.population {
		slices.SortFunc(rows, func(a, b county.Population) int { return a.Year - b.Year })
	}

	locate := s.locator()
	s.placeIdx = make([][3]int32, len(s.facilities))
	for i := range s.facilities {
		s.placeIdx[i] = s.indexOf(locate(s.facilities[i].Point))
	}
	fs := s.facilities
	s.points = geo.NewPointIndexFunc(len(fs), func(i int) orb.Point { return fs[i].Point })
	s.paediatricIdx = make([][3]int32, len(s.paediatric))
	for i, u := range s.paediatric {
		s.paediatricIdx[i] = s.indexOf(locate(u.Point))
	}
	return s
}

// placeAt reads a Place back from region indexes.
func (s *Snapshot) placeAt(idx [3]int32) Place {
	var pl Place
	if idx[0] >= 0 {
		pl.County = s.regions[idx[0]].Code
	}
	if idx[1] >= 0 {
		pl.Township = s.regions[idx[1]].Code
	}
	if idx[2] >= 0 {
		pl.Village = s.regions[idx[2]].Code
	}
	return pl
}

// locator returns a function placing a point in the snapshot's regions.
func (s *Snapshot) locator() func(orb.Point) Place {
	byLevel := map[county.Level][]int{}
	for i, r := range s.regions {
		if len(r.Geometry) > 0 {
			byLevel[r.Level] = append(byLevel[r.Level], i)
		}
	}
	index := map[county.Level]*geo.PolygonIndex{}
	for level, idx := range byLevel {
		polys := make([]orb.MultiPolygon, len(idx))
		for k, i := range idx {
			polys[k] = s.regions[i].Geometry
		}
		index[level] = geo.NewPolygonIndex(polys)
	}
	// first returns the smallest code of the level covering p: regions are
	// sorted by code, so the first covering index is the smallest code.
	first := func(level county.Level, p orb.Point) *county.Region {
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
		if v := first(county.LevelVillage, p); v != nil {
			pl.Village, pl.Township = v.Code, v.ParentCode
		} else if t := first(county.LevelTownship, p); t != nil {
			pl.Township = t.Code
		}
		if pl.Township != "" {
			if i, ok := s.regionByCode[pl.Township]; ok {
				pl.County = s.regions[i].ParentCode
			}
		} else if c := first(county.LevelCounty, p); c != nil {
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

// Policy returns the county's policy, or nil when the dataset has none.
func (s *Snapshot) Policy() *policy.Policy { return s.policy }

// Published returns the protected indicator tables, or nil.
func (s *Snapshot) Published() *indicators.Publication { return s.published }

// Counts counts what the snapshot holds (closed facilities included).
func (s *Snapshot) Counts() county.Counts { return s.sizes }

// LastModified is when the snapshot's data was generated or published.
func (s *Snapshot) LastModified() time.Time { return s.Meta.GeneratedAt }

// Facility returns the facility with id and where it lies.
func (s *Snapshot) Facility(id string) (*county.Facility, Place, error) {
	i, ok := s.FacilityIndex(id)
	if !ok {
		return nil, Place{}, ErrNotFound
	}
	return &s.facilities[i], s.placeAt(s.placeIdx[i]), nil
}

// FacilityIndex returns the index of the facility with id (see FacilityAt),
// and false for none.
func (s *Snapshot) FacilityIndex(id string) (int, bool) {
	return slices.BinarySearchFunc(s.facilities, id, func(f county.Facility, id string) int { return cmp.Compare(f.ID, id) })
}

// Region returns the region with code.
func (s *Snapshot) Region(code string) (*county.Region, error) {
	i, ok := s.regionByCode[code]
	if !ok {
		return nil, ErrNotFound
	}
	return &s.regions[i], nil
}

// Regions returns the regions of a level (all levels when level is empty),
// by code. The slice is shared: do not modify it.
func (s *Snapshot) Regions(level county.Level) []*county.Region {
	var out []*county.Region
	for i := range s.regions {
		if level == "" || s.regions[i].Level == level {
			out = append(out, &s.regions[i])
		}
	}
	return out
}

// Children returns the regions directly inside code, by code.
func (s *Snapshot) Children(code string) []*county.Region {
	out := make([]*county.Region, 0, len(s.children[code]))
	for _, i := range s.children[code] {
		out = append(out, &s.regions[i])
	}
	return out
}

// Population returns a region's population rows, oldest year first.
func (s *Snapshot) Population(code string) []county.Population { return s.population[code] }

// LatestPopulation returns a region's population in the latest year the
// snapshot has, and false when it has none.
func (s *Snapshot) LatestPopulation(code string) (county.Population, bool) {
	rows := s.population[code]
	if len(rows) == 0 {
		return county.Population{}, false
	}
	return rows[len(rows)-1], true
}

// Paediatric returns the hospitals and health centres with their
// paediatricians, and where each lies.
func (s *Snapshot) Paediatric() []county.PaediatricUnit { return s.paediatric }

// Query selects facilities. Zero fields do not filter.
type Query struct {
	Kinds       []county.Kind
	Region      string      // any level's code: facilities inside it
	BBox        *orb.Bound  // lon/lat, edges included
	Near        *orb.Point  // sort by distance from here
	MaxDistance float64     // metres from Near; 0 means no limit
	Inclusive   *bool       // childcare only
	Class       string      // childcare with slots of this class
	StarMin     int         // mother-and-baby rooms of at least this star
	OpenOn      county.Date // open on this day; empty means any
	Offset      int
	Limit       int // < 0 means all
}

// Match is one facility in a query's answer.
type Match struct {
	Index    int // the facility's index (see FacilityAt)
	Facility *county.Facility
	Place    Place
	// Metres is the great-circle distance from Query.Near, NaN without it.
	Metres float64
}

func (s *Snapshot) keep(q *Query) func(i int) bool {
	region := int32(-1)
	if q.Region != "" {
		r, ok := s.regionByCode[q.Region]
		if !ok {
			return func(int) bool { return false }
		}
		region = int32(r)
	}
	return func(i int) bool {
		f := &s.facilities[i]
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, f.Kind) {
			return false
		}
		if region >= 0 {
			if p := &s.placeIdx[i]; p[0] != region && p[1] != region && p[2] != region {
				return false
			}
		}
		if q.BBox != nil && !q.BBox.Contains(f.Point) {
			return false
		}
		if q.OpenOn != "" && !f.OpenOn(q.OpenOn) {
			return false
		}
		if q.Inclusive != nil && (f.Kind != county.Childcare || f.Inclusive != *q.Inclusive) {
			return false
		}
		if q.Class != "" {
			if n, _ := f.Slots.Get(q.Class); f.Kind != county.Childcare || n == 0 {
				return false
			}
		}
		if q.StarMin > 0 && (f.Kind != county.NursingRoom || f.Star < q.StarMin) {
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
		page = append(page, Match{Index: i, Facility: &s.facilities[i], Place: s.placeAt(s.placeIdx[i]), Metres: m})
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
	openOn               county.Date
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

// The lookups below give the analysis (package coverage) the snapshot's
// regions and facilities by index, so that it can add figures up in slices
// instead of maps. Indexes are stable for the life of a snapshot.

// NumRegions is how many regions the snapshot holds, all levels.
func (s *Snapshot) NumRegions() int { return len(s.regions) }

// RegionAt returns the region with index i (0 ≤ i < NumRegions), by code order.
func (s *Snapshot) RegionAt(i int) *county.Region { return &s.regions[i] }

// RegionIndex returns the index of the region with code, and false for none.
func (s *Snapshot) RegionIndex(code string) (int, bool) {
	i, ok := s.regionByCode[code]
	return i, ok
}

// NumFacilities is how many facilities the snapshot holds, closed ones included.
func (s *Snapshot) NumFacilities() int { return len(s.facilities) }

// FacilityAt returns the facility with index i, by id order.
func (s *Snapshot) FacilityAt(i int) *county.Facility { return &s.facilities[i] }

// PlaceAt returns where facility i lies.
func (s *Snapshot) PlaceAt(i int) Place { return s.placeAt(s.placeIdx[i]) }

// FacilityRegions returns the region indexes of facility i's county,
// township and village, -1 where none covers it.
func (s *Snapshot) FacilityRegions(i int) [3]int32 { return s.placeIdx[i] }

// PaediatricRegions returns the region indexes of paediatric unit i's
// county, township and village, -1 where none covers it.
func (s *Snapshot) PaediatricRegions(i int) [3]int32 { return s.paediatricIdx[i] }

// Years returns the population years the data holds, oldest first.
func (s *Snapshot) Years() []int {
	var years []int
	for _, p := range s.population[s.Meta.CountyCode] {
		years = append(years, p.Year)
	}
	if len(years) == 0 {
		for _, rows := range s.population {
			for _, p := range rows {
				years = append(years, p.Year)
			}
			break
		}
	}
	return years
}

// PopulationYear picks the population year for day d: its own year when the
// data has it, else the nearest year it has (the earlier on a tie), and 0
// when the data has no population at all.
func (s *Snapshot) PopulationYear(d county.Date) int {
	y := d.Year()
	best := 0
	for _, p := range s.Years() {
		if best == 0 || abs(p-y) < abs(best-y) || (abs(p-y) == abs(best-y) && p < best) {
			best = p
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// memoEntry is one value of Memo, built once.
type memoEntry struct {
	once sync.Once
	v    any
}

// Memo returns the value stored under key, building it with build the first
// time. It is for derived data that depends on the snapshot alone (such as
// the accessibility demand grid), so it lives and dies with the snapshot;
// keys must come from a small fixed set (use an unexported key type).
// Concurrent callers of one key wait for one build.
func (s *Snapshot) Memo(key any, build func() any) any {
	e, ok := s.memo.Load(key)
	if !ok {
		e, _ = s.memo.LoadOrStore(key, &memoEntry{})
	}
	m := e.(*memoEntry)
	m.once.Do(func() { m.v = build() })
	return m.v
}

// PublishedTable returns one indicator's published table, or false.
func (s *Snapshot) PublishedTable(id string) (indicators.Table, bool) {
	if s.published == nil {
		return indicators.Table{}, false
	}
	t, ok := s.published.Tables[id]
	return t, ok
}
