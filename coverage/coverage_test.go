package coverage_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb/planar"

	"shanyu/county"
	"shanyu/coverage"
	"shanyu/data/sample"
	"shanyu/data/sample/generator"
	"shanyu/snapshot"
	"shanyu/source/bundle"
)

func sampleSnap(t testing.TB) (*county.Dataset, *snapshot.Snapshot) {
	t.Helper()
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	ds2, _ := bundle.Read(sample.Bundle())
	return ds2, snapshot.New(ds, "test")
}

// TestCountyIsSumOfTownships: every additive figure of the county equals
// the sum over its townships, and each township's the sum over its villages.
func TestCountyIsSumOfTownships(t *testing.T) {
	_, snap := sampleSnap(t)
	for _, day := range []county.Date{"2021-06-30", "2025-12-31"} {
		whole := coverage.OfLevel(snap, county.LevelCounty, day)
		towns := coverage.OfLevel(snap, county.LevelTownship, day)
		villages := coverage.OfLevel(snap, county.LevelVillage, day)
		var sumT coverage.Tally
		gapInParts := 0
		for _, c := range towns {
			sumT = addTally(sumT, c.Tally)
			gapInParts += c.GapSlots
			var sumV coverage.Tally
			for _, v := range villages {
				if v.Region.ParentCode == c.Region.Code {
					sumV = addTally(sumV, v.Tally)
				}
			}
			if sumV.Population != c.Population || sumV.Slots != c.Slots || sumV.Centres != c.Centres || sumV.Rooms != c.Rooms {
				t.Errorf("%s %s: villages add to %+v, township has %+v", day, c.Region.NameZh, sumV, c.Tally)
			}
		}
		if sumT != whole[0].Tally {
			t.Errorf("%s: townships add to %+v, county has %+v", day, sumT, whole[0].Tally)
		}
		if *whole[0].GapSlotsInParts != gapInParts {
			t.Errorf("county gap_slots_in_parts %d, townships' gaps add to %d", *whole[0].GapSlotsInParts, gapInParts)
		}
	}
}

func addTally(a, b coverage.Tally) coverage.Tally {
	a.Population += b.Population
	a.Under3 += b.Under3
	a.Age0to14 += b.Age0to14
	a.Centres += b.Centres
	a.Slots.Infant += b.Slots.Infant
	a.Slots.ToddlerSmall += b.Slots.ToddlerSmall
	a.Slots.ToddlerLarge += b.Slots.ToddlerLarge
	a.Slots.Mixed += b.Slots.Mixed
	a.Enrolled.Infant += b.Enrolled.Infant
	a.Enrolled.ToddlerSmall += b.Enrolled.ToddlerSmall
	a.Enrolled.ToddlerLarge += b.Enrolled.ToddlerLarge
	a.Enrolled.Mixed += b.Enrolled.Mixed
	a.SlotsInclusive += b.SlotsInclusive
	a.Paediatricians += b.Paediatricians
	for i := range a.Rooms {
		a.Rooms[i] += b.Rooms[i]
	}
	return a
}

// TestSlotsPer1000ByBruteForce recomputes every township's slots per 1,000
// on its own: point in polygon over all facilities of the bundle against
// the township boundaries, nothing from the snapshot's placement.
func TestSlotsPer1000ByBruteForce(t *testing.T) {
	ds, snap := sampleSnap(t)
	const day = "2025-12-31"
	got := coverage.OfLevel(snap, county.LevelTownship, day)
	pop := map[string]int{}
	for _, p := range ds.Population {
		if p.Year == 2025 {
			pop[p.Code] = p.Total
		}
	}
	for _, c := range got {
		var geom = c.Region.Geometry
		slots := 0
		for _, f := range ds.Facilities {
			if f.Kind == county.Childcare && f.OpenOn(day) && planar.MultiPolygonContains(geom, f.Point) {
				slots += f.Slots.Total()
			}
		}
		want := float64(slots) * 1000 / float64(pop[c.Region.Code])
		if math.Abs(c.SlotsPer1000-want) > 1e-9 {
			t.Errorf("%s: slots per 1,000 = %v, brute force %v", c.Region.NameZh, c.SlotsPer1000, want)
		}
	}
}

// TestSampleHasGaps: the sample shows met and unmet townships and a new
// community under its 10 per 1,000.
func TestSampleHasGaps(t *testing.T) {
	_, snap := sampleSnap(t)
	towns := coverage.OfLevel(snap, county.LevelTownship, "2025-12-31")
	met, unmet := 0, 0
	for _, c := range towns {
		if c.Met {
			met++
		} else {
			unmet++
		}
		if c.Met != (c.SlotsPer1000 >= 4.5) {
			t.Errorf("%s: %v per 1,000 but met=%v", c.Region.NameZh, c.SlotsPer1000, c.Met)
		}
		if c.ConstructionSubsidyYuan != float64(c.GapSlots)*2000 {
			t.Errorf("%s: construction subsidy %v for a gap of %d", c.Region.NameZh, c.ConstructionSubsidyYuan, c.GapSlots)
		}
	}
	if met == 0 || unmet == 0 {
		t.Errorf("%d townships met, %d unmet: the sample should have both", met, unmet)
	}
	villages := coverage.OfLevel(snap, county.LevelVillage, "2025-12-31")
	short := false
	for _, v := range villages {
		if v.Region.NewCommunity {
			if *v.Target.Value != 10 || v.Target.Clause != "（七）" {
				t.Errorf("new community %s has target %v", v.Region.NameZh, *v.Target.Value)
			}
			short = short || !v.Met
		}
	}
	if !short {
		t.Error("no new community is below 10 per 1,000")
	}
}

func TestOperatingSubsidyByHand(t *testing.T) {
	// 10 infant + 10 toddler_large slots, 15 enrolled: rate 0.75, mix
	// half 500 and half 200 → 350 a month → 0.75 × 350 × 12 = 3,150 a slot-year.
	got := coverage.OperatingYuanPerSlotYear(generator.QingyuanPolicy(), county.ClassCounts{Infant: 10, ToddlerLarge: 10}, county.ClassCounts{Infant: 10, ToddlerLarge: 5})
	if math.Abs(got-3150) > 1e-9 {
		t.Errorf("OperatingYuanPerSlotYear = %v, want 3150", got)
	}
	if coverage.OperatingYuanPerSlotYear(generator.QingyuanPolicy(), county.ClassCounts{}, county.ClassCounts{}) != 0 {
		t.Error("no slots should cost nothing")
	}
}
