package scorer

import (
	"fmt"
	"math"
)

// Model holds the coefficients of the intent model: the logit of a company buying is
//
//	z = Bias + Strength·strength + Surge·surge + Diversity·diversity + Fit·ln(fit)
//	    + Tech·tech + Stage·stage
//
// and its score is σ(z) after calibration (see Platt). The features, each computed from
// what the online store holds for the company and the query:
//
//   - strength in [0, 1.25]: how much recent (30-day decayed, kind- and action-weighted)
//     evidence the company has for the product. It is the larger of the BM25 score of the
//     prompt's product terms (divided by its maximum, so 1 is "every term, saturated")
//     and the saturated weight of the product's taxonomy topics (the topic term
//     "topic:<id>" or the best of the topic's synonym and vendor terms, averaged over
//     the topics by match score), plus a quarter of the smaller one.
//   - surge in [0, 1]: the company's recent interest against its own long-run level:
//     r = Σ idf·weight₃₀ / Σ idf·weight₁₈₀ over the query's terms (decays of 30 and 180
//     days) is 1/6 for a steady rate and 1 for interest that is all new; surge =
//     (r − 1/6)/(5/6). A company with steady background noise has surge ≈ 0.
//   - diversity in {0, 1, 2, 3}: the kinds of relevant evidence (job, site, activity,
//     tech; an added technology does not count) in the last 30 days, minus one.
//   - fit in (0, 1]: the firmographic fit (Config.SoftMismatch, Config.UnknownFit).
//   - tech in [−1.5, 1]: the company's stack against the product's category: +1 when
//     it removed a vendor of the category in the last 120 days; −1.5 when it added one
//     in the last 45 days (it just bought, and the addition itself reads as interest); −0.7 when it has run one longer, unless churn
//     signals (a removal, a comparison or pricing view of the category in the last 60
//     days) lift it to 0; +0.3 for users of a vendor the prompt names ("a Zendesk
//     alternative") or of a technology it asks for; 0 otherwise.
//   - stage in {0, 0.5, 1}: the latest buying stage of relevant research in the last
//     30 days: 1 for a demo request, free trial or pricing view, 0.5 for a comparison
//     or review view.
//
// The defaults were set by hand so that, on synthetic worlds with known buyers, fresh
// evidence of several kinds outranks more but steady evidence, a removed competitor
// outranks none and a long-running vendor lowers intent; fit them to outcomes with
// FitPlatt, which rescales the whole logit.
type Model struct {
	Bias, Strength, Surge, Diversity, Fit, Tech, Stage float64
}

// DefaultModel returns the default coefficients.
func DefaultModel() Model {
	return Model{Bias: -3.4, Strength: 4.0, Surge: 3.5, Diversity: 0.5, Fit: 5.0, Tech: 1.5, Stage: 0.8}
}

// features are a candidate's model inputs.
type features struct {
	strength, surge, diversity, fit, tech, stage float64
}

// logit is z for f.
func (m *Model) logit(f *features) float64 {
	z := m.linear(f)
	if f.fit != 1 {
		z += m.Fit * math.Log(f.fit)
	}
	return z
}

// linear is z for f without the fit term.
func (m *Model) linear(f *features) float64 {
	return m.Bias + m.Strength*f.strength + m.Surge*f.surge + m.Diversity*f.diversity + m.Tech*f.tech + m.Stage*f.stage
}

func (m Model) validate() error {
	for _, v := range [...]float64{m.Bias, m.Strength, m.Surge, m.Diversity, m.Fit, m.Tech, m.Stage} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("scorer model coefficients must be finite, got %+v", m)
		}
	}
	if m.Strength <= 0 || m.Surge < 0 || m.Diversity < 0 || m.Fit < 0 || m.Tech < 0 || m.Stage < 0 {
		return fmt.Errorf("scorer model coefficients of strength must be positive and the others non-negative, got %+v", m)
	}
	return nil
}

// Platt is the calibration of the model's logit z into a probability: σ(A·z + B).
// The identity is A = 1, B = 0; fit A and B from labelled outcomes with FitPlatt.
type Platt struct {
	A, B float64
}

// DefaultPlatt is the calibration fitted (FitPlatt) to every lead the default model
// returned for the tuning prompts and the held-out prompts of the "standard"
// evaluation world (10,000 companies, seed 1): the raw logit is overconfident, so the
// slope is below 1. The held-out world family is never used to fit it.
func DefaultPlatt() Platt { return Platt{A: 0.62, B: -1.13} }

// Calibrate returns σ(A·z + B). A zero Platt is the identity.
func (p Platt) Calibrate(z float64) float64 {
	if p.A == 0 && p.B == 0 {
		return sigmoid(z)
	}
	return sigmoid(p.A*z + p.B)
}

func sigmoid(z float64) float64 {
	return 1 / (1 + math.Exp(-z))
}

// logitOf is the inverse of sigmoid, with p clamped away from 0 and 1.
func logitOf(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

// FitPlatt fits Platt scaling to labelled outcomes: scores are lead scores the engine
// returned under the identity calibration (σ(z)), labels whether each company bought
// (or became an opportunity). It returns A and B such that σ(A·logit(score) + B) is the
// calibrated probability; set them as Config.Platt. It maximises the likelihood with
// Platt's smoothed targets ((n₊+1)/(n₊+2) and 1/(n₋+2)), by Newton's method. With no
// scores, or labels of one kind only, it returns the identity (1, 0).
func FitPlatt(scores []float64, labels []bool) (a, b float64) {
	n := min(len(scores), len(labels))
	pos := 0
	for i := range n {
		if labels[i] {
			pos++
		}
	}
	neg := n - pos
	if pos == 0 || neg == 0 {
		return 1, 0
	}
	hi, lo := (float64(pos)+1)/(float64(pos)+2), 1/(float64(neg)+2)
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range n {
		x[i] = logitOf(scores[i])
		y[i] = lo
		if labels[i] {
			y[i] = hi
		}
	}
	a, b = 1, 0
	const sigma = 1e-12 // keeps the Hessian invertible
	for range 100 {
		var g1, g2, h11, h22, h21 float64
		for i := range n {
			p := sigmoid(a*x[i] + b)
			d := p - y[i]
			w := p * (1 - p)
			g1 += d * x[i]
			g2 += d
			h11 += w * x[i] * x[i]
			h22 += w
			h21 += w * x[i]
		}
		h11 += sigma
		h22 += sigma
		det := h11*h22 - h21*h21
		if det <= 0 || math.IsNaN(det) {
			break
		}
		da := (h22*g1 - h21*g2) / det
		db := (h11*g2 - h21*g1) / det
		// Halve the step until the likelihood does not get worse.
		step := 1.0
		cur := plattLoss(x, y, a, b)
		for step > 1e-6 && plattLoss(x, y, a-step*da, b-step*db) > cur+1e-12 {
			step /= 2
		}
		a -= step * da
		b -= step * db
		if math.Abs(step*da) < 1e-10 && math.Abs(step*db) < 1e-10 {
			break
		}
	}
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return 1, 0
	}
	return a, b
}

// plattLoss is the cross-entropy of σ(a·x + b) against the targets y.
func plattLoss(x, y []float64, a, b float64) float64 {
	loss := 0.0
	for i := range x {
		z := a*x[i] + b
		// log(1+e^z) − y·z, computed stably.
		if z > 0 {
			loss += z + math.Log1p(math.Exp(-z)) - y[i]*z
		} else {
			loss += math.Log1p(math.Exp(z)) - y[i]*z
		}
	}
	return loss
}
