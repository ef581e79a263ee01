package imports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// workbook writes rows into sheet of a new workbook, cell by cell: a
// time.Time becomes a date cell, a float64 a number, a string text.
func workbook(t *testing.T, sheet string, rows [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	if sheet != "Sheet1" {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if edit != nil {
		edit(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func style(t *testing.T, f *excelize.File, sheet, from, to string, s *excelize.Style) {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, from, to, id); err != nil {
		t.Fatal(err)
	}
}

var excelHeader = []any{"机构编号", "机构名称", "举办性质", "是否普惠", "是否备案", "经度", "纬度", "托大班托位", "托大班在托", "开办日期"}

func centre(id string, opened any) []any {
	return []any{id, "托育园" + id, "公办", "是", "是", 119.061, 27.618, 20.0, 18.0, opened}
}

// readExcel parses b as childcare and returns the opened_on of each centre.
func readExcel(t *testing.T, b []byte, sheet string) []string {
	t.Helper()
	tab, err := ReadSheet("a.xlsx", b, Specs["childcare"], sheet)
	if err != nil {
		t.Fatal(err)
	}
	rec := Parse("childcare", tab, Options{Regions: regions, County: outline})
	if len(rec.Problems) > 0 {
		t.Fatalf("problems: %v", rec.Problems)
	}
	var out []string
	for _, f := range rec.Facilities {
		if f.Slots.ToddlerLarge != 20 || f.Enrolled.ToddlerLarge != 18 || f.Point[0] != 119.061 || f.OperatorType != "public" || !f.Inclusive {
			t.Errorf("%s read as %+v", f.ID, f)
		}
		out = append(out, string(f.OpenedOn))
	}
	return out
}

func TestExcelAsOfficesWriteIt(t *testing.T) {
	june := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	want := "2023-06-01"
	check := func(t *testing.T, got []string, n int) {
		t.Helper()
		if len(got) != n {
			t.Fatalf("%d centres, want %d", len(got), n)
		}
		for i, g := range got {
			if g != want {
				t.Errorf("centre %d opened_on %q, want %s", i+1, g, want)
			}
		}
	}
	t.Run("date cells in built-in formats", func(t *testing.T) {
		// 14 is what Excel sets when someone types 2023/6/1; 22 has a time;
		// 31 is 2023年6月1日; 57 is a Chinese year-month.
		formats := []int{14, 15, 16, 17, 22, 27, 30, 31, 36, 50, 57, 58}
		rows := [][]any{excelHeader}
		for i := range formats {
			rows = append(rows, centre(string(rune('A'+i)), june))
		}
		b := workbook(t, "Sheet1", rows, func(f *excelize.File) {
			for i, nf := range formats {
				cell, _ := excelize.CoordinatesToCellName(10, i+2)
				style(t, f, "Sheet1", cell, cell, &excelize.Style{NumFmt: nf})
			}
		})
		check(t, readExcel(t, b, ""), len(formats))
	})
	t.Run("date cells in custom formats and as serial numbers", func(t *testing.T) {
		customs := []string{"yyyy/m/d", "yyyy\"年\"m\"月\"d\"日\"", "yyyy.mm.dd", "dd/mm/yyyy", "[$-804]yyyy年m月d日", "m/d/yy"}
		rows := [][]any{excelHeader}
		for i := range customs {
			rows = append(rows, centre(string(rune('A'+i)), june))
		}
		serial, _ := excelize.CoordinatesToCellName(10, len(customs)+2)
		rows = append(rows, centre("S", 45078.0)) // 2023-06-01 as a plain number
		b := workbook(t, "Sheet1", rows, func(f *excelize.File) {
			for i, c := range customs {
				cell, _ := excelize.CoordinatesToCellName(10, i+2)
				style(t, f, "Sheet1", cell, cell, &excelize.Style{CustomNumFmt: &c})
			}
			style(t, f, "Sheet1", serial, serial, &excelize.Style{NumFmt: 0})
		})
		check(t, readExcel(t, b, ""), len(customs)+1)
	})
	t.Run("text dates, numbers as text, full-width digits", func(t *testing.T) {
		rows := [][]any{excelHeader}
		for i, d := range []string{"2023/6/1", "2023.6.1", "2023年6月1日", "2023-06-01", "２０２３年６月１日", "2023/06/01 00:00:00", "20230601", " 2023 年 6 月 1 日 "} {
			r := centre(string(rune('A'+i)), d)
			r[5], r[7], r[8] = "119.061", "20", "１８" // text cells holding numbers
			if i%2 == 1 {
				r[5], r[6], r[7] = "１１９．０６１", "２７．６１８", "２０"
			}
			rows = append(rows, r)
		}
		check(t, readExcel(t, workbook(t, "Sheet1", rows, nil), ""), 8)
	})
	t.Run("a title row merged above the header, trailing blank rows", func(t *testing.T) {
		rows := [][]any{{"庆元县托育机构名单（2025年12月）"}, {"填报单位：县卫生健康局"}, excelHeader,
			centre("A", june), centre("B", "2023/6/1"), {}, {"", "", ""}, {}}
		b := workbook(t, "Sheet1", rows, func(f *excelize.File) {
			if err := f.MergeCell("Sheet1", "A1", "J1"); err != nil {
				t.Fatal(err)
			}
			style(t, f, "Sheet1", "J4", "J4", &excelize.Style{NumFmt: 14})
			style(t, f, "Sheet1", "A6", "J30", &excelize.Style{Border: []excelize.Border{{Type: "left", Style: 1}}})
		})
		tab, err := ReadTable("a.xlsx", b, Specs["childcare"])
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Rows) != 2 || tab.Rows[0].Line != 4 || tab.Rows[1].Line != 5 {
			t.Fatalf("rows %+v: want lines 4 and 5 (the sheet's own row numbers)", tab.Rows)
		}
		check(t, readExcel(t, b, ""), 2)
	})
	t.Run("a header with merged groups over sub-headers", func(t *testing.T) {
		top := []any{"机构编号", "机构名称", "举办性质", "是否普惠", "是否备案", "经度", "纬度", "托大班", "", "开办日期"}
		sub := []any{"", "", "", "", "", "", "", "托位", "在托", ""}
		b := workbook(t, "Sheet1", [][]any{top, sub, centre("A", june)}, func(f *excelize.File) {
			for _, col := range []string{"A", "B", "C", "D", "E", "F", "G", "J"} {
				if err := f.MergeCell("Sheet1", col+"1", col+"2"); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.MergeCell("Sheet1", "H1", "I1"); err != nil {
				t.Fatal(err)
			}
			style(t, f, "Sheet1", "J3", "J3", &excelize.Style{NumFmt: 14})
		})
		check(t, readExcel(t, b, ""), 1)
	})
	t.Run("the sheet chosen by name", func(t *testing.T) {
		b := workbook(t, "托育机构", [][]any{excelHeader, centre("A", june)}, func(f *excelize.File) {
			_ = f.SetCellValue("Sheet1", "A1", "说明：本表由县卫生健康局填报")
			_ = f.SetCellValue("Sheet1", "A2", "机构编号")
			style(t, f, "托育机构", "J2", "J2", &excelize.Style{NumFmt: 14})
		})
		check(t, readExcel(t, b, "托育机构"), 1)
		check(t, readExcel(t, b, ""), 1) // the sheet whose header names the most columns
		_, err := ReadSheet("a.xlsx", b, Specs["childcare"], "托育")
		if err == nil || !strings.Contains(err.Error(), `no sheet "托育"; its sheets are Sheet1, 托育机构`) {
			t.Errorf("an unknown sheet: %v", err)
		}
	})
	t.Run("no header anywhere", func(t *testing.T) {
		_, err := ReadTable("a.xlsx", workbook(t, "Sheet1", [][]any{{"甲", "乙"}, {"1", "2"}}, nil), Specs["childcare"])
		if err == nil || !strings.Contains(err.Error(), "no header row") || !strings.Contains(err.Error(), "机构编号 (id)") {
			t.Errorf("no header: %v", err)
		}
	})
}
