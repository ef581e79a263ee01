package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"shanyu/api"
	"shanyu/county"
	"shanyu/data/sample"
	"shanyu/source/bundle"
)

type coverageReport struct {
	AsOf  string             `json:"as_of"`
	Items []api.CoverageItem `json:"items"`
}

// TestCoverageAgainstBruteForce recomputes every township's slots per 1,000
// from the bundle alone — point in polygon over every facility, against
// the boundaries served by regions.geojson — and compares with the API.
func TestCoverageAgainstBruteForce(t *testing.T) {
	ts := newTestServer(t)
	cov := decode[coverageReport](t, get(t, ts, "/api/v1/coverage?level=township&as_of=2025-12-31"))
	if len(cov.Items) != 19 {
		t.Fatalf("%d townships", len(cov.Items))
	}
	fc, err := geojson.UnmarshalFeatureCollection(get(t, ts, "/api/v1/regions.geojson?level=township").body)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := bundle.Read(sample.Bundle())
	if err != nil {
		t.Fatal(err)
	}
	pop := map[string]int{}
	for _, p := range ds.Population {
		if p.Year == 2025 {
			pop[p.Code] = p.Total
		}
	}
	geom := map[string]orb.Geometry{}
	for _, f := range fc.Features {
		geom[f.Properties.MustString("code")] = f.Geometry
	}
	counted := map[string]int{}
	for _, it := range cov.Items {
		slots := 0
		for _, f := range ds.Facilities {
			if f.Kind != county.Childcare || !f.OpenOn("2025-12-31") {
				continue
			}
			in := false
			switch g := geom[it.Code].(type) {
			case orb.Polygon:
				in = planar.PolygonContains(g, f.Point)
			case orb.MultiPolygon:
				in = planar.MultiPolygonContains(g, f.Point)
			}
			if in {
				slots += f.Slots.Total()
				counted[f.ID]++
			}
		}
		want := float64(slots) * 1000 / float64(pop[it.Code])
		if it.SlotsPer1000 == nil || math.Abs(*it.SlotsPer1000-want) > 0.0005 || it.Slots != slots {
			t.Errorf("%s: API %d slots, %v per 1,000; brute force %d, %v", it.NameZh, it.Slots, it.SlotsPer1000, slots, want)
		}
	}
	for id, n := range counted {
		if n != 1 {
			t.Errorf("centre %s falls in %d townships", id, n)
		}
	}
}

// TestCoverageCountyIsSumOfTownships through the API.
func TestCoverageCountyIsSumOfTownships(t *testing.T) {
	ts := newTestServer(t)
	county := decode[coverageReport](t, get(t, ts, "/api/v1/coverage?level=county")).Items[0]
	towns := decode[coverageReport](t, get(t, ts, "/api/v1/coverage?level=township")).Items
	var pop, u3, slots, inclusive, rooms, paeds, gaps int
	for _, c := range towns {
		pop += c.Population
		u3 += c.ChildrenUnder3
		slots += c.Slots
		inclusive += c.SlotsInclusive
		rooms += c.NursingRooms.Total
		paeds += *c.Paediatricians
		gaps += c.GapSlots
		if c.Met != (c.GapSlots == 0) || (c.Met && *c.SlotsPer1000 < c.TargetPer1000) {
			t.Errorf("%s: met %v with gap %d at %v per 1,000", c.NameZh, c.Met, c.GapSlots, *c.SlotsPer1000)
		}
	}
	if county.Population != pop || county.ChildrenUnder3 != u3 || county.Slots != slots || county.SlotsInclusive != inclusive ||
		county.NursingRooms.Total != rooms || *county.Paediatricians != paeds || *county.GapSlotsInParts != gaps {
		t.Errorf("county %+v is not the sum of its townships (pop %d, u3 %d, slots %d, rooms %d, paeds %d, gaps %d)",
			county, pop, u3, slots, rooms, paeds, gaps)
	}
	if county.ConstructionSubsidyYuan != float64(county.GapSlots)*2000 || county.TargetClause != "（七）" {
		t.Errorf("county subsidy %v for gap %d, clause %s", county.ConstructionSubsidyYuan, county.GapSlots, county.TargetClause)
	}
	var met, unmet int
	for _, c := range towns {
		if c.Met {
			met++
		} else {
			unmet++
		}
	}
	if met == 0 || unmet == 0 {
		t.Errorf("met %d, unmet %d townships: the sample should show both", met, unmet)
	}
}

