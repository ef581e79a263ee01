package coverage

import (
	"shanyu/county"
	"shanyu/snapshot"

	"math"

	"github.com/paulmach/orb"

	"shanyu/geo"
)

// DemandSpacing is the spacing in metres of the grid on which a village's
// residents are spread for accessibility: with no finer population data,
// they are assumed to live evenly over the village's area.
const DemandSpacing = 200.0

// demandGrid holds the points where children live, as far as the data
// tells: a grid over each village, made once per snapshot.
type demandGrid struct {
	points  []orb.Point
	village []int32 // village[k] is the region index of the village point k lies in
	count   map[int32]int
}

// demandKey is the snapshot Memo key of the demand grid.
type demandKey struct{}

func demand(s *snapshot.Snapshot) *demandGrid {
	return s.Memo(demandKey{}, func() any {
		a := &demandGrid{count: map[int32]int{}}
		for i := range s.NumRegions() {
			r := s.RegionAt(i)
			if r.Level != county.LevelVillage || len(r.Geometry) == 0 {
				continue
			}
			pts := geo.GridPoints(r.Geometry, DemandSpacing)
			for _, p := range pts {
				a.points = append(a.points, p)
				a.village = append(a.village, int32(i))
			}
			a.count[int32(i)] = len(pts)
		}
		return a
	}).(*demandGrid)
}

// Accessibility is how well one region's children under 3 can reach
// childcare on one day.
type Accessibility struct {
	Region   *county.Region
	Children float64
	// ShareWithin is the share of children under 3 living within the
	// catchment of an open centre with approved slots.
	ShareWithin float64
	// SFCA and E2SFCA are the two-step floating catchment scores, in
	// approved slots per child under 3 (children-weighted mean over the
	// region): plain, and with a Gaussian distance decay.
	SFCA, E2SFCA float64
	// NeededSlots is the slots the policy's target asks for the region's
	// residents; ReachableSlots those its children can reach by the plain
	// 2SFCA (Σ A_k·children_k); UnmetSlots the part of the need no reachable
	// slot meets (Σ max(0, need_k − A_k·children_k)).
	NeededSlots, ReachableSlots, UnmetSlots float64
}

// AccessModel is the computed accessibility of every demand point.
type accessModel struct {
	grid       *demandGrid
	children   []float64 // per demand point
	need       []float64 // slots the target asks for, per demand point
	within     []bool
	sfca, e2   []float64
	population int
}

func newAccessModel(s *snapshot.Snapshot, d county.Date, catchment float64) *accessModel {
	a := demand(s)
	year := s.PopulationYear(d)
	m := &accessModel{grid: a, children: make([]float64, len(a.points)), need: make([]float64, len(a.points)),
		within: make([]bool, len(a.points)), population: year}
	for k, vi := range a.village {
		r := s.RegionAt(int(vi))
		n := float64(a.count[vi])
		for _, p := range s.Population(r.Code) {
			if p.Year == year {
				m.children[k] = float64(p.Under3) / n
				m.need[k] = float64(p.Total) / n * s.Policy().SlotsPer1000(r.NewCommunity) / 1000
			}
		}
	}
	var supplyAt []orb.Point
	var supply []float64
	for i := range s.NumFacilities() {
		f := s.FacilityAt(i)
		if f.Kind == county.Childcare && f.OpenOn(d) && f.Slots.Total() > 0 {
			supplyAt = append(supplyAt, f.Point)
			supply = append(supply, float64(f.Slots.Total()))
		}
	}
	m.sfca = geo.TwoStepFCA(a.points, m.children, supplyAt, supply, catchment, geo.NoDecay).Score
	m.e2 = geo.TwoStepFCA(a.points, m.children, supplyAt, supply, catchment, geo.GaussianDecay(catchment)).Score
	if len(supplyAt) > 0 {
		idx := geo.NewPointIndex(supplyAt)
		for k, p := range a.points {
			m.within[k] = len(idx.Nearest(p, 1, catchment, nil)) > 0
		}
	}
	return m
}

func (m *accessModel) unmet(k int) float64 { return math.Max(0, m.need[k]-m.sfca[k]*m.children[k]) }

