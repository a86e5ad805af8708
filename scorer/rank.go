package scorer

import (
	"context"
	"flag"
	"fmt"
	"math"
	"time"
)

// Config tunes the Engine. The zero value of a field means its default (DefaultConfig).
type Config struct {
	// PerTerm is how many top companies to read from each query term's index. A query
	// reads at least its limit per term.
	PerTerm int
	// MaxEvidence is the most signals (and evidence items) a lead carries.
	MaxEvidence int
	// DefaultLimit is the number of leads of a query without a limit.
	DefaultLimit int
	// MaxLimit caps a query's limit.
	MaxLimit int
	// K1 and B are the BM25 parameters.
	K1, B float64
	// IntentScale sets how fast intent saturates: score = fit·(1 − exp(−bm25/s)) with
	// s = IntentScale·ΣIDF of the query's terms, so a company whose text holds every
	// term once at average length has intent 1 − exp(−1/IntentScale).
	IntentScale float64
	// SoftMismatch multiplies fit for each filter implied by the prompt that a company
	// does not meet.
	SoftMismatch float64
	// UnknownFit multiplies fit for each filter a company's profile cannot be checked
	// against (no size, no industry, no location, no stack on record).
	UnknownFit float64
	// Decay is the freshness of evidence for confidence (its half-life is used).
	Decay Decay
	// Now is the clock used when a Query has no Now.
	Now func() time.Time
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		PerTerm:      1000,
		MaxEvidence:  5,
		DefaultLimit: 25,
		MaxLimit:     2000,
		K1:           DefaultK1,
		B:            DefaultB,
		IntentScale:  0.5,
		SoftMismatch: 0.5,
		UnknownFit:   0.8,
		Decay:        DefaultDecay(),
		Now:          time.Now,
	}
}

// RegisterFlags registers the scorer.* flags on fs, with c's values as defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := c.withDefaults()
	if c.Decay.Landmark.IsZero() {
		c.Decay.Landmark = d.Decay.Landmark
	}
	fs.IntVar(&c.PerTerm, "scorer.per-term", d.PerTerm, fmt.Sprintf("top companies read from each query term's index (default %d)", d.PerTerm))
	fs.IntVar(&c.MaxEvidence, "scorer.max-evidence", d.MaxEvidence, fmt.Sprintf("signals and evidence items per lead (default %d)", d.MaxEvidence))
	fs.IntVar(&c.DefaultLimit, "scorer.default-limit", d.DefaultLimit, fmt.Sprintf("leads returned when a query sets no limit (default %d)", d.DefaultLimit))
	fs.IntVar(&c.MaxLimit, "scorer.max-limit", d.MaxLimit, fmt.Sprintf("most leads one query can return (default %d)", d.MaxLimit))
	fs.Float64Var(&c.K1, "scorer.bm25-k1", d.K1, fmt.Sprintf("BM25 term-frequency saturation k1 (default %g)", d.K1))
	fs.Float64Var(&c.B, "scorer.bm25-b", d.B, fmt.Sprintf("BM25 length normalisation b, 0 to 1 (default %g)", d.B))
	fs.Float64Var(&c.IntentScale, "scorer.intent-scale", d.IntentScale, fmt.Sprintf("BM25 score, in units of the query's summed IDF, at which intent reaches 63%% (default %g)", d.IntentScale))
	fs.Float64Var(&c.SoftMismatch, "scorer.soft-mismatch", d.SoftMismatch, fmt.Sprintf("fit factor per prompt-implied filter a company misses, 0 to 1 (default %g)", d.SoftMismatch))
	fs.Float64Var(&c.UnknownFit, "scorer.unknown-fit", d.UnknownFit, fmt.Sprintf("fit factor per filter a company's profile cannot be checked against, 0 to 1 (default %g)", d.UnknownFit))
	fs.DurationVar(&c.Decay.HalfLife, "scorer.half-life", d.Decay.HalfLife, fmt.Sprintf("half-life of evidence freshness for confidence (default %s)", d.Decay.HalfLife))
}

