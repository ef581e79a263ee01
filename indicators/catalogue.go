package indicators

// Indicator is one outcome the policy tracks, as shanyu publishes it.
type Indicator struct {
	ID     string `json:"id"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	// Numerator, Denominator and Unit define it; Denominator is empty for
	// a count.
	Numerator   string `json:"numerator"`
	Denominator string `json:"denominator,omitempty"`
	Unit        string `json:"unit"`
	// Levels and Periods it is published at: village figures only in fixed
	// three-year blocks, so that no single year of a village can be
	// recovered by differencing.
	Levels  []string `json:"levels"`
	Periods string   `json:"periods"`
	// Target names the policy target (policy package id) it is measured
	// against, when there is one; the API adds the value, deadline and clause.
	Target string `json:"target,omitempty"`
	// Direction of good: up, down or range.
	Direction string `json:"direction"`
	// Sensitive tables use the higher threshold (T = 10 by default).
	Sensitive bool `json:"sensitive"`
	// Source says where the figure comes from: microdata (protected) or
	// public statistics (population, facilities).
	Source string `json:"source"`
	// Protection says in one sentence what the table hides and why.
	Protection string `json:"what_is_suppressed"`
}

// Catalogue lists every indicator shanyu publishes.
var Catalogue = []Indicator{
	{ID: "births", NameZh: "出生人数", NameEn: "Births", Numerator: "live births to residents", Unit: "births",
		Levels: []string{"county", "township", "village"}, Periods: "year (county, township); three-year block (village)", Direction: "up", Source: "microdata", Protection: "Township figures from 1 to 4 and village three-year figures from 1 to 4 are hidden, with a few others that would give them back through the county total, the orders or the village blocks, so that no birth can be traced to a family."},
	{ID: "births_by_order", NameZh: "分孩次出生人数", NameEn: "Births by order (1st, 2nd, 3rd and later)", Numerator: "live births by birth order",
		Unit: "births", Levels: []string{"county", "township"}, Periods: "year", Direction: "up", Source: "microdata", Protection: "A township's births of one order from 1 to 4 are hidden, with another order of the same township and the same order in another township, so that neither the row total nor the county total gives them back."},
	{ID: "third_birth_share", NameZh: "出生人口中三孩及以上占比", NameEn: "Share of third and later births", Numerator: "3rd and later births",
		Denominator: "all births", Unit: "percent", Levels: []string{"county", "township"}, Periods: "year", Target: "third_birth_share",
		Direction: "up", Source: "microdata", Protection: "The share is hidden where its births of order 3 or its births are hidden, where fewer than 20 births make it, or where nearly every birth was (or was not) a third birth."},
	{ID: "total_fertility_rate", NameZh: "总和生育率", NameEn: "Total fertility rate", Numerator: "Σ over 5-year age bands 15–49 of 5 × births to mothers of the band",
		Denominator: "women of the band", Unit: "children per woman", Levels: []string{"county"}, Periods: "year", Target: "total_fertility_rate",
		Direction: "up", Source: "microdata and population", Protection: "Nothing is hidden: it is a county figure, computed only on 10 births or more."},
	{ID: "deaths", NameZh: "死亡人数", NameEn: "Deaths", Numerator: "deaths of residents", Unit: "deaths",
		Levels: []string{"county", "township"}, Periods: "year", Direction: "down", Source: "microdata", Protection: "Township deaths from 1 to 4 are hidden, with another township's so that the county total does not give them back."},
	{ID: "natural_growth_rate", NameZh: "人口自然增长率", NameEn: "Natural growth rate", Numerator: "births − deaths",
		Denominator: "residents at year end", Unit: "per 1,000 residents", Levels: []string{"county", "township"}, Periods: "year",
		Target: "natural_growth_rate", Direction: "up", Source: "microdata and population", Protection: "The rate is shown only where the township's births and deaths are both shown."},
	{ID: "total_dependency_ratio", NameZh: "总抚养比", NameEn: "Total dependency ratio", Numerator: "residents aged 0–14 and 65+",
		Denominator: "residents aged 15–64", Unit: "per 100", Levels: []string{"county", "township"}, Periods: "year",
		Target: "total_dependency_ratio", Direction: "range", Source: "population", Protection: "Nothing is hidden: it comes from public population figures."},
	{ID: "premarital_check_rate", NameZh: "婚前医学检查率", NameEn: "Premarital medical check rate", Numerator: "people marrying who had the check",
		Denominator: "people marrying", Unit: "percent", Levels: []string{"county", "township"}, Periods: "year",
		Target: "premarital_check_rate", Direction: "up", Source: "microdata", Protection: "The rate and its counts are hidden where fewer than 5 people had (or missed) the check, or fewer than 20 married, with another township's so that the county total does not give them back."},
	{ID: "prenatal_screening_rate", NameZh: "产前筛查率", NameEn: "Prenatal screening rate", Numerator: "pregnancies screened",
		Denominator: "pregnancies", Unit: "percent", Levels: []string{"county", "township"}, Periods: "year",
		Target: "prenatal_screening_rate", Direction: "up", Source: "microdata", Protection: "The rate and its counts are hidden where fewer than 5 pregnancies were (or were not) screened, or fewer than 20 were registered, with another township's so that the county total does not give them back."},
	{ID: "developmental_screening_rate", NameZh: "0—3岁儿童发育监测筛查率", NameEn: "0–3-year-old developmental screening rate",
		Numerator: "children under 3 screened in the year", Denominator: "children under 3", Unit: "percent", Levels: []string{"county", "township"},
		Periods: "year", Target: "developmental_screening_rate", Direction: "up", Source: "microdata", Protection: "The rate and the number screened are hidden where fewer than 5 children were (or were not) screened or fewer than 20 are under 3; the children under 3 are public and always shown."},
	{ID: "paediatricians_per_1000_children", NameZh: "每千名儿童儿科医师数", NameEn: "Paediatricians per 1,000 children",
		Numerator: "licensed (assistant) paediatric physicians", Denominator: "residents aged 0–14", Unit: "per 1,000",
		Levels: []string{"county"}, Periods: "year", Target: "paediatricians_per_1000_children", Direction: "up", Source: "facilities and population", Protection: "Nothing is hidden: it comes from public registers."},
	{ID: "childcare_slots_per_1000", NameZh: "每千人口托位数", NameEn: "Childcare slots per 1,000 residents",
		Numerator: "approved childcare slots", Denominator: "residents", Unit: "per 1,000", Levels: []string{"county"}, Periods: "year",
		Target: "childcare_slots_per_1000", Direction: "up", Source: "facilities and population", Protection: "Nothing is hidden: it comes from public registers."},
	{ID: "allowance_families", NameZh: "领取育儿补助的家庭数", NameEn: "Families receiving the childcare allowance (2nd / 3rd child)",
		Numerator: "children for whom the allowance was paid in the year, by order", Unit: "families", Levels: []string{"county"},
		Periods: "year", Direction: "up", Source: "microdata", Protection: "Published for the county only: the families are the county's births of that order in the last {months} months, which the births tables already show, and by township they would give back the townships' hidden births by order."},
	{ID: "allowance_yuan", NameZh: "育儿补助发放金额", NameEn: "Childcare allowance paid (clause （八）: {allowance_2} / {allowance_3} yuan a month)",
		Numerator: "yuan paid in the year", Unit: "yuan", Levels: []string{"county"}, Periods: "year", Direction: "up", Source: "microdata", Protection: "Hidden only if it would give back a hidden number of families; {allowance_2} or {allowance_3} yuan a month per child."},
	{ID: "pregnancy_subsidy_families", NameZh: "领取孕育补助的家庭数", NameEn: "Families receiving the pregnancy subsidy",
		Numerator: "pregnancies with a 2nd or 3rd child paid the subsidy", Unit: "families", Levels: []string{"county", "township"},
		Periods: "year", Direction: "up", Sensitive: true, Source: "microdata", Protection: "Township figures from 1 to 9 are hidden, with another township's so that the county total, the pregnancies and the births do not give them back."},
	{ID: "pregnancy_subsidy_yuan", NameZh: "孕育补助发放金额", NameEn: "Pregnancy subsidy paid (clause （十三）: {pregnancy} yuan)",
		Numerator: "yuan paid in the year", Unit: "yuan", Levels: []string{"county"}, Periods: "year", Direction: "up", Source: "microdata", Protection: "Hidden whenever the county's families are, since it is {pregnancy} yuan each."},
}

// ByID returns the catalogue entry with id.
func ByID(id string) (Indicator, bool) {
	for _, ind := range Catalogue {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}
