package scorer

import "math"

// scored is one candidate that passed the filters, with what ranking computed for it.
type scored struct {
	idx    int // index into the retrieved candidates
	score  float64
	domain string
	facts  evidenceFacts // what its evidence says, once scored exactly
}

// better reports whether a ranks above b: higher score, then the smaller domain, so
// the order is total and the same on every run.
func better(a, b *scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.domain < b.domain
}

// topK keeps the k best items pushed into it: a bounded min-heap whose root is the
// worst item kept, so each push is O(log k) and a push that cannot enter is O(1).
type topK struct {
	k    int
	heap []scored
}

func newTopK(k int) *topK {
	return &topK{k: k, heap: make([]scored, 0, min(k, 1024))}
}

func (t *topK) push(s scored) {
	if t.k <= 0 {
		return
	}
	if len(t.heap) < t.k {
		t.heap = append(t.heap, s)
		t.up(len(t.heap) - 1)
		return
	}
	if !better(&s, &t.heap[0]) {
		return
	}
	t.heap[0] = s
	t.down(0)
}

// full reports whether k items are kept, so a new one must beat worst() to enter.
func (t *topK) full() bool { return len(t.heap) >= t.k }

// worst is the lowest score kept; only call it when full.
func (t *topK) worst() float64 {
	if len(t.heap) == 0 {
		return math.Inf(1)
	}
	return t.heap[0].score
}

// sorted empties the heap and returns its items best first.
func (t *topK) sorted() []scored {
	out := make([]scored, len(t.heap))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = t.heap[0]
		last := len(t.heap) - 1
		t.heap[0] = t.heap[last]
		t.heap = t.heap[:last]
		if last > 0 {
			t.down(0)
		}
	}
	return out
}

// worse is the heap order: the root is the item every other item is better than.
func (t *topK) worse(i, j int) bool {
	return better(&t.heap[j], &t.heap[i])
}

func (t *topK) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.worse(i, p) {
			return
		}
		t.heap[i], t.heap[p] = t.heap[p], t.heap[i]
		i = p
	}
}

func (t *topK) down(i int) {
	n := len(t.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && t.worse(r, l) {
			m = r
		}
		if !t.worse(m, i) {
			return
		}
		t.heap[i], t.heap[m] = t.heap[m], t.heap[i]
		i = m
	}
}

// kthBest keeps the k largest values pushed into it, to tell the k-th largest: a
// bounded min-heap of values. The zero value of k keeps none.
type kthBest struct {
	k    int
	heap []float64
}

func newKthBest(k int) kthBest {
	return kthBest{k: k, heap: make([]float64, 0, min(max(k, 0), 1024))}
}

func (t *kthBest) push(v float64) {
	if t.k <= 0 || v != v { // a NaN has no place in the order
		return
	}
	h := t.heap
	if len(h) < t.k {
		h = append(h, v)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !(h[i] < h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		t.heap = h
		return
	}
	if !(v > h[0]) {
		return
	}
	h[0] = v
	for i := 0; ; {
		m, l := i, 2*i+1
		if l < len(h) && h[l] < h[m] {
			m = l
		}
		if r := l + 1; r < len(h) && h[r] < h[m] {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// full reports whether k values were pushed (and k > 0).
func (t *kthBest) full() bool { return t.k > 0 && len(t.heap) >= t.k }

// kth is the k-th largest value pushed; only call it when full.
func (t *kthBest) kth() float64 { return t.heap[0] }
