package indicators

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// grid builds a table of rows × columns unknowns with every interior cell,
// row total, column total and the grand total as cells; the totals are
// township level, the grand total fixed.
func grid(values [][]float64, t float64) *Release {
	r := &Release{T: t}
	nr, nc := len(values), len(values[0])
	r.Unknowns = nr * nc
	v := func(i, j int) int { return i*nc + j }
	for i := range values {
		for j := range values[i] {
			r.Cells = append(r.Cells, Cell{ID: fmt.Sprintf("x%d%d", i, j), Terms: []Term{{v(i, j), 1}}, Value: values[i][j]})
		}
	}
	var grand []Term
	var total float64
	for i := range values {
		var terms []Term
		var sum float64
		for j := range values[i] {
			terms = append(terms, Term{v(i, j), 1})
			sum += values[i][j]
		}
		grand = append(grand, terms...)
		total += sum
		r.Cells = append(r.Cells, Cell{ID: fmt.Sprintf("row%d", i), Terms: terms, Value: sum, Level: 1})
	}
	for j := 0; j < nc; j++ {
		var terms []Term
		var sum float64
		for i := range values {
			terms = append(terms, Term{v(i, j), 1})
			sum += values[i][j]
		}
		r.Cells = append(r.Cells, Cell{ID: fmt.Sprintf("col%d", j), Terms: terms, Value: sum, Level: 1})
	}
	r.Cells = append(r.Cells, Cell{ID: "total", Terms: grand, Value: total, Level: 2, Fixed: true})
	return r
}

func boundOf(t *testing.T, audit []Bound, id string) Bound {
	t.Helper()
	for _, b := range audit {
		if b.Cell == id {
			return b
		}
	}
	t.Fatalf("no bound for %s", id)
	return Bound{}
}

// The 2×2 block (3, 20 / 15, 2) with its margins, all four suppressed: the
// attacker can only say the 3 is somewhere in [1, 18].
func TestTwoByTwoInterval(t *testing.T) {
	r := grid([][]float64{{3, 20}, {15, 2}}, 5)
	sup := []bool{true, true, true, true, false, false, false, false, false}
	audit, ok := r.Audit(sup)
	b := boundOf(t, audit, "x00")
	if math.Abs(b.Lower-1) > 1e-9 || math.Abs(b.Upper-18) > 1e-9 {
		t.Errorf("x00 in [%v, %v], want [1, 18]", b.Lower, b.Upper)
	}
	// Primary marks are set by Protect; audit without them checks only
	// that nothing is pinned.
	if !ok {
		t.Errorf("audit failed: %+v", audit)
	}
	res, err := Protect(grid([][]float64{{3, 20}, {15, 2}}, 5))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if !res.Suppressed[i] {
			t.Errorf("cell %d published: the 3 and the 2 need all four hidden", i)
		}
	}
}

// tau-Argus's user-support case: A = 15, B = 5, C = 3, total 23, T = 11.
// B and C are primary; with A published, B + C = 8 gives each an interval
// of width 8 < 11, so A must be suppressed too.
func TestTauArgusCase(t *testing.T) {
	r := &Release{T: 11, Unknowns: 3, Cells: []Cell{
		{ID: "A", Terms: []Term{{0, 1}}, Value: 15},
		{ID: "B", Terms: []Term{{1, 1}}, Value: 5},
		{ID: "C", Terms: []Term{{2, 1}}, Value: 3},
		{ID: "total", Terms: []Term{{0, 1}, {1, 1}, {2, 1}}, Value: 23, Level: 2, Fixed: true},
	}}
	res, err := Protect(r)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Suppressed[0] || !res.Suppressed[1] || !res.Suppressed[2] {
		t.Errorf("suppressed %v, want A, B and C", res.Suppressed)
	}
	b := boundOf(t, res.Audit, "C")
	if b.Upper-b.Lower < 11 {
		t.Errorf("C in [%v, %v]: narrower than T", b.Lower, b.Upper)
	}
}

