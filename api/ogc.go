package api

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"shanyu/county"
	"shanyu/coverage"
	"shanyu/geo"
	"shanyu/policy"
	"shanyu/snapshot"
	"shanyu/web"
)

// OGC API – Features (Part 1 Core with GeoJSON, Part 3 queryables) under
// /ogc. The collections are the facilities by kind, the regions by level
// and the coverage of each region against the policy. Every answer comes
// from the request's snapshot, like the rest of the API, and reuses its
// parsers and feature encodings.

// Media types of the OGC answers.
const (
	mediaJSON    = "application/json"
	mediaGeoJSON = "application/geo+json"
	mediaSchema  = "application/schema+json"
	mediaOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
)

// ogcMaxLimit bounds a page of /items.
const ogcMaxLimit = 10000

// conformance lists the conformance classes the /ogc endpoints implement.
var conformance = []string{
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
	"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
}

// crs84 is the only CRS of the features: WGS84 lon,lat.
const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

// queryable is a property a client may filter /items on by equality.
type queryable struct {
	name, typ, doc string
	enum           []string
}

// ogcCollection describes one collection and how to read its features.
type ogcCollection struct {
	id, title, doc string
	kind           county.Kind  // facility collections
	level          county.Level // region and coverage collections
	coverage       bool
	queryables     []queryable
}

// temporal reports whether datetime filters the collection: facilities
// by the days they were open, coverage by the day it measures.
func (c *ogcCollection) temporal() bool { return c.kind != "" || c.coverage }

var facilityQueryables = []queryable{
	{"township_code", "string", "Township (9-digit code) the facility lies in", nil},
	{"village_code", "string", "Village or community (12-digit code) the facility lies in", nil},
}

var ogcCollections = []*ogcCollection{
	{id: "childcare", title: "Childcare centres (托育机构)", kind: county.Childcare,
		doc: "Childcare centres and kindergartens' toddler classes with their approved slots and enrolment by class. " +
			"datetime selects the centres open on a day (or at some time in an interval); without it every centre is listed, closed ones too.",
		queryables: append(slices.Clone(facilityQueryables),
			queryable{"operator_type", "string", "Who runs the centre", county.OperatorTypes},
			queryable{"inclusive", "boolean", "Inclusive (普惠) provision", nil},
			queryable{"filed", "boolean", "Filed with the county health department (备案)", nil})},
	{id: "nursing_rooms", title: "Mother-and-baby rooms (母婴室)", kind: county.NursingRoom,
		doc: "Mother-and-baby rooms with their venue, star level and amenities. " +
			"datetime selects the rooms open on a day (or at some time in an interval); without it every room is listed, closed ones too.",
		queryables: append(slices.Clone(facilityQueryables),
			queryable{"venue_type", "string", "Where the room is", county.VenueTypes},
			queryable{"star", "integer", "Star level under the Zhejiang local standard (1–3)", nil},
			queryable{"accessible", "boolean", "Step-free", nil})},
	{id: "townships", title: "Townships (乡镇街道)", level: county.LevelTownship,
		doc:        "Township boundaries with their latest population. Boundaries flagged illustrative_boundary are drawn, not surveyed.",
		queryables: []queryable{{"code", "string", "Statistical division code (9 digits)", nil}}},
	{id: "villages", title: "Villages and communities (村、社区)", level: county.LevelVillage,
		doc: "Village and community boundaries with their latest population. Boundaries flagged illustrative_boundary are drawn, not surveyed.",
		queryables: []queryable{{"code", "string", "Statistical division code (12 digits)", nil},
			{"parent_code", "string", "The township (9-digit code)", nil},
			{"new_community", "boolean", "A newly built community (10 slots per 1,000 residents)", nil}}},
	{id: "coverage_townships", title: "Childcare coverage per township", level: county.LevelTownship, coverage: true,
		doc: "Each township against the policy's per-thousand targets on one day: slots, gap, subsidies, paediatricians and " +
			"mother-and-baby rooms, as GET /api/v1/coverage gives them. datetime is that day (default: the dataset's reference date).",
		queryables: []queryable{{"code", "string", "Statistical division code (9 digits)", nil},
			{"met", "boolean", "The slot target is met", nil}}},
	{id: "coverage_villages", title: "Childcare coverage per village", level: county.LevelVillage, coverage: true,
		doc: "Each village or community against the policy's per-thousand targets on one day, as GET /api/v1/coverage?level=village " +
			"gives it. datetime is that day (default: the dataset's reference date).",
		queryables: []queryable{{"code", "string", "Statistical division code (12 digits)", nil},
			{"parent_code", "string", "The township (9-digit code)", nil},
			{"met", "boolean", "The slot target is met", nil}}},
}

