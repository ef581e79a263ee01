package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"shanyu/county"
	"shanyu/geo"
	"shanyu/snapshot"
	"shanyu/web"
)

// RegionRef names a region.
type RegionRef struct {
	Code   string `json:"code" example:"331126001"`
	Level  string `json:"level" enum:"county,township,village"`
	NameZh string `json:"name_zh" example:"松源街道"`
	NameEn string `json:"name_en,omitempty"`
}

func regionRef(r *county.Region) RegionRef {
	return RegionRef{Code: r.Code, Level: string(r.Level), NameZh: r.NameZh, NameEn: r.NameEn}
}

// Region is a region with its latest population.
type Region struct {
	RegionRef
	ParentCode     string     `json:"parent_code,omitempty"`
	NewCommunity   bool       `json:"new_community" doc:"A newly built community, where the policy's newly-built-community slot target applies when it has one"`
	Illustrative   bool       `json:"illustrative_boundary" doc:"The boundary is drawn for illustration, not surveyed"`
	Year           int        `json:"year,omitempty" doc:"Year of the population figures"`
	Population     *int       `json:"population,omitempty" doc:"Residents in that year"`
	ChildrenUnder3 *int       `json:"children_under_3,omitempty" doc:"Children aged 0–2 in that year"`
	Centroid       [2]float64 `json:"centroid" doc:"lon,lat of the boundary's centroid (WGS84)"`
	BBox           [4]float64 `json:"bbox" doc:"minLon,minLat,maxLon,maxLat of the boundary"`
}

func regionOut(snap *snapshot.Snapshot, r *county.Region) Region {
	out := Region{RegionRef: regionRef(r), ParentCode: r.ParentCode, NewCommunity: r.NewCommunity, Illustrative: r.Illustrative}
	if p, ok := snap.LatestPopulation(r.Code); ok {
		out.Year, out.Population, out.ChildrenUnder3 = p.Year, ptr(p.Total), ptr(p.Under3)
	}
	if len(r.Geometry) > 0 {
		c, _ := planar.CentroidArea(r.Geometry)
		b := r.Geometry.Bound()
		out.Centroid = orb.Round(c).(orb.Point)
		rb := orb.Round(b).(orb.Bound)
		out.BBox = [4]float64{rb.Min[0], rb.Min[1], rb.Max[0], rb.Max[1]}
	}
	return out
}

// PopulationYear is a region's residents in one year, by age band.
type PopulationYear struct {
	Year           int `json:"year"`
	Total          int `json:"total"`
	ChildrenUnder3 int `json:"children_under_3"`
	Age0to14       int `json:"age_0_14"`
	Age15to64      int `json:"age_15_64"`
	Age65Plus      int `json:"age_65_plus"`
}

// RegionFacilities counts the facilities open in a region today.
type RegionFacilities struct {
	OpenOn        string `json:"open_on"`
	Childcare     int    `json:"childcare"`
	ApprovedSlots int    `json:"approved_slots" doc:"Approved childcare slots, all classes"`
	NursingRooms  int    `json:"nursing_rooms"`
}

// RegionDetail is one region with its parent, children, population by year
// and the facilities open in it.
type RegionDetail struct {
	Region
	Parent           *RegionRef       `json:"parent,omitempty"`
	Children         []RegionRef      `json:"children"`
	PopulationByYear []PopulationYear `json:"population_by_year"`
	Facilities       RegionFacilities `json:"facilities"`
}

// ListRegionsInput is the query of GET /api/v1/regions.
type ListRegionsInput struct {
	Level Level `query:"level" doc:"Only regions of this level; default all"`
}

// ListRegionsOutput lists regions.
type ListRegionsOutput struct {
	Body struct {
		Dataset DatasetRef `json:"dataset"`
		Items   []Region   `json:"items"`
	}
}

// GetRegionInput names a region.
type GetRegionInput struct {
	Code string `path:"code" maxLength:"12" doc:"Statistical division code" example:"331126001"`
}

// GetRegionOutput is one region.
type GetRegionOutput struct {
	Body struct {
		Dataset DatasetRef   `json:"dataset"`
		Region  RegionDetail `json:"region"`
	}
}

// RegionsGeoJSONInput is the query of GET /api/v1/regions.geojson.
type RegionsGeoJSONInput struct {
	Level          Level  `query:"level" default:"township" doc:"Regions of this level"`
	AcceptEncoding string `header:"Accept-Encoding" doc:"gzip: the file comes gzipped, as kept per dataset version"`
}

// regionsFileKey is the Memo key of a snapshot's regions.geojson of one
// level: the boundaries change only with the snapshot, so each level's file
// is encoded and gzipped once.
type regionsFileKey struct{ level county.Level }

