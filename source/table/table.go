// Package table describes, once, each kind of record a county sends and
// shanyu keeps: its fields in order, with their type, the name they carry
// as a CSV header, a GeoJSON property and a database column, the Chinese
// and English header names an office may write instead, the allowed values
// of an enumeration with their Chinese names, and what each field means
// with an example. The bundle files, the PostGIS save and import, the
// imports' header matching and the import templates all read their column
// lists from here.
package table

// Type is the type of a field's values.
type Type string

// The field types.
const (
	Text  Type = "text"
	Int   Type = "int"   // a whole number, 0 or more
	Float Type = "float" // a decimal number (coordinates)
	Bool  Type = "bool"  // 是/否, true/false
	Date  Type = "date"  // a calendar day, YYYY-MM-DD in the bundle
	Enum  Type = "enum"  // one of Choices
	List  Type = "list"  // several of Choices, separated by ; in the bundle
)

// Choice is one allowed value of an enumeration, with its Chinese name and
// the other names offices use for it.
type Choice struct {
	Value   string
	Zh      string
	Aliases []string
}

// Field is one column of a kind of record.
type Field struct {
	// Name is the CSV header and GeoJSON property of the bundle, and the
	// database column unless Column says otherwise.
	Name string
	// Zh is the Chinese header the templates write.
	Zh string
	// Aliases are other header names an import accepts, Chinese and English.
	Aliases  []string
	Type     Type
	Required bool
	Choices  []Choice
	// Column is the database column when it differs from Name; "-" when the
	// field has no column of its own (lon and lat make the geometry).
	Column string
	// ImportOnly marks a field that only imports read (the long form of
	// childcare: one row per class); the bundle and database do not have it.
	ImportOnly bool
	// LongForm marks the import-only fields of childcare's long form (one
	// row per class); the templates use the wide form and leave them out.
	LongForm bool
	Doc      string
	DocZh    string
	Example  string
}