func ogcCollectionByID(id string) *ogcCollection {
	for _, c := range ogcCollections {
		if c.id == id {
			return c
		}
	}
	return nil
}

func ogcCollectionIDs() string {
	ids := make([]string, len(ogcCollections))
	for i, c := range ogcCollections {
		ids[i] = c.id
	}
	return strings.Join(ids, ", ")
}

// Link is a web link of the OGC documents.
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// badParam is a query parameter the OGC API refuses: a 400, as the
// standard asks, with the parameter and what to write instead.
type badParam struct{ detail *huma.ErrorDetail }

func (b badParam) Error() string                  { return b.detail.Error() }
func (b badParam) ErrorDetail() *huma.ErrorDetail { return b.detail }
func (b badParam) GetStatus() int                 { return http.StatusBadRequest }

func ogcBad(loc string, value any, format string, args ...any) error {
	return badParam{&huma.ErrorDetail{Location: loc, Value: value, Message: fmt.Sprintf(format, args...)}}
}

// ogcBase is the scheme and host the client used, for absolute links.
type ogcBase struct{ base string }

func (b *ogcBase) resolveBase(ctx huma.Context) {
	scheme := "http"
	if ctx.TLS() != nil || ctx.Header("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	b.base = scheme + "://" + ctx.Host()
}

// Resolve implements huma.Resolver.
func (b *ogcBase) Resolve(ctx huma.Context) []error {
	b.resolveBase(ctx)
	return nil
}

func (b *ogcBase) link(path string) string { return b.base + path }

// OGCLandingOutput is the landing page.
type OGCLandingOutput struct {
	Body struct {
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Dataset     DatasetRef `json:"dataset"`
		Links       []Link     `json:"links"`
	}
}

// OGCConformanceOutput lists the conformance classes.
type OGCConformanceOutput struct {
	Body struct {
		ConformsTo []string `json:"conformsTo"`
	}
}

// Extent is a collection's extent in space and time.
type Extent struct {
	Spatial struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
	Temporal *struct {
		Interval [][2]*string `json:"interval"`
	} `json:"temporal,omitempty"`
}

// OGCCollection describes one collection.
type OGCCollection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Extent      Extent   `json:"extent"`
	Links       []Link   `json:"links"`
}

// OGCCollectionsOutput lists the collections.
type OGCCollectionsOutput struct {
	Body struct {
		Dataset     DatasetRef      `json:"dataset"`
		Links       []Link          `json:"links"`
		Collections []OGCCollection `json:"collections"`
	}
}

// OGCCollectionInput names a collection.
type OGCCollectionInput struct {
	ogcBase
	CollectionID string `path:"collectionId" maxLength:"64" doc:"childcare, nursing_rooms, townships, villages, coverage_townships or coverage_villages" example:"childcare"`
	coll         *ogcCollection
}

// Resolve implements huma.Resolver.
func (in *OGCCollectionInput) Resolve(ctx huma.Context) []error {
	in.resolveBase(ctx)
	if in.coll = ogcCollectionByID(in.CollectionID); in.coll == nil {
		return []error{huma.Error404NotFound(fmt.Sprintf("no collection has id %q; the collections are %s (GET /ogc/collections)",
			in.CollectionID, ogcCollectionIDs()))}
	}
	return nil
}

// OGCCollectionOutput is one collection.
type OGCCollectionOutput struct {
	Body OGCCollection
}

// OGCItemsInput is the query of /items.
type OGCItemsInput struct {
	OGCCollectionInput
	Limit    int    `query:"limit" default:"100" doc:"Features per page, 1 to 10,000"`
	Offset   int    `query:"offset" doc:"Features to skip (0 or more); or follow the next link"`
	BBox     string `query:"bbox" doc:"minLon,minLat,maxLon,maxLat (WGS84 degrees): features whose geometry meets the box" example:"119.03,27.59,119.09,27.64"`
	Datetime string `query:"datetime" doc:"Facilities: open on this day (YYYY-MM-DD, or an RFC 3339 date-time), or at some time in an interval (start/end, either side may be '..'). Coverage: the day to measure (default the reference date). Regions: ignored." example:"2025-06-01"`
	F        string `query:"f" enum:"json,geojson" doc:"Format: GeoJSON, the only one"`

	bbox    *orb.Bound
	from    county.Date // open at some time in [from, to]; both empty: any time
	to      county.Date
	filters map[string]string
	query   url.Values
}

