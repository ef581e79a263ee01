package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"shanyu/county"
	"shanyu/coverage"
	"shanyu/geo"
	"shanyu/policy"
	"shanyu/snapshot"
	"shanyu/web"
)

// CoverageInput is the query of the coverage endpoints.
type CoverageInput struct {
	Level Level `query:"level" default:"township" doc:"Regions of this level"`
	AsOf  Day   `query:"as_of" doc:"The day to measure (YYYY-MM-DD): facilities open that day, population of that year. Default: the dataset's reference date, or today when the dataset has none." example:"2025-12-31"`

	day county.Date
}

// measureDay is the day a coverage question is about: the one asked, else
// the dataset's reference date, else (for data not yet described) today.
func measureDay(ctx context.Context, asOf Day) county.Date {
	if snap := pinned(ctx); snap != nil && snap.Meta.ReferenceDate != "" {
		return asOf.Or(snap.Meta.ReferenceDate)
	}
	return asOf.Or(county.Today())
}

// Resolve implements huma.Resolver.
func (in *CoverageInput) Resolve(ctx huma.Context) []error {
	in.day = measureDay(ctx.Context(), in.AsOf)
	return checkDay(ctx.Context(), "query.as_of", in.AsOf.D)
}

// NursingRooms counts mother-and-baby rooms by star.
type NursingRooms struct {
	Total     int `json:"total"`
	OneStar   int `json:"one_star"`
	TwoStar   int `json:"two_star"`
	ThreeStar int `json:"three_star"`
}

// NursingRoomRates are mother-and-baby rooms per 10,000 residents.
type NursingRoomRates struct {
	Total     *float64 `json:"total"`
	OneStar   *float64 `json:"one_star"`
	TwoStar   *float64 `json:"two_star"`
	ThreeStar *float64 `json:"three_star"`
}

// CoverageItem is one region measured against the policy. The headline
// figures come first; README.md's "Coverage" section gives each formula.
type CoverageItem struct {
	Code                    string   `json:"code"`
	NameZh                  string   `json:"name_zh"`
	Population              int      `json:"population" doc:"Residents in population_year"`
	ChildrenUnder3          int      `json:"children_under_3"`
	Slots                   int      `json:"slots" doc:"Approved slots (核定托位数) of childcare centres open on as_of"`
	SlotsPer1000            *float64 `json:"slots_per_1000" doc:"slots × 1,000 / population; null with no residents"`
	TargetPer1000           float64  `json:"target_per_1000" doc:"The policy's childcare slot target per 1,000 residents for this region (its newly-built-community target where it has one); see /api/v1/policy"`
	GapSlots                int      `json:"gap_slots" doc:"Slots short of the target: max(0, needed_slots − slots)"`
	Met                     bool     `json:"met"`
	ConstructionSubsidyYuan float64  `json:"construction_subsidy_yuan" doc:"gap_slots × the policy's one-off construction subsidy per new inclusive slot"`

	Level                       string             `json:"level"`
	ParentCode                  string             `json:"parent_code,omitempty"`
	NewCommunity                bool               `json:"new_community"`
	AsOf                        string             `json:"as_of"`
	PopulationYear              int                `json:"population_year"`
	Children0to14               int                `json:"children_0_14"`
	Centres                     int                `json:"centres" doc:"Childcare centres open on as_of"`
	SlotsInclusive              int                `json:"slots_inclusive" doc:"Approved slots in inclusive (普惠) centres"`
	SlotsOther                  int                `json:"slots_not_inclusive"`
	SlotsByClass                county.ClassCounts `json:"slots_by_class"`
	Enrolled                    county.ClassCounts `json:"enrolled_by_class"`
	TargetID                    string             `json:"target_id"`
	TargetClause                string             `json:"target_clause"`
	TargetDeadline              string             `json:"target_deadline,omitempty"`
	NeededSlots                 int                `json:"needed_slots" doc:"⌈target_per_1000 × population / 1,000⌉"`
	SurplusSlots                int                `json:"surplus_slots" doc:"Slots above the target: max(0, slots − needed_slots)"`
	GapSlotsInParts             *int               `json:"gap_slots_in_parts,omitempty" doc:"County and townships: the sum of the gaps of the regions directly inside, since a surplus in one seats no child in another"`
	OperatingSubsidyYuanPerYear float64            `json:"operating_subsidy_yuan_per_year" doc:"Yearly operating subsidy for the gap slots once filled: gap_slots × enrolment rate × the policy's class-weighted monthly rate × 12"`
	CostedWithMixOf             string             `json:"costed_with_mix_of" enum:"region,county" doc:"Whose class mix and enrolment rate priced the operating subsidy: the region's, or the county's where the region has no slots"`
	Paediatricians              *int               `json:"paediatricians" doc:"Licensed (assistant) paediatric physicians in the region's hospitals and health centres; null before the reference year (only current staffing is known)"`
	PaediatriciansPer1000       *float64           `json:"paediatricians_per_1000_children" doc:"Per 1,000 residents aged 0–14, against the policy's paediatrician target"`
	PaediatricianTargetPer1000  *float64           `json:"paediatrician_target_per_1000,omitempty" doc:"The policy's paediatricians per 1,000 children; absent when it sets none"`
	NursingRooms                NursingRooms       `json:"nursing_rooms" doc:"Mother-and-baby rooms open on as_of, by star"`
	NursingRoomsPer10000        NursingRoomRates   `json:"nursing_rooms_per_10000"`
}

