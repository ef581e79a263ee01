package indicators

import (
	"fmt"
	"testing"
)

// TestHundredPercentRate: a township where everyone marrying had the
// check shows no rate (its complement, 0, is below T), and neither its
// numerator nor its denominator can be used to tell.
func TestHundredPercentRate(t *testing.T) {
	md := &Microdata{}
	regions := []Region{{"100000", "county", ""}, {"100000001", "township", "100000"}, {"100000002", "township", "100000"},
		{"100000001001", "village", "100000001"}, {"100000002001", "village", "100000002"}}
	for i := 0; i < 40; i++ {
		md.Marriages = append(md.Marriages, Marriage{ID: fmt.Sprint("a", i), Village: "100000001001", Date: "2024-05-01", Checked: true})
		md.Marriages = append(md.Marriages, Marriage{ID: fmt.Sprint("b", i), Village: "100000002001", Date: "2024-05-01", Checked: i%4 != 0})
		md.Births = append(md.Births, Birth{ID: fmt.Sprint("c", i), Village: "100000002001", Date: "2024-03-01", Order: 1, MotherAge: "25-29"})
	}
	pub, _, err := Publish(md, regions, nil, Options{Benefits: sampleBenefits(t)})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, v := range pub.Tables["premarital_check_rate"].Values {
		if v.Region == "100000001" {
			found++
			if v.Value != nil || v.Status != "suppressed" {
				t.Errorf("100%% rate shown: %+v", v)
			}
			if v.Numerator != nil && v.Denominator != nil {
				t.Errorf("numerator and denominator both shown for the 100%% township")
			}
		}
		if v.Region == "100000002" && v.Value != nil && *v.Value != 75 {
			t.Errorf("75%% township shows %v", *v.Value)
		}
	}
	// The rows must be there: a table that drops the township would pass
	// the checks above without a word.
	if found != 1 {
		t.Errorf("the 100%% township has %d rows in premarital_check_rate, want 1", found)
	}
}