// itemsParams are the query parameters /items knows besides the queryables.
var itemsParams = []string{"limit", "offset", "bbox", "datetime", "f"}

// Resolve implements huma.Resolver.
func (in *OGCItemsInput) Resolve(ctx huma.Context) []error {
	if errs := in.OGCCollectionInput.Resolve(ctx); errs != nil {
		return errs
	}
	var errs []error
	u := ctx.URL()
	in.query = u.Query()
	in.filters = map[string]string{}
	for name, vals := range in.query {
		if slices.Contains(itemsParams, name) {
			continue
		}
		qi := slices.IndexFunc(in.coll.queryables, func(q queryable) bool { return q.name == name })
		if qi < 0 {
			names := make([]string, len(in.coll.queryables))
			for i, q := range in.coll.queryables {
				names[i] = q.name
			}
			errs = append(errs, ogcBad("query."+name, strings.Join(vals, ","), "%s is not a parameter of this collection; use %s, or filter on a queryable: %s (GET %s/queryables)",
				name, strings.Join(itemsParams, ", "), strings.Join(names, ", "), "/ogc/collections/"+in.coll.id))
			continue
		}
		q := in.coll.queryables[qi]
		v := vals[len(vals)-1]
		if len(vals) > 1 {
			errs = append(errs, ogcBad("query."+name, strings.Join(vals, ","), "give %s once", name))
		}
		if err := q.check(v); err != nil {
			errs = append(errs, ogcBad("query."+name, v, "%v", err))
		}
		in.filters[name] = v
	}
	if in.Limit < 1 || in.Limit > ogcMaxLimit {
		errs = append(errs, ogcBad("query.limit", in.Limit, "limit is 1 to %d features a page; follow the next link for more", ogcMaxLimit))
	}
	if in.Offset < 0 {
		errs = append(errs, ogcBad("query.offset", in.Offset, "offset counts features to skip: 0 or more"))
	}
	if in.BBox != "" {
		// The API's bbox parameter, judged by its own parser; the OGC
		// standard asks for a 400 where the API answers 422.
		var bb BBox
		if err := bb.UnmarshalText([]byte(in.BBox)); err != nil {
			errs = append(errs, ogcBad("query.bbox", in.BBox, "%v", err))
		} else {
			in.bbox = &bb.B
		}
	}
	if in.Datetime != "" && in.coll.temporal() {
		from, to, err := parseDatetime(in.Datetime)
		switch {
		case err != nil:
			errs = append(errs, ogcBad("query.datetime", in.Datetime, "%v", err))
		case in.coll.coverage && from != to:
			errs = append(errs, ogcBad("query.datetime", in.Datetime, "coverage is measured on one day: give a date such as 2025-12-31, not an interval"))
		default:
			in.from, in.to = from, to
		}
	}
	return errs
}

// check refuses a filter value that cannot equal the queryable's values.
func (q queryable) check(v string) error {
	switch q.typ {
	case "boolean":
		if v != "true" && v != "false" {
			return fmt.Errorf("%s is true or false, not %q", q.name, v)
		}
	case "integer":
		if _, err := strconv.Atoi(v); err != nil {
			return fmt.Errorf("%s is a whole number, not %q", q.name, v)
		}
	}
	if q.enum != nil && !slices.Contains(q.enum, v) {
		return fmt.Errorf("%s is one of %s, not %q", q.name, strings.Join(q.enum, ", "), v)
	}
	return nil
}

// parseDatetime reads an OGC datetime: a day or RFC 3339 date-time (its
// day), or an interval start/end where '..' or nothing leaves a side open.
// It returns the first and last day; open sides are empty.
func parseDatetime(s string) (from, to county.Date, err error) {
	day := func(p string) (county.Date, error) {
		if len(p) > 10 && (p[10] == 'T' || p[10] == 't') {
			p = p[:10] // the day of a date-time: facilities open or close by the day
		}
		return county.ParseDate(p)
	}
	start, end, interval := strings.Cut(s, "/")
	if !interval {
		d, err := day(s)
		if err != nil {
			return "", "", fmt.Errorf("%v; or an interval start/end such as 2025-01-01/2025-12-31 ('..' for open)", err)
		}
		return d, d, nil
	}
	if (start == "" || start == "..") && (end == "" || end == "..") {
		return "", "", fmt.Errorf("an interval needs at least one end; drop datetime to ask for any time")
	}
	if start != "" && start != ".." {
		if from, err = day(start); err != nil {
			return "", "", fmt.Errorf("start: %v", err)
		}
	}
	if end != "" && end != ".." {
		if to, err = day(end); err != nil {
			return "", "", fmt.Errorf("end: %v", err)
		}
	}
	if from != "" && to != "" && from > to {
		return "", "", fmt.Errorf("the interval starts (%s) after it ends (%s)", from, to)
	}
	return from, to, nil
}

