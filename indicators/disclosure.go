package indicators

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Term is one unknown of a release with its coefficient in a cell.
type Term struct {
	Var  int
	Coef float64
}

// Cell is one figure a release may publish: a linear combination of the
// release's unknowns (the finest cells of the microdata), with its true
// value. A structural identity the attacker knows anyway (births counted by
// village add up to births counted by order) is a cell that is Fixed and
// not Published as a figure.
type Cell struct {
	ID    string
	Terms []Term
	Value float64
	// Level orders the cost of suppressing it: village cells (0) go before
	// township cells (1); county cells (2) are never suppressed.
	Level     int
	Sensitive bool
	// Fixed cells are always published (county totals, identities);
	// Identity cells are equations, not figures.
	Fixed, Identity bool
	// Primary is set by Protect for counts 0 < c < T.
	Primary bool
}

// Release is one set of tables and the equations that tie them.
type Release struct {
	Unknowns int
	Cells    []Cell
	// T is the primary threshold (default 5); TSensitive applies to
	// sensitive cells (default 10).
	T, TSensitive float64
}

// Bound is what an attacker can prove about a suppressed cell from every
// published figure: Lower ≤ value ≤ Upper (Upper may be +Inf).
type Bound struct {
	Cell         string  `json:"cell"`
	Lower, Upper float64 `json:"-"`
	Pass         bool    `json:"pass"`
	Reason       string  `json:"reason,omitempty"`
}

// Result is a protected release: which cells are suppressed and the audit
// that passed.
type Result struct {
	Suppressed []bool
	Rounds     int
	Audit      []Bound
}

// ErrAudit is returned when no further suppression can make the audit pass.
var ErrAudit = errors.New("disclosure audit failed")

func (r *Release) threshold(c *Cell) float64 {
	t, ts := r.T, r.TSensitive
	if t == 0 {
		t = 5
	}
	if ts == 0 {
		ts = 10
	}
	if c.Sensitive {
		return ts
	}
	return t
}

// Protect suppresses the release's cells: primary suppression of every
// count 0 < c < T, then secondary suppression — cheapest candidate first
// (village before township, small before large, then by id; never county
// totals) among the published cells tied to a failing cell — until the LP
// audit passes for every suppressed cell. The same release always gives the
// same pattern.
func Protect(r *Release) (*Result, error) {
	sup := make([]bool, len(r.Cells))
	for i := range r.Cells {
		c := &r.Cells[i]
		c.Primary = !c.Identity && c.Value > 0 && c.Value < r.threshold(c)
		if c.Primary {
			if c.Fixed {
				return nil, fmt.Errorf("%w: %s is below the threshold but may not be suppressed", ErrAudit, c.ID)
			}
			sup[i] = true
		}
	}
	res := &Result{Suppressed: sup}
	for round := 1; ; round++ {
		res.Rounds = round
		audit, failing := r.audit(sup)
		res.Audit = audit
		if failing < 0 {
			return res, nil
		}
		cand := r.candidate(sup, failing)
		if cand < 0 {
			return res, fmt.Errorf("%w: %s stays exposed (%s) and no cell tied to it can be suppressed",
				ErrAudit, r.Cells[failing].ID, audit[indexOfCell(audit, r.Cells[failing].ID)].Reason)
		}
		sup[cand] = true
	}
}

func indexOfCell(audit []Bound, id string) int {
	for i, b := range audit {
		if b.Cell == id {
			return i
		}
	}
	return 0
}

// Audit checks a suppression pattern: for every suppressed cell, the
// attacker's LP bounds. It returns the bounds and the index of the first
// failing cell, or -1.
func (r *Release) Audit(sup []bool) ([]Bound, bool) {
	b, failing := r.audit(sup)
	return b, failing < 0
}

func (r *Release) audit(sup []bool) ([]Bound, int) {
	sys := r.system(sup)
	var out []Bound
	failing := -1
	for i := range r.Cells {
		if !sup[i] {
			continue
		}
		c := &r.Cells[i]
		lo, hi := sys.bounds(c.Terms)
		b := Bound{Cell: c.ID, Lower: lo, Upper: hi, Pass: true}
		const eps = 1e-6
		switch {
		case hi-lo < 1-eps:
			b.Pass, b.Reason = false, fmt.Sprintf("exactly determined (%.3g)", lo)
		case c.Primary && (lo > c.Value-1+eps || hi < c.Value+1-eps):
			b.Pass, b.Reason = false, fmt.Sprintf("interval [%.3g, %.3g] does not reach a unit either side", lo, hi)
		case c.Primary && hi-lo < r.threshold(c)-eps:
			b.Pass, b.Reason = false, fmt.Sprintf("interval [%.3g, %.3g] is narrower than %v", lo, hi, r.threshold(c))
		case c.Primary && c.Sensitive && lo > eps:
			b.Pass, b.Reason = false, "the attacker can prove it is not zero"
		}
		out = append(out, b)
		if !b.Pass && failing < 0 {
			failing = i
		}
	}
	return out, failing
}

