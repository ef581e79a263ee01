package snapshot_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"shanyu/county"
	"shanyu/coverage"
	"shanyu/data/sample"
	"shanyu/geo"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

// TestFacilitiesMatchesBruteForce checks Snapshot.Facilities against a
// plain loop over every facility for random combinations of filters.
func TestFacilitiesMatchesBruteForce(t *testing.T) {
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot.New(ds, "test")
	all, _ := snap.Facilities(snapshot.Query{Limit: -1})
	r := rand.New(rand.NewPCG(9, 10))
	codes := []string{"", "331126", "331126001", "331126002005", "331126101"}
	for n := 0; n < 3000; n++ {
		q := snapshot.Query{Offset: r.IntN(5), Limit: 1 + r.IntN(20)}
		if r.IntN(2) == 0 {
			q.Kinds = []county.Kind{county.Kinds[r.IntN(2)]}
		}
		q.Region = codes[r.IntN(len(codes))]
		if r.IntN(3) == 0 {
			a := orb.Point{118.9 + r.Float64()*0.4, 27.45 + r.Float64()*0.35}
			b := orb.Bound{Min: a, Max: a}.Extend(orb.Point{a[0] + r.Float64()*0.2, a[1] + r.Float64()*0.2})
			q.BBox = &b
		}
		if r.IntN(2) == 0 {
			p := orb.Point{118.8 + r.Float64()*0.8, 27.3 + r.Float64()*0.7}
			q.Near = &p
			if r.IntN(2) == 0 {
				q.MaxDistance = 500 + r.Float64()*15000
			}
		}
		if r.IntN(4) == 0 {
			v := r.IntN(2) == 0
			q.Inclusive = &v
		}
		if r.IntN(4) == 0 {
			q.Class = county.Classes[r.IntN(4)]
		}
		if r.IntN(4) == 0 {
			q.StarMin = 1 + r.IntN(3)
		}
		if r.IntN(2) == 0 {
			q.OpenOn = county.Date([]string{"2019-01-01", "2023-06-30", "2025-12-31"}[r.IntN(3)])
		}

		// Brute force.
		var want []snapshot.Match
		for _, m := range all {
			f := m.Facility
			ok := (len(q.Kinds) == 0 || q.Kinds[0] == f.Kind) &&
				(q.Region == "" || m.Place.In(q.Region)) &&
				(q.BBox == nil || q.BBox.Contains(f.Point)) &&
				(q.OpenOn == "" || f.OpenOn(q.OpenOn)) &&
				(q.Inclusive == nil || f.Kind == county.Childcare && f.Inclusive == *q.Inclusive) &&
				(q.StarMin == 0 || f.Kind == county.NursingRoom && f.Star >= q.StarMin)
			if q.Class != "" {
				n, _ := f.Slots.Get(q.Class)
				ok = ok && f.Kind == county.Childcare && n > 0
			}
			m.Metres = math.NaN()
			if q.Near != nil {
				m.Metres = geo.Distance(*q.Near, f.Point)
				ok = ok && (q.MaxDistance == 0 || m.Metres <= q.MaxDistance)
			}
			if ok {
				want = append(want, m)
			}
		}
		if q.Near != nil {
			slices.SortStableFunc(want, func(a, b snapshot.Match) int {
				switch {
				case a.Metres < b.Metres:
					return -1
				case a.Metres > b.Metres:
					return 1
				}
				return 0
			})
		}
		matched := len(want)
		want = want[min(q.Offset, len(want)):]
		want = want[:min(q.Limit, len(want))]

		got, gotMatched := snap.Facilities(q)
		if gotMatched != matched || len(got) != len(want) {
			t.Fatalf("query %+v: matched %d, %d items; want %d, %d", q, gotMatched, len(got), matched, len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if math.IsNaN(g.Metres) != math.IsNaN(w.Metres) || math.Abs(g.Metres-w.Metres) > 1e-6 {
				t.Fatalf("query %+v: item %d at %v m, want %v m", q, i, g.Metres, w.Metres)
			}
			// Items must come in the same order; only two at one distance
			// (to 1 µm) may swap, since the index measures on chords.
			tie := !math.IsNaN(w.Metres) && math.Abs(g.Metres-w.Metres) <= 1e-6 &&
				i+1 < len(want) && math.Abs(want[i+1].Metres-w.Metres) <= 1e-6
			if g.Facility.ID != w.Facility.ID && !tie {
				t.Fatalf("query %+v: item %d is %s, want %s", q, i, g.Facility.ID, w.Facility.ID)
			}
		}
	}
}

// TestBorderPointGoesToSmallerCode: a facility exactly on the border of
// two villages is placed in one of them, the smaller code, and its
// township is that village's parent.
func TestBorderPointGoesToSmallerCode(t *testing.T) {
	square := func(x0, x1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 0}, {x1, 0}, {x1, 1}, {x0, 1}, {x0, 0}}}}
	}
	ds := &county.Dataset{
		Regions: []county.Region{
			{Code: "100000", Level: county.LevelCounty, NameZh: "县", Geometry: square(0, 2)},
			{Code: "100000001", Level: county.LevelTownship, NameZh: "甲镇", ParentCode: "100000", Geometry: square(0, 1)},
			{Code: "100000002", Level: county.LevelTownship, NameZh: "乙镇", ParentCode: "100000", Geometry: square(1, 2)},
			{Code: "100000002001", Level: county.LevelVillage, NameZh: "乙村", ParentCode: "100000002", Geometry: square(1, 2)},
			{Code: "100000001001", Level: county.LevelVillage, NameZh: "甲村", ParentCode: "100000001", Geometry: square(0, 1)},
		},
		Facilities: []county.Facility{
			{ID: "border", Kind: county.Childcare, OperatorType: "public", Slots: county.ClassCounts{Mixed: 10}, Point: orb.Point{1, 0.5}},
			{ID: "east", Kind: county.NursingRoom, Star: 1, VenueType: "mall", Point: orb.Point{1.5, 0.5}},
			{ID: "outside", Kind: county.NursingRoom, Star: 1, VenueType: "mall", Point: orb.Point{5, 5}},
		},
	}
	if err := county.Validate(ds); err != nil {
		t.Fatal(err)
	}
	snap := snapshot.New(ds, "test")
	for _, tt := range []struct {
		id   string
		want snapshot.Place
	}{
		{"border", snapshot.Place{County: "100000", Township: "100000001", Village: "100000001001"}},
		{"east", snapshot.Place{County: "100000", Township: "100000002", Village: "100000002001"}},
		{"outside", snapshot.Place{}},
	} {
		_, got, err := snap.Facility(tt.id)
		if err != nil || got != tt.want {
			t.Errorf("Facility(%s) placed in %+v, want %+v", tt.id, got, tt.want)
		}
	}
	// Counted once: the two townships' facilities add up to the county's.
	count := func(code string) int {
		_, n := snap.Facilities(snapshot.Query{Region: code, Limit: -1})
		return n
	}
	if a, b, c := count("100000001"), count("100000002"), count("100000"); a+b != c || c != 2 {
		t.Errorf("townships hold %d + %d facilities, county %d; want 1 + 1 = 2", a, b, c)
	}
	// And coverage counts the border centre's slots once, in 甲镇.
	towns := coverage.OfLevel(snap, county.LevelTownship, "2025-01-01")
	whole := coverage.OfLevel(snap, county.LevelCounty, "2025-01-01")
	if towns[0].Slots.Total() != 10 || towns[1].Slots.Total() != 0 || whole[0].Slots.Total() != 10 {
		t.Errorf("border centre's slots: 甲镇 %d, 乙镇 %d, county %d; want 10, 0, 10",
			towns[0].Slots.Total(), towns[1].Slots.Total(), whole[0].Slots.Total())
	}
}
