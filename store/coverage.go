package store

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"shanyu/policy"
)

// Tally holds the additive figures of one region on one day: they sum from
// villages to townships to the county.
type Tally struct {
	Population int
	Under3     int
	Age0to14   int
	// Centres counts the childcare centres open on the day; Slots their
	// approved slots by class, SlotsInclusive those of inclusive (普惠) ones.
	Centres        int
	Slots          ClassCounts
	Enrolled       ClassCounts
	SlotsInclusive int
	Paediatricians int
	// Rooms counts mother-and-baby rooms open on the day by star (index 0 is
	// one star).
	Rooms [3]int
}

func (t *Tally) add(o *Tally) {
	t.Population += o.Population
	t.Under3 += o.Under3
	t.Age0to14 += o.Age0to14
	t.Centres += o.Centres
	t.Slots = addCounts(t.Slots, o.Slots)
	t.Enrolled = addCounts(t.Enrolled, o.Enrolled)
	t.SlotsInclusive += o.SlotsInclusive
	t.Paediatricians += o.Paediatricians
	for i := range t.Rooms {
		t.Rooms[i] += o.Rooms[i]
	}
}

func addCounts(a, b ClassCounts) ClassCounts {
	return ClassCounts{a.Infant + b.Infant, a.ToddlerSmall + b.ToddlerSmall, a.ToddlerLarge + b.ToddlerLarge, a.Mixed + b.Mixed}
}

// Coverage is one region's childcare, paediatric and mother-and-baby-room
// provision on one day, measured against the policy.
type Coverage struct {
	Region *Region
	AsOf   Date
	// Year is the population year used: the year of AsOf, or the nearest
	// year the data has.
	Year int
	Tally
	// SlotsPer1000 is approved slots per 1,000 residents (NaN with no residents).
	SlotsPer1000 float64
	// Target is the slot target that applies: clause （七）'s 4.5 per 1,000,
	// or 10 per 1,000 in a newly built community.
	Target policy.Target
	// Needed is the approved slots that meet the target: ⌈target × population / 1,000⌉.
	Needed int
	// GapSlots is how many slots short of Needed the region is (0 when met);
	// SurplusSlots how many above.
	GapSlots, SurplusSlots int
	Met                    bool
	// GapSlotsInParts, for a county or township, sums the gaps of the
	// regions directly inside it: what closing every local gap takes, since
	// a surplus in one township seats no child in another. Nil for villages.
	GapSlotsInParts *int
	// ConstructionSubsidyYuan is the one-off subsidy for GapSlots new
	// inclusive slots at 2,000 yuan a slot (clause （七）).
	ConstructionSubsidyYuan float64
	// OperatingSubsidyYuanPerYear is the yearly operating subsidy for those
	// slots once filled, at the current class mix and enrolment rate.
	OperatingSubsidyYuanPerYear float64
	// MixFrom says whose class mix and enrolment rate costed the gap: the
	// region's own, or the county's when the region has no slots.
	MixFrom string
	// StaffingKnown is false for days in years other than the reference
	// date's: the data holds today's paediatric staffing only.
	StaffingKnown bool
	// PaediatriciansPer1000Children is per 1,000 residents aged 0–14 (NaN with none).
	PaediatriciansPer1000Children float64
	// RoomsPer10000 is mother-and-baby rooms per 10,000 residents, by star
	// and in all (NaN with no residents).
	RoomsPer10000       float64
	RoomsPer10000ByStar [3]float64
}

// ErrBadLevel is returned for a region level the data does not know.
var ErrBadLevel = fmt.Errorf("level must be one of %v", Levels)