func finite(v float64, decimals int) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	p := math.Pow(10, float64(decimals))
	v = math.Round(v*p) / p
	return &v
}

func coverageItem(p *policy.Policy, c coverage.Coverage) CoverageItem {
	pt, _ := p.Target(policy.PaediatriciansPer1000)
	it := CoverageItem{Code: c.Region.Code, NameZh: c.Region.NameZh, Population: c.Population, ChildrenUnder3: c.Under3,
		Slots: c.Slots.Total(), SlotsPer1000: finite(c.SlotsPer1000, 3), TargetPer1000: p.SlotsPer1000(c.Region.NewCommunity),
		GapSlots: c.GapSlots, Met: c.Met, ConstructionSubsidyYuan: c.ConstructionSubsidyYuan,
		Level: string(c.Region.Level), ParentCode: c.Region.ParentCode, NewCommunity: c.Region.NewCommunity,
		AsOf: string(c.AsOf), PopulationYear: c.Year, Children0to14: c.Age0to14, Centres: c.Centres,
		SlotsInclusive: c.SlotsInclusive, SlotsOther: c.Slots.Total() - c.SlotsInclusive, SlotsByClass: c.Slots,
		Enrolled: c.Enrolled, TargetID: c.Target.ID, TargetClause: c.Target.Clause, TargetDeadline: c.Target.Deadline,
		NeededSlots: c.Needed, SurplusSlots: c.SurplusSlots, GapSlotsInParts: c.GapSlotsInParts,
		OperatingSubsidyYuanPerYear: math.Round(c.OperatingSubsidyYuanPerYear), CostedWithMixOf: c.MixFrom,
		PaediatricianTargetPer1000: pt.Value,
		NursingRooms:               NursingRooms{Total: c.Rooms[0] + c.Rooms[1] + c.Rooms[2], OneStar: c.Rooms[0], TwoStar: c.Rooms[1], ThreeStar: c.Rooms[2]},
		NursingRoomsPer10000: NursingRoomRates{Total: finite(c.RoomsPer10000, 3), OneStar: finite(c.RoomsPer10000ByStar[0], 3),
			TwoStar: finite(c.RoomsPer10000ByStar[1], 3), ThreeStar: finite(c.RoomsPer10000ByStar[2], 3)},
	}
	if c.StaffingKnown {
		it.Paediatricians = ptr(c.Paediatricians)
		it.PaediatriciansPer1000 = finite(c.PaediatriciansPer1000Children, 3)
	}
	return it
}

// CoverageReport is the answer of GET /api/v1/coverage.
type CoverageReport struct {
	Dataset        DatasetRef     `json:"dataset"`
	Level          string         `json:"level"`
	AsOf           string         `json:"as_of"`
	PopulationYear int            `json:"population_year"`
	Items          []CoverageItem `json:"items"`
}

