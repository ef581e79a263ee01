package api_test

// An attacker written apart from the publisher: it knows how the tables are
// designed (villages add up to townships, orders to totals, townships to the
// county, village blocks to the township's years), reads only what the API
// serves — JSON and CSV — rebuilds the equations, and tries to pin every
// suppressed value with linear programming. It must fail for every one.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"shanyu/indicators"
)

type attackEq struct {
	vars []string
	coef []float64
	rhs  float64
}

type attacker struct {
	eqs     []attackEq
	targets []string // unknowns whose published value was null
}

// known adds "v = x" for a published value, or marks v a target.
func (a *attacker) known(v string, x *float64) {
	if x == nil {
		a.targets = append(a.targets, v)
		return
	}
	a.eqs = append(a.eqs, attackEq{vars: []string{v}, coef: []float64{1}, rhs: *x})
}

// sum adds "Σ parts − whole = 0": whole is itself an unknown (its value,
// when published, is known through known()).
func (a *attacker) sum(whole string, parts []string) {
	e := attackEq{vars: append([]string{whole}, parts...), coef: []float64{-1}}
	for range parts {
		e.coef = append(e.coef, 1)
	}
	a.eqs = append(a.eqs, e)
}

// reduce substitutes every unknown that some equation pins on its own
// (known values, and what follows from them), repeatedly, and returns the
// remaining equations over the unknowns still free.
func (a *attacker) reduce() (map[string]float64, []attackEq) {
	fixed := map[string]float64{}
	for changed := true; changed; {
		changed = false
		for _, e := range a.eqs {
			free, rhs := -1, e.rhs
			nfree := 0
			for j, x := range e.vars {
				if v, ok := fixed[x]; ok {
					rhs -= e.coef[j] * v
				} else {
					free, nfree = j, nfree+1
				}
			}
			if nfree == 1 {
				fixed[e.vars[free]] = rhs / e.coef[free]
				changed = true
			}
		}
	}
	var out []attackEq
	for _, e := range a.eqs {
		r := attackEq{rhs: e.rhs}
		for j, x := range e.vars {
			if v, ok := fixed[x]; ok {
				r.rhs -= e.coef[j] * v
			} else {
				r.vars, r.coef = append(r.vars, x), append(r.coef, e.coef[j])
			}
		}
		if len(r.vars) > 0 {
			out = append(out, r)
		}
	}
	return fixed, out
}

// bounds returns min and max of v over x ≥ 0 satisfying the reduced
// equations of v's connected component (Big-M simplex from an artificial
// basis).
func bounds(eqs []attackEq, fixed map[string]float64, v string) (float64, float64, error) {
	if x, ok := fixed[v]; ok {
		return x, x, nil
	}
	inComp := map[string]bool{v: true}
	used := make([]bool, len(eqs))
	for changed := true; changed; {
		changed = false
		for i, e := range eqs {
			if used[i] {
				continue
			}
			for _, x := range e.vars {
				if inComp[x] {
					used[i], changed = true, true
					break
				}
			}
			if used[i] {
				for _, x := range e.vars {
					inComp[x] = true
				}
			}
		}
	}
	var vars []string
	for x := range inComp {
		vars = append(vars, x)
	}
	sort.Strings(vars)
	col := map[string]int{}
	for i, x := range vars {
		col[x] = i
	}
	var rows []attackEq
	for i, e := range eqs {
		if used[i] {
			rows = append(rows, e)
		}
	}
	n, m := len(vars), len(rows)
	if m == 0 {
		return 0, math.Inf(1), nil
	}
	A := mat.NewDense(m, n+m, nil)
	b := make([]float64, m)
	basis := make([]int, m)
	for i, e := range rows {
		s := 1.0
		if e.rhs < 0 {
			s = -1
		}
		for j, x := range e.vars {
			A.Set(i, col[x], A.At(i, col[x])+s*e.coef[j])
		}
		A.Set(i, n+i, 1)
		b[i], basis[i] = s*e.rhs, n+i
	}
	solve := func(sign float64) (float64, error) {
		c := make([]float64, n+m)
		c[col[v]] = sign
		for i := n; i < n+m; i++ {
			c[i] = 1e6
		}
		f, _, err := lp.Simplex(c, A, b, 1e-9, basis)
		if errors.Is(err, lp.ErrUnbounded) {
			return math.Inf(-1), nil
		}
		return f, err
	}
	lo, err := solve(1)
	if err != nil {
		return 0, 0, err
	}
	hi, err := solve(-1)
	if err != nil {
		return 0, 0, err
	}
	return lo, -hi, nil
}

