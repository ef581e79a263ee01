package policy

import (
	"math"
	"testing"
)

func TestSlotsNeeded(t *testing.T) {
	for _, tt := range []struct {
		residents int
		per       float64
		want      int
	}{
		{2000, 4.5, 9}, {2001, 4.5, 10}, {0, 4.5, 0}, {135100, 4.5, 608}, {4200, 10, 42}, {1, 10, 1},
	} {
		if got := SlotsNeeded(tt.residents, tt.per); got != tt.want {
			t.Errorf("SlotsNeeded(%d, %v) = %d, want %d", tt.residents, tt.per, got, tt.want)
		}
	}
}

func TestAssess(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	slots := Target{ID: ChildcareSlotsPer1000, Value: v(4.5), Direction: "up", Deadline: "2025"}
	newComm := Target{ID: NewCommunitySlotsPer1000, Value: v(10), Direction: "up"}
	tfr := Target{ID: TotalFertilityRate, Direction: "up", Deadline: "2025"}
	for _, tt := range []struct {
		name   string
		target Target
		series []YearValue
		want   string
	}{
		{"reached", slots, []YearValue{{2021, 3}, {2022, 4.6}}, StatusMet},
		{"rising fast enough", slots, []YearValue{{2020, 2}, {2021, 2.5}, {2022, 3}, {2023, 3.5}}, StatusOnTrack}, // 4.5 in 2025
		{"rising too slowly", slots, []YearValue{{2020, 2}, {2021, 2.2}, {2022, 2.4}, {2023, 2.6}}, StatusOffTrack},
		{"falling", slots, []YearValue{{2021, 4}, {2022, 3.5}}, StatusOffTrack},
		{"one year only, not met", slots, []YearValue{{2023, 4}}, StatusOffTrack},
		{"deadline come, not met", slots, []YearValue{{2024, 3}, {2025, 4.49}}, StatusOffTrack},
		{"standing rule not met", newComm, []YearValue{{2020, 1}, {2025, 9}}, StatusOffTrack},
		{"standing rule met", newComm, []YearValue{{2025, 12}}, StatusMet},
		{"direction only", tfr, []YearValue{{2025, 1.1}}, StatusNotMeasurable},
		{"no data", slots, nil, StatusNotMeasurable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Assess(tt.target, tt.series)
			if got.Status != tt.want {
				t.Errorf("Assess = %s (%s), want %s", got.Status, got.Reason, tt.want)
			}
		})
	}
	// The projection on track is the trend's value at the deadline.
	a := Assess(slots, []YearValue{{2020, 2}, {2021, 2.5}, {2022, 3}, {2023, 3.5}})
	if a.Projected == nil || math.Abs(*a.Projected-4.5) > 1e-9 || math.Abs(*a.Slope-0.5) > 1e-9 {
		t.Errorf("projection %v, slope %v; want 4.5, 0.5", a.Projected, a.Slope)
	}
}
