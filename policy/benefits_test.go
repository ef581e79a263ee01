package policy

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// want is one item's expected figures, worked out by hand from the clauses.
// A nil pointer means the figure must be absent.
type want struct {
	id                     string
	order                  int
	eligible               bool
	monthly, amount        *int
	first, last            string
	months                 int
	total, due, remaining  *int
	afterTrial             *int
	reasonHas, reasonEnHas string
}

func n(v int) *int { return &v }

func item(t *testing.T, ans BenefitAnswer, id string, order int) BenefitItem {
	t.Helper()
	for _, it := range ans.Items {
		if it.ID == id && (order == 0 || it.ChildOrder == order) {
			return it
		}
	}
	t.Fatalf("no item %s for order %d in %+v", id, order, ans.Items)
	return BenefitItem{}
}

func eqPtr(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func show(p *int) any {
	if p == nil {
		return "absent"
	}
	return *p
}

func check(t *testing.T, ans BenefitAnswer, w want) {
	t.Helper()
	it := item(t, ans, w.id, w.order)
	if it.Eligible != w.eligible {
		t.Errorf("%s (order %d): eligible = %v, want %v (%s)", w.id, w.order, it.Eligible, w.eligible, it.Reason.En)
	}
	for _, f := range []struct {
		name      string
		got, want *int
	}{{"monthly_yuan", it.MonthlyYuan, w.monthly}, {"amount_yuan", it.AmountYuan, w.amount}, {"total_yuan", it.TotalYuan, w.total},
		{"due_yuan", it.DueYuan, w.due}, {"remaining_yuan", it.RemainingYuan, w.remaining}, {"after_trial_yuan", it.AfterTrialYuan, w.afterTrial}} {
		if !eqPtr(f.got, f.want) {
			t.Errorf("%s (order %d): %s = %v, want %v", w.id, w.order, f.name, show(f.got), show(f.want))
		}
	}
	if it.FirstMonth != w.first || it.LastMonth != w.last || it.Months != w.months {
		t.Errorf("%s (order %d): months %q–%q (%d), want %q–%q (%d)", w.id, w.order, it.FirstMonth, it.LastMonth, it.Months, w.first, w.last, w.months)
	}
	if w.reasonHas != "" && !strings.Contains(it.Reason.Zh, w.reasonHas) {
		t.Errorf("%s (order %d): reason %q does not say %q", w.id, w.order, it.Reason.Zh, w.reasonHas)
	}
	if w.reasonEnHas != "" && !strings.Contains(it.Reason.En, w.reasonEnHas) {
		t.Errorf("%s (order %d): reason %q does not say %q", w.id, w.order, it.Reason.En, w.reasonEnHas)
	}
}

// TestCalculate is the calculator against figures worked out by hand from
// clauses （八） and （十三）: 300 / 600 yuan a month for a 2nd / 3rd child
// born from 2023-01-01, 36 payments from the birth month (the month of the
// third birthday unpaid); 500 yuan once for a pregnancy with a 2nd or 3rd
// child; the provident-fund ceilings for a 2nd or 3rd child born from
// 2023-04-07 (720,000 / 1,200,000 yuan; 27,000 yuan a person a year).
// "After the trial" counts months from 2025-01.
func TestCalculate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		family Family
		asOf   string
		items  []want
		totals Totals
	}{
		{name: "second child born 2022-12-31: no allowance",
			family: Family{Children: []Child{{day("2022-12-31"), 2}}}, asOf: "2024-06-30",
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: false, total: n(0), due: n(0), remaining: n(0), afterTrial: n(0),
				reasonHas: "早于2023-01-01", reasonEnHas: "still counts in the birth order"}}},
		{name: "second child born 2023-01-01: 36 months from January 2023",
			family: Family{Children: []Child{{day("2023-01-01"), 2}}}, asOf: "2024-06-30",
			// Due: 2023-01 … 2024-06 = 18 months × 300. After the trial: 2025-01 … 2025-12 = 12 × 300.
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-01", last: "2025-12", months: 36,
				total: n(10800), due: n(5400), remaining: n(5400), afterTrial: n(3600)}},
			totals: Totals{TotalYuan: 10800, DueYuan: 5400, RemainingYuan: 5400, AfterTrialYuan: 3600}},
		{name: "a second and a third child at once (twins after a first child)",
			family: Family{Children: []Child{{day("2020-09-01"), 1}, {day("2024-03-15"), 2}, {day("2024-03-15"), 3}}}, asOf: "2026-11-30",
			// 2024-03 … 2027-02. Due: 2024-03 … 2026-11 = 10 + 12 + 11 = 33 months. After the trial: 2025-01 … 2027-02 = 26 months.
			items: []want{
				{id: BenefitChildcareAllowance, order: 1, eligible: false, total: n(0), due: n(0), remaining: n(0), afterTrial: n(0), reasonEnHas: "The 1st child"},
				{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2024-03", last: "2027-02", months: 36,
					total: n(10800), due: n(9900), remaining: n(900), afterTrial: n(7800)},
				{id: BenefitChildcareAllowance, order: 3, eligible: true, monthly: n(600), first: "2024-03", last: "2027-02", months: 36,
					total: n(21600), due: n(19800), remaining: n(1800), afterTrial: n(15600)},
				{id: BenefitHousingFundLoan, order: 2, eligible: false, reasonEnHas: "fund_depositors is 0"},
			},
			totals: Totals{TotalYuan: 32400, DueYuan: 29700, RemainingYuan: 2700, AfterTrialYuan: 23400}},
		{name: "a third child turning 36 months mid-year",
			family: Family{Children: []Child{{day("2023-07-15"), 3}}}, asOf: "2026-12-31",
			// 2023-07 … 2026-06: the third birthday (2026-07-15) month is not paid. After the trial: 2025-01 … 2026-06 = 18 months.
			items: []want{{id: BenefitChildcareAllowance, order: 3, eligible: true, monthly: n(600), first: "2023-07", last: "2026-06", months: 36,
				total: n(21600), due: n(21600), remaining: n(0), afterTrial: n(10800)}},
			totals: Totals{TotalYuan: 21600, DueYuan: 21600, AfterTrialYuan: 10800}},
		{name: "as_of before the birth",
			family: Family{Children: []Child{{day("2023-05-10"), 2}}}, asOf: "2023-04-30",
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-05", last: "2026-04", months: 36,
				total: n(10800), due: n(0), remaining: n(10800), afterTrial: n(4800)}},
			totals: Totals{TotalYuan: 10800, RemainingYuan: 10800, AfterTrialYuan: 4800}},
		{name: "as_of in the birth month, before the birth day",
			family: Family{Children: []Child{{day("2023-05-10"), 2}}}, asOf: "2023-05-09",
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-05", last: "2026-04", months: 36,
				total: n(10800), due: n(0), remaining: n(10800), afterTrial: n(4800)}},
			totals: Totals{TotalYuan: 10800, RemainingYuan: 10800, AfterTrialYuan: 4800}},
		{name: "as_of during the payments",
			family: Family{Children: []Child{{day("2023-05-10"), 2}}}, asOf: "2024-05-01",
			// 2023-05 … 2024-05 = 13 months.
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-05", last: "2026-04", months: 36,
				total: n(10800), due: n(3900), remaining: n(6900), afterTrial: n(4800)}},
			totals: Totals{TotalYuan: 10800, DueYuan: 3900, RemainingYuan: 6900, AfterTrialYuan: 4800}},
		{name: "as_of on the last day of the last paid month",
			family: Family{Children: []Child{{day("2023-05-10"), 2}}}, asOf: "2026-04-30",
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-05", last: "2026-04", months: 36,
				total: n(10800), due: n(10800), remaining: n(0), afterTrial: n(4800)}},
			totals: Totals{TotalYuan: 10800, DueYuan: 10800, AfterTrialYuan: 4800}},
		{name: "as_of after the payments",
			family: Family{Children: []Child{{day("2023-05-10"), 2}}}, asOf: "2030-01-01",
			items: []want{{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-05", last: "2026-04", months: 36,
				total: n(10800), due: n(10800), remaining: n(0), afterTrial: n(4800)}},
			totals: Totals{TotalYuan: 10800, DueYuan: 10800, AfterTrialYuan: 4800}},
		{name: "a second child born before 2023 makes the next one a third",
			family: Family{Children: []Child{{day("2022-06-01"), 2}, {day("2023-08-20"), 3}}}, asOf: "2023-12-31",
			// 2023-08 … 2026-07; due 2023-08 … 2023-12 = 5 × 600; after the trial 2025-01 … 2026-07 = 19 × 600.
			items: []want{
				{id: BenefitChildcareAllowance, order: 2, eligible: false, total: n(0), due: n(0), remaining: n(0), afterTrial: n(0)},
				{id: BenefitChildcareAllowance, order: 3, eligible: true, monthly: n(600), first: "2023-08", last: "2026-07", months: 36,
					total: n(21600), due: n(3000), remaining: n(18600), afterTrial: n(11400)},
			},
			totals: Totals{TotalYuan: 21600, DueYuan: 3000, RemainingYuan: 18600, AfterTrialYuan: 11400}},
		{name: "a fourth child gets nothing",
			family: Family{Children: []Child{{day("2024-01-05"), 4}}, FundDepositors: 2}, asOf: "2024-12-31",
			items: []want{
				{id: BenefitChildcareAllowance, order: 4, eligible: false, total: n(0), due: n(0), remaining: n(0), afterTrial: n(0), reasonEnHas: "2nd and 3rd children only"},
				{id: BenefitHousingFundLoan, eligible: false},
			}},
		{name: "housing fund: born 2023-04-06, one depositor",
			family: Family{Children: []Child{{day("2023-04-06"), 2}}, FundDepositors: 1}, asOf: "2024-01-01",
			items: []want{
				{id: BenefitHousingFundLoan, order: 2, eligible: false, reasonHas: "早于2023-04-07"},
				{id: BenefitHousingFundRent, order: 2, eligible: false, reasonEnHas: "before 2023-04-07"},
				{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-04", last: "2026-03", months: 36,
					total: n(10800), due: n(3000), remaining: n(7800), afterTrial: n(4500)},
			},
			totals: Totals{TotalYuan: 10800, DueYuan: 3000, RemainingYuan: 7800, AfterTrialYuan: 4500}},
		{name: "housing fund: born 2023-04-06, two depositors",
			family: Family{Children: []Child{{day("2023-04-06"), 3}}, FundDepositors: 2}, asOf: "2024-01-01",
			items:  []want{{id: BenefitHousingFundLoan, order: 3, eligible: false}, {id: BenefitHousingFundRent, order: 3, eligible: false}},
			totals: Totals{TotalYuan: 21600, DueYuan: 6000, RemainingYuan: 15600, AfterTrialYuan: 9000}},
		{name: "housing fund: born 2023-04-07, one depositor",
			family: Family{Children: []Child{{day("2023-04-07"), 2}}, FundDepositors: 1}, asOf: "2024-01-01",
			items: []want{
				{id: BenefitHousingFundLoan, order: 2, eligible: true, amount: n(720000), reasonHas: "单缴存"},
				{id: BenefitHousingFundRent, order: 2, eligible: true, amount: n(27000)},
			},
			totals: Totals{TotalYuan: 10800, DueYuan: 3000, RemainingYuan: 7800, AfterTrialYuan: 4500}},
		{name: "housing fund: born 2023-04-07, two depositors",
			family: Family{Children: []Child{{day("2023-04-07"), 3}}, FundDepositors: 2}, asOf: "2024-01-01",
			items: []want{
				{id: BenefitHousingFundLoan, order: 3, eligible: true, amount: n(1200000), reasonEnHas: "two depositors"},
				{id: BenefitHousingFundRent, order: 3, eligible: true, amount: n(54000)},
			},
			totals: Totals{TotalYuan: 21600, DueYuan: 6000, RemainingYuan: 15600, AfterTrialYuan: 9000}},
		{name: "housing fund: an earlier 2nd child before 2023-04-07 and a 3rd after",
			family: Family{Children: []Child{{day("2023-02-01"), 2}, {day("2024-05-01"), 3}}, FundDepositors: 1}, asOf: "2024-06-01",
			items:  []want{{id: BenefitHousingFundLoan, order: 3, eligible: true, amount: n(720000)}},
			totals: Totals{TotalYuan: 32400, DueYuan: 6300, RemainingYuan: 26100, AfterTrialYuan: 20700}},
		{name: "housing fund: pregnant with a 2nd child does not count yet",
			family: Family{Children: []Child{{day("2021-01-01"), 1}}, PregnantWithOrder: 2, FundDepositors: 2}, asOf: "2024-06-01",
			items:  []want{{id: BenefitHousingFundLoan, eligible: false, reasonEnHas: "once the child is born"}},
			totals: Totals{TotalYuan: 500, DueYuan: 500}},
		{name: "pregnant with a first child",
			family: Family{PregnantWithOrder: 1}, asOf: "2024-06-01",
			items: []want{{id: BenefitPregnancySubsidy, order: 1, eligible: false, total: n(0), due: n(0), remaining: n(0)}}},
		{name: "pregnant with a second child",
			family: Family{Children: []Child{{day("2021-01-01"), 1}}, PregnantWithOrder: 2}, asOf: "2024-06-01",
			items:  []want{{id: BenefitPregnancySubsidy, order: 2, eligible: true, amount: n(500), total: n(500), due: n(500), remaining: n(0)}},
			totals: Totals{TotalYuan: 500, DueYuan: 500}},
		{name: "pregnant with a third child",
			family: Family{Children: []Child{{day("2023-05-10"), 2}}, PregnantWithOrder: 3, FundDepositors: 2}, asOf: "2026-11-30",
			// The example family: the 2nd child's 36 months (2023-05 … 2026-04) are all due by 2026-11-30.
			items: []want{
				{id: BenefitPregnancySubsidy, order: 3, eligible: true, amount: n(500), total: n(500), due: n(500), remaining: n(0)},
				{id: BenefitChildcareAllowance, order: 2, eligible: true, monthly: n(300), first: "2023-05", last: "2026-04", months: 36,
					total: n(10800), due: n(10800), remaining: n(0), afterTrial: n(4800)},
				{id: BenefitHousingFundLoan, order: 2, eligible: true, amount: n(1200000)},
				{id: BenefitHousingFundRent, order: 2, eligible: true, amount: n(54000)},
				{id: BenefitInclusiveChildcare, eligible: true},
			},
			totals: Totals{TotalYuan: 11300, DueYuan: 11300, AfterTrialYuan: 4800}},
		{name: "pregnant with a fourth child",
			family: Family{Children: []Child{{day("2023-05-10"), 3}}, PregnantWithOrder: 4}, asOf: "2026-11-30",
			items:  []want{{id: BenefitPregnancySubsidy, order: 4, eligible: false, total: n(0), due: n(0), remaining: n(0)}},
			totals: Totals{TotalYuan: 21600, DueYuan: 21600, AfterTrialYuan: 9600}},
		{name: "inclusive childcare: no child under 3 on as_of",
			family: Family{Children: []Child{{day("2020-01-01"), 1}}}, asOf: "2024-06-01",
			items: []want{{id: BenefitInclusiveChildcare, eligible: false}}},
		{name: "inclusive childcare: a child under 3 on as_of",
			family: Family{Children: []Child{{day("2022-01-01"), 1}}}, asOf: "2024-12-31",
			items: []want{{id: BenefitInclusiveChildcare, eligible: true, reasonEnHas: "the 1st"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if errs := tt.family.Check(day("2026-11-30")); len(errs) > 0 {
				t.Fatalf("the test family is impossible: %v", errs)
			}
			ans, err := samplePolicy(t).Benefits.Calculate(tt.family, day(tt.asOf))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.items {
				check(t, ans, w)
			}
			if ans.Totals != tt.totals {
				t.Errorf("totals = %+v, want %+v", ans.Totals, tt.totals)
			}
			// The yearly timeline adds up to the allowances' total and due.
			var sum, due, allowance, allowanceDue int
			for _, y := range ans.ByYear {
				sum, due = sum+y.Yuan, due+y.DueYuan
			}
			for _, it := range ans.Items {
				if it.ID == BenefitChildcareAllowance {
					allowance, allowanceDue = allowance+*it.TotalYuan, allowanceDue+*it.DueYuan
				}
			}
			if sum != allowance || due != allowanceDue {
				t.Errorf("allowance_by_year sums to %d (due %d), want %d (due %d)", sum, due, allowance, allowanceDue)
			}
			if len(ans.Readings) == 0 || len(ans.Conditions) == 0 || ans.Validity.Clause != "七（一）" {
				t.Errorf("the answer lacks the readings, the conditions or the validity")
			}
		})
	}
}

