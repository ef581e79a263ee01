package api_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestIndicatorEndpoints(t *testing.T) {
	ts := newTestServer(t)
	cat := decode[catalogueBody](t, get(t, ts, "/api/v1/indicators"))
	if cat.T != 5 || !cat.Audit.Pass || !strings.Contains(cat.Sentence, "Counts from 1 to 4 are hidden") || cat.Suppressed == "" {
		t.Errorf("catalogue header: T %v, audit %v, sentence %q", cat.T, cat.Audit.Pass, cat.Sentence)
	}
	want := []string{"births", "births_by_order", "third_birth_share", "total_fertility_rate", "natural_growth_rate",
		"total_dependency_ratio", "premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate",
		"paediatricians_per_1000_children", "childcare_slots_per_1000", "allowance_families", "allowance_yuan",
		"pregnancy_subsidy_families", "pregnancy_subsidy_yuan"}
	have := map[string]bool{}
	for _, it := range cat.Items {
		have[it.ID] = true
		if it.ID == "prenatal_screening_rate" && (it.PolicyTarget == nil || it.PolicyTarget.Clause != "（十三）") {
			t.Errorf("prenatal screening lacks its target and clause")
		}
	}
	if len(cat.Relations) < 10 || cat.Audit.Loss.Figures == 0 || cat.Audit.Baseline == nil ||
		cat.Audit.Loss.Suppressed >= cat.Audit.Baseline.Suppressed {
		t.Errorf("catalogue: %d relations, loss %+v against %+v", len(cat.Relations), cat.Audit.Loss, cat.Audit.Baseline)
	}
	for _, it := range cat.Items {
		if it.Protection == "" {
			t.Errorf("%s does not say what it hides", it.ID)
		}
		if it.ID == "allowance_families" && !strings.Contains(fmt.Sprint(it.Relations), "36") {
			t.Errorf("allowance_families lists no 36-month relation: %v", it.Relations)
		}
	}
	for _, id := range want {
		if !have[id] {
			t.Errorf("the catalogue lacks %s", id)
		}
		r := get(t, ts, "/api/v1/indicators/"+id)
		if r.status != 200 || !strings.Contains(string(r.body), `"values":[{`) {
			t.Errorf("GET /api/v1/indicators/%s = %d, no values", id, r.status)
		}
	}
	vals := decode[valuesBody](t, get(t, ts, "/api/v1/indicators/births?level=village&period=2023-2025"))
	sup := 0
	for _, v := range vals.Values {
		if v.Level != "village" || v.Period != "2023-2025" {
			t.Fatalf("filter leaked %+v", v)
		}
		if v.Status == "suppressed" {
			sup++
		}
	}
	if len(vals.Values) != 203 || sup == 0 {
		t.Errorf("village births 2023–2025: %d values, %d suppressed", len(vals.Values), sup)
	}
	csv := get(t, ts, "/api/v1/indicators/third_birth_share.csv?level=county")
	if csv.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(string(csv.body), "region,level,period") {
		t.Errorf("CSV: %s %q", csv.header.Get("Content-Type"), csv.body)
	}
	for path, status := range map[string]int{
		"/api/v1/indicators/nope":                 404,
		"/api/v1/indicators/births?region=1":      422,
		"/api/v1/indicators/births?level=country": 422,
	} {
		if r := get(t, ts, path); r.status != status {
			t.Errorf("GET %s = %d, want %d: %s", path, r.status, status, r.body)
		}
	}

	sc := decode[scorecardBody](t, get(t, ts, "/api/v1/scorecard"))
	if len(sc.Items) != 11 {
		t.Fatalf("scorecard has %d targets, want the 11 of the policy", len(sc.Items))
	}
	for _, it := range sc.Items {
		switch it.Status {
		case "met", "on_track", "off_track", "not_measurable":
		default:
			t.Errorf("%s: status %q", it.TargetID, it.Status)
		}
		if it.Clause == "" {
			t.Errorf("%s: no clause", it.TargetID)
		}
	}
}

type catalogueBody struct {
	T          float64 `json:"t"`
	Sentence   string  `json:"sentence"`
	Suppressed string  `json:"what_suppressed_means"`
	Audit      struct {
		Pass     bool  `json:"pass"`
		Loss     loss  `json:"loss"`
		Baseline *loss `json:"baseline"`
	} `json:"audit"`
	Relations []struct {
		ID string `json:"id"`
	} `json:"relations"`
	Items []struct {
		ID         string `json:"id"`
		Protection string `json:"what_is_suppressed"`
		Relations  []struct {
			Statement string `json:"statement"`
		} `json:"relations"`
		PolicyTarget *struct {
			Clause string `json:"clause"`
		} `json:"policy_target"`
	} `json:"items"`
}

type loss struct {
	Figures, Suppressed int
}

type valuesBody struct {
	Values []struct {
		Level, Period, Status string
		Value                 *float64
		Unreliable            bool
	} `json:"values"`
}

type scorecardBody struct {
	Items []struct {
		TargetID string `json:"target_id"`
		Status   string `json:"status"`
		Clause   string `json:"clause"`
	} `json:"items"`
}
