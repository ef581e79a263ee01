package policy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Bilingual is a sentence in Chinese and in English.
type Bilingual struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Benefits is every rule a family's benefits are computed from: amounts,
// dates, birth orders and windows, each with its clause, the conditions the
// calculator cannot check, and the readings chosen where the text is
// ambiguous. It is plain data, so that a county's policy file can carry it
// as JSON; Validate checks a loaded copy.
type Benefits struct {
	Validity           Validity               `json:"validity"`
	ChildcareAllowance ChildcareAllowanceRule `json:"childcare_allowance"`
	PregnancySubsidy   PregnancySubsidyRule   `json:"pregnancy_subsidy"`
	HousingFundLoan    HousingFundLoanRule    `json:"housing_fund_loan"`
	HousingFundRent    HousingFundRentRule    `json:"housing_fund_rent"`
	InclusiveChildcare InclusiveChildcareRule `json:"inclusive_childcare"`
	Conditions         []BenefitCondition     `json:"conditions"`
	Readings           []Reading              `json:"readings"`
}

// Validity is when the policy applies (the final part, clause 七（一）).
type Validity struct {
	Clause string `json:"clause"`
	// CoversBornFrom is the first day of the back-dated period: families
	// with a 2nd or 3rd child from this day to publication are covered.
	CoversBornFrom string `json:"covers_born_from" doc:"Families with a 2nd or 3rd child from this day are covered, back-dated before publication"`
	// PublishedYear is the year of publication; the text leaves the month
	// and day blank ("2023年XX月XX日").
	PublishedYear int `json:"published_year"`
	// TrialMonths is the length of the trial from publication.
	TrialMonths int `json:"trial_months"`
	// CertainlyEndedFrom is the first month that falls after the trial
	// however late in PublishedYear the text was published.
	CertainlyEndedFrom string    `json:"certainly_ended_from" doc:"First month (YYYY-MM) after the trial, however late in the year the policy was published"`
	Text               Bilingual `json:"text"`
}

// ChildcareAllowanceRule is clause （八）'s monthly allowance.
type ChildcareAllowanceRule struct {
	Clause        string      `json:"clause"`
	Name          Bilingual   `json:"name"`
	BornOnOrAfter string      `json:"born_on_or_after"`
	MonthlyYuan   map[int]int `json:"monthly_yuan_by_order" doc:"Yuan a month by birth order"`
	// Months is the number of monthly payments, the birth month first
	// (reading third_birthday_month).
	Months int `json:"months"`
}

// PregnancySubsidyRule is clause （十三）'s one-off pregnancy subsidy.
type PregnancySubsidyRule struct {
	Clause     string    `json:"clause"`
	Name       Bilingual `json:"name"`
	AmountYuan int       `json:"amount_yuan"`
	Orders     []int     `json:"orders" doc:"Birth orders of the pregnancy that qualify"`
}

// HousingFundLoanRule is clause （八）'s raised provident-fund loan ceiling.
type HousingFundLoanRule struct {
	Clause        string    `json:"clause"`
	Name          Bilingual `json:"name"`
	BornOnOrAfter string    `json:"born_on_or_after"`
	Orders        []int     `json:"orders"`
	UpliftPercent int       `json:"uplift_percent"`
	// CeilingYuan is the highest loan by the number of depositors in the
	// family (1 or 2).
	CeilingYuan map[int]int `json:"ceiling_yuan_by_depositors"`
}

// HousingFundRentRule is clause （八）'s raised provident-fund rent
// withdrawal.
type HousingFundRentRule struct {
	Clause               string    `json:"clause"`
	Name                 Bilingual `json:"name"`
	BornOnOrAfter        string    `json:"born_on_or_after"`
	Orders               []int     `json:"orders"`
	UpliftPercent        int       `json:"uplift_percent"`
	PerPersonPerYearYuan int       `json:"per_person_per_year_yuan"`
}

