package generator

import (
	"testing"

	"shanyu/policy"
)

// TestEveryRuleIsHere lists the ids of every target and money rule of 庆元's
// rules table; each must be in its policy with its clause.
func TestEveryRuleIsHere(t *testing.T) {
	p := QingyuanPolicy()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	if p.ConstructionSubsidyYuan(131) != 262000 {
		t.Errorf("ConstructionSubsidyYuan(131) = %v", p.ConstructionSubsidyYuan(131))
	}
	targets := map[string]string{
		policy.ChildcareSlotsPer1000: "（七）", policy.NewCommunitySlotsPer1000: "（七）", policy.PaediatriciansPer1000: "（五）",
		policy.PremaritalCheckRate: "（十三）", policy.PrenatalScreeningRate: "（十三）", policy.DevelopmentalScreeningRate: "（十三）",
		policy.VillageHealthWorker: "（十四）", policy.ThirdBirthShare: "（二）", policy.TotalFertilityRate: "（二）",
		policy.NaturalGrowthRate: "（二）", policy.TotalDependencyRatio: "（二）",
	}
	for id, clause := range targets {
		tg, ok := p.Target(id)
		if !ok || tg.Clause != clause {
			t.Errorf("target %s: found %v, clause %q; want clause %s", id, ok, tg.Clause, clause)
		}
	}
	if len(p.Targets) != len(targets) {
		t.Errorf("%d targets, want %d", len(p.Targets), len(targets))
	}
	money := map[string]string{
		policy.ConstructionSubsidy: "（七）", policy.OperatingSubsidy: "（七）", policy.KindergartenToddlerClass: "（七）",
		policy.PublicKindergartenToddler: "（七）", policy.NoDoubleSubsidy: "（七）", policy.ChildcareAllowance: "（八）",
		policy.PregnancySubsidy: "（十三）", policy.ProvidentFundLoanCeiling: "（八）", policy.ProvidentFundRentWithdrawal: "（八）",
		policy.NursingRoomSubsidy: "（十）",
	}
	for id, clause := range money {
		m, ok := p.Rule(id)
		if !ok || m.Clause != clause {
			t.Errorf("money rule %s: found %v, clause %q; want %s", id, ok, m.Clause, clause)
		}
	}
	if len(p.Money) != len(money) {
		t.Errorf("%d money rules, want %d", len(p.Money), len(money))
	}
	for class, want := range map[string]float64{"infant": 500, "toddler_small": 300, "toddler_large": 200, "mixed": 200} {
		if got, ok := p.MonthlyOperatingYuan(class); !ok || got != want {
			t.Errorf("MonthlyOperatingYuan(%s) = %v, want %v", class, got, want)
		}
	}
	if a, _ := p.Rule(policy.ChildcareAllowance); a.Amounts["2"] != 300 || a.Amounts["3"] != 600 || a.EffectiveFrom != "2023-01-01" {
		t.Errorf("childcare allowance = %+v", a)
	}
}
