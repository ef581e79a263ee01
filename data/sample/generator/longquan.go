package generator

import (
	"io/fs"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"

	"shanyu/policy"
)

// LongquanSeed is the seed of the second sample county.
const LongquanSeed uint64 = 20240101

// ReadLongquan reads the reference files of the second sample county, 龙泉市
// (longquan-county.geojson, longquan-townships.csv, longquan-villages.csv),
// with a made-up story and a made-up policy that differs from 庆元's. It
// exists to prove that nothing in shanyu is tied to one county: its data go
// through the importers as a county office's files would.
func ReadLongquan(fsys fs.FS) (*Reference, error) {
	ref, err := readReference(fsys, "longquan")
	if err != nil {
		return nil, err
	}
	ref.Policy, ref.Profile = LongquanPolicy(), longquanProfile(ref)
	return ref, nil
}

// longquanProfile makes up 龙泉's plan from its township codes: the 街道
// hold the most people; supply against the target varies from none to
// well above, deterministically.
func longquanProfile(ref *Reference) *Profile {
	r := rand.New(rand.NewPCG(LongquanSeed, 7))
	p := &Profile{NameEn: "Longquan City", Title: "Longquan City fertility-support facilities (sample)",
		TitleZh: "龙泉市生育支持设施（样例数据）", AddressPrefix: "浙江省丽水市龙泉市", Short: "龙泉市",
		SeatOffsets: map[string]orb.Point{}, Plan: map[string]township{},
		Roads:     []string{"龙泉大道", "剑池路", "华楼街", "中山东路", "贤良路", "宝剑路", "青瓷大道", "西街", "人民路", "新华街"},
		Employers: []string{"龙泉市人民医院", "龙泉青瓷产业园", "龙泉宝剑产业园", "龙泉市行政服务中心", "龙泉经济开发区"},
		Venues: []venue{
			{"mall", []string{"龙泉万达广场", "华楼商业街", "龙泉购物中心"}, nil, 3},
			{"hospital", []string{"龙泉市人民医院", "龙泉市妇幼保健院", "龙泉市中医院"}, []string{"卫生院"}, 3},
			{"station", []string{"龙泉汽车站", "龙泉高铁站"}, nil, 2},
			{"workplace", []string{"龙泉市行政服务中心", "龙泉经济开发区管委会", "龙泉青瓷产业园"}, []string{"人民政府"}, 2},
			{"public_place", []string{"龙泉市图书馆", "龙泉青瓷博物馆", "龙泉市文化馆", "剑池公园"}, []string{"便民服务中心", "文化礼堂"}, 4},
		},
		Hospitals: []hospital{{"龙泉市人民医院", "county_hospital", 9}, {"龙泉市妇幼保健院", "mch_hospital", 6}, {"龙泉市中医院", "tcm_hospital", 2}},
	}
	supplies := []float64{0, 0.45, 0.7, 0.9, 1.1, 1.4, 1.7}
	offsets := []orb.Point{{0, 0}, {0.03, -0.018}, {-0.035, 0.01}, {0.01, 0.03}}
	k := 0
	for _, t := range ref.Townships {
		tp := township{pop2025: 2000 + 500*r.IntN(20), supply: supplies[r.IntN(len(supplies))]}
		if strings.HasSuffix(t[1], "街道") {
			tp.pop2025 = 18000 + 1000*r.IntN(14)
			tp.supply = []float64{0.8, 1.2, 1.5, 0.6}[k%4]
			p.SeatOffsets[t[0]] = offsets[k%len(offsets)]
			k++
		}
		p.Plan[t[0]] = tp
	}
	// One newly built community in the first 街道, short of its target.
	for _, v := range ref.Villages {
		if strings.HasPrefix(v[0], ref.Townships[0][0]) && strings.HasSuffix(v[1], "社区居委会") {
			p.NewCommunities = []newCommunity{{code: v[0], pop2025: 3600, slots: 24}}
			break
		}
	}
	return p
}

// LongquanPolicy is a made-up policy for the second sample county: not 龙泉's
// real one, and it says so. Its targets and amounts differ from 庆元's on
// purpose, so that a test can see which file the service follows.
func LongquanPolicy() *policy.Policy {
	return &policy.Policy{
		ID: "331181-sample", TitleZh: "龙泉市托育与儿童健康服务政策（样例，虚构）",
		TitleEn: "Longquan City childcare and child-health policy (sample, made up)",
		Issuer:  "shanyu sample generator (not an official document)", Issued: "2024-03", CountyCode: "331181", Sample: true,
		Clauses: []policy.Clause{
			{ID: "（一）", TitleZh: "托育服务", Summary: "slot targets and childcare subsidies"},
			{ID: "（二）", TitleZh: "儿科服务", Summary: "paediatricians per 1,000 children"},
			{ID: "（三）", TitleZh: "母婴设施", Summary: "mother-and-baby rooms"},
		},
		Targets: []policy.Target{
			{ID: policy.ChildcareSlotsPer1000, NameZh: "每千人口拥有3岁以下婴幼儿托位数", NameEn: "Childcare slots for under-3s per 1,000 residents",
				Value: num(5.5), Unit: "slots per 1,000 residents", Direction: "up", Deadline: "2026", Clause: "（一）",
				AppliesTo: "county; shanyu also measures each township and village against it"},
			{ID: policy.NewCommunitySlotsPer1000, NameZh: "新建社区每千人托位数", NameEn: "Childcare slots per 1,000 residents in newly built communities",
				Value: num(12), Unit: "slots per 1,000 residents", Direction: "up", Clause: "（一）", AppliesTo: "each newly built community"},
			{ID: policy.PaediatriciansPer1000, NameZh: "每千名儿童拥有儿科执业（助理）医师数", NameEn: "Licensed (assistant) paediatric physicians per 1,000 children",
				Value: num(1.2), Unit: "paediatricians per 1,000 children aged 0–14", Direction: "up", Deadline: "2026", Clause: "（二）", AppliesTo: "county"},
		},
		Money: []policy.MoneyRule{
			{ID: policy.ConstructionSubsidy, NameZh: "新增普惠托位一次性建设补助", NameEn: "One-off construction subsidy per new inclusive slot",
				AmountYuan: num(3000), Unit: "yuan per slot, once", Clause: "（一）", EffectiveFrom: "2024-03", Conditions: "new inclusive slots, filed"},
			{ID: policy.OperatingSubsidy, NameZh: "普惠托位运营补助", NameEn: "Monthly operating subsidy per enrolled child",
				Amounts: map[string]float64{"infant": 600, "toddler_small": 400, "toddler_large": 300, "mixed": 300},
				Unit:    "yuan per enrolled child per month", Clause: "（一）", EffectiveFrom: "2024-03", Conditions: "inclusive centres"},
		},
	}
}