// openDuring reports whether f was open on some day of [from, to].
func openDuring(f *county.Facility, from, to county.Date) bool {
	if to != "" && f.OpenedOn != "" && f.OpenedOn > to {
		return false
	}
	return from == "" || f.ClosedOn == "" || f.ClosedOn > from
}

// OGCFeature is one GeoJSON feature of a collection.
type OGCFeature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties *props            `json:"properties"`
}

// props are a feature's properties in a fixed order, so a GIS shows the
// columns in the order the API documents them.
type props struct {
	keys []string
	vals map[string]any
}

// newProps takes alternating names and values.
func newProps(kv ...any) *props {
	p := &props{vals: map[string]any{}}
	p.add(kv...)
	return p
}

func (p *props) add(kv ...any) {
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if _, ok := p.vals[k]; !ok {
			p.keys = append(p.keys, k)
		}
		p.vals[k] = kv[i+1]
	}
}

// MarshalJSON writes the properties in order.
func (p *props) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, k := range p.keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(p.vals[k])
		if err != nil {
			return nil, err
		}
		buf = append(append(append(buf, kb...), ':'), vb...)
	}
	return append(buf, '}'), nil
}

// ogcFeatureCollection is a page of /items.
type ogcFeatureCollection struct {
	Type           string       `json:"type"`
	Dataset        DatasetRef   `json:"dataset"`
	TimeStamp      string       `json:"timeStamp"`
	NumberMatched  int          `json:"numberMatched"`
	NumberReturned int          `json:"numberReturned"`
	Features       []OGCFeature `json:"features"`
	Links          []Link       `json:"links"`
}

// OGCFeaturesOutput is GeoJSON of OGC features, with the CRS of its
// coordinates (OGC API – Features Part 2) and the dataset version's ETag.
type OGCFeaturesOutput struct {
	ContentType string `header:"Content-Type"`
	ContentCrs  string `header:"Content-Crs" doc:"The CRS of the coordinates: CRS84 (WGS84 lon,lat)"`
	ETag        string `header:"ETag" doc:"The dataset version and API version"`
	Body        []byte
}

func ogcGeoJSON(snap *snapshot.Snapshot, b []byte) *OGCFeaturesOutput {
	return &OGCFeaturesOutput{ContentType: mediaGeoJSON, ContentCrs: "<" + crs84 + ">",
		ETag: `"` + snap.Version + "-" + Version + `"`, Body: b}
}

// OGCItemInput names one feature.
type OGCItemInput struct {
	OGCCollectionInput
	FeatureID string `path:"featureId" maxLength:"64" doc:"Facility id or region code" example:"CC0001"`
}

// OGCQueryablesOutput is the JSON Schema of a collection's queryables.
type OGCQueryablesOutput struct {
	ContentType string `header:"Content-Type"`
	Body        map[string]any
}

