package indicators

import (
	"math"
	"sort"
)

// rowSpace is the span of a set of linear equations over the unknowns,
// kept in reduced echelon form by Gaussian elimination (sparse rows). A
// cell whose terms lie in the span is implied exactly by the equations,
// whatever the bounds: the linear-algebra half of the audit, as in
// Gaussian-elimination suppression.
type rowSpace struct {
	pivots map[int]map[int]float64 // pivot unknown → row (coefficient 1 on the pivot)
}

func newRowSpace() *rowSpace { return &rowSpace{pivots: map[int]map[int]float64{}} }

// reduce eliminates every pivot unknown from row, in place.
func (s *rowSpace) reduce(row map[int]float64) {
	for changed := true; changed; {
		changed = false
		for v, a := range row {
			p, ok := s.pivots[v]
			if !ok || a == 0 {
				continue
			}
			for u, b := range p {
				x := row[u] - a*b
				if math.Abs(x) < 1e-9 {
					delete(row, u)
				} else {
					row[u] = x
				}
			}
			changed = true
		}
	}
}

// add puts the equation terms into the span.
func (s *rowSpace) add(terms []Term) {
	row := toRow(terms)
	s.reduce(row)
	if len(row) == 0 {
		return
	}
	keys := make([]int, 0, len(row))
	for v := range row {
		keys = append(keys, v)
	}
	sort.Ints(keys)
	pv := keys[0]
	for _, v := range keys {
		if math.Abs(row[v]) > math.Abs(row[pv])+1e-12 {
			pv = v
		}
	}
	a := row[pv]
	for v := range row {
		row[v] /= a
	}
	// Keep the form reduced: eliminate the new pivot from the other rows.
	for _, p := range s.pivots {
		if b, ok := p[pv]; ok {
			for u, c := range row {
				x := p[u] - b*c
				if math.Abs(x) < 1e-9 {
					delete(p, u)
				} else {
					p[u] = x
				}
			}
		}
	}
	s.pivots[pv] = row
}

// implies reports whether terms lie in the span.
func (s *rowSpace) implies(terms []Term) bool {
	row := toRow(terms)
	s.reduce(row)
	return len(row) == 0
}

func toRow(terms []Term) map[int]float64 {
	row := map[int]float64{}
	for _, t := range terms {
		row[t.Var] += t.Coef
	}
	for v, a := range row {
		if a == 0 {
			delete(row, v)
		}
	}
	return row
}
