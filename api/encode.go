package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"shanyu/snapshot"
)

// GeoJSON types for bulk downloads: typed structs encode about eight times
// faster than orb's generic features and keep coordinates at six decimals.
type pointGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

type facilityFeature struct {
	Type       string        `json:"type"`
	ID         string        `json:"id"`
	Geometry   pointGeometry `json:"geometry"`
	Properties Facility      `json:"properties"`
}

type facilityCollection struct {
	Type     string            `json:"type"`
	Dataset  DatasetRef        `json:"dataset"` // an RFC 7946 foreign member
	Features []facilityFeature `json:"features"`
}

func encodeFacilitiesGeoJSON(snap *snapshot.Snapshot, page []snapshot.Match, crs CRS) ([]byte, error) {
	fc := facilityCollection{Type: "FeatureCollection", Dataset: datasetRef(snap), Features: make([]facilityFeature, len(page))}
	for i, m := range page {
		f := crs.facility(facilityOut(m.Facility, m.Place, m.Metres), m.Facility.Point)
		fc.Features[i] = facilityFeature{Type: "Feature", ID: f.ID,
			Geometry: pointGeometry{Type: "Point", Coordinates: [2]float64{f.Lon, f.Lat}}, Properties: f}
	}
	return json.Marshal(fc)
}

// csvColumns are the columns of facilities.csv, documented in the OpenAPI
// description. Kind-specific columns are empty for the other kind.
var csvColumns = []string{"id", "kind", "name_zh", "lon", "lat", "township_code", "village_code",
	"address", "phone", "opening_hours", "opened_on", "closed_on", "distance_m",
	"operator_type", "inclusive", "filed", "approved_slots",
	"slots_infant", "slots_toddler_small", "slots_toddler_large", "slots_mixed",
	"enrolled_infant", "enrolled_toddler_small", "enrolled_toddler_large", "enrolled_mixed",
	"monthly_fee_yuan", "venue_type", "star", "amenities", "accessible"}

var csvHeaderDoc = strings.Join(csvColumns, ", ") + " (amenities are ;-separated; distance_m only with near)"

func encodeFacilitiesCSV(page []snapshot.Match, crs CRS) []byte {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	_ = w.Write(csvColumns)
	for _, m := range page {
		_ = w.Write(csvRecord(crs.facility(facilityOut(m.Facility, m.Place, m.Metres), m.Facility.Point)))
	}
	w.Flush()
	return buf.Bytes()
}

// csvRecord is a facility's row of facilities.csv, field by field.
func csvRecord(f Facility) []string {
	b := func(p *bool) string {
		if p == nil {
			return ""
		}
		return strconv.FormatBool(*p)
	}
	classes := func(c *ClassCounts) []string {
		if c == nil {
			return []string{"", "", "", ""}
		}
		return []string{strconv.Itoa(c.Infant), strconv.Itoa(c.ToddlerSmall), strconv.Itoa(c.ToddlerLarge), strconv.Itoa(c.Mixed)}
	}
	dist := ""
	if f.DistanceM != nil {
		dist = strconv.FormatFloat(*f.DistanceM, 'f', 1, 64)
	}
	rec := []string{f.ID, f.Kind, f.NameZh, formatFloat(f.Lon), formatFloat(f.Lat), f.TownshipCode, f.VillageCode,
		f.Address, f.Phone, f.OpeningHours, f.OpenedOn, f.ClosedOn, dist,
		f.OperatorType, b(f.Inclusive), b(f.Filed), itoa(f.ApprovedSlots)}
	rec = append(rec, classes(f.Slots)...)
	rec = append(rec, classes(f.Enrolled)...)
	return append(rec, itoa(f.MonthlyFeeYuan), f.VenueType, itoa(f.Star), strings.Join(f.Amenities, ";"), b(f.Accessible))
}

// The fields of csvRecord around the parts that vary: lon and lat, and
// distance_m.
const (
	csvLon      = 3
	csvDistance = 12
)

// formatPtr writes a nullable number for CSV: empty when nil.
func formatPtr(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