// MeasureAccessibility measures every region of level on day d with a catchment
// of catchment metres. Villages are measured on their demand points;
// townships and the county add up their villages.
// The catchment is a positive number of metres, as the API's parameter
// types guarantee.
func MeasureAccessibility(s *snapshot.Snapshot, level county.Level, d county.Date, catchment float64) []Accessibility {
	regions := s.Regions(level)
	m := newAccessModel(s, d, catchment)
	byCode := map[string]*Accessibility{}
	out := make([]Accessibility, len(regions))
	for i, r := range regions {
		out[i].Region = r
		byCode[r.Code] = &out[i]
	}
	for k, vi := range m.grid.village {
		v := s.RegionAt(int(vi))
		codes := []string{v.Code, v.ParentCode}
		if t, err := s.Region(v.ParentCode); err == nil {
			codes = append(codes, t.ParentCode)
		}
		for _, code := range codes {
			x := byCode[code]
			if x == nil {
				continue
			}
			c := m.children[k]
			x.Children += c
			if m.within[k] {
				x.ShareWithin += c
			}
			x.SFCA += m.sfca[k] * c
			x.E2SFCA += m.e2[k] * c
			x.NeededSlots += m.need[k]
			x.ReachableSlots += m.sfca[k] * c
			x.UnmetSlots += m.unmet(k)
		}
	}
	for i := range out {
		if c := out[i].Children; c > 0 {
			out[i].ShareWithin /= c
			out[i].SFCA /= c
			out[i].E2SFCA /= c
		}
	}
	return out
}

// Suggestion is one new childcare centre the greedy placement proposes.
type Suggestion struct {
	Rank   int
	Region *county.Region // the candidate's region (village or township)
	// Township is the township the centre would stand in.
	Township *county.Region
	Point    orb.Point
	Slots    int
	// CoveredSlots is the unmet demand (in slots) the centre would serve.
	CoveredSlots float64
	// TownshipGapBefore and TownshipGapAfter are the township's gap against
	// its target before and after this centre (and the ones ranked above it).
	TownshipGapBefore, TownshipGapAfter int
	TownshipMetAfter                    bool
	ConstructionSubsidyYuan             float64
	OperatingSubsidyYuanPerYear         float64
}

// Suggest proposes where totalSlots new slots, in centres of centreSize
// (the last one takes the remainder), would serve the most unmet demand on
// day d: candidates are one point inside each region of level (village by
// default), existing centres stay as they are, and each centre serves the
// unmet need within catchment metres (geo.PlaceGreedy). Centres that would
// serve nothing are not proposed. It also returns the unmet demand (slots)
// of the whole county before the new centres.
//
// level is a village or township level, totalSlots and centreSize positive:
// the API's parameter types guarantee both.
func Suggest(s *snapshot.Snapshot, level county.Level, d county.Date, catchment float64, totalSlots, centreSize int) ([]Suggestion, float64) {
	m := newAccessModel(s, d, catchment)
	unmet := make([]float64, len(m.grid.points))
	var unmetBefore float64
	for k := range unmet {
		unmet[k] = m.unmet(k)
		unmetBefore += unmet[k]
	}
	var regions []*county.Region
	var cands []orb.Point
	for _, r := range s.Regions(level) {
		if len(r.Geometry) > 0 {
			regions = append(regions, r)
			cands = append(cands, geo.PointInside(r.Geometry))
		}
	}
	var sizes []float64
	for left := totalSlots; left > 0; left -= centreSize {
		sizes = append(sizes, float64(min(left, centreSize)))
	}
	year := s.PopulationYear(d)
	t := tallies(s, d, year)
	whole := tally(s, t, s.Meta.CountyCode)
	gap := map[string]int{}
	for _, town := range s.Regions(county.LevelTownship) {
		gap[town.Code] = measure(s, town, d, year, t, whole).GapSlots
	}
	perSlotYear := 0.0
	if whole != nil {
		perSlotYear = OperatingYuanPerSlotYear(s.Policy(), whole.Slots, whole.Enrolled)
	}
	var out []Suggestion
	for i, p := range geo.PlaceGreedy(cands, m.grid.points, unmet, catchment, sizes) {
		r := regions[p.Candidate]
		town := r
		if r.Level == county.LevelVillage {
			town, _ = s.Region(r.ParentCode)
		}
		slots := int(sizes[i])
		sg := Suggestion{Rank: i + 1, Region: r, Township: town, Point: cands[p.Candidate], Slots: slots,
			CoveredSlots: p.Covered, TownshipGapBefore: gap[town.Code],
			ConstructionSubsidyYuan:     s.Policy().ConstructionSubsidyYuan(slots),
			OperatingSubsidyYuanPerYear: float64(slots) * perSlotYear}
		gap[town.Code] = max(gap[town.Code]-slots, 0)
		sg.TownshipGapAfter = gap[town.Code]
		sg.TownshipMetAfter = sg.TownshipGapAfter == 0
		out = append(out, sg)
	}
	return out, unmetBefore
}