// TestAllowanceByYear splits a third child's allowance born mid-year over
// the calendar years: 6 + 12 + 12 + 6 months of 600 yuan.
func TestAllowanceByYear(t *testing.T) {
	ans, err := samplePolicy(t).Benefits.Calculate(Family{Children: []Child{{day("2023-07-15"), 3}}}, day("2024-02-29"))
	if err != nil {
		t.Fatal(err)
	}
	want := []YearYuan{{2023, 3600, 3600}, {2024, 7200, 1200}, {2025, 7200, 0}, {2026, 3600, 0}}
	if !reflect.DeepEqual(ans.ByYear, want) {
		t.Errorf("allowance_by_year = %v, want %v", ans.ByYear, want)
	}
}

// TestEveryCitedReadingIsReturned checks that each reading an item cites is
// in the answer with its clause.
func TestEveryCitedReadingIsReturned(t *testing.T) {
	ans, err := samplePolicy(t).Benefits.Calculate(Family{Children: []Child{{day("2022-01-01"), 2}, {day("2023-05-10"), 3}, {day("2024-05-10"), 4}},
		PregnantWithOrder: 5, FundDepositors: 1}, day("2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, r := range ans.Readings {
		if r.Clause == "" || r.Reading.Zh == "" || r.Reading.En == "" {
			t.Errorf("reading %s lacks its clause or text", r.ID)
		}
		have[r.ID] = true
	}
	for _, it := range ans.Items {
		for _, id := range it.Readings {
			if !have[id] {
				t.Errorf("item %s cites reading %q, which the answer does not carry", it.ID, id)
			}
		}
	}
}

// TestCheck refuses families that cannot be, naming the field.
func TestCheck(t *testing.T) {
	today := day("2026-11-30")
	for _, tt := range []struct {
		name   string
		family Family
		path   string
		says   string
	}{
		{"birth tomorrow", Family{Children: []Child{{day("2026-12-01"), 2}}}, "children[0].birth_date", "in the future"},
		{"order twice", Family{Children: []Child{{day("2023-01-01"), 2}, {day("2024-01-01"), 2}}}, "children[1].order", "already given"},
		{"third born before second", Family{Children: []Child{{day("2024-01-01"), 2}, {day("2023-01-01"), 3}}}, "children[1].order", "cannot be born before the 2nd"},
		{"pregnant with an order already born", Family{Children: []Child{{day("2023-01-01"), 2}}, PregnantWithOrder: 2}, "pregnant_with_order", "3rd or later"},
		{"pregnant with an earlier order", Family{Children: []Child{{day("2023-01-01"), 3}}, PregnantWithOrder: 2}, "pregnant_with_order", "does not fit"},
		{"three depositors", Family{FundDepositors: 3}, "fund_depositors", "0, 1 or 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errs := tt.family.Check(today)
			if len(errs) != 1 {
				t.Fatalf("Check = %v, want one error at %s", errs, tt.path)
			}
			if errs[0].Path != tt.path || !strings.Contains(errs[0].Message, tt.says) {
				t.Errorf("Check = %s: %s, want %s saying %q", errs[0].Path, errs[0].Message, tt.path, tt.says)
			}
		})
	}
	for _, f := range []Family{
		{Children: []Child{{day("2024-03-15"), 2}, {day("2024-03-15"), 3}}}, // twins
		{Children: []Child{{day("2023-05-10"), 2}}, PregnantWithOrder: 3},   // the first child left out
		{Children: []Child{{today, 1}}, FundDepositors: 2},                  // born today
		{Children: []Child{{day("2024-01-01"), 3}, {day("2020-01-01"), 1}}}, // listed out of order
		{PregnantWithOrder: 1}, // no children yet
		{Children: []Child{{day("2019-01-01"), 1}, {day("2023-01-01"), 2}}, FundDepositors: 0},
	} {
		if errs := f.Check(today); len(errs) > 0 {
			t.Errorf("Check(%+v) = %v, want none", f, errs)
		}
	}
}

