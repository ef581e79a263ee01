package indicators

import (
	"errors"
	"strconv"

	"shanyu/policy"
)

// Relation is one equation or inequality that an informed outsider can
// write between published figures, from the indicators' definitions and
// the policy text. The audit of every release uses each one that holds in
// the data (an attacker who assumes it gets the tighter bounds); those that
// cannot tighten anything are listed with the reason.
type Relation struct {
	ID   string `json:"id"`
	Kind string `json:"kind" enum:"hierarchy,breakdown,rate,policy,time,rounding,public,scorecard"`
	// Statement is the relation, in words and symbols.
	Statement string `json:"statement"`
	// Source is the definition or clause it comes from.
	Source string `json:"source"`
	// Tables are the indicators it ties.
	Tables []string `json:"tables"`
	// Use says how the audit takes it: as an equation, an inequality, or
	// not at all and why.
	Use string `json:"use"`
}

// The relations' ids.
const (
	RelTownshipsToCounty           = "townships_add_up_to_county"
	RelVillageBlocks               = "village_blocks_add_up_to_township_years"
	RelOrdersToBirths              = "orders_add_up_to_births"
	RelRateParts                   = "rate_numerator_and_denominator"
	RelThirdShare                  = "third_birth_share_parts"
	RelUnder3Public                = "children_under_3_are_public"
	RelAllowanceWindow             = "allowance_families_are_births_of_36_months"
	RelAllowanceYuan               = "allowance_yuan_is_amount_times_months"
	RelPregnancySubsidyYuan        = "pregnancy_subsidy_yuan_is_500_per_family"
	RelPregnancySubsidyPregnancies = "pregnancy_subsidy_at_most_pregnancies"
	RelPregnancySubsidyBirths      = "pregnancy_subsidy_at_least_2nd_3rd_births"
	RelPolicyStart                 = "no_subsidy_before_2023"
	RelBirthsPregnancies           = "births_at_most_pregnancies"
	RelFirstBirthsSubsidy          = "pregnancies_at_least_first_births_and_subsidy"
	RelRounding                    = "rounded_rates_are_intervals"
	RelNaturalGrowth               = "natural_growth_from_births_deaths_population"
	RelFertility                   = "total_fertility_from_births_by_age"
	RelDependency                  = "dependency_ratio_from_population"
	RelScorecard                   = "scorecard_repeats_county_figures"
	RelPastReleases                = "earlier_releases_stay_public"
	RelFixedBlocks                 = "fixed_complete_blocks"
)

