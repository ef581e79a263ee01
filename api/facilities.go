package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// FacilityFilter is the query shared by the facility list and its bulk
// downloads.
type FacilityFilter struct {
	Kind        []string   `query:"kind,explode" enum:"childcare,nursing_room" doc:"Facility kind; repeat to ask for several (kind=childcare&kind=nursing_room). Default: both."`
	Region      RegionCode `query:"region" doc:"A region code of any level (county 6 digits, township 9, village 12): facilities inside it" example:"331126001"`
	BBox        BBox       `query:"bbox" doc:"minLon,minLat,maxLon,maxLat (WGS84 degrees, or GCJ-02 with crs=gcj02): facilities inside the box, edges included" example:"119.03,27.59,119.09,27.64"`
	Near        LonLat     `query:"near" doc:"lon,lat (WGS84 degrees, or GCJ-02 with crs=gcj02): sort by great-circle distance from here and add distance_m to each item" example:"119.06,27.62"`
	MaxDistance float64    `query:"max_distance" exclusiveMinimum:"0" doc:"Metres from near; only with near"`
	Inclusive   string     `query:"inclusive" enum:"true,false" doc:"Childcare only: inclusive (普惠) provision or not"`
	Class       string     `query:"class" enum:"infant,toddler_small,toddler_large,mixed" doc:"Childcare with approved slots in this class: infant 乳儿班, toddler_small 托小班, toddler_large 托大班, mixed 混合班"`
	StarMin     int        `query:"star_min" minimum:"1" maximum:"3" doc:"Mother-and-baby rooms of at least this star level"`
	OpenOn      OpenOn     `query:"open_on" doc:"Facilities open on this date (YYYY-MM-DD). Default: today in China Standard Time. 'any' includes closed facilities." example:"2025-06-01"`
	CRS         CRS        `query:"crs" default:"wgs84"`

	query snapshot.Query
}

// resolve applies the rules between parameters and builds the snapshot
// query. Every error names its parameter and says what to write instead.
func (f *FacilityFilter) resolve(ctx context.Context) []error {
	var errs []error
	q := &f.query
	for _, k := range f.Kind {
		q.Kinds = append(q.Kinds, county.Kind(k))
	}
	if f.BBox.Set {
		b := f.CRS.bound(f.BBox.B)
		q.BBox = &b
	}
	if f.Near.Set {
		p := f.CRS.point(f.Near.P)
		q.Near = &p
	}
	if math.IsNaN(f.MaxDistance) || math.IsInf(f.MaxDistance, 0) {
		errs = append(errs, &huma.ErrorDetail{Location: "query.max_distance", Value: fmt.Sprint(f.MaxDistance),
			Message: "max_distance must be a finite number of metres, such as 2000"})
	} else if f.MaxDistance != 0 {
		if !f.Near.Set {
			errs = append(errs, &huma.ErrorDetail{Location: "query.max_distance", Value: fmt.Sprint(f.MaxDistance),
				Message: "max_distance needs near=lon,lat to measure from; add near or drop max_distance"})
		}
		q.MaxDistance = f.MaxDistance
	}
	if f.Inclusive != "" {
		v := f.Inclusive == "true"
		q.Inclusive = &v
	}
	q.Class, q.StarMin = f.Class, f.StarMin
	q.OpenOn = f.OpenOn.Day()
	errs = append(errs, checkDay(ctx, "query.open_on", f.OpenOn.D)...)
	if !f.OpenOn.Any && f.OpenOn.D == "" {
		usesToday(ctx, q.OpenOn) // the answer changes at midnight: so does its ETag
	}
	if f.Region.Code != "" {
		if snap := pinned(ctx); snap != nil {
			if _, err := lookupRegion(snap, "query.region", f.Region); err != nil {
				errs = append(errs, err)
			}
		}
		q.Region = f.Region.Code
	}
	return errs
}

