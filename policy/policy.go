// Package policy holds a county's fertility-support policy as data: the
// document's title and date, its clauses, every measurable target with its
// deadline and every money rule with its eligibility window, each with the
// clause it comes from and its unit. A county's policy arrives as a file
// (policy.json, checked against policy.schema.json) with its dataset; a
// dataset without one has no policy, and nothing shows another county's.
// Every target line, gap and cost that shanyu shows is derived from it.
//
// The package is pure: it imports no other project package.
//
//go:generate go test -run TestSchemaIsCommitted -update
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Policy is one county's policy document as data.
type Policy struct {
	// ID names the document, for citing it: county code and year.
	ID      string `json:"id" pattern:"^[a-z0-9_.-]{1,64}$" doc:"Identifier of the document, e.g. 331126-2023"`
	TitleZh string `json:"title_zh" minLength:"1" doc:"The document's title as issued"`
	TitleEn string `json:"title_en" doc:"The title in English"`
	Issuer  string `json:"issuer,omitempty" doc:"Who issued it"`
	// Issued is when the document was published: a day, a month or a year.
	Issued     string `json:"issued" pattern:"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$" doc:"Publication date: YYYY, YYYY-MM or YYYY-MM-DD"`
	CountyCode string `json:"county_code" pattern:"^[0-9]{6}$" doc:"The six-digit code of the county it governs"`
	URL        string `json:"url,omitempty" doc:"Where the text is published"`
	// Sample marks a policy written for sample data.
	Sample  bool        `json:"sample,omitempty" doc:"True for a policy made for sample data"`
	Clauses []Clause    `json:"clauses" doc:"The clauses the targets and money rules cite"`
	Targets []Target    `json:"targets"`
	Money   []MoneyRule `json:"money"`
	// Benefits are the rules a family's benefits are computed from; nil
	// when the file carries none (the calculator then has nothing to say).
	Benefits *Benefits `json:"benefits,omitempty"`
}

// Clause is one numbered clause of the document.
type Clause struct {
	ID      string `json:"id" minLength:"1" doc:"The clause's number as the text writes it, e.g. （七）"`
	TitleZh string `json:"title_zh"`
	TitleEn string `json:"title_en,omitempty"`
	Summary string `json:"summary,omitempty" doc:"What it provides, in a sentence"`
}

// Target is a measurable goal of the policy.
type Target struct {
	ID     string `json:"id" minLength:"1"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	// Value is the threshold; nil for direction-only goals.
	Value *float64 `json:"value,omitempty" minimum:"0"`
	// Unit says what Value counts.
	Unit string `json:"unit"`
	// Direction is the direction of good: "up" (more is better, and Value
	// is a minimum), "down", or "range" (kept within a reasonable range).
	Direction string `json:"direction" enum:"up,down,range"`
	// Deadline is the year by which it must hold; empty for a standing rule.
	Deadline string `json:"deadline,omitempty" pattern:"^[0-9]{4}$" doc:"Year the target must be reached by; absent for a standing rule"`
	Clause   string `json:"clause" doc:"Clause of the policy text, e.g. （七）"`
	// AppliesTo says where the target is measured.
	AppliesTo string `json:"applies_to"`
	Note      string `json:"note,omitempty"`
}

// MoneyRule is an amount the policy pays, or a ceiling it raises.
type MoneyRule struct {
	ID     string `json:"id" minLength:"1"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	// AmountYuan is the amount; for rules with an amount per class or per
	// child order, see Amounts. Nil when the text fixes no amount.
	AmountYuan *float64           `json:"amount_yuan,omitempty" minimum:"0"`
	Amounts    map[string]float64 `json:"amounts_yuan,omitempty" doc:"Amounts by class or by child order"`
	Unit       string             `json:"unit"`
	Clause     string             `json:"clause"`
	// EffectiveFrom and EffectiveUntil bound the eligibility window: the
	// first and last day (or year) the rule covers.
	EffectiveFrom  string `json:"effective_from" doc:"First day (or year) the rule covers"`
	EffectiveUntil string `json:"effective_until,omitempty" doc:"Last day (or year) the rule covers; absent while in force"`
	// UntilAgeMonths, for a payment per child, is the age in months at
	// which it stops.
	UntilAgeMonths int    `json:"until_age_months,omitempty" minimum:"0" doc:"For payments per child: the age in months at which they stop"`
	Conditions     string `json:"conditions"`
}

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

// ErrInvalid wraps every problem of a policy file.
var ErrInvalid = errors.New("invalid policy file")

// Parse reads a policy file: JSON valid against policy.schema.json
// (unknown fields are refused, so a misspelt key is not silently dropped),
// then checks what a schema cannot: ids unique,
// directions known, the clauses cited present, amounts not negative.
func Parse(b []byte) (*Policy, error) {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	var raw any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrInvalid, err)
	}
	if err := validate(raw); err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var p Policy
	if err := d.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Check lists every problem of p, joined.