func TestCoverageNewCommunity(t *testing.T) {
	ts := newTestServer(t)
	villages := decode[coverageReport](t, get(t, ts, "/api/v1/coverage?level=village")).Items
	found := false
	for _, v := range villages {
		if v.NewCommunity {
			if v.TargetPer1000 != 10 || v.TargetID != "new_community_slots_per_1000" {
				t.Errorf("%s: target %v (%s)", v.NameZh, v.TargetPer1000, v.TargetID)
			}
			if !v.Met && *v.SlotsPer1000 < 10 && v.GapSlots > 0 {
				found = true
			}
		}
	}
	if !found {
		t.Error("no new community under 10 per 1,000")
	}
}

func TestCoverageDownloads(t *testing.T) {
	ts := newTestServer(t)
	r := get(t, ts, "/api/v1/coverage.csv?level=township")
	if r.status != 200 || !bytes.HasPrefix(r.body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("coverage.csv: %d", r.status)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.body[3:])).ReadAll()
	if err != nil || len(rows) != 20 || rows[0][0] != "code" {
		t.Fatalf("coverage.csv: %d rows, %v", len(rows), err)
	}
	g := get(t, ts, "/api/v1/coverage.geojson?level=village")
	fc, err := geojson.UnmarshalFeatureCollection(g.body)
	if err != nil || len(fc.Features) != 203 || g.header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("coverage.geojson: %v, %d features", err, len(fc.Features))
	}
	if _, ok := fc.Features[0].Properties["gap_slots"]; !ok {
		t.Error("coverage.geojson features lack gap_slots")
	}
}

func TestCoverageSeries(t *testing.T) {
	ts := newTestServer(t)
	s := decode[struct {
		Years  []api.CoverageItem `json:"years"`
		Status []api.TargetStatus `json:"status"`
	}](t, get(t, ts, "/api/v1/coverage/series?region=331126"))
	if len(s.Years) != 6 || s.Years[0].PopulationYear != 2020 || s.Years[5].AsOf != "2025-12-31" {
		t.Fatalf("series years: %d", len(s.Years))
	}
	if s.Years[0].Paediatricians != nil || s.Years[5].Paediatricians == nil {
		t.Error("paediatricians are known for the reference year only")
	}
	if len(s.Status) != 2 {
		t.Fatalf("statuses: %+v", s.Status)
	}
	for _, st := range s.Status {
		if st.Status != "met" && st.Status != "on_track" && st.Status != "off_track" {
			t.Errorf("%s: status %q", st.TargetID, st.Status)
		}
		// Recompute: the latest value against the target decides once the deadline has come.
		if st.Latest == nil || (*st.Latest >= st.Target) != (st.Status == "met") {
			t.Errorf("%s: latest %v, target %v, status %s", st.TargetID, st.Latest, st.Target, st.Status)
		}
	}
	// A region code in a query that names nothing is a 422 at query.region,
	// as in every other endpoint (a 404 is for a path).
	for _, code := range []string{"1", "999999", "331126999"} {
		r := get(t, ts, "/api/v1/coverage/series?region="+code)
		if r.status != 422 || !strings.Contains(string(r.body), `"location":"query.region"`) {
			t.Errorf("series?region=%s = %d %s, want 422 at query.region", code, r.status, r.body)
		}
	}
}

