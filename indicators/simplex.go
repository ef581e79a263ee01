package indicators

import "math"

// tableau is a dense simplex tableau for the attacker's linear programs:
// optimise c·x subject to A x = b and x ≥ 0. It is built once per connected
// component of a release's equations; phase I finds a feasible basis, and
// every objective after that starts from the basis the previous one ended
// at (a warm start), so bounding every suppressed cell of a component costs
// a few pivots each rather than a solve from scratch.
type tableau struct {
	m, n  int       // rows, structural columns
	w     int       // row width: n structural columns and the right-hand side
	a     []float64 // (m+1) × w: the constraint rows, then the objective row
	basis []int     // basic column of each row; -1 for a redundant row
}

const (
	pivotTol = 1e-9
	costTol  = 1e-9
)

// newTableau builds the tableau of rows (each a sparse row over columns
// 0…n−1 with its right-hand side) and runs phase I. It returns nil when the
// system has no non-negative solution (which a true release never has).
func newTableau(n int, rows []lpRow) *tableau {
	m := len(rows)
	// Phase I works on a wider tableau with one artificial column per row.
	wide := n + m + 1
	a := make([]float64, (m+1)*wide)
	basis := make([]int, m)
	for i, r := range rows {
		sign := 1.0
		if r.rhs < 0 {
			sign = -1
		}
		row := a[i*wide : (i+1)*wide]
		scale := 0.0
		for _, t := range r.terms {
			scale = math.Max(scale, math.Abs(t.Coef))
		}
		if scale == 0 {
			scale = 1
		}
		for _, t := range r.terms {
			row[t.Var] += sign * t.Coef / scale
		}
		row[n+i] = 1
		row[wide-1] = sign * r.rhs / scale
		basis[i] = n + i
	}
	t := &tableau{m: m, n: n + m, w: wide, a: a, basis: basis}
	// Phase I objective: minimise the sum of the artificials, whose reduced
	// costs are zero and the structural ones' minus the column sums.
	obj := t.row(m)
	for i := 0; i < m; i++ {
		row := t.row(i)
		for j := 0; j < n; j++ {
			obj[j] -= row[j]
		}
		obj[wide-1] -= row[wide-1]
	}
	if !t.optimise(n + m) {
		return nil
	}
	if -obj[wide-1] > 1e-6 {
		return nil
	}
	// Drive the artificials still basic (at zero) out of the basis, or drop
	// their rows as redundant.
	for i := 0; i < m; i++ {
		if t.basis[i] < n {
			continue
		}
		row := t.row(i)
		q := -1
		for j := 0; j < n; j++ {
			if math.Abs(row[j]) > 1e-7 {
				q = j
				break
			}
		}
		if q < 0 {
			t.basis[i] = -1
			continue
		}
		t.pivot(i, q)
	}
	// Compact: keep the structural columns and the right-hand side.
	narrow := n + 1
	b := make([]float64, (m+1)*narrow)
	for i := 0; i <= m; i++ {
		copy(b[i*narrow:i*narrow+n], a[i*wide:i*wide+n])
		b[i*narrow+n] = a[i*wide+wide-1]
	}
	t.a, t.w, t.n = b, narrow, n
	return t
}

// lpRow is one equation Σ terms = rhs.
type lpRow struct {
	terms []Term
	rhs   float64
}

func (t *tableau) row(i int) []float64 { return t.a[i*t.w : (i+1)*t.w] }

// pivot makes column q basic in row r.
func (t *tableau) pivot(r, q int) {
	pr := t.row(r)
	p := pr[q]
	var nz []int
	for j, v := range pr {
		if v != 0 {
			pr[j] = v / p
			nz = append(nz, j)
		}
	}
	for i := 0; i <= t.m; i++ {
		if i == r {
			continue
		}
		row := t.row(i)
		f := row[q]
		if f == 0 {
			continue
		}
		for _, j := range nz {
			row[j] -= f * pr[j]
		}
		row[q] = 0
	}
	t.basis[r] = q
}

// optimise runs the simplex on the objective row over the first cols
// columns until no reduced cost is negative. It returns false when the
// objective is unbounded below. Dantzig's rule picks the entering column;
// after a run of degenerate pivots, Bland's rule takes over so that it
// cannot cycle.
func (t *tableau) optimise(cols int) bool {
	obj := t.row(t.m)
	rhs := t.w - 1
	degenerate := 0
	for iter := 0; iter < 50000; iter++ {
		q := -1
		best := -costTol
		for j := 0; j < cols; j++ {
			if obj[j] < best {
				if degenerate > 30 {
					q = j
					break
				}
				best, q = obj[j], j
			}
		}
		if q < 0 {
			return true
		}
		r := -1
		var ratio float64
		for i := 0; i < t.m; i++ {
			if t.basis[i] < 0 {
				continue
			}
			v := t.row(i)[q]
			if v <= pivotTol {
				continue
			}
			x := t.row(i)[rhs] / v
			if r < 0 || x < ratio-1e-12 || (x <= ratio+1e-12 && t.basis[i] < t.basis[r]) {
				r, ratio = i, x
			}
		}
		if r < 0 {
			return false
		}
		if ratio <= 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		t.pivot(r, q)
	}
	return true // iteration cap: the caller treats the bounds as found so far
}

// optimum minimises c·x (c over the structural columns) from the current
// basis and returns the minimum, or −Inf when it is unbounded.
func (t *tableau) optimum(c []float64) float64 {
	obj := t.row(t.m)
	copy(obj, c)
	obj[t.w-1] = 0
	for i := 0; i < t.m; i++ {
		q := t.basis[i]
		if q < 0 || c[q] == 0 {
			continue
		}
		f := c[q]
		row := t.row(i)
		for j, v := range row {
			if v != 0 {
				obj[j] -= f * v
			}
		}
	}
	if !t.optimise(t.n) {
		return math.Inf(-1)
	}
	return -obj[t.w-1]
}

// point returns the current basic solution.
func (t *tableau) point() []float64 {
	x := make([]float64, t.n)
	for i, q := range t.basis {
		if q >= 0 {
			x[q] = t.row(i)[t.w-1]
		}
	}
	return x
}
