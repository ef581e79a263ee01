package indicators

import (
	"strconv"
	"strings"

	"shanyu/policy"
)

// The catalogue's and the relations' texts name the policy's benefit
// amounts as placeholders — {allowance_2}, {allowance_3}, {pregnancy},
// {months}, {from}, {from_year} — filled from the dataset's policy, so that
// no county's numbers are written into the code. Without benefit rules they
// read as symbols.
func words(b *policy.Benefits) *strings.Replacer {
	if b == nil {
		return strings.NewReplacer("{allowance_2}", "a₂", "{allowance_3}", "a₃", "{pregnancy}", "p", "{months}", "m",
			"{from}", "the policy's start date", "{from_year}", "the policy's start year")
	}
	a := b.ChildcareAllowance
	year := a.BornOnOrAfter
	if len(year) >= 4 {
		year = year[:4]
	}
	return strings.NewReplacer("{allowance_2}", strconv.Itoa(a.MonthlyYuan[2]), "{allowance_3}", strconv.Itoa(a.MonthlyYuan[3]),
		"{pregnancy}", strconv.Itoa(b.PregnancySubsidy.AmountYuan), "{months}", strconv.Itoa(a.Months),
		"{from}", a.BornOnOrAfter, "{from_year}", year)
}

// In returns the relation with the policy's amounts in its words.
func (r Relation) In(b *policy.Benefits) Relation {
	w := words(b)
	r.Statement, r.Source, r.Use = w.Replace(r.Statement), w.Replace(r.Source), w.Replace(r.Use)
	return r
}

// In returns the catalogue entry with the policy's amounts in its words.
func (ind Indicator) In(b *policy.Benefits) Indicator {
	w := words(b)
	ind.NameEn, ind.NameZh, ind.Protection = w.Replace(ind.NameEn), w.Replace(ind.NameZh), w.Replace(ind.Protection)
	return ind
}

// RelationsIn returns every relation in the words of the policy's benefits.
func RelationsIn(b *policy.Benefits) []Relation {
	out := make([]Relation, len(Relations))
	for i, r := range Relations {
		out[i] = r.In(b)
	}
	return out
}