// ListFacilitiesInput is the query of GET /api/v1/facilities.
type ListFacilitiesInput struct {
	FacilityFilter
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Items per page"`
	Offset int    `query:"offset" minimum:"0" doc:"Items to skip; or follow the next link, which carries a cursor"`
	Cursor Cursor `query:"cursor" doc:"Opaque position from a next link; not with offset"`
}

// Resolve implements huma.Resolver.
func (in *ListFacilitiesInput) Resolve(ctx huma.Context) []error {
	errs := in.resolve(ctx.Context())
	in.query.Limit, in.query.Offset = in.Limit, in.Offset
	if in.Cursor.Set {
		c := in.Cursor.c
		switch {
		case in.Offset != 0:
			errs = append(errs, &huma.ErrorDetail{Location: "query.offset", Value: in.Offset,
				Message: "give offset or cursor, not both; the cursor already holds the position"})
		case pinned(ctx.Context()) != nil && c.version != pinned(ctx.Context()).Version:
			errs = append(errs, &huma.ErrorDetail{Location: "query.cursor", Value: c.String(),
				Message: "the data has changed since this cursor was issued (dataset version " + c.version +
					"); start again without cursor so pages do not mix versions"})
		default:
			in.query.Offset = c.offset
		}
	}
	return errs
}

// BulkFacilitiesInput is the query of the bulk downloads: the same filters,
// the whole result.
type BulkFacilitiesInput struct {
	FacilityFilter
	AcceptEncoding string `header:"Accept-Encoding" doc:"gzip: the unfiltered download comes gzipped, as kept per dataset version"`
}

// Resolve implements huma.Resolver.
func (in *BulkFacilitiesInput) Resolve(ctx huma.Context) []error {
	errs := in.resolve(ctx.Context())
	in.query.Limit = -1
	return errs
}

// ClassCounts is a number per childcare class.
type ClassCounts = county.ClassCounts

// Facility is one childcare centre or mother-and-baby room. Fields after
// directions_url apply to one kind only and are absent for the other.
type Facility struct {
	ID            string   `json:"id" example:"CC0001"`
	Kind          string   `json:"kind" enum:"childcare,nursing_room"`
	NameZh        string   `json:"name_zh"`
	Lon           float64  `json:"lon" doc:"WGS84 longitude"`
	Lat           float64  `json:"lat" doc:"WGS84 latitude"`
	TownshipCode  string   `json:"township_code" doc:"Township the facility lies in (empty outside every township)"`
	VillageCode   string   `json:"village_code" doc:"Village or community the facility lies in"`
	Address       string   `json:"address"`
	Phone         string   `json:"phone,omitempty"`
	OpeningHours  string   `json:"opening_hours"`
	OpenedOn      string   `json:"opened_on,omitempty"`
	ClosedOn      string   `json:"closed_on,omitempty" doc:"Set once the facility has closed"`
	DistanceM     *float64 `json:"distance_m,omitempty" doc:"Great-circle metres from near, to 0.1 m"`
	DirectionsURL string   `json:"directions_url" doc:"Amap (高德地图) directions to the facility, with WGS84 coordinates (coordinate=wgs84): no conversion needed"`

	OperatorType   string       `json:"operator_type,omitempty" enum:"public,private_inclusive,private_for_profit,employer" doc:"Childcare: who runs it"`
	Inclusive      *bool        `json:"inclusive,omitempty" doc:"Childcare: inclusive (普惠) provision"`
	Filed          *bool        `json:"filed,omitempty" doc:"Childcare: filed with the county health department (备案)"`
	ApprovedSlots  *int         `json:"approved_slots,omitempty" doc:"Childcare: approved slots (核定托位数), all classes"`
	Slots          *ClassCounts `json:"slots,omitempty" doc:"Childcare: approved slots by class"`
	Enrolled       *ClassCounts `json:"enrolled,omitempty" doc:"Childcare: children enrolled (实际收托数) by class"`
	MonthlyFeeYuan *int         `json:"monthly_fee_yuan,omitempty" doc:"Childcare: monthly fee in yuan"`

	VenueType  string   `json:"venue_type,omitempty" enum:"public_place,workplace,hospital,station,mall" doc:"Mother-and-baby room: where it is"`
	Star       *int     `json:"star,omitempty" minimum:"1" maximum:"3" doc:"Mother-and-baby room: star level under the Zhejiang local standard"`
	Amenities  []string `json:"amenities,omitempty" doc:"Mother-and-baby room: what it has"`
	Accessible *bool    `json:"accessible,omitempty" doc:"Mother-and-baby room: step-free"`
}

