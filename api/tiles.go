package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"shanyu/county"
	"shanyu/coverage"
	"shanyu/geo"
	"shanyu/snapshot"
	"shanyu/web"
)

// Mapbox vector tiles of the OGC collections, rendered from the snapshot and
// cached per snapshot: a tile is rendered once per dataset version, then
// served from memory until the cache's byte bound pushes it out.

// Tile bounds.
const (
	tileMaxZoom      = 22
	tileExtent       = geo.MVTExtent
	tileBuffer       = 64.0 / tileExtent // a 64-unit margin, so symbols on an edge draw on both tiles
	maxTilePoints    = 4096              // above this a tile keeps one point per grid cell
	tileGridCells    = 64                // cells per tile side when thinning points
	tileCacheBytes   = 64 << 20          // memory the tile cache may hold
	mediaVectorTile  = "application/vnd.mapbox-vector-tile"
	tileSimplifyUnit = 1.0 // Douglas–Peucker tolerance in tile units: 1/4096 of a tile at any zoom
)

// tileKey names one rendered tile of one dataset version.
type tileKey struct {
	version, collection string
	tile                maptile.Tile
}

// tileCache holds rendered tiles, least recently used first out, bounded
// in bytes. Empty tiles are cached too, as nil.
type tileCache struct{ web.BytesLRU[tileKey] }

// TileInput names one tile.
type TileInput struct {
	Collection  string `path:"collection" maxLength:"64" doc:"childcare, nursing_rooms, townships, villages, coverage_townships or coverage_villages" example:"childcare"`
	Z           int    `path:"z" doc:"Zoom, 0 to 22"`
	X           int    `path:"x" doc:"Column, 0 to 2^z − 1"`
	Y           string `path:"y" doc:"Row, 0 to 2^z − 1, followed by .mvt" example:"1712.mvt"`
	IfNoneMatch string `header:"If-None-Match" doc:"The ETag of a copy you hold: 304 while the dataset version is the same"`

	coll *ogcCollection
	tile maptile.Tile
}

// Resolve implements huma.Resolver.
func (in *TileInput) Resolve(ctx huma.Context) []error {
	if in.coll = ogcCollectionByID(in.Collection); in.coll == nil {
		return []error{huma.Error404NotFound(fmt.Sprintf("no tiled collection has id %q; the collections are %s", in.Collection, ogcCollectionIDs()))}
	}
	var errs []error
	row, ok := strings.CutSuffix(in.Y, ".mvt")
	y, err := strconv.Atoi(row)
	if !ok || err != nil || strconv.Itoa(y) != row {
		errs = append(errs, ogcBad("path.y", in.Y, "the last part is the row followed by .mvt, such as 1712.mvt"))
	}
	if in.Z < 0 || in.Z > tileMaxZoom {
		return append(errs, ogcBad("path.z", in.Z, "zoom is 0 to %d", tileMaxZoom))
	}
	n := 1 << in.Z
	if in.X < 0 || in.X >= n {
		errs = append(errs, ogcBad("path.x", in.X, "at zoom %d the column is 0 to %d", in.Z, n-1))
	}
	if err == nil && (y < 0 || y >= n) {
		errs = append(errs, ogcBad("path.y", in.Y, "at zoom %d the row is 0 to %d", in.Z, n-1))
	}
	in.tile = maptile.New(uint32(in.X), uint32(max(y, 0)), maptile.Zoom(in.Z))
	return errs
}

// TileOutput is a vector tile, or 204 for an empty one.
type TileOutput struct {
	Status       int
	ContentType  string `header:"Content-Type"`
	CacheControl string `header:"Cache-Control"`
	ETag         string `header:"ETag" doc:"The dataset version and API version: a tile changes only with them"`
	Body         []byte
}

// TileJSONInput names a collection.
type TileJSONInput struct {
	ogcBase
	Collection string `path:"collection" maxLength:"64" doc:"A collection id, as in /ogc/collections" example:"childcare"`
}

// Resolve implements huma.Resolver.
func (in *TileJSONInput) Resolve(ctx huma.Context) []error {
	in.resolveBase(ctx)
	if ogcCollectionByID(in.Collection) == nil {
		return []error{huma.Error404NotFound(fmt.Sprintf("no tiled collection has id %q; the collections are %s", in.Collection, ogcCollectionIDs()))}
	}
	return nil
}

// VectorLayer describes a layer of the tiles, as TileJSON lists it.
type VectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	Fields      map[string]string `json:"fields"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
}

// TileJSON is a TileJSON 3.0.0 document.
type TileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Version      string        `json:"version" doc:"The dataset version the tiles show"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []VectorLayer `json:"vector_layers"`
}