// TestBenefitRulesLoadFromJSON shows the rules survive a trip through JSON,
// as a county's policy file will carry them, and still validate.
func TestBenefitRulesLoadFromJSON(t *testing.T) {
	if err := samplePolicy(t).Benefits.Validate(); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(samplePolicy(t).Benefits)
	if err != nil {
		t.Fatal(err)
	}
	var loaded Benefits
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&loaded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&loaded, samplePolicy(t).Benefits) {
		t.Errorf("the rules changed on their way through JSON:\n%s", b)
	}
	broken := loaded
	broken.ChildcareAllowance.BornOnOrAfter = "2023-13-01"
	broken.Validity.CertainlyEndedFrom = "2024-12"
	broken.HousingFundLoan.CeilingYuan = map[int]int{1: 720000}
	err = broken.Validate()
	for _, says := range []string{"childcare_allowance.born_on_or_after", "certainly_ended_from: 2024-12, want 2025-01", "1 and 2 depositors"} {
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("Validate of broken rules = %v, want it to say %q", err, says)
		}
	}
}

// TestBenefitRulesAgreeWithMoney keeps the calculator's amounts equal to
// the policy's money catalogue, which the rest of shanyu cites.
func TestBenefitRulesAgreeWithMoney(t *testing.T) {
	b := *samplePolicy(t).Benefits
	allowance, _ := samplePolicy(t).Rule(ChildcareAllowance)
	for order, v := range b.ChildcareAllowance.MonthlyYuan {
		if float64(v) != allowance.Amounts[strconv.Itoa(order)] {
			t.Errorf("allowance for order %d: %d here, %v in Money", order, v, allowance.Amounts[strconv.Itoa(order)])
		}
	}
	if len(b.ChildcareAllowance.MonthlyYuan) != len(allowance.Amounts) || b.ChildcareAllowance.Clause != allowance.Clause ||
		b.ChildcareAllowance.BornOnOrAfter != allowance.EffectiveFrom {
		t.Errorf("allowance rule %+v disagrees with %+v", b.ChildcareAllowance, allowance)
	}
	pregnancy, _ := samplePolicy(t).Rule(PregnancySubsidy)
	if float64(b.PregnancySubsidy.AmountYuan) != *pregnancy.AmountYuan || b.PregnancySubsidy.Clause != pregnancy.Clause {
		t.Errorf("pregnancy subsidy %+v disagrees with %+v", b.PregnancySubsidy, pregnancy)
	}
	loan, _ := samplePolicy(t).Rule(ProvidentFundLoanCeiling)
	if float64(b.HousingFundLoan.CeilingYuan[1]) != loan.Amounts["one_depositor"] || float64(b.HousingFundLoan.CeilingYuan[2]) != loan.Amounts["two_depositors"] ||
		b.HousingFundLoan.BornOnOrAfter != loan.EffectiveFrom || b.HousingFundLoan.Clause != loan.Clause {
		t.Errorf("loan ceiling %+v disagrees with %+v", b.HousingFundLoan, loan)
	}
	rent, _ := samplePolicy(t).Rule(ProvidentFundRentWithdrawal)
	if float64(b.HousingFundRent.PerPersonPerYearYuan) != *rent.AmountYuan || b.HousingFundRent.Clause != rent.Clause {
		t.Errorf("rent withdrawal %+v disagrees with %+v", b.HousingFundRent, rent)
	}
	operating, _ := samplePolicy(t).Rule(OperatingSubsidy)
	for class, v := range b.InclusiveChildcare.CentreMonthlyYuan {
		if float64(v) != operating.Amounts[class] {
			t.Errorf("inclusive childcare %s: %d here, %v in Money", class, v, operating.Amounts[class])
		}
	}
	if len(b.InclusiveChildcare.CentreMonthlyYuan) != len(operating.Amounts) {
		t.Errorf("inclusive childcare classes %v, Money has %v", b.InclusiveChildcare.CentreMonthlyYuan, operating.Amounts)
	}
}

