package indicators

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Term is one unknown of a release with its coefficient in a cell.
type Term struct {
	Var  int
	Coef float64
}

// Cell is one figure a release may publish: a linear combination of the
// release's unknowns (the finest cells of the microdata), with its true
// value. A relation the attacker knows anyway (births counted by village add
// up to births counted by order; the allowance families are the births of
// the last 36 months) is an Identity: an equation, never a figure.
type Cell struct {
	ID    string
	Terms []Term
	Value float64
	// Level orders the cost of suppressing it: village cells (0) go before
	// township cells (1) before county cells (2).
	Level int
	// T is the threshold of the cell's table; zero means the release's T
	// (or TSensitive for a Sensitive cell).
	T         float64
	Sensitive bool
	// Fixed cells are always published (public figures such as the
	// children under 3, figures of an earlier release, figures the others
	// imply); Identity cells are equations, not figures. County figures
	// are not Fixed but Level 2: hidden only when small themselves or when
	// the townships cannot protect each other.
	Fixed, Identity bool
	// Virtual cells are never published but must stay hidden when small:
	// the complement of a rate (who was not screened, births that were not
	// third births), primary when below T, zero included, since "everyone
	// was screened" tells about each person.
	Virtual bool
	// Amount cells (yuan) are never primary on their own; they must only
	// not be implied exactly when suppressed.
	Amount bool
	// SmallBase marks a rate's numerator whose denominator is under
	// MinRateDenominator: it is hidden, zero included, so that no rate on
	// so few people can be worked out.
	SmallBase bool
	// Frozen cells were in an earlier release, which stays public: they
	// keep the status they had (FrozenSuppressed, or published and Fixed).
	FrozenSuppressed bool
	// Public cells are published elsewhere anyway (children under 3 in
	// /regions): Fixed and never primary.
	Public bool
	// MaxWidth, when set, caps the width asked of the cell's interval: the
	// widest that public figures allow (a numerator of a public
	// denominator d is known to lie in [0, d] whatever is hidden).
	MaxWidth float64
	// Relation names the relation of the catalogue an identity comes from.
	Relation string
	// Primary is set by Protect (see PrimaryRule).
	Primary bool
}

// Release is one set of tables and the equations that tie them.
type Release struct {
	Unknowns int
	Cells    []Cell
	// T is the primary threshold (default 5); TSensitive applies to
	// sensitive cells (default 10).
	T, TSensitive float64
	// keepLevel, when set, keeps cells of that level and above published
	// unless they are primary (Protect's first attempt: never county totals).
	keepLevel int
	// Aux marks auxiliary unknowns (months paid, slacks of inequalities):
	// a point of the audit's linear program is taken as a whole-number
	// witness when every other unknown is whole.
	Aux []bool
}

// Bound is what an attacker can prove about a suppressed cell from every
// published figure and relation: Lower ≤ value ≤ Upper (Upper may be
// +Inf), as whole numbers for counts.
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
	if c.T > 0 {
		return c.T
	}
	t, ts := r.T, r.TSensitive
	if t == 0 {
		t = DefaultT
	}
	if ts == 0 {
		ts = DefaultTSensitive
	}
	if c.Sensitive {
		return ts
	}
	return t
}

// markPrimary applies the primary suppression rule to every cell.
func (r *Release) markPrimary() {
	for i := range r.Cells {
		c := &r.Cells[i]
		c.Primary = !c.Public && PrimaryRule(c.Value, r.threshold(c), c.Virtual, c.Amount || c.Identity, c.SmallBase)
	}
}

// Protect suppresses the release's cells: primary suppression (PrimaryRule),
// then secondary suppression — for each exposed cell, the cheapest
// published cell of an equation that exposes it (village before township,
// small before large; never a Fixed cell) — until the audit passes for
// every suppressed cell; then it publishes again every secondary cell
// whose suppression turned out to be unnecessary, costliest first. The same
// release always gives the same pattern.
func Protect(r *Release) (*Result, error) {
	// First without hiding any county figure that is not small itself;
	// when that cannot protect every cell, county figures may go too.
	r.keepLevel = 2
	res, err := r.protect()
	r.keepLevel = 0
	if err == nil {
		return res, nil
	}
	for i := range r.Cells {
		r.Cells[i].Primary = false
	}
	return r.protect()
}

