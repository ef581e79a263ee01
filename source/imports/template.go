package imports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"shanyu/source/table"
)

// Template formats.
const (
	FormatXLSX    = "xlsx"
	FormatCSV     = "csv"
	FormatGeoJSON = "geojson"
)

// templateRows is how many rows of the data sheet carry drop-down lists
// and date formats.
const templateRows = 2000

// TemplateFields lists the columns a template of kind has: the bundle's
// and the optional declared village, not the long form's.
func TemplateFields(kind *table.Kind) []table.Field {
	var out []table.Field
	for _, f := range kind.Fields {
		if !f.LongForm {
			out = append(out, f)
		}
	}
	return out
}

// TemplateHeader is a field's header in a template: the Chinese name with
// the English one in brackets, 机构编号(id). Imports read it as either.
func TemplateHeader(f table.Field) string { return f.Zh + "(" + f.Name + ")" }

// Template writes an empty file of kind for a county office to fill in:
// a header in Chinese and English; in a workbook, also a sheet that explains
// each column with an example, drop-down lists for the enumerations and
// yes/no columns, and date cells for the dates. Regions come with their
// boundaries, so their template is GeoJSON (one example feature), or a
// table of the properties to give each feature.
func Template(kind *table.Kind, format string) ([]byte, error) {
	switch format {
	case FormatCSV:
		var buf bytes.Buffer
		buf.WriteString("\uFEFF") // Excel opens UTF-8 CSV right only with a byte-order mark
		w := csv.NewWriter(&buf)
		var header []string
		for _, f := range TemplateFields(kind) {
			header = append(header, TemplateHeader(f))
		}
		_ = w.Write(header)
		w.Flush()
		return buf.Bytes(), w.Error()
	case FormatXLSX:
		return templateXLSX(kind)
	case FormatGeoJSON:
		if kind.Name != table.Regions {
			return nil, fmt.Errorf("a GeoJSON template is for regions; %s comes as xlsx or csv", kind.Name)
		}
		props := map[string]any{}
		for _, f := range TemplateFields(kind) {
			props[f.Name] = f.Example
			if f.Type == table.Bool {
				props[f.Name] = false
			}
		}
		fc := map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{
			"type": "Feature", "properties": props,
			"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{119.0, 27.6}, {119.01, 27.6}, {119.01, 27.61}, {119.0, 27.61}, {119.0, 27.6}}}},
		}}}
		return json.MarshalIndent(fc, "", "  ")
	}
	return nil, fmt.Errorf("--format must be xlsx, csv or geojson, not %q", format)
}

func templateXLSX(kind *table.Kind) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	data := kind.Zh
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	notes := "说明 Notes"
	if _, err := f.NewSheet(notes); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // @: codes keep their leading zeros
	if err != nil {
		return nil, err
	}
	fields := TemplateFields(kind)
	for i, fd := range fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetCellValue(data, col+"1", TemplateHeader(fd)); err != nil {
			return nil, err
		}
		_ = f.SetColWidth(data, col, col, float64(max(12, len([]rune(TemplateHeader(fd)))*2)))
		rng := fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
		switch fd.Type {
		case table.Date:
			_ = f.SetCellStyle(data, col+"2", fmt.Sprintf("%s%d", col, templateRows+1), dateStyle)
		case table.Text:
			_ = f.SetCellStyle(data, col+"2", fmt.Sprintf("%s%d", col, templateRows+1), textStyle)
		}
		var list []string
		switch fd.Type {
		case table.Enum:
			for _, c := range fd.Choices {
				list = append(list, c.Zh)
			}
		case table.Bool:
			list = []string{"是", "否"}
		}
		if list != nil {
			dv := excelize.NewDataValidation(!fd.Required)
			dv.Sqref = rng
			if err := dv.SetDropList(list); err != nil {
				return nil, fmt.Errorf("%s: %w", fd.Name, err)
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, fd.Zh, "请从下拉列表中选择 Choose from the list: "+strings.Join(list, "、"))
			if err := f.AddDataValidation(data, dv); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetCellStyle(data, "A1", fmt.Sprintf("%s1", mustCol(len(fields))), bold); err != nil {
		return nil, err
	}
	_ = f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	// The notes: what the file is, the order of imports, then each column.
	intro := [][]any{
		{kind.Zh + "（" + kind.Name + "）导入模板 · import template"},
		{"填写第一个工作表，每行一条记录；表头不要改。Fill in the first sheet, one record a row; keep the header."},
		{"导入顺序 Order: regions → population → childcare, nursing_room, paediatricians。命令 Command: shanyu import --kind " + kind.Name + " FILE.xlsx"},
		{"坐标为WGS84（GPS）；高德、微信坐标为GCJ-02，导入时加 --gcj02。Coordinates are WGS84; for Amap or WeChat (GCJ-02) add --gcj02."},
		{},
		{"表头 Header", "字段 Field", "类型 Type", "必填 Required", "说明", "Description", "示例 Example", "可选值 Allowed values"},
	}
	for _, fd := range fields {
		req := "否 no"
		if fd.Required {
			req = "是 yes"
		}
		var allowed []string
		for _, c := range fd.Choices {
			allowed = append(allowed, c.Zh+" "+c.Value)
		}
		if fd.Type == table.Bool {
			allowed = []string{"是 / 否", "true / false"}
		}
		intro = append(intro, []any{TemplateHeader(fd), fd.Name, string(fd.Type), req, fd.DocZh, fd.Doc, fd.Example, strings.Join(allowed, "；")})
	}
	for i, row := range intro {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue(notes, cell, v); err != nil {
				return nil, err
			}
		}
	}
	_ = f.SetCellStyle(notes, "A6", "H6", bold)
	_ = f.SetColWidth(notes, "A", "A", 28)
	_ = f.SetColWidth(notes, "E", "F", 48)
	_ = f.SetColWidth(notes, "G", "H", 30)
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func mustCol(n int) string {
	c, _ := excelize.ColumnNumberToName(n)
	return c
}