func (s *Server) registerOGC(api huma.API) {
	tags := []string{"OGC API – Features"}
	huma.Register(api, huma.Operation{OperationID: "ogc-landing", Method: http.MethodGet, Path: "/ogc",
		Summary: "OGC API – Features landing page", Tags: tags,
		Description: "Links to the API definition, the conformance classes and the collections. Open it in QGIS " +
			"(Layer ▸ Add WFS / OGC API – Features) or GDAL (ogrinfo OAPIF:https://host/ogc)."},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *ogcBase) (*OGCLandingOutput, error) {
			out := &OGCLandingOutput{}
			out.Body.Title = snap.Meta.Title + " — OGC API – Features"
			out.Body.Description = "Childcare centres, mother-and-baby rooms, townships, villages and their coverage against " +
				"the policy's targets, as OGC API – Features collections. " + snap.Meta.Notice
			out.Body.Dataset = datasetRef(snap)
			out.Body.Links = []Link{
				{in.link("/ogc"), "self", mediaJSON, "This document"},
				{in.link("/ogc/api"), "service-desc", mediaOpenAPI, "The API definition (OpenAPI 3.0)"},
				{in.link("/openapi.json"), "service-desc", "application/vnd.oai.openapi+json;version=3.1", "The API definition (OpenAPI 3.1)"},
				{in.link("/docs"), "service-doc", "text/html", "The API documentation"},
				{in.link("/ogc/conformance"), "conformance", mediaJSON, "Conformance classes"},
				{in.link("/ogc/collections"), "data", mediaJSON, "The collections"},
				{in.link("/api/v1/dataset"), "describedby", mediaJSON, "The dataset: version, licence, sources"},
			}
			return out, nil
		}))
	var (
		oas30     []byte
		oas30Once sync.Once
		oas30Err  error
	)
	huma.Register(api, huma.Operation{OperationID: "ogc-api", Method: http.MethodGet, Path: "/ogc/api",
		Summary: "The API definition as OGC clients read it", Tags: tags,
		Description: "The OpenAPI document, downgraded to 3.0 (the version of the oas30 conformance class) and served as " +
			mediaOpenAPI + ", which GDAL and QGIS expect.",
		Responses: fileResponses(mediaOpenAPI, "OpenAPI 3.0 document")},
		func(ctx context.Context, _ *struct{}) (*FileOutput, error) {
			oas30Once.Do(func() { oas30, oas30Err = api.OpenAPI().Downgrade() })
			if oas30Err != nil {
				return nil, s.problem(ctx, oas30Err, "")
			}
			return &FileOutput{ContentType: mediaOpenAPI, Body: oas30}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "ogc-conformance", Method: http.MethodGet, Path: "/ogc/conformance",
		Summary: "OGC API conformance classes", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*OGCConformanceOutput, error) {
			out := &OGCConformanceOutput{}
			out.Body.ConformsTo = conformance
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "ogc-collections", Method: http.MethodGet, Path: "/ogc/collections",
		Summary: "OGC API collections", Tags: tags,
		Description: "The collections: " + ogcCollectionIDs() + "."},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *ogcBase) (*OGCCollectionsOutput, error) {
			out := &OGCCollectionsOutput{}
			out.Body.Dataset = datasetRef(snap)
			out.Body.Links = []Link{{in.link("/ogc/collections"), "self", mediaJSON, "The collections"}}
			for _, c := range ogcCollections {
				out.Body.Collections = append(out.Body.Collections, ogcCollectionOut(snap, in, c))
			}
			return out, nil
		}))
	huma.Register(api, huma.Operation{OperationID: "ogc-collection", Method: http.MethodGet, Path: "/ogc/collections/{collectionId}",
		Summary: "OGC API collection", Tags: tags},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *OGCCollectionInput) (*OGCCollectionOutput, error) {
			return &OGCCollectionOutput{Body: ogcCollectionOut(snap, &in.ogcBase, in.coll)}, nil
		}))
	huma.Register(api, huma.Operation{OperationID: "ogc-items", Method: http.MethodGet, Path: "/ogc/collections/{collectionId}/items",
		Summary: "OGC API features of a collection", Tags: tags,
		Description: "A GeoJSON FeatureCollection with numberMatched, numberReturned and next/prev links. Filter with bbox, " +
			"datetime and any queryable as a parameter (property=value, equality). Unknown parameters are refused.",
		Responses: fileResponses(mediaGeoJSON, "GeoJSON FeatureCollection"), Metadata: web.OwnQueryCheck},
		withData(s.ogcItems))
	huma.Register(api, huma.Operation{OperationID: "ogc-item", Method: http.MethodGet, Path: "/ogc/collections/{collectionId}/items/{featureId}",
		Summary: "OGC API feature", Tags: tags,
		Responses: fileResponses(mediaGeoJSON, "GeoJSON Feature")},
		withData(s.ogcItem))
	huma.Register(api, huma.Operation{OperationID: "ogc-queryables", Method: http.MethodGet, Path: "/ogc/collections/{collectionId}/queryables",
		Summary: "OGC API queryables of a collection", Tags: tags,
		Description: "A JSON Schema of the properties /items filters on by equality (OGC API – Features Part 3)."},
		func(ctx context.Context, in *OGCCollectionInput) (*OGCQueryablesOutput, error) {
			props := map[string]any{}
			for _, q := range in.coll.queryables {
				p := map[string]any{"type": q.typ, "description": q.doc}
				if q.enum != nil {
					p["enum"] = q.enum
				}
				props[q.name] = p
			}
			return &OGCQueryablesOutput{ContentType: mediaSchema, Body: map[string]any{
				"$schema": "https://json-schema.org/draft/2020-12/schema",
				"$id":     in.link("/ogc/collections/" + in.coll.id + "/queryables"),
				"type":    "object", "title": in.coll.title, "properties": props,
				"additionalProperties": false,
			}}, nil
		})
}