// populationYear picks the population year for day d: its own year when
// the data has it, else the nearest year it has.
func (s *Snapshot) populationYear(d Date) int {
	y, _ := strconv.Atoi(string(d[:4]))
	best := 0
	for _, rows := range s.population {
		for _, p := range rows {
			if best == 0 || abs(p.Year-y) < abs(best-y) || (abs(p.Year-y) == abs(best-y) && p.Year < best) {
				best = p.Year
			}
		}
		break // every region has the same years; one is enough
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// tallies counts every region's figures on day d with population of year.
// The answer is indexed like s.regions.
func (s *Snapshot) tallies(d Date, year int) []Tally {
	t := make([]Tally, len(s.regions))
	// Each level once: a facility on a border belongs to one village and
	// that village's township (see NewSnapshot).
	at := func(idx [3]int32, fn func(*Tally)) {
		for _, i := range idx {
			if i >= 0 {
				fn(&t[i])
			}
		}
	}
	for code, rows := range s.population {
		i, ok := s.regionByCode[code]
		if !ok {
			continue
		}
		for _, p := range rows {
			if p.Year == year {
				t[i].Population, t[i].Under3, t[i].Age0to14 = p.Total, p.Under3, p.Age0to14
			}
		}
	}
	for i := range s.facilities {
		f := &s.facilities[i]
		if !f.OpenOn(d) {
			continue
		}
		idx := s.placeIdx[i]
		switch f.Kind {
		case Childcare:
			slots, inclusive := f.Slots.Total(), 0
			if f.Inclusive {
				inclusive = slots
			}
			for _, r := range idx {
				if r >= 0 {
					x := &t[r]
					x.Centres++
					x.Slots = addCounts(x.Slots, f.Slots)
					x.Enrolled = addCounts(x.Enrolled, f.Enrolled)
					x.SlotsInclusive += inclusive
				}
			}
		case NursingRoom:
			if f.Star >= 1 && f.Star <= 3 {
				at(idx, func(x *Tally) { x.Rooms[f.Star-1]++ })
			}
		}
	}
	for i, u := range s.paediatric {
		at(s.indexOf(s.paediatricPlaces[i]), func(x *Tally) { x.Paediatricians += u.Paediatricians })
	}
	return t
}

// tally returns the tally of the region with code, or nil.
func (s *Snapshot) tally(t []Tally, code string) *Tally {
	if i, ok := s.regionByCode[code]; ok {
		return &t[i]
	}
	return nil
}

// Coverage measures every region of level on day d against the policy.
func (s *Snapshot) Coverage(level string, d Date) ([]Coverage, error) {
	if !slices.Contains(Levels, level) {
		return nil, ErrBadLevel
	}
	year := s.populationYear(d)
	t := s.tallies(d, year)
	county := s.tally(t, s.Meta.CountyCode)
	regions := s.Regions(level)
	out := make([]Coverage, len(regions))
	for i, r := range regions {
		out[i] = s.measure(r, d, year, t, county)
	}
	return out, nil
}

// CoverageOf measures one region on day d.
func (s *Snapshot) CoverageOf(code string, d Date) (Coverage, error) {
	r, err := s.Region(code)
	if err != nil {
		return Coverage{}, err
	}
	year := s.populationYear(d)
	t := s.tallies(d, year)
	return s.measure(r, d, year, t, s.tally(t, s.Meta.CountyCode)), nil
}

func (s *Snapshot) measure(r *Region, d Date, year int, t []Tally, county *Tally) Coverage {
	c := Coverage{Region: r, AsOf: d, Year: year, Tally: *s.tally(t, r.Code), Target: policy.SlotTarget(r.NewCommunity)}
	slots := c.Slots.Total()
	c.SlotsPer1000 = per(slots, c.Population, 1000)
	c.Needed = policy.SlotsNeeded(c.Population, *c.Target.Value)
	c.GapSlots, c.SurplusSlots = max(c.Needed-slots, 0), max(slots-c.Needed, 0)
	c.Met = c.GapSlots == 0
	if r.Level != LevelVillage {
		sum := 0
		for _, child := range s.Children(r.Code) {
			ct := s.tally(t, child.Code)
			sum += max(policy.SlotsNeeded(ct.Population, *policy.SlotTarget(child.NewCommunity).Value)-ct.Slots.Total(), 0)
		}
		c.GapSlotsInParts = &sum
	}
	c.ConstructionSubsidyYuan = policy.ConstructionSubsidyYuan(c.GapSlots)
	mix := &c.Tally
	c.MixFrom = "region"
	if slots == 0 && county != nil {
		mix, c.MixFrom = county, "county"
	}
	c.OperatingSubsidyYuanPerYear = float64(c.GapSlots) * OperatingYuanPerSlotYear(mix.Slots, mix.Enrolled)
	ref := s.Meta.ReferenceDate
	c.StaffingKnown = ref == "" || len(ref) >= 4 && len(d) >= 4 && ref[:4] == d[:4]
	c.PaediatriciansPer1000Children = per(c.Paediatricians, c.Age0to14, 1000)
	c.RoomsPer10000 = per(c.Rooms[0]+c.Rooms[1]+c.Rooms[2], c.Population, 10000)
	for i := range c.Rooms {
		c.RoomsPer10000ByStar[i] = per(c.Rooms[i], c.Population, 10000)
	}
	return c
}

func per(n, of int, scale float64) float64 {
	if of == 0 {
		return math.NaN()
	}
	return float64(n) * scale / float64(of)
}

// OperatingYuanPerSlotYear is clause （七）'s yearly operating subsidy for one
// approved slot, at the class mix of slots and the enrolment rate of
// enrolled over slots: Σ_class share × rate × monthly amount × 12. It is 0
// when there are no slots to take a mix from.
func OperatingYuanPerSlotYear(slots, enrolled ClassCounts) float64 {
	total := slots.Total()
	if total == 0 {
		return 0
	}
	rate := math.Min(float64(enrolled.Total())/float64(total), 1)
	var monthly float64
	for _, class := range Classes {
		n, _ := slots.Get(class)
		yuan, _ := policy.MonthlyOperatingYuan(class)
		monthly += float64(n) / float64(total) * yuan
	}
	return rate * monthly * 12
}

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

// CoverageSeries measures a region at the end of every year the data holds,
// up to the snapshot's reference date (the last point is that date when it
// falls inside the last year).
func (s *Snapshot) CoverageSeries(code string) ([]Coverage, error) {
	r, err := s.Region(code)
	if err != nil {
		return nil, err
	}
	var out []Coverage
	for _, y := range s.Years() {
		d := Date(fmt.Sprintf("%04d-12-31", y))
		if ref := s.Meta.ReferenceDate; ref != "" && ref < d {
			if string(ref[:4]) != strconv.Itoa(y) {
				break
			}
			d = ref
		}
		t := s.tallies(d, y)
		out = append(out, s.measure(r, d, y, t, s.tally(t, s.Meta.CountyCode)))
	}
	return out, nil
}
