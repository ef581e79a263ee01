package policy

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite policy.schema.json")

// TestSchemaIsCommitted checks policy.schema.json is the schema of the Go
// types (go test ./policy -run TestSchemaIsCommitted -update rewrites it).
func TestSchemaIsCommitted(t *testing.T) {
	b, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("policy.schema.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile("policy.schema.json")
	if err != nil || !bytes.Equal(have, b) {
		t.Errorf("policy.schema.json differs from the types: go test ./policy -run TestSchemaIsCommitted -update (%v)", err)
	}
}

const minimal = `{"id": "330000-2024", "title_zh": "某县生育支持政策", "title_en": "", "issued": "2024-03",
	"county_code": "330000", "clauses": [{"id": "（一）", "title_zh": "托育"}],
	"targets": [{"id": "childcare_slots_per_1000", "name_zh": "每千人口托位数", "name_en": "Slots per 1,000", "value": 5,
		"unit": "slots per 1,000 residents", "direction": "up", "deadline": "2026", "clause": "（一）", "applies_to": "county"}],
	"money": [{"id": "construction_subsidy_per_slot", "name_zh": "建设补助", "name_en": "Construction subsidy", "amount_yuan": 3000,
		"unit": "yuan per slot", "clause": "（一）", "effective_from": "2024", "conditions": "new inclusive slots"}]}`

// TestParse reads a minimal policy and refuses, with the path and the
// reason, what the schema or the checks forbid.
func TestParse(t *testing.T) {
	p, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if p.SlotsPer1000(false) != 5 || p.SlotsPer1000(true) != 5 || p.ConstructionSubsidyYuan(10) != 30000 {
		t.Errorf("read as %+v", p)
	}
	if _, ok := p.MonthlyOperatingYuan("infant"); ok {
		t.Error("an operating subsidy the file does not have")
	}
	var none *Policy
	if none.HasSlotTarget() || none.ConstructionSubsidyYuan(3) != 0 {
		t.Error("a nil policy has targets")
	}
	for _, c := range []struct{ edit, want string }{
		{`"direction": "up"`, `"direction": "sideways"`},
		{`"value": 5`, `"value": -5`},
		{`"county_code": "330000"`, `"county_code": "33"`},
		{`"clause": "（一）", "applies_to"`, `"clause": "（九）", "applies_to"`},
		{`"unit": "yuan per slot"`, `"unit": "yuan per slot", "amount": 2`},
		{`"issued": "2024-03",`, ``},
		{`"deadline": "2026"`, `"deadline": "soon"`},
	} {
		bad := strings.Replace(minimal, c.edit, c.want, 1)
		if bad == minimal {
			t.Fatalf("edit %q not applied", c.edit)
		}
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("accepted %s", c.want)
		} else {
			t.Log(err)
		}
	}
}