// TestCalculateInvariants draws random possible families and checks what
// must hold whatever the family: each allowance is months × monthly, due and
// remaining split the total, nothing is due before the birth, ineligible
// items carry no money, and the totals and the yearly timeline add up.
func TestCalculateInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2023))
	today := day("2026-11-30")
	randomDay := func() time.Time { return day("2019-01-01").AddDate(0, 0, rng.IntN(2891)) } // to 2026-11-30
	checked := 0
	for range 3000 {
		var f Family
		for order := 1; order <= 5; order++ {
			if rng.IntN(3) > 0 {
				f.Children = append(f.Children, Child{randomDay(), order})
			}
		}
		slices.SortFunc(f.Children, func(a, b Child) int { return a.BirthDate.Compare(b.BirthDate) })
		for i := range f.Children { // orders follow the dates, with gaps
			f.Children[i].Order = i + 1 + rng.IntN(2)*i
		}
		if rng.IntN(2) == 0 {
			f.PregnantWithOrder = len(f.Children) + 1 + rng.IntN(2)
		}
		f.FundDepositors = rng.IntN(3)
		if len(f.Check(today)) > 0 {
			continue
		}
		checked++
		asOf := day("2022-01-01").AddDate(0, 0, rng.IntN(3650))
		ans, err := samplePolicy(t).Benefits.Calculate(f, asOf)
		if err != nil {
			t.Fatal(err)
		}
		var sum Totals
		allowance := 0
		for _, it := range ans.Items {
			money := it.Kind == "monthly" || it.Kind == "one_off"
			if !money {
				if it.TotalYuan != nil || it.DueYuan != nil || it.RemainingYuan != nil {
					t.Fatalf("%+v: %s is not money but carries totals", f, it.ID)
				}
				continue
			}
			total, due, rest := *it.TotalYuan, *it.DueYuan, *it.RemainingYuan
			if due < 0 || rest < 0 || due+rest != total {
				t.Fatalf("%+v on %v: %s due %d + remaining %d != total %d", f, asOf, it.ID, due, rest, total)
			}
			if !it.Eligible {
				if total != 0 {
					t.Fatalf("%+v: ineligible %s pays %d", f, it.ID, total)
				}
				continue
			}
			if it.Kind == "monthly" {
				allowance += total
				if total != it.Months**it.MonthlyYuan || due%*it.MonthlyYuan != 0 || *it.AfterTrialYuan > total {
					t.Fatalf("%+v: %+v", f, it)
				}
				born := f.Children[slices.IndexFunc(f.Children, func(c Child) bool { return c.Order == it.ChildOrder })].BirthDate
				if asOf.Before(born) && due != 0 {
					t.Fatalf("%+v: %d due on %v before the birth on %v", f, due, asOf, born)
				}
				sum.AfterTrialYuan += *it.AfterTrialYuan
			}
			sum.TotalYuan, sum.DueYuan, sum.RemainingYuan = sum.TotalYuan+total, sum.DueYuan+due, sum.RemainingYuan+rest
		}
		if sum != ans.Totals {
			t.Fatalf("%+v: totals %+v, items add up to %+v", f, ans.Totals, sum)
		}
		byYear := 0
		for _, y := range ans.ByYear {
			byYear += y.Yuan
		}
		if byYear != allowance {
			t.Fatalf("%+v: allowance_by_year adds up to %d, allowances to %d", f, byYear, allowance)
		}
	}
	t.Logf("%d possible families checked", checked)
	if checked < 1000 {
		t.Errorf("only %d of 3000 random families were possible: the generator is off", checked)
	}
}
