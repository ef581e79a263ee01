package coverage

import (
	"shanyu/county"
	"shanyu/snapshot"

	"math"
	"sort"
	"strconv"

	"shanyu/policy"
)

// ScoreLine is one target of the policy with where the county stands.
type ScoreLine struct {
	Target policy.Target
	// Series is the county's value per year that the status rests on.
	Series []policy.YearValue
	policy.Assessment
	Note string
}

// countySeries reads one indicator's county values per year from the
// publication, skipping suppressed years.
func countySeries(s *snapshot.Snapshot, id string) []policy.YearValue {
	table, ok := s.PublishedTable(id)
	if !ok {
		return nil
	}
	var out []policy.YearValue
	for _, v := range table.Values {
		if v.Level != string(county.LevelCounty) || v.Value == nil || v.Breakdown != "" {
			continue
		}
		y, err := strconv.Atoi(v.Period)
		if err != nil {
			continue
		}
		out = append(out, policy.YearValue{Year: y, Value: *v.Value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// Scorecard assesses every target of the policy from the data: coverage
// from the facilities, outcomes from the published (protected) indicators.
// Nothing is set by hand.
func Scorecard(s *snapshot.Snapshot) []ScoreLine {
	var out []ScoreLine
	var covSeries []Coverage
	if r, err := s.Region(s.Meta.CountyCode); err == nil {
		covSeries = Series(s, r)
	}
	var targets []policy.Target
	if p := s.Policy(); p != nil {
		targets = p.Targets
	}
	for _, t := range targets {
		line := ScoreLine{Target: t}
		switch t.ID {
		case policy.ChildcareSlotsPer1000:
			for _, c := range covSeries {
				if !math.IsNaN(c.SlotsPer1000) {
					line.Series = append(line.Series, policy.YearValue{Year: c.Year, Value: c.SlotsPer1000})
				}
			}
		case policy.NewCommunitySlotsPer1000:
			// The worst new community, year by year: the rule holds in every one.
			for _, y := range s.Years() {
				d := yearEnd(s, y)
				if d == "" {
					break
				}
				worst, any := math.Inf(1), false
				for _, r := range s.Regions(county.LevelVillage) {
					if !r.NewCommunity {
						continue
					}
					if c := Of(s, r, d); !math.IsNaN(c.SlotsPer1000) {
						worst, any = math.Min(worst, c.SlotsPer1000), true
					}
				}
				if any {
					line.Series = append(line.Series, policy.YearValue{Year: y, Value: worst})
				}
			}
			line.Note = "the lowest of the newly built communities"
		case policy.PaediatriciansPer1000:
			for _, c := range covSeries {
				if c.StaffingKnown && !math.IsNaN(c.PaediatriciansPer1000Children) {
					line.Series = append(line.Series, policy.YearValue{Year: c.Year, Value: c.PaediatriciansPer1000Children})
				}
			}
		case policy.PremaritalCheckRate, policy.PrenatalScreeningRate, policy.DevelopmentalScreeningRate,
			policy.ThirdBirthShare, policy.TotalFertilityRate, policy.NaturalGrowthRate, policy.TotalDependencyRatio:
			line.Series = countySeries(s, t.ID)
		case policy.VillageHealthWorker:
			line.Note = "the data hold no record of population-health workers"
		}
		line.Assessment = policy.Assess(t, line.Series)
		out = append(out, line)
	}
	return out
}