// CoverageOutput wraps CoverageReport.
type CoverageOutput struct {
	Body CoverageReport
}

// SeriesInput names the region of a time series.
type SeriesInput struct {
	Region RegionCode `query:"region" required:"true" doc:"Region code of any level" example:"331126"`

	region *county.Region
}

// Resolve implements huma.Resolver.
func (in *SeriesInput) Resolve(ctx huma.Context) []error {
	if snap := pinned(ctx.Context()); snap != nil {
		r, err := lookupRegion(snap, "query.region", in.Region)
		if err != nil {
			return []error{err}
		}
		in.region = r
	}
	return nil
}

// TargetStatus is one target's status, computed from the series.
type TargetStatus struct {
	TargetID string  `json:"target_id"`
	NameEn   string  `json:"name_en"`
	NameZh   string  `json:"name_zh"`
	Clause   string  `json:"clause"`
	Target   float64 `json:"target"`
	Unit     string  `json:"unit"`
	Deadline string  `json:"deadline,omitempty"`
	policy.Assessment
}

// SeriesOutput is the answer of GET /api/v1/coverage/series.
type SeriesOutput struct {
	Body struct {
		Dataset DatasetRef     `json:"dataset"`
		Region  RegionRef      `json:"region"`
		Years   []CoverageItem `json:"years" doc:"One item per year: facilities open at year end (the reference date in its own year), population of that year"`
		Status  []TargetStatus `json:"status" doc:"Each target that applies to the region, with its status from the trend"`
	}
}

// AccessInput is the query of the accessibility endpoint.
type AccessInput struct {
	Level     Level   `query:"level" default:"village" doc:"Regions of this level (townships and the county add up their villages)"`
	AsOf      Day     `query:"as_of" doc:"Day to measure (YYYY-MM-DD); default the dataset's reference date"`
	Catchment float64 `query:"catchment" minimum:"50" maximum:"5000" default:"1000" doc:"Catchment in great-circle metres: 1,000 m is a walk of about 15 minutes; at most 5,000 m, which bounds the cost of the answer"`

	day county.Date
}

// Resolve implements huma.Resolver.
func (in *AccessInput) Resolve(ctx huma.Context) []error {
	in.day = measureDay(ctx.Context(), in.AsOf)
	return append(checkDay(ctx.Context(), "query.as_of", in.AsOf.D), checkCatchment(in.Catchment)...)
}

// checkCatchment refuses NaN and infinite catchments, which the schema's
// minimum and maximum let through.
func checkCatchment(v float64) []error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []error{&huma.ErrorDetail{Location: "query.catchment", Value: fmt.Sprint(v),
			Message: "catchment must be a finite number of metres, such as 1000"}}
	}
	return nil
}

// AccessItem is one region's accessibility.
type AccessItem struct {
	Code           string   `json:"code"`
	NameZh         string   `json:"name_zh"`
	Level          string   `json:"level"`
	ParentCode     string   `json:"parent_code,omitempty"`
	ChildrenUnder3 float64  `json:"children_under_3"`
	ShareWithin    *float64 `json:"share_within_catchment" doc:"Share (0–1) of children under 3 living within the catchment of an open centre with slots"`
	SFCA           *float64 `json:"sfca_slots_per_child" doc:"Two-step floating catchment score: reachable approved slots per child under 3"`
	E2SFCA         *float64 `json:"e2sfca_slots_per_child" doc:"The same with a Gaussian distance decay (enhanced 2SFCA)"`
	NeededSlots    float64  `json:"needed_slots" doc:"Slots the policy target asks for the residents"`
	ReachableSlots float64  `json:"reachable_slots" doc:"Slots the children can reach (2SFCA): Σ score × children"`
	UnmetSlots     float64  `json:"unmet_slots" doc:"Unmet demand: the part of the need no reachable slot meets, Σ max(0, need − score × children) over the demand grid"`
}

// AccessOutput is the answer of GET /api/v1/coverage/accessibility.
type AccessOutput struct {
	Body struct {
		Dataset   DatasetRef   `json:"dataset"`
		AsOf      string       `json:"as_of"`
		Catchment float64      `json:"catchment_m"`
		Method    string       `json:"method"`
		Items     []AccessItem `json:"items"`
	}
}