// candidate returns the cheapest published, suppressible cell that shares
// an unknown, directly or through the published equations, with the
// failing cell's terms; -1 when there is none.
func (r *Release) candidate(sup []bool, failing int) int {
	// Unknowns tied to the failing cell through published equations, as
	// written (before any substitution: a cell that pins an unknown is
	// exactly what may need hiding), explored ring by ring: the cheapest
	// candidate of the nearest ring wins, so the fix stays local.
	byVar := map[int][]int{}
	for i := range r.Cells {
		if !sup[i] {
			for _, t := range r.Cells[i].Terms {
				byVar[t.Var] = append(byVar[t.Var], i)
			}
		}
	}
	reach := map[int]bool{}
	var ring []int
	for _, t := range r.Cells[failing].Terms {
		if !reach[t.Var] {
			reach[t.Var] = true
			ring = append(ring, t.Var)
		}
	}
	for len(ring) > 0 {
		// The next ring: unknowns of published cells touching this one.
		var next []int
		for _, v := range ring {
			for _, ci := range byVar[v] {
				for _, t := range r.Cells[ci].Terms {
					if !reach[t.Var] {
						reach[t.Var] = true
						next = append(next, t.Var)
					}
				}
			}
		}
		best := -1
		for i := range r.Cells {
			c := &r.Cells[i]
			if sup[i] || c.Fixed || c.Identity {
				continue
			}
			touches := false
			for _, t := range c.Terms {
				if reach[t.Var] {
					touches = true
					break
				}
			}
			if touches && (best < 0 || less(c, &r.Cells[best])) {
				best = i
			}
		}
		if best >= 0 {
			return best
		}
		ring = next
	}
	return -1
}

func less(a, b *Cell) bool {
	if a.Level != b.Level {
		return a.Level < b.Level
	}
	if a.Value != b.Value {
		return a.Value < b.Value
	}
	return a.ID < b.ID
}

// system is the attacker's knowledge: the published equations, with the
// unknowns that a published single-term cell pins already substituted.
type system struct {
	n     int
	fixed map[int]float64 // unknown → value, from single-term published cells
	eqs   []equation
	byVar map[int][]int // unknown → equations it appears in
}

type equation struct {
	terms []Term // free unknowns only
	rhs   float64
}

func (r *Release) system(sup []bool) *system {
	s := &system{n: r.Unknowns, fixed: map[int]float64{}, byVar: map[int][]int{}}
	var pub []*Cell
	for i := range r.Cells {
		if !sup[i] {
			pub = append(pub, &r.Cells[i])
		}
	}
	// Pin unknowns by single-term equations, repeatedly.
	for changed := true; changed; {
		changed = false
		for _, c := range pub {
			var free []Term
			rhs := c.Value
			for _, t := range c.Terms {
				if v, ok := s.fixed[t.Var]; ok {
					rhs -= t.Coef * v
				} else {
					free = append(free, t)
				}
			}
			if len(free) == 1 {
				s.fixed[free[0].Var] = rhs / free[0].Coef
				changed = true
			}
		}
	}
	for _, c := range pub {
		var free []Term
		rhs := c.Value
		for _, t := range c.Terms {
			if v, ok := s.fixed[t.Var]; ok {
				rhs -= t.Coef * v
			} else {
				free = append(free, t)
			}
		}
		if len(free) == 0 {
			continue
		}
		s.eqs = append(s.eqs, equation{terms: free, rhs: rhs})
		for _, t := range free {
			s.byVar[t.Var] = append(s.byVar[t.Var], len(s.eqs)-1)
		}
	}
	return s
}

// component returns the unknowns tied, through the equations, to terms.
func (s *system) component(terms []Term) map[int]bool {
	seen := map[int]bool{}
	var stack []int
	for _, t := range terms {
		if !seen[t.Var] {
			seen[t.Var] = true
			stack = append(stack, t.Var)
		}
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range s.byVar[v] {
			for _, t := range s.eqs[e].terms {
				if !seen[t.Var] {
					seen[t.Var] = true
					stack = append(stack, t.Var)
				}
			}
		}
	}
	return seen
}

