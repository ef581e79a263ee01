// Package policy holds the county's fertility-support policy — 庆元县优化生育政策
// 促进人口长期均衡发展的实施意见 (2023) — as data: every measurable target and
// every money rule, each with the clause it comes from, its dates and its
// unit. Every target line, gap and cost that shanyu shows is derived from
// here; nothing else in the code carries these numbers.
//
// The package is pure: it imports no other project package.
package policy

import (
	"math"
)

// Source names the policy document.
const (
	SourceZh = "庆元县优化生育政策促进人口长期均衡发展的实施意见"
	SourceEn = "Qingyuan County implementation opinion on optimising fertility policy and promoting long-term balanced population development"
	// Issued is when the document was published: the text gives only the
	// year ("2023年XX月XX日"); it applies from publication, as a one-year
	// trial, and to 2nd and 3rd children born from 2023-01-01 (clause 七（一）).
	Issued = "2023"
)

// Target is a measurable goal of the policy.
type Target struct {
	ID     string `json:"id"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	// Value is the threshold; nil for direction-only goals.
	Value *float64 `json:"value,omitempty"`
	// Unit says what Value counts.
	Unit string `json:"unit"`
	// Direction is the direction of good: "up" (more is better, and Value
	// is a minimum), "down", or "range" (kept within a reasonable range).
	Direction string `json:"direction" enum:"up,down,range"`
	// Deadline is the year by which it must hold; empty for a standing rule.
	Deadline string `json:"deadline,omitempty" doc:"Year the target must be reached by; absent for a standing rule"`
	Clause   string `json:"clause" doc:"Clause of the policy text, e.g. （七）"`
	// AppliesTo says where the target is measured.
	AppliesTo string `json:"applies_to"`
	Note      string `json:"note,omitempty"`
}

// MoneyRule is an amount the policy pays, or a ceiling it raises.
type MoneyRule struct {
	ID     string `json:"id"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	// AmountYuan is the amount; for rules with an amount per class or per
	// child order, see Amounts. Nil when the text fixes no amount.
	AmountYuan *float64           `json:"amount_yuan,omitempty"`
	Amounts    map[string]float64 `json:"amounts_yuan,omitempty" doc:"Amounts by class or by child order"`
	Unit       string             `json:"unit"`
	Clause     string             `json:"clause"`
	// EffectiveFrom is the first day (or year) the rule covers.
	EffectiveFrom string `json:"effective_from"`
	Conditions    string `json:"conditions"`
}

func num(v float64) *float64 { return &v }

// The target ids used across shanyu.
const (
	ChildcareSlotsPer1000       = "childcare_slots_per_1000"
	NewCommunitySlotsPer1000    = "new_community_slots_per_1000"
	PaediatriciansPer1000       = "paediatricians_per_1000_children"
	PremaritalCheckRate         = "premarital_check_rate"
	PrenatalScreeningRate       = "prenatal_screening_rate"
	DevelopmentalScreeningRate  = "developmental_screening_rate"
	VillageHealthWorker         = "village_health_worker"
	ThirdBirthShare             = "third_birth_share"
	TotalFertilityRate          = "total_fertility_rate"
	NaturalGrowthRate           = "natural_growth_rate"
	TotalDependencyRatio        = "total_dependency_ratio"
	ConstructionSubsidy         = "construction_subsidy_per_slot"
	OperatingSubsidy            = "operating_subsidy_per_child_month"
	KindergartenToddlerClass    = "kindergarten_toddler_class_subsidy"
	PublicKindergartenToddler   = "public_kindergarten_toddler_class"
	NoDoubleSubsidy             = "no_double_subsidy"
	ChildcareAllowance          = "childcare_allowance_per_month"
	PregnancySubsidy            = "pregnancy_subsidy"
	ProvidentFundLoanCeiling    = "provident_fund_loan_ceiling"
	ProvidentFundRentWithdrawal = "provident_fund_rent_withdrawal"
	NursingRoomSubsidy          = "nursing_room_subsidy"
)