// InclusiveChildcareRule is clause （七）'s subsidy of inclusive (普惠)
// childcare: paid to the centre for each enrolled child, not to the family.
type InclusiveChildcareRule struct {
	Clause string    `json:"clause"`
	Name   Bilingual `json:"name"`
	// UnderMonths is the age, in months, below which a child is of
	// childcare age (the policy's under-3s).
	UnderMonths int `json:"under_months"`
	// CentreMonthlyYuan is the operating subsidy per enrolled child and
	// month by class: infant 乳儿班, toddler_small 托小班, toddler_large
	// 托大班, mixed 混合班.
	CentreMonthlyYuan map[string]int `json:"centre_monthly_yuan_by_class"`
}

// BenefitCondition is something the family must check for itself: the
// calculator cannot know it.
type BenefitCondition struct {
	ID       string    `json:"id"`
	Clause   string    `json:"clause"`
	Benefits []string  `json:"benefits" doc:"Ids of the benefits it applies to"`
	Text     Bilingual `json:"text"`
}

// Reading is how the calculator reads a passage whose meaning is not
// settled by the text, with the clause it reads.
type Reading struct {
	ID       string    `json:"id"`
	Clause   string    `json:"clause"`
	Question Bilingual `json:"question"`
	Reading  Bilingual `json:"reading"`
}

// The benefit ids of an answer.
const (
	BenefitChildcareAllowance = "childcare_allowance"
	BenefitPregnancySubsidy   = "pregnancy_subsidy"
	BenefitHousingFundLoan    = "housing_fund_loan"
	BenefitHousingFundRent    = "housing_fund_rent"
	BenefitInclusiveChildcare = "inclusive_childcare"
)

// The reading ids.
const (
	ReadingThirdBirthdayMonth = "third_birthday_month"
	ReadingBirthOrder         = "birth_order_and_twins"
	ReadingBornBefore2023     = "second_child_born_before_2023"
	ReadingFourthChild        = "fourth_and_later_children"
	ReadingTrial              = "trial_year"
	ReadingDue                = "what_has_fallen_due"
	ReadingRentDate           = "rent_withdrawal_date"
	ReadingPregnancy          = "one_subsidy_per_pregnancy"
	ReadingHousingBorn        = "housing_needs_a_born_child"
)