func ogcCollectionOut(snap *snapshot.Snapshot, b *ogcBase, c *ogcCollection) OGCCollection {
	path := "/ogc/collections/" + c.id
	out := OGCCollection{ID: c.id, Title: c.title, Description: c.doc, ItemType: "feature", CRS: []string{crs84},
		Links: []Link{
			{b.link(path), "self", mediaJSON, c.title},
			{b.link(path + "/items"), "items", mediaGeoJSON, c.title + " (GeoJSON)"},
			{b.link(path + "/queryables"), "http://www.opengis.net/def/rel/ogc/1.0/queryables", mediaSchema, "Queryables"},
			{b.link("/api/v1/datapackage.json"), "describedby", mediaJSON, "Data package with every bulk file's schema"},
		}}
	var bound orb.Bound
	if counties := snap.Regions(county.LevelCounty); len(counties) > 0 {
		bound = counties[0].Geometry.Bound()
	}
	out.Extent.Spatial.BBox = [][4]float64{{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]}}
	out.Extent.Spatial.CRS = crs84
	if c.temporal() {
		out.Extent.Temporal = &struct {
			Interval [][2]*string `json:"interval"`
		}{Interval: [][2]*string{{nil, nil}}}
		if c.kind != "" {
			first := ""
			page, _ := snap.Facilities(snapshot.Query{Kinds: []county.Kind{c.kind}, Limit: -1})
			for _, m := range page {
				if d := string(m.Facility.OpenedOn); d != "" && (first == "" || d < first) {
					first = d
				}
			}
			if first != "" {
				out.Extent.Temporal.Interval[0][0] = ptr(first + "T00:00:00Z")
			}
		}
	}
	return out
}

// ogcFeatures returns every feature of the collection that in's space,
// time and property filters keep, in id order.
func (s *Server) ogcFeatures(snap *snapshot.Snapshot, in *OGCItemsInput) ([]OGCFeature, error) {
	c := in.coll
	var feats []OGCFeature
	switch {
	case c.kind != "":
		q := snapshot.Query{Kinds: []county.Kind{c.kind}, BBox: in.bbox, Limit: -1}
		if in.from != "" && in.from == in.to {
			q.OpenOn = in.from
		}
		page, _ := snap.Facilities(q)
		for _, m := range page {
			if q.OpenOn == "" && (in.from != "" || in.to != "") && !openDuring(m.Facility, in.from, in.to) {
				continue
			}
			feats = append(feats, facilityFeatureOut(m.Facility, m.Place))
		}
	case c.coverage:
		if err := needPolicy(snap); err != nil {
			return nil, err
		}
		day := in.from
		if day == "" {
			day = defaultDay(snap)
		}
		for _, row := range coverage.OfLevel(snap, c.level, day) {
			if in.bbox == nil || intersectsBound(row.Region.Geometry, *in.bbox) {
				feats = append(feats, coverageFeatureOut(snap.Policy(), row))
			}
		}
	default:
		for _, r := range snap.Regions(c.level) {
			if in.bbox == nil || intersectsBound(r.Geometry, *in.bbox) {
				feats = append(feats, regionFeatureOut(snap, r))
			}
		}
	}
	if len(in.filters) > 0 {
		feats = slices.DeleteFunc(feats, func(f OGCFeature) bool {
			for name, want := range in.filters {
				if propertyString(f.Properties.vals[name]) != want {
					return true
				}
			}
			return false
		})
	}
	slices.SortFunc(feats, func(a, b OGCFeature) int { return cmp.Compare(a.ID, b.ID) })
	return feats, nil
}

// propertyString writes a property value as a query parameter would.
func propertyString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case *string:
		if v == nil {
			return ""
		}
		return *v
	case *int:
		if v == nil {
			return ""
		}
		return strconv.Itoa(*v)
	case *bool:
		if v == nil {
			return ""
		}
		return strconv.FormatBool(*v)
	}
	return fmt.Sprint(v)
}

