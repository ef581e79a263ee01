package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"shanyu/coverage"
	"shanyu/indicators"
	"shanyu/policy"
	"shanyu/snapshot"
)

// TargetRef is the policy target an indicator is measured against.
type TargetRef struct {
	ID        string   `json:"id"`
	Value     *float64 `json:"value,omitempty"`
	Unit      string   `json:"unit"`
	Direction string   `json:"direction"`
	Deadline  string   `json:"deadline,omitempty"`
	Clause    string   `json:"clause"`
}

// IndicatorInfo is a catalogue entry with its target and protection.
type IndicatorInfo struct {
	indicators.Indicator
	TargetRef *TargetRef `json:"policy_target,omitempty"`
	T         *float64   `json:"t,omitempty" doc:"Counts from 1 to T−1 are hidden in its table"`
	// Relations are the equations and inequalities between this table and
	// the others that the audit considered.
	Relations []indicators.Relation `json:"relations" doc:"Relations with other published figures that the disclosure audit considered"`
}

// IndicatorCatalogue is the answer of GET /api/v1/indicators.
type IndicatorCatalogue struct {
	Dataset    DatasetRef               `json:"dataset"`
	Method     string                   `json:"method"`
	T          float64                  `json:"t"`
	TSensitive float64                  `json:"t_sensitive"`
	Sentence   string                   `json:"sentence"`
	Suppressed string                   `json:"what_suppressed_means"`
	Audit      *indicators.AuditSummary `json:"audit,omitempty"`
	// Relations lists every relation the disclosure audit considered.
	Relations []indicators.Relation `json:"relations"`
	Items     []IndicatorInfo       `json:"items"`
}

const suppressedMeans = "A suppressed value is hidden so that no family can be recognised: either it is a small count (1 to T−1), " +
	"or it had to be hidden too so that a small count could not be worked out from the other figures. It is never zero by " +
	"implication, and shanyu does not say which of the two it is. 「已隐藏」表示该数值被隐藏以保护个人隐私。"

// IndicatorValues is one indicator's values.
type IndicatorValues struct {
	Dataset   DatasetRef         `json:"dataset"`
	Indicator IndicatorInfo      `json:"indicator"`
	Method    string             `json:"method"`
	T         float64            `json:"t"`
	Sentence  string             `json:"sentence"`
	AuditID   string             `json:"audit_id,omitempty"`
	Values    []indicators.Value `json:"values"`
}

// IndicatorInput selects an indicator's values.
type IndicatorInput struct {
	ID     string `path:"id" maxLength:"64" doc:"Indicator id from GET /api/v1/indicators; add .csv for CSV (births.csv)" example:"third_birth_share"`
	Level  string `query:"level" enum:"county,township,village" doc:"Only this level"`
	Region string `query:"region" maxLength:"12" doc:"Only this region's values"`
	Period string `query:"period" maxLength:"9" doc:"Only this year (2024) or block (2023-2025)"`
}

// Scorecard lines.
type ScoreItem struct {
	TargetID  string   `json:"target_id"`
	NameZh    string   `json:"name_zh"`
	NameEn    string   `json:"name_en"`
	Clause    string   `json:"clause"`
	Target    *float64 `json:"target,omitempty"`
	Unit      string   `json:"unit"`
	Direction string   `json:"direction"`
	Deadline  string   `json:"deadline,omitempty"`
	Series    []struct {
		Year  int     `json:"year"`
		Value float64 `json:"value"`
	} `json:"series"`
	policy.Assessment
	Note string `json:"note,omitempty"`
}

// ScorecardOutput is the answer of GET /api/v1/scorecard.
type ScorecardOutput struct {
	Body struct {
		Dataset DatasetRef  `json:"dataset"`
		Method  string      `json:"method"`
		Items   []ScoreItem `json:"items"`
	}
}

// benefitsOf returns the policy's benefit rules, or nil.
func benefitsOf(p *policy.Policy) *policy.Benefits {
	if p == nil {
		return nil
	}
	return p.Benefits
}

