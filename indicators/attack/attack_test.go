package attack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"shanyu/data/sample/generator"
	"shanyu/indicators"
	"shanyu/indicators/attack"
)

// benefits are the sample county's benefit rules, which the synthetic
// counties' payments follow.
var benefits = generator.QingyuanPolicy().Benefits

// input turns a publication into what the attacker reads: the JSON of the
// tables, the hierarchy and the public population.
func input(t *testing.T, pub *indicators.Publication, regions []indicators.Region, under3, total map[string]int) attack.Input {
	t.Helper()
	b, err := json.Marshal(pub.Tables)
	if err != nil {
		t.Fatal(err)
	}
	in := attack.Input{Benefits: benefits}
	if err := json.Unmarshal(b, &in.Tables); err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		in.Regions = append(in.Regions, attack.Region{Code: r.Code, Level: r.Level, Parent: r.Parent})
	}
	for key, n := range under3 {
		code, year, _ := strings.Cut(key, "|")
		y, _ := strconv.Atoi(year)
		in.Population = append(in.Population, attack.Population{Code: code, Year: y, Under3: n, Total: total[key]})
	}
	return in
}

// county makes a synthetic county: towns townships of 1 to 4 villages,
// six years (2020–2025), Poisson births with λ from 0.1 to 30 a village
// and year, and the payments of the policy for them.
func county(seed uint64, towns int) (*indicators.Microdata, []indicators.Region, []indicators.Population, map[string]int, map[string]int) {
	r := rand.New(rand.NewPCG(seed, seed*7+1))
	poisson := func(l float64) int {
		L, k, p := math.Exp(-l), 0, 1.0
		for {
			p *= r.Float64()
			if p <= L {
				return k
			}
			k++
		}
	}
	regions := []indicators.Region{{Code: "900000", Level: "county"}}
	md := &indicators.Microdata{}
	under3, total := map[string]int{}, map[string]int{}
	n := 0
	id := func(p string) string { n++; return fmt.Sprintf("%s%06d", p, n) }
	for ti := 1; ti <= towns; ti++ {
		t := fmt.Sprintf("900000%03d", ti)
		regions = append(regions, indicators.Region{Code: t, Level: "township", Parent: "900000"})
		for vi := 1; vi <= 1+r.IntN(4); vi++ {
			v := fmt.Sprintf("%s%03d", t, vi)
			regions = append(regions, indicators.Region{Code: v, Level: "village", Parent: t})
			lambda := 0.1 + r.Float64()*r.Float64()*30
			for y := 2020; y <= 2025; y++ {
				for k := poisson(lambda); k > 0; k-- {
					order := 1 + r.IntN(3)
					if r.IntN(3) == 0 {
						order = 1
					}
					date := fmt.Sprintf("%d-%02d-%02d", y, 1+r.IntN(12), 1+r.IntN(28))
					b := indicators.Birth{ID: id("B"), Village: v, Date: date, Order: order, MotherAge: "25-29"}
					md.Births = append(md.Births, b)
					md.Pregnancies = append(md.Pregnancies, indicators.Pregnancy{ID: "P" + b.ID, Village: v, Date: date, Order: order, Screened: r.IntN(12) > 0})
				}
				for k := poisson(lambda / 10); k > 0; k-- {
					md.Pregnancies = append(md.Pregnancies, indicators.Pregnancy{ID: id("Q"), Village: v, Date: fmt.Sprintf("%d-06-01", y), Order: 1 + r.IntN(2), Screened: r.IntN(8) > 0})
				}
				for k := poisson(lambda * 1.3); k > 0; k-- {
					md.Deaths = append(md.Deaths, indicators.Death{ID: id("D"), Village: v, Date: fmt.Sprintf("%d-05-01", y)})
				}
				for k := poisson(lambda * 0.8); k > 0; k-- {
					md.Marriages = append(md.Marriages, indicators.Marriage{ID: id("M"), Village: v, Date: fmt.Sprintf("%d-04-01", y), Checked: r.IntN(9) > 0})
				}
				u := poisson(lambda * 3)
				for k := 0; k < u; k++ {
					md.ChildScreenings = append(md.ChildScreenings, indicators.ChildScreening{ChildID: fmt.Sprintf("C%s%d%d", v, y, k), Village: v, Year: y, Screened: r.IntN(15) > 0})
				}
				for _, code := range []string{v, t, "900000"} {
					under3[fmt.Sprintf("%s|%d", code, y)] += u
					total[fmt.Sprintf("%s|%d", code, y)] += int(lambda*100) + 50
				}
			}
		}
	}
	for _, b := range md.Births {
		if b.Order < 2 || b.Date < "2023-01-01" {
			continue
		}
		var y, m int
		fmt.Sscanf(b.Date, "%d-%d", &y, &m)
		for k := 0; k < 36 && y <= 2025; k++ {
			md.Payments = append(md.Payments, indicators.Payment{ID: id("A"), ChildID: b.ID, Village: b.Village,
				Month: fmt.Sprintf("%04d-%02d", y, m), Kind: indicators.ChildcareAllowance, Order: b.Order, Yuan: 300 * (b.Order - 1)})
			if m++; m > 12 {
				y, m = y+1, 1
			}
		}
	}
	for _, p := range md.Pregnancies {
		if p.Order >= 2 && p.Date >= "2023-01-01" {
			md.Payments = append(md.Payments, indicators.Payment{ID: id("S"), ChildID: p.ID, Village: p.Village,
				Month: p.Date[:7], Kind: indicators.PregnancySubsidy, Order: p.Order, Yuan: 500})
		}
	}
	var pop []indicators.Population
	for key, n := range total {
		code, year, _ := strings.Cut(key, "|")
		y, _ := strconv.Atoi(year)
		if len(code) > 9 {
			continue
		}
		pop = append(pop, indicators.Population{Code: code, Year: y, Total: n, Age0to14: n / 7, Age15to64: n / 2, Age65Plus: n / 5})
	}
	return md, regions, pop, under3, total
}

