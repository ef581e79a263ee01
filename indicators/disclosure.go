package indicators

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

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
	// Virtual cells are never published but must stay hidden when small:
	// the complement of a rate (who was not screened), primary when below T,
	// zero included, since "everyone was screened" tells about each person.
	Virtual bool
	// Primary is set by Protect for counts 0 < c < T (virtual cells: c < T).
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
		if c.Virtual {
			c.Primary = c.Value < r.threshold(c)
		}
		if c.Primary && c.Fixed {
			return nil, fmt.Errorf("%w: %s is below the threshold but may not be suppressed", ErrAudit, c.ID)
		}
		sup[i] = c.Primary || c.Virtual
	}
	res := &Result{Suppressed: sup}
	cache := map[string][2]float64{}
	for round := 1; ; round++ {
		res.Rounds = round
		audit, failing := r.auditAll(sup, cache)
		res.Audit = audit
		if len(failing) == 0 {
			return res, nil
		}
		// Fix every failing cell of this round at once: one candidate each.
		added := false
		for _, f := range failing {
			if cand := r.candidate(sup, f); cand >= 0 && !sup[cand] {
				sup[cand] = true
				added = true
			}
		}
		if !added {
			f := failing[0]
			return res, fmt.Errorf("%w: %s stays exposed (%s) and no cell tied to it can be suppressed",
				ErrAudit, r.Cells[f].ID, audit[indexOfCell(audit, r.Cells[f].ID)].Reason)
		}
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
// attacker's LP bounds. It returns the bounds and whether all pass.
func (r *Release) Audit(sup []bool) ([]Bound, bool) {
	b, failing := r.auditAll(sup, map[string][2]float64{})
	return b, len(failing) == 0
}

// auditAll bounds every suppressed cell and returns the bounds and the
// failing cells. cache holds LP answers by component: a component whose
// equations did not change since the last round is not solved again.
func (r *Release) auditAll(sup []bool, cache map[string][2]float64) ([]Bound, []int) {
	sys := r.system(sup)
	var out []Bound
	var failing []int
	for i := range r.Cells {
		if !sup[i] || r.Cells[i].Identity {
			continue
		}
		c := &r.Cells[i]
		if c.Virtual && !c.Primary {
			continue // a large complement: nothing to protect
		}
		lo, hi := sys.cachedBounds(c.Terms, cache)
		b := Bound{Cell: c.ID, Lower: lo, Upper: hi, Pass: true}
		const eps = 1e-6
		switch {
		case hi-lo < 1-eps:
			b.Pass, b.Reason = false, fmt.Sprintf("exactly determined (%.3g)", lo)
		case c.Primary && (lo > math.Max(c.Value-1, 0)+eps || hi < c.Value+1-eps):
			b.Pass, b.Reason = false, fmt.Sprintf("interval [%.3g, %.3g] does not reach a unit either side", lo, hi)
		case c.Primary && hi-lo < r.threshold(c)-eps:
			b.Pass, b.Reason = false, fmt.Sprintf("interval [%.3g, %.3g] is narrower than %v", lo, hi, r.threshold(c))
		case c.Primary && c.Sensitive && lo > eps:
			b.Pass, b.Reason = false, "the attacker can prove it is not zero"
		}
		out = append(out, b)
		if !b.Pass {
			failing = append(failing, i)
		}
	}
	return out, failing
}

// candidate returns the cheapest published, suppressible cell that shares
// an unknown, directly or through the published equations, with the
// failing cell's terms; -1 when there is none.
func (r *Release) candidate(sup []bool, failing int) int {
	f := &r.Cells[failing]
	mine := map[int]bool{}
	for _, t := range f.Terms {
		mine[t.Var] = true
	}
	// The published equations the failing cell is part of, shortest first:
	// its row before its column before the grand total.
	var eqs []int
	for i := range r.Cells {
		if sup[i] || i == failing {
			continue
		}
		for _, t := range r.Cells[i].Terms {
			if mine[t.Var] {
				eqs = append(eqs, i)
				break
			}
		}
	}
	sort.SliceStable(eqs, func(a, b int) bool { return len(r.Cells[eqs[a]].Terms) < len(r.Cells[eqs[b]].Terms) })
	suppressible := func(i int) bool {
		c := &r.Cells[i]
		return !sup[i] && !c.Fixed && !c.Identity && !c.Virtual && i != failing
	}
	// Partners within an equation: cells made only of its unknowns, of the
	// failing cell's own level first (as in a table's row or column).
	for _, e := range eqs {
		in := map[int]bool{}
		for _, t := range r.Cells[e].Terms {
			in[t.Var] = true
		}
		for _, sameLevel := range []bool{true, false} {
			best := -1
			for i := range r.Cells {
				c := &r.Cells[i]
				if !suppressible(i) || (sameLevel && c.Level != f.Level) {
					continue
				}
				inside := len(c.Terms) > 0
				for _, t := range c.Terms {
					if !in[t.Var] {
						inside = false
						break
					}
				}
				if inside && (best < 0 || less(c, &r.Cells[best])) {
					best = i
				}
			}
			if best >= 0 {
				return best
			}
		}
	}
	// Failing that, any suppressible cell sharing an unknown with one of
	// those equations.
	reach := map[int]bool{}
	for _, e := range eqs {
		for _, t := range r.Cells[e].Terms {
			reach[t.Var] = true
		}
	}
	for v := range mine {
		reach[v] = true
	}
	best := -1
	for i := range r.Cells {
		if !suppressible(i) {
			continue
		}
		for _, t := range r.Cells[i].Terms {
			if reach[t.Var] {
				if best < 0 || less(&r.Cells[i], &r.Cells[best]) {
					best = i
				}
				break
			}
		}
	}
	return best
}

func less(a, b *Cell) bool {
	if a.Level != b.Level {
		return a.Level < b.Level
	}
	if x, y := math.Abs(a.Value), math.Abs(b.Value); x != y {
		return x < y
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
			if free, rhs := s.substitute(c); len(free) == 1 {
				s.fixed[free[0].Var] = rhs / free[0].Coef
				changed = true
			}
		}
	}
	for _, c := range pub {
		free, rhs := s.substitute(c)
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

// substitute returns c's terms over the unknowns not yet pinned, and its
// value less the pinned ones.
func (s *system) substitute(c *Cell) ([]Term, float64) {
	var free []Term
	rhs := c.Value
	for _, t := range c.Terms {
		if v, ok := s.fixed[t.Var]; ok {
			rhs -= t.Coef * v
		} else {
			free = append(free, t)
		}
	}
	return free, rhs
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

// cachedBounds is bounds with answers kept by the exact component and
// objective, which stay valid while the component's equations do not change.
func (s *system) cachedBounds(terms []Term, cache map[string][2]float64) (float64, float64) {
	free := false
	for _, t := range terms {
		if _, ok := s.fixed[t.Var]; !ok {
			free = true
		}
	}
	if !free {
		return s.bounds(terms)
	}
	comp := s.component(terms)
	rows := map[int]bool{}
	for v := range comp {
		for _, e := range s.byVar[v] {
			rows[e] = true
		}
	}
	var keys []string
	for e := range rows {
		keys = append(keys, fmt.Sprintf("%v=%v", s.eqs[e].terms, s.eqs[e].rhs))
	}
	sort.Strings(keys)
	var obj []string
	for _, t := range terms {
		if v, ok := s.fixed[t.Var]; ok {
			obj = append(obj, fmt.Sprintf("%d*%v=%v", t.Var, t.Coef, v))
		} else {
			obj = append(obj, fmt.Sprintf("%d*%v", t.Var, t.Coef))
		}
	}
	h := sha256.Sum256([]byte(strings.Join(obj, ",") + "|" + strings.Join(keys, ";")))
	key := string(h[:])
	if b, ok := cache[key]; ok {
		return b[0], b[1]
	}
	lo, hi := s.bounds(terms)
	cache[key] = [2]float64{lo, hi}
	return lo, hi
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
	// Big-M form: one artificial unknown per equation (rows turned so their
	// right side is non-negative) gives the simplex an identity starting
	// basis, so it needs no phase I and no full-rank check; the penalty M
	// drives the artificials to zero since the true data is feasible.
	n, m := len(constrained), len(rows)
	if m == 0 || n == 0 {
		// No equation binds these unknowns: each is anything ≥ 0.
		return constant, math.Inf(1)
	}
	A := mat.NewDense(m, n+m, nil)
	b := make([]float64, m)
	for i, e := range rows {
		sign := 1.0
		if s.eqs[e].rhs < 0 {
			sign = -1
		}
		for _, t := range s.eqs[e].terms {
			A.Set(i, col[t.Var], A.At(i, col[t.Var])+sign*t.Coef)
		}
		A.Set(i, n+i, 1)
		b[i] = sign * s.eqs[e].rhs
	}
	basis := make([]int, m)
	for i := range basis {
		basis[i] = n + i
	}
	const bigM = 1e6
	c := make([]float64, n)
	for v, coef := range obj {
		if j, ok := col[v]; ok {
			c[j] = coef
		}
	}
	// solve returns min c·x (sign 1) or max c·x (sign -1).
	solve := func(sign float64) float64 {
		if m == 0 { // no equation: every constrained unknown is free ≥ 0
			if sign > 0 {
				return 0
			}
			return math.Inf(1)
		}
		cc := make([]float64, n+m)
		for i := range c {
			cc[i] = sign * c[i]
		}
		for i := n; i < n+m; i++ {
			cc[i] = bigM
		}
		f, x, err := lp.Simplex(cc, A, b, 1e-9, basis)
		switch {
		case errors.Is(err, lp.ErrUnbounded):
			return -sign * math.Inf(1)
		case err != nil:
			// A numerical failure reads as "exposed", the publisher's safe side.
			return math.NaN()
		}
		for i := n; i < n+m; i++ {
			if x[i] > 1e-6 {
				return math.NaN() // artificials left: treat as exposed
			}
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
