package eval

import "math"

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
