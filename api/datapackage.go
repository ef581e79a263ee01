package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"shanyu/county"
	"shanyu/indicators"
	"shanyu/snapshot"
)

// The bulk files described as a Frictionless Data Package (with a Table
// Schema per file) and as a DCAT-AP catalogue entry, so that a newsroom or
// a portal can take them with their types, units, licence, sources and the
// version to cite. The schemas are the contract the CSV tests hold the
// files to.

// Field is one column of a Table Schema.
type Field struct {
	Name        string       `json:"name"`
	Type        string       `json:"type" enum:"string,integer,number,boolean,date,object,array"`
	Format      string       `json:"format,omitempty"`
	Description string       `json:"description"`
	Unit        string       `json:"unit,omitempty" doc:"Unit of the values (a Frictionless extension)"`
	TrueValues  []string     `json:"trueValues,omitempty"`
	FalseValues []string     `json:"falseValues,omitempty"`
	Constraints *Constraints `json:"constraints,omitempty"`
}

// Constraints are a field's Table Schema constraints.
type Constraints struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Minimum  *int     `json:"minimum,omitempty"`
	Maximum  *int     `json:"maximum,omitempty"`
}

// TableSchema is a Frictionless Table Schema.
type TableSchema struct {
	Fields      []Field  `json:"fields"`
	PrimaryKey  []string `json:"primaryKey,omitempty"`
	MissingVals []string `json:"missingValues"`
}

// Names returns the names of the schema's fields, in order: a CSV file's
// header row.
func (ts *TableSchema) Names() []string {
	out := make([]string, len(ts.Fields))
	for i, f := range ts.Fields {
		out[i] = f.Name
	}
	return out
}

// Resource is one file of the data package.
type Resource struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Path        string       `json:"path" doc:"Absolute URL of the file on this server"`
	Format      string       `json:"format" enum:"csv,geojson"`
	MediaType   string       `json:"mediatype"`
	Encoding    string       `json:"encoding"`
	Profile     string       `json:"profile"`
	Dialect     *CSVDialect  `json:"dialect,omitempty"`
	Schema      *TableSchema `json:"schema,omitempty" doc:"CSV: its columns. GeoJSON: the properties of each feature."`
}

// CSVDialect is the CSV dialect of a resource.
type CSVDialect struct {
	Delimiter      string `json:"delimiter"`
	Header         bool   `json:"header"`
	LineTerminator string `json:"lineTerminator"`
}

