package scorer

import (
	"math"
	"testing"
)

func TestIDF(t *testing.T) {
	tests := []struct {
		name      string
		df, n     int
		wantAbove float64
	}{
		{"rare term", 1, 1000, 6},
		{"common term", 900, 1000, 0},
		{"every document", 1000, 1000, 0},
		{"no document frequency", 0, 1000, 7},
		{"empty collection", 0, 0, 0},
		{"df above N", 10, 5, 0},
		{"negative df", -3, 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IDF(tt.df, tt.n)
			if !(got > tt.wantAbove) || math.IsInf(got, 0) {
				t.Errorf("IDF(%d, %d) = %g, want finite and above %g", tt.df, tt.n, got, tt.wantAbove)
			}
		})
	}
	if IDF(1, 1000) <= IDF(10, 1000) {
		t.Error("a rarer term must weigh more")
	}
}

func TestBM25Ordering(t *testing.T) {
	stats := CorpusStats{Companies: 1000, DocFreq: map[string]int{"crm": 20, "software": 600}, AvgDocLength: 100}
	m := NewBM25([]string{"crm", "software"}, stats, DefaultK1, DefaultB)
	score := func(w map[string]float64, dl float64) float64 { return m.Score(w, dl) }

	tests := []struct {
		name          string
		better, worse float64
	}{
		{"more occurrences score higher",
			score(map[string]float64{"crm": 3}, 100), score(map[string]float64{"crm": 1}, 100)},
		{"a rare term beats a common one",
			score(map[string]float64{"crm": 1}, 100), score(map[string]float64{"software": 1}, 100)},
		{"more matching terms score higher",
			score(map[string]float64{"crm": 1, "software": 1}, 100), score(map[string]float64{"crm": 1}, 100)},
		{"a shorter document scores higher",
			score(map[string]float64{"crm": 2}, 50), score(map[string]float64{"crm": 2}, 400)},
	}
	for _, tt := range tests {
		if !(tt.better > tt.worse) {
			t.Errorf("%s: %g is not above %g", tt.name, tt.better, tt.worse)
		}
	}

	// Term frequency saturates: the gain of each extra occurrence shrinks, and the score
	// stays below IDF·(k1+1).
	a, b, c := score(map[string]float64{"crm": 1}, 100), score(map[string]float64{"crm": 2}, 100), score(map[string]float64{"crm": 3}, 100)
	if !(b-a > c-b) {
		t.Errorf("no saturation: %g, %g, %g", a, b, c)
	}
	if huge := score(map[string]float64{"crm": 1e9}, 100); huge >= m.IDF[0]*(DefaultK1+1) {
		t.Errorf("score %g reaches the bound %g", huge, m.IDF[0]*(DefaultK1+1))
	}
	// At average length a single occurrence scores exactly its IDF.
	if got := score(map[string]float64{"crm": 1}, 100); math.Abs(got-m.IDF[0]) > 1e-12 {
		t.Errorf("one occurrence at average length = %g, want IDF %g", got, m.IDF[0])
	}
}

func TestBM25BadInput(t *testing.T) {
	m := NewBM25([]string{"crm"}, CorpusStats{}, DefaultK1, DefaultB)
	tests := []struct {
		name string
		w    map[string]float64
		dl   float64
	}{
		{"nil weights", nil, 10},
		{"other terms only", map[string]float64{"erp": 3}, 10},
		{"zero", map[string]float64{"crm": 0}, 10},
		{"negative", map[string]float64{"crm": -1}, 10},
		{"NaN", map[string]float64{"crm": math.NaN()}, 10},
		{"Inf", map[string]float64{"crm": math.Inf(1)}, 10},
	}
	for _, tt := range tests {
		if got := m.Score(tt.w, tt.dl); got != 0 {
			t.Errorf("%s: Score = %g, want 0", tt.name, got)
		}
	}
	for _, dl := range []float64{0, -5, math.NaN(), math.Inf(1)} {
		got := m.Score(map[string]float64{"crm": 1}, dl)
		if !(got > 0) || math.IsInf(got, 0) {
			t.Errorf("DocLength %g: Score = %g, want finite and positive", dl, got)
		}
	}
	m2 := NewBM25([]string{"crm"}, CorpusStats{Companies: 10, DocFreq: map[string]int{"crm": 2}, AvgDocLength: math.NaN()}, DefaultK1, DefaultB)
	if got := m2.Score(map[string]float64{"crm": 1}, 10); !(got > 0) || math.IsInf(got, 0) {
		t.Errorf("NaN average length: Score = %g", got)
	}
}