// TestRandomReleasesPassTheAttack: every release published from random
// microdata passes the attack, with all its relations.
func TestRandomReleasesPassTheAttack(t *testing.T) {
	// Seeds 104 and 124 make tiny counties: a county total of births of
	// one order below T, a township with no child under 3.
	for _, seed := range []uint64{1, 2, 3, 4, 5, 104, 124} {
		towns := 3 + int(seed)%3
		if seed > 100 {
			towns = 2 + int(seed)%6
		}
		md, regions, pop, under3, total := county(seed, towns)
		opt := indicators.Options{Benefits: benefits}
		if seed == 5 {
			opt = indicators.Options{T: 3, TSensitive: 7, Benefits: benefits} // other thresholds: the attacker reads them from the tables
		}
		pub, _, err := indicators.Publish(md, regions, pop, opt)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		again, _, err := indicators.Publish(md, regions, pop, opt)
		if err != nil || again.Audit.ID != pub.Audit.ID {
			t.Fatalf("seed %d: the same microdata gave another release (%v)", seed, err)
		}
		rep, err := attack.Run(context.Background(), input(t, pub, regions, under3, total))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if rep.Targets == 0 {
			t.Errorf("seed %d: nothing hidden to attack", seed)
		}
		for _, f := range rep.Findings {
			t.Errorf("seed %d: %v", seed, f)
		}
		t.Logf("seed %d: %d targets (hidden figures and complements), %d constraints, %d solver runs, %d findings", seed, rep.Targets, rep.Constraints, rep.Solves, len(rep.Findings))
	}
}

// TestLaterReleaseKeepsEarlierFiguresFrozen: a release with one more year
// of data keeps every figure of the release already public as it was
// (shown or hidden), and the two together still pass the attack.
func TestLaterReleaseKeepsEarlierFiguresFrozen(t *testing.T) {
	md, regions, pop, under3, total := county(11, 4)
	early := &indicators.Microdata{Women: md.Women}
	for _, x := range md.Births {
		if x.Date < "2025" {
			early.Births = append(early.Births, x)
		}
	}
	for _, x := range md.Deaths {
		if x.Date < "2025" {
			early.Deaths = append(early.Deaths, x)
		}
	}
	for _, x := range md.Marriages {
		if x.Date < "2025" {
			early.Marriages = append(early.Marriages, x)
		}
	}
	for _, x := range md.Pregnancies {
		if x.Date < "2025" {
			early.Pregnancies = append(early.Pregnancies, x)
		}
	}
	for _, x := range md.ChildScreenings {
		if x.Year < 2025 {
			early.ChildScreenings = append(early.ChildScreenings, x)
		}
	}
	for _, x := range md.Payments {
		if x.Month < "2025" {
			early.Payments = append(early.Payments, x)
		}
	}
	first, _, err := indicators.Publish(early, regions, pop, indicators.Options{Benefits: benefits})
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := indicators.Publish(md, regions, pop, indicators.Options{Previous: first, Benefits: benefits})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ table, region, period, breakdown string }
	later := map[key]indicators.Value{}
	for id, tb := range second.Tables {
		for _, v := range tb.Values {
			later[key{id, v.Region, v.Period, v.Breakdown}] = v
		}
	}
	same := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	checked := 0
	for _, id := range []string{"births", "births_by_order", "deaths", "premarital_check_rate", "prenatal_screening_rate",
		"pregnancy_subsidy_families", "allowance_families"} {
		for _, v := range first.Tables[id].Values {
			w, ok := later[key{id, v.Region, v.Period, v.Breakdown}]
			if !ok {
				t.Errorf("%s %s %s: gone from the later release", id, v.Region, v.Period)
				continue
			}
			checked++
			if !same(v.Value, w.Value) || !same(v.Numerator, w.Numerator) || !same(v.Denominator, w.Denominator) {
				t.Errorf("%s %s %s %s changed: %v → %v", id, v.Region, v.Period, v.Breakdown, show(v.Value), show(w.Value))
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d earlier figures compared", checked)
	}
	rep, err := attack.Run(context.Background(), input(t, second, regions, under3, total))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("%v", f)
	}
}