func ptr[T any](v T) *T { return &v }

func facilityOut(f *county.Facility, pl snapshot.Place, metres float64) Facility {
	at := orb.Round(f.Point).(orb.Point)
	out := Facility{ID: f.ID, Kind: string(f.Kind), NameZh: f.NameZh,
		Lon: at[0], Lat: at[1],
		TownshipCode: pl.Township, VillageCode: pl.Village, Address: f.Address, Phone: f.Phone,
		OpeningHours: f.OpeningHours, OpenedOn: string(f.OpenedOn), ClosedOn: string(f.ClosedOn),
		DirectionsURL: amapDirections(f.Point, f.NameZh)}
	if !math.IsNaN(metres) {
		out.DistanceM = ptr(math.Round(metres*10) / 10)
	}
	switch f.Kind {
	case county.Childcare:
		out.OperatorType, out.Inclusive, out.Filed = f.OperatorType, ptr(f.Inclusive), ptr(f.Filed)
		out.ApprovedSlots, out.Slots, out.Enrolled = ptr(f.Slots.Total()), ptr(f.Slots), ptr(f.Enrolled)
		out.MonthlyFeeYuan = ptr(f.MonthlyFeeYuan)
	case county.NursingRoom:
		out.VenueType, out.Star, out.Amenities, out.Accessible = f.VenueType, ptr(f.Star), f.Amenities, ptr(f.Accessible)
	}
	return out
}

// amapDirections links to Amap's route planner with the destination in
// WGS84, which Amap converts itself (coordinate=wgs84).
func amapDirections(p orb.Point, name string) string {
	v := url.Values{}
	v.Set("to", bundle.FormatCoord(p[0])+","+bundle.FormatCoord(p[1])+","+name)
	v.Set("coordinate", "wgs84")
	v.Set("callnative", "1")
	v.Set("src", "shanyu")
	return "https://uri.amap.com/navigation?" + v.Encode()
}

// DatasetRef names the data an answer comes from, so it can be cited.
type DatasetRef struct {
	Version       string `json:"version" doc:"Dataset version (content hash); also the ETag's first part"`
	Sample        bool   `json:"sample" doc:"True for sample data — not official statistics"`
	Notice        string `json:"notice"`
	ReferenceDate string `json:"reference_date"`
}

func datasetRef(s *snapshot.Snapshot) DatasetRef {
	return DatasetRef{Version: s.Version, Sample: s.Meta.Sample, Notice: s.Meta.Notice, ReferenceDate: string(s.Meta.ReferenceDate)}
}

// FacilityPage is one page of facilities.
type FacilityPage struct {
	Dataset        DatasetRef `json:"dataset"`
	NumberMatched  int        `json:"number_matched" doc:"Facilities matching the filters, over all pages"`
	NumberReturned int        `json:"number_returned"`
	Next           string     `json:"next,omitempty" doc:"Link to the next page; absent on the last"`
	Items          []Facility `json:"items"`

	raw *[]byte // the page as JSON, assembled from pre-rendered bytes; Items then stay empty
}

func (p FacilityPage) assembledJSON() *[]byte { return p.raw }

// ListFacilitiesOutput is the answer of GET /api/v1/facilities.
type ListFacilitiesOutput struct {
	Link string `header:"Link" doc:"rel=next link to the next page"`
	// ContentLength lets the server send the page in one piece rather
	// than chunked: its bytes are assembled before the headers go out.
	ContentLength string `header:"Content-Length" doc:"Length of the body in bytes"`
	Body          FacilityPage
}

