package generator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"shanyu/county"
	"shanyu/indicators"
)

// MicrodataSeedOffset separates the microdata's random stream from the
// facilities', so that changing one never reshuffles the other.
const MicrodataSeedOffset = 0x5eed

// Microdata makes the sample county's synthetic personal records —
// births, deaths, marriages, pregnancies, child screenings and subsidy
// payments — from its villages and population, deterministically. They are
// made up, like everything else in the sample, and never written to any
// public file: only the protected tables published from them are.
func Microdata(ds *county.Dataset, seed uint64) *indicators.Microdata {
	r := rand.New(rand.NewPCG(seed+MicrodataSeedOffset, seed^0xabcdef))
	md := &indicators.Microdata{}
	var villages []county.Region
	for _, reg := range ds.Regions {
		if reg.Level == county.LevelVillage {
			villages = append(villages, reg)
		}
	}
	sort.Slice(villages, func(i, j int) bool { return villages[i].Code < villages[j].Code })
	pop := map[string]county.Population{}
	var years []int
	seen := map[int]bool{}
	for _, p := range ds.Population {
		pop[fmt.Sprintf("%s|%d", p.Code, p.Year)] = p
		if !seen[p.Year] {
			seen[p.Year] = true
			years = append(years, p.Year)
		}
	}
	sort.Ints(years)
	day := func(y int) string {
		return fmt.Sprintf("%04d-%02d-%02d", y, 1+r.IntN(12), 1+r.IntN(28))
	}
	ageWeights := []float64{0.02, 0.15, 0.35, 0.30, 0.13, 0.04, 0.01}
	pick := func(w []float64) int {
		x := r.Float64()
		for i, p := range w {
			if x < p {
				return i
			}
			x -= p
		}
		return len(w) - 1
	}
	n := 0
	id := func(prefix string) string { n++; return fmt.Sprintf("%s%06d", prefix, n) }
	for _, y := range years {
		t := float64(y - years[0])
		for _, v := range villages {
			p := pop[fmt.Sprintf("%s|%d", v.Code, y)]
			// Births: about a third of the children under 3, each year.
			for k := poisson(r, float64(p.Under3)/3); k > 0; k-- {
				u := r.Float64()
				order := 1
				switch {
				case u < 0.05+0.012*t:
					order = 3
				case u < 0.45+0.012*t:
					order = 2
				}
				b := indicators.Birth{ID: id("B"), Village: v.Code, Date: day(y), Order: order,
					MotherAge: indicators.AgeBands[pick(ageWeights)]}
				md.Births = append(md.Births, b)
				// Every birth was a registered pregnancy.
				md.Pregnancies = append(md.Pregnancies, indicators.Pregnancy{ID: "P" + b.ID[1:], Village: v.Code, Date: b.Date,
					Order: order, Screened: r.Float64() < 0.93+0.006*t})
			}
			for k := poisson(r, float64(p.Total)*0.05/1000*3); k > 0; k-- { // pregnancies that did not end in a birth
				md.Pregnancies = append(md.Pregnancies, indicators.Pregnancy{ID: id("Q"), Village: v.Code, Date: day(y),
					Order: 1 + r.IntN(2), Screened: r.Float64() < 0.9})
			}
			for k := poisson(r, float64(p.Total)*0.0085); k > 0; k-- {
				md.Deaths = append(md.Deaths, indicators.Death{ID: id("D"), Village: v.Code, Date: day(y)})
			}
			for k := poisson(r, float64(p.Total)*0.0065); k > 0; k-- {
				md.Marriages = append(md.Marriages, indicators.Marriage{ID: id("M"), Village: v.Code, Date: day(y),
					Checked: r.Float64() < math.Min(0.84+0.025*t, 0.97)})
			}
			for k := 0; k < p.Under3; k++ {
				md.ChildScreenings = append(md.ChildScreenings, indicators.ChildScreening{ChildID: fmt.Sprintf("C%s%d%04d", v.Code, y, k),
					Village: v.Code, Year: y, Screened: r.Float64() < 0.9+0.012*t})
			}
		}
		// Women of childbearing age by band, for the fertility rate.
		cp := pop[fmt.Sprintf("%s|%d", ds.Meta.CountyCode, y)]
		women := float64(cp.Total) * 0.205
		for i, band := range indicators.AgeBands {
			w := []float64{0.12, 0.11, 0.13, 0.15, 0.16, 0.16, 0.17}[i]
			md.Women = append(md.Women, indicators.WomenCount{Year: y, Band: band, Women: int(math.Round(women * w))})
		}
	}
	// Payments under the policy, for births and pregnancies from 2023-01-01:
	// 300 / 600 yuan a month for a 2nd / 3rd child until 36 months old
	// (clause （八）), 500 yuan once for a pregnancy with a 2nd or 3rd child
	// (clause （十三）), up to the end of the data.
	last := years[len(years)-1]
	allowance, subsidy := ds.Policy.Benefits.ChildcareAllowance, ds.Policy.Benefits.PregnancySubsidy
	for _, b := range md.Births {
		if b.Order < 2 || b.Date < allowance.BornOnOrAfter {
			continue
		}
		yuan := allowance.MonthlyYuan[min(b.Order, 3)]
		var y, m int
		fmt.Sscanf(b.Date, "%d-%d", &y, &m)
		for k := 0; k < allowance.Months && y <= last; k++ {
			md.Payments = append(md.Payments, indicators.Payment{ID: id("A"), ChildID: b.ID, Village: b.Village,
				Month: fmt.Sprintf("%04d-%02d", y, m), Kind: indicators.ChildcareAllowance, Order: b.Order, Yuan: yuan})
			if m++; m > 12 {
				y, m = y+1, 1
			}
		}
	}
	for _, p := range md.Pregnancies {
		if p.Order >= 2 && p.Date >= allowance.BornOnOrAfter {
			md.Payments = append(md.Payments, indicators.Payment{ID: id("S"), ChildID: p.ID, Village: p.Village,
				Month: p.Date[:7], Kind: indicators.PregnancySubsidy, Order: p.Order, Yuan: subsidy.AmountYuan})
		}
	}
	return md
}

// poisson draws from a Poisson distribution (Knuth's method; a rounded
// normal above λ = 60, where it is indistinguishable for our purposes).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 60 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Baseline is the loss of the sample's release under the previous method
// (shanyu-sdc-1, audited table by table): 1,007 of its 2,098 figures hidden,
// holding 18.0% of the counted total (1,192 of the 2,496 cells of its
// audited system). Each new sample release reports its own loss beside it.
var Baseline = indicators.Loss{Method: "shanyu-sdc-1", Figures: 2098, Suppressed: 1007, ValueShare: 0.1801, Cells: 2496, CellsSup: 1192}

// Publish protects the sample's indicators from its microdata.
func Publish(ds *county.Dataset, md *indicators.Microdata) (*indicators.Publication, *indicators.AuditLog, error) {
	regions, pop := ds.IndicatorInputs()
	base := Baseline
	return indicators.Publish(md, regions, pop, indicators.Options{Baseline: &base, Benefits: ds.Policy.Benefits})
}