// SuggestInput is the query of the placement endpoint.
type SuggestInput struct {
	Level      SiteLevel `query:"level" default:"village" doc:"Candidate sites: one point inside each village (default) or township"`
	Slots      int       `query:"slots" required:"true" minimum:"1" maximum:"20000" doc:"New slots to place in all" example:"120"`
	CentreSize int       `query:"centre_size" minimum:"1" maximum:"500" default:"40" doc:"Slots per new centre (the last takes the remainder)"`
	Catchment  float64   `query:"catchment" minimum:"50" maximum:"5000" default:"1000" doc:"Metres a new centre serves; at most 5,000 m, which bounds the cost of the answer"`
	AsOf       Day       `query:"as_of" doc:"Day to measure (YYYY-MM-DD); default the dataset's reference date"`

	day county.Date
}

// Resolve implements huma.Resolver.
func (in *SuggestInput) Resolve(ctx huma.Context) []error {
	var errs []error
	in.day = measureDay(ctx.Context(), in.AsOf)
	if in.CentreSize > 0 && (in.Slots+in.CentreSize-1)/in.CentreSize > 500 {
		errs = append(errs, &huma.ErrorDetail{Location: "query.centre_size", Value: in.CentreSize,
			Message: fmt.Sprintf("%d slots in centres of %d would make more than 500 centres; ask for fewer slots or larger centres", in.Slots, in.CentreSize)})
	}
	errs = append(errs, checkCatchment(in.Catchment)...)
	return append(errs, checkDay(ctx.Context(), "query.as_of", in.AsOf.D)...)
}

// SuggestionItem is one proposed centre.
type SuggestionItem struct {
	Rank                        int     `json:"rank"`
	Code                        string  `json:"code" doc:"The candidate's region"`
	NameZh                      string  `json:"name_zh"`
	TownshipCode                string  `json:"township_code"`
	TownshipNameZh              string  `json:"township_name_zh"`
	Lon                         float64 `json:"lon"`
	Lat                         float64 `json:"lat"`
	Slots                       int     `json:"slots"`
	CoveredDemandSlots          float64 `json:"covered_demand_slots" doc:"Unmet demand (slots) within the catchment that this centre would serve"`
	TownshipGapBefore           int     `json:"township_gap_before" doc:"The township's gap against the policy's slot target before this centre (and after those ranked above)"`
	TownshipGapAfter            int     `json:"township_gap_after"`
	TownshipMetAfter            bool    `json:"township_met_after"`
	ConstructionSubsidyYuan     float64 `json:"construction_subsidy_yuan" doc:"slots × the policy's construction subsidy per slot"`
	OperatingSubsidyYuanPerYear float64 `json:"operating_subsidy_yuan_per_year" doc:"Once filled, at the county's class mix and enrolment rate and the policy's monthly rates"`
}

// SuggestOutput is the answer of GET /api/v1/coverage/suggestions.
type SuggestOutput struct {
	Body struct {
		Dataset DatasetRef       `json:"dataset"`
		AsOf    string           `json:"as_of"`
		Method  string           `json:"method"`
		Total   SuggestTotals    `json:"total"`
		Items   []SuggestionItem `json:"items"`
	}
}

// SuggestTotals sums the suggestions.
type SuggestTotals struct {
	Centres                     int     `json:"centres"`
	Slots                       int     `json:"slots"`
	CoveredDemandSlots          float64 `json:"covered_demand_slots"`
	UnmetBeforeSlots            float64 `json:"unmet_demand_before_slots" doc:"County unmet demand before the new centres"`
	ConstructionSubsidyYuan     float64 `json:"construction_subsidy_yuan"`
	OperatingSubsidyYuanPerYear float64 `json:"operating_subsidy_yuan_per_year"`
}

// PolicyOutput is the answer of GET /api/v1/policy: the dataset's policy
// file as it was imported.
type PolicyOutput struct {
	Body *policy.Policy
}

