package geo

// kdTree is a static k-d tree over n points of dim coordinates each. It is
// stored implicitly: the points are permuted so that the median of every
// range [lo, hi) sits at (lo+hi)/2 and splits that range on axis depth%dim.
// No node structs, no pointers: 4 bytes of id plus dim float64s a point.
type kdTree struct {
	dim    int
	coords []float64 // len n*dim, in tree order
	ids    []int32   // ids[i] is the caller's index of the point at tree position i
}

func newKDTree(dim int, coords []float64) *kdTree {
	n := len(coords) / dim
	t := &kdTree{dim: dim, coords: coords, ids: make([]int32, n)}
	for i := range t.ids {
		t.ids[i] = int32(i)
	}
	t.build(0, n, 0)
	return t
}

func (t *kdTree) len() int { return len(t.ids) }

func (t *kdTree) at(i, axis int) float64 { return t.coords[i*t.dim+axis] }

func (t *kdTree) swap(i, j int) {
	t.ids[i], t.ids[j] = t.ids[j], t.ids[i]
	d := t.dim
	for a := 0; a < d; a++ {
		t.coords[i*d+a], t.coords[j*d+a] = t.coords[j*d+a], t.coords[i*d+a]
	}
}

func (t *kdTree) build(lo, hi, depth int) {
	for hi-lo > 1 {
		axis := depth % t.dim
		mid := (lo + hi) / 2
		t.selectNth(lo, hi, mid, axis)
		t.build(lo, mid, depth+1)
		lo, depth = mid+1, depth+1
	}
}

// selectNth reorders [lo, hi) so that position k holds the value it would
// hold if the range were sorted on axis, with no greater value before it and
// no smaller after. Three-way partitioning keeps runs of equal coordinates
// (many centres on one street) linear.
func (t *kdTree) selectNth(lo, hi, k, axis int) {
	for hi-lo > 1 {
		// Median of three as the pivot: deterministic and good on sorted input.
		a, b, c := lo, (lo+hi)/2, hi-1
		va, vb, vc := t.at(a, axis), t.at(b, axis), t.at(c, axis)
		pivot := vb
		if (va <= vb) == (vb <= vc) {
			pivot = vb
		} else if (vb <= va) == (va <= vc) {
			pivot = va
		} else {
			pivot = vc
		}
		lt, i, gt := lo, lo, hi
		for i < gt {
			v := t.at(i, axis)
			switch {
			case v < pivot:
				t.swap(lt, i)
				lt++
				i++
			case v > pivot:
				gt--
				t.swap(i, gt)
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return
		}
	}
}

// rangeSearch calls fn for every point with min[a] <= coord[a] <= max[a] on
// every axis a.
func (t *kdTree) rangeSearch(min, max []float64, fn func(id int32)) {
	t.rangeRec(0, t.len(), 0, min, max, fn)
}

func (t *kdTree) rangeRec(lo, hi, depth int, min, max []float64, fn func(id int32)) {
	for lo < hi {
		mid := (lo + hi) / 2
		axis := depth % t.dim
		inside := true
		for a := 0; a < t.dim; a++ {
			v := t.at(mid, a)
			if v < min[a] || v > max[a] {
				inside = false
				break
			}
		}
		if inside {
			fn(t.ids[mid])
		}
		split := t.at(mid, axis)
		goLeft := min[axis] <= split
		goRight := max[axis] >= split
		switch {
		case goLeft && goRight:
			t.rangeRec(lo, mid, depth+1, min, max, fn)
			lo, depth = mid+1, depth+1
		case goLeft:
			hi, depth = mid, depth+1
		case goRight:
			lo, depth = mid+1, depth+1
		default:
			return
		}
	}
}

// knn keeps the k candidates with the smallest squared Euclidean distance to
// q, among points that keep accepts and that lie within maxSq. The result is
// a max-heap on distance; callers sort it.
type knn struct {
	t     *kdTree
	q     [3]float64 // the query's unit vector (the tree has three dimensions)
	k     int
	maxSq float64
	keep  func(i int) bool
	heap  []kdHit
}

type kdHit struct {
	id int32
	d2 float64
}

func (s *knn) worst() float64 {
	if len(s.heap) < s.k {
		return s.maxSq
	}
	return s.heap[0].d2
}

func (s *knn) push(h kdHit) {
	if len(s.heap) < s.k {
		s.heap = append(s.heap, h)
		// sift up
		i := len(s.heap) - 1
		for i > 0 {
			p := (i - 1) / 2
			if s.heap[p].d2 >= s.heap[i].d2 {
				break
			}
			s.heap[p], s.heap[i] = s.heap[i], s.heap[p]
			i = p
		}
		return
	}
	s.heap[0] = h
	// sift down
	i, n := 0, len(s.heap)
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && s.heap[l].d2 > s.heap[m].d2 {
			m = l
		}
		if r < n && s.heap[r].d2 > s.heap[m].d2 {
			m = r
		}
		if m == i {
			return
		}
		s.heap[m], s.heap[i] = s.heap[i], s.heap[m]
		i = m
	}
}

func (s *knn) search(lo, hi, depth int) {
	for lo < hi {
		mid := (lo + hi) / 2
		axis := depth % s.t.dim
		var d2 float64
		for a := 0; a < s.t.dim; a++ {
			d := s.t.at(mid, a) - s.q[a]
			d2 += d * d
		}
		if d2 <= s.worst() && (s.keep == nil || s.keep(int(s.t.ids[mid]))) {
			s.push(kdHit{id: s.t.ids[mid], d2: d2})
		}
		diff := s.q[axis] - s.t.at(mid, axis)
		nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
		if diff > 0 {
			nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
		}
		s.search(nearLo, nearHi, depth+1)
		if diff*diff > s.worst() {
			return
		}
		lo, hi, depth = farLo, farHi, depth+1
	}
}