// TestAttackFailsToPinSuppressedCells runs the attack against the sample's
// published tables, through the API.
func TestAttackFailsToPinSuppressedCells(t *testing.T) {
	ts := newTestServer(t)
	table := func(id string) []indicators.Value {
		out := decode[struct {
			Values []indicators.Value `json:"values"`
		}](t, get(t, ts, "/api/v1/indicators/"+id))
		if len(out.Values) == 0 {
			t.Fatalf("%s: no values", id)
		}
		return out.Values
	}
	// No suppressed value travels in any field of the JSON or the CSV.
	for _, id := range []string{"births", "births_by_order", "third_birth_share", "premarital_check_rate", "allowance_families"} {
		for _, v := range table(id) {
			if v.Status == "suppressed" && (v.Value != nil || v.Numerator != nil || v.Denominator != nil) {
				t.Fatalf("%s: a suppressed value carries numbers: %+v", id, v)
			}
		}
		r := get(t, ts, "/api/v1/indicators/"+id+".csv")
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\xEF\xBB\xBF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			if row[5] == "suppressed" && (row[4] != "" || row[8] != "" || row[9] != "") {
				t.Fatalf("%s.csv: a suppressed row carries numbers: %v", id, row)
			}
		}
	}

	// The regions' hierarchy, from the API.
	regions := decode[struct {
		Items []struct {
			Code       string `json:"code"`
			Level      string `json:"level"`
			ParentCode string `json:"parent_code"`
		} `json:"items"`
	}](t, get(t, ts, "/api/v1/regions")).Items
	var county string
	children := map[string][]string{}
	for _, r := range regions {
		if r.Level == "county" {
			county = r.Code
		} else {
			children[r.ParentCode] = append(children[r.ParentCode], r.Code)
		}
	}
	towns := children[county]

	a := &attacker{}
	// Births: totals and orders by township and year; villages by block.
	years := map[string]bool{}
	for _, v := range table("births") {
		a.known("births|"+v.Region+"|"+v.Period, v.Value)
		if v.Level != "village" {
			years[v.Period] = true
		}
	}
	for _, v := range table("births_by_order") {
		a.known("order|"+v.Region+"|"+v.Period+"|"+v.Breakdown, v.Value)
	}
	var blocks []string
	for _, v := range table("births") {
		if v.Level == "village" && !contains(blocks, v.Period) {
			blocks = append(blocks, v.Period)
		}
	}
	for y := range years {
		for _, r := range append([]string{county}, towns...) {
			var parts []string
			for _, k := range []string{"order=1", "order=2", "order=3"} {
				parts = append(parts, "order|"+r+"|"+y+"|"+k)
			}
			a.sum("births|"+r+"|"+y, parts)
		}
		for _, k := range []string{"order=1", "order=2", "order=3"} {
			var parts []string
			for _, tw := range towns {
				parts = append(parts, "order|"+tw+"|"+y+"|"+k)
			}
			a.sum("order|"+county+"|"+y+"|"+k, parts)
		}
	}
	for _, blk := range blocks {
		from, _ := strconv.Atoi(blk[:4])
		to, _ := strconv.Atoi(blk[5:])
		for _, tw := range towns {
			// Σ villages of the block = Σ the township's births in its years.
			e := attackEq{}
			for _, v := range children[tw] {
				e.vars, e.coef = append(e.vars, "births|"+v+"|"+blk), append(e.coef, 1)
			}
			for y := from; y <= to; y++ {
				e.vars, e.coef = append(e.vars, fmt.Sprintf("births|%s|%d", tw, y)), append(e.coef, -1)
			}
			a.eqs = append(a.eqs, e)
		}
	}
	// Screening counts: numerator ≤ denominator through a hidden complement.
	for _, id := range []string{"premarital_check_rate", "prenatal_screening_rate", "developmental_screening_rate"} {
		vals := table(id)
		for _, v := range vals {
			n, d, o := id+"|num|"+v.Region+"|"+v.Period, id+"|den|"+v.Region+"|"+v.Period, id+"|out|"+v.Region+"|"+v.Period
			a.known(n, v.Numerator)
			a.known(d, v.Denominator)
			a.sum(d, []string{n, o})
		}
		for y := range years {
			var ns, ds []string
			for _, tw := range towns {
				ns, ds = append(ns, id+"|num|"+tw+"|"+y), append(ds, id+"|den|"+tw+"|"+y)
			}
			a.sum(id+"|num|"+county+"|"+y, ns)
			a.sum(id+"|den|"+county+"|"+y, ds)
		}
	}
	// Subsidy recipients, and the pregnancy-subsidy money (500 yuan each).
	for _, v := range table("allowance_families") {
		a.known("allow|"+v.Region+"|"+v.Period+"|"+v.Breakdown, v.Value)
	}
	for _, v := range table("pregnancy_subsidy_families") {
		a.known("preg|"+v.Region+"|"+v.Period, v.Value)
	}
	for _, v := range table("pregnancy_subsidy_yuan") {
		if v.Value != nil {
			x := *v.Value / 500
			a.known("preg|"+county+"|"+v.Period, &x)
		}
	}
	for y := range years {
		for _, k := range []string{"order=2", "order=3"} {
			var parts []string
			for _, tw := range towns {
				parts = append(parts, "allow|"+tw+"|"+y+"|"+k)
			}
			a.sum("allow|"+county+"|"+y+"|"+k, parts)
		}
		var parts []string
		for _, tw := range towns {
			parts = append(parts, "preg|"+tw+"|"+y)
		}
		a.sum("preg|"+county+"|"+y, parts)
	}

	if len(a.targets) < 50 {
		t.Fatalf("only %d suppressed values: the sample should hide many", len(a.targets))
	}
	pinned := 0
	fixed, eqs := a.reduce()
	for _, v := range a.targets {
		lo, hi, err := bounds(eqs, fixed, v)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if hi-lo < 1-1e-6 {
			pinned++
			t.Errorf("the attacker pins %s to %.3g", v, lo)
		}
	}
	t.Logf("attacked %d suppressed values through %d equations; pinned %d", len(a.targets), len(a.eqs), pinned)
	if strings.Contains(fmt.Sprint(a.targets), "|out|") {
		t.Error("a complement was served")
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