func info(ind indicators.Indicator, pub *indicators.Publication, p *policy.Policy) IndicatorInfo {
	b := benefitsOf(p)
	out := IndicatorInfo{Indicator: ind.In(b), Relations: []indicators.Relation{}}
	for _, r := range indicators.RelationsOf(ind.ID) {
		out.Relations = append(out.Relations, r.In(b))
	}
	if t, ok := p.Target(ind.Target); ok {
		out.TargetRef = &TargetRef{ID: t.ID, Value: t.Value, Unit: t.Unit, Direction: t.Direction, Deadline: t.Deadline, Clause: t.Clause}
	}
	if pub != nil {
		if tb, ok := pub.Tables[ind.ID]; ok {
			out.T = &tb.T
		}
	}
	return out
}

func (s *Server) registerIndicators(api huma.API) {
	tags := []string{"Indicators"}
	huma.Register(api, huma.Operation{OperationID: "list-indicators", Method: http.MethodGet, Path: "/api/v1/indicators",
		Summary: "The indicator catalogue", Tags: tags,
		Description: "Every outcome indicator shanyu publishes: definition, levels, periods, the policy target and clause, " +
			"how the tables are protected (what each hides and why, the relations between figures the audit considered) " +
			"and what the protection cost: figures hidden and their share of the total, against the release it replaces."},
		func(ctx context.Context, _ *struct{}) (*struct{ Body IndicatorCatalogue }, error) {
			snap := pinned(ctx)
			if snap == nil {
				return nil, errNoSnapshot
			}
			pub := snap.Published()
			out := &struct{ Body IndicatorCatalogue }{}
			c := &out.Body
			c.Dataset, c.Suppressed, c.Items, c.Relations = datasetRef(snap), suppressedMeans, []IndicatorInfo{}, indicators.Relations
			if pub != nil {
				c.Method, c.T, c.TSensitive, c.Sentence, c.Audit = pub.Method, pub.T, pub.TSensitive, indicators.Sentence(pub.T), &pub.Audit
			}
			for _, ind := range indicators.Catalogue {
				c.Items = append(c.Items, info(ind, pub, snap.Policy()))
			}
			return out, nil
		})

	jsonSchema := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(IndicatorValues{}), true, "")
	huma.Register(api, huma.Operation{OperationID: "get-indicator", Method: http.MethodGet, Path: "/api/v1/indicators/{id}",
		Summary: "An indicator's published values (JSON, or CSV with .csv)", Tags: tags,
		Description: "Values by region, period and breakdown: a number, or null with status suppressed; flags unreliable " +
			"(fewer than 20 events) and topcoded. Each table states its method, T and a sentence for readers.",
		Responses: map[string]*huma.Response{"200": {Description: "the values", Content: map[string]*huma.MediaType{
			"application/json":        {Schema: jsonSchema},
			"text/csv; charset=utf-8": {Schema: &huma.Schema{Type: "string"}},
		}}}},
		s.getIndicator)

	huma.Register(api, huma.Operation{OperationID: "get-scorecard", Method: http.MethodGet, Path: "/api/v1/scorecard",
		Summary: "Every target of the policy, where the county stands", Tags: tags,
		Description: "Each target with its latest value, the target, deadline and clause, and a status — met, on_track, " +
			"off_track or not_measurable — computed from the data's trend, never set by hand."},
		s.scorecard)
}