// bounds minimises and maximises Σ coef·x over terms subject to the
// equations of the terms' component and x ≥ 0.
func (s *system) bounds(terms []Term) (lo, hi float64) {
	var constant float64
	obj := map[int]float64{}
	for _, t := range terms {
		if v, ok := s.fixed[t.Var]; ok {
			constant += t.Coef * v
		} else {
			obj[t.Var] += t.Coef
		}
	}
	if len(obj) == 0 {
		return constant, constant
	}
	comp := s.component(terms)
	var vars []int
	for v := range comp {
		if _, ok := s.fixed[v]; !ok {
			vars = append(vars, v)
		}
	}
	sort.Ints(vars)
	col := map[int]int{}
	var constrained []int
	for _, v := range vars {
		if len(s.byVar[v]) > 0 {
			col[v] = len(constrained)
			constrained = append(constrained, v)
		}
	}
	// An objective unknown in no equation can be anything ≥ 0.
	unboundedUp := false
	for v, c := range obj {
		if _, ok := col[v]; !ok && c != 0 {
			if c > 0 {
				unboundedUp = true
			} else {
				// A negative coefficient on a free unknown: no lower bound.
				return math.Inf(-1), math.Inf(1)
			}
		}
	}
	rowSet := map[int]bool{}
	for _, v := range constrained {
		for _, e := range s.byVar[v] {
			rowSet[e] = true
		}
	}
	var rows []int
	for e := range rowSet {
		rows = append(rows, e)
	}
	sort.Ints(rows)
	A, b := independentRows(s.eqs, rows, col, len(constrained))
	c := make([]float64, len(constrained))
	for v, coef := range obj {
		if j, ok := col[v]; ok {
			c[j] = coef
		}
	}
	// solve returns min c·x (sign 1) or max c·x (sign -1).
	solve := func(sign float64) float64 {
		if A == nil { // no equation: every constrained unknown is free ≥ 0
			if sign > 0 {
				return 0
			}
			return math.Inf(1)
		}
		cc := make([]float64, len(c))
		for i := range c {
			cc[i] = sign * c[i]
		}
		f, _, err := lp.Simplex(cc, A, b, 1e-10, nil)
		switch {
		case errors.Is(err, lp.ErrUnbounded):
			return -sign * math.Inf(1)
		case err != nil:
			// A numerical failure reads as "exposed", the publisher's safe side.
			return math.NaN()
		}
		return sign * f
	}
	lo, hi = solve(1)+constant, solve(-1)+constant
	if unboundedUp {
		hi = math.Inf(1)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return constant, constant // exposed: forces more suppression
	}
	return lo, hi
}

// independentRows builds A x = b from the given equations, keeping only
// linearly independent rows (Gaussian elimination with partial pivoting),
// as the simplex needs full row rank. It returns nil when no row remains.
func independentRows(eqs []equation, rows []int, col map[int]int, n int) (*mat.Dense, []float64) {
	full := make([][]float64, len(rows))
	rhs := make([]float64, len(rows))
	for i, e := range rows {
		full[i] = make([]float64, n)
		for _, t := range eqs[e].terms {
			full[i][col[t.Var]] += t.Coef
		}
		rhs[i] = eqs[e].rhs
	}
	// Row-reduce a copy to find which rows are independent.
	work := make([][]float64, len(full))
	for i := range full {
		work[i] = append([]float64(nil), full[i]...)
	}
	var keep []int
	used := make([]bool, len(work))
	for j := 0; j < n; j++ {
		p, best := -1, 1e-9
		for i := range work {
			if !used[i] && math.Abs(work[i][j]) > best {
				p, best = i, math.Abs(work[i][j])
			}
		}
		if p < 0 {
			continue
		}
		used[p] = true
		keep = append(keep, p)
		for i := range work {
			if i != p && work[i][j] != 0 {
				f := work[i][j] / work[p][j]
				for k := j; k < n; k++ {
					work[i][k] -= f * work[p][k]
				}
			}
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	sort.Ints(keep)
	A := mat.NewDense(len(keep), n, nil)
	b := make([]float64, len(keep))
	for r, i := range keep {
		A.SetRow(r, full[i])
		b[r] = rhs[i]
	}
	return A, b
}