// defaultDay is the day a question without a date is about: the dataset's
// reference date, or today in China while it has none.
func defaultDay(snap *snapshot.Snapshot) county.Date {
	if snap.Meta.ReferenceDate != "" {
		return snap.Meta.ReferenceDate
	}
	return county.Today()
}

// needPolicy answers 409 for a question about targets when the dataset
// carries no policy, or one without a childcare slot target, rather than
// measure against another county's numbers.
func needPolicy(snap *snapshot.Snapshot) error {
	if snap.Policy() == nil {
		return huma.Error409Conflict("this dataset carries no policy, so there are no targets to measure against: " +
			"its office imports one with `shanyu import --kind policy policy.json` (see docs/load-your-county.md)")
	}
	if !snap.Policy().HasSlotTarget() {
		return huma.Error409Conflict("the dataset's policy sets no childcare slot target (" + policy.ChildcareSlotsPer1000 +
			"), so coverage cannot be measured")
	}
	return nil
}

const accessMethod = "Children under 3 of each village are spread evenly over a 200 m grid inside it. " +
	"Two-step floating catchment (Luo & Wang 2003): R_j = slots_j / Σ children within the catchment of centre j; " +
	"score_k = Σ R_j over centres within the catchment of point k. E2SFCA weighs both sums with a Gaussian decay " +
	"G(d) = (exp(-½(d/d0)²) − exp(-½)) / (1 − exp(-½)) (Dai 2010). Need = residents × target / 1,000."

const suggestMethod = "Greedy capacitated maximal covering: each new centre goes to the candidate whose catchment " +
	"holds the most unmet demand (2SFCA), serves up to its slots of it, and the next centre sees what is left. " +
	"Existing centres stay as they are."

// heavyNote tells clients of a heavy operation how its cost is bounded.
const heavyNote = " Computed once per dataset version and parameters, then served from a bounded cache. " +
	"A few such answers are computed at once: when they are all busy the answer is 503 with Retry-After; " +
	"the parameter maxima keep the worst request to about 200 ms on two cores."

func (s *Server) registerCoverage(api huma.API) {
	tags := []string{"Coverage"}
	huma.Register(api, huma.Operation{OperationID: "get-policy", Method: http.MethodGet, Path: "/api/v1/policy",
		Summary: "The policy's targets and money rules", Tags: []string{"Policy"},
		Description: "The county's policy as its dataset carries it: the document's title and date, its clauses, every " +
			"target with its deadline and every money rule with its eligibility window, each with its clause and unit. " +
			"404 when the dataset carries no policy."},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, _ *struct{}) (*PolicyOutput, error) {
			if snap.Policy() == nil {
				return nil, huma.Error404NotFound("this dataset carries no policy: its office imports one with " +
					"`shanyu import --kind policy policy.json`; nothing is measured against any target until then")
			}
			return &PolicyOutput{Body: snap.Policy()}, nil
		}))
	huma.Register(api, huma.Operation{OperationID: "get-coverage", Method: http.MethodGet, Path: "/api/v1/coverage",
		Summary: "Coverage against the per-thousand targets", Tags: tags,
		Description: "Per region: childcare slots open on as_of against the policy's slots per 1,000 residents (its newly built " +
			"community), the gap and what closing it costs, paediatricians per 1,000 children, mother-and-baby rooms per 10,000."},
		withData(s.coverage))
	huma.Register(api, huma.Operation{OperationID: "download-coverage-csv", Method: http.MethodGet, Path: "/api/v1/coverage.csv",
		Summary: "Download coverage as CSV", Tags: tags, Responses: fileResponses("text/csv; charset=utf-8", "CSV, one header row"),
		Description: "The coverage table, UTF-8 with a byte-order mark, one header row: " + coverageColumnsDoc + "."},
		withData(s.coverageCSV))
	huma.Register(api, huma.Operation{OperationID: "download-coverage-geojson", Method: http.MethodGet, Path: "/api/v1/coverage.geojson",
		Summary: "Download coverage as GeoJSON", Tags: tags, Responses: fileResponses("application/geo+json", "RFC 7946 FeatureCollection"),
		Description: "Region boundaries with the coverage figures as properties, for a choropleth."},
		withData(s.coverageGeoJSON))
	huma.Register(api, huma.Operation{OperationID: "get-coverage-series", Method: http.MethodGet, Path: "/api/v1/coverage/series",
		Summary: "Coverage year by year, and each target's status", Tags: tags,
		Description: "The coverage figures at the end of every year the data holds, and for each target that applies " +
			"its status — met, on_track or off_track — computed from the least-squares trend of the series."},
		withData(s.coverageSeries))
	huma.Register(api, huma.Operation{OperationID: "get-accessibility", Method: http.MethodGet, Path: "/api/v1/coverage/accessibility",
		Summary: "Who can reach childcare: catchments and 2SFCA", Tags: tags, Description: accessMethod + heavyNote},
		withData(s.accessibility))
	huma.Register(api, huma.Operation{OperationID: "get-suggestions", Method: http.MethodGet, Path: "/api/v1/coverage/suggestions",
		Summary: "Where new slots would reach the most children", Tags: tags, Description: suggestMethod + heavyNote},
		withData(s.suggestions))
}

