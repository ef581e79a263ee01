package api

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"shanyu/county"
	"shanyu/indicators"
	"shanyu/snapshot"
)

// dateRange is the span of days a question about the data can be about:
// from 1 January of its first population year (or the first opening, if
// earlier) to the latest of 31 December of its last population year, its
// reference date and today. A day outside it (0000-01-01, 9999-12-31)
// is a mistake, not a question, and gets a 422 that says the range.
type dateRange struct{ from, to county.Date }

type dateRangeKey struct{}

func dataRange(snap *snapshot.Snapshot) dateRange {
	return snap.Memo(dateRangeKey{}, func() any {
		var r dateRange
		if years := snap.Years(); len(years) > 0 {
			r.from = county.Date(fmt.Sprintf("%04d-01-01", slices.Min(years)))
			r.to = county.Date(fmt.Sprintf("%04d-12-31", slices.Max(years)))
		}
		for i := range snap.NumFacilities() {
			if d := snap.FacilityAt(i).OpenedOn; d != "" && (r.from == "" || d < r.from) {
				r.from = d
			}
		}
		r.to = max(r.to, snap.Meta.ReferenceDate)
		return r
	}).(dateRange)
}

// checkDay refuses a day outside the data's range; loc names the
// parameter. Today is always inside.
func checkDay(ctx context.Context, loc string, d county.Date) []error {
	snap := pinned(ctx)
	if snap == nil || d == "" {
		return nil
	}
	r := dataRange(snap)
	to := max(r.to, county.Today())
	if r.from == "" || (d >= r.from && d <= to) {
		return nil
	}
	return []error{&huma.ErrorDetail{Location: loc, Value: string(d),
		Message: fmt.Sprintf("%s is outside the data, which covers %s to %s; ask for a day in that range", d, r.from, to)}}
}

// checkPeriod refuses a period that none of values has, listing those
// that exist.
func checkPeriod(period string, values []indicators.Value) []error {
	if period == "" {
		return nil
	}
	var have []string
	for _, v := range values {
		if p := v.Period; !slices.Contains(have, p) {
			have = append(have, p)
		}
	}
	if slices.Contains(have, period) {
		return nil
	}
	slices.Sort(have)
	return []error{&huma.ErrorDetail{Location: "query.period", Value: period,
		Message: "no values for period " + strconv.Quote(period) + "; this indicator has " + strings.Join(have, ", ")}}
}