// TileJSONOutput wraps TileJSON.
type TileJSONOutput struct {
	Body TileJSON
}

// tileFields are the properties each collection's tiles carry: few, so
// tiles stay small; the full record is one click away in /ogc.
func tileFields(c *ogcCollection) map[string]string {
	switch {
	case c.kind == county.Childcare:
		return map[string]string{"id": "String", "name_zh": "String", "approved_slots": "Number", "inclusive": "Boolean", "closed_on": "String", "point_count": "Number"}
	case c.kind == county.NursingRoom:
		return map[string]string{"id": "String", "name_zh": "String", "star": "Number", "closed_on": "String", "point_count": "Number"}
	case c.coverage:
		return map[string]string{"code": "String", "name_zh": "String", "slots_per_1000": "Number", "target_per_1000": "Number", "gap_slots": "Number", "met": "Boolean"}
	}
	return map[string]string{"code": "String", "name_zh": "String", "population": "Number", "children_under_3": "Number"}
}

func (s *Server) registerTiles(api huma.API) {
	tags := []string{"Vector tiles"}
	huma.Register(api, huma.Operation{OperationID: "get-tile", Method: http.MethodGet, Path: "/tiles/{collection}/{z}/{x}/{y}",
		Summary: "A Mapbox vector tile of a collection", Tags: tags,
		Description: "XYZ scheme (Web Mercator, row 0 at the north), one layer named after the collection. Facilities " +
			"are points (closed ones with closed_on; above 4,096 points a tile keeps one per 1/64 of its side, " +
			"with point_count); regions are clipped to the tile with a 64-unit margin and simplified to one tile unit. " +
			"204 for an empty tile. Tiles are rendered once per dataset version and cached.",
		Responses: map[string]*huma.Response{
			"200": {Description: "Mapbox vector tile 2.1", Content: map[string]*huma.MediaType{mediaVectorTile: {Schema: &huma.Schema{Type: "string", Format: "binary"}}}},
			"204": {Description: "Empty tile"},
			"304": {Description: "Not modified: the tile of this dataset version is the one you hold"},
		}},
		withData(s.getTile))
	huma.Register(api, huma.Operation{OperationID: "get-tilejson", Method: http.MethodGet, Path: "/tiles/{collection}/tilejson.json",
		Summary: "TileJSON of a collection's vector tiles", Tags: tags,
		Description: "A TileJSON 3.0.0 document for MapLibre, Mapbox GL or QGIS (Vector Tiles ▸ New Generic Connection)."},
		withData(func(ctx context.Context, snap *snapshot.Snapshot, in *TileJSONInput) (*TileJSONOutput, error) {
			c := ogcCollectionByID(in.Collection)
			maxZoom := 16
			if c.kind != "" {
				maxZoom = 18
			}
			var b orb.Bound
			if counties := snap.Regions(county.LevelCounty); len(counties) > 0 {
				b = counties[0].Geometry.Bound()
			}
			center := b.Center()
			return &TileJSONOutput{Body: TileJSON{TileJSON: "3.0.0", Name: c.title, Description: c.doc, Version: snap.Version,
				Attribution: snap.Meta.Title + " — " + snap.Meta.Licence, Scheme: "xyz",
				Tiles:   []string{in.link("/tiles/" + c.id + "/{z}/{x}/{y}.mvt")},
				MinZoom: 0, MaxZoom: maxZoom,
				Bounds:       [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
				Center:       [3]float64{center[0], center[1], 10},
				VectorLayers: []VectorLayer{{ID: c.id, Description: c.title, Fields: tileFields(c), MinZoom: 0, MaxZoom: maxZoom}},
			}}, nil
		}))
}

func (s *Server) getTile(ctx context.Context, snap *snapshot.Snapshot, in *TileInput) (*TileOutput, error) {
	etag := `"` + snap.Version + "-" + Version + `"`
	if web.ETagMatch(in.IfNoneMatch, etag) {
		return &TileOutput{Status: http.StatusNotModified, CacheControl: "public, no-cache", ETag: etag}, nil
	}
	b, err := s.tiles.tile(snap, in.coll, in.tile)
	if err != nil {
		return nil, s.problem(ctx, err, "")
	}
	if b == nil {
		return &TileOutput{Status: http.StatusNoContent, CacheControl: "public, no-cache", ETag: etag}, nil
	}
	return &TileOutput{Status: http.StatusOK, ContentType: mediaVectorTile, CacheControl: "public, no-cache", ETag: etag, Body: b}, nil
}

// tile returns the tile from the cache, rendering it on a miss. Nil means
// the tile is empty.
func (c *tileCache) tile(snap *snapshot.Snapshot, coll *ogcCollection, t maptile.Tile) ([]byte, error) {
	k := tileKey{version: snap.Version, collection: coll.id, tile: t}
	if b, ok := c.Get(k); ok {
		return b, nil
	}
	b, err := renderTile(snap, coll, t)
	if err != nil {
		return nil, err
	}
	c.Put(k, b, tileCacheBytes)
	return b, nil
}

// renderTile draws one tile of a collection from the snapshot; nil when
// nothing falls in it.
func renderTile(snap *snapshot.Snapshot, coll *ogcCollection, t maptile.Tile) ([]byte, error) {
	fc := geojson.NewFeatureCollection()
	bound := t.Bound(tileBuffer)
	switch {
	case coll.kind != "":
		page, _ := snap.Facilities(snapshot.Query{Kinds: []county.Kind{coll.kind}, BBox: &bound, Limit: -1})
		if len(page) == 0 {
			return nil, nil
		}
		// Above maxTilePoints, one point per grid cell stands for the
		// others: the first by id, with their number.
		kept, counts := page, []int(nil)
		if len(page) > maxTilePoints {
			cells := map[[2]int]int{}
			kept = kept[:0:0]
			for _, m := range page {
				fr := maptile.Fraction(m.Facility.Point, t.Z)
				cell := [2]int{int(math.Floor((fr[0] - float64(t.X)) * tileGridCells)), int(math.Floor((fr[1] - float64(t.Y)) * tileGridCells))}
				if k, ok := cells[cell]; ok {
					counts[k]++
					continue
				}
				cells[cell] = len(kept)
				kept = append(kept, m)
				counts = append(counts, 1)
			}
		}
		layer := geo.NewPointLayer(coll.id, t)
		props := make([]any, 0, 12)
		for i, m := range kept {
			f := m.Facility
			props = append(props[:0], "id", geo.MVTString(f.ID), "name_zh", geo.MVTString(f.NameZh))
			if f.Kind == county.Childcare {
				props = append(props, "approved_slots", geo.MVTInt(f.Slots.Total()), "inclusive", geo.MVTBool(f.Inclusive))
			} else {
				props = append(props, "star", geo.MVTInt(f.Star))
			}
			if f.ClosedOn != "" {
				props = append(props, "closed_on", geo.MVTString(string(f.ClosedOn)))
			}
			if counts != nil {
				props = append(props, "point_count", geo.MVTInt(counts[i]))
			}
			layer.Add(f.Point, props...)
		}
		return layer.Marshal(), nil
	case coll.coverage:
		if err := needPolicy(snap); err != nil {
			return nil, err
		}
		for _, row := range coverage.OfLevel(snap, coll.level, defaultDay(snap)) {
			if !row.Region.Geometry.Bound().Intersects(bound) {
				continue
			}
			it := coverageItem(snap.Policy(), row)
			p := geojson.Properties{"code": it.Code, "name_zh": it.NameZh, "target_per_1000": it.TargetPer1000,
				"gap_slots": it.GapSlots, "met": it.Met}
			if it.SlotsPer1000 != nil {
				p["slots_per_1000"] = *it.SlotsPer1000
			}
			fc.Append(&geojson.Feature{Type: "Feature", Geometry: orb.Clone(row.Region.Geometry), Properties: p})
		}
	default:
		for _, r := range snap.Regions(coll.level) {
			if !r.Geometry.Bound().Intersects(bound) {
				continue
			}
			p := geojson.Properties{"code": r.Code, "name_zh": r.NameZh}
			if pop, ok := snap.LatestPopulation(r.Code); ok {
				p["population"], p["children_under_3"] = pop.Total, pop.Under3
			}
			fc.Append(&geojson.Feature{Type: "Feature", Geometry: orb.Clone(r.Geometry), Properties: p})
		}
	}
	if len(fc.Features) == 0 {
		return nil, nil
	}
	layer := mvt.NewLayer(coll.id, fc)
	layer.ProjectToTile(t)
	if coll.kind == "" {
		margin := float64(tileExtent) * tileBuffer
		layer.Clip(orb.Bound{Min: orb.Point{-margin, -margin}, Max: orb.Point{tileExtent + margin, tileExtent + margin}})
		layer.Simplify(simplify.DouglasPeucker(tileSimplifyUnit))
		layer.RemoveEmpty(tileSimplifyUnit, tileSimplifyUnit)
		if len(layer.Features) == 0 {
			return nil, nil
		}
	}
	return mvt.Marshal(mvt.Layers{layer})
}
