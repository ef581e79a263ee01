package generator

import "shanyu/policy"

func num(v float64) *float64 { return &v }

// QingyuanPolicy is 庆元县's policy document as data — 庆元县优化生育政策促进
// 人口长期均衡发展的实施意见 (2023) — every target and money rule with its
// clause, dates and unit, as the project's policy rules table lists them.
// The sample bundle carries it as policy.json.
func QingyuanPolicy() *policy.Policy {
	return &policy.Policy{
		ID:      "331126-2023",
		TitleZh: "庆元县优化生育政策促进人口长期均衡发展的实施意见",
		TitleEn: "Qingyuan County implementation opinion on optimising fertility policy and promoting long-term balanced population development",
		Issuer:  "庆元县人民政府",
		// The text gives only the year ("2023年XX月XX日"); it applies from
		// publication, as a one-year trial, and to 2nd and 3rd children born
		// from 2023-01-01 (clause 七（一）).
		Issued:     "2023",
		CountyCode: "331126",
		Benefits:   &qingyuanBenefits,
		Clauses: []policy.Clause{
			{ID: "（一）", TitleZh: "指导思想"},
			{ID: "（二）", TitleZh: "主要目标"},
			{ID: "（三）", TitleZh: "确保三孩生育政策落地见效"},
			{ID: "（四）", TitleZh: "加强政策有序衔接"},
			{ID: "（五）", TitleZh: "强化生育服务保障"},
			{ID: "（六）", TitleZh: "优化生育休假制度"},
			{ID: "（七）", TitleZh: "完善托育服务体系"},
			{ID: "（八）", TitleZh: "降低养育教育成本"},
			{ID: "（九）", TitleZh: "保障女性生育权益"},
			{ID: "（十）", TitleZh: "加强母婴设施建设"},
			{ID: "（十一）", TitleZh: "完善妇幼服务体系"},
			{ID: "（十二）", TitleZh: "全力保障母婴安全"},
			{ID: "（十三）", TitleZh: "促进儿童健康发展"},
			{ID: "（十四）", TitleZh: "加强组织领导"},
			{ID: "（十五）", TitleZh: "增强工作合力"},
			{ID: "（十六）", TitleZh: "强化宣传教育"},
		},
		Targets: []policy.Target{
			{ID: policy.ChildcareSlotsPer1000, NameZh: "每千人口拥有3岁以下婴幼儿托位数", NameEn: "Childcare slots for under-3s per 1,000 residents",
				Value: num(4.5), Unit: "slots per 1,000 residents", Direction: "up", Deadline: "2025", Clause: "（七）",
				AppliesTo: "county; shanyu also measures each township and village against it"},
			{ID: policy.NewCommunitySlotsPer1000, NameZh: "新建社区每千人托位数", NameEn: "Childcare slots per 1,000 residents in newly built communities",
				Value: num(10), Unit: "slots per 1,000 residents", Direction: "up", Clause: "（七）",
				AppliesTo: "each newly built community (existing, planned and under construction ones that fall short must add slots)"},
			{ID: policy.PaediatriciansPer1000, NameZh: "每千名儿童拥有儿科执业（助理）医师数", NameEn: "Licensed (assistant) paediatric physicians per 1,000 children",
				Value: num(1), Unit: "paediatricians per 1,000 children aged 0–14", Direction: "up", Deadline: "2025", Clause: "（五）",
				AppliesTo: "county", Note: "children are residents aged 0–14, the usual denominator of this national indicator"},
			{ID: policy.PremaritalCheckRate, NameZh: "婚前医学检查率", NameEn: "Premarital medical check rate",
				Value: num(90), Unit: "percent", Direction: "up", Deadline: "2025", Clause: "（十三）", AppliesTo: "county"},
			{ID: policy.PrenatalScreeningRate, NameZh: "产前筛查率", NameEn: "Prenatal screening rate",
				Value: num(95), Unit: "percent", Direction: "up", Deadline: "2025", Clause: "（十三）", AppliesTo: "county"},
			{ID: policy.DevelopmentalScreeningRate, NameZh: "0—3岁儿童发育监测筛查率", NameEn: "0–3-year-old developmental monitoring and screening rate",
				Value: num(95), Unit: "percent", Direction: "up", Deadline: "2025", Clause: "（十三）", AppliesTo: "county"},
			{ID: policy.VillageHealthWorker, NameZh: "每个行政村配备人口健康专干", NameEn: "A population-health worker in every administrative village",
				Value: num(1), Unit: "workers per administrative village", Direction: "up", Clause: "（十四）", AppliesTo: "each administrative village"},
			{ID: policy.ThirdBirthShare, NameZh: "出生人口中三孩占比", NameEn: "Share of third and later births", Unit: "percent of births",
				Direction: "up", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "direction only: rises"},
			{ID: policy.TotalFertilityRate, NameZh: "总和生育率", NameEn: "Total fertility rate", Unit: "children per woman",
				Direction: "up", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "direction only: rises steadily"},
			{ID: policy.NaturalGrowthRate, NameZh: "人口自然增长率", NameEn: "Natural growth rate", Unit: "per 1,000 residents",
				Direction: "up", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "direction only: rises steadily"},
			{ID: policy.TotalDependencyRatio, NameZh: "总抚养比", NameEn: "Total dependency ratio", Unit: "dependants per 100 residents aged 15–64",
				Direction: "range", Deadline: "2025", Clause: "（二）", AppliesTo: "county", Note: "kept within a reasonable range; the text sets no number"},
		},
		Money: []policy.MoneyRule{
			{ID: policy.ConstructionSubsidy, NameZh: "新增普惠性托育机构一次性建设补助", NameEn: "One-off construction subsidy for a new inclusive childcare institution",
				AmountYuan: num(2000), Unit: "yuan per slot, once", Clause: "（七）", EffectiveFrom: "2023",
				Conditions: "new inclusive (普惠) institution, accepted and filed with the county health department, in operation"},
			{ID: policy.OperatingSubsidy, NameZh: "普惠性托育机构日常运营补助", NameEn: "Monthly operating subsidy per enrolled child, inclusive institution",
				Amounts: map[string]float64{"infant": 500, "toddler_small": 300, "toddler_large": 200, "mixed": 200},
				Unit:    "yuan per enrolled child per month, capped at approved slots", Clause: "（七）", EffectiveFrom: "2023",
				Conditions: "inclusive institution; by class: 乳儿班 500, 托小班 300, 托大班 and 混合班 200"},
			{ID: policy.KindergartenToddlerClass, NameZh: "非营利性普惠性民办幼儿园增设托班补助", NameEn: "Non-profit inclusive private kindergarten adding a toddler class",
				Amounts: map[string]float64{"one_off_per_slot_max": 2000, "per_child_month": 200},
				Unit:    "yuan: one-off per slot of actual cost (at most 2,000 and never above the actual investment); 200 per enrolled child per month",
				Clause:  "（七）", EffectiveFrom: "2023", Conditions: "non-profit inclusive private kindergarten adding a toddler class"},
			{ID: policy.PublicKindergartenToddler, NameZh: "公办幼儿园增设托班", NameEn: "Public kindergarten adding a toddler class",
				Unit: "per-slot funding at the public kindergarten (3–6) per-pupil standard; staff pay parity", Clause: "（七）",
				EffectiveFrom: "2023", Conditions: "public kindergarten; no amount in the text"},
			{ID: policy.NoDoubleSubsidy, NameZh: "不重复补助", NameEn: "No second subsidy for a slot already subsidised",
				Unit: "—", Clause: "（七）", EffectiveFrom: "2023",
				Conditions: "same site, kindergarten place, central inclusive-childcare project, or re-filing after an operator change"},
			{ID: policy.ChildcareAllowance, NameZh: "育儿补助（二孩、三孩）", NameEn: "Childcare allowance for a 2nd or 3rd child",
				Amounts: map[string]float64{"2": 300, "3": 600}, Unit: "yuan per month, from the birth month until 36 months old",
				Clause: "（八）", EffectiveFrom: "2023-01-01", UntilAgeMonths: 36, Conditions: "2nd or 3rd child born on or after 2023-01-01"},
			{ID: policy.PregnancySubsidy, NameZh: "孕育补助", NameEn: "Pregnancy subsidy for a 2nd or 3rd child",
				AmountYuan: num(500), Unit: "yuan, once", Clause: "（十三）", EffectiveFrom: "2023", Conditions: "pregnant with a 2nd or 3rd child"},
			{ID: policy.ProvidentFundLoanCeiling, NameZh: "住房公积金贷款额度上浮", NameEn: "Housing provident fund loan ceiling +20%",
				Amounts: map[string]float64{"one_depositor": 720000, "two_depositors": 1200000}, Unit: "yuan, loan ceiling",
				Clause: "（八）", EffectiveFrom: "2023-04-07",
				Conditions: "couple with a 2nd or 3rd child born under the policy on or after 2023-04-07; first loan for a first home"},
			{ID: policy.ProvidentFundRentWithdrawal, NameZh: "住房公积金租房提取额度上浮", NameEn: "Housing provident fund rent withdrawal +50%",
				AmountYuan: num(27000), Unit: "yuan per person per year, at most", Clause: "（八）", EffectiveFrom: "2023-04-07",
				Conditions: "family with a 2nd or 3rd child born under the policy on or after 2023-04-07 (the same sentence as the loan ceiling), renting"},
			{ID: policy.NursingRoomSubsidy, NameZh: "星级母婴室建设与运营补助", NameEn: "Star-rated mother-and-baby room subsidies",
				Unit: "a construction subsidy per room and an operating subsidy by star level", Clause: "（十）", EffectiveFrom: "2023",
				Conditions: "public places and workplaces, under the Zhejiang local standard; amounts not fixed in the text"},
		},
	}
}
