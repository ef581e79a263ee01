package policy

import (
	"strconv"
)

// Statuses of a target, computed from the data.
const (
	StatusMet           = "met"
	StatusOnTrack       = "on_track"
	StatusOffTrack      = "off_track"
	StatusNotMeasurable = "not_measurable"
)

// YearValue is one point of a yearly series.
type YearValue struct {
	Year  int
	Value float64
}

// Trend is the least-squares slope of a series in units per year, and the
// value it projects for a year.
type Trend struct {
	Slope     float64
	Intercept float64
}

// FitTrend fits a straight line through the series by least squares. With
// fewer than two distinct years the slope is zero and the line is flat at
// the mean.
func FitTrend(series []YearValue) Trend {
	n := float64(len(series))
	if n == 0 {
		return Trend{}
	}
	var sx, sy, sxx, sxy float64
	for _, p := range series {
		x := float64(p.Year)
		sx += x
		sy += p.Value
		sxx += x * x
		sxy += x * p.Value
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return Trend{Intercept: sy / n}
	}
	slope := (n*sxy - sx*sy) / den
	return Trend{Slope: slope, Intercept: (sy - slope*sx) / n}
}

// At returns the trend's value in year.
func (t Trend) At(year int) float64 { return t.Intercept + t.Slope*float64(year) }

// Assessment is a target's status with the evidence behind it.
type Assessment struct {
	Status string `json:"status" enum:"met,on_track,off_track,not_measurable"`
	// Latest is the last value of the series and its year.
	Latest     *float64 `json:"latest,omitempty"`
	LatestYear int      `json:"latest_year,omitempty"`
	// Slope is the least-squares trend, in the target's unit per year.
	Slope *float64 `json:"trend_per_year,omitempty"`
	// Projected is the trend's value in the deadline year (when the latest
	// year is before it).
	Projected *float64 `json:"projected_at_deadline,omitempty"`
	Reason    string   `json:"reason"`
}

// Assess computes a target's status from a yearly series, never by hand.
// For a target with a threshold:
//
//   - met: the latest value reaches the threshold;
//   - on_track: not yet, but the deadline is after the latest year and the
//     least-squares trend of the series reaches the threshold by then;
//   - off_track: otherwise — the deadline has come without the threshold
//     reached, the trend falls short of it, or (for a standing rule, which
//     has no deadline) it is simply not met.
//
// For a goal that sets only a direction ("rise"), the trend decides: rising
// is met once the deadline year is reached and on track before it; not
// rising is off track. A goal with neither, or a series too short for a
// trend, is not_measurable, and so is a target with no data.
func Assess(t Target, series []YearValue) Assessment {
	if len(series) == 0 {
		return Assessment{Status: StatusNotMeasurable, Reason: "no data"}
	}
	if t.Value == nil {
		return assessDirection(t, series)
	}
	if t.Direction != "up" {
		return Assessment{Status: StatusNotMeasurable, Reason: "the policy sets a direction, not a threshold"}
	}
	last := series[len(series)-1]
	tr := FitTrend(series)
	a := Assessment{Latest: &last.Value, LatestYear: last.Year}
	if len(series) > 1 {
		a.Slope = &tr.Slope
	}
	target := *t.Value
	if last.Value >= target {
		a.Status, a.Reason = StatusMet, "the latest value reaches the target"
		return a
	}
	deadline, err := strconv.Atoi(t.Deadline)
	if err != nil {
		a.Status, a.Reason = StatusOffTrack, "a standing rule, not met"
		return a
	}
	if last.Year >= deadline {
		a.Status, a.Reason = StatusOffTrack, "the deadline has come and the target is not reached"
		return a
	}
	p := tr.At(deadline)
	a.Projected = &p
	if len(series) > 1 && p >= target {
		a.Status, a.Reason = StatusOnTrack, "the trend reaches the target by the deadline"
	} else {
		a.Status, a.Reason = StatusOffTrack, "the trend falls short of the target by the deadline"
	}
	return a
}

// assessDirection assesses a goal without a threshold from its trend.
func assessDirection(t Target, series []YearValue) Assessment {
	last := series[len(series)-1]
	a := Assessment{Latest: &last.Value, LatestYear: last.Year}
	if len(series) > 1 {
		tr := FitTrend(series)
		a.Slope = &tr.Slope
	}
	if t.Direction != "up" || len(series) < 2 {
		a.Status, a.Reason = StatusNotMeasurable, "the policy sets no number for it"
		return a
	}
	deadline, _ := strconv.Atoi(t.Deadline)
	switch {
	case *a.Slope > 0 && last.Year >= deadline:
		a.Status, a.Reason = StatusMet, "it has risen, as the policy asks"
	case *a.Slope > 0:
		a.Status, a.Reason = StatusOnTrack, "it is rising, as the policy asks"
	default:
		a.Status, a.Reason = StatusOffTrack, "it is not rising; the policy asks that it rise"
	}
	return a
}
