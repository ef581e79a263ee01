package imports

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"shanyu/geo"
)

func problemText(rec *Records) string {
	var b strings.Builder
	for _, p := range rec.Problems {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

// TestRefusesGarbledText refuses, row by row, text that would be stored
// garbled: a GB18030 file with one name typed in UTF-8, U+FFFD, control
// characters and UTF-8 read as Latin-1; clean rows pass.
func TestRefusesGarbledText(t *testing.T) {
	header := "机构编号,机构名称,举办性质,经度,纬度,地址\n"
	clean := "C1,松源新苗托育园,公办,119.061,27.618,松源街道石龙街12号\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(header + clean))
	if err != nil {
		t.Fatal(err)
	}
	// One row typed in UTF-8 into a GB18030 file.
	file := append(gb, []byte("C2,濛洲街道托育点,公办,119.09,27.60,\n")...)
	latin, _ := charmap.ISO8859_1.NewDecoder().String("竹口托育园")
	file = append(file, []byte("C3,"+mustGB(t, "有\uFFFD字")+",公办,119.09,27.60,\nC4,"+mustGB(t, "好\x07名")+",公办,119.09,27.60,\n")...)
	rec := parse(t, "mixed.csv", file, "childcare", Options{})
	text := problemText(rec)
	for _, want := range []string{"line 3, name_zh:", "line 4, name_zh:", "U+FFFD", "line 5, name_zh:", "control character U+0007"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "line 2") {
		t.Errorf("the clean row was refused:\n%s", text)
	}
	// A whole UTF-8 file whose names went through Latin-1 once.
	rec = parse(t, "latin.csv", []byte(header+"C5,"+latin+",公办,119.09,27.60,\n"), "childcare", Options{})
	if text := problemText(rec); !strings.Contains(text, `line 2, name_zh:`) || !strings.Contains(text, `read as Latin-1 (it reads "竹口托育园")`) {
		t.Errorf("Latin-1 mojibake: %s", text)
	}
	// UTF-8 read as GB18030: named back.
	moj, _ := simplifiedchinese.GB18030.NewDecoder().String("濛洲街道石龙社区")
	if why := textProblem(moj); !strings.Contains(why, `read as GB18030 (it reads "濛洲街道石龙社区")`) {
		t.Errorf("GB18030 mojibake: %q", why)
	}
	for _, ok := range []string{"松源新苗托育园", "彩虹托育园（新建社区）", "Shilong Community", "周一至周五 7:30-17:30", "★★", "Café", "0578-6000001"} {
		if why := textProblem(ok); why != "" {
			t.Errorf("%q refused: %s", ok, why)
		}
	}
}

func mustGB(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\uFFFD", "?")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "\uFFFD") {
		return strings.Replace(string(b), "?", "\uFFFD", 1)
	}
	return string(b)
}

// TestFacilitiesBeforeRegions refuses a facility file while the database
// holds no regions, naming the order to follow.
func TestFacilitiesBeforeRegions(t *testing.T) {
	rec := parse(t, "a.csv", []byte(chineseCSV), "childcare", Options{Regions: map[string]string{}})
	if len(rec.Facilities) > 0 || !strings.Contains(problemText(rec), "import in this order — regions, then population") {
		t.Errorf("facilities before regions: %s", problemText(rec))
	}
}

// TestGCJ02Suspected refuses points that miss their declared villages the
// way GCJ-02 does, unless the coordinate system is stated; WGS84 points
// and stated files pass.
func TestGCJ02Suspected(t *testing.T) {
	// A row of 1 km villages; each room 300 m inside its village's east
	// edge, so the GCJ-02 shift here (about 480 m east, 350 m south) leaves it.
	villages := map[string]orb.MultiPolygon{}
	var truth []orb.Point
	var codes []string
	for i := 0; i < 6; i++ {
		x0 := 119.0 + float64(i)*0.01
		code := "33112600100" + string(rune('1'+i))
		villages[code] = orb.MultiPolygon{{{{x0, 27.6}, {x0 + 0.01, 27.6}, {x0 + 0.01, 27.61}, {x0, 27.61}, {x0, 27.6}}}}
		truth = append(truth, orb.Point{x0 + 0.007, 27.605})
		codes = append(codes, code)
	}
	file := func(pts []orb.Point) []byte {
		var b strings.Builder
		b.WriteString("编号,场所名称,场所类型,星级,经度,纬度,所属村（社区）代码\n")
		for i, p := range pts {
			b.WriteString("R" + string(rune('1'+i)) + ",母婴室,商场,二星," + fmtF(p[0]) + "," + fmtF(p[1]) + "," + codes[i] + "\n")
		}
		return []byte(b.String())
	}
	var shifted []orb.Point
	for _, p := range truth {
		shifted = append(shifted, geo.WGS84ToGCJ02(p))
	}
	rec := parse(t, "gcj.csv", file(shifted), "nursing_room", Options{Villages: villages})
	text := problemText(rec)
	if !strings.Contains(text, "read as GCJ-02") || !strings.Contains(text, "--gcj02") || !strings.Contains(text, "--wgs84") ||
		!strings.Contains(text, "line 2, lon/lat") {
		t.Errorf("GCJ-02 points taken as WGS84:\n%s", text)
	}
	for _, opt := range []Options{{Villages: villages, GCJ02: true}, {Villages: villages, WGS84: true}} {
		if rec := parse(t, "gcj.csv", file(shifted), "nursing_room", opt); len(rec.Problems) > 0 {
			t.Errorf("stated (gcj02=%v wgs84=%v): %s", opt.GCJ02, opt.WGS84, problemText(rec))
		}
	}
	if rec := parse(t, "wgs.csv", file(truth), "nursing_room", Options{Villages: villages}); len(rec.Problems) > 0 {
		t.Errorf("WGS84 points refused: %s", problemText(rec))
	}
	bad := strings.Replace(string(file(truth)), codes[0], "331126009009", 1)
	if rec := parse(t, "x.csv", []byte(bad), "nursing_room", Options{Villages: villages}); !strings.Contains(problemText(rec), "line 2, village_code: no village or community has code 331126009009") {
		t.Errorf("unknown village: %s", problemText(rec))
	}
}
