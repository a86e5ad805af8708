package scorer

import (
	"math"
	"time"
)

// Decay is exponential time decay kept in "forward" form: a signal observed at t is
// stored once with weight w·2^((t−Landmark)/HalfLife), and a stored sum is read as of now
// by multiplying with 2^(−(now−Landmark)/HalfLife). Sums therefore never need a periodic
// rewrite, and adding a signal is a single increment.
type Decay struct {
	HalfLife time.Duration
	Landmark time.Time
}

// DefaultDecay is the decay of intent evidence: a 30-day half-life from a fixed landmark.
func DefaultDecay() Decay {
	return Decay{HalfLife: 30 * 24 * time.Hour, Landmark: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// Forward returns the stored weight of w observed at t.
func (d Decay) Forward(w float64, t time.Time) float64 {
	return w * math.Exp2(t.Sub(d.Landmark).Hours()/d.HalfLife.Hours())
}

// At converts a stored forward-decayed sum into its value as of now.
func (d Decay) At(stored float64, now time.Time) float64 {
	return stored * math.Exp2(-now.Sub(d.Landmark).Hours()/d.HalfLife.Hours())
}

// BaselineDecay is the slow decay of a company's long-run interest: a 180-day
// half-life. Intent that is high under DefaultDecay and low under BaselineDecay is a
// surge.
func BaselineDecay() Decay {
	return Decay{HalfLife: 180 * 24 * time.Hour, Landmark: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}
