package policy

import (
	"math"
	"testing"
)

// TestEveryRuleIsHere lists the ids of every target and money rule of the
// policy's rules table; each must be in the catalogue with its clause.
func TestEveryRuleIsHere(t *testing.T) {
	targets := map[string]string{
		ChildcareSlotsPer1000: "（七）", NewCommunitySlotsPer1000: "（七）", PaediatriciansPer1000: "（五）",
		PremaritalCheckRate: "（十三）", PrenatalScreeningRate: "（十三）", DevelopmentalScreeningRate: "（十三）",
		VillageHealthWorker: "（十四）", ThirdBirthShare: "（二）", TotalFertilityRate: "（二）",
		NaturalGrowthRate: "（二）", TotalDependencyRatio: "（二）",
	}
	for id, clause := range targets {
		tg, ok := TargetByID(id)
		if !ok || tg.Clause != clause {
			t.Errorf("target %s: found %v, clause %q; want clause %s", id, ok, tg.Clause, clause)
		}
	}
	if len(Targets) != len(targets) {
		t.Errorf("%d targets, want %d", len(Targets), len(targets))
	}
	money := map[string]string{
		ConstructionSubsidy: "（七）", OperatingSubsidy: "（七）", KindergartenToddlerClass: "（七）",
		PublicKindergartenToddler: "（七）", NoDoubleSubsidy: "（七）", ChildcareAllowance: "（八）",
		PregnancySubsidy: "（十三）", ProvidentFundLoanCeiling: "（八）", ProvidentFundRentWithdrawal: "（八）",
		NursingRoomSubsidy: "（十）",
	}
	for id, clause := range money {
		m, ok := MoneyByID(id)
		if !ok || m.Clause != clause {
			t.Errorf("money rule %s: found %v, clause %q; want %s", id, ok, m.Clause, clause)
		}
	}
	if len(Money) != len(money) {
		t.Errorf("%d money rules, want %d", len(Money), len(money))
	}
	for class, want := range map[string]float64{"infant": 500, "toddler_small": 300, "toddler_large": 200, "mixed": 200} {
		if got, ok := MonthlyOperatingYuan(class); !ok || got != want {
			t.Errorf("MonthlyOperatingYuan(%s) = %v, want %v", class, got, want)
		}
	}
	if a, _ := MoneyByID(ChildcareAllowance); a.Amounts["2"] != 300 || a.Amounts["3"] != 600 || a.EffectiveFrom != "2023-01-01" {
		t.Errorf("childcare allowance = %+v", a)
	}
}

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
	if ConstructionSubsidyYuan(131) != 262000 {
		t.Errorf("ConstructionSubsidyYuan(131) = %v", ConstructionSubsidyYuan(131))
	}
}

func TestAssess(t *testing.T) {
	slots, _ := TargetByID(ChildcareSlotsPer1000)      // 4.5 by 2025
	newComm, _ := TargetByID(NewCommunitySlotsPer1000) // 10, standing
	tfr, _ := TargetByID(TotalFertilityRate)           // direction only
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