// coverageRows measures in's regions, or says why the dataset cannot be
// measured.
func coverageRows(snap *snapshot.Snapshot, in *CoverageInput) ([]coverage.Coverage, error) {
	if err := needPolicy(snap); err != nil {
		return nil, err
	}
	return coverage.OfLevel(snap, in.Level.V(), in.day), nil
}

func (s *Server) coverage(ctx context.Context, snap *snapshot.Snapshot, in *CoverageInput) (*CoverageOutput, error) {
	rows, err := coverageRows(snap, in)
	if err != nil {
		return nil, err
	}
	out := &CoverageOutput{Body: CoverageReport{Dataset: datasetRef(snap), Level: string(in.Level.V()), AsOf: string(in.day), Items: []CoverageItem{}}}
	for _, c := range rows {
		out.Body.PopulationYear = c.Year
		out.Body.Items = append(out.Body.Items, coverageItem(snap.Policy(), c))
	}
	return out, nil
}

// coverageColumns are the columns of coverage-<level>.csv: the fields of
// its table schema (coverageSchema), in order.
var coverageColumns = coverageSchema().Names()

var coverageColumnsDoc = fmt.Sprint(coverageColumns)

func (s *Server) coverageCSV(ctx context.Context, snap *snapshot.Snapshot, in *CoverageInput) (*DownloadOutput, error) {
	out, err := keptCoverage(snap, in, "csv", encodeCoverageCSV)
	return out, s.problem(ctx, err, "")
}

func (s *Server) coverageGeoJSON(ctx context.Context, snap *snapshot.Snapshot, in *CoverageInput) (*DownloadOutput, error) {
	out, err := keptCoverage(snap, in, "geojson", encodeCoverageGeoJSON)
	return out, s.problem(ctx, err, "")
}

// coverageFileKey is the Memo key of a coverage download on the dataset's
// reference date (the default day): a function of the snapshot alone.
type coverageFileKey struct {
	file  string
	level county.Level
}

// keptCoverage answers a coverage download. On the dataset's reference
// date, the default, the file is built once per snapshot and level and
// served with its length; another day is built for the request.
func keptCoverage(snap *snapshot.Snapshot, in *CoverageInput, file string,
	build func(*snapshot.Snapshot, *CoverageInput) (*FileOutput, error)) (*DownloadOutput, error) {
	var f *FileOutput
	if snap.Meta.ReferenceDate != "" && in.day == snap.Meta.ReferenceDate && needPolicy(snap) == nil {
		kept, _ := snap.Memo(coverageFileKey{file, in.Level.V()}, func() any {
			f, err := build(snap, in)
			if err != nil {
				return (*FileOutput)(nil) // not kept: the request below builds it and reports why
			}
			return f
		}).(*FileOutput)
		f = kept
	}
	if f == nil {
		var err error
		if f, err = build(snap, in); err != nil {
			return nil, err
		}
	}
	return &DownloadOutput{ContentType: f.ContentType, ContentDisposition: f.ContentDisposition, Body: f.Body,
		ContentLength: strconv.Itoa(len(f.Body))}, nil
}