func (r *Release) protect() (*Result, error) {
	r.markPrimary()
	sup := make([]bool, len(r.Cells))
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Primary && c.Fixed {
			return nil, fmt.Errorf("%w: %s is below the threshold but may not be suppressed", ErrAudit, c.ID)
		}
		sup[i] = c.Primary || c.Virtual || c.FrozenSuppressed
	}
	// Cells that the always-published cells and the relations determine
	// on their own (by linear algebra) are published too: hiding them
	// would hide nothing.
	// (A zero total of non-negative counts also gives each of them: a
	// public count of 0 children under 3 gives 0 screened.)
	span := newRowSpace()
	onlyFixed := make([]bool, len(r.Cells))
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Fixed || c.Identity {
			span.add(c.Terms)
		} else {
			onlyFixed[i] = true
		}
	}
	pinned := r.system(onlyFixed)
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Identity || c.Fixed || c.Virtual || c.FrozenSuppressed {
			continue
		}
		if free, _ := pinned.split(c.Terms); len(free) > 0 && !span.implies(c.Terms) {
			continue
		}
		if c.Primary {
			return nil, fmt.Errorf("%w: %s is below the threshold and the published totals give it", ErrAudit, c.ID)
		}
		c.Fixed = true
		sup[i] = false
	}
	res := &Result{Suppressed: sup}
	for round := 1; ; round++ {
		res.Rounds = round
		audit, failing := r.auditAll(sup, false, nil)
		res.Audit = audit
		if len(failing) == 0 {
			break
		}
		added := false
		picked := map[int]bool{}
		for _, f := range failing {
			if cand := r.candidate(sup, f); cand >= 0 && !sup[cand] {
				if r.sharesEquation(f, picked) {
					continue // a partner picked this round may protect it already
				}
				sup[cand] = true
				picked[cand] = true
				added = true
			}
		}
		if !added {
			f := failing[0]
			return res, fmt.Errorf("%w: %s stays exposed (%s) and no cell tied to it can be suppressed",
				ErrAudit, r.Cells[f].ID, audit[indexOfCell(audit, r.Cells[f].ID)].Reason)
		}
	}
	// Less loss: publish again, costliest first, each secondary cell whose
	// suppression the final pattern does not need.
	var secondary []int
	for i := range r.Cells {
		c := &r.Cells[i]
		if sup[i] && !c.Primary && !c.Virtual && !c.FrozenSuppressed && !c.Identity {
			secondary = append(secondary, i)
		}
	}
	sort.SliceStable(secondary, func(a, b int) bool { return less(&r.Cells[secondary[b]], &r.Cells[secondary[a]]) })
	for _, i := range secondary {
		// Publishing cell i changes only what its component ties together.
		only := r.reach(sup, i)
		sup[i] = false
		if _, failing := r.auditAll(sup, false, only); len(failing) > 0 {
			sup[i] = true
		}
	}
	res.Audit, _ = r.auditAll(sup, true, nil)
	return res, nil
}

