package scorer

import "math"

// Default BM25 parameters.
const (
	DefaultK1 = 1.2
	DefaultB  = 0.75
)

// BM25 is Okapi BM25 prepared for one query: the terms, their IDFs and the length
// normalisation. Build it once per query with NewBM25 and call Score per candidate.
type BM25 struct {
	K1, B  float64
	Terms  []string
	IDF    []float64 // IDF[i] belongs to Terms[i]
	AvgLen float64   // average document length; ≤ 0 turns length normalisation off
}

// NewBM25 prepares BM25 for terms under the collection statistics stats. Statistics
// that do not add up (a term in more documents than the collection holds, an empty
// collection) are read as the smallest collection they are consistent with, so every
// IDF is finite and positive.
func NewBM25(terms []string, stats CorpusStats, k1, b float64) BM25 {
	m := BM25{K1: k1, B: b, Terms: terms, IDF: make([]float64, len(terms)), AvgLen: stats.AvgDocLength}
	for i, t := range terms {
		m.IDF[i] = IDF(stats.DocFreq[t], stats.Companies)
	}
	if math.IsNaN(m.AvgLen) || math.IsInf(m.AvgLen, 0) {
		m.AvgLen = 0
	}
	return m
}

// IDF is BM25's smoothed inverse document frequency ln(1 + (N − df + 0.5)/(df + 0.5)).
// It is positive for every df ≤ N, and safe for df = 0 or N = 0 (df > N is read as
// N = df).
func IDF(docFreq, companies int) float64 {
	df := float64(max(docFreq, 0))
	n := math.Max(float64(companies), df)
	return math.Log1p((n - df + 0.5) / (df + 0.5))
}

// SumIDF is the sum of the terms' IDFs: what a document scores that holds every term
// once at average length. It is the natural unit of a query's scores.
func (m *BM25) SumIDF() float64 {
	s := 0.0
	for _, v := range m.IDF {
		s += v
	}
	return s
}

// Score is the BM25 score of a document with the given per-term (decayed) frequencies
// and length. Terms are summed in query order, so equal inputs give bit-equal scores.
// Frequencies that are missing, non-positive or not finite count as zero.
func (m *BM25) Score(weights map[string]float64, docLength float64) float64 {
	if len(weights) == 0 {
		return 0
	}
	norm := 1.0
	if m.AvgLen > 0 && docLength > 0 && !math.IsInf(docLength, 0) {
		norm = 1 - m.B + m.B*docLength/m.AvgLen
	} else if m.AvgLen > 0 && !(docLength > 0) {
		norm = 1 - m.B
	}
	kn := m.K1 * norm
	s := 0.0
	for i, t := range m.Terms {
		tf, ok := weights[t]
		if !ok || !(tf > 0) || math.IsInf(tf, 0) {
			continue
		}
		s += m.IDF[i] * tf * (m.K1 + 1) / (tf + kn)
	}
	return s
}
