// Package attack is an informed outsider trying to recover hidden figures
// from what shanyu publishes. It is written apart from the publisher and
// shares nothing with it: it reads only the published tables (as the API's
// JSON gives them), the regions' hierarchy and the public population, and
// it writes its own equations from the indicators' definitions and the
// policy (package policy's benefit rules: amounts, start date, the 36-month
// window). It then
// asks a real integer-programming solver (GLPK's glpsol) for the smallest
// and largest whole number each hidden figure can be.
//
// A hidden figure is exposed when its interval is narrower than its
// table's threshold T (or than what public figures allow anyway); a hidden
// complement (people not screened) when it is proven below T within an
// interval narrower than T.
package attack

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"shanyu/policy"
)

// Figure is one published value as the API serves it.
type Figure struct {
	Region      string   `json:"region"`
	Level       string   `json:"level"`
	Period      string   `json:"period"`
	Breakdown   string   `json:"breakdown"`
	Value       *float64 `json:"value"`
	Status      string   `json:"status"`
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
}

// Table is one indicator's published values.
type Table struct {
	T      float64  `json:"t"`
	Values []Figure `json:"values"`
}

// Region is one region of the hierarchy.
type Region struct {
	Code, Level, Parent string
}

// Population is a region's public population in a year.
type Population struct {
	Code          string
	Year          int
	Total, Under3 int
}

// Input is everything the attacker reads.
type Input struct {
	Tables     map[string]Table
	Regions    []Region
	Population []Population
	// Benefits are the policy's benefit rules the attacker knows (they are
	// public): the payment tables follow from them.
	Benefits *policy.Benefits
}

// Finding is a hidden figure the attacker narrows too much.
type Finding struct {
	Target       string
	Lower, Upper float64
	Need         float64
}

func (f Finding) String() string {
	return fmt.Sprintf("%s in [%g, %g], narrower than %g", f.Target, f.Lower, f.Upper, f.Need)
}

// Report is the outcome of an attack.
type Report struct {
	Targets, Constraints, Solves int
	Findings                     []Finding
	// Bounds holds every target's interval.
	Bounds map[string][2]float64
}

type term struct {
	v string
	c float64
}

// constraint is Σ terms (op) rhs, op one of "=", "<=", ">=".
type constraint struct {
	terms []term
	op    string
	rhs   float64
}

type target struct {
	v       string
	need    float64
	amount  bool
	complem bool
}

type model struct {
	cons    []constraint
	targets []target
	known   map[string]float64
}

func (m *model) eq(rhs float64, ts ...term) {
	m.cons = append(m.cons, constraint{terms: ts, op: "=", rhs: rhs})
}
func (m *model) le(rhs float64, ts ...term) {
	m.cons = append(m.cons, constraint{terms: ts, op: "<=", rhs: rhs})
}
func (m *model) ge(rhs float64, ts ...term) {
	m.cons = append(m.cons, constraint{terms: ts, op: ">=", rhs: rhs})
}

// sumEq writes whole = Σ parts.
func (m *model) sumEq(whole string, parts []string) {
	ts := []term{{whole, -1}}
	for _, p := range parts {
		ts = append(ts, term{p, 1})
	}
	m.eq(0, ts...)
}

// figure records a published figure: its value is known, or it is a target.
func (m *model) figure(v string, x *float64, need float64, amount bool) {
	if x != nil {
		m.known[v] = *x
		return
	}
	m.targets = append(m.targets, target{v: v, need: need, amount: amount})
}

// Run attacks the input with glpsol and returns its report.
func Run(ctx context.Context, in Input) (*Report, error) {
	m := build(in)
	return m.solve(ctx)
}