// DataPackage is a Frictionless Data Package descriptor.
type DataPackage struct {
	Profile     string       `json:"profile"`
	Name        string       `json:"name"`
	ID          string       `json:"id" doc:"URL of this descriptor with the dataset version"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Version     string       `json:"version" doc:"The dataset version (content hash): cite it with the files"`
	Sample      bool         `json:"sample" doc:"True for sample data — not official statistics"`
	Created     string       `json:"created"`
	Licenses    []PkgLicence `json:"licenses"`
	Sources     []PkgSource  `json:"sources"`
	Keywords    []string     `json:"keywords"`
	Citation    string       `json:"citation" doc:"How to cite the files"`
	Resources   []Resource   `json:"resources"`
	Dataset     DatasetRef   `json:"dataset"`
	Homepage    string       `json:"homepage"`
}

// PkgLicence is a data package licence.
type PkgLicence struct {
	Name  string `json:"name,omitempty"`
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

// PkgSource is a data package source.
type PkgSource struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Licence     string `json:"licence,omitempty"`
}

// Field constructors, for the schemas below.
func fString(name, doc string) Field { return Field{Name: name, Type: "string", Description: doc} }
func fInt(name, doc, unit string) Field {
	return Field{Name: name, Type: "integer", Description: doc, Unit: unit}
}
func fNum(name, doc, unit string) Field {
	return Field{Name: name, Type: "number", Description: doc, Unit: unit}
}
func fBool(name, doc string) Field {
	return Field{Name: name, Type: "boolean", Description: doc, TrueValues: []string{"true"}, FalseValues: []string{"false"}}
}
func fDate(name, doc string) Field {
	return Field{Name: name, Type: "date", Format: "%Y-%m-%d", Description: doc}
}
func required(f Field) Field {
	if f.Constraints == nil {
		f.Constraints = &Constraints{}
	}
	f.Constraints.Required = true
	return f
}
func enum(f Field, values ...string) Field {
	if f.Constraints == nil {
		f.Constraints = &Constraints{}
	}
	f.Constraints.Enum = values
	return f
}
func levelEnum(levels ...county.Level) []string { return levelNames(levels) }

// facilitySchema describes facilities.csv, column by column.
func facilitySchema() *TableSchema {
	classDoc := map[string]string{county.ClassInfant: "乳儿班, about 6–12 months", county.ClassToddlerSmall: "托小班, 12–24 months",
		county.ClassToddlerLarge: "托大班, 24–36 months", county.ClassMixed: "混合班, mixed ages"}
	fields := []Field{
		required(fString("id", "Facility id: CC… for childcare centres, NR… for mother-and-baby rooms")),
		required(enum(fString("kind", "childcare (托育机构) or nursing_room (母婴室)"), kindNames()...)),
		required(fString("name_zh", "Name in Chinese")),
		required(fNum("lon", "Longitude, WGS84 (GCJ-02 with crs=gcj02)", "degree")),
		required(fNum("lat", "Latitude, WGS84 (GCJ-02 with crs=gcj02)", "degree")),
		fString("township_code", "Township (9-digit statistical division code) the facility lies in; empty outside every township"),
		fString("village_code", "Village or community (12-digit code) the facility lies in"),
		fString("address", "Street address"),
		fString("phone", "Telephone"),
		fString("opening_hours", "Opening hours, as published"),
		fDate("opened_on", "The day it opened"),
		fDate("closed_on", "The day it closed; empty while open"),
		fNum("distance_m", "Great-circle distance from near, to 0.1 m; empty without near", "metre"),
		enum(fString("operator_type", "Childcare: who runs it"), county.OperatorTypes...),
		fBool("inclusive", "Childcare: inclusive (普惠) provision"),
		fBool("filed", "Childcare: filed with the county health department (备案)"),
		fInt("approved_slots", "Childcare: approved slots (核定托位数), all classes", "slot"),
	}
	for _, c := range county.Classes {
		fields = append(fields, fInt("slots_"+c, "Childcare: approved slots in class "+classDoc[c], "slot"))
	}
	for _, c := range county.Classes {
		fields = append(fields, fInt("enrolled_"+c, "Childcare: children enrolled (实际收托数) in class "+classDoc[c], "child"))
	}
	star := fInt("star", "Mother-and-baby room: star level under the Zhejiang local standard (1–3)", "")
	star.Constraints = &Constraints{Minimum: ptr(1), Maximum: ptr(3)}
	fields = append(fields,
		fInt("monthly_fee_yuan", "Childcare: monthly fee", "yuan per month"),
		enum(fString("venue_type", "Mother-and-baby room: where it is"), county.VenueTypes...),
		star,
		fString("amenities", "Mother-and-baby room: what it has, ;-separated"),
		fBool("accessible", "Mother-and-baby room: step-free"),
	)
	return &TableSchema{Fields: fields, PrimaryKey: []string{"id"}, MissingVals: []string{""}}
}

func kindNames() []string {
	out := make([]string, len(county.Kinds))
	for i, k := range county.Kinds {
		out[i] = string(k)
	}
	return out
}

// coverageSchema describes coverage-<level>.csv.
func coverageSchema() *TableSchema {
	per := func(name, doc string) Field { return fNum(name, doc, "per 1,000 residents") }
	fields := []Field{
		required(fString("code", "Statistical division code")),
		required(fString("name_zh", "Name in Chinese")),
		required(enum(fString("level", "Region level"), levelEnum(county.Levels...)...)),
		fString("parent_code", "The region it lies in"),
		required(fBool("new_community", "A newly built community: clause （七）'s 10 slots per 1,000 residents applies")),
		required(fDate("as_of", "The day measured: facilities open that day")),
		required(fInt("population_year", "Year of the population figures", "year")),
		required(fInt("population", "Residents in population_year", "person")),
		required(fInt("children_under_3", "Children aged 0–2", "child")),
		required(fInt("children_0_14", "Children aged 0–14", "child")),
		required(fInt("centres", "Childcare centres open on as_of", "centre")),
		required(fInt("slots", "Approved slots (核定托位数) of the centres open on as_of", "slot")),
		required(fInt("slots_inclusive", "Approved slots in inclusive (普惠) centres", "slot")),
		required(fInt("slots_not_inclusive", "Approved slots in other centres", "slot")),
	}
	for _, c := range county.Classes {
		fields = append(fields, required(fInt("slots_"+c, "Approved slots in class "+c, "slot")))
	}
	fields = append(fields,
		per("slots_per_1000", "slots × 1,000 / population; empty with no residents"),
		required(per("target_per_1000", "4.5, or 10 in a newly built community (clause （七）)")),
		required(fString("target_clause", "The policy clause that sets the target")),
		required(fInt("needed_slots", "⌈target_per_1000 × population / 1,000⌉", "slot")),
		required(fInt("gap_slots", "Slots short of the target: max(0, needed_slots − slots)", "slot")),
		required(fInt("surplus_slots", "Slots above the target: max(0, slots − needed_slots)", "slot")),
		required(fBool("met", "The slot target is met")),
		fInt("gap_slots_in_parts", "County and townships: the sum of the gaps of the regions directly inside", "slot"),
		required(fNum("construction_subsidy_yuan", "gap_slots × 2,000 yuan, the one-off subsidy for new inclusive slots (clause （七）)", "yuan")),
		required(fNum("operating_subsidy_yuan_per_year", "Yearly operating subsidy for the gap slots once filled (clause （七）)", "yuan per year")),
		fInt("paediatricians", "Licensed (assistant) paediatric physicians; empty before the reference year", "physician"),
		fNum("paediatricians_per_1000_children", "Per 1,000 residents aged 0–14, against 1 (clause （五）)", "per 1,000 children"),
		required(fInt("nursing_rooms", "Mother-and-baby rooms open on as_of", "room")),
		fNum("nursing_rooms_per_10000", "Mother-and-baby rooms per 10,000 residents", "per 10,000 residents"),
	)
	return &TableSchema{Fields: fields, PrimaryKey: []string{"code"}, MissingVals: []string{""}}
}

// indicatorSchema describes an indicator's CSV.
func indicatorSchema(unit string) *TableSchema {
	return &TableSchema{Fields: []Field{
		required(fString("region", "Statistical division code")),
		required(enum(fString("level", "Region level"), levelEnum(county.Levels...)...)),
		required(fString("period", "A year, or a three-year block such as 2020-2022")),
		fString("breakdown", "For example order=3"),
		fNum("value", "The figure; empty when suppressed", unit),
		required(enum(fString("status", "published, or suppressed to protect families"), "published", "suppressed")),
		required(fBool("unreliable", "Fewer than 20 events: read with care")),
		required(fBool("topcoded", "The value is a bound (e.g. above 99.5%), not the figure")),
		fNum("numerator", "The count above the line, where published", ""),
		fNum("denominator", "The count below the line, where published", ""),
	}, MissingVals: []string{""}}
}

// regionSchema describes the properties of regions-<level>.geojson.
func regionSchema() *TableSchema {
	return &TableSchema{Fields: []Field{
		required(fString("code", "Statistical division code")),
		required(enum(fString("level", "Region level"), levelEnum(county.Levels...)...)),
		required(fString("name_zh", "Name in Chinese")),
		fString("name_en", "Name in English"),
		fString("parent_code", "The region it lies in"),
		required(fBool("new_community", "A newly built community")),
		required(fBool("illustrative_boundary", "The boundary is drawn for illustration, not surveyed")),
		fInt("year", "Year of the population figures", "year"),
		fInt("population", "Residents in that year", "person"),
		fInt("children_under_3", "Children aged 0–2 in that year", "child"),
		{Name: "centroid", Type: "array", Description: "lon,lat of the boundary's centroid (WGS84)", Unit: "degree"},
		{Name: "bbox", Type: "array", Description: "minLon,minLat,maxLon,maxLat of the boundary (WGS84)", Unit: "degree"},
	}, PrimaryKey: []string{"code"}, MissingVals: []string{""}}
}

// resources lists every bulk file the API serves for snap, with the URL
// that downloads it whole.
func resources(snap *snapshot.Snapshot, base string) []Resource {
	csvRes := func(name, title, doc, path string, schema *TableSchema) Resource {
		return Resource{Name: name, Title: title, Description: doc, Path: base + path, Format: "csv",
			MediaType: "text/csv", Encoding: "utf-8-sig", Profile: "tabular-data-resource",
			Dialect: &CSVDialect{Delimiter: ",", Header: true, LineTerminator: "\n"}, Schema: schema}
	}
	geoRes := func(name, title, doc, path string, schema *TableSchema) Resource {
		return Resource{Name: name, Title: title, Description: doc, Path: base + path, Format: "geojson",
			MediaType: "application/geo+json", Encoding: "utf-8", Profile: "data-resource", Schema: schema}
	}
	geoFacility := facilitySchema()
	var fields []Field
	for _, f := range geoFacility.Fields {
		switch {
		case f.Name == "amenities":
			f.Type, f.Description = "array", "Mother-and-baby room: what it has"
		case strings.HasPrefix(f.Name, "slots_") || strings.HasPrefix(f.Name, "enrolled_"):
			continue
		}
		fields = append(fields, f)
		if f.Name == "distance_m" {
			fields = append(fields, fString("directions_url", "Amap (高德地图) directions to the facility"))
		}
		if f.Name == "approved_slots" {
			fields = append(fields,
				Field{Name: "slots", Type: "object", Description: "Childcare: approved slots by class (infant, toddler_small, toddler_large, mixed)", Unit: "slot"},
				Field{Name: "enrolled", Type: "object", Description: "Childcare: children enrolled by class", Unit: "child"})
		}
	}
	geoFacility.Fields = fields
	out := []Resource{
		csvRes("facilities-csv", "Facilities (CSV)", "Every childcare centre and mother-and-baby room, closed ones too, one row each.",
			"/api/v1/facilities.csv?open_on=any", facilitySchema()),
		geoRes("facilities-geojson", "Facilities (GeoJSON)", "The same facilities as an RFC 7946 FeatureCollection of Points; "+
			"class counts are nested objects (slots, enrolled) and amenities a list in the properties.",
			"/api/v1/facilities.geojson?open_on=any", geoFacility),
	}
	for _, level := range []county.Level{county.LevelCounty, county.LevelTownship, county.LevelVillage} {
		l := string(level)
		out = append(out, geoRes("regions-"+l+"-geojson", "Region boundaries: "+l, "Boundaries of every "+l+
			" with their latest population.", "/api/v1/regions.geojson?level="+l, regionSchema()))
	}
	for _, level := range []county.Level{county.LevelTownship, county.LevelVillage} {
		l := string(level)
		out = append(out,
			csvRes("coverage-"+l+"-csv", "Coverage per "+l+" (CSV)", "Every "+l+" against the policy's per-thousand targets on the reference date "+
				string(snap.Meta.ReferenceDate)+".", "/api/v1/coverage.csv?level="+l, coverageSchema()),
			geoRes("coverage-"+l+"-geojson", "Coverage per "+l+" (GeoJSON)", "The same with each "+l+"'s boundary; "+
				"nested figures (slots_by_class, nursing_rooms) are objects in the properties.", "/api/v1/coverage.geojson?level="+l, nil))
	}
	pub := snap.Published()
	for _, ind := range indicators.Catalogue {
		ind = ind.In(benefitsOf(snap.Policy()))
		published := pub != nil
		if published {
			_, published = snap.PublishedTable(ind.ID)
		}
		if !published && coverageIndicator(snap, ind.ID) == nil {
			continue
		}
		out = append(out, csvRes("indicator-"+ind.ID+"-csv", ind.NameEn+" ("+ind.NameZh+")",
			"Published values by region and period, unit: "+ind.Unit+". Suppressed cells protect families; see GET /api/v1/indicators.",
			"/api/v1/indicators/"+ind.ID+".csv", indicatorSchema(ind.Unit)))
	}
	return out
}

// citation says how to cite a download of this version.
func citation(snap *snapshot.Snapshot, base string) string {
	sample := ""
	if snap.Meta.Sample {
		sample = " Sample data — not official statistics."
	}
	return snap.Meta.Title + ". Dataset version " + snap.Version + " (" + snap.LastModified().UTC().Format(time.DateOnly) +
		"). " + base + "/api/v1/datapackage.json. Retrieved <date>." + sample
}

// DataPackageOutput is the answer of GET /api/v1/datapackage.json.
type DataPackageOutput struct {
	Body DataPackage
}

// CatalogueOutput is the answer of GET /api/v1/catalogue.jsonld.
type CatalogueOutput struct {
	ContentType string `header:"Content-Type"`
	Body        map[string]any
}

func (s *Server) registerDataPackage(api huma.API) {
	tags := []string{"Dataset"}
	huma.Register(api, huma.Operation{OperationID: "get-datapackage", Method: http.MethodGet, Path: "/api/v1/datapackage.json",
		Summary: "Frictionless Data Package of the bulk files", Tags: tags,
		Description: "Every bulk CSV and GeoJSON file with its table schema (names, types, descriptions, units, enumerations), " +
			"the licence, sources, sample flag and the dataset version to cite. Open it with frictionless, pandas or R."},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *ogcBase) (*DataPackageOutput, error) {
			m := snap.Meta
			p := DataPackage{Profile: "tabular-data-package", Name: "shanyu-" + m.CountyCode,
				ID: in.link("/api/v1/datapackage.json?version=" + url.QueryEscape(snap.Version)), Title: m.Title + " / " + m.TitleZh,
				Description: m.Notice + " " + m.NoticeZh, Version: snap.Version, Sample: m.Sample,
				Created: snap.LastModified().UTC().Format(time.RFC3339), Licenses: []PkgLicence{{Title: m.Licence}},
				Keywords: []string{"childcare", "托育", "mother-and-baby rooms", "母婴室", "fertility support", m.CountyCode},
				Citation: citation(snap, in.base), Resources: resources(snap, in.base), Dataset: datasetRef(snap),
				Homepage: in.link("/")}
			for _, src := range m.Sources {
				p.Sources = append(p.Sources, PkgSource{Title: src.Name, Description: src.What, Licence: src.Licence})
			}
			return &DataPackageOutput{Body: p}, nil
		}))
	huma.Register(api, huma.Operation{OperationID: "get-catalogue", Method: http.MethodGet, Path: "/api/v1/catalogue.jsonld",
		Summary: "DCAT-AP catalogue entry (JSON-LD)", Tags: tags,
		Description: "The dataset as a DCAT-AP dcat:Catalog with one dcat:Dataset and a dcat:Distribution per bulk file, " +
			"for open-data portals to harvest.",
		Responses: map[string]*huma.Response{"200": {Description: "JSON-LD", Content: map[string]*huma.MediaType{
			"application/ld+json": {Schema: &huma.Schema{Type: "object"}}}}}},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *ogcBase) (*CatalogueOutput, error) {
			return &CatalogueOutput{ContentType: "application/ld+json", Body: dcatCatalogue(snap, in.base)}, nil
		}))
}

// dcatCatalogue is the DCAT-AP description of the dataset.
func dcatCatalogue(snap *snapshot.Snapshot, base string) map[string]any {
	m := snap.Meta
	modified := snap.LastModified().UTC().Format(time.RFC3339)
	licence := map[string]any{"@type": "dct:LicenseDocument", "rdfs:label": m.Licence}
	var dists []map[string]any
	for _, r := range resources(snap, base) {
		format := "http://publications.europa.eu/resource/authority/file-type/CSV"
		if r.Format == "geojson" {
			format = "http://publications.europa.eu/resource/authority/file-type/GEOJSON"
		}
		dists = append(dists, map[string]any{"@id": r.Path + "#distribution", "@type": "dcat:Distribution",
			"dct:title": r.Title, "dct:description": r.Description, "dcat:accessURL": map[string]string{"@id": r.Path},
			"dcat:downloadURL": map[string]string{"@id": r.Path}, "dcat:mediaType": "https://www.iana.org/assignments/media-types/" + r.MediaType,
			"dct:format": map[string]string{"@id": format}, "dct:license": licence, "dct:modified": modified})
	}
	var sources []map[string]any
	for _, src := range m.Sources {
		sources = append(sources, map[string]any{"@type": "dct:BibliographicResource", "dct:title": src.Name,
			"dct:description": src.What, "dct:license": src.Licence})
	}
	dataset := map[string]any{"@id": base + "/api/v1/dataset#" + snap.Version, "@type": "dcat:Dataset",
		"dct:identifier": snap.Version, "dct:title": []map[string]string{{"@value": m.Title, "@language": "en"}, {"@value": m.TitleZh, "@language": "zh"}},
		"dct:description": []map[string]string{{"@value": m.Notice, "@language": "en"}, {"@value": m.NoticeZh, "@language": "zh"}},
		"dcat:version":    snap.Version, "owl:versionInfo": snap.Version, "dct:issued": modified, "dct:modified": modified,
		"dct:temporal": map[string]any{"@type": "dct:PeriodOfTime", "dcat:endDate": string(m.ReferenceDate)},
		"dct:spatial":  map[string]any{"@type": "dct:Location", "dct:identifier": m.CountyCode},
		"dcat:keyword": []string{"childcare", "托育", "mother-and-baby rooms", "母婴室", "fertility support"},
		"dct:license":  licence, "dct:source": sources, "dcat:distribution": dists,
		"dcat:landingPage": map[string]string{"@id": base + "/"},
		"foaf:page":        map[string]string{"@id": base + "/api/v1/datapackage.json"},
		"adms:versionNotes": func() string {
			if m.Sample {
				return "Sample data — not official statistics."
			}
			return "Published data."
		}(),
		"dct:bibliographicCitation": citation(snap, base)}
	return map[string]any{
		"@context": map[string]string{"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
			"foaf": "http://xmlns.com/foaf/0.1/", "owl": "http://www.w3.org/2002/07/owl#", "adms": "http://www.w3.org/ns/adms#",
			"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
		"@id": base + "/api/v1/catalogue.jsonld", "@type": "dcat:Catalog",
		"dct:title": m.Title + " — open data", "dct:description": "Open data on a county's fertility-support policy.",
		"dct:modified": modified, "foaf:homepage": map[string]string{"@id": base + "/"},
		"dcat:dataset": []any{dataset},
	}
}
