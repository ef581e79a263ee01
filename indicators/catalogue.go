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
}

// Catalogue lists every indicator shanyu publishes.
var Catalogue = []Indicator{
	{ID: "births", NameZh: "出生人数", NameEn: "Births", Numerator: "live births to residents", Unit: "births",
		Levels: []string{"county", "township", "village"}, Periods: "year (county, township); three-year block (village)", Direction: "up", Source: "microdata"},
	{ID: "births_by_order", NameZh: "分孩次出生人数", NameEn: "Births by order (1st, 2nd, 3rd and later)", Numerator: "live births by birth order",
		Unit: "births", Levels: []string{"county", "township"}, Periods: "year", Direction: "up", Source: "microdata"},
	{ID: "third_birth_share", NameZh: "出生人口中三孩及以上占比", NameEn: "Share of third and later births", Numerator: "3rd and later births",
		Denominator: "all births", Unit: "percent", Levels: []string{"county", "township"}, Periods: "year", Target: "third_birth_share",
		Direction: "up", Source: "microdata"},
	{ID: "total_fertility_rate", NameZh: "总和生育率", NameEn: "Total fertility rate", Numerator: "Σ over 5-year age bands 15–49 of 5 × births to mothers of the band",
		Denominator: "women of the band", Unit: "children per woman", Levels: []string{"county"}, Periods: "year", Target: "total_fertility_rate",
		Direction: "up", Source: "microdata and population"},
	{ID: "deaths", NameZh: "死亡人数", NameEn: "Deaths", Numerator: "deaths of residents", Unit: "deaths",
		Levels: []string{"county", "township"}, Periods: "year", Direction: "down", Source: "microdata"},
	{ID: "natural_growth_rate", NameZh: "人口自然增长率", NameEn: "Natural growth rate", Numerator: "births − deaths",
		Denominator: "residents at year end", Unit: "per 1,000 residents", Levels: []string{"county", "township"}, Periods: "year",
		Target: "natural_growth_rate", Direction: "up", Source: "microdata and population"},
	{ID: "total_dependency_ratio", NameZh: "总抚养比", NameEn: "Total dependency ratio", Numerator: "residents aged 0–14 and 65+",
		Denominator: "residents aged 15–64", Unit: "per 100", Levels: []string{"county", "township"}, Periods: "year",
		Target: "total_dependency_ratio", Direction: "range", Source: "population"},
	{ID: "premarital_check_rate", NameZh: "婚前医学检查率", NameEn: "Premarital medical check rate", Numerator: "people marrying who had the check",
		Denominator: "people marrying", Unit: "percent", Levels: []string{"county", "township"}, Periods: "year",
		Target: "premarital_check_rate", Direction: "up", Source: "microdata"},
	{ID: "prenatal_screening_rate", NameZh: "产前筛查率", NameEn: "Prenatal screening rate", Numerator: "pregnancies screened",
		Denominator: "pregnancies", Unit: "percent", Levels: []string{"county", "township"}, Periods: "year",
		Target: "prenatal_screening_rate", Direction: "up", Source: "microdata"},
	{ID: "developmental_screening_rate", NameZh: "0—3岁儿童发育监测筛查率", NameEn: "0–3-year-old developmental screening rate",
		Numerator: "children under 3 screened in the year", Denominator: "children under 3", Unit: "percent", Levels: []string{"county", "township"},
		Periods: "year", Target: "developmental_screening_rate", Direction: "up", Source: "microdata"},
	{ID: "paediatricians_per_1000_children", NameZh: "每千名儿童儿科医师数", NameEn: "Paediatricians per 1,000 children",
		Numerator: "licensed (assistant) paediatric physicians", Denominator: "residents aged 0–14", Unit: "per 1,000",
		Levels: []string{"county"}, Periods: "year", Target: "paediatricians_per_1000_children", Direction: "up", Source: "facilities and population"},
	{ID: "childcare_slots_per_1000", NameZh: "每千人口托位数", NameEn: "Childcare slots per 1,000 residents",
		Numerator: "approved childcare slots", Denominator: "residents", Unit: "per 1,000", Levels: []string{"county"}, Periods: "year",
		Target: "childcare_slots_per_1000", Direction: "up", Source: "facilities and population"},
	{ID: "allowance_families", NameZh: "领取育儿补助的家庭数", NameEn: "Families receiving the childcare allowance (2nd / 3rd child)",
		Numerator: "children for whom the allowance was paid in the year, by order", Unit: "families", Levels: []string{"county", "township"},
		Periods: "year", Direction: "up", Sensitive: true, Source: "microdata"},
	{ID: "allowance_yuan", NameZh: "育儿补助发放金额", NameEn: "Childcare allowance paid (clause （八）: 300 / 600 yuan a month)",
		Numerator: "yuan paid in the year", Unit: "yuan", Levels: []string{"county"}, Periods: "year", Direction: "up", Source: "microdata"},
	{ID: "pregnancy_subsidy_families", NameZh: "领取孕育补助的家庭数", NameEn: "Families receiving the pregnancy subsidy",
		Numerator: "pregnancies with a 2nd or 3rd child paid the subsidy", Unit: "families", Levels: []string{"county", "township"},
		Periods: "year", Direction: "up", Sensitive: true, Source: "microdata"},
	{ID: "pregnancy_subsidy_yuan", NameZh: "孕育补助发放金额", NameEn: "Pregnancy subsidy paid (clause （十三）: 500 yuan)",
		Numerator: "yuan paid in the year", Unit: "yuan", Levels: []string{"county"}, Periods: "year", Direction: "up", Source: "microdata"},
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
