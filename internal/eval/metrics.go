package eval

import (
	"math"

	"github.com/leadpoet/leadpoet/scorer"
)

// The ranking metrics take a ranked list of domains, best first, and the set of
// relevant domains (binary relevance). A domain listed twice counts at its first
// position only. With no relevant domains, recall and NDCG are 0.

// PrecisionAt is the share of the first k positions that hold a relevant domain.
// A list shorter than k is padded with misses.
func PrecisionAt(ranked []string, relevant map[string]bool, k int) float64 {
	if k <= 0 {
		return 0
	}
	return float64(hitsAt(ranked, relevant, k)) / float64(k)
}

// RecallAt is the share of the relevant domains found in the first k positions.
func RecallAt(ranked []string, relevant map[string]bool, k int) float64 {
	if k <= 0 || len(relevant) == 0 {
		return 0
	}
	return float64(hitsAt(ranked, relevant, k)) / float64(len(relevant))
}

// NDCGAt is the normalised discounted cumulative gain of the first k positions:
// the sum of 1/log2(i+1) over the positions i (from 1) that hold a relevant domain,
// divided by the same sum for a list that puts min(k, relevant) relevant domains
// first.
func NDCGAt(ranked []string, relevant map[string]bool, k int) float64 {
	if k <= 0 || len(relevant) == 0 {
		return 0
	}
	seen := make(map[string]bool, min(k, len(ranked)))
	dcg := 0.0
	for i, d := range ranked[:min(k, len(ranked))] {
		if seen[d] {
			continue
		}
		seen[d] = true
		if relevant[d] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	ideal := 0.0
	for i := range min(k, len(relevant)) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	return dcg / ideal
}

// PrecisionCeiling is the best precision@k any ranking can reach with this many
// relevant domains.
func PrecisionCeiling(relevant, k int) float64 {
	if k <= 0 {
		return 0
	}
	return float64(min(relevant, k)) / float64(k)
}

// hitsAt counts the distinct relevant domains among the first k positions.
func hitsAt(ranked []string, relevant map[string]bool, k int) int {
	seen := make(map[string]bool, min(k, len(ranked)))
	hits := 0
	for _, d := range ranked[:min(k, len(ranked))] {
		if !seen[d] && relevant[d] {
			hits++
		}
		seen[d] = true
	}
	return hits
}

// Calibration says how well scores behave as probabilities: of the leads scored
// about p, a share of about p should be relevant.
type Calibration struct {
	Leads     int     `json:"leads"`
	MeanScore float64 `json:"mean_score"`
	Relevant  float64 `json:"relevant_share"`
	// Brier is the mean squared difference between score and outcome (0 or 1).
	Brier float64 `json:"brier"`
	// ECE is the expected calibration error: over the Bins, the lead-weighted mean of
	// |mean score − relevant share|.
	ECE  float64    `json:"ece"`
	Bins []CalibBin `json:"bins"`
	// PlattA and PlattB are the calibration scorer.FitPlatt fits to these leads:
	// (1, 0) means the scores need no rescaling.
	PlattA float64 `json:"platt_a"`
	PlattB float64 `json:"platt_b"`
}

// CalibBin is one score interval [Lo, Hi) of a Calibration (the last one holds 1).
type CalibBin struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Leads     int     `json:"leads"`
	MeanScore float64 `json:"mean_score"`
	Relevant  float64 `json:"relevant_share"`
}

// calibrationBins is the number of equal-width score intervals of a Calibration.
const calibrationBins = 10

// Calibrate measures the calibration of scores in [0, 1] against their outcomes.
func Calibrate(scores []float64, relevant []bool) Calibration {
	n := min(len(scores), len(relevant))
	c := Calibration{Leads: n, PlattA: 1}
	if n == 0 {
		return c
	}
	c.Bins = make([]CalibBin, calibrationBins)
	for i := range c.Bins {
		c.Bins[i].Lo = float64(i) / calibrationBins
		c.Bins[i].Hi = float64(i+1) / calibrationBins
	}
	for i := range n {
		s := min(max(scores[i], 0), 1)
		y := 0.0
		if relevant[i] {
			y = 1
		}
		c.MeanScore += s
		c.Relevant += y
		c.Brier += (s - y) * (s - y)
		b := &c.Bins[min(int(s*calibrationBins), calibrationBins-1)]
		b.Leads++
		b.MeanScore += s
		b.Relevant += y
	}
	for i := range c.Bins {
		b := &c.Bins[i]
		if b.Leads > 0 {
			b.MeanScore /= float64(b.Leads)
			b.Relevant /= float64(b.Leads)
			c.ECE += float64(b.Leads) * math.Abs(b.MeanScore-b.Relevant)
		}
	}
	c.MeanScore /= float64(n)
	c.Relevant /= float64(n)
	c.Brier /= float64(n)
	c.ECE /= float64(n)
	c.PlattA, c.PlattB = scorer.FitPlatt(scores[:n], relevant[:n])
	return c
}