func (s *Server) getIndicator(ctx context.Context, in *IndicatorInput) (*FileOutput, error) {
	snap := pinned(ctx)
	if snap == nil {
		return nil, errNoSnapshot
	}
	id, asCSV := strings.CutSuffix(in.ID, ".csv")
	ind, ok := indicators.ByID(id)
	if !ok {
		return nil, huma.Error404NotFound(fmt.Sprintf("no indicator has id %q; list them with GET /api/v1/indicators", id))
	}
	out := IndicatorValues{Dataset: datasetRef(snap), Indicator: info(ind, snap.Published(), snap.Policy()), Values: []indicators.Value{}}
	if tb, ok := snap.PublishedTable(id); ok {
		out.Method, out.T, out.Sentence, out.AuditID, out.Values = tb.Method, tb.T, tb.Sentence, snap.Published().Audit.ID, tb.Values
	} else if vals := coverageIndicator(snap, id); vals != nil {
		out.Method, out.Sentence, out.Values = "computed from the facilities and the population (public data; no suppression needed)",
			"These figures come from public registers, not from personal records.", vals
	} else {
		return nil, huma.Error404NotFound(fmt.Sprintf("indicator %q is not published in this dataset", id))
	}
	var filtered []indicators.Value
	for _, v := range out.Values {
		if (in.Level == "" || v.Level == in.Level) && (in.Region == "" || v.Region == in.Region) && (in.Period == "" || v.Period == in.Period) {
			filtered = append(filtered, v)
		}
	}
	out.Values = filtered
	if out.Values == nil {
		out.Values = []indicators.Value{}
	}
	if in.Region != "" {
		if _, err := snap.Region(in.Region); err != nil {
			return nil, huma.Error422UnprocessableEntity("validation failed", &huma.ErrorDetail{Location: "query.region",
				Value: in.Region, Message: fmt.Sprintf("no region has code %q; list them with GET /api/v1/regions", in.Region)})
		}
	}
	if asCSV {
		return &FileOutput{ContentType: "text/csv; charset=utf-8", Body: indicatorCSV(out.Values),
			ContentDisposition: attachment(snap, "indicator-"+id, "csv")}, nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	return &FileOutput{ContentType: "application/json", Body: b}, nil
}

// coverageIndicator serves the two indicators computed from public
// registers (slots and paediatricians per 1,000) from the coverage series.
func coverageIndicator(snap *snapshot.Snapshot, id string) []indicators.Value {
	if id != "childcare_slots_per_1000" && id != "paediatricians_per_1000_children" {
		return nil
	}
	whole, err := snap.Region(snap.Meta.CountyCode)
	if err != nil {
		return nil
	}
	series := coverage.Series(snap, whole)
	var out []indicators.Value
	for _, c := range series {
		v := c.SlotsPer1000
		if id == "paediatricians_per_1000_children" {
			if !c.StaffingKnown {
				continue
			}
			v = c.PaediatriciansPer1000Children
		}
		val := indicators.Value{Region: c.Region.Code, Level: string(c.Region.Level), Period: strconv.Itoa(c.Year), Status: "published"}
		if x := finite(v, 3); x != nil {
			val.Value = x
		}
		out = append(out, val)
	}
	return out
}

var indicatorColumns = []string{"region", "level", "period", "breakdown", "value", "status", "unreliable", "topcoded", "numerator", "denominator"}

func indicatorCSV(values []indicators.Value) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	_ = w.Write(indicatorColumns)
	f := formatPtr
	for _, v := range values {
		_ = w.Write([]string{v.Region, v.Level, v.Period, v.Breakdown, f(v.Value), v.Status, strconv.FormatBool(v.Unreliable),
			strconv.FormatBool(v.Topcoded), f(v.Numerator), f(v.Denominator)})
	}
	w.Flush()
	return buf.Bytes()
}

func (s *Server) scorecard(ctx context.Context, _ *struct{}) (*ScorecardOutput, error) {
	snap := pinned(ctx)
	if snap == nil {
		return nil, errNoSnapshot
	}
	if snap.Policy() == nil {
		return nil, huma.Error409Conflict("this dataset carries no policy, so it has no targets to assess: its office imports one with `shanyu import --kind policy policy.json`")
	}
	out := &ScorecardOutput{}
	out.Body.Dataset = datasetRef(snap)
	out.Body.Method = "Status from the data: met when the latest value reaches the target; on_track when the least-squares " +
		"trend reaches it by the deadline (for direction-only goals: when it rises); off_track otherwise; not_measurable " +
		"when the policy sets no number or the data hold none. Outcome values are the published, protected county figures."
	for _, l := range coverage.Scorecard(snap) {
		it := ScoreItem{TargetID: l.Target.ID, NameZh: l.Target.NameZh, NameEn: l.Target.NameEn, Clause: l.Target.Clause,
			Target: l.Target.Value, Unit: l.Target.Unit, Direction: l.Target.Direction, Deadline: l.Target.Deadline,
			Assessment: l.Assessment, Note: l.Note}
		for _, p := range l.Series {
			it.Series = append(it.Series, struct {
				Year  int     `json:"year"`
				Value float64 `json:"value"`
			}{p.Year, math.Round(p.Value*1000) / 1000})
		}
		if it.Latest != nil {
			it.Latest = finite(*it.Latest, 3)
		}
		if it.Slope != nil {
			it.Slope = finite(*it.Slope, 4)
		}
		if it.Projected != nil {
			it.Projected = finite(*it.Projected, 3)
		}
		out.Body.Items = append(out.Body.Items, it)
	}
	return out, nil
}