func (s *Server) registerRegions(api huma.API) {
	huma.Register(api, huma.Operation{OperationID: "list-regions", Method: http.MethodGet,
		Path: "/api/v1/regions", Summary: "List regions", Tags: []string{"Regions"},
		Description: "The county, its townships and villages/communities, by code, with the latest population."},
		withData(s.listRegions))
	huma.Register(api, huma.Operation{OperationID: "get-region", Method: http.MethodGet,
		Path: "/api/v1/regions/{code}", Summary: "Get a region", Tags: []string{"Regions"},
		Description: "A region's parent, children, population by year and age band, and open facilities."},
		withData(s.getRegion))
	huma.Register(api, huma.Operation{OperationID: "download-regions-geojson", Method: http.MethodGet,
		Path: "/api/v1/regions.geojson", Summary: "Download region boundaries as GeoJSON", Tags: []string{"Regions"},
		Description: "An RFC 7946 FeatureCollection of one level's boundaries, with code, names, parent and latest " +
			"population as properties. Boundaries flagged illustrative_boundary are drawn, not surveyed.",
		Responses: fileResponses("application/geo+json", "RFC 7946 FeatureCollection")},
		withData(s.regionsGeoJSON))
}

func (s *Server) listRegions(ctx context.Context, snap *snapshot.Snapshot, in *ListRegionsInput) (*ListRegionsOutput, error) {
	out := &ListRegionsOutput{}
	out.Body.Dataset = datasetRef(snap)
	out.Body.Items = []Region{}
	for _, r := range snap.Regions(in.Level.V()) {
		out.Body.Items = append(out.Body.Items, regionOut(snap, r))
	}
	return out, nil
}

func (s *Server) getRegion(ctx context.Context, snap *snapshot.Snapshot, in *GetRegionInput) (*GetRegionOutput, error) {
	r, err := snap.Region(in.Code)
	if err != nil {
		return nil, s.problem(ctx, err, fmt.Sprintf("no region has code %q; list them with GET /api/v1/regions", in.Code))
	}
	d := RegionDetail{Region: regionOut(snap, r), Children: []RegionRef{}, PopulationByYear: []PopulationYear{}}
	if p, err := snap.Region(r.ParentCode); err == nil {
		d.Parent = ptr(regionRef(p))
	}
	for _, c := range snap.Children(r.Code) {
		d.Children = append(d.Children, regionRef(c))
	}
	for _, p := range snap.Population(r.Code) {
		d.PopulationByYear = append(d.PopulationByYear, PopulationYear{Year: p.Year, Total: p.Total, ChildrenUnder3: p.Under3,
			Age0to14: p.Age0to14, Age15to64: p.Age15to64, Age65Plus: p.Age65Plus})
	}
	var q FacilityFilter
	_ = q.resolve(ctx) // today's date, nothing else
	q.query.Region, q.query.Limit = r.Code, -1
	page, _ := snap.Facilities(q.query)
	d.Facilities.OpenOn = string(q.query.OpenOn)
	for _, m := range page {
		if m.Facility.Kind == county.Childcare {
			d.Facilities.Childcare++
			d.Facilities.ApprovedSlots += m.Facility.Slots.Total()
		} else {
			d.Facilities.NursingRooms++
		}
	}
	out := &GetRegionOutput{}
	out.Body.Dataset, out.Body.Region = datasetRef(snap), d
	return out, nil
}

func (s *Server) regionsGeoJSON(ctx context.Context, snap *snapshot.Snapshot, in *RegionsGeoJSONInput) (*DownloadOutput, error) {
	f := snap.Memo(regionsFileKey{in.Level.V()}, func() any {
		regions := snap.Regions(in.Level.V())
		b, err := encodeFeatures(snap, len(regions), func(i int) (string, *geojson.Geometry, Region) {
			r := regions[i]
			return r.Code, geojson.NewGeometry(geo.Simplest(r.Geometry)), regionOut(snap, r)
		})
		if err != nil {
			return err
		}
		return compressed(b)
	})
	if err, ok := f.(error); ok {
		return nil, s.problem(ctx, err, "")
	}
	out := &DownloadOutput{ContentType: "application/geo+json", Body: f.(*bulkFile).plain,
		ContentDisposition: attachment(snap, "regions-"+string(in.Level.V()), "geojson")}
	if web.AcceptsGzip(in.AcceptEncoding) {
		out.Body, out.ContentEncoding = f.(*bulkFile).gz, "gzip"
	}
	out.ContentLength = strconv.Itoa(len(out.Body))
	return out, nil
}