// Targets lists every target of the policy, in the order of RULES.md.
var Targets = []Target{
	{ID: ChildcareSlotsPer1000, NameZh: "每千人口拥有3岁以下婴幼儿托位数", NameEn: "Childcare slots for under-3s per 1,000 residents",
		Value: num(4.5), Unit: "slots per 1,000 residents", Direction: "up", Deadline: "2025", Clause: "（七）",
		AppliesTo: "county; shanyu also measures each township and village against it"},
	{ID: NewCommunitySlotsPer1000, NameZh: "新建社区每千人托位数", NameEn: "Childcare slots per 1,000 residents in newly built communities",
		Value: num(10), Unit: "slots per 1,000 residents", Direction: "up", Clause: "（七）",
		AppliesTo: "each newly built community (existing, planned and under construction ones that fall short must add slots)"},
	{ID: PaediatriciansPer1000, NameZh: "每千名儿童拥有儿科执业（助理）医师数", NameEn: "Licensed (assistant) paediatric physicians per 1,000 children",
		Value: num(1), Unit: "paediatricians per 1,000 children aged 0–14", Direction: "up", Deadline: "2025", Clause: "（五）",
		AppliesTo: "county", Note: "children are residents aged 0–14, the usual denominator of this national indicator"},
	{ID: PremaritalCheckRate, NameZh: "婚前医学检查率", NameEn: "Premarital medical check rate",
		Value: num(90), Unit: "percent", Direction: "up", Deadline: "2025", Clause: "（十三）", AppliesTo: "county"},
	{ID: PrenatalScreeningRate, NameZh: "产前筛查率", NameEn: "Prenatal screening rate",
		Value: num(95), Unit: "percent", Direction: "up", Deadline: "2025", Clause: "（十三）", AppliesTo: "county"},
	{ID: DevelopmentalScreeningRate, NameZh: "0—3岁儿童发育监测筛查率", NameEn: "0–3-year-old developmental monitoring and screening rate",
		Value: num(95), Unit: "percent", Direction: "up", Deadline: "2025", Clause: "（十三）", AppliesTo: "county"},
	{ID: VillageHealthWorker, NameZh: "每个行政村配备人口健康专干", NameEn: "A population-health worker in every administrative village",
		Value: num(1), Unit: "workers per administrative village", Direction: "up", Clause: "（十四）", AppliesTo: "each administrative village"},
	{ID: ThirdBirthShare, NameZh: "出生人口中三孩占比", NameEn: "Share of third and later births", Unit: "percent of births",
		Direction: "up", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "direction only: rises"},
	{ID: TotalFertilityRate, NameZh: "总和生育率", NameEn: "Total fertility rate", Unit: "children per woman",
		Direction: "up", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "direction only: rises steadily"},
	{ID: NaturalGrowthRate, NameZh: "人口自然增长率", NameEn: "Natural growth rate", Unit: "per 1,000 residents",
		Direction: "up", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "direction only: rises steadily"},
	{ID: TotalDependencyRatio, NameZh: "总抚养比", NameEn: "Total dependency ratio", Unit: "dependants per 100 residents aged 15–64",
		Direction: "range", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "kept within a reasonable range; the text sets no number"},
}