func (s *Server) ogcItems(ctx context.Context, snap *snapshot.Snapshot, in *OGCItemsInput) (*OGCFeaturesOutput, error) {
	var feats []OGCFeature
	var matched, lo, hi int
	if in.coll.kind != "" && len(in.filters) == 0 && in.from == in.to {
		// Facilities filtered by space and a day only: the snapshot pages
		// and counts them itself (counts cached per filter), so a page of
		// a large collection costs a page, not the collection.
		q := snapshot.Query{Kinds: []county.Kind{in.coll.kind}, BBox: in.bbox, OpenOn: in.from, Offset: in.Offset, Limit: in.Limit}
		page, n := snap.Facilities(q)
		for _, m := range page {
			feats = append(feats, facilityFeatureOut(m.Facility, m.Place))
		}
		matched, lo, hi = n, min(in.Offset, n), min(in.Offset, n)+len(page)
	} else {
		all, err := s.ogcFeatures(snap, in)
		if err != nil {
			return nil, s.problem(ctx, err, "")
		}
		matched = len(all)
		lo = min(in.Offset, matched)
		hi = min(lo+in.Limit, matched)
		feats = all[lo:hi]
	}
	fc := ogcFeatureCollection{Type: "FeatureCollection", Dataset: datasetRef(snap), TimeStamp: snap.LastModified().UTC().Format("2006-01-02T15:04:05Z"),
		NumberMatched: matched, NumberReturned: hi - lo, Features: feats}
	if fc.Features == nil {
		fc.Features = []OGCFeature{}
	}
	pageLink := func(offset int) string {
		q := url.Values{}
		for k, v := range in.query {
			q[k] = v
		}
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(in.Limit))
		return in.link("/ogc/collections/" + in.coll.id + "/items?" + q.Encode())
	}
	fc.Links = []Link{{pageLink(in.Offset), "self", mediaGeoJSON, "This page"},
		{in.link("/ogc/collections/" + in.coll.id), "collection", mediaJSON, in.coll.title}}
	if hi < matched {
		fc.Links = append(fc.Links, Link{pageLink(hi), "next", mediaGeoJSON, "Next page"})
	}
	if lo > 0 {
		fc.Links = append(fc.Links, Link{pageLink(max(0, lo-in.Limit)), "prev", mediaGeoJSON, "Previous page"})
	}
	b, err := marshalLinks(fc)
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	return ogcGeoJSON(snap, b), nil
}

func (s *Server) ogcItem(ctx context.Context, snap *snapshot.Snapshot, in *OGCItemInput) (*OGCFeaturesOutput, error) {
	c := in.coll
	var f OGCFeature
	notFound := fmt.Sprintf("collection %s has no feature %q; list them with GET /ogc/collections/%s/items", c.id, in.FeatureID, c.id)
	switch {
	case c.kind != "":
		fac, pl, err := snap.Facility(in.FeatureID)
		if err == nil && fac.Kind != c.kind {
			err = snapshot.ErrNotFound
		}
		if err != nil {
			return nil, s.problem(ctx, err, notFound)
		}
		f = facilityFeatureOut(fac, pl)
	case c.coverage:
		r, err := snap.Region(in.FeatureID)
		if err == nil && r.Level != c.level {
			err = snapshot.ErrNotFound
		}
		if err != nil {
			return nil, s.problem(ctx, err, notFound)
		}
		if err := needPolicy(snap); err != nil {
			return nil, err
		}
		f = coverageFeatureOut(snap.Policy(), coverage.Of(snap, r, defaultDay(snap)))
	default:
		r, err := snap.Region(in.FeatureID)
		if err == nil && r.Level != c.level {
			err = snapshot.ErrNotFound
		}
		if err != nil {
			return nil, s.problem(ctx, err, notFound)
		}
		f = regionFeatureOut(snap, r)
	}
	body := struct {
		OGCFeature
		Links []Link `json:"links"`
	}{f, []Link{
		{in.link("/ogc/collections/" + c.id + "/items/" + url.PathEscape(f.ID)), "self", mediaGeoJSON, "This feature"},
		{in.link("/ogc/collections/" + c.id), "collection", mediaJSON, c.title},
	}}
	b, err := marshalLinks(body)
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	return ogcGeoJSON(snap, b), nil
}