// GetFacilityInput names one facility.
type GetFacilityInput struct {
	ID  string `path:"id" maxLength:"64" doc:"Facility id" example:"CC0001"`
	CRS CRS    `query:"crs" default:"wgs84"`
}

// GetFacilityOutput is one facility.
type GetFacilityOutput struct {
	Body struct {
		Dataset  DatasetRef `json:"dataset"`
		Facility Facility   `json:"facility"`
	}
}

// FileOutput is a download: bytes with their type and a file name.
type FileOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (s *Server) registerFacilities(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-facilities", Method: http.MethodGet,
		Path: "/api/v1/facilities", Summary: "Find facilities", Tags: []string{"Facilities"},
		Description: "Childcare centres and mother-and-baby rooms, filtered. With near=lon,lat the items come " +
			"nearest first, each with distance_m; otherwise by id. Pages: limit with offset, or follow next."},
		withData(s.listFacilities))
	huma.Register(api, huma.Operation{OperationID: "get-facility", Method: http.MethodGet,
		Path: "/api/v1/facilities/{id}", Summary: "Get a facility", Tags: []string{"Facilities"}},
		withData(s.getFacility))
	huma.Register(api, huma.Operation{OperationID: "download-facilities-geojson", Method: http.MethodGet,
		Path: "/api/v1/facilities.geojson", Summary: "Download facilities as GeoJSON", Tags: []string{"Facilities"},
		Description: "The same filters as Find facilities, the whole result, as an RFC 7946 FeatureCollection " +
			"of Points whose properties are the facility fields.",
		Responses: fileResponses("application/geo+json", "RFC 7946 FeatureCollection")},
		withData(s.facilitiesGeoJSON))
	huma.Register(api, huma.Operation{OperationID: "download-facilities-csv", Method: http.MethodGet,
		Path: "/api/v1/facilities.csv", Summary: "Download facilities as CSV", Tags: []string{"Facilities"},
		Description: "The same filters as Find facilities, the whole result. UTF-8 with a byte-order mark (Excel " +
			"opens it), one header row: " + csvHeaderDoc + ".",
		Responses: fileResponses("text/csv; charset=utf-8", "CSV, one header row")},
		withData(s.facilitiesCSV))
}

func fileResponses(contentType, what string) map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: what,
		Content: map[string]*huma.MediaType{contentType: {Schema: &huma.Schema{Type: "string"}}}}}
}

func (s *Server) listFacilities(ctx context.Context, snap *snapshot.Snapshot, in *ListFacilitiesInput) (*ListFacilitiesOutput, error) {
	page, matched := snap.Facilities(in.query)
	out := &ListFacilitiesOutput{}
	if next := in.query.Offset + len(page); next < matched {
		out.Body.Next = nextLink(ctx, cursor{offset: next, version: snap.Version})
		out.Link = "<" + out.Body.Next + `>; rel="next"`
	}
	if s.general {
		out.Body = facilityPage(snap, page, matched, out.Body.Next, in.CRS)
		return out, nil
	}
	buf := answerBuffers.Get().(*[]byte)
	*buf = rendering(snap).appendPage((*buf)[:0], matched, page, out.Body.Next, in.CRS.coords())
	out.Body.raw, out.ContentLength = buf, strconv.Itoa(len(*buf))
	return out, nil
}

// facilityPage builds a page the general way, a Facility value per item,
// as encoding/json sees it: what the assembled bytes must equal.
func facilityPage(snap *snapshot.Snapshot, page []snapshot.Match, matched int, next string, crs CRS) FacilityPage {
	p := FacilityPage{Dataset: datasetRef(snap), NumberMatched: matched, NumberReturned: len(page),
		Next: next, Items: make([]Facility, len(page))}
	for i, m := range page {
		p.Items[i] = crs.facility(facilityOut(m.Facility, m.Place, m.Metres), m.Facility.Point)
	}
	return p
}