// Validate reports the first setting out of range. Zero values are valid (defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.PerTerm < 1:
		return fmt.Errorf("scorer.per-term must be at least 1, got %d", c.PerTerm)
	case c.MaxEvidence < 1:
		return fmt.Errorf("scorer.max-evidence must be at least 1, got %d", c.MaxEvidence)
	case c.DefaultLimit < 1:
		return fmt.Errorf("scorer.default-limit must be at least 1, got %d", c.DefaultLimit)
	case c.MaxLimit < c.DefaultLimit:
		return fmt.Errorf("scorer.max-limit (%d) must be at least scorer.default-limit (%d)", c.MaxLimit, c.DefaultLimit)
	case !(c.K1 > 0) || math.IsInf(c.K1, 0):
		return fmt.Errorf("scorer.bm25-k1 must be positive, got %g", c.K1)
	case !(c.B >= 0 && c.B <= 1):
		return fmt.Errorf("scorer.bm25-b must be within [0, 1], got %g", c.B)
	case !(c.IntentScale > 0) || math.IsInf(c.IntentScale, 0):
		return fmt.Errorf("scorer.intent-scale must be positive, got %g", c.IntentScale)
	case !(c.SoftMismatch > 0 && c.SoftMismatch <= 1):
		return fmt.Errorf("scorer.soft-mismatch must be within (0, 1], got %g", c.SoftMismatch)
	case !(c.UnknownFit > 0 && c.UnknownFit <= 1):
		return fmt.Errorf("scorer.unknown-fit must be within (0, 1], got %g", c.UnknownFit)
	case c.Decay.HalfLife <= 0:
		return fmt.Errorf("scorer.half-life must be positive, got %s", c.Decay.HalfLife)
	}
	return nil
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.PerTerm == 0 {
		c.PerTerm = d.PerTerm
	}
	if c.MaxEvidence == 0 {
		c.MaxEvidence = d.MaxEvidence
	}
	if c.DefaultLimit == 0 {
		c.DefaultLimit = d.DefaultLimit
	}
	if c.MaxLimit == 0 {
		c.MaxLimit = max(d.MaxLimit, c.DefaultLimit)
	}
	if c.K1 == 0 {
		c.K1 = d.K1
	}
	if c.B == 0 {
		c.B = d.B
	}
	if c.IntentScale == 0 {
		c.IntentScale = d.IntentScale
	}
	if c.SoftMismatch == 0 {
		c.SoftMismatch = d.SoftMismatch
	}
	if c.UnknownFit == 0 {
		c.UnknownFit = d.UnknownFit
	}
	if c.Decay.HalfLife == 0 {
		c.Decay = d.Decay
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	return c
}

// Engine ranks companies for prompts. It holds no per-query state: one Engine serves
// concurrent Rank calls.
type Engine struct {
	r   Retriever
	cfg Config
}

// NewEngine returns an Engine reading candidates from r. Zero fields of cfg take their
// defaults; an invalid cfg (check it with Config.Validate first) or a nil r panics.
func NewEngine(r Retriever, cfg Config) *Engine {
	if r == nil {
		panic("scorer: NewEngine with a nil Retriever")
	}
	if err := cfg.Validate(); err != nil {
		panic("scorer: NewEngine: " + err.Error())
	}
	return &Engine{r: r, cfg: cfg.withDefaults()}
}

// Rank answers q: it parses the prompt, retrieves candidates for the product terms,
// drops those a hard filter excludes (an explicit filter they fail, an excluded domain
// or technology) and those without intent or evidence, scores the rest and returns the
// top q.Limit (default Config.DefaultLimit, at most Config.MaxLimit) best first, ties
// broken by domain.
//
// score = fit × (1 − exp(−bm25 / (IntentScale·ΣIDF))): intent grows monotonically with
// evidence and saturates below 1, fit (see Config) lowers it for firmographic
// mismatches. It is a ranking score in [0, 1], not yet a calibrated probability of
// purchase; calibration against outcomes comes with the full intent model.
//
// A prompt without product terms ("Find companies") gives an empty Result with the
// interpretation, not an error. Errors are the Retriever's, wrapped, or ctx's.
func (e *Engine) Rank(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	now := q.Now
	if now.IsZero() {
		now = e.cfg.Now()
	}
	parsed := ParsePrompt(q.Prompt)
	filters := newFilterSet(q.Filters, parsed.Interpretation, e.cfg.SoftMismatch, e.cfg.UnknownFit)
	res := Result{Interpretation: filters.effective}
	if len(parsed.Terms) == 0 {
		return res, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = e.cfg.DefaultLimit
	}
	limit = min(limit, e.cfg.MaxLimit)

	cands, stats, err := e.r.Retrieve(ctx, Retrieval{Terms: parsed.Terms, PerTerm: max(e.cfg.PerTerm, limit), Now: now})
	if err != nil {
		return res, fmt.Errorf("retrieve candidates: %w", err)
	}
	res.Candidates = len(cands)

	model := NewBM25(parsed.Terms, stats, e.cfg.K1, e.cfg.B)
	scale := e.cfg.IntentScale * model.SumIDF()
	top := newTopK(limit)
	for i := range cands {
		c := &cands[i]
		if len(c.Evidence) == 0 {
			continue
		}
		fit, ok := filters.fit(&c.Profile)
		if !ok {
			continue
		}
		intent := model.Score(c.TermWeights, c.DocLength)
		if !(intent > 0) || math.IsInf(intent, 0) {
			continue
		}
		res.TotalMatches++
		if top.full() && fit < top.worst() {
			continue // its score is below fit, so below every lead kept
		}
		top.push(scored{idx: i, score: fit * (1 - math.Exp(-intent/scale)), domain: c.Profile.Domain})
	}

	best := top.sorted()
	terms := make(map[string]float64, len(parsed.Terms))
	for i, t := range model.Terms {
		terms[t] = model.IDF[i]
	}
	x := explainer{terms: terms, max: e.cfg.MaxEvidence, halfLife: e.cfg.Decay.HalfLife, now: now}
	picker := newContactPicker(q.Filters.JobTitles, parsed.Terms)
	res.Leads = make([]Lead, len(best))
	for i, s := range best {
		c := &cands[s.idx]
		signals, evidence, confidence := x.explain(c.Evidence)
		res.Leads[i] = Lead{
			Profile:    c.Profile,
			Score:      s.score,
			Confidence: confidence,
			Contact:    picker.pick(c.Profile.Contacts),
			Signals:    signals,
			Evidence:   evidence,
		}
	}
	return res, nil
}