// Relations lists every relation the audit considered.
var Relations = []Relation{
	{ID: RelTownshipsToCounty, Kind: "hierarchy",
		Statement: "Σ over townships = county, for every count (births, births by order, deaths, people marrying and checked, pregnancies and screened, children under 3 and screened, pregnancy-subsidy families)",
		Source:    "the regions' hierarchy (GET /api/v1/regions): every village is in one township, every township in the county",
		Tables:    []string{"births", "births_by_order", "deaths", "premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate", "pregnancy_subsidy_families"},
		Use:       "equation"},
	{ID: RelVillageBlocks, Kind: "time",
		Statement: "Σ over a township's villages of births in a block = Σ over the block's years of the township's births",
		Source:    "definition of births: villages in fixed three-year blocks, townships by year",
		Tables:    []string{"births"}, Use: "equation"},
	{ID: RelFixedBlocks, Kind: "time",
		Statement: "village blocks are fixed, non-overlapping and published only once complete (2020–2022, 2023–2025, …), never rolling",
		Source:    "table design (DISCLOSURE.md step 0): the difference of two overlapping windows would give a single year back",
		Tables:    []string{"births"}, Use: "design: no block overlaps another, so no difference of blocks isolates a year"},
	{ID: RelOrdersToBirths, Kind: "breakdown",
		Statement: "births of order 1 + order 2 + order 3 and later = births, for every township, the county and every year",
		Source:    "definition of births by order (3 stands for third and later)",
		Tables:    []string{"births", "births_by_order"}, Use: "equation"},
	{ID: RelRateParts, Kind: "rate",
		Statement: "0 ≤ numerator ≤ denominator; the complement (denominator − numerator: not checked, not screened) is hidden when below T, zero included",
		Source:    "definitions of the premarital check, prenatal screening and developmental screening rates (numerator and denominator are published with the rate)",
		Tables:    []string{"premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate"}, Use: "equation (numerator + complement = denominator)"},
	{ID: RelThirdShare, Kind: "rate",
		Statement: "third-birth share = births of order 3 ÷ births; its complement (births of order 1 and 2) is hidden when below T",
		Source:    "definition of the third-birth share, clause （二）",
		Tables:    []string{"third_birth_share", "births", "births_by_order"}, Use: "equation (the share's parts are the births tables' cells)"},
	{ID: RelUnder3Public, Kind: "public",
		Statement: "the developmental screening rate's denominator = children under 3 of the township, published in /regions and /coverage",
		Source:    "definition of the 0–3-year-old developmental screening rate, clause （十三）",
		Tables:    []string{"developmental_screening_rate"}, Use: "the denominator is public: never suppressed, always known to the attacker"},
	{ID: RelAllowanceWindow, Kind: "policy",
		Statement: "families paid the childcare allowance for a k-th child in year y = k-th children born from {from} in years y−2 to y, and in year y−3 from February (paid from the birth month until {months} months old)",
		Source:    "clause （八）: {allowance_2} / {allowance_3} yuan a month for a 2nd / 3rd child born from {from}, from the birth month until {months} months old",
		Tables:    []string{"allowance_families", "births_by_order"},
		Use:       "equation; the allowance is published for the county only, since by township it would pin the townships' births by order (T = 5) to the allowance's T = 10"},
	{ID: RelAllowanceYuan, Kind: "policy",
		Statement: "allowance yuan in year y = {allowance_2} × child-months of 2nd children + {allowance_3} × child-months of 3rd children; families ≤ child-months ≤ 12 × families",
		Source:    "clause （八）: {allowance_2} / {allowance_3} yuan a month",
		Tables:    []string{"allowance_yuan", "allowance_families"}, Use: "equation and inequalities (child-months are unknowns)"},
	{ID: RelPregnancySubsidyYuan, Kind: "policy",
		Statement: "pregnancy-subsidy yuan = {pregnancy} × families paid",
		Source:    "clause （十三）: {pregnancy} yuan once for a pregnancy with a 2nd or 3rd child",
		Tables:    []string{"pregnancy_subsidy_yuan", "pregnancy_subsidy_families"}, Use: "equation"},
	{ID: RelPregnancySubsidyPregnancies, Kind: "policy",
		Statement: "pregnancy-subsidy families in a township and year ≤ pregnancies registered there that year (the prenatal screening rate's denominator)",
		Source:    "clause （十三）: the subsidy is paid for pregnancies of order 2 or 3",
		Tables:    []string{"pregnancy_subsidy_families", "prenatal_screening_rate"}, Use: "inequality"},
	{ID: RelPregnancySubsidyBirths, Kind: "policy",
		Statement: "pregnancy-subsidy families in a township and year (from {from_year}) ≥ its births of order 2 and 3 that year",
		Source:    "clause （十三） with the records' definition: every birth was a registered pregnancy, dated in the year of the birth",
		Tables:    []string{"pregnancy_subsidy_families", "births_by_order"}, Use: "inequality, where it holds in the data"},
	{ID: RelBirthsPregnancies, Kind: "policy",
		Statement: "births in a township and year ≤ pregnancies registered there that year (the prenatal screening rate's denominator), for every year",
		Source:    "the records' definition: every birth was a registered pregnancy, dated in the year of the birth",
		Tables:    []string{"births", "prenatal_screening_rate"}, Use: "inequality, where it holds in the data"},
	{ID: RelFirstBirthsSubsidy, Kind: "policy",
		Statement: "pregnancies in a township and year ≥ its births of order 1 + its pregnancy-subsidy families: a pregnancy that ended in a first birth is never a subsidised pregnancy with a 2nd or 3rd child, and both are registered pregnancies",
		Source:    "clause （十三） (the subsidy is for a pregnancy with a 2nd or 3rd child) with the records' definition: every birth was a registered pregnancy, dated in the year of the birth",
		Tables:    []string{"prenatal_screening_rate", "births_by_order", "pregnancy_subsidy_families"}, Use: "inequality, where it holds in the data"},
	{ID: RelPolicyStart, Kind: "policy",
		Statement: "no allowance and no pregnancy subsidy before {from_year}: those figures are 0",
		Source:    "clause 七（一） and （八）: children born from {from}",
		Tables:    []string{"allowance_families", "allowance_yuan", "pregnancy_subsidy_families", "pregnancy_subsidy_yuan"},
		Use:       "equation (the zeros are published)"},
	{ID: RelRounding, Kind: "rounding",
		Statement: "a rate shown with d decimals is an interval of width 10^−d around numerator ÷ denominator",
		Source:    "the rates' definitions",
		Tables:    []string{"third_birth_share", "premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate"},
		Use:       "adds nothing: a rate is shown only with its numerator and denominator, which are exact"},
	{ID: RelNaturalGrowth, Kind: "rounding",
		Statement: "natural growth rate = (births − deaths) ÷ residents × 1,000, to 2 decimals",
		Source:    "definition of the natural growth rate, clause （二）",
		Tables:    []string{"natural_growth_rate", "births", "deaths"},
		Use:       "adds nothing: shown only where births and deaths are both shown"},
	{ID: RelFertility, Kind: "rate",
		Statement: "total fertility rate = Σ over age bands of 5 × births to mothers of the band ÷ women of the band",
		Source:    "definition of the total fertility rate, clause （二）",
		Tables:    []string{"total_fertility_rate"},
		Use:       "adds nothing: county only, from births by mother's age that no table shows and from women by age that are not published"},
	{ID: RelDependency, Kind: "public",
		Statement: "total dependency ratio = residents 0–14 and 65+ ÷ residents 15–64",
		Source:    "definition, clause （二）", Tables: []string{"total_dependency_ratio"},
		Use: "adds nothing: public population figures only"},
	{ID: RelScorecard, Kind: "scorecard",
		Statement: "the scorecard's outcome series are the county's published figures; its coverage series come from public registers",
		Source:    "GET /api/v1/scorecard",
		Tables:    []string{"third_birth_share", "total_fertility_rate", "natural_growth_rate", "premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate"},
		Use:       "adds nothing: it repeats published figures"},
	{ID: RelPastReleases, Kind: "time",
		Statement: "every figure of an earlier release stays public: a new release keeps them as they were (shown or hidden) and is audited together with them",
		Source:    "DISCLOSURE.md step 6",
		Tables:    []string{"births", "births_by_order", "deaths", "premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate", "allowance_families", "allowance_yuan", "pregnancy_subsidy_families", "pregnancy_subsidy_yuan"},
		Use:       "equation (frozen figures)"},
}

