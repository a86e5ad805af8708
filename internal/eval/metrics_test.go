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

func TestCalibrate(t *testing.T) {
	// Scores of 0.05, 0.15, … 0.95, 1,000 leads each, with exactly that share relevant.
	var scores []float64
	var relevant []bool
	for b := range 10 {
		p := (float64(b) + 0.5) / 10
		for i := range 1000 {
			scores = append(scores, p)
			relevant = append(relevant, float64(i) < p*1000)
		}
	}
	c := Calibrate(scores, relevant)
	if c.Leads != 10000 || math.Abs(c.MeanScore-0.5) > 1e-9 || math.Abs(c.Relevant-0.5) > 1e-9 {
		t.Fatalf("leads %d, mean score %g, relevant %g", c.Leads, c.MeanScore, c.Relevant)
	}
	if c.ECE > 1e-9 {
		t.Errorf("ECE of calibrated scores = %g, want 0", c.ECE)
	}
	if math.Abs(c.PlattA-1) > 0.05 || math.Abs(c.PlattB) > 0.05 {
		t.Errorf("Platt fit of calibrated scores = %g, %g; want about 1, 0", c.PlattA, c.PlattB)
	}
	for i, b := range c.Bins {
		if b.Leads != 1000 {
			t.Errorf("bin %d holds %d leads, want 1000", i, b.Leads)
		}
	}

	// The same outcomes scored overconfidently: 0.05 → 0.005, 0.95 → 0.995.
	over := make([]float64, len(scores))
	for i, s := range scores {
		over[i] = 1 / (1 + math.Exp(-2*math.Log(s/(1-s))))
	}
	o := Calibrate(over, relevant)
	if o.ECE < 0.05 {
		t.Errorf("ECE of overconfident scores = %g, want well above 0", o.ECE)
	}
	if math.Abs(o.PlattA-0.5) > 0.05 {
		t.Errorf("Platt slope for scores twice too steep = %g, want about 0.5", o.PlattA)
	}
	if e := Calibrate(nil, nil); e.Leads != 0 || e.ECE != 0 || e.PlattA != 1 {
		t.Errorf("empty calibration = %+v", e)
	}
}
