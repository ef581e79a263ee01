package store

import (
	"math"
	"sort"
	"strconv"

	"shanyu/indicators"
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
func (s *Snapshot) countySeries(id string) []policy.YearValue {
	if s.published == nil {
		return nil
	}
	var out []policy.YearValue
	for _, v := range s.published.Tables[id].Values {
		if v.Level != LevelCounty || v.Value == nil || v.Breakdown != "" {
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
func (s *Snapshot) Scorecard() []ScoreLine {
	var out []ScoreLine
	county := s.Meta.CountyCode
	covSeries, _ := s.CoverageSeries(county)
	for _, t := range policy.Targets {
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
				worst, any := math.Inf(1), false
				for _, r := range s.Regions(LevelVillage) {
					if !r.NewCommunity {
						continue
					}
					d := Date(strconv.Itoa(y) + "-12-31")
					if ref := s.Meta.ReferenceDate; ref != "" && ref < d {
						d = ref
					}
					c, err := s.CoverageOf(r.Code, d)
					if err == nil && !math.IsNaN(c.SlotsPer1000) {
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
			line.Series = s.countySeries(t.ID)
		case policy.VillageHealthWorker:
			line.Note = "the data hold no record of population-health workers"
		}
		line.Assessment = assess(t, line.Series)
		out = append(out, line)
	}
	return out
}

// assess is policy.Assess for thresholds; for direction-only goals the
// trend decides: rising (the direction of good) is met once the deadline
// year is reached and on track before it; falling is off track.
func assess(t policy.Target, series []policy.YearValue) policy.Assessment {
	if t.Value != nil {
		return policy.Assess(t, series)
	}
	if len(series) == 0 {
		return policy.Assessment{Status: policy.StatusNotMeasurable, Reason: "no data"}
	}
	last := series[len(series)-1]
	a := policy.Assessment{Latest: &last.Value, LatestYear: last.Year}
	if t.Direction != "up" || len(series) < 2 {
		a.Status, a.Reason = policy.StatusNotMeasurable, "the policy sets no number for it"
		if len(series) > 1 {
			tr := policy.FitTrend(series)
			a.Slope = &tr.Slope
		}
		return a
	}
	tr := policy.FitTrend(series)
	a.Slope = &tr.Slope
	deadline, _ := strconv.Atoi(t.Deadline)
	switch {
	case tr.Slope > 0 && last.Year >= deadline:
		a.Status, a.Reason = policy.StatusMet, "it has risen, as the policy asks"
	case tr.Slope > 0:
		a.Status, a.Reason = policy.StatusOnTrack, "it is rising, as the policy asks"
	default:
		a.Status, a.Reason = policy.StatusOffTrack, "it is not rising; the policy asks that it rise"
	}
	return a
}

// PublishedTable returns one indicator's published table, or false.
func (s *Snapshot) PublishedTable(id string) (indicators.Table, bool) {
	if s.published == nil {
		return indicators.Table{}, false
	}
	t, ok := s.published.Tables[id]
	return t, ok
}