// Money lists every money rule of the policy, in the order of RULES.md.
var Money = []MoneyRule{
	{ID: ConstructionSubsidy, NameZh: "新增普惠性托育机构一次性建设补助", NameEn: "One-off construction subsidy for a new inclusive childcare institution",
		AmountYuan: num(2000), Unit: "yuan per slot, once", Clause: "（七）", EffectiveFrom: Issued,
		Conditions: "new inclusive (普惠) institution, accepted and filed with the county health department, in operation"},
	{ID: OperatingSubsidy, NameZh: "普惠性托育机构日常运营补助", NameEn: "Monthly operating subsidy per enrolled child, inclusive institution",
		Amounts: map[string]float64{"infant": 500, "toddler_small": 300, "toddler_large": 200, "mixed": 200},
		Unit:    "yuan per enrolled child per month, capped at approved slots", Clause: "（七）", EffectiveFrom: Issued,
		Conditions: "inclusive institution; by class: 乳儿班 500, 托小班 300, 托大班 and 混合班 200"},
	{ID: KindergartenToddlerClass, NameZh: "非营利性普惠性民办幼儿园增设托班补助", NameEn: "Non-profit inclusive private kindergarten adding a toddler class",
		Amounts: map[string]float64{"one_off_per_slot_max": 2000, "per_child_month": 200},
		Unit:    "yuan: one-off per slot of actual cost (at most 2,000 and never above the actual investment); 200 per enrolled child per month",
		Clause:  "（七）", EffectiveFrom: Issued, Conditions: "non-profit inclusive private kindergarten adding a toddler class"},
	{ID: PublicKindergartenToddler, NameZh: "公办幼儿园增设托班", NameEn: "Public kindergarten adding a toddler class",
		Unit: "per-slot funding at the public kindergarten (3–6) per-pupil standard; staff pay parity", Clause: "（七）",
		EffectiveFrom: Issued, Conditions: "public kindergarten; no amount in the text"},
	{ID: NoDoubleSubsidy, NameZh: "不重复补助", NameEn: "No second subsidy for a slot already subsidised",
		Unit: "—", Clause: "（七）", EffectiveFrom: Issued,
		Conditions: "same site, kindergarten place, central inclusive-childcare project, or re-filing after an operator change"},
	{ID: ChildcareAllowance, NameZh: "育儿补助（二孩、三孩）", NameEn: "Childcare allowance for a 2nd or 3rd child",
		Amounts: map[string]float64{"2": 300, "3": 600}, Unit: "yuan per month, from the birth month until 36 months old",
		Clause: "（八）", EffectiveFrom: "2023-01-01", Conditions: "2nd or 3rd child born on or after 2023-01-01"},
	{ID: PregnancySubsidy, NameZh: "孕育补助", NameEn: "Pregnancy subsidy for a 2nd or 3rd child",
		AmountYuan: num(500), Unit: "yuan, once", Clause: "（十三）", EffectiveFrom: Issued, Conditions: "pregnant with a 2nd or 3rd child"},
	{ID: ProvidentFundLoanCeiling, NameZh: "住房公积金贷款额度上浮", NameEn: "Housing provident fund loan ceiling +20%",
		Amounts: map[string]float64{"one_depositor": 720000, "two_depositors": 1200000}, Unit: "yuan, loan ceiling",
		Clause: "（八）", EffectiveFrom: "2023-04-07",
		Conditions: "couple with a 2nd or 3rd child born under the policy on or after 2023-04-07; first loan for a first home"},
	{ID: ProvidentFundRentWithdrawal, NameZh: "住房公积金租房提取额度上浮", NameEn: "Housing provident fund rent withdrawal +50%",
		AmountYuan: num(27000), Unit: "yuan per person per year, at most", Clause: "（八）", EffectiveFrom: "2023-04-07",
		Conditions: "family with a 2nd or 3rd child born under the policy on or after 2023-04-07 (the same sentence as the loan ceiling), renting"},
	{ID: NursingRoomSubsidy, NameZh: "星级母婴室建设与运营补助", NameEn: "Star-rated mother-and-baby room subsidies",
		Unit: "a construction subsidy per room and an operating subsidy by star level", Clause: "（十）", EffectiveFrom: Issued,
		Conditions: "public places and workplaces, under the Zhejiang local standard; amounts not fixed in the text"},
}

// TargetByID returns the target with id, or false.
func TargetByID(id string) (Target, bool) {
	for _, t := range Targets {
		if t.ID == id {
			return t, true
		}
	}
	return Target{}, false
}

// MoneyByID returns the money rule with id, or false.
func MoneyByID(id string) (MoneyRule, bool) {
	for _, m := range Money {
		if m.ID == id {
			return m, true
		}
	}
	return MoneyRule{}, false
}

// SlotTarget returns the childcare target that applies to a region: 10 per
// 1,000 in a newly built community, 4.5 per 1,000 elsewhere.
func SlotTarget(newCommunity bool) Target {
	id := ChildcareSlotsPer1000
	if newCommunity {
		id = NewCommunitySlotsPer1000
	}
	t, _ := TargetByID(id)
	return t
}

// SlotsNeeded returns the approved slots that meet perThousand for
// residents: the smallest whole number at or above the exact figure.
func SlotsNeeded(residents int, perThousand float64) int {
	// Round the product first so that 4.5 × 2,000 / 1,000 = 9 exactly, not 9.000000001.
	need := math.Round(float64(residents)*perThousand*1e6/1000) / 1e6
	return int(math.Ceil(need))
}

// ConstructionSubsidyYuan is the one-off subsidy for slots new inclusive slots
// (clause （七）: 2,000 yuan a slot).
func ConstructionSubsidyYuan(slots int) float64 {
	m, _ := MoneyByID(ConstructionSubsidy)
	return float64(slots) * *m.AmountYuan
}

// MonthlyOperatingYuan returns clause （七）'s monthly operating subsidy for
// one enrolled child of class, and false for an unknown class.
func MonthlyOperatingYuan(class string) (float64, bool) {
	m, _ := MoneyByID(OperatingSubsidy)
	v, ok := m.Amounts[class]
	return v, ok
}
