package eval

import (
	"math"
	"testing"
)

func TestMetrics(t *testing.T) {
	set := func(ds ...string) map[string]bool {
		m := map[string]bool{}
		for _, d := range ds {
			m[d] = true
		}
		return m
	}
	// 1/log2(i+1) for positions 1..3: 1, 0.63093, 0.5.
	g1, g2, g3 := 1.0, 1/math.Log2(3), 0.5
	ranked := []string{"a", "b", "c", "d", "e"}
	rel := set("a", "c", "x") // x is never returned
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"precision@1", PrecisionAt(ranked, rel, 1), 1},
		{"precision@2", PrecisionAt(ranked, rel, 2), 0.5},
		{"precision@5", PrecisionAt(ranked, rel, 5), 0.4},
		{"precision@10 pads a short list with misses", PrecisionAt(ranked, rel, 10), 0.2},
		{"precision@0", PrecisionAt(ranked, rel, 0), 0},
		{"recall@2", RecallAt(ranked, rel, 2), 1.0 / 3},
		{"recall@5", RecallAt(ranked, rel, 5), 2.0 / 3},
		{"recall without relevant", RecallAt(ranked, set(), 5), 0},
		// DCG 1 + 1/log2(4); ideal: three relevant first.
		{"ndcg@5", NDCGAt(ranked, rel, 5), (g1 + g3) / (g1 + g2 + g3)},
		// Ideal of two positions: both relevant.
		{"ndcg@2", NDCGAt(ranked, rel, 2), g1 / (g1 + g2)},
		{"ndcg of a perfect ranking", NDCGAt([]string{"c", "a", "x", "b"}, rel, 5), 1},
		{"ndcg with the only relevant last of 3", NDCGAt([]string{"b", "d", "a"}, set("a"), 3), g3},
		{"ndcg without relevant", NDCGAt(ranked, set(), 5), 0},
		{"ndcg of nothing", NDCGAt(nil, rel, 5), 0},
		// A repeated domain counts at its first position only.
		{"precision with a duplicate", PrecisionAt([]string{"a", "a", "c"}, set("a", "c"), 3), 2.0 / 3},
		{"ndcg with a duplicate", NDCGAt([]string{"a", "a", "c"}, set("a", "c"), 3), (g1 + g3) / (g1 + g2)},
		{"recall with a duplicate", RecallAt([]string{"a", "a"}, set("a", "c"), 2), 0.5},
		{"ceiling with few relevant", PrecisionCeiling(10, 25), 0.4},
		{"ceiling with many relevant", PrecisionCeiling(40, 25), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.Abs(tt.got-tt.want) > 1e-12 {
				t.Errorf("got %.6f, want %.6f", tt.got, tt.want)
			}
		})
	}
}