// dateOnly parses a YYYY-MM-DD day of the rules.
func dateOnly(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// Validate checks rules loaded from a file: every date parses, every
// amount is positive, every order is 2 or more and every reading an item
// cites exists.
func (b *Benefits) Validate() error {
	var errs []error
	for what, d := range map[string]string{
		"validity.covers_born_from":              b.Validity.CoversBornFrom,
		"childcare_allowance.born_on_or_after":   b.ChildcareAllowance.BornOnOrAfter,
		"housing_fund_loan.born_on_or_after":     b.HousingFundLoan.BornOnOrAfter,
		"housing_fund_rent.born_on_or_after":     b.HousingFundRent.BornOnOrAfter,
		"validity.certainly_ended_from (day 01)": b.Validity.CertainlyEndedFrom + "-01",
	} {
		if _, err := dateOnly(d); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not a date YYYY-MM-DD", what, d))
		}
	}
	positive := func(what string, v int) {
		if v <= 0 {
			errs = append(errs, fmt.Errorf("%s: %d, want a positive number", what, v))
		}
	}
	positive("validity.trial_months", b.Validity.TrialMonths)
	// Published on 31 December at the latest, the trial's last day falls in
	// the month TrialMonths after December; the month after it is certain.
	if m, err := parseMonth(b.Validity.CertainlyEndedFrom); err == nil {
		want := Month(b.Validity.PublishedYear*12+11) + Month(b.Validity.TrialMonths) + 1
		if m != want {
			errs = append(errs, fmt.Errorf("validity.certainly_ended_from: %s, want %s for a %d-month trial published in %d",
				m, want, b.Validity.TrialMonths, b.Validity.PublishedYear))
		}
	}
	positive("childcare_allowance.months", b.ChildcareAllowance.Months)
	positive("pregnancy_subsidy.amount_yuan", b.PregnancySubsidy.AmountYuan)
	positive("housing_fund_rent.per_person_per_year_yuan", b.HousingFundRent.PerPersonPerYearYuan)
	positive("inclusive_childcare.under_months", b.InclusiveChildcare.UnderMonths)
	if len(b.ChildcareAllowance.MonthlyYuan) == 0 {
		errs = append(errs, errors.New("childcare_allowance.monthly_yuan_by_order: empty"))
	}
	for order, v := range b.ChildcareAllowance.MonthlyYuan {
		positive("childcare_allowance.monthly_yuan_by_order."+strconv.Itoa(order), v)
	}
	for n, v := range b.HousingFundLoan.CeilingYuan {
		if n < 1 || n > 2 {
			errs = append(errs, fmt.Errorf("housing_fund_loan.ceiling_yuan_by_depositors: %d depositors, want 1 or 2", n))
		}
		positive("housing_fund_loan.ceiling_yuan_by_depositors."+strconv.Itoa(n), v)
	}
	if len(b.HousingFundLoan.CeilingYuan) != 2 {
		errs = append(errs, errors.New("housing_fund_loan.ceiling_yuan_by_depositors: want the ceilings for 1 and 2 depositors"))
	}
	for what, orders := range map[string][]int{"pregnancy_subsidy.orders": b.PregnancySubsidy.Orders,
		"housing_fund_loan.orders": b.HousingFundLoan.Orders, "housing_fund_rent.orders": b.HousingFundRent.Orders} {
		if len(orders) == 0 {
			errs = append(errs, fmt.Errorf("%s: empty", what))
		}
		for _, o := range orders {
			if o < 2 {
				errs = append(errs, fmt.Errorf("%s: order %d, want 2 or more", what, o))
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range b.Readings {
		seen[r.ID] = true
	}
	for _, id := range []string{ReadingThirdBirthdayMonth, ReadingBirthOrder, ReadingBornBefore2023, ReadingFourthChild,
		ReadingTrial, ReadingDue, ReadingRentDate, ReadingPregnancy, ReadingHousingBorn} {
		if !seen[id] {
			errs = append(errs, fmt.Errorf("readings: %q is missing", id))
		}
	}
	return errors.Join(errs...)
}

// Child is one of the couple's children: born on BirthDate (a day in China
// Standard Time, at midnight UTC) and Order-th by birth.
type Child struct {
	BirthDate time.Time
	Order     int
}

// Family is what the calculator needs to know.
type Family struct {
	Children []Child
	// PregnantWithOrder is the birth order of the child the mother is
	// pregnant with; 0 when she is not.
	PregnantWithOrder int
	// FundDepositors is how many of the couple pay into the housing
	// provident fund: 0, 1 or 2.
	FundDepositors int
}

// FamilyError is a fact about a family that cannot be true, at Path (a
// JSON path in the request: children[1].order), with a sentence saying
// what to fix.
type FamilyError struct {
	Path    string
	Value   any
	Message string
}

func (e FamilyError) Error() string { return e.Path + ": " + e.Message }

// ordinal writes 2 as "2nd".
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// Check returns what cannot be true of f on today (a day in China
// Standard Time): a birth in the future, an order given twice, a child born
// before one of a lower order, a pregnancy whose order is already taken.
func (f Family) Check(today time.Time) []FamilyError {
	var errs []FamilyError
	byOrder := map[int]int{} // order → index of the first child with it
	for i, c := range f.Children {
		path := fmt.Sprintf("children[%d]", i)
		if c.BirthDate.After(today) {
			errs = append(errs, FamilyError{path + ".birth_date", c.BirthDate.Format(time.DateOnly),
				fmt.Sprintf("%s is in the future (today is %s, China Standard Time): list children already born, and give a pregnancy as pregnant_with_order",
					c.BirthDate.Format(time.DateOnly), today.Format(time.DateOnly))})
		}
		if j, dup := byOrder[c.Order]; dup {
			errs = append(errs, FamilyError{path + ".order", c.Order,
				fmt.Sprintf("order %d is already given to children[%d]: each child has its own birth order, twins too (the first-born takes the lower one)", c.Order, j)})
			continue
		}
		byOrder[c.Order] = i
	}
	for i, c := range f.Children {
		for j, d := range f.Children {
			if i != j && c.Order > d.Order && c.BirthDate.Before(d.BirthDate) {
				errs = append(errs, FamilyError{fmt.Sprintf("children[%d].order", i), c.Order,
					fmt.Sprintf("the %s child (born %s) cannot be born before the %s child (children[%d], born %s): the order counts children by birth; check the orders or the dates",
						ordinal(c.Order), c.BirthDate.Format(time.DateOnly), ordinal(d.Order), j, d.BirthDate.Format(time.DateOnly))})
				break
			}
		}
	}
	if p := f.PregnantWithOrder; p != 0 {
		highest := 0
		for _, c := range f.Children {
			highest = max(highest, c.Order)
		}
		if p <= highest {
			errs = append(errs, FamilyError{"pregnant_with_order", p,
				fmt.Sprintf("a pregnancy with the %s child does not fit: children already include the %s child, so the pregnancy is the %s or later; leave pregnant_with_order out if she is not pregnant",
					ordinal(p), ordinal(highest), ordinal(highest+1))})
		}
	}
	if f.FundDepositors < 0 || f.FundDepositors > 2 {
		errs = append(errs, FamilyError{"fund_depositors", f.FundDepositors,
			"give how many of the couple pay into the housing provident fund: 0, 1 or 2"})
	}
	return errs
}

// Month is a calendar month counted from year 0: year×12 + month−1.
type Month int

// MonthOf returns the month of t.
func MonthOf(t time.Time) Month { return Month(t.Year()*12 + int(t.Month()) - 1) }

// String writes the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// Year returns the month's year.
func (m Month) Year() int { return int(m) / 12 }

func parseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, err
	}
	return MonthOf(t), nil
}

// BenefitItem is one benefit for one family, or for one of its children.
// Cash items (kind monthly or one_off) carry total, due and remaining;
// ceilings and information carry none.
type BenefitItem struct {
	ID         string    `json:"id" enum:"childcare_allowance,pregnancy_subsidy,housing_fund_loan,housing_fund_rent,inclusive_childcare"`
	Name       Bilingual `json:"name"`
	Clause     string    `json:"clause"`
	Kind       string    `json:"kind" enum:"monthly,one_off,ceiling,info" doc:"monthly and one_off are money to the family, summed in totals; a ceiling raises a limit; info is a service"`
	ChildOrder int       `json:"child_order,omitempty" doc:"Birth order of the child (or of the pregnancy) the item is for"`
	Eligible   bool      `json:"eligible"`
	Reason     Bilingual `json:"reason"`
	// MonthlyYuan is the monthly amount of a monthly item.
	MonthlyYuan *int `json:"monthly_yuan,omitempty"`
	// AmountYuan is the one-off amount, or the ceiling.
	AmountYuan     *int           `json:"amount_yuan,omitempty"`
	Unit           string         `json:"unit,omitempty"`
	FirstMonth     string         `json:"first_month,omitempty" doc:"First paid month, YYYY-MM"`
	LastMonth      string         `json:"last_month,omitempty" doc:"Last paid month, YYYY-MM"`
	Months         int            `json:"months,omitempty"`
	TotalYuan      *int           `json:"total_yuan,omitempty"`
	DueYuan        *int           `json:"due_yuan,omitempty" doc:"Fallen due by as_of (reading what_has_fallen_due)"`
	RemainingYuan  *int           `json:"remaining_yuan,omitempty"`
	AfterTrialYuan *int           `json:"after_trial_yuan,omitempty" doc:"Part of total_yuan for months after the trial had certainly ended (reading trial_year)"`
	CentreYuan     map[string]int `json:"centre_monthly_yuan_by_class,omitempty" doc:"Subsidy paid to an inclusive centre per enrolled child a month, by class"`
	Readings       []string       `json:"readings,omitempty" doc:"Ids of the readings this item depends on"`
}

// Totals sums the money items a family is eligible for.
type Totals struct {
	TotalYuan      int `json:"total_yuan"`
	DueYuan        int `json:"due_yuan"`
	RemainingYuan  int `json:"remaining_yuan"`
	AfterTrialYuan int `json:"after_trial_yuan"`
}

// YearYuan is what the monthly allowances pay in one calendar year.
type YearYuan struct {
	Year    int `json:"year"`
	Yuan    int `json:"yuan"`
	DueYuan int `json:"due_yuan"`
}

// BenefitAnswer is what a family can get.
type BenefitAnswer struct {
	AsOf       string             `json:"as_of"`
	Items      []BenefitItem      `json:"items"`
	Totals     Totals             `json:"totals"`
	ByYear     []YearYuan         `json:"allowance_by_year" doc:"The monthly allowances by calendar year, for a timeline"`
	Conditions []BenefitCondition `json:"conditions"`
	Validity   Validity           `json:"validity"`
	Readings   []Reading          `json:"readings"`
}

func yuan(v int) *int { return &v }

// Calculate answers for f on asOf. Call f.Check first: Calculate assumes
// the family is possible. The error is only for rules that do not validate.
func (b *Benefits) Calculate(f Family, asOf time.Time) (BenefitAnswer, error) {
	if err := b.Validate(); err != nil {
		return BenefitAnswer{}, err
	}
	allowanceFrom, _ := dateOnly(b.ChildcareAllowance.BornOnOrAfter)
	trialEnded, _ := parseMonth(b.Validity.CertainlyEndedFrom)
	now := MonthOf(asOf)
	children := slices.Clone(f.Children)
	slices.SortStableFunc(children, func(a, c Child) int { return a.Order - c.Order })

	ans := BenefitAnswer{AsOf: asOf.Format(time.DateOnly), Items: []BenefitItem{}, ByYear: []YearYuan{},
		Conditions: b.Conditions, Validity: b.Validity, Readings: b.Readings}
	byYear := map[int]*YearYuan{}

	// Clause （八）: the childcare allowance, one item per child.
	ca := b.ChildcareAllowance
	for _, c := range children {
		it := BenefitItem{ID: BenefitChildcareAllowance, Name: ca.Name, Clause: ca.Clause, Kind: "monthly", ChildOrder: c.Order,
			Unit: "yuan a month", TotalYuan: yuan(0), DueYuan: yuan(0), RemainingYuan: yuan(0), AfterTrialYuan: yuan(0),
			Readings: []string{ReadingBirthOrder}}
		born := c.BirthDate.Format(time.DateOnly)
		monthly, paid := ca.MonthlyYuan[c.Order]
		switch {
		case !paid && c.Order < minKey(ca.MonthlyYuan):
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("第%d个孩子：育儿补贴只发给二孩、三孩。", c.Order),
				En: fmt.Sprintf("The %s child: the allowance is for a 2nd or 3rd child.", ordinal(c.Order))}
		case !paid:
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("第%d个孩子：条文只写二孩、三孩。", c.Order),
				En: fmt.Sprintf("The %s child: the clause names 2nd and 3rd children only.", ordinal(c.Order))}
			it.Readings = append(it.Readings, ReadingFourthChild)
		case c.BirthDate.Before(allowanceFrom):
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("%s出生，早于%s：育儿补贴只发给%s起生育的二孩、三孩。这个孩子仍计入孩次。", born, ca.BornOnOrAfter, ca.BornOnOrAfter),
				En: fmt.Sprintf("Born %s, before %s: the allowance is for 2nd and 3rd children born from %s. The child still counts in the birth order.", born, ca.BornOnOrAfter, ca.BornOnOrAfter)}
			it.Readings = append(it.Readings, ReadingBornBefore2023)
		default:
			first := MonthOf(c.BirthDate)
			last := first + Month(ca.Months) - 1
			dueMonths := min(max(int(now-first)+1, 0), ca.Months)
			if asOf.Before(c.BirthDate) {
				dueMonths = 0 // not yet born on as_of, even within the birth month
			}
			afterTrial := min(max(int(last-trialEnded)+1, 0), ca.Months)
			it.Eligible = true
			it.MonthlyYuan = yuan(monthly)
			it.FirstMonth, it.LastMonth, it.Months = first.String(), last.String(), ca.Months
			*it.TotalYuan = ca.Months * monthly
			*it.DueYuan = dueMonths * monthly
			*it.RemainingYuan = *it.TotalYuan - *it.DueYuan
			*it.AfterTrialYuan = afterTrial * monthly
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("第%d个孩子，%s出生（%s起）：每月%d元，从出生当月%s起发到满%d个月，最后一个月为%s。", c.Order, born, ca.BornOnOrAfter, monthly, first, ca.Months, last),
				En: fmt.Sprintf("The %s child, born %s (from %s on): %d yuan a month from the birth month %s until %d months old, the last paid month %s.", ordinal(c.Order), born, ca.BornOnOrAfter, monthly, first, ca.Months, last)}
			it.Readings = append(it.Readings, ReadingThirdBirthdayMonth, ReadingDue, ReadingTrial)
			for m := first; m <= last; m++ {
				y := byYear[m.Year()]
				if y == nil {
					y = &YearYuan{Year: m.Year()}
					byYear[m.Year()] = y
				}
				y.Yuan += monthly
				if m <= now && !asOf.Before(c.BirthDate) {
					y.DueYuan += monthly
				}
			}
		}
		ans.Items = append(ans.Items, it)
	}

	// Clause （十三）: the pregnancy subsidy, for the current pregnancy.
	if p := f.PregnantWithOrder; p != 0 {
		ps := b.PregnancySubsidy
		it := BenefitItem{ID: BenefitPregnancySubsidy, Name: ps.Name, Clause: ps.Clause, Kind: "one_off", ChildOrder: p,
			Unit: "yuan, once", TotalYuan: yuan(0), DueYuan: yuan(0), RemainingYuan: yuan(0),
			Readings: []string{ReadingBirthOrder, ReadingPregnancy}}
		if slices.Contains(ps.Orders, p) {
			it.Eligible = true
			it.AmountYuan, it.TotalYuan, it.DueYuan = yuan(ps.AmountYuan), yuan(ps.AmountYuan), yuan(ps.AmountYuan)
			it.Readings = append(it.Readings, ReadingDue)
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("怀第%d个孩子：孕期补助%d元，一次性。", p, ps.AmountYuan),
				En: fmt.Sprintf("Pregnant with the %s child: a %d-yuan pregnancy subsidy, once.", ordinal(p), ps.AmountYuan)}
		} else {
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("怀第%d个孩子：孕期补助只发给怀二孩、三孩的孕妇。", p),
				En: fmt.Sprintf("Pregnant with the %s child: the subsidy is for a pregnancy with a 2nd or 3rd child.", ordinal(p))}
			if p > 3 {
				it.Readings = append(it.Readings, ReadingFourthChild)
			}
		}
		ans.Items = append(ans.Items, it)
	}

	// Clause （八）: the housing provident fund, once per family.
	loan, rent := b.HousingFundLoan, b.HousingFundRent
	loanIt := housingItem(loan.Name, loan.Clause, loan.BornOnOrAfter, loan.Orders, children, f)
	loanIt.ID, loanIt.Unit = BenefitHousingFundLoan, fmt.Sprintf("yuan, the highest loan (+%d%%) for a first home on a first provident-fund loan", loan.UpliftPercent)
	if loanIt.Eligible {
		loanIt.AmountYuan = yuan(loan.CeilingYuan[f.FundDepositors])
		loanIt.Reason = Bilingual{
			Zh: loanIt.Reason.Zh + fmt.Sprintf("%s缴存职工家庭首次首套最高可贷%s元。", depositorsZh(f.FundDepositors), grouped(*loanIt.AmountYuan)),
			En: loanIt.Reason.En + fmt.Sprintf(" With %s, a first loan for a first home can reach %s yuan.", depositorsEn(f.FundDepositors), grouped(*loanIt.AmountYuan))}
	}
	ans.Items = append(ans.Items, loanIt)
	rentIt := housingItem(rent.Name, rent.Clause, rent.BornOnOrAfter, rent.Orders, children, f)
	rentIt.ID, rentIt.Unit = BenefitHousingFundRent, fmt.Sprintf("yuan a year at most for the family: %s per depositor (+%d%%)", grouped(rent.PerPersonPerYearYuan), rent.UpliftPercent)
	rentIt.Readings = append(rentIt.Readings, ReadingRentDate)
	if rentIt.Eligible {
		rentIt.AmountYuan = yuan(rent.PerPersonPerYearYuan * f.FundDepositors)
		rentIt.Reason = Bilingual{
			Zh: rentIt.Reason.Zh + fmt.Sprintf("租房自住的，每人每年最多可提取%s元，%s缴存家庭每年合计最多%s元。", grouped(rent.PerPersonPerYearYuan), depositorsZh(f.FundDepositors), grouped(*rentIt.AmountYuan)),
			En: rentIt.Reason.En + fmt.Sprintf(" Renting a home to live in, each depositor can withdraw at most %s yuan a year: %s yuan a year with %s.", grouped(rent.PerPersonPerYearYuan), grouped(*rentIt.AmountYuan), depositorsEn(f.FundDepositors))}
	}
	ans.Items = append(ans.Items, rentIt)

	// Clause （七）: inclusive childcare, a service for children under 3.
	ic := b.InclusiveChildcare
	icIt := BenefitItem{ID: BenefitInclusiveChildcare, Name: ic.Name, Clause: ic.Clause, Kind: "info", CentreYuan: ic.CentreMonthlyYuan}
	var young []string
	for _, c := range children {
		if !c.BirthDate.After(asOf) && asOf.Before(c.BirthDate.AddDate(0, ic.UnderMonths, 0)) {
			young = append(young, ordinal(c.Order))
		}
	}
	subsidy := fmt.Sprintf("乳儿班%d、托小班%d、托大班%d、混合班%d元/人/月", ic.CentreMonthlyYuan["infant"], ic.CentreMonthlyYuan["toddler_small"],
		ic.CentreMonthlyYuan["toddler_large"], ic.CentreMonthlyYuan["mixed"])
	subsidyEn := fmt.Sprintf("%d (infant class), %d (younger toddlers), %d (older toddlers and mixed classes) yuan a month per enrolled child",
		ic.CentreMonthlyYuan["infant"], ic.CentreMonthlyYuan["toddler_small"], ic.CentreMonthlyYuan["toddler_large"])
	switch {
	case len(young) > 0:
		icIt.Eligible = true
		icIt.Reason = Bilingual{
			Zh: fmt.Sprintf("截至%s有未满3周岁的孩子，可以进普惠性托育机构：县里按%s补助机构，补助付给机构，不付给家庭。", ans.AsOf, subsidy),
			En: fmt.Sprintf("On %s the family has a child under 3 (the %s), who can attend an inclusive centre: the county pays the centre %s, not the family.", ans.AsOf, joinEn(young), subsidyEn)}
	case f.PregnantWithOrder != 0:
		icIt.Eligible = true
		icIt.Reason = Bilingual{
			Zh: fmt.Sprintf("孩子出生后可以进普惠性托育机构：县里按%s补助机构，不付给家庭。", subsidy),
			En: fmt.Sprintf("Once the baby is born it can attend an inclusive centre: the county pays the centre %s, not the family.", subsidyEn)}
	default:
		icIt.Reason = Bilingual{
			Zh: fmt.Sprintf("截至%s没有未满3周岁的孩子；普惠托育面向3岁以下婴幼儿。", ans.AsOf),
			En: fmt.Sprintf("On %s no child is under 3; inclusive childcare is for under-3s.", ans.AsOf)}
	}
	ans.Items = append(ans.Items, icIt)

	for i := range ans.Items {
		it := &ans.Items[i]
		it.Reason.Zh += "依据第" + it.Clause + "条。"
		it.Reason.En += " Clause " + it.Clause + "."
		if it.Eligible && (it.Kind == "monthly" || it.Kind == "one_off") {
			ans.Totals.TotalYuan += *it.TotalYuan
			ans.Totals.DueYuan += *it.DueYuan
			ans.Totals.RemainingYuan += *it.RemainingYuan
			if it.AfterTrialYuan != nil {
				ans.Totals.AfterTrialYuan += *it.AfterTrialYuan
			}
		}
	}
	for _, y := range byYear {
		ans.ByYear = append(ans.ByYear, *y)
	}
	slices.SortFunc(ans.ByYear, func(a, c YearYuan) int { return a.Year - c.Year })
	return ans, nil
}