func build(in Input) *model {
	m := &model{known: map[string]float64{}}
	var county string
	children := map[string][]string{}
	for _, r := range in.Regions {
		if r.Level == "county" {
			county = r.Code
		} else {
			children[r.Parent] = append(children[r.Parent], r.Code)
		}
	}
	for _, c := range children {
		sort.Strings(c)
	}
	towns := children[county]
	under3 := map[string]float64{}
	pop := map[string]float64{}
	for _, p := range in.Population {
		under3[fmt.Sprintf("%s|%d", p.Code, p.Year)] = float64(p.Under3)
		pop[fmt.Sprintf("%s|%d", p.Code, p.Year)] = float64(p.Total)
	}
	tab := func(id string) Table { return in.Tables[id] }
	years := map[string]bool{}
	var blocks []string
	for _, f := range tab("births").Values {
		if f.Level == "village" {
			if !contains(blocks, f.Period) {
				blocks = append(blocks, f.Period)
			}
		} else {
			years[f.Period] = true
		}
	}
	var yearList []int
	for y := range years {
		n, _ := strconv.Atoi(y)
		yearList = append(yearList, n)
	}
	sort.Ints(yearList)
	has := func(y int) bool { return years[strconv.Itoa(y)] }
	places := append([]string{county}, towns...)

	// Counts, their hierarchy and the birth orders.
	for _, f := range tab("births").Values {
		m.figure("B|"+f.Region+"|"+f.Period, f.Value, tab("births").T, false)
	}
	for _, f := range tab("births_by_order").Values {
		m.figure("O|"+f.Region+"|"+f.Period+"|"+strings.TrimPrefix(f.Breakdown, "order="), f.Value, tab("births_by_order").T, false)
	}
	for _, f := range tab("deaths").Values {
		m.figure("D|"+f.Region+"|"+f.Period, f.Value, tab("deaths").T, false)
	}
	for _, y := range yearList {
		ys := strconv.Itoa(y)
		var bt, dt []string
		for _, t := range towns {
			bt, dt = append(bt, "B|"+t+"|"+ys), append(dt, "D|"+t+"|"+ys)
		}
		m.sumEq("B|"+county+"|"+ys, bt)
		m.sumEq("D|"+county+"|"+ys, dt)
		for k := 1; k <= 3; k++ {
			var ot []string
			for _, t := range towns {
				ot = append(ot, fmt.Sprintf("O|%s|%s|%d", t, ys, k))
			}
			m.sumEq(fmt.Sprintf("O|%s|%s|%d", county, ys, k), ot)
		}
		for _, r := range places {
			m.sumEq("B|"+r+"|"+ys, []string{"O|" + r + "|" + ys + "|1", "O|" + r + "|" + ys + "|2", "O|" + r + "|" + ys + "|3"})
		}
	}
	for _, blk := range blocks {
		from, _ := strconv.Atoi(blk[:4])
		to, _ := strconv.Atoi(blk[5:])
		for _, t := range towns {
			ts := []term{}
			for _, v := range children[t] {
				ts = append(ts, term{"B|" + v + "|" + blk, 1})
			}
			for y := from; y <= to; y++ {
				ts = append(ts, term{fmt.Sprintf("B|%s|%d", t, y), -1})
			}
			m.eq(0, ts...)
		}
	}
	// Rates: numerator + complement = denominator, the hierarchy, the
	// rounding of the rate shown, the public children under 3.
	for _, id := range []string{"premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate"} {
		tb := tab(id)
		for _, f := range tb.Values {
			n, d, c := "N|"+id+"|"+f.Region+"|"+f.Period, "M|"+id+"|"+f.Region+"|"+f.Period, "C|"+id+"|"+f.Region+"|"+f.Period
			den := f.Denominator
			if id == "developmental_screening_rate" {
				if u, ok := under3[f.Region+"|"+f.Period]; ok {
					den = &u
				}
			}
			need := tb.T
			if den != nil {
				need = math.Min(need, *den)
				m.known[d] = *den
			} else {
				m.figure(d, nil, tb.T, false)
			}
			m.figure(n, f.Numerator, need, false)
			m.eq(0, term{n, 1}, term{c, 1}, term{d, -1})
			if f.Numerator == nil || den == nil {
				m.targets = append(m.targets, target{v: c, need: need, complem: true})
			}
			if f.Value != nil {
				m.le(0, term{n, 100}, term{d, -(*f.Value + 0.05)})
				m.ge(0, term{n, 100}, term{d, -(*f.Value - 0.05)})
			}
		}
		for _, y := range yearList {
			ys := strconv.Itoa(y)
			var ns, ds []string
			for _, t := range towns {
				ns, ds = append(ns, "N|"+id+"|"+t+"|"+ys), append(ds, "M|"+id+"|"+t+"|"+ys)
			}
			m.sumEq("N|"+id+"|"+county+"|"+ys, ns)
			m.sumEq("M|"+id+"|"+county+"|"+ys, ds)
		}
	}
	for _, f := range tab("third_birth_share").Values {
		if f.Numerator != nil {
			m.known["O|"+f.Region+"|"+f.Period+"|3"] = *f.Numerator
		}
		if f.Denominator != nil {
			m.known["B|"+f.Region+"|"+f.Period] = *f.Denominator
		}
	}
	for _, f := range tab("natural_growth_rate").Values {
		p := pop[f.Region+"|"+f.Period]
		if f.Value == nil || p == 0 {
			continue
		}
		b, d := "B|"+f.Region+"|"+f.Period, "D|"+f.Region+"|"+f.Period
		m.le((*f.Value+0.005)*p/1000, term{b, 1}, term{d, -1})
		m.ge((*f.Value-0.005)*p/1000, term{b, 1}, term{d, -1})
	}

	// The policy. Clause （八）: 300 / 600 yuan a month for a 2nd / 3rd
	// child born from the start date, from the birth month for 36 months.
	allowance := in.Benefits.ChildcareAllowance
	start, _ := strconv.Atoi(allowance.BornOnOrAfter[:4])
	// A child born in month mo of year y0 is paid in years y0 … y0+span(mo).
	span := func(mo int) int { return (mo - 1 + allowance.Months - 1) / 12 }
	af := tab("allowance_families")
	for _, f := range af.Values {
		k := strings.TrimPrefix(f.Breakdown, "order=")
		a := "A|" + f.Region + "|" + f.Period + "|" + k
		m.figure(a, f.Value, af.T, false)
		y, _ := strconv.Atoi(f.Period)
		ts := []term{{a, -1}}
		for y0 := y - span(12); y0 <= y; y0++ {
			if y0 < start || !has(y0) {
				continue
			}
			o := "O|" + f.Region + "|" + strconv.Itoa(y0) + "|" + k
			if y0+span(1) >= y {
				ts = append(ts, term{o, 1}) // every month of y0 is still paid in y
				continue
			}
			// Only the months of y0 whose span reaches y: a part of O.
			late := "L|" + f.Region + "|" + strconv.Itoa(y0) + "|" + k
			ts = append(ts, term{late, 1})
			m.le(0, term{late, 1}, term{o, -1})
		}
		if y-span(12) < start || has(y-span(12)) {
			m.eq(0, ts...)
		}
	}
	// County allowance = Σ townships' where both are published.
	for _, y := range yearList {
		for _, k := range []string{"2", "3"} {
			var parts []string
			for _, f := range af.Values {
				if f.Level == "township" && f.Period == strconv.Itoa(y) && f.Breakdown == "order="+k {
					parts = append(parts, "A|"+f.Region+"|"+f.Period+"|"+k)
				}
			}
			if len(parts) > 0 {
				m.sumEq(fmt.Sprintf("A|%s|%d|%s", county, y, k), parts)
			}
		}
	}
	for _, f := range tab("allowance_yuan").Values {
		y := f.Period
		yuan := "AY|" + y
		m.figure(yuan, f.Value, 0, true)
		ts := []term{{yuan, -1}}
		for _, k := range []string{"2", "3"} {
			mo, fam := "MO|"+y+"|"+k, "A|"+county+"|"+y+"|"+k
			order, _ := strconv.Atoi(k)
			ts = append(ts, term{mo, float64(allowance.MonthlyYuan[order])})
			m.ge(0, term{mo, 1}, term{fam, -1})
			m.le(0, term{mo, 1}, term{fam, -12})
		}
		m.eq(0, ts...)
	}
	// Clause （十三）: 500 yuan once per pregnancy with a 2nd or 3rd child.
	subsidy := in.Benefits.PregnancySubsidy
	pf := tab("pregnancy_subsidy_families")
	for _, f := range pf.Values {
		p := "P|" + f.Region + "|" + f.Period
		m.figure(p, f.Value, pf.T, false)
		y, _ := strconv.Atoi(f.Period)
		m.le(0, term{p, 1}, term{"M|prenatal_screening_rate|" + f.Region + "|" + f.Period, -1})
		if y < start {
			m.eq(0, term{p, 1})
		} else {
			// Every birth of order 2 or 3 was a pregnancy registered that year.
			m.ge(0, term{p, 1}, term{"O|" + f.Region + "|" + f.Period + "|2", -1}, term{"O|" + f.Region + "|" + f.Period + "|3", -1})
		}
	}
	// Every birth was a registered pregnancy, dated in the year of the
	// birth: births ≤ pregnancies. A pregnancy that ended in a first birth
	// is not one with a 2nd or 3rd child, so it is never subsidised, and
	// both are registered pregnancies: pregnancies ≥ first births + families.
	for _, y := range yearList {
		ys := strconv.Itoa(y)
		for _, r := range places {
			preg := "M|prenatal_screening_rate|" + r + "|" + ys
			m.ge(0, term{preg, 1}, term{"B|" + r + "|" + ys, -1})
			m.ge(0, term{preg, 1}, term{"O|" + r + "|" + ys + "|1", -1}, term{"P|" + r + "|" + ys, -1})
		}
	}
	for _, y := range yearList {
		ys := strconv.Itoa(y)
		var parts []string
		for _, t := range towns {
			parts = append(parts, "P|"+t+"|"+ys)
		}
		m.sumEq("P|"+county+"|"+ys, parts)
	}
	for _, f := range tab("pregnancy_subsidy_yuan").Values {
		yuan := "PY|" + f.Period
		m.figure(yuan, f.Value, 0, true)
		m.eq(0, term{yuan, 1}, term{"P|" + county + "|" + f.Period, -float64(subsidy.AmountYuan)})
	}
	for v, x := range m.known {
		m.eq(x, term{v, 1})
	}
	return m
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// solve presolves the known figures away, splits the rest by connected
// component and bounds every target with glpsol, two workers at a time.
func (m *model) solve(ctx context.Context) (*Report, error) {
	fixed := map[string]float64{}
	for changed := true; changed; {
		changed = false
		for _, c := range m.cons {
			if c.op != "=" {
				continue
			}
			free, rhs := reduce(c, fixed)
			if len(free) == 1 {
				fixed[free[0].v] = rhs / free[0].c
				changed = true
			}
		}
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	var rest []constraint
	for _, c := range m.cons {
		free, rhs := reduce(c, fixed)
		if len(free) == 0 {
			continue
		}
		rest = append(rest, constraint{terms: free, op: c.op, rhs: rhs})
		for _, t := range free[1:] {
			parent[find(t.v)] = find(free[0].v)
		}
	}
	rep := &Report{Targets: len(m.targets), Constraints: len(rest), Bounds: map[string][2]float64{}}
	byComp := map[string][]constraint{}
	for _, c := range rest {
		r := find(c.terms[0].v)
		byComp[r] = append(byComp[r], c)
	}
	dir, err := os.MkdirTemp("", "attack")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	// Each target's component, found before the workers start (find
	// compresses paths as it goes).
	comp := make([][]constraint, len(m.targets))
	for i, tg := range m.targets {
		comp[i] = byComp[find(tg.v)]
	}
	var mu sync.Mutex
	jobs := make(chan int)
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range jobs {
				tg := m.targets[i]
				lo, hi, n, err := bound(ctx, filepath.Join(dir, fmt.Sprint("w", w)), tg.v, fixed, comp[i])
				if err != nil {
					errs <- fmt.Errorf("%s: %w", tg.v, err)
					return
				}
				mu.Lock()
				rep.Solves += n
				rep.Bounds[tg.v] = [2]float64{lo, hi}
				exposed := false
				switch {
				case tg.amount:
					exposed = hi-lo < 0.5
				case tg.complem:
					exposed = hi < tg.need && hi-lo < tg.need
				default:
					exposed = hi-lo < tg.need
				}
				if exposed {
					rep.Findings = append(rep.Findings, Finding{Target: tg.v, Lower: lo, Upper: hi, Need: tg.need})
				}
				mu.Unlock()
			}
		}(w)
	}
	for i := range m.targets {
		select {
		case jobs <- i:
		case err := <-errs:
			close(jobs)
			wg.Wait()
			return nil, err
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	sort.Slice(rep.Findings, func(i, j int) bool { return rep.Findings[i].Target < rep.Findings[j].Target })
	return rep, nil
}

func reduce(c constraint, fixed map[string]float64) ([]term, float64) {
	var free []term
	rhs := c.rhs
	for _, t := range c.terms {
		if x, ok := fixed[t.v]; ok {
			rhs -= t.c * x
			continue
		}
		merged := false
		for i := range free {
			if free[i].v == t.v {
				free[i].c += t.c
				merged = true
			}
		}
		if !merged {
			free = append(free, t)
		}
	}
	out := free[:0]
	for _, t := range free {
		if t.c != 0 {
			out = append(out, t)
		}
	}
	return out, rhs
}

// bound returns the smallest and largest whole value of v over the
// component's constraints, and how many solver runs it took.
func bound(ctx context.Context, base, v string, fixed map[string]float64, cons []constraint) (float64, float64, int, error) {
	if x, ok := fixed[v]; ok {
		return x, x, 0, nil
	}
	if len(cons) == 0 {
		return 0, math.Inf(1), 0, nil // in no constraint: any whole number ≥ 0
	}
	lo, err := glpsol(ctx, base, v, cons, "Minimize")
	if err != nil {
		return 0, 0, 1, err
	}
	hi, err := glpsol(ctx, base, v, cons, "Maximize")
	return lo, hi, 2, err
}

// glpsol writes the integer program in CPLEX LP format and runs GLPK on it.
func glpsol(ctx context.Context, base, v string, cons []constraint, sense string) (float64, error) {
	names := map[string]string{}
	name := func(x string) string {
		if n, ok := names[x]; ok {
			return n
		}
		n := fmt.Sprintf("x%d", len(names))
		names[x] = n
		return n
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n obj: %s\nSubject To\n", sense, name(v))
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }
	for i, c := range cons {
		fmt.Fprintf(&b, " c%d:", i)
		for _, t := range c.terms {
			sign := "+"
			if t.c < 0 {
				sign = "-"
			}
			fmt.Fprintf(&b, " %s %s %s", sign, num(math.Abs(t.c)), name(t.v))
		}
		fmt.Fprintf(&b, " %s %s\n", c.op, num(c.rhs))
	}
	b.WriteString("General\n")
	for _, n := range names {
		fmt.Fprintf(&b, " %s\n", n)
	}
	b.WriteString("End\n")
	lp, sol := base+".lp", base+".sol"
	if err := os.WriteFile(lp, b.Bytes(), 0o600); err != nil {
		return 0, err
	}
	out, err := exec.CommandContext(ctx, "glpsol", "--lp", lp, "-w", sol).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("glpsol: %v: %s", err, out)
	}
	if bytes.Contains(out, []byte("UNBOUNDED")) {
		if sense == "Maximize" {
			return math.Inf(1), nil
		}
		return math.Inf(-1), nil
	}
	if bytes.Contains(out, []byte("NO PRIMAL FEASIBLE")) || bytes.Contains(out, []byte("NO INTEGER FEASIBLE")) {
		return 0, fmt.Errorf("the published figures admit no solution: the attacker's relations are wrong")
	}
	f, err := os.Open(sol)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 6 && fields[0] == "s" && fields[1] == "mip" {
			if fields[4] != "o" {
				return 0, fmt.Errorf("glpsol: status %s", fields[4])
			}
			return strconv.ParseFloat(fields[5], 64)
		}
	}
	return 0, fmt.Errorf("glpsol wrote no solution: %s", out)
}