// DBColumn is the field's database column, or "" when it has none.
func (f *Field) DBColumn() string {
	switch f.Column {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return f.Column
}

// Kind is one kind of record: its import kind, bundle file, database table
// and fields in the bundle's column order.
type Kind struct {
	Name    string // import kind: childcare, nursing_room, regions, population, paediatricians
	Zh      string
	File    string // bundle file
	DBTable string // table in schema public_data
	Fields  []Field
}

// Field returns the field called name, or nil.
func (k *Kind) Field(name string) *Field {
	for i := range k.Fields {
		if k.Fields[i].Name == name {
			return &k.Fields[i]
		}
	}
	return nil
}

// BundleColumns lists the bundle's CSV header (or GeoJSON properties), in order.
func (k *Kind) BundleColumns() []string {
	var out []string
	for _, f := range k.Fields {
		if !f.ImportOnly {
			out = append(out, f.Name)
		}
	}
	return out
}

// DBColumns lists the kind's own database columns in order: the bundle's
// fields that have a column (not lon and lat, which make the geometry).
func (k *Kind) DBColumns() []string {
	var out []string
	for i := range k.Fields {
		f := &k.Fields[i]
		if c := f.DBColumn(); c != "" && !f.ImportOnly {
			out = append(out, c)
		}
	}
	return out
}

// HasPoint reports whether the kind's records are points (lon, lat).
func (k *Kind) HasPoint() bool { return k.Field("lon") != nil }

// The Kinds' names.
const (
	Childcare      = "childcare"
	NursingRoom    = "nursing_room"
	Regions        = "regions"
	Population     = "population"
	Paediatricians = "paediatricians"
)

// Order lists the kinds in the order a county loads them: regions first,
// since every other kind is checked against them.
var Order = []string{Regions, Population, Childcare, NursingRoom, Paediatricians}

// ByName returns the kind called name, or nil.
func ByName(name string) *Kind {
	for _, k := range Kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Choice lists, shared by the fields that use them.
var (
	Levels = []Choice{
		{Value: "county", Zh: "县", Aliases: []string{"区县", "县级", "市"}},
		{Value: "township", Zh: "乡镇", Aliases: []string{"街道", "乡", "镇", "乡镇街道"}},
		{Value: "village", Zh: "村", Aliases: []string{"社区", "村委会", "居委会", "村社区"}},
	}
	OperatorTypes = []Choice{
		{Value: "public", Zh: "公办"},
		{Value: "private_inclusive", Zh: "民办普惠", Aliases: []string{"普惠性民办", "普惠民办", "非营利性民办"}},
		{Value: "private_for_profit", Zh: "民办", Aliases: []string{"营利性民办", "民办营利"}},
		{Value: "employer", Zh: "单位办", Aliases: []string{"用人单位", "企事业单位办"}},
	}
	VenueTypes = []Choice{
		{Value: "public_place", Zh: "公共场所"},
		{Value: "workplace", Zh: "工作场所", Aliases: []string{"用人单位"}},
		{Value: "hospital", Zh: "医院", Aliases: []string{"医疗机构"}},
		{Value: "station", Zh: "车站", Aliases: []string{"交通枢纽"}},
		{Value: "mall", Zh: "商场", Aliases: []string{"商业综合体"}},
	}
	Stars = []Choice{
		{Value: "1", Zh: "一星", Aliases: []string{"★", "一星级"}},
		{Value: "2", Zh: "二星", Aliases: []string{"★★", "二星级"}},
		{Value: "3", Zh: "三星", Aliases: []string{"★★★", "三星级"}},
	}
	Amenities = []Choice{
		{Value: "changing_table", Zh: "尿布台", Aliases: []string{"换尿布台"}},
		{Value: "nursing_chair", Zh: "哺乳椅"},
		{Value: "sink", Zh: "洗手台", Aliases: []string{"洗手池"}},
		{Value: "hand_sanitiser", Zh: "洗手液", Aliases: []string{"消毒液"}},
		{Value: "door_lock", Zh: "门锁"},
		{Value: "call_button", Zh: "呼叫按钮", Aliases: []string{"紧急呼叫"}},
		{Value: "fridge", Zh: "冰箱"},
		{Value: "microwave", Zh: "微波炉"},
		{Value: "diaper_bin", Zh: "尿布桶", Aliases: []string{"垃圾桶"}},
		{Value: "outlet", Zh: "插座"},
	}
	Classes = []Choice{
		{Value: "infant", Zh: "乳儿班"},
		{Value: "toddler_small", Zh: "托小班"},
		{Value: "toddler_large", Zh: "托大班"},
		{Value: "mixed", Zh: "混合班"},
	}
	PaediatricTypes = []Choice{
		{Value: "county_hospital", Zh: "县医院", Aliases: []string{"县人民医院", "市人民医院"}},
		{Value: "mch_hospital", Zh: "妇幼保健院"},
		{Value: "tcm_hospital", Zh: "中医院"},
		{Value: "township_health_centre", Zh: "乡镇卫生院", Aliases: []string{"卫生院"}},
		{Value: "community_health_centre", Zh: "社区卫生服务中心"},
	}
)

// Values lists the values of choices, in order.
func Values(choices []Choice) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Value
	}
	return out
}