// housingItem decides the provident-fund eligibility shared by the loan
// and the rent withdrawal: a child of a qualifying order born on or after
// bornFrom, and at least one depositor. It fills the reason's first part.
func housingItem(name Bilingual, clause, bornFrom string, orders []int, children []Child, f Family) BenefitItem {
	it := BenefitItem{Name: name, Clause: clause, Kind: "ceiling", Readings: []string{ReadingBirthOrder, ReadingHousingBorn}}
	from, _ := dateOnly(bornFrom)
	var early *Child
	for _, c := range children {
		if !slices.Contains(orders, c.Order) {
			continue
		}
		if c.BirthDate.Before(from) {
			if early == nil {
				early = &c
			}
			continue
		}
		if it.ChildOrder == 0 {
			it.ChildOrder = c.Order
			it.Reason = Bilingual{
				Zh: fmt.Sprintf("第%d个孩子%s出生，在%s（含）之后。", c.Order, c.BirthDate.Format(time.DateOnly), bornFrom),
				En: fmt.Sprintf("The %s child was born %s, on or after %s.", ordinal(c.Order), c.BirthDate.Format(time.DateOnly), bornFrom)}
		}
	}
	switch {
	case it.ChildOrder != 0 && f.FundDepositors > 0:
		it.Eligible = true
	case it.ChildOrder != 0:
		it.Reason = Bilingual{
			Zh: it.Reason.Zh + "但家里没有人缴存住房公积金（fund_depositors为0），这项不适用。",
			En: it.Reason.En + " But no one in the family pays into the housing provident fund (fund_depositors is 0), so it does not apply."}
	case early != nil:
		it.ChildOrder = early.Order
		it.Reason = Bilingual{
			Zh: fmt.Sprintf("第%d个孩子%s出生，早于%s：这项只适用于%s（含）以后生育二孩、三孩的家庭。", early.Order, early.BirthDate.Format(time.DateOnly), bornFrom, bornFrom),
			En: fmt.Sprintf("The %s child was born %s, before %s: this is for families with a 2nd or 3rd child born on or after %s.", ordinal(early.Order), early.BirthDate.Format(time.DateOnly), bornFrom, bornFrom)}
	case slices.Contains(orders, f.PregnantWithOrder):
		it.Reason = Bilingual{
			Zh: fmt.Sprintf("正在怀第%d个孩子：孩子出生后才符合。", f.PregnantWithOrder),
			En: fmt.Sprintf("Pregnant with the %s child: the family qualifies once the child is born.", ordinal(f.PregnantWithOrder))}
	default:
		it.Reason = Bilingual{
			Zh: fmt.Sprintf("这项适用于%s（含）以后生育二孩、三孩的缴存职工家庭。", bornFrom),
			En: fmt.Sprintf("This is for fund-paying families with a 2nd or 3rd child born on or after %s.", bornFrom)}
	}
	return it
}

// grouped writes 1200000 as 1,200,000.
func grouped(v int) string {
	s := strconv.Itoa(v)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func depositorsZh(n int) string {
	if n == 2 {
		return "双"
	}
	return "单"
}

func depositorsEn(n int) string {
	if n == 2 {
		return "two depositors"
	}
	return "one depositor"
}

func joinEn(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	out := ""
	for i, w := range words {
		switch {
		case i == 0:
			out = w
		case i == len(words)-1:
			out += " and " + w
		default:
			out += ", " + w
		}
	}
	return out
}

func minKey(m map[int]int) int {
	lowest := 0
	for k := range m {
		if lowest == 0 || k < lowest {
			lowest = k
		}
	}
	return lowest
}
