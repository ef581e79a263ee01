// Package coverage measures a snapshot against the policy: childcare slots,
// paediatricians and mother-and-baby rooms per region against the
// per-thousand targets, with gaps and what closing them costs; the
// accessibility of childcare (2SFCA, E2SFCA, unmet demand); greedy placement
// of new centres; and the scorecard of every target. It reads snapshots and
// never changes them.
package coverage

import (
	"shanyu/county"
	"shanyu/snapshot"

	"fmt"
	"math"

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
	Slots          county.ClassCounts
	Enrolled       county.ClassCounts
	SlotsInclusive int
	Paediatricians int
	// Rooms counts mother-and-baby rooms open on the day by star (index 0 is
	// one star).
	Rooms [3]int
}

func addCounts(a, b county.ClassCounts) county.ClassCounts {
	return county.ClassCounts{Infant: a.Infant + b.Infant, ToddlerSmall: a.ToddlerSmall + b.ToddlerSmall,
		ToddlerLarge: a.ToddlerLarge + b.ToddlerLarge, Mixed: a.Mixed + b.Mixed}
}

// Coverage is one region's childcare, paediatric and mother-and-baby-room
// provision on one day, measured against the policy.
type Coverage struct {
	Region *county.Region
	AsOf   county.Date
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

// tallies counts every region's figures on day d with population of year.
// The answer is indexed like the snapshot's regions.
func tallies(s *snapshot.Snapshot, d county.Date, year int) []Tally {
	t := make([]Tally, s.NumRegions())
	// Each level once: a facility on a border belongs to one village and
	// that village's township (see NewSnapshot).
	at := func(idx [3]int32, fn func(*Tally)) {
		for _, i := range idx {
			if i >= 0 {
				fn(&t[i])
			}
		}
	}
	for i := range t {
		for _, p := range s.Population(s.RegionAt(i).Code) {
			if p.Year == year {
				t[i].Population, t[i].Under3, t[i].Age0to14 = p.Total, p.Under3, p.Age0to14
			}
		}
	}
	for i := range s.NumFacilities() {
		f := s.FacilityAt(i)
		if !f.OpenOn(d) {
			continue
		}
		idx := s.FacilityRegions(i)
		switch f.Kind {
		case county.Childcare:
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
		case county.NursingRoom:
			if f.Star >= 1 && f.Star <= 3 {
				at(idx, func(x *Tally) { x.Rooms[f.Star-1]++ })
			}
		}
	}
	for i, u := range s.Paediatric() {
		at(s.PaediatricRegions(i), func(x *Tally) { x.Paediatricians += u.Paediatricians })
	}
	return t
}

// tally returns the tally of the region with code, or nil.
func tally(s *snapshot.Snapshot, t []Tally, code string) *Tally {
	if i, ok := s.RegionIndex(code); ok {
		return &t[i]
	}
	return nil
}

// OfLevel measures every region of level on day d against the policy.
func OfLevel(s *snapshot.Snapshot, level county.Level, d county.Date) []Coverage {
	year := s.PopulationYear(d)
	t := tallies(s, d, year)
	whole := tally(s, t, s.Meta.CountyCode)
	regions := s.Regions(level)
	out := make([]Coverage, len(regions))
	for i, r := range regions {
		out[i] = measure(s, r, d, year, t, whole)
	}
	return out
}

// Of measures one region on day d.
func Of(s *snapshot.Snapshot, r *county.Region, d county.Date) Coverage {
	year := s.PopulationYear(d)
	t := tallies(s, d, year)
	return measure(s, r, d, year, t, tally(s, t, s.Meta.CountyCode))
}

// measure measures r on day d from the tallies t of year; whole is the
// county's tally (nil when the data has no county region).
func measure(s *snapshot.Snapshot, r *county.Region, d county.Date, year int, t []Tally, whole *Tally) Coverage {
	p := s.Policy()
	c := Coverage{Region: r, AsOf: d, Year: year, Tally: *tally(s, t, r.Code)}
	c.Target, _ = p.SlotTarget(r.NewCommunity)
	slots := c.Slots.Total()
	c.SlotsPer1000 = per(slots, c.Population, 1000)
	c.Needed = policy.SlotsNeeded(c.Population, p.SlotsPer1000(r.NewCommunity))
	c.GapSlots, c.SurplusSlots = max(c.Needed-slots, 0), max(slots-c.Needed, 0)
	c.Met = c.GapSlots == 0
	if r.Level != county.LevelVillage {
		sum := 0
		for _, child := range s.Children(r.Code) {
			ct := tally(s, t, child.Code)
			sum += max(policy.SlotsNeeded(ct.Population, p.SlotsPer1000(child.NewCommunity))-ct.Slots.Total(), 0)
		}
		c.GapSlotsInParts = &sum
	}
	c.ConstructionSubsidyYuan = p.ConstructionSubsidyYuan(c.GapSlots)
	mix := &c.Tally
	c.MixFrom = "region"
	if slots == 0 && whole != nil {
		mix, c.MixFrom = whole, "county"
	}
	c.OperatingSubsidyYuanPerYear = float64(c.GapSlots) * OperatingYuanPerSlotYear(p, mix.Slots, mix.Enrolled)
	ref := s.Meta.ReferenceDate
	c.StaffingKnown = ref == "" || ref.Year() == d.Year()
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
func OperatingYuanPerSlotYear(p *policy.Policy, slots, enrolled county.ClassCounts) float64 {
	total := slots.Total()
	if total == 0 {
		return 0
	}
	rate := math.Min(float64(enrolled.Total())/float64(total), 1)
	var monthly float64
	for _, class := range county.Classes {
		n, _ := slots.Get(class)
		yuan, _ := p.MonthlyOperatingYuan(class)
		monthly += float64(n) / float64(total) * yuan
	}
	return rate * monthly * 12
}

// Series measures a region at the end of every year the data holds, up to
// the snapshot's reference date (the last point is that date when it falls
// inside the last year).
func Series(s *snapshot.Snapshot, r *county.Region) []Coverage {
	var out []Coverage
	for _, y := range s.Years() {
		d := yearEnd(s, y)
		if d == "" {
			break
		}
		t := tallies(s, d, y)
		out = append(out, measure(s, r, d, y, t, tally(s, t, s.Meta.CountyCode)))
	}
	return out
}

// yearEnd is the day that stands for year y in a series: 31 December, or
// the reference date when that falls inside y; empty for years after the
// reference date.
func yearEnd(s *snapshot.Snapshot, y int) county.Date {
	d := county.Date(fmt.Sprintf("%04d-12-31", y))
	if ref := s.Meta.ReferenceDate; ref != "" && ref < d {
		if ref.Year() != y {
			return ""
		}
		d = ref
	}
	return d
}