func concat(parts ...[]Field) []Field {
	var out []Field
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func classCounts(prefix, zh, doc string) []Field {
	out := make([]Field, len(Classes))
	for i, c := range Classes {
		out[i] = Field{Name: prefix + "_" + c.Value, Zh: c.Zh + zh, Type: Int,
			Doc: doc + " in the " + c.Value + " class (" + c.Zh + ")", DocZh: c.Zh + zh + "数", Example: "10"}
		if prefix == "slots" {
			out[i].Aliases = []string{c.Zh + "核定托位", c.Zh + "托位数"}
		} else {
			out[i].Aliases = []string{c.Zh + "实际收托"}
			out[i].Example = "8"
		}
	}
	return out
}

var (
	lon = Field{Name: "lon", Zh: "经度", Aliases: []string{"longitude", "lng", "x"}, Type: Float, Required: true, Column: "-",
		Doc:   "Longitude in degrees, WGS84 (GPS). Coordinates from Amap or WeChat are GCJ-02: import them with --gcj02",
		DocZh: "经度（WGS84/GPS）；高德、微信坐标为GCJ-02，导入时加 --gcj02", Example: "119.061"}
	lat = Field{Name: "lat", Zh: "纬度", Aliases: []string{"latitude", "y"}, Type: Float, Required: true, Column: "-",
		Doc: "Latitude in degrees, WGS84", DocZh: "纬度（WGS84）", Example: "27.618"}
	// villageCode is the village an office says a facility lies in: not
	// stored (placement is by the boundaries), but checked against the
	// point, which is how coordinates in the wrong system are caught.
	villageCode = Field{Name: "village_code", Zh: "所属村（社区）代码", Aliases: []string{"所属村社区代码", "村社区代码", "所属村代码", "village code"},
		Type: Text, ImportOnly: true,
		Doc:   "Optional: the 12-digit code of the village or community it lies in, checked against the point (a consistent few-hundred-metre miss means GCJ-02 coordinates)",
		DocZh: "可选：所在村（社区）12位区划代码，用于核对坐标", Example: "331126001001"}
)

// Kinds describes every kind of record, in the order of Order.
var Kinds = []*Kind{
	{Name: Regions, Zh: "行政区划", File: "regions.geojson", DBTable: "region", Fields: []Field{
		{Name: "code", Zh: "区划代码", Aliases: []string{"代码", "统计用区划代码"}, Type: Text, Required: true,
			Doc:   "Statistical division code: 6 digits for the county, 9 for a township, 12 for a village or community",
			DocZh: "统计用区划代码：县6位，乡镇9位，村（社区）12位", Example: "331126001001"},
		{Name: "level", Zh: "层级", Aliases: []string{"级别"}, Type: Enum, Required: true, Choices: Levels,
			Doc: "county, township or village", DocZh: "县、乡镇或村（社区）", Example: "village"},
		{Name: "name_zh", Zh: "名称", Aliases: []string{"name", "区划名称"}, Type: Text, Required: true,
			Doc: "Name in Chinese", DocZh: "中文名称", Example: "石龙社区居委会"},
		{Name: "name_en", Zh: "英文名", Aliases: []string{"英文名称"}, Type: Text,
			Doc: "Name in English or pinyin", DocZh: "英文或拼音名称", Example: "Shilong Community"},
		{Name: "parent_code", Zh: "上级代码", Aliases: []string{"上级区划代码"}, Type: Text,
			Doc: "Code of the region it lies in; empty for the county", DocZh: "上级区划代码；县留空", Example: "331126001"},
		{Name: "new_community", Zh: "新建社区", Aliases: []string{"是否新建社区"}, Type: Bool,
			Doc: "A newly built community, where the policy's higher childcare target may apply", DocZh: "是否新建社区", Example: "否"},
		{Name: "illustrative_boundary", Zh: "示意边界", Aliases: []string{"是否示意边界"}, Type: Bool, Column: "illustrative",
			Doc: "The boundary is drawn for illustration, not surveyed", DocZh: "边界仅为示意", Example: "否"},
	}},
	{Name: Population, Zh: "常住人口", File: "population.csv", DBTable: "population", Fields: []Field{
		{Name: "code", Zh: "区划代码", Aliases: []string{"代码", "统计用区划代码"}, Type: Text, Required: true,
			Doc: "Division code of a region already imported", DocZh: "已导入的区划代码", Example: "331126001"},
		{Name: "year", Zh: "年份", Aliases: []string{"年度"}, Type: Int, Required: true,
			Doc: "Year of the figures", DocZh: "年份", Example: "2025"},
		{Name: "total", Zh: "常住人口", Aliases: []string{"总人口", "人口"}, Type: Int, Required: true,
			Doc: "Residents; equals the three age bands added up", DocZh: "常住人口，等于三个年龄段之和", Example: "12000"},
		{Name: "under_3", Zh: "3岁以下", Aliases: []string{"0-2岁", "三岁以下"}, Type: Int, Required: true,
			Doc: "Children under 3 (part of 0–14)", DocZh: "3岁以下婴幼儿（含于0-14岁）", Example: "260"},
		{Name: "age_0_14", Zh: "0-14岁", Type: Int, Required: true, Doc: "Residents aged 0–14", DocZh: "0-14岁人口", Example: "1800"},
		{Name: "age_15_64", Zh: "15-64岁", Type: Int, Required: true, Doc: "Residents aged 15–64", DocZh: "15-64岁人口", Example: "8000"},
		{Name: "age_65_plus", Zh: "65岁及以上", Aliases: []string{"65岁以上"}, Type: Int, Required: true,
			Doc: "Residents aged 65 and over", DocZh: "65岁及以上人口", Example: "2200"},
	}},
	{Name: Childcare, Zh: "托育机构", File: "childcare.csv", DBTable: "childcare", Fields: concat([]Field{
		{Name: "id", Zh: "机构编号", Aliases: []string{"编号", "代码", "identifier"}, Type: Text, Required: true,
			Doc:   "The office's own identifier: letters, digits and _ . : - (at most 64); it never changes",
			DocZh: "本单位给的编号：字母、数字及 _ . : -，不超过64个字符，不再改变", Example: "QY-TY-001"},
		{Name: "name_zh", Zh: "机构名称", Aliases: []string{"名称", "name", "名字"}, Type: Text, Required: true,
			Doc: "Name in Chinese", DocZh: "中文名称", Example: "松源新苗托育园"},
		{Name: "operator_type", Zh: "举办性质", Aliases: []string{"性质", "办学性质", "类型"}, Type: Enum, Required: true,
			Choices: OperatorTypes, Doc: "Who runs it", DocZh: "举办性质", Example: "民办普惠"},
		{Name: "inclusive", Zh: "是否普惠", Aliases: []string{"普惠", "普惠性"}, Type: Bool,
			Doc: "Inclusive (普惠) pricing", DocZh: "是否普惠性", Example: "是"},
		{Name: "filed", Zh: "是否备案", Aliases: []string{"备案", "已备案"}, Type: Bool,
			Doc: "Filed with the county health department (备案)", DocZh: "是否已在卫生健康部门备案", Example: "是"},
		lon, lat, villageCode,
		{Name: "address", Zh: "地址", Aliases: []string{"详细地址"}, Type: Text,
			Doc: "Street address", DocZh: "详细地址", Example: "松源街道石龙街12号"},
		{Name: "phone", Zh: "联系电话", Aliases: []string{"电话"}, Type: Text, Doc: "Telephone", DocZh: "联系电话", Example: "0578-6000001"},
		{Name: "opening_hours", Zh: "开放时间", Aliases: []string{"服务时间", "营业时间"}, Type: Text,
			Doc: "Opening hours as written", DocZh: "开放时间", Example: "周一至周五 7:30-17:30"},
		{Name: "monthly_fee_yuan", Zh: "月收费", Aliases: []string{"收费标准(元/月)", "收费(元/月)", "月费"}, Type: Int,
			Doc: "Monthly fee in yuan", DocZh: "每月收费（元）", Example: "1800"},
	}, classCounts("slots", "托位", "Approved slots (核定托位数)"), classCounts("enrolled", "在托", "Children enrolled (实际收托数)"), []Field{
		{Name: "opened_on", Zh: "开办日期", Aliases: []string{"开放日期", "成立日期", "启用日期"}, Type: Date,
			Doc: "The day it opened: a date cell, 2023-06-01, 2023/6/1 or 2023年6月1日", DocZh: "开办日期（日期单元格或 2023年6月1日）", Example: "2023-06-01"},
		{Name: "closed_on", Zh: "停办日期", Aliases: []string{"关闭日期", "注销日期"}, Type: Date,
			Doc: "The day it closed; empty while open", DocZh: "停办日期，仍在开放则留空"},
		// The long form: one row per class.
		{Name: "class", Zh: "班型", Aliases: []string{"班级类型"}, Type: Enum, Choices: Classes, ImportOnly: true, LongForm: true,
			Doc: "Long form only: the class this row counts (one row per class)", DocZh: "仅用于每班一行的格式：班型"},
		{Name: "slots", Zh: "核定托位数", Aliases: []string{"核定托位", "托位数"}, Type: Int, ImportOnly: true, LongForm: true,
			Doc: "Long form only: approved slots of the row's class", DocZh: "仅用于每班一行的格式：该班型核定托位数"},
		{Name: "enrolled", Zh: "实际收托数", Aliases: []string{"实际收托", "在托人数"}, Type: Int, ImportOnly: true, LongForm: true,
			Doc: "Long form only: children enrolled in the row's class", DocZh: "仅用于每班一行的格式：该班型实际收托数"},
	})},
	{Name: NursingRoom, Zh: "母婴室", File: "nursing_rooms.csv", DBTable: "nursing_room", Fields: []Field{
		{Name: "id", Zh: "编号", Aliases: []string{"机构编号", "代码", "identifier"}, Type: Text, Required: true,
			Doc:   "The office's own identifier: letters, digits and _ . : - (at most 64); it never changes",
			DocZh: "本单位给的编号：字母、数字及 _ . : -，不超过64个字符", Example: "QY-MY-001"},
		{Name: "name_zh", Zh: "场所名称", Aliases: []string{"名称", "机构名称", "name"}, Type: Text, Required: true,
			Doc: "Name of the place in Chinese", DocZh: "场所中文名称", Example: "县图书馆母婴室"},
		{Name: "venue_type", Zh: "场所类型", Aliases: []string{"类型"}, Type: Enum, Required: true, Choices: VenueTypes,
			Doc: "Kind of place", DocZh: "场所类型", Example: "公共场所"},
		{Name: "star", Zh: "星级", Aliases: []string{"星级评定"}, Type: Enum, Required: true, Choices: Stars,
			Doc: "Star level under the Zhejiang standard (1–3)", DocZh: "星级（1-3）", Example: "二星"},
		lon, lat, villageCode,
		{Name: "address", Zh: "地址", Aliases: []string{"详细地址"}, Type: Text, Doc: "Street address", DocZh: "详细地址", Example: "濛洲街道文化中心2楼"},
		{Name: "opening_hours", Zh: "开放时间", Aliases: []string{"服务时间", "营业时间"}, Type: Text,
			Doc: "Opening hours as written", DocZh: "开放时间", Example: "9:00-17:00"},
		{Name: "amenities", Zh: "配套设施", Aliases: []string{"设施"}, Type: List, Choices: Amenities,
			Doc: "Amenities, separated by ; or 、", DocZh: "配套设施，用；或、分隔", Example: "尿布台；哺乳椅；洗手台"},
		{Name: "accessible", Zh: "是否无障碍", Aliases: []string{"无障碍"}, Type: Bool, Doc: "Step-free access", DocZh: "是否无障碍", Example: "是"},
		{Name: "opened_on", Zh: "启用日期", Aliases: []string{"开办日期", "开放日期", "成立日期"}, Type: Date,
			Doc: "The day it opened", DocZh: "启用日期", Example: "2023-06-01"},
		{Name: "closed_on", Zh: "关闭日期", Aliases: []string{"停办日期", "注销日期"}, Type: Date,
			Doc: "The day it closed; empty while open", DocZh: "关闭日期，仍在开放则留空"},
	}},
	{Name: Paediatricians, Zh: "儿科医师", File: "paediatricians.csv", DBTable: "paediatric_unit", Fields: []Field{
		{Name: "id", Zh: "机构编号", Aliases: []string{"编号"}, Type: Text, Required: true,
			Doc: "The office's own identifier of the hospital or health centre", DocZh: "医疗机构编号", Example: "QY-YY-001"},
		{Name: "name_zh", Zh: "机构名称", Aliases: []string{"名称", "name"}, Type: Text, Required: true,
			Doc: "Name in Chinese", DocZh: "医疗机构名称", Example: "县妇幼保健院"},
		{Name: "type", Zh: "机构类型", Aliases: []string{"类型"}, Type: Enum, Required: true, Choices: PaediatricTypes,
			Doc: "Kind of institution", DocZh: "机构类型", Example: "妇幼保健院"},
		lon, lat, villageCode,
		{Name: "paediatricians", Zh: "儿科医师数", Aliases: []string{"儿科执业(助理)医师数", "儿科医生"}, Type: Int, Required: true,
			Doc: "Licensed (assistant) paediatric physicians", DocZh: "儿科执业（助理）医师数", Example: "5"},
	}},
}