// sdcTools's three singletons: rows 1,1,7,1,0 and 1,0,0,2,8, threshold 2.
func TestThreeSingletons(t *testing.T) {
	r := grid([][]float64{{1, 1, 7, 1, 0}, {1, 0, 0, 2, 8}}, 2)
	res, err := Protect(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range res.Audit {
		if !b.Pass {
			t.Errorf("%s exposed: %s", b.Cell, b.Reason)
		}
	}
	for _, id := range []string{"x00", "x01", "x03", "x10"} {
		b := boundOf(t, res.Audit, id)
		if b.Upper-b.Lower < 2 {
			t.Errorf("%s in [%v, %v]", id, b.Lower, b.Upper)
		}
	}
	if res.Suppressed[2] == false && res.Suppressed[9] == false && res.Suppressed[4] {
		t.Log("zero cells are never primary")
	}
	if r.Cells[4].Primary || r.Cells[6].Primary {
		t.Error("a zero was marked primary")
	}
}

// A township with one village: the village's count is the township's, so
// hiding the village means hiding the township, and then another township
// so that the county total does not give it back.
func TestOneVillageTownship(t *testing.T) {
	r := &Release{T: 5, Unknowns: 3, Cells: []Cell{
		{ID: "v1 (only village of t1)", Terms: []Term{{0, 1}}, Value: 3},
		{ID: "v2", Terms: []Term{{1, 1}}, Value: 12},
		{ID: "v3", Terms: []Term{{2, 1}}, Value: 9},
		{ID: "t1", Terms: []Term{{0, 1}}, Value: 3, Level: 1},
		{ID: "t2", Terms: []Term{{1, 1}, {2, 1}}, Value: 21, Level: 1},
		{ID: "county", Terms: []Term{{0, 1}, {1, 1}, {2, 1}}, Value: 24, Level: 2, Fixed: true},
	}}
	res, err := Protect(r)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Suppressed[0] || !res.Suppressed[3] || !res.Suppressed[4] {
		t.Errorf("suppressed %v: want the village, its township and the other township", res.Suppressed)
	}
	if res.Suppressed[5] {
		t.Error("the county total was suppressed")
	}
}

// TestSameInputSamePattern: Protect is deterministic.
func TestSameInputSamePattern(t *testing.T) {
	vals := [][]float64{{1, 4, 9, 0, 2}, {6, 1, 3, 12, 5}, {0, 2, 8, 1, 7}}
	a, err := Protect(grid(vals, 5))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		b, _ := Protect(grid(vals, 5))
		if fmt.Sprint(a.Suppressed) != fmt.Sprint(b.Suppressed) {
			t.Fatalf("run %d gave another pattern", i)
		}
	}
}

// TestRandomTablesPassAudit: over random tables, every protected release
// passes its audit, and no primary cell is published.
func TestRandomTablesPassAudit(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 60; n++ {
		rows, cols := 2+rnd.IntN(4), 2+rnd.IntN(5)
		vals := make([][]float64, rows)
		for i := range vals {
			vals[i] = make([]float64, cols)
			for j := range vals[i] {
				vals[i][j] = float64(rnd.IntN(12))
			}
		}
		r := grid(vals, 5)
		res, err := Protect(r)
		if err != nil {
			t.Fatalf("table %v: %v", vals, err)
		}
		if _, ok := r.Audit(res.Suppressed); !ok {
			t.Fatalf("table %v: the protected release fails its audit", vals)
		}
		for i, c := range r.Cells {
			if c.Primary && !res.Suppressed[i] {
				t.Fatalf("table %v: primary %s published", vals, c.ID)
			}
		}
	}
}

// Births and the natural growth rate published beside a hidden death count
// give it back (deaths = births − natural growth × population): the audit
// sees the derived equation and hides more.
func TestBirthsAndNaturalGrowthGiveDeaths(t *testing.T) {
	r := &Release{T: 5, Unknowns: 2, Cells: []Cell{
		{ID: "births", Terms: []Term{{0, 1}}, Value: 40, Level: 1},
		{ID: "deaths", Terms: []Term{{1, 1}}, Value: 3, Level: 1},
		{ID: "births − deaths", Terms: []Term{{0, 1}, {1, -1}}, Value: 37, Level: 1},
	}}
	res, err := Protect(r)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Suppressed[1] || (!res.Suppressed[0] && !res.Suppressed[2]) {
		t.Errorf("suppressed %v: with births and natural growth both shown, deaths are known", res.Suppressed)
	}
	sup := []bool{false, true, false}
	if _, ok := r.Audit(sup); ok {
		t.Error("the audit passed a pattern that gives the deaths back")
	}
}

