package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/data/sample/generator"
	"shanyu/geo"
	"shanyu/internal/pgtest"
	"shanyu/policy"
	"shanyu/source/table"
)

// zh returns the Chinese name of value among choices.
func zh(choices []table.Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Zh
		}
	}
	return value
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func round6(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}

// villageOf is the brute-force placement: the village (smallest code on a
// border) whose boundary covers p.
func villageOf(ds *county.Dataset, p orb.Point) *county.Region {
	var best *county.Region
	for i := range ds.Regions {
		r := &ds.Regions[i]
		if r.Level == county.LevelVillage && planar.MultiPolygonContains(r.Geometry, p) && (best == nil || r.Code < best.Code) {
			best = r
		}
	}
	return best
}

// officeFiles writes ds the way a county's offices send their files:
// regions as GeoJSON with Chinese keys, population as GB18030 CSV,
// childcare centres as a workbook with a title row and Chinese headers and
// date cells, mother-and-baby rooms as GeoJSON in GCJ-02 with their
// declared villages, paediatricians as CSV with a byte-order mark, and the
// policy file.
func officeFiles(t *testing.T, dir string, ds *county.Dataset) {
	t.Helper()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	levels := map[county.Level]string{county.LevelCounty: "县", county.LevelTownship: "乡镇", county.LevelVillage: "村"}
	fc := geojson.NewFeatureCollection()
	for _, r := range ds.Regions {
		f := geojson.NewFeature(r.Geometry)
		f.Properties = geojson.Properties{"区划代码": r.Code, "层级": levels[r.Level], "名称": r.NameZh, "上级代码": r.ParentCode,
			"新建社区": yesNo(r.NewCommunity), "示意边界": yesNo(r.Illustrative)}
		fc.Append(f)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	write("区划.geojson", b)

	var pop bytes.Buffer
	w := csv.NewWriter(&pop)
	_ = w.Write([]string{"区划代码", "年份", "常住人口", "3岁以下", "0-14岁", "15-64岁", "65岁及以上"})
	for _, p := range ds.Population {
		_ = w.Write([]string{p.Code, strconv.Itoa(p.Year), strconv.Itoa(p.Total), strconv.Itoa(p.Under3),
			strconv.Itoa(p.Age0to14), strconv.Itoa(p.Age15to64), strconv.Itoa(p.Age65Plus)})
	}
	w.Flush()
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(pop.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	write("人口.csv", gb)

	x := excelize.NewFile()
	sheet := "托育机构"
	_ = x.SetSheetName("Sheet1", sheet)
	_ = x.SetCellValue(sheet, "A1", "龙泉市托育机构名单（样例）")
	header := []string{"机构编号", "机构名称", "举办性质", "是否普惠", "是否备案", "经度", "纬度", "地址", "联系电话", "开放时间", "月收费",
		"乳儿班托位", "托小班托位", "托大班托位", "混合班托位", "乳儿班在托", "托小班在托", "托大班在托", "混合班在托", "开办日期", "停办日期"}
	_ = x.SetSheetRow(sheet, "A2", &header)
	dateStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	day := func(d county.Date) any {
		if d == "" {
			return nil
		}
		tm, _ := time.Parse(time.DateOnly, string(d))
		return tm
	}
	row := 3
	for _, f := range ds.Facilities {
		if f.Kind != county.Childcare {
			continue
		}
		vals := []any{f.ID, f.NameZh, zh(table.OperatorTypes, f.OperatorType), yesNo(f.Inclusive), yesNo(f.Filed), f.Point[0], f.Point[1],
			f.Address, f.Phone, f.OpeningHours, f.MonthlyFeeYuan, f.Slots.Infant, f.Slots.ToddlerSmall, f.Slots.ToddlerLarge, f.Slots.Mixed,
			f.Enrolled.Infant, f.Enrolled.ToddlerSmall, f.Enrolled.ToddlerLarge, f.Enrolled.Mixed, day(f.OpenedOn), day(f.ClosedOn)}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := x.SetSheetRow(sheet, cell, &vals); err != nil {
			t.Fatal(err)
		}
		_ = x.SetCellStyle(sheet, fmt.Sprintf("T%d", row), fmt.Sprintf("U%d", row), dateStyle)
		row++
	}
	var xb bytes.Buffer
	if err := x.Write(&xb); err != nil {
		t.Fatal(err)
	}
	write("托育机构.xlsx", xb.Bytes())

	rooms := geojson.NewFeatureCollection()
	for _, f := range ds.Facilities {
		if f.Kind != county.NursingRoom {
			continue
		}
		var am []string
		for _, a := range f.Amenities {
			am = append(am, zh(table.Amenities, a))
		}
		g := geojson.NewFeature(geo.WGS84ToGCJ02(f.Point))
		g.Properties = geojson.Properties{"编号": f.ID, "场所名称": f.NameZh, "场所类型": zh(table.VenueTypes, f.VenueType),
			"星级": zh(table.Stars, strconv.Itoa(f.Star)), "配套设施": strings.Join(am, "、"), "是否无障碍": yesNo(f.Accessible),
			"地址": f.Address, "开放时间": f.OpeningHours, "启用日期": string(f.OpenedOn), "关闭日期": string(f.ClosedOn)}
		if v := villageOf(ds, round6(f.Point)); v != nil {
			g.Properties["所属村（社区）代码"] = v.Code
		}
		rooms.Append(g)
	}
	if b, err = json.Marshal(rooms); err != nil {
		t.Fatal(err)
	}
	write("母婴室-高德坐标.geojson", b)

	var paed bytes.Buffer
	paed.WriteString("\uFEFF")
	w = csv.NewWriter(&paed)
	_ = w.Write([]string{"机构编号", "机构名称", "机构类型", "经度", "纬度", "儿科医师数"})
	for _, u := range ds.Paediatric {
		_ = w.Write([]string{u.ID, u.NameZh, zh(table.PaediatricTypes, u.Type), strconv.FormatFloat(u.Point[0], 'f', -1, 64),
			strconv.FormatFloat(u.Point[1], 'f', -1, 64), strconv.Itoa(u.Paediatricians)})
	}
	w.Flush()
	write("儿科医师.csv", paed.Bytes())

	if b, err = json.MarshalIndent(ds.Policy, "", "  "); err != nil {
		t.Fatal(err)
	}
	write("policy.json", b)
}

// TestSecondCounty loads 龙泉市 — real outline and codes, made-up sample
// figures and a made-up policy unlike 庆元's — the way its offices would,
// through every import format, serves it through the read-only role, and
// checks coverage against a brute-force recomputation, and the policy,
// costs and scorecard against the second policy file.
func TestSecondCounty(t *testing.T) {
	ref, err := generator.ReadLongquan(sample.Reference())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := generator.Generate(ref, generator.LongquanSeed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	officeFiles(t, dir, ds)
	db := pgtest.DB(t)
	at := func(name string) string { return filepath.Join(dir, name) }

	mustRun(t, db, "import", "--kind", "regions", at("区划.geojson"))
	mustRun(t, db, "import", "--kind", "population", at("人口.csv"))
	mustRun(t, db, "import", "--kind", "childcare", at("托育机构.xlsx"))
	out, err := run(t, db, "import", "--kind", "nursing_room", at("母婴室-高德坐标.geojson"))
	if err == nil || !strings.Contains(out, "read as GCJ-02") || !strings.Contains(out, "--gcj02") {
		t.Fatalf("GCJ-02 rooms imported without their flag: %v\n%s", err, out)
	}
	mustRun(t, db, "import", "--kind", "nursing_room", "--gcj02", at("母婴室-高德坐标.geojson"))
	mustRun(t, db, "import", "--kind", "paediatricians", at("儿科医师.csv"))
	if out := mustRun(t, db, "import", "--kind", "policy", at("policy.json")); !strings.Contains(out, "policy 331181-sample") {
		t.Errorf("policy import said %q", out)
	}
	mustRun(t, db, "describe", "--title-zh", ds.Meta.TitleZh, "--title", ds.Meta.Title, "--publisher", "shanyu sample generator",
		"--licence", "CC0-1.0", "--reference-date", string(ds.Meta.ReferenceDate), "--county-code", "331181",
		"--notice", ds.Meta.Notice, "--notice-zh", ds.Meta.NoticeZh)

	s := startServe(t, pgtest.ReaderURL(t, db))
	var r ready
	if !pgtest.Wait(15*time.Second, func() bool { return getJSON(t, s.base+"/readyz", &r) == 200 && r.Status == "ready" }) {
		t.Fatalf("not ready: %+v\n%s", r, s.logs.String())
	}

	var pol policy.Policy
	if code := getJSON(t, s.base+"/api/v1/policy", &pol); code != 200 || pol.ID != "331181-sample" || pol.SlotsPer1000(false) != 5.5 ||
		pol.ConstructionSubsidyYuan(1) != 3000 {
		t.Fatalf("policy: %d %+v", code, pol)
	}

	// Brute force: every open centre placed by point-in-polygon, summed per
	// village and township, measured against the second policy.
	d := ds.Meta.ReferenceDate
	p := generator.LongquanPolicy()
	slots := map[string]int{}
	for _, f := range ds.Facilities {
		if f.Kind != county.Childcare || !f.OpenOn(d) {
			continue
		}
		if v := villageOf(ds, round6(f.Point)); v != nil {
			slots[v.Code] += f.Slots.Total()
			slots[v.ParentCode] += f.Slots.Total()
		}
	}
	popOf := map[string]int{}
	for _, pp := range ds.Population {
		if pp.Year == 2025 {
			popOf[pp.Code] = pp.Total
		}
	}
	newComm := map[string]bool{}
	for _, rg := range ds.Regions {
		newComm[rg.Code] = rg.NewCommunity
	}
	type item struct {
		Code                    string  `json:"code"`
		Population              int     `json:"population"`
		Slots                   int     `json:"slots"`
		TargetPer1000           float64 `json:"target_per_1000"`
		NeededSlots             int     `json:"needed_slots"`
		GapSlots                int     `json:"gap_slots"`
		ConstructionSubsidyYuan float64 `json:"construction_subsidy_yuan"`
	}
	checked, short := 0, 0
	for _, level := range []string{"village", "township"} {
		var rep struct{ Items []item }
		if code := getJSON(t, s.base+"/api/v1/coverage?level="+level+"&as_of="+string(d), &rep); code != 200 {
			t.Fatalf("coverage %s: %d", level, code)
		}
		if want := map[string]int{"village": len(ref.Villages), "township": len(ref.Townships)}[level]; len(rep.Items) != want {
			t.Errorf("%d %s items, want %d", len(rep.Items), level, want)
		}
		for _, it := range rep.Items {
			target := p.SlotsPer1000(newComm[it.Code])
			need := policy.SlotsNeeded(popOf[it.Code], target)
			gap := max(need-slots[it.Code], 0)
			want := item{Code: it.Code, Population: popOf[it.Code], Slots: slots[it.Code], TargetPer1000: target,
				NeededSlots: need, GapSlots: gap, ConstructionSubsidyYuan: float64(gap) * 3000}
			if it != want {
				t.Errorf("%s %s: served %+v, recomputed %+v", level, it.Code, it, want)
			}
			checked++
			if gap > 0 {
				short++
			}
		}
	}
	if checked < 250 || short == 0 {
		t.Errorf("checked %d regions, %d short: the comparison proves little", checked, short)
	}

	var card struct {
		Items []struct {
			TargetID string   `json:"target_id"`
			Target   *float64 `json:"target"`
		} `json:"items"`
	}
	if code := getJSON(t, s.base+"/api/v1/scorecard", &card); code != 200 {
		t.Fatalf("scorecard: %d", code)
	}
	var ids []string
	for _, it := range card.Items {
		ids = append(ids, it.TargetID)
		if it.TargetID == policy.ChildcareSlotsPer1000 && (it.Target == nil || *it.Target != 5.5) {
			t.Errorf("scorecard slot target %v, want the second policy's 5.5", it.Target)
		}
	}
	if !slices.Equal(ids, []string{policy.ChildcareSlotsPer1000, policy.NewCommunitySlotsPer1000, policy.PaediatriciansPer1000}) {
		t.Errorf("scorecard lists %v, want the second policy's three targets", ids)
	}
	var dset struct {
		Described  bool   `json:"described"`
		CountyCode string `json:"county_code"`
		TitleZh    string `json:"title_zh"`
	}
	if getJSON(t, s.base+"/api/v1/dataset", &dset); !dset.Described || dset.CountyCode != "331181" || !strings.Contains(dset.TitleZh, "龙泉") {
		t.Errorf("dataset: %+v", dset)
	}
}
