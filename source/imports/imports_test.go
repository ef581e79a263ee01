package imports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"shanyu/county"
	"shanyu/geo"
)

// outline is a square around the sample county's seat, for the
// outside-the-county check.
var outline = orb.MultiPolygon{{{{118.8, 27.4}, {119.5, 27.4}, {119.5, 27.9}, {118.8, 27.9}, {118.8, 27.4}}}}

var regions = map[string]string{"331126": "county", "331126001": "township", "331126001001": "village"}

const chineseCSV = `机构编号,机构名称,举办性质,是否普惠,是否备案,经度,纬度,地址,联系电话,乳儿班托位,托小班托位,托大班托位,混合班托位,乳儿班在托,托小班在托,托大班在托,混合班在托,月收费,开办日期
NEW001,松源新苗托育园,民办普惠,是,是,119.061,27.618,松源街道石龙社区,0578-6000001,10,15,20,0,8,12,18,0,1800,2024年3月1日
NEW002,濛洲小太阳托育点,公办,是,否,119.09,27.60,濛洲街道,0578-6000002,0,0,0,18,0,0,0,15,900,2022/9/1
`

func parse(t *testing.T, name string, b []byte, kind string, opt Options) *Records {
	t.Helper()
	tab, err := ReadTable(name, b, Specs[kind])
	if err != nil {
		t.Fatal(err)
	}
	return Parse(kind, tab, opt)
}

func checkTwoCentres(t *testing.T, rec *Records) {
	t.Helper()
	if len(rec.Problems) > 0 {
		t.Fatalf("problems: %v", rec.Problems)
	}
	if len(rec.Facilities) != 2 {
		t.Fatalf("%d facilities, want 2", len(rec.Facilities))
	}
	f := rec.Facilities[0]
	if f.ID != "NEW001" || f.NameZh != "松源新苗托育园" || f.OperatorType != "private_inclusive" || !f.Inclusive || !f.Filed ||
		f.Slots != (county.ClassCounts{Infant: 10, ToddlerSmall: 15, ToddlerLarge: 20}) || f.Enrolled.ToddlerLarge != 18 ||
		f.OpenedOn != "2024-03-01" || f.MonthlyFeeYuan != 1800 || f.Point != (orb.Point{119.061, 27.618}) {
		t.Errorf("first centre read as %+v", f)
	}
	if g := rec.Facilities[1]; g.OperatorType != "public" || g.Filed || g.Slots.Mixed != 18 || g.OpenedOn != "2022-09-01" {
		t.Errorf("second centre read as %+v", g)
	}
}