// nextLink is the request's own URL with the offset replaced by a cursor:
// what url.Values would write (pairs unescaped, offset and cursor dropped,
// the new cursor set, keys sorted, values escaped), without building the
// map, since every nearby search with more to come pays for it.
func nextLink(ctx context.Context, c cursor) string {
	u := requestURL(ctx)
	path, raw := "/api/v1/facilities", ""
	if u != nil {
		path, raw = u.Path, u.RawQuery
	}
	var pairs [16][2]string
	kv := pairs[:0]
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue // url.ParseQuery drops these too
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || k == "offset" || k == "cursor" {
			continue
		}
		kv = append(kv, [2]string{k, v})
	}
	kv = append(kv, [2]string{"cursor", c.String()})
	slices.SortStableFunc(kv, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	b := make([]byte, 0, len(path)+1+64*len(kv))
	b = append(b, path...)
	b = append(b, '?')
	for i, p := range kv {
		if i > 0 {
			b = append(b, '&')
		}
		b = appendQueryEscape(b, p[0])
		b = append(b, '=')
		b = appendQueryEscape(b, p[1])
	}
	return string(b)
}

// appendQueryEscape appends s escaped as url.QueryEscape escapes it:
// letters, digits and -_.~ as they are, space as +, any other byte as %XX.
func appendQueryEscape(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

func (s *Server) getFacility(ctx context.Context, snap *snapshot.Snapshot, in *GetFacilityInput) (*GetFacilityOutput, error) {
	f, pl, err := snap.Facility(in.ID)
	if err != nil {
		return nil, s.problem(ctx, err, fmt.Sprintf("no facility has id %q; find ids with GET /api/v1/facilities", in.ID))
	}
	out := &GetFacilityOutput{}
	out.Body.Dataset = datasetRef(snap)
	out.Body.Facility = in.CRS.facility(facilityOut(f, pl, math.NaN()), f.Point)
	return out, nil
}

func (s *Server) facilitiesGeoJSON(ctx context.Context, snap *snapshot.Snapshot, in *BulkFacilitiesInput) (*DownloadOutput, error) {
	if s.general {
		page, _ := snap.Facilities(in.query)
		b, err := encodeFacilitiesGeoJSON(snap, page, in.CRS)
		if err != nil {
			return nil, s.problem(ctx, err, "")
		}
		return &DownloadOutput{ContentType: "application/geo+json", Body: b,
			ContentDisposition: attachment(snap, "facilities", "geojson")}, nil
	}
	return download(snap, in, "geojson", "application/geo+json", func() []byte {
		page, _ := snap.Facilities(in.query)
		r := rendering(snap)
		return r.appendGeoJSONFile(make([]byte, 0, 256+len(page)*(len(r.blob)/max(1, len(r.parts))+160)), page, in.CRS.coords())
	}), nil
}

func (s *Server) facilitiesCSV(ctx context.Context, snap *snapshot.Snapshot, in *BulkFacilitiesInput) (*DownloadOutput, error) {
	if s.general {
		page, _ := snap.Facilities(in.query)
		return &DownloadOutput{ContentType: "text/csv; charset=utf-8", Body: encodeFacilitiesCSV(page, in.CRS),
			ContentDisposition: attachment(snap, "facilities", "csv")}, nil
	}
	return download(snap, in, "csv", "text/csv; charset=utf-8", func() []byte {
		page, _ := snap.Facilities(in.query)
		r := rendering(snap)
		return r.appendCSVFile(make([]byte, 0, 512+len(page)*(len(r.csv)/max(1, len(r.csvRows))+24)), page, in.CRS.coords())
	}), nil
}

// attachment names a download after what it holds and the dataset version,
// and says "sample" in the name when the data is sample data.
func attachment(snap *snapshot.Snapshot, what, ext string) string {
	if snap.Meta.Sample {
		what += "-sample"
	}
	return `attachment; filename="` + what + "-" + snap.Version + "." + ext + `"`
}

func itoa(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}
