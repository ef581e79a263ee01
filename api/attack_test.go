package api_test

// The attack through the API: an informed outsider (package
// indicators/attack, written apart from the publisher) reads only what the
// API serves — the indicator tables as JSON and CSV, the regions and their
// public population — writes its own equations from the definitions and
// the policy, and asks an integer-programming solver for every hidden
// figure's interval. It must fail for every one.

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"

	"shanyu/indicators/attack"
	"shanyu/policy"
)

func TestAttackFailsToPinSuppressedCells(t *testing.T) {
	ts := newTestServer(t)
	cat := decode[struct {
		Items []struct {
			ID     string `json:"id"`
			Source string `json:"source"`
		} `json:"items"`
	}](t, get(t, ts, "/api/v1/indicators"))
	// The attacker knows the policy's benefit rules: the API publishes them.
	pol := decode[policy.Policy](t, get(t, ts, "/api/v1/policy"))
	in := attack.Input{Tables: map[string]attack.Table{}, Benefits: pol.Benefits}
	for _, it := range cat.Items {
		tb := decode[attack.Table](t, get(t, ts, "/api/v1/indicators/"+it.ID))
		in.Tables[it.ID] = tb
		// No hidden value travels in the CSV either.
		r := get(t, ts, "/api/v1/indicators/"+it.ID+".csv")
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows[1:] {
			v := tb.Values[i]
			if (row[4] == "") != (v.Value == nil) || (row[8] == "") != (v.Numerator == nil) || (row[9] == "") != (v.Denominator == nil) {
				t.Fatalf("%s.csv row %d differs from the JSON: %v", it.ID, i, row)
			}
		}
	}
	regions := decode[struct {
		Items []struct {
			Code       string `json:"code"`
			Level      string `json:"level"`
			ParentCode string `json:"parent_code"`
		} `json:"items"`
	}](t, get(t, ts, "/api/v1/regions")).Items
	for _, r := range regions {
		in.Regions = append(in.Regions, attack.Region{Code: r.Code, Level: r.Level, Parent: r.ParentCode})
		if r.Level == "village" {
			continue
		}
		d := decode[struct {
			Region struct {
				PopulationByYear []struct {
					Year   int `json:"year"`
					Total  int `json:"total"`
					Under3 int `json:"children_under_3"`
				} `json:"population_by_year"`
			} `json:"region"`
		}](t, get(t, ts, "/api/v1/regions/"+r.Code))
		for _, p := range d.Region.PopulationByYear {
			in.Population = append(in.Population, attack.Population{Code: r.Code, Year: p.Year, Total: p.Total, Under3: p.Under3})
		}
	}
	rep, err := attack.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Targets < 300 {
		t.Fatalf("only %d hidden figures: the sample should hide many", rep.Targets)
	}
	for _, f := range rep.Findings {
		t.Errorf("the attacker narrows %v", f)
	}
	t.Logf("attacked %d hidden figures through %d constraints (%d solver runs); %d findings",
		rep.Targets, rep.Constraints, rep.Solves, len(rep.Findings))
}