func TestFormats(t *testing.T) {
	opt := Options{Regions: regions, County: outline}
	t.Run("CSV UTF-8", func(t *testing.T) {
		checkTwoCentres(t, parse(t, "a.csv", []byte(chineseCSV), "childcare", opt))
	})
	t.Run("CSV UTF-8 with BOM", func(t *testing.T) {
		checkTwoCentres(t, parse(t, "a.csv", append([]byte("\uFEFF"), chineseCSV...), "childcare", opt))
	})
	t.Run("CSV GB18030", func(t *testing.T) {
		gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(chineseCSV))
		if err != nil {
			t.Fatal(err)
		}
		checkTwoCentres(t, parse(t, "a.csv", gb, "childcare", opt))
	})
	t.Run("XLSX", func(t *testing.T) {
		f := excelize.NewFile()
		for i, line := range strings.Split(strings.TrimSpace(chineseCSV), "\n") {
			for j, v := range strings.Split(line, ",") {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				_ = f.SetCellValue("Sheet1", cell, v)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		checkTwoCentres(t, parse(t, "a.xlsx", buf.Bytes(), "childcare", opt))
	})
	t.Run("GeoJSON", func(t *testing.T) {
		fc := `{"type":"FeatureCollection","features":[
		 {"type":"Feature","geometry":{"type":"Point","coordinates":[119.061,27.618]},"properties":{"id":"NEW001","name_zh":"松源新苗托育园","operator_type":"private_inclusive","inclusive":true,"filed":"是","slots_infant":10,"slots_toddler_small":15,"slots_toddler_large":20,"enrolled_infant":8,"enrolled_toddler_small":12,"enrolled_toddler_large":18,"monthly_fee_yuan":1800,"opened_on":"2024-03-01"}},
		 {"type":"Feature","geometry":{"type":"Point","coordinates":[119.09,27.6]},"properties":{"id":"NEW002","name_zh":"濛洲小太阳托育点","operator_type":"公办","inclusive":true,"filed":false,"slots_mixed":18,"enrolled_mixed":15,"opened_on":"2022-09-01"}}]}`
		checkTwoCentres(t, parse(t, "a.geojson", []byte(fc), "childcare", opt))
	})
	t.Run("long form, one row per class", func(t *testing.T) {
		long := "id,name_zh,operator_type,inclusive,filed,lon,lat,monthly_fee_yuan,opened_on,班型,核定托位数,实际收托数\n" +
			"NEW001,松源新苗托育园,private_inclusive,true,true,119.061,27.618,1800,2024-03-01,乳儿班,10,8\n" +
			"NEW001,松源新苗托育园,private_inclusive,true,true,119.061,27.618,1800,2024-03-01,托小班,15,12\n" +
			"NEW001,松源新苗托育园,private_inclusive,true,true,119.061,27.618,1800,2024-03-01,托大班,20,18\n" +
			"NEW002,濛洲小太阳托育点,public,true,false,119.09,27.60,900,2022-09-01,mixed,18,15\n"
		checkTwoCentres(t, parse(t, "a.csv", []byte(long), "childcare", opt))
	})
}

func TestGCJ02Coordinates(t *testing.T) {
	wgs := orb.Point{119.061, 27.618}
	g := geo.WGS84ToGCJ02(wgs)
	csv := "id,name_zh,venue_type,star,lon,lat\nR1,母婴室,mall,2," + fmtF(g[0]) + "," + fmtF(g[1]) + "\n"
	rec := parse(t, "r.csv", []byte(csv), "nursing_room", Options{GCJ02: true, County: outline})
	if len(rec.Problems) > 0 {
		t.Fatal(rec.Problems)
	}
	if d := geo.Distance(rec.Facilities[0].Point, wgs); d > 0.2 {
		t.Errorf("GCJ-02 input landed %.2f m from its WGS84 position", d)
	}
	plain := parse(t, "r.csv", []byte(csv), "nursing_room", Options{County: outline})
	if d := geo.Distance(plain.Facilities[0].Point, wgs); d < 100 {
		t.Errorf("without --gcj02 the offset should remain (%.1f m)", d)
	}
}

func fmtF(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestBadRows lists every class of bad row: each is reported with its line,
// its column and a reason, and all of them at once.
func TestBadRows(t *testing.T) {
	header := "id,name_zh,operator_type,inclusive,filed,lon,lat,slots_mixed,enrolled_mixed,opened_on\n"
	rows := []struct {
		line, want string
	}{
		{"B1,甲,public,true,true,east,27.6,10,5,", "not a number"},
		{"B2,乙,public,true,true,119.1,95,10,5,", "latitude 95"},
		{"B3,丙,public,true,true,121.5,31.2,10,5,", "outside the county"},
		{"B4,丁,public,true,true,119.1,27.6,10,5,", ""},
		{"B4,戊,public,true,true,119.1,27.6,10,5,", "already on line 5"},
		{"B6,己,public,true,true,119.1,27.6,10,12,", "above the 10 approved"},
		{"B7,庚,charity,true,true,119.1,27.6,10,5,", "not one of"},
		{"B8,辛,public,maybe,true,119.1,27.6,10,5,", "not yes or no"},
		{"B9,壬,public,true,true,119.1,27.6,-3,0,", "negative"},
		{"B10,癸,public,true,true,119.1,27.6,10,5,2023-02-30", "not a real day"},
		{",无名,public,true,true,119.1,27.6,10,5,", "is empty"},
	}
	var b strings.Builder
	b.WriteString(header)
	for _, r := range rows {
		b.WriteString(r.line + "\n")
	}
	rec := parse(t, "bad.csv", []byte(b.String()), "childcare", Options{Regions: regions, County: outline})
	for i, r := range rows {
		line := i + 2
		var got []string
		for _, p := range rec.Problems {
			if p.Line == line {
				got = append(got, p.String())
			}
		}
		switch {
		case r.want == "" && len(got) > 0:
			t.Errorf("line %d: unexpected %v", line, got)
		case r.want != "" && !strings.Contains(strings.Join(got, "|"), r.want):
			t.Errorf("line %d: problems %v, want one saying %q", line, got, r.want)
		}
	}

	long := "id,name_zh,operator_type,lon,lat,class,slots,enrolled\nL1,甲,public,119.1,27.6,big_class,10,5\nL1,甲,public,119.1,27.6,mixed,10,5\nL1,甲,public,119.1,27.6,mixed,10,5\n"
	lrec := parse(t, "long.csv", []byte(long), "childcare", Options{})
	text := ""
	for _, p := range lrec.Problems {
		text += p.String() + "|"
	}
	if !strings.Contains(text, `line 2, class: "big_class" is not one of infant, mixed, toddler_large, toddler_small`) ||
		!strings.Contains(text, "line 4, class: mixed of L1 is already on line 3") {
		t.Errorf("long form problems: %s", text)
	}

	pop := "区划代码,年份,常住人口,0-2岁,0-14岁,15-64岁,65岁及以上\n331126,2025,100,2,10,70,20\n999999,2025,100,2,10,70,20\n331126001,2025,100,20,10,70,20\n331126001001,2025,100,2,10,70,25\n"
	prec := parse(t, "pop.csv", []byte(pop), "population", Options{Regions: regions})
	text = ""
	for _, p := range prec.Problems {
		text += p.String() + "|"
	}
	for _, want := range []string{"line 3, code: no region has code 999999", "line 4, under_3", "line 5, total: the age bands add up to 105"} {
		if !strings.Contains(text, want) {
			t.Errorf("population problems %s lack %q", text, want)
		}
	}

	missing := parse(t, "m.csv", []byte("名称,经度\n甲,119\n"), "childcare", Options{})
	if len(missing.Problems) == 0 || !strings.Contains(missing.Problems[0].Reason, "the header has no id column") {
		t.Errorf("missing columns: %v", missing.Problems)
	}
}

func TestUnreadableFiles(t *testing.T) {
	for name, b := range map[string][]byte{
		"a.pdf":     []byte("%PDF"),
		"a.xlsx":    []byte("not a zip"),
		"a.geojson": []byte(`{"type":"Point"}`),
		"a.csv":     []byte("a,\"b\nc"),
	} {
		if _, err := ReadTable(name, b, Specs["childcare"]); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
}
