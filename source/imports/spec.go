package imports

import (
	"strings"
)

// Column is one field a kind of file may carry, with the header names it
// goes by.
type Column struct {
	Name     string
	Aliases  []string // other header names, Chinese first
	Required bool
}

// Spec lists the columns of one kind of import.
type Spec struct {
	Kind    string
	Columns []Column
	// Long, for childcare, allows one row per class (id, class, slots,
	// enrolled) instead of one column per class.
	byName map[string]string
}

// Canonical returns the column a header cell names, or "". Matching ignores
// case, spaces, and the full-width brackets and units that spreadsheets add.
func (s *Spec) Canonical(header string) string {
	if s.byName == nil {
		s.byName = map[string]string{}
		for _, c := range s.Columns {
			s.byName[norm(c.Name)] = c.Name
			for _, a := range c.Aliases {
				s.byName[norm(a)] = c.Name
			}
		}
	}
	return s.byName[norm(header)]
}

func norm(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	r := strings.NewReplacer(" ", "", "　", "", "（", "(", "）", ")", "_", "", "-", "")
	return r.Replace(h)
}

var common = []Column{
	{Name: "id", Aliases: []string{"编号", "机构编号", "代码", "identifier"}, Required: true},
	{Name: "name_zh", Aliases: []string{"名称", "机构名称", "场所名称", "name", "名字"}, Required: true},
	{Name: "lon", Aliases: []string{"经度", "longitude", "lng", "x"}, Required: true},
	{Name: "lat", Aliases: []string{"纬度", "latitude", "y"}, Required: true},
	{Name: "address", Aliases: []string{"地址", "详细地址"}},
	{Name: "opening_hours", Aliases: []string{"开放时间", "服务时间", "营业时间"}},
	{Name: "opened_on", Aliases: []string{"开办日期", "开放日期", "成立日期", "启用日期"}},
	{Name: "closed_on", Aliases: []string{"停办日期", "关闭日期", "注销日期"}},
}

// Specs are the kinds shanyu imports. The header names each column goes by
// are listed in README.md ("Importing a county's files").
var Specs = map[string]*Spec{
	"childcare": {Kind: "childcare", Columns: append(append([]Column{}, common...),
		Column{Name: "operator_type", Aliases: []string{"举办性质", "性质", "办学性质", "类型"}, Required: true},
		Column{Name: "inclusive", Aliases: []string{"是否普惠", "普惠", "普惠性"}},
		Column{Name: "filed", Aliases: []string{"是否备案", "备案", "已备案"}},
		Column{Name: "phone", Aliases: []string{"电话", "联系电话"}},
		Column{Name: "monthly_fee_yuan", Aliases: []string{"月收费", "收费标准(元/月)", "收费(元/月)", "月费"}},
		Column{Name: "slots_infant", Aliases: []string{"乳儿班托位", "乳儿班核定托位", "乳儿班托位数"}},
		Column{Name: "slots_toddler_small", Aliases: []string{"托小班托位", "托小班核定托位", "托小班托位数"}},
		Column{Name: "slots_toddler_large", Aliases: []string{"托大班托位", "托大班核定托位", "托大班托位数"}},
		Column{Name: "slots_mixed", Aliases: []string{"混合班托位", "混合班核定托位", "混合班托位数"}},
		Column{Name: "enrolled_infant", Aliases: []string{"乳儿班在托", "乳儿班实际收托"}},
		Column{Name: "enrolled_toddler_small", Aliases: []string{"托小班在托", "托小班实际收托"}},
		Column{Name: "enrolled_toddler_large", Aliases: []string{"托大班在托", "托大班实际收托"}},
		Column{Name: "enrolled_mixed", Aliases: []string{"混合班在托", "混合班实际收托"}},
		// The long form: one row per class.
		Column{Name: "class", Aliases: []string{"班型", "班级类型"}},
		Column{Name: "slots", Aliases: []string{"核定托位数", "核定托位", "托位数"}},
		Column{Name: "enrolled", Aliases: []string{"实际收托数", "实际收托", "在托人数"}},
	)},
	"nursing_room": {Kind: "nursing_room", Columns: append(append([]Column{}, common...),
		Column{Name: "venue_type", Aliases: []string{"场所类型", "类型"}, Required: true},
		Column{Name: "star", Aliases: []string{"星级", "星级评定"}, Required: true},
		Column{Name: "amenities", Aliases: []string{"设施", "配套设施"}},
		Column{Name: "accessible", Aliases: []string{"无障碍", "是否无障碍"}},
	)},
	"paediatricians": {Kind: "paediatricians", Columns: []Column{
		{Name: "id", Aliases: []string{"编号", "机构编号"}, Required: true},
		{Name: "name_zh", Aliases: []string{"名称", "机构名称", "name"}, Required: true},
		{Name: "type", Aliases: []string{"机构类型", "类型"}, Required: true},
		{Name: "lon", Aliases: []string{"经度", "longitude", "lng"}, Required: true},
		{Name: "lat", Aliases: []string{"纬度", "latitude"}, Required: true},
		{Name: "paediatricians", Aliases: []string{"儿科医师数", "儿科执业(助理)医师数", "儿科医生"}, Required: true},
	}},
	"population": {Kind: "population", Columns: []Column{
		{Name: "code", Aliases: []string{"区划代码", "代码", "统计用区划代码"}, Required: true},
		{Name: "year", Aliases: []string{"年份", "年度"}, Required: true},
		{Name: "total", Aliases: []string{"常住人口", "总人口", "人口"}, Required: true},
		{Name: "under_3", Aliases: []string{"0-2岁", "3岁以下", "三岁以下"}, Required: true},
		{Name: "age_0_14", Aliases: []string{"0-14岁"}, Required: true},
		{Name: "age_15_64", Aliases: []string{"15-64岁"}, Required: true},
		{Name: "age_65_plus", Aliases: []string{"65岁及以上", "65岁以上"}, Required: true},
	}},
	"regions": {Kind: "regions", Columns: []Column{
		{Name: "code", Aliases: []string{"区划代码", "代码", "统计用区划代码"}, Required: true},
		{Name: "level", Aliases: []string{"层级", "级别"}, Required: true},
		{Name: "name_zh", Aliases: []string{"名称", "name"}, Required: true},
		{Name: "name_en", Aliases: []string{"英文名"}},
		{Name: "parent_code", Aliases: []string{"上级代码", "上级区划代码"}},
		{Name: "new_community", Aliases: []string{"新建社区", "是否新建社区"}},
		{Name: "illustrative_boundary", Aliases: []string{"示意边界"}},
	}},
}

// Kinds lists the import kinds in the order the CLI documents them.
var Kinds = []string{"childcare", "nursing_room", "regions", "population", "paediatricians"}
