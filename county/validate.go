package county

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// maxProblems bounds how many problems Validate reports at once.
const maxProblems = 50

// Validate checks the rules every data set must keep, whatever loaded it:
// unique ids and codes, coordinates in range, known enumerations,
// non-negative counts, enrolment within approved slots, star 1–3, and
// region parents and population codes that exist. It returns every problem
// found (up to 50), joined.
func Validate(ds *Dataset) error {
	var errs []error
	bad := func(format string, args ...any) {
		if len(errs) < maxProblems {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	codes := map[string]Level{}
	for _, r := range ds.Regions {
		if !r.Level.Valid() {
			bad("region %s: level %q is not one of %v", r.Code, r.Level, Levels)
		}
		if _, dup := codes[r.Code]; dup {
			bad("region %s: code appears twice", r.Code)
		}
		codes[r.Code] = r.Level
		if r.NameZh == "" {
			bad("region %s: name_zh is empty", r.Code)
		}
	}
	for _, r := range ds.Regions {
		if r.Level == LevelCounty {
			continue
		}
		if _, ok := codes[r.ParentCode]; !ok {
			bad("region %s: parent_code %q is not a region of the data set", r.Code, r.ParentCode)
		}
	}
	type key struct {
		code string
		year int
	}
	seen := map[key]bool{}
	for _, p := range ds.Population {
		if _, ok := codes[p.Code]; !ok {
			bad("population %s %d: code is not a region of the data set", p.Code, p.Year)
		}
		if seen[key{p.Code, p.Year}] {
			bad("population %s %d: appears twice", p.Code, p.Year)
		}
		seen[key{p.Code, p.Year}] = true
		if p.Total < 0 || p.Under3 < 0 || p.Age0to14 < 0 || p.Age15to64 < 0 || p.Age65Plus < 0 {
			bad("population %s %d: counts must not be negative", p.Code, p.Year)
		}
		if p.Under3 > p.Age0to14 {
			bad("population %s %d: under_3 (%d) exceeds age_0_14 (%d)", p.Code, p.Year, p.Under3, p.Age0to14)
		}
		if p.Age0to14+p.Age15to64+p.Age65Plus != p.Total {
			bad("population %s %d: age bands sum to %d, total is %d", p.Code, p.Year,
				p.Age0to14+p.Age15to64+p.Age65Plus, p.Total)
		}
	}
	// Ids are checked for repeats by neighbours when the facilities come in
	// id order, as stores load them, and through a set otherwise.
	sorted := slices.IsSortedFunc(ds.Facilities, func(a, b Facility) int { return strings.Compare(a.ID, b.ID) })
	var ids map[string]bool
	if !sorted {
		ids = make(map[string]bool, len(ds.Facilities))
	}
	for k := range ds.Facilities {
		f := &ds.Facilities[k]
		if f.ID == "" {
			bad("facility %q: id is empty", f.NameZh)
		}
		if sorted && k > 0 && ds.Facilities[k-1].ID == f.ID || !sorted && ids[f.ID] {
			bad("facility %s: id appears twice", f.ID)
		}
		if !sorted {
			ids[f.ID] = true
		}
		if err := CheckPoint(f.Point[0], f.Point[1]); err != nil {
			bad("facility %s: %v", f.ID, err)
		}
		if f.ClosedOn != "" && f.OpenedOn != "" && f.ClosedOn < f.OpenedOn {
			bad("facility %s: closed_on %s is before opened_on %s", f.ID, f.ClosedOn, f.OpenedOn)
		}
		switch f.Kind {
		case Childcare:
			if !slices.Contains(OperatorTypes, f.OperatorType) {
				bad("facility %s: operator_type %q is not one of %v", f.ID, f.OperatorType, OperatorTypes)
			}
			for _, c := range Classes {
				s, _ := f.Slots.Get(c)
				e, _ := f.Enrolled.Get(c)
				if s < 0 || e < 0 {
					bad("facility %s: %s slots and enrolment must not be negative", f.ID, c)
				}
				if e > s {
					bad("facility %s: %s enrolment %d is above its %d approved slots", f.ID, c, e, s)
				}
			}
			if f.MonthlyFeeYuan < 0 {
				bad("facility %s: monthly_fee_yuan must not be negative", f.ID)
			}
		case NursingRoom:
			if !slices.Contains(VenueTypes, f.VenueType) {
				bad("facility %s: venue_type %q is not one of %v", f.ID, f.VenueType, VenueTypes)
			}
			if f.Star < 1 || f.Star > 3 {
				bad("facility %s: star %d is not 1, 2 or 3", f.ID, f.Star)
			}
		default:
			bad("facility %s: kind %q is not one of %v", f.ID, f.Kind, Kinds)
		}
	}
	units := map[string]bool{}
	for _, u := range ds.Paediatric {
		dup := units[u.ID]
		if sorted {
			_, f := slices.BinarySearchFunc(ds.Facilities, u.ID, func(f Facility, id string) int { return strings.Compare(f.ID, id) })
			dup = dup || f
		} else {
			dup = dup || ids[u.ID]
		}
		if dup {
			bad("paediatric unit %s: id appears twice", u.ID)
		}
		units[u.ID] = true
		if err := CheckPoint(u.Point[0], u.Point[1]); err != nil {
			bad("paediatric unit %s: %v", u.ID, err)
		}
		if !slices.Contains(PaediatricTypes, u.Type) {
			bad("paediatric unit %s: type %q is not one of %v", u.ID, u.Type, PaediatricTypes)
		}
		if u.Paediatricians < 0 {
			bad("paediatric unit %s: paediatricians must not be negative", u.ID)
		}
	}
	return errors.Join(errs...)
}

// CheckPoint reports whether lon, lat is a finite WGS84 position.
func CheckPoint(lon, lat float64) error {
	switch {
	case math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0):
		return fmt.Errorf("coordinates must be finite numbers, got %v, %v", lon, lat)
	case lon < -180 || lon > 180:
		return fmt.Errorf("longitude %v is outside -180..180", lon)
	case lat < -90 || lat > 90:
		return fmt.Errorf("latitude %v is outside -90..90", lat)
	}
	return nil
}