func encodeCoverageCSV(snap *snapshot.Snapshot, in *CoverageInput) (*FileOutput, error) {
	rows, err := coverageRows(snap, in)
	if err != nil {
		return nil, err
	}
	f := formatPtr
	body := bomCSV(coverageColumns, len(rows), func(k int) []string {
		it := coverageItem(snap.Policy(), rows[k])
		gp := ""
		if it.GapSlotsInParts != nil {
			gp = strconv.Itoa(*it.GapSlotsInParts)
		}
		i := strconv.Itoa
		return []string{it.Code, it.NameZh, it.Level, it.ParentCode, strconv.FormatBool(it.NewCommunity), it.AsOf,
			i(it.PopulationYear), i(it.Population), i(it.ChildrenUnder3), i(it.Children0to14), i(it.Centres), i(it.Slots),
			i(it.SlotsInclusive), i(it.SlotsOther), i(it.SlotsByClass.Infant), i(it.SlotsByClass.ToddlerSmall),
			i(it.SlotsByClass.ToddlerLarge), i(it.SlotsByClass.Mixed), f(it.SlotsPer1000),
			strconv.FormatFloat(it.TargetPer1000, 'f', -1, 64), it.TargetClause, i(it.NeededSlots), i(it.GapSlots),
			i(it.SurplusSlots), strconv.FormatBool(it.Met), gp, strconv.FormatFloat(it.ConstructionSubsidyYuan, 'f', -1, 64),
			strconv.FormatFloat(it.OperatingSubsidyYuanPerYear, 'f', -1, 64), itoa(it.Paediatricians), f(it.PaediatriciansPer1000),
			i(it.NursingRooms.Total), f(it.NursingRoomsPer10000.Total)}
	})
	return &FileOutput{ContentType: "text/csv; charset=utf-8", Body: body,
		ContentDisposition: attachment(snap, "coverage-"+string(in.Level.V())+"-"+string(in.day), "csv")}, nil
}

func encodeCoverageGeoJSON(snap *snapshot.Snapshot, in *CoverageInput) (*FileOutput, error) {
	rows, err := coverageRows(snap, in)
	if err != nil {
		return nil, err
	}
	b, err := encodeFeatures(snap, len(rows), func(i int) (string, *geojson.Geometry, CoverageItem) {
		c := rows[i]
		return c.Region.Code, geojson.NewGeometry(geo.Simplest(c.Region.Geometry)), coverageItem(snap.Policy(), c)
	})
	if err != nil {
		return nil, err
	}
	return &FileOutput{ContentType: "application/geo+json", Body: b,
		ContentDisposition: attachment(snap, "coverage-"+string(in.Level.V())+"-"+string(in.day), "geojson")}, nil
}

func (s *Server) coverageSeries(ctx context.Context, snap *snapshot.Snapshot, in *SeriesInput) (*SeriesOutput, error) {
	if err := needPolicy(snap); err != nil {
		return nil, err
	}
	r := in.region
	rows := coverage.Series(snap, r)
	out := &SeriesOutput{}
	out.Body.Dataset, out.Body.Region = datasetRef(snap), regionRef(r)
	var slots, paeds []policy.YearValue
	for _, c := range rows {
		out.Body.Years = append(out.Body.Years, coverageItem(snap.Policy(), c))
		if !math.IsNaN(c.SlotsPer1000) {
			slots = append(slots, policy.YearValue{Year: c.Year, Value: c.SlotsPer1000})
		}
		if c.StaffingKnown && !math.IsNaN(c.PaediatriciansPer1000Children) {
			paeds = append(paeds, policy.YearValue{Year: c.Year, Value: c.PaediatriciansPer1000Children})
		}
	}
	status := func(t policy.Target, series []policy.YearValue) {
		out.Body.Status = append(out.Body.Status, TargetStatus{TargetID: t.ID, NameEn: t.NameEn, NameZh: t.NameZh,
			Clause: t.Clause, Target: *t.Value, Unit: t.Unit, Deadline: t.Deadline, Assessment: policy.Assess(t, series)})
	}
	st, _ := snap.Policy().SlotTarget(r.NewCommunity)
	status(st, slots)
	if pt, ok := snap.Policy().Target(policy.PaediatriciansPer1000); ok && pt.Value != nil && r.Level != county.LevelVillage {
		status(pt, paeds)
	}
	return out, nil
}

