package indicators

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"shanyu/policy"
)

// sampleBenefits reads the bundled sample county's benefit rules.
func sampleBenefits(t testing.TB) *policy.Benefits {
	t.Helper()
	b, err := os.ReadFile("../data/sample/bundle/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(b)
	if err != nil || p.Benefits == nil {
		t.Fatalf("the sample policy: %v", err)
	}
	return p.Benefits
}

// TestTextsCiteThePolicyAmounts: the amounts that the catalogue and the
// relations state in words are the dataset's policy's, and no amount is
// written into the texts themselves.
func TestTextsCiteThePolicyAmounts(t *testing.T) {
	b := sampleBenefits(t)
	a, p := b.ChildcareAllowance, b.PregnancySubsidy
	allowance := fmt.Sprintf("%d / %d yuan a month", a.MonthlyYuan[2], a.MonthlyYuan[3])
	subsidy := fmt.Sprintf("%d yuan", p.AmountYuan)
	months := fmt.Sprintf("%d months", a.Months)
	for _, r := range RelationsIn(b) {
		switch r.ID {
		case RelAllowanceWindow:
			if !strings.Contains(r.Source, allowance) || !strings.Contains(r.Statement, months) {
				t.Errorf("%s does not say %q and %q", r.ID, allowance, months)
			}
		case RelPregnancySubsidyYuan:
			if !strings.Contains(r.Statement, subsidy[:len(subsidy)-5]) || !strings.Contains(r.Source, subsidy) {
				t.Errorf("%s does not say %q", r.ID, subsidy)
			}
		}
	}
	ind, _ := ByID("allowance_yuan")
	if ind = ind.In(b); !strings.Contains(ind.NameEn, allowance) {
		t.Errorf("allowance_yuan's name does not say %q", allowance)
	}
	ind, _ = ByID("pregnancy_subsidy_yuan")
	if ind = ind.In(b); !strings.Contains(ind.NameEn, subsidy) {
		t.Errorf("pregnancy_subsidy_yuan's name does not say %q", subsidy)
	}
	// The texts as written name no county's amounts or dates.
	var raw []string
	for _, r := range Relations {
		raw = append(raw, r.Statement, r.Source, r.Use)
	}
	for _, c := range Catalogue {
		raw = append(raw, c.NameEn, c.NameZh, c.Protection)
	}
	for _, text := range raw {
		for _, v := range []string{fmt.Sprint(a.MonthlyYuan[2]) + " ", fmt.Sprint(a.MonthlyYuan[3]) + " ", fmt.Sprint(p.AmountYuan) + " ",
			a.BornOnOrAfter, a.BornOnOrAfter[:4] + ")", "before " + a.BornOnOrAfter[:4]} {
			if strings.Contains(text, v) {
				t.Errorf("%q writes the policy's %q into the code", text, v)
			}
		}
	}
}

// TestEveryRelationIsUsedOrExplained: each relation of the catalogue is
// either in a release's system or says why it adds nothing, and every
// relation a release uses is in the catalogue.
func TestEveryRelationIsUsedOrExplained(t *testing.T) {
	md, regions := tinyCounty()
	rel, _, err := BuildRelease(md, regions, nil, Options{Benefits: sampleBenefits(t)})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, c := range rel.Cells {
		if c.Identity {
			used[c.Relation] = true
		}
	}
	known := map[string]bool{}
	for _, r := range Relations {
		known[r.ID] = true
		if r.Source == "" || r.Statement == "" || len(r.Tables) == 0 {
			t.Errorf("%s lacks its statement, source or tables", r.ID)
		}
	}
	for id := range used {
		if !known[id] {
			t.Errorf("the release uses relation %q, which the catalogue does not list", id)
		}
	}
	for _, id := range []string{RelVillageBlocks, RelAllowanceYuan, RelPregnancySubsidyPregnancies, RelPregnancySubsidyBirths, RelPolicyStart,
		RelBirthsPregnancies, RelFirstBirthsSubsidy} {
		if !used[id] {
			t.Errorf("relation %s is listed but not in the release's system", id)
		}
	}
}

// tinyCounty is two townships of one and two villages over three years
// (2022–2024), with births, pregnancies and the policy's payments.
func tinyCounty() (*Microdata, []Region) {
	regions := []Region{{"100000", "county", ""}, {"100000001", "township", "100000"}, {"100000002", "township", "100000"},
		{"100000001001", "village", "100000001"}, {"100000002001", "village", "100000002"}, {"100000002002", "village", "100000002"}}
	md := &Microdata{}
	n := 0
	for _, v := range []string{"100000001001", "100000002001", "100000002002"} {
		for y := 2022; y <= 2024; y++ {
			for k := 0; k < 7; k++ {
				n++
				date := fmt.Sprintf("%d-%02d-10", y, 1+k)
				order := 1 + k%3
				md.Births = append(md.Births, Birth{ID: fmt.Sprint("B", n), Village: v, Date: date, Order: order, MotherAge: "25-29"})
				md.Pregnancies = append(md.Pregnancies, Pregnancy{ID: fmt.Sprint("P", n), Village: v, Date: date, Order: order, Screened: k > 0})
				if order >= 2 && y >= 2023 {
					md.Payments = append(md.Payments, Payment{ID: fmt.Sprint("S", n), ChildID: fmt.Sprint("P", n), Village: v,
						Month: date[:7], Kind: PregnancySubsidy, Order: order, Yuan: 500})
					md.Payments = append(md.Payments, Payment{ID: fmt.Sprint("A", n), ChildID: fmt.Sprint("B", n), Village: v,
						Month: date[:7], Kind: ChildcareAllowance, Order: order, Yuan: 300 * (order - 1)})
				}
			}
		}
	}
	return md, regions
}

// TestMethodPageListsEveryRelationAndTable: docs/indicators.md lists every
// relation of the catalogue and says for every table what it hides, in the
// catalogue's own words with the sample county's policy amounts, which the
// page describes.
func TestMethodPageListsEveryRelationAndTable(t *testing.T) {
	b, err := os.ReadFile("../docs/indicators.md")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, r := range RelationsIn(sampleBenefits(t)) {
		if !strings.Contains(page, "`"+r.ID+"`") || !strings.Contains(page, r.Statement) {
			t.Errorf("docs/indicators.md does not list relation %s as the catalogue states it", r.ID)
		}
	}
	for _, ind := range Catalogue {
		if ind = ind.In(sampleBenefits(t)); !strings.Contains(page, ind.Protection) {
			t.Errorf("docs/indicators.md does not say what %s hides as the catalogue does", ind.ID)
		}
	}
}