// sharesEquation reports whether cell f has an unknown in common with any
// of the picked cells.
func (r *Release) sharesEquation(f int, picked map[int]bool) bool {
	if len(picked) == 0 {
		return false
	}
	mine := map[int]bool{}
	for _, t := range r.Cells[f].Terms {
		mine[t.Var] = true
	}
	for p := range picked {
		for _, t := range r.Cells[p].Terms {
			if mine[t.Var] {
				return true
			}
		}
	}
	return false
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
// attacker's bounds. It returns the bounds and whether all pass.
func (r *Release) Audit(sup []bool) ([]Bound, bool) {
	r.markPrimary()
	b, failing := r.auditAll(sup, true, nil)
	return b, len(failing) == 0
}

// protected reports whether cell i must be protected under pattern sup.
func (r *Release) protected(sup []bool, i int) bool {
	c := &r.Cells[i]
	if !sup[i] || c.Identity {
		return false
	}
	return !c.Virtual || c.Primary
}

// auditAll bounds every protected cell and returns the bounds and the
// failing cells. A cell passes when the attacker's interval for it — whole
// numbers for counts — is at least its threshold wide (an amount: when it is
// not implied exactly). The work is split by connected component of the
// published equations; a component's linear program is built once, and
// every feasible whole-number point its optimisations visit widens the
// known range of every cell in it (a witness), so most cells need no
// optimisation of their own.
//
// With exact set, every cell's bounds are optimised, for the audit log.
// With only set, just the cells with an unknown in it are audited.
func (r *Release) auditAll(sup []bool, exact bool, only map[int]bool) ([]Bound, []int) {
	sys := r.system(sup)
	type target struct {
		cell     int
		constant float64
		free     []Term
	}
	var targets []target
	for i := range r.Cells {
		if !r.protected(sup, i) || (only != nil && !touches(r.Cells[i].Terms, only)) {
			continue
		}
		free, constant := sys.split(r.Cells[i].Terms)
		targets = append(targets, target{cell: i, constant: constant, free: free})
		for k := 1; k < len(free); k++ {
			sys.union(free[0].Var, free[k].Var)
		}
	}
	byComp := map[int][]int{}
	var comps []int
	for k, tg := range targets {
		root := -1
		if len(tg.free) > 0 {
			root = sys.find(tg.free[0].Var)
		}
		if _, ok := byComp[root]; !ok {
			comps = append(comps, root)
		}
		byComp[root] = append(byComp[root], k)
	}
	sort.Ints(comps)
	out := make([]Bound, len(targets))
	failed := make([]bool, len(targets))
	for _, root := range comps {
		ks := byComp[root]
		if root < 0 {
			for _, k := range ks {
				c := &r.Cells[targets[k].cell]
				out[k] = Bound{Cell: c.ID, Lower: targets[k].constant, Upper: targets[k].constant,
					Reason: fmt.Sprintf("exactly determined (%.6g)", targets[k].constant)}
				failed[k] = true
			}
			continue
		}
		// The component's unknowns and equations.
		var vars []int
		for v := 0; v < r.Unknowns; v++ {
			if !sys.isFixed(v) && sys.find(v) == root {
				vars = append(vars, v)
			}
		}
		col := make(map[int]int, len(vars))
		for j, v := range vars {
			col[v] = j
		}
		var rows []lpRow
		for _, e := range sys.eqs {
			if sys.find(e.terms[0].Var) != root {
				continue
			}
			row := lpRow{rhs: e.rhs}
			for _, t := range e.terms {
				row.terms = append(row.terms, Term{Var: col[t.Var], Coef: t.Coef})
			}
			rows = append(rows, row)
		}
		inEq := make([]bool, len(vars))
		for _, row := range rows {
			for _, t := range row.terms {
				inEq[t.Var] = true
			}
		}
		// Witnesses: the true data, then every whole-number vertex visited.
		lo := make([]float64, len(ks))
		hi := make([]float64, len(ks))
		wlo := make([]float64, len(ks))
		whi := make([]float64, len(ks))
		value := func(k int, x []float64) float64 {
			s := targets[ks[k]].constant
			for _, t := range targets[ks[k]].free {
				s += t.Coef * x[col[t.Var]]
			}
			return s
		}
		for k := range ks {
			v := r.Cells[targets[ks[k]].cell].Value
			wlo[k], whi[k] = v, v
			lo[k], hi[k] = math.NaN(), math.NaN()
		}
		witness := func(x []float64) {
			for j, v := range x {
				if math.Abs(v-math.Round(v)) > 1e-6 && (r.Aux == nil || !r.Aux[vars[j]]) {
					return
				}
			}
			for k := range ks {
				v := math.Round(value(k, x)*1e6) / 1e6
				wlo[k], whi[k] = math.Min(wlo[k], v), math.Max(whi[k], v)
			}
		}
		var tab *tableau
		built := false
		for k := range ks {
			tg := targets[ks[k]]
			c := &r.Cells[tg.cell]
			need := r.threshold(c)
			if c.MaxWidth > 0 && c.MaxWidth < need {
				need = c.MaxWidth
			}
			if c.Amount {
				need = 1e-6
			}
			if !exact && whi[k]-wlo[k] >= need-1e-9 {
				out[ks[k]] = Bound{Cell: c.ID, Lower: wlo[k], Upper: whi[k], Pass: true}
				continue
			}
			// Unknowns in no equation are anything ≥ 0.
			upInf, downInf := false, false
			obj := make([]float64, len(vars))
			for _, t := range tg.free {
				j := col[t.Var]
				if !inEq[j] {
					if t.Coef > 0 {
						upInf = true
					} else {
						downInf = true
					}
					continue
				}
				obj[j] += t.Coef
			}
			if !built {
				built = true
				tab = newTableau(len(vars), rows)
			}
			if tab == nil {
				out[ks[k]] = Bound{Cell: c.ID, Lower: c.Value, Upper: c.Value, Reason: "the equations could not be solved"}
				failed[ks[k]] = true
				continue
			}
			if upInf {
				hi[k] = math.Inf(1)
			} else {
				neg := make([]float64, len(obj))
				for j, v := range obj {
					neg[j] = -v
				}
				hi[k] = -tab.optimum(neg) + tg.constant
				witness(tab.point())
			}
			if downInf {
				lo[k] = math.Inf(-1)
			} else if exact || whi[k]-wlo[k] < need-1e-9 {
				lo[k] = tab.optimum(obj) + tg.constant
				witness(tab.point())
			}
			l, u := lo[k], hi[k]
			if !c.Amount {
				if math.IsNaN(l) {
					l = wlo[k]
				}
				l, u = math.Ceil(l-1e-6), math.Floor(u+1e-6)
			}
			b := Bound{Cell: c.ID, Lower: l, Upper: u, Pass: true}
			switch {
			case u-l >= need-1e-9 && (whi[k]-wlo[k] >= need-1e-9 || math.IsInf(u, 1) || math.IsInf(l, -1)):
			case u-l < 1e-6:
				b.Pass, b.Reason = false, fmt.Sprintf("exactly determined (%.6g)", l)
			case u-l < need-1e-9:
				b.Pass, b.Reason = false, fmt.Sprintf("interval [%.6g, %.6g] is narrower than %v", l, u, need)
			default:
				// The linear bounds are wide enough but no whole-number point
				// confirms them: the attacker's integer bounds may be tighter.
				b.Pass, b.Reason = false, fmt.Sprintf("whole-number interval not confirmed beyond [%.6g, %.6g]", wlo[k], whi[k])
			}
			out[ks[k]] = b
			failed[ks[k]] = !b.Pass
		}
	}
	var failing []int
	for k, tg := range targets {
		if failed[k] {
			failing = append(failing, tg.cell)
		}
	}
	return out, failing
}

// reach returns the free unknowns of cell i's component under pattern sup
// (published equations, and the protected cells that tie unknowns
// together): all that publishing cell i can change.
func (r *Release) reach(sup []bool, i int) map[int]bool {
	sys := r.system(sup)
	for j := range r.Cells {
		if r.protected(sup, j) {
			free, _ := sys.split(r.Cells[j].Terms)
			for k := 1; k < len(free); k++ {
				sys.union(free[0].Var, free[k].Var)
			}
		}
	}
	out := map[int]bool{}
	free, _ := sys.split(r.Cells[i].Terms)
	if len(free) == 0 {
		return out
	}
	root := sys.find(free[0].Var)
	for v := 0; v < r.Unknowns; v++ {
		if !sys.isFixed(v) && sys.find(v) == root {
			out[v] = true
		}
	}
	return out
}

func touches(ts []Term, set map[int]bool) bool {
	for _, t := range ts {
		if set[t.Var] {
			return true
		}
	}
	return false
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
		return !sup[i] && !c.Fixed && !c.Identity && !c.Virtual && i != failing && (c.Level < r.keepLevel || r.keepLevel == 0)
	}
	// Partners within an equation: cells made only of its unknowns, of the
	// failing cell's own level first (as in a table's row or column); the
	// equation itself when it is suppressible and nothing inside it is.
	for _, e := range eqs {
		in := map[int]bool{}
		for _, t := range r.Cells[e].Terms {
			in[t.Var] = true
		}
		for _, sameLevel := range []bool{true, false} {
			best := -1
			for i := range r.Cells {
				c := &r.Cells[i]
				if !suppressible(i) || (sameLevel && c.Level != f.Level) || i == e {
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
		if suppressible(e) {
			return e
		}
	}
	// Failing that, the cheapest suppressible cell nearest to it through
	// the published equations (breadth first): the exposure comes through
	// a longer chain, such as a county total less the other townships.
	seen := map[int]bool{}
	frontier := mine
	usedCell := map[int]bool{failing: true}
	for len(frontier) > 0 {
		best := -1
		next := map[int]bool{}
		for i := range r.Cells {
			if usedCell[i] || (sup[i] && !r.Cells[i].Identity) {
				continue
			}
			touches := false
			for _, t := range r.Cells[i].Terms {
				if frontier[t.Var] {
					touches = true
					break
				}
			}
			if !touches {
				continue
			}
			usedCell[i] = true
			if suppressible(i) && (best < 0 || less(&r.Cells[i], &r.Cells[best])) {
				best = i
			}
			for _, t := range r.Cells[i].Terms {
				if !seen[t.Var] && !frontier[t.Var] {
					next[t.Var] = true
				}
			}
		}
		if best >= 0 {
			return best
		}
		for v := range frontier {
			seen[v] = true
		}
		frontier = next
	}
	return -1
}

// less orders cells by the cost of suppressing them: lower level first,
// then the smaller value (the information lost), then by id.
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
// unknowns they pin on their own substituted.
type system struct {
	fixed  []float64
	pinned []bool
	eqs    []equation
	parent []int // union-find over the unknowns
}

type equation struct {
	terms []Term // free unknowns only
	rhs   float64
}

func (s *system) isFixed(v int) bool { return s.pinned[v] }

func (s *system) find(v int) int {
	for s.parent[v] != v {
		s.parent[v] = s.parent[s.parent[v]]
		v = s.parent[v]
	}
	return v
}

func (s *system) union(a, b int) {
	ra, rb := s.find(a), s.find(b)
	if ra != rb {
		if ra < rb {
			s.parent[rb] = ra
		} else {
			s.parent[ra] = rb
		}
	}
}

// split returns terms over the unknowns not pinned, and the pinned part.
func (s *system) split(terms []Term) ([]Term, float64) {
	var free []Term
	var constant float64
	for _, t := range terms {
		if s.pinned[t.Var] {
			constant += t.Coef * s.fixed[t.Var]
		} else {
			free = append(free, t)
		}
	}
	return free, constant
}

func (r *Release) system(sup []bool) *system {
	s := &system{fixed: make([]float64, r.Unknowns), pinned: make([]bool, r.Unknowns), parent: make([]int, r.Unknowns)}
	for v := range s.parent {
		s.parent[v] = v
	}
	var pub []*Cell
	for i := range r.Cells {
		if !sup[i] {
			pub = append(pub, &r.Cells[i])
		}
	}
	// Pin unknowns by equations with one free unknown, and by equations
	// whose free unknowns all have one sign and sum to zero (x ≥ 0).
	for changed := true; changed; {
		changed = false
		for _, c := range pub {
			free, rhs := s.substituted(c)
			switch {
			case len(free) == 1:
				s.fixed[free[0].Var], s.pinned[free[0].Var] = rhs/free[0].Coef, true
				changed = true
			case len(free) > 1 && math.Abs(rhs) < 1e-9 && sameSign(free):
				for _, t := range free {
					s.fixed[t.Var], s.pinned[t.Var] = 0, true
				}
				changed = true
			}
		}
	}
	for _, c := range pub {
		free, rhs := s.substituted(c)
		if len(free) == 0 {
			continue
		}
		s.eqs = append(s.eqs, equation{terms: free, rhs: rhs})
		for k := 1; k < len(free); k++ {
			s.union(free[0].Var, free[k].Var)
		}
	}
	return s
}

func sameSign(ts []Term) bool {
	for _, t := range ts[1:] {
		if (t.Coef > 0) != (ts[0].Coef > 0) {
			return false
		}
	}
	return true
}

// substituted returns c's terms over the unknowns not yet pinned (merged
// by unknown), and its value less the pinned ones.
func (s *system) substituted(c *Cell) ([]Term, float64) {
	var free []Term
	rhs := c.Value
	for _, t := range c.Terms {
		if s.pinned[t.Var] {
			rhs -= t.Coef * s.fixed[t.Var]
			continue
		}
		merged := false
		for k := range free {
			if free[k].Var == t.Var {
				free[k].Coef += t.Coef
				merged = true
			}
		}
		if !merged {
			free = append(free, t)
		}
	}
	out := free[:0]
	for _, t := range free {
		if t.Coef != 0 {
			out = append(out, t)
		}
	}
	return out, rhs
}