// marshalLinks encodes v as JSON leaving & in links as it is, so a link
// can be copied from the answer as written.
func marshalLinks(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// optString is a property that is null when empty.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// facilityFeatureOut flattens a facility into the properties a GIS reads:
// one column per field, the class counts as slots_<class> and
// enrolled_<class>, amenities ;-separated, as in facilities.csv.
func facilityFeatureOut(f *county.Facility, pl snapshot.Place) OGCFeature {
	o := facilityOut(f, pl, math.NaN())
	p := newProps("id", o.ID, "kind", o.Kind, "name_zh", o.NameZh, "township_code", optString(o.TownshipCode),
		"village_code", optString(o.VillageCode), "address", o.Address, "phone", optString(o.Phone),
		"opening_hours", o.OpeningHours, "opened_on", optString(o.OpenedOn), "closed_on", optString(o.ClosedOn))
	switch f.Kind {
	case county.Childcare:
		p.add("operator_type", o.OperatorType, "inclusive", o.Inclusive, "filed", o.Filed, "approved_slots", o.ApprovedSlots)
		for _, class := range county.Classes {
			n, _ := f.Slots.Get(class)
			p.add("slots_"+class, n)
		}
		for _, class := range county.Classes {
			n, _ := f.Enrolled.Get(class)
			p.add("enrolled_"+class, n)
		}
		p.add("monthly_fee_yuan", o.MonthlyFeeYuan)
	case county.NursingRoom:
		p.add("venue_type", o.VenueType, "star", o.Star, "amenities", strings.Join(o.Amenities, ";"), "accessible", o.Accessible)
	}
	return OGCFeature{Type: "Feature", ID: o.ID, Properties: p,
		Geometry: geojson.NewGeometry(orb.Point{o.Lon, o.Lat})}
}

func regionFeatureOut(snap *snapshot.Snapshot, r *county.Region) OGCFeature {
	o := regionOut(snap, r)
	p := newProps("code", o.Code, "level", o.Level, "name_zh", o.NameZh, "name_en", optString(o.NameEn),
		"parent_code", optString(o.ParentCode), "new_community", o.NewCommunity, "illustrative_boundary", o.Illustrative,
		"year", o.Year, "population", o.Population, "children_under_3", o.ChildrenUnder3)
	return OGCFeature{Type: "Feature", ID: r.Code, Properties: p, Geometry: geojson.NewGeometry(geo.Simplest(r.Geometry))}
}

func coverageFeatureOut(pol *policy.Policy, c coverage.Coverage) OGCFeature {
	it := coverageItem(pol, c)
	p := newProps("code", it.Code, "name_zh", it.NameZh, "level", it.Level, "parent_code", optString(it.ParentCode),
		"new_community", it.NewCommunity, "as_of", it.AsOf, "population_year", it.PopulationYear,
		"population", it.Population, "children_under_3", it.ChildrenUnder3, "children_0_14", it.Children0to14,
		"centres", it.Centres, "slots", it.Slots, "slots_inclusive", it.SlotsInclusive, "slots_per_1000", it.SlotsPer1000,
		"target_per_1000", it.TargetPer1000, "needed_slots", it.NeededSlots, "gap_slots", it.GapSlots,
		"surplus_slots", it.SurplusSlots, "met", it.Met, "construction_subsidy_yuan", it.ConstructionSubsidyYuan,
		"operating_subsidy_yuan_per_year", it.OperatingSubsidyYuanPerYear,
		"paediatricians", it.Paediatricians, "paediatricians_per_1000_children", it.PaediatriciansPer1000,
		"nursing_rooms_total", it.NursingRooms.Total, "nursing_rooms_per_10000_total", it.NursingRoomsPer10000.Total)
	return OGCFeature{Type: "Feature", ID: it.Code, Properties: p, Geometry: geojson.NewGeometry(geo.Simplest(c.Region.Geometry))}
}

// intersectsBound reports whether a (multi)polygon meets a box: a vertex of
// one lies in the other, or an edge of the polygon crosses an edge of the box.
func intersectsBound(mp orb.MultiPolygon, b orb.Bound) bool {
	if !mp.Bound().Intersects(b) {
		return false
	}
	box := b.ToRing()
	for _, p := range box {
		if planar.MultiPolygonContains(mp, p) {
			return true
		}
	}
	for _, poly := range mp {
		for _, ring := range poly {
			for i, p := range ring {
				if b.Contains(p) {
					return true
				}
				if i == 0 {
					continue
				}
				for j := 1; j < len(box); j++ {
					if segmentsCross(ring[i-1], p, box[j-1], box[j]) {
						return true
					}
				}
			}
		}
	}
	return false
}

// segmentsCross reports whether segments ab and cd share a point.
func segmentsCross(a, b, c, d orb.Point) bool {
	orient := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	return ((d1 > 0) != (d2 > 0) || d1 == 0 || d2 == 0) && ((d3 > 0) != (d4 > 0) || d3 == 0 || d4 == 0) &&
		max(a[0], b[0]) >= min(c[0], d[0]) && max(c[0], d[0]) >= min(a[0], b[0]) &&
		max(a[1], b[1]) >= min(c[1], d[1]) && max(c[1], d[1]) >= min(a[1], b[1])
}