func (s *Server) accessibility(ctx context.Context, snap *snapshot.Snapshot, in *AccessInput) (*AccessOutput, error) {
	if err := needPolicy(snap); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%s|%g", in.Level.V(), in.day, in.Catchment)
	rows, err := s.accessCache.Get(ctx, snap.Version, key, web.Limited(s.limit, func(ctx context.Context) ([]coverage.Accessibility, error) {
		return coverage.MeasureAccessibility(ctx, snap, in.Level.V(), in.day, in.Catchment)
	}))
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	out := &AccessOutput{}
	out.Body.Dataset, out.Body.AsOf, out.Body.Catchment, out.Body.Method = datasetRef(snap), string(in.day), in.Catchment, accessMethod
	out.Body.Items = []AccessItem{}
	for _, a := range rows {
		it := AccessItem{Code: a.Region.Code, NameZh: a.Region.NameZh, Level: string(a.Region.Level), ParentCode: a.Region.ParentCode,
			ChildrenUnder3: *finite(a.Children, 1), NeededSlots: *finite(a.NeededSlots, 2),
			ReachableSlots: *finite(a.ReachableSlots, 2), UnmetSlots: *finite(a.UnmetSlots, 2)}
		if a.Children > 0 {
			it.ShareWithin, it.SFCA, it.E2SFCA = finite(a.ShareWithin, 4), finite(a.SFCA, 4), finite(a.E2SFCA, 4)
		}
		out.Body.Items = append(out.Body.Items, it)
	}
	return out, nil
}

// suggestResult is a cached answer of coverage.Suggest.
type suggestResult struct {
	suggestions []coverage.Suggestion
	unmetBefore float64
}

func (s *Server) suggestions(ctx context.Context, snap *snapshot.Snapshot, in *SuggestInput) (*SuggestOutput, error) {
	if err := needPolicy(snap); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%s|%g|%d|%d", in.Level.V(), in.day, in.Catchment, in.Slots, in.CentreSize)
	res, err := s.suggestCache.Get(ctx, snap.Version, key, web.Limited(s.limit, func(ctx context.Context) (suggestResult, error) {
		sugg, unmetBefore, err := coverage.Suggest(ctx, snap, in.Level.V(), in.day, in.Catchment, in.Slots, in.CentreSize)
		return suggestResult{sugg, unmetBefore}, err
	}))
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	sugg, unmetBefore := res.suggestions, res.unmetBefore
	out := &SuggestOutput{}
	out.Body.Dataset, out.Body.AsOf, out.Body.Method = datasetRef(snap), string(in.day), suggestMethod
	out.Body.Items = []SuggestionItem{}
	out.Body.Total.UnmetBeforeSlots = *finite(unmetBefore, 2)
	for _, sg := range sugg {
		at := orb.Round(sg.Point).(orb.Point)
		it := SuggestionItem{Rank: sg.Rank, Code: sg.Region.Code, NameZh: sg.Region.NameZh, TownshipCode: sg.Township.Code,
			TownshipNameZh: sg.Township.NameZh, Lon: at[0], Lat: at[1], Slots: sg.Slots,
			CoveredDemandSlots: *finite(sg.CoveredSlots, 2), TownshipGapBefore: sg.TownshipGapBefore,
			TownshipGapAfter: sg.TownshipGapAfter, TownshipMetAfter: sg.TownshipMetAfter,
			ConstructionSubsidyYuan: sg.ConstructionSubsidyYuan, OperatingSubsidyYuanPerYear: math.Round(sg.OperatingSubsidyYuanPerYear)}
		out.Body.Items = append(out.Body.Items, it)
		t := &out.Body.Total
		t.Centres++
		t.Slots += it.Slots
		t.CoveredDemandSlots = *finite(t.CoveredDemandSlots+sg.CoveredSlots, 2)
		t.ConstructionSubsidyYuan += it.ConstructionSubsidyYuan
		t.OperatingSubsidyYuanPerYear += it.OperatingSubsidyYuanPerYear
	}
	return out, nil
}