func TestAccessibilityAndSuggestions(t *testing.T) {
	ts := newTestServer(t)
	type accessReport struct {
		Items []api.AccessItem `json:"items"`
	}
	villages := decode[accessReport](t, get(t, ts, "/api/v1/coverage/accessibility?level=village&catchment=1000")).Items
	county := decode[accessReport](t, get(t, ts, "/api/v1/coverage/accessibility?level=county&catchment=1000")).Items[0]
	if len(villages) != 203 {
		t.Fatalf("%d villages", len(villages))
	}
	var unmet, children float64
	for _, v := range villages {
		unmet += v.UnmetSlots
		children += v.ChildrenUnder3
		if v.ShareWithin != nil && (*v.ShareWithin < 0 || *v.ShareWithin > 1) {
			t.Errorf("%s: share %v", v.NameZh, *v.ShareWithin)
		}
	}
	if math.Abs(unmet-county.UnmetSlots) > 0.5 || math.Abs(children-county.ChildrenUnder3) > 0.5 {
		t.Errorf("villages' unmet %v and children %v; county says %v and %v", unmet, children, county.UnmetSlots, county.ChildrenUnder3)
	}
	wider := decode[accessReport](t, get(t, ts, "/api/v1/coverage/accessibility?level=county&catchment=5000")).Items[0]
	if *wider.ShareWithin <= *county.ShareWithin || wider.UnmetSlots >= county.UnmetSlots {
		t.Errorf("a wider catchment should reach more children: %v → %v, unmet %v → %v",
			*county.ShareWithin, *wider.ShareWithin, county.UnmetSlots, wider.UnmetSlots)
	}

	var sg struct {
		Total struct {
			Centres          int     `json:"centres"`
			Slots            int     `json:"slots"`
			Covered          float64 `json:"covered_demand_slots"`
			UnmetBefore      float64 `json:"unmet_demand_before_slots"`
			ConstructionYuan float64 `json:"construction_subsidy_yuan"`
		} `json:"total"`
		Items []api.SuggestionItem `json:"items"`
	}
	r := get(t, ts, "/api/v1/coverage/suggestions?slots=100&centre_size=40")
	if err := json.Unmarshal(r.body, &sg); err != nil || r.status != 200 {
		t.Fatalf("suggestions: %d %s", r.status, r.body)
	}
	if sg.Total.Centres != 3 || sg.Total.Slots != 100 || sg.Items[2].Slots != 20 || sg.Total.ConstructionYuan != 200000 {
		t.Errorf("100 slots in centres of 40: %+v", sg.Total)
	}
	for i, it := range sg.Items {
		if it.CoveredDemandSlots <= 0 || it.CoveredDemandSlots > float64(it.Slots) {
			t.Errorf("suggestion %d covers %v of %d slots", i, it.CoveredDemandSlots, it.Slots)
		}
		if i > 0 && it.CoveredDemandSlots > sg.Items[i-1].CoveredDemandSlots+1e-6 && it.Slots == sg.Items[i-1].Slots {
			t.Errorf("greedy order broken: %v after %v", it.CoveredDemandSlots, sg.Items[i-1].CoveredDemandSlots)
		}
		if !strings.HasPrefix(it.Code, it.TownshipCode) || it.TownshipGapAfter != max(it.TownshipGapBefore-it.Slots, 0) {
			t.Errorf("suggestion %d: %+v", i, it)
		}
	}
	if sg.Total.Covered > sg.Total.UnmetBefore {
		t.Errorf("covered %v more than the unmet %v", sg.Total.Covered, sg.Total.UnmetBefore)
	}
}

func TestCoverageBadInput(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ path, loc, says string }{
		{"/api/v1/coverage?level=province", "query.level", "township"},
		{"/api/v1/coverage?as_of=2025-13-01", "query.as_of", "YYYY-MM-DD"},
		{"/api/v1/coverage.csv?as_of=yesterday", "query.as_of", "YYYY-MM-DD"},
		{"/api/v1/coverage/series", "query.region", "required"},
		{"/api/v1/coverage/accessibility?catchment=10", "query.catchment", ">= 50"},
		{"/api/v1/coverage/accessibility?catchment=NaN", "query.catchment", "finite"},
		{"/api/v1/coverage/suggestions", "query.slots", "required"},
		{"/api/v1/coverage/suggestions?slots=0", "query.slots", ">= 1"},
		{"/api/v1/coverage/suggestions?slots=20000&centre_size=1", "query.centre_size", "more than 500 centres"},
		{"/api/v1/coverage/suggestions?slots=10&level=county", "query.level", "village"},
	} {
		r := get(t, ts, tt.path)
		if r.status != 422 || !strings.Contains(string(r.body), tt.loc) || !strings.Contains(string(r.body), tt.says) {
			t.Errorf("GET %s = %d %s; want 422 at %s saying %q", tt.path, r.status, r.body, tt.loc, tt.says)
		}
	}
}

func TestPolicyEndpoint(t *testing.T) {
	ts := newTestServer(t)
	var p struct {
		Targets []struct {
			ID     string `json:"id"`
			Clause string `json:"clause"`
		} `json:"targets"`
		Money []struct {
			ID string `json:"id"`
		} `json:"money"`
	}
	if err := json.Unmarshal(get(t, ts, "/api/v1/policy").body, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Targets) != 11 || len(p.Money) != 10 || p.Targets[0].ID != "childcare_slots_per_1000" || p.Targets[0].Clause != "（七）" {
		t.Errorf("policy: %d targets, %d money rules, first %+v", len(p.Targets), len(p.Money), p.Targets[0])
	}
}
