package generator

import "shanyu/policy"

// qingyuanBenefits are 庆元's family benefit rules, from the policy text:
// amounts, dates, birth orders, windows, the conditions a family must check
// and the readings of ambiguous passages.
var qingyuanBenefits = policy.Benefits{
	Validity: policy.Validity{Clause: "七（一）", CoversBornFrom: "2023-01-01", PublishedYear: 2023, TrialMonths: 12,
		CertainlyEndedFrom: "2025-01",
		Text: policy.Bilingual{
			Zh: "政策自发布之日起实施，2023年1月1日至发文之日期间的二孩、三孩家庭参照实施，暂试行一年（七（一））。发文日期在文本中为“2023年XX月XX日”，因此试行期最迟于2024年内结束；此后的发放取决于政策是否延续，请向县里核实。",
			En: "The policy applies from publication, families with a 2nd or 3rd child from 2023-01-01 to publication are covered by reference, and it is a one-year trial (七（一）). The text dates itself only \"2023\", so the trial ended during 2024 at the latest; payments after that depend on the policy having been extended — check with the county.",
		}},
	ChildcareAllowance: policy.ChildcareAllowanceRule{Clause: "（八）",
		Name:          policy.Bilingual{Zh: "育儿补贴", En: "Childcare allowance"},
		BornOnOrAfter: "2023-01-01", MonthlyYuan: map[int]int{2: 300, 3: 600}, Months: 36},
	PregnancySubsidy: policy.PregnancySubsidyRule{Clause: "（十三）",
		Name:       policy.Bilingual{Zh: "孕期补助", En: "Pregnancy subsidy"},
		AmountYuan: 500, Orders: []int{2, 3}},
	HousingFundLoan: policy.HousingFundLoanRule{Clause: "（八）",
		Name:          policy.Bilingual{Zh: "住房公积金贷款最高限额上浮20%", En: "Housing provident fund loan ceiling +20%"},
		BornOnOrAfter: "2023-04-07", Orders: []int{2, 3}, UpliftPercent: 20,
		CeilingYuan: map[int]int{1: 720000, 2: 1200000}},
	HousingFundRent: policy.HousingFundRentRule{Clause: "（八）",
		Name:          policy.Bilingual{Zh: "住房公积金租房提取限额上浮50%", En: "Housing provident fund rent withdrawal +50%"},
		BornOnOrAfter: "2023-04-07", Orders: []int{2, 3}, UpliftPercent: 50, PerPersonPerYearYuan: 27000},
	InclusiveChildcare: policy.InclusiveChildcareRule{Clause: "（七）",
		Name:              policy.Bilingual{Zh: "普惠托育", En: "Inclusive (subsidised) childcare"},
		UnderMonths:       36,
		CentreMonthlyYuan: map[string]int{"infant": 500, "toddler_small": 300, "toddler_large": 200, "mixed": 200}},
	Conditions: []policy.BenefitCondition{
		{ID: "residence", Clause: "七（二）", Benefits: []string{policy.BenefitChildcareAllowance, policy.BenefitPregnancySubsidy},
			Text: policy.Bilingual{
				Zh: "本政策是庆元县的政策。文本没有写明户籍或居住条件，也没有写明申请方式和发放时间，这些由相关责任单位的实施细则规定（七（二））：请向县卫生健康部门确认您家是否符合条件、如何申请。",
				En: "This is Qingyuan County's policy. The text sets no household-registration (hukou) or residence condition, and no way or time of applying or paying: the responsible departments' implementing rules do (七（二）). Ask the county health department whether your family qualifies and how to apply."}},
		{ID: "national_policy", Clause: "（八）", Benefits: []string{policy.BenefitHousingFundLoan, policy.BenefitHousingFundRent},
			Text: policy.Bilingual{
				Zh: "住房公积金两项要求同一对夫妻符合国家政策生育二孩、三孩，且为缴存住房公积金的职工家庭。",
				En: "Both provident-fund benefits require the 2nd or 3rd child to be born to the same couple under national policy, in a family of employees who pay into the housing provident fund."}},
		{ID: "first_home_first_loan", Clause: "（八）", Benefits: []string{policy.BenefitHousingFundLoan},
			Text: policy.Bilingual{
				Zh: "贷款限额上浮只适用于首次申请住房公积金贷款购买首套自住住房；额度是上限，实际可贷金额还取决于公积金中心按缴存余额、还款能力等的核定。",
				En: "The raised loan ceiling applies only to a first provident-fund loan for a first home to live in. It is a ceiling: the fund centre still sets the actual loan from the account balance, ability to repay and its other rules."}},
		{ID: "renting_own_home", Clause: "（八）", Benefits: []string{policy.BenefitHousingFundRent},
			Text: policy.Bilingual{
				Zh: "租房提取上浮只适用于在市场上租赁自住住房；每人每年最多27000元，以实际租金和公积金中心规定为准。",
				En: "The raised rent withdrawal applies only to renting a home to live in on the market: at most 27,000 yuan per person a year, within the rent actually paid and the fund centre's rules."}},
		{ID: "higher_policy", Clause: "七（三）", Benefits: []string{policy.BenefitChildcareAllowance, policy.BenefitPregnancySubsidy, policy.BenefitHousingFundLoan, policy.BenefitHousingFundRent},
			Text: policy.Bilingual{
				Zh: "如遇上级法律法规和重大政策变化，按上级文件执行（七（三））：金额和条件可能已被新的文件改变。",
				En: "Where higher-level laws or major policies change, the higher-level documents apply (七（三）): amounts and conditions may have been changed since."}},
		{ID: "inclusive_centre", Clause: "（七）", Benefits: []string{policy.BenefitInclusiveChildcare},
			Text: policy.Bilingual{
				Zh: "普惠托育补助付给经验收备案的普惠性托育机构，不付给家庭；是否降低收费、降低多少，请向机构了解。附近的托育机构见首页地图。",
				En: "The inclusive-childcare subsidy is paid to filed, inclusive centres, not to families; ask a centre whether and how much it lowers the fee. Find centres near you on the home page's map."}},
	},
	Readings: []policy.Reading{
		{ID: policy.ReadingThirdBirthdayMonth, Clause: "（八）",
			Question: policy.Bilingual{Zh: "“从孩子出生当月起计发至满36个月（三周岁）止”：三周岁生日所在的月份发不发？", En: "\"From the birth month until the child is 36 months old (three)\": is the month of the third birthday paid?"},
			Reading:  policy.Bilingual{Zh: "不发。从出生当月起共发36个月，最后一个月是三周岁生日的前一个月；出生当月无论几号出生都全月计发。", En: "No. 36 monthly payments from the birth month, so the last is the month before the third birthday; the birth month is paid in full whatever the day of birth."}},
		{ID: policy.ReadingBirthOrder, Clause: "（八）（十三）",
			Question: policy.Bilingual{Zh: "孩次怎么算？双胞胎算几孩？", En: "How is the birth order counted? What order are twins?"},
			Reading:  policy.Bilingual{Zh: "孩次按这对夫妻所有子女的出生先后计算，包括2023年以前出生的孩子；双（多）胞胎各占一个孩次，先出生的在前。一孩之后生的双胞胎是二孩和三孩，分别按300元和600元发放。", En: "The order counts all the couple's children by birth, including those born before 2023. Twins (and more) take one order each, the first-born first: twins after a first child are a 2nd and a 3rd child, paid 300 and 600 yuan a month."}},
		{ID: policy.ReadingBornBefore2023, Clause: "（八）",
			Question: policy.Bilingual{Zh: "2023年以前出生的二孩能领吗？", En: "Does a second child born before 2023 get the allowance?"},
			Reading:  policy.Bilingual{Zh: "不能：育儿补贴只发给2023年1月1日起生育的二孩、三孩。但这个孩子仍计入孩次，之后出生的孩子是三孩。", En: "No: the allowance is for 2nd and 3rd children born on or after 2023-01-01. The child still counts in the order, so the next child is a 3rd child."}},
		{ID: policy.ReadingFourthChild, Clause: "（八）（十三）",
			Question: policy.Bilingual{Zh: "四孩及以后呢？", En: "What about a fourth or later child?"},
			Reading:  policy.Bilingual{Zh: "条文只写二孩、三孩，计算器不计四孩及以后的孩子。", En: "The clauses name 2nd and 3rd children only; the calculator pays nothing for a 4th or later child."}},
		{ID: policy.ReadingTrial, Clause: "七（一）",
			Question: policy.Bilingual{Zh: "政策“暂试行一年”，而育儿补贴发到36个月，试行期后还发吗？", En: "The policy is a one-year trial, but the allowance runs for 36 months: is it paid after the trial?"},
			Reading:  policy.Bilingual{Zh: "按（八）条写的36个月全额计算，同时单列试行期肯定结束（2025年1月）之后的金额：这部分取决于政策是否延续。", En: "The calculator counts the full 36 months that （八） states, and shows separately what falls after the trial had certainly ended (from 2025-01): that part depends on the policy having been extended."}},
		{ID: policy.ReadingDue, Clause: "（八）",
			Question: policy.Bilingual{Zh: "截至某日“已到期”指什么？", En: "What has \"fallen due\" by as_of?"},
			Reading:  policy.Bilingual{Zh: "截至as_of所在月份（含）的各月补贴算已到期；实际何时发放由实施细则规定。正在怀孕时的孕期补助算已到期。", En: "Every monthly allowance up to and including the month of as_of; when money is actually paid is set by the implementing rules. The pregnancy subsidy of a current pregnancy counts as due."}},
		{ID: policy.ReadingRentDate, Clause: "（八）",
			Question: policy.Bilingual{Zh: "租房提取上浮是否也要求2023年4月7日（含）后生育？", En: "Does the raised rent withdrawal also need a birth on or after 2023-04-07?"},
			Reading:  policy.Bilingual{Zh: "是：贷款和租房两项同在一句话里，主语都是“2023年4月7日（含）后……生育二孩、三孩的职工家庭”。", En: "Yes: the loan and the rent withdrawal share one sentence whose subject is the employee family with a 2nd or 3rd child born on or after 2023-04-07."}},
		{ID: policy.ReadingPregnancy, Clause: "（十三）",
			Question: policy.Bilingual{Zh: "孕期补助按人还是按孩子？已经出生的孩子能补领吗？", En: "Is the pregnancy subsidy per pregnancy or per child? Can it be claimed for a child already born?"},
			Reading:  policy.Bilingual{Zh: "每次怀二孩或三孩发一次500元，怀双胞胎也只发一次（补助发给孕妇）。计算器只计算当前的怀孕；已出生孩子能否补领由实施细则决定。", En: "500 yuan once per pregnancy with a 2nd or 3rd child, once for twins too (it is paid to the pregnant woman). The calculator answers for the current pregnancy only; whether it can still be claimed for a child already born is for the implementing rules."}},
		{ID: policy.ReadingHousingBorn, Clause: "（八）",
			Question: policy.Bilingual{Zh: "怀着二孩能享受公积金政策吗？", En: "Does a pregnancy with a 2nd child count for the provident-fund benefits?"},
			Reading:  policy.Bilingual{Zh: "不能：条文写的是已“生育”二孩、三孩的家庭，孩子出生后才符合。", En: "No: the clause speaks of families who have had (生育) a 2nd or 3rd child; the family qualifies once the child is born."}},
	},
}