// Allowance money with the recipients' total gives the 300 / 600 split:
// 300·n2 + 600·n3 = money and n2 + n3 = families pin both.
func TestAllowanceMoneyGivesTheSplit(t *testing.T) {
	r := &Release{T: 5, Unknowns: 2, Cells: []Cell{
		{ID: "2nd-child families", Terms: []Term{{0, 1}}, Value: 3, Level: 1},
		{ID: "3rd-child families", Terms: []Term{{1, 1}}, Value: 2, Level: 1},
		{ID: "families", Terms: []Term{{0, 1}, {1, 1}}, Value: 5, Level: 1},
		{ID: "money (yuan a month)", Terms: []Term{{0, 300}, {1, 600}}, Value: 2100, Level: 2},
	}}
	if _, ok := r.Audit([]bool{true, true, false, false}); ok {
		t.Error("the audit passed families and money together")
	}
	res, err := Protect(r)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Suppressed[2] && !res.Suppressed[3] {
		t.Errorf("suppressed %v: the total or the money must go", res.Suppressed)
	}
}

// Two inequalities can pin a cell that no equation gives: in township 106
// in 2023, 26 pregnancies, 26 births of which 17 first births, so the
// subsidy families F (T = 10) are at least the 9 births of order 2 and 3
// and at most the pregnancies less the first births, 26 − 17 = 9. The
// audit, with the inequalities as equations on non-negative slacks, must
// see F = 9, and protection must widen it.
func TestInequalityPairPinsACell(t *testing.T) {
	// Unknowns: 0 first births, 1 births of order 2–3, 2 pregnancies,
	// 3 subsidy families, 4–6 slacks.
	ineq := func(id string, terms []Term, slack int) Cell {
		return Cell{ID: id, Terms: append(terms, Term{slack, -1}), Identity: true, Fixed: true}
	}
	build := func(withN2 bool) *Release {
		r := &Release{T: 5, TSensitive: 10, Unknowns: 7, Aux: []bool{false, false, false, false, true, true, true}}
		r.Cells = []Cell{
			{ID: "first births", Terms: []Term{{0, 1}}, Value: 17, Level: 1},
			{ID: "births of order 2-3", Terms: []Term{{1, 1}}, Value: 9, Level: 1},
			{ID: "births", Terms: []Term{{0, 1}, {1, 1}}, Value: 26, Level: 2},
			{ID: "pregnancies", Terms: []Term{{2, 1}}, Value: 26, Level: 1},
			{ID: "subsidy families", Terms: []Term{{3, 1}}, Value: 9, Level: 1, Sensitive: true},
			ineq("F ≥ births of order 2-3", []Term{{3, 1}, {1, -1}}, 4),
			ineq("F ≤ pregnancies", []Term{{2, 1}, {3, -1}}, 5),
		}
		if withN2 {
			r.Cells = append(r.Cells, ineq("pregnancies ≥ first births + F", []Term{{2, 1}, {0, -1}, {3, -1}}, 6))
		}
		return r
	}
	sup := []bool{false, false, false, false, true, false, false, false}
	if audit, ok := build(false).Audit(sup[:7]); !ok {
		t.Fatalf("without the first-birth relation F is in [9, 26]; the audit says %+v", boundOf(t, audit, "subsidy families"))
	}
	r := build(true)
	audit, ok := r.Audit(sup)
	if b := boundOf(t, audit, "subsidy families"); ok || b.Lower != 9 || b.Upper != 9 {
		t.Errorf("the inequality pair pins F = 9; the audit says [%v, %v] (pass %v)", b.Lower, b.Upper, ok)
	}
	res, err := Protect(r)
	if err != nil {
		t.Fatal(err)
	}
	b := boundOf(t, res.Audit, "subsidy families")
	if !b.Pass || b.Upper-b.Lower < 10 {
		t.Errorf("after protection F is in [%v, %v], suppressed %v", b.Lower, b.Upper, res.Suppressed)
	}
}