// RelationsOf returns the relations that involve table id.
func RelationsOf(id string) []Relation {
	var out []Relation
	for _, r := range Relations {
		for _, t := range r.Tables {
			if t == id {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// policyAmounts are the policy's numbers the relations use, read from the
// dataset's policy's benefit rules (clauses （八） and （十三）).
type policyAmounts struct {
	allowance         map[int]float64 // yuan a month by child order
	allowanceFrom     string          // first birth date covered
	allowanceFromYear int
	pregnancy         float64 // yuan once
	pregnancyFromYear int
}

// errNoBenefits refuses a release without the policy's benefit rules: the
// payment tables are bound by them.
var errNoBenefits = errors.New("publishing needs the policy's benefit rules (benefits in the dataset's policy.json): " +
	"import the policy first (shanyu import --kind policy policy.json)")

func policyNumbers(b *policy.Benefits) (policyAmounts, error) {
	if b == nil {
		return policyAmounts{}, errNoBenefits
	}
	a, p := b.ChildcareAllowance, b.PregnancySubsidy
	out := policyAmounts{allowance: map[int]float64{}, allowanceFrom: a.BornOnOrAfter, pregnancy: float64(p.AmountYuan)}
	for k, yuan := range a.MonthlyYuan {
		out.allowance[k] = float64(yuan)
	}
	out.allowanceFromYear, _ = strconv.Atoi(a.BornOnOrAfter[:4])
	out.pregnancyFromYear = out.allowanceFromYear // the trial covers 2nd and 3rd children from the allowance's start, clause 七（一）
	return out, nil
}