func show(x *float64) string {
	if x == nil {
		return "hidden"
	}
	return fmt.Sprint(*x)
}

// TestAttackerFindsAWeakenedRelease: the attacker is not toothless. A
// release with the other orders and the total of one township's year shown
// where its third births are hidden gives the third births back, and the
// attacker says so.
func TestAttackerFindsAWeakenedRelease(t *testing.T) {
	md, regions, pop, under3, total := county(2, 4)
	pub, _, err := indicators.Publish(md, regions, pop, indicators.Options{Benefits: benefits})
	if err != nil {
		t.Fatal(err)
	}
	var region, period string
	for _, v := range pub.Tables["births_by_order"].Values {
		if v.Level == "township" && v.Breakdown == "order=3" && v.Value == nil {
			region, period = v.Region, v.Period
			break
		}
	}
	if region == "" {
		t.Fatal("no hidden third births to weaken")
	}
	count := map[string]float64{}
	for _, b := range md.Births {
		if b.Village[:9] == region && b.Date[:4] == period {
			count[fmt.Sprint("order=", b.Order)]++
			count[""]++
		}
	}
	reveal := func(table string) {
		tb := pub.Tables[table]
		for i, v := range tb.Values {
			if v.Region == region && v.Period == period && v.Breakdown != "order=3" {
				x := count[v.Breakdown]
				tb.Values[i].Value, tb.Values[i].Status = &x, "published"
			}
		}
	}
	reveal("births")
	reveal("births_by_order")
	rep, err := attack.Run(context.Background(), input(t, pub, regions, under3, total))
	if err != nil {
		t.Fatal(err)
	}
	want := "O|" + region + "|" + period + "|3"
	found := false
	for _, f := range rep.Findings {
		if f.Target == want && f.Upper == f.Lower && f.Lower == count["order=3"] {
			found = true
		}
	}
	if !found {
		t.Errorf("the attacker did not pin %s to %v: %v", want, count["order=3"], rep.Findings)
	}
}

// TestAttackerWritesThePregnancyInequalities: from the definitions alone
// (every birth was a registered pregnancy of its year; a first birth is
// never a subsidised pregnancy with a 2nd or 3rd child) the attacker writes
// births ≤ pregnancies and pregnancies ≥ first births + subsidy families.
// In this release of three townships in 2023 they pin two townships'
// hidden births (11 and 23, which add up to the county's 60 less the 26
// shown, and are at most their 11 and 23 pregnancies) and township 1's
// hidden subsidy families (at least its 6 + 3 births of order 2 and 3, at
// most its 26 pregnancies less 17 first births).
func TestAttackerWritesThePregnancyInequalities(t *testing.T) {
	num := func(x float64) *float64 { return &x }
	county, a, b, c := "900000", "900000001", "900000002", "900000003"
	fig := func(region, level, breakdown string, v *float64) attack.Figure {
		return attack.Figure{Region: region, Level: level, Period: "2023", Breakdown: breakdown, Value: v}
	}
	den := func(region, level string, d float64) attack.Figure {
		f := fig(region, level, "", nil)
		f.Denominator = num(d)
		return f
	}
	in := attack.Input{Benefits: benefits,
		Regions: []attack.Region{{Code: county, Level: "county"}, {Code: a, Level: "township", Parent: county},
			{Code: b, Level: "township", Parent: county}, {Code: c, Level: "township", Parent: county}},
		Tables: map[string]attack.Table{
			"births": {T: 5, Values: []attack.Figure{fig(county, "county", "", num(60)), fig(a, "township", "", num(26)),
				fig(b, "township", "", nil), fig(c, "township", "", nil)}},
			"births_by_order": {T: 5, Values: []attack.Figure{
				fig(county, "county", "order=1", num(35)), fig(county, "county", "order=2", num(17)), fig(county, "county", "order=3", num(8)),
				fig(a, "township", "order=1", num(17)), fig(a, "township", "order=2", num(6)), fig(a, "township", "order=3", num(3)),
				fig(b, "township", "order=1", nil), fig(b, "township", "order=2", nil), fig(b, "township", "order=3", nil),
				fig(c, "township", "order=1", nil), fig(c, "township", "order=2", nil), fig(c, "township", "order=3", nil)}},
			"prenatal_screening_rate": {T: 5, Values: []attack.Figure{den(county, "county", 60), den(a, "township", 26),
				den(b, "township", 11), den(c, "township", 23)}},
			"pregnancy_subsidy_families": {T: 10, Values: []attack.Figure{fig(county, "county", "", nil),
				fig(a, "township", "", nil), fig(b, "township", "", nil), fig(c, "township", "", nil)}},
		},
	}
	rep, err := attack.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	for target, want := range map[string]float64{"B|" + b + "|2023": 11, "B|" + c + "|2023": 23, "P|" + a + "|2023": 9} {
		if got := rep.Bounds[target]; got != [2]float64{want, want} {
			t.Errorf("%s: the attacker proves [%v, %v]; births ≤ pregnancies and pregnancies ≥ first births + families pin it to %v",
				target, got[0], got[1], want)
		}
	}
}