func (p *Policy) Check() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if strings.TrimSpace(p.TitleZh) == "" && strings.TrimSpace(p.TitleEn) == "" {
		bad("title_zh: the document needs its title")
	}
	if len(p.CountyCode) != 6 || strings.Trim(p.CountyCode, "0123456789") != "" {
		bad("county_code: %q is not a six-digit county code", p.CountyCode)
	}
	if p.Issued == "" {
		bad("issued: say when the document was published (YYYY, YYYY-MM or YYYY-MM-DD)")
	}
	clauses := map[string]bool{}
	for i, c := range p.Clauses {
		if c.ID == "" || clauses[c.ID] {
			bad("clauses[%d]: id %q is empty or repeated", i, c.ID)
		}
		clauses[c.ID] = true
	}
	cite := func(where, clause string) {
		if clause != "" && len(p.Clauses) > 0 && !clauses[clause] {
			bad("%s: clause %s is not among the clauses", where, clause)
		}
	}
	ids := map[string]bool{}
	for i, t := range p.Targets {
		where := fmt.Sprintf("targets[%d] (%s)", i, t.ID)
		if t.ID == "" || ids[t.ID] {
			bad("%s: id is empty or repeated", where)
		}
		ids[t.ID] = true
		if !slices.Contains([]string{"up", "down", "range"}, t.Direction) {
			bad("%s: direction %q is not up, down or range", where, t.Direction)
		}
		if t.Value != nil && (*t.Value < 0 || math.IsNaN(*t.Value)) {
			bad("%s: value %v is negative", where, *t.Value)
		}
		cite(where, t.Clause)
	}
	if t, ok := p.Target(ChildcareSlotsPer1000); ok && t.Value == nil {
		bad("targets (%s): the childcare slot target needs a value", ChildcareSlotsPer1000)
	}
	for i, m := range p.Money {
		where := fmt.Sprintf("money[%d] (%s)", i, m.ID)
		if m.ID == "" || ids[m.ID] {
			bad("%s: id is empty or repeated", where)
		}
		ids[m.ID] = true
		if m.AmountYuan != nil && *m.AmountYuan < 0 {
			bad("%s: amount_yuan is negative", where)
		}
		for k, v := range m.Amounts {
			if v < 0 {
				bad("%s: amounts_yuan[%s] is negative", where, k)
			}
		}
		cite(where, m.Clause)
	}
	if p.Benefits != nil {
		if err := p.Benefits.Validate(); err != nil {
			bad("benefits: %v", strings.ReplaceAll(err.Error(), "\n", "; "))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// Target returns the target with id, or false (always false for a nil
// policy: a dataset without one).
func (p *Policy) Target(id string) (Target, bool) {
	if p != nil {
		for _, t := range p.Targets {
			if t.ID == id {
				return t, true
			}
		}
	}
	return Target{}, false
}

// Rule returns the money rule with id, or false.
func (p *Policy) Rule(id string) (MoneyRule, bool) {
	if p != nil {
		for _, m := range p.Money {
			if m.ID == id {
				return m, true
			}
		}
	}
	return MoneyRule{}, false
}

// SlotTarget returns the childcare slot target that applies to a region:
// the newly-built-community target there when the policy has one, else the
// general one; false when the policy sets none.
func (p *Policy) SlotTarget(newCommunity bool) (Target, bool) {
	if newCommunity {
		if t, ok := p.Target(NewCommunitySlotsPer1000); ok && t.Value != nil {
			return t, true
		}
	}
	t, ok := p.Target(ChildcareSlotsPer1000)
	return t, ok && t.Value != nil
}

// HasSlotTarget reports whether coverage can be measured: the policy sets a
// childcare slot target.
func (p *Policy) HasSlotTarget() bool {
	_, ok := p.SlotTarget(false)
	return ok
}

// SlotsPer1000 is the slot target's value for a region, 0 without one.
func (p *Policy) SlotsPer1000(newCommunity bool) float64 {
	if t, ok := p.SlotTarget(newCommunity); ok {
		return *t.Value
	}
	return 0
}

// SlotsNeeded returns the approved slots that meet perThousand for
// residents: the smallest whole number at or above the exact figure.
func SlotsNeeded(residents int, perThousand float64) int {
	// Round the product first so that 4.5 × 2,000 / 1,000 = 9 exactly, not 9.000000001.
	need := math.Round(float64(residents)*perThousand*1e6/1000) / 1e6
	return int(math.Ceil(need))
}

// ConstructionSubsidyYuan is the one-off subsidy for slots new inclusive
// slots at the policy's amount per slot (0 when it pays none).
func (p *Policy) ConstructionSubsidyYuan(slots int) float64 {
	m, ok := p.Rule(ConstructionSubsidy)
	if !ok || m.AmountYuan == nil {
		return 0
	}
	return float64(slots) * *m.AmountYuan
}

// MonthlyOperatingYuan returns the monthly operating subsidy for one
// enrolled child of class, and false when the policy pays none for it.
func (p *Policy) MonthlyOperatingYuan(class string) (float64, bool) {
	m, ok := p.Rule(OperatingSubsidy)
	if !ok {
		return 0, false
	}
	v, ok := m.Amounts[class]
	return v, ok
}
