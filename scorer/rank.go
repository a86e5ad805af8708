package scorer

import (
	"context"
	"flag"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"
)

// Config tunes the Engine. The zero value of a field means its default (DefaultConfig).
type Config struct {
	// PerTerm is how many top companies to read from each query term's index. A query
	// reads at least its limit per term; a query of more than 8 terms reads
	// PerTerm·8/terms per term, so that one query reads about 8·PerTerm index entries.
	PerTerm int
	// Shortlist is how many candidates of the index heads a query reads in full
	// (profile, evidence, stack, every term weight): those ranking highest on the
	// strength their head weights show (see Retrieval.Prescore), at least four times
	// the query's limit. Negative reads every candidate in full.
	Shortlist int
	// RecordCacheSize is how many decoded company records are kept between queries
	// (see RecordCache); negative keeps none.
	RecordCacheSize int
	// RecordCacheTTL is the longest a cached record is served after it was read.
	RecordCacheTTL time.Duration
	// MaxEvidence is the most signals (and evidence items) a lead carries.
	MaxEvidence int
	// DefaultLimit is the number of leads of a query without a limit.
	DefaultLimit int
	// MaxLimit caps a query's limit.
	MaxLimit int
	// K1 and B are the BM25 parameters of the strength feature.
	K1, B float64
	// SoftMismatch multiplies fit for each filter implied by the prompt that a company
	// does not meet.
	SoftMismatch float64
	// UnknownFit multiplies fit for each filter implied by the prompt that a company's
	// profile cannot be checked against (no size, no industry, no location, no stack
	// on record). An explicit filter drops such a company.
	UnknownFit float64
	// Decay is the freshness of evidence for confidence (its half-life is used).
	Decay Decay
	// Model holds the coefficients of the intent model; a zero Model is DefaultModel.
	Model Model
	// Platt calibrates the model's logit into a probability; a zero Platt is the
	// default. Fit it from outcomes with FitPlatt. The default (DefaultPlatt) is fitted
	// on the tuning worlds of the evaluation (internal/eval, docs/EVALUATION.md).
	Platt Platt
	// Taxonomy is the product taxonomy; nil loads the embedded one (LoadTaxonomy).
	// Share one between engines to load it once.
	Taxonomy *Taxonomy
	// Now is the clock used when a Query has no Now.
	Now func() time.Time
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		PerTerm:         300,
		Shortlist:       150,
		RecordCacheSize: 20000,
		RecordCacheTTL:  2 * time.Second,
		MaxEvidence:     5,
		DefaultLimit:    25,
		MaxLimit:        2000,
		K1:              DefaultK1,
		B:               DefaultB,
		SoftMismatch:    0.15,
		UnknownFit:      0.5,
		Decay:           DefaultDecay(),
		Model:           DefaultModel(),
		Platt:           DefaultPlatt(),
		Now:             time.Now,
	}
}

// RegisterFlags registers the scorer.* flags on fs, with c's values as defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := c.withDefaults()
	if c.Decay.Landmark.IsZero() {
		c.Decay.Landmark = d.Decay.Landmark
	}
	fs.IntVar(&c.PerTerm, "scorer.per-term", d.PerTerm, fmt.Sprintf("top companies read from each query term's index (default %d)", d.PerTerm))
	fs.IntVar(&c.Shortlist, "scorer.shortlist", d.Shortlist, fmt.Sprintf("candidates a query reads in full, the best on their index-head weights, at least 4 times its limit; negative reads all (default %d)", d.Shortlist))
	fs.IntVar(&c.RecordCacheSize, "scorer.record-cache-size", d.RecordCacheSize, fmt.Sprintf("decoded company records kept between queries; negative keeps none (default %d)", d.RecordCacheSize))
	fs.DurationVar(&c.RecordCacheTTL, "scorer.record-cache-ttl", d.RecordCacheTTL, fmt.Sprintf("longest a cached company record is served after it was read (default %s)", d.RecordCacheTTL))
	fs.IntVar(&c.MaxEvidence, "scorer.max-evidence", d.MaxEvidence, fmt.Sprintf("signals and evidence items per lead (default %d)", d.MaxEvidence))
	fs.IntVar(&c.DefaultLimit, "scorer.default-limit", d.DefaultLimit, fmt.Sprintf("leads returned when a query sets no limit (default %d)", d.DefaultLimit))
	fs.IntVar(&c.MaxLimit, "scorer.max-limit", d.MaxLimit, fmt.Sprintf("most leads one query can return (default %d)", d.MaxLimit))
	fs.Float64Var(&c.K1, "scorer.bm25-k1", d.K1, fmt.Sprintf("BM25 term-frequency saturation k1 (default %g)", d.K1))
	fs.Float64Var(&c.B, "scorer.bm25-b", d.B, fmt.Sprintf("BM25 length normalisation b, 0 to 1 (default %g)", d.B))
	fs.Float64Var(&c.SoftMismatch, "scorer.soft-mismatch", d.SoftMismatch, fmt.Sprintf("fit factor per prompt-implied filter a company misses, 0 to 1 (default %g)", d.SoftMismatch))
	fs.Float64Var(&c.UnknownFit, "scorer.unknown-fit", d.UnknownFit, fmt.Sprintf("fit factor per prompt-implied filter a company's profile cannot be checked against, 0 to 1 (default %g)", d.UnknownFit))
	fs.DurationVar(&c.Decay.HalfLife, "scorer.half-life", d.Decay.HalfLife, fmt.Sprintf("half-life of evidence freshness for confidence (default %s)", d.Decay.HalfLife))
	fs.Float64Var(&c.Platt.A, "scorer.platt-a", d.Platt.A, fmt.Sprintf("Platt calibration slope on the model's logit, from FitPlatt (default %g)", d.Platt.A))
	fs.Float64Var(&c.Platt.B, "scorer.platt-b", d.Platt.B, fmt.Sprintf("Platt calibration intercept, from FitPlatt (default %g)", d.Platt.B))
}

// Validate reports the first setting out of range. Zero values are valid (defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.PerTerm < 1:
		return fmt.Errorf("scorer.per-term must be at least 1, got %d", c.PerTerm)
	case c.RecordCacheTTL < 0:
		return fmt.Errorf("scorer.record-cache-ttl must not be negative, got %s", c.RecordCacheTTL)
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
	case !(c.Platt.A > 0) || math.IsInf(c.Platt.A, 0) || math.IsNaN(c.Platt.B) || math.IsInf(c.Platt.B, 0):
		return fmt.Errorf("scorer.platt-a must be positive and scorer.platt-b finite, got %g, %g", c.Platt.A, c.Platt.B)
	case !(c.SoftMismatch > 0 && c.SoftMismatch <= 1):
		return fmt.Errorf("scorer.soft-mismatch must be within (0, 1], got %g", c.SoftMismatch)
	case !(c.UnknownFit > 0 && c.UnknownFit <= 1):
		return fmt.Errorf("scorer.unknown-fit must be within (0, 1], got %g", c.UnknownFit)
	case c.Decay.HalfLife <= 0:
		return fmt.Errorf("scorer.half-life must be positive, got %s", c.Decay.HalfLife)
	}
	return c.Model.validate()
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.PerTerm == 0 {
		c.PerTerm = d.PerTerm
	}
	if c.Shortlist == 0 {
		c.Shortlist = d.Shortlist
	}
	if c.RecordCacheSize == 0 {
		c.RecordCacheSize = d.RecordCacheSize
	}
	if c.RecordCacheTTL == 0 {
		c.RecordCacheTTL = d.RecordCacheTTL
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
	if c.Model == (Model{}) {
		c.Model = d.Model
	}
	if c.Platt == (Platt{}) {
		c.Platt = d.Platt
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
	tax *Taxonomy
	// cache keeps decoded records between queries; nil when disabled.
	cache *RecordCache
	// topics and tokens remember the taxonomy topics and the terms of evidence
	// texts between queries.
	topics *topicMemo
	tokens *textMemo[[]mention]
	// scratch holds *rankScratch: the per-candidate working memory of ranking, about
	// 100 bytes a candidate, reused so that a query allocates little.
	scratch sync.Pool
}

// NewEngine returns an Engine reading candidates from r. Zero fields of cfg take their
// defaults; an invalid cfg (check it with Config.Validate first) or a nil r panics.
// Without cfg.Taxonomy it loads the embedded taxonomy (about 70 ms).
func NewEngine(r Retriever, cfg Config) *Engine {
	if r == nil {
		panic("scorer: NewEngine with a nil Retriever")
	}
	if err := cfg.Validate(); err != nil {
		panic("scorer: NewEngine: " + err.Error())
	}
	cfg = cfg.withDefaults()
	tax := cfg.Taxonomy
	if tax == nil {
		tax = LoadTaxonomy()
	}
	e := &Engine{r: r, cfg: cfg, tax: tax, topics: newTopicMemo(topicMemoSize),
		tokens: newTextMemo[[]mention](tokenMemoSize)}
	if cfg.RecordCacheSize > 0 {
		e.cache = NewRecordCache(cfg.RecordCacheSize, cfg.RecordCacheTTL, nil)
	}
	return e
}

// topicMemoSize bounds the evidence texts whose taxonomy topics an Engine remembers:
// about 100,000 texts of a few hundred bytes each.
const topicMemoSize = 100_000

// tokenMemoSize bounds the evidence texts whose terms an Engine remembers: about
// 2 KB each.
const tokenMemoSize = 30_000

// RecordCacheHitRate is the share of record lookups the record cache answered, 0
// without a cache.
func (e *Engine) RecordCacheHitRate() float64 {
	if e.cache == nil {
		return 0
	}
	return e.cache.HitRate()
}

// Taxonomy returns the engine's product taxonomy.
func (e *Engine) Taxonomy() *Taxonomy { return e.tax }

// Interpret reads a prompt as Rank does: ParsePrompt, then the product's taxonomy
// topics (Taxonomy.ParsePrompt).
func (e *Engine) Interpret(prompt string) Parsed { return e.tax.ParsePrompt(prompt) }

// Rank answers q: it reads the prompt into a product, its taxonomy topics and the
// buyer's filters; asks the store for the companies at the head of the indexes of the
// product terms, the topic terms ("topic:<id>") and the topics' main synonym and
// vendor terms (of them, the Config.Shortlist that rank highest on the strength the
// index heads show are read in full); drops those a hard filter excludes (an explicit filter they fail, an
// excluded domain or technology) and those without evidence; scores the rest with the
// intent model (see Model) and returns the top q.Limit (default Config.DefaultLimit,
// at most Config.MaxLimit), best first, ties broken by domain.
//
// Score is the calibrated probability σ(Platt.A·z + Platt.B) of the model's logit z;
// Confidence grows with the fresh, independent evidence behind it: 1 − exp(−(0.5·Σ
// freshness of the relevant evidence items + 0.3·(kinds − 1))) over distinct events,
// freshness 2^(−age/30 days).
//
// The top K is exact: every candidate's store-side features (strength, surge, fit)
// bound its score from below and above; a candidate whose upper bound is below the
// K-th best lower bound is left out before its stack is read; the stack and the
// evidence-side features (diversity, stage, churn) are read only for candidates whose
// upper bound can still reach the top K, and a bounded heap keeps the best.
//
// A prompt without product terms or topics ("Find companies") gives an empty Result
// with the interpretation, not an error. Errors are the Retriever's, wrapped, or ctx's.
func (e *Engine) Rank(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	now := q.Now
	if now.IsZero() {
		now = e.cfg.Now()
	}
	parsed := e.tax.ParsePrompt(q.Prompt)
	filters := newFilterSet(q.Filters, parsed.Interpretation, e.cfg.SoftMismatch, e.cfg.UnknownFit)
	res := Result{Interpretation: filters.effective}
	planned := parsed
	planned.Technologies = filters.effective.Technologies
	plan := newQueryPlan(e.tax, planned)
	if len(plan.terms) == 0 {
		return res, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = e.cfg.DefaultLimit
	}
	limit = min(limit, e.cfg.MaxLimit)
	perTerm := e.cfg.PerTerm
	if n := len(plan.terms); n > 8 {
		perTerm = perTerm * 8 / n
	}
	rv := Retrieval{Terms: plan.terms, PerTerm: max(perTerm, limit), Now: now, Cache: e.cache}
	if e.cfg.Shortlist > 0 {
		rv.Shortlist = max(e.cfg.Shortlist, 4*limit)
		rv.Prescore = plan.prescorer(e.cfg.K1)
	}
	for {
		cands, best, total, err := e.rankOnce(ctx, rv, plan, filters, limit, now)
		if err != nil {
			return res, err
		}
		// A shortlist chosen on intent alone can be emptied by hard filters: read a
		// larger one, then all, while the answer is short of the limit.
		if len(best) < limit && cands.stats.Shortlisted && rv.Shortlist > 0 {
			if rv.Shortlist *= 8; rv.Shortlist >= maxShortlist {
				rv.Shortlist = 0
			}
			continue
		}
		res.Candidates = len(cands.list)
		res.TotalMatches = total
		e.explainLeads(&res, cands.list, best, plan, parsed, q.Filters.JobTitles)
		return res, nil
	}
}

// maxShortlist is the shortlist beyond which Rank reads every candidate of the index
// heads instead.
const maxShortlist = 20000

// retrieved are the candidates of one Retrieve call and their collection statistics.
type retrieved struct {
	list  []Candidate
	stats CorpusStats
}

// rankOnce retrieves the candidates of rv and returns the best limit of those the
// filters keep, and how many they keep.
func (e *Engine) rankOnce(ctx context.Context, rv Retrieval, plan *queryPlan, filters *filterSet, limit int, now time.Time) (retrieved, []scored, int, error) {
	cands, stats, err := e.r.Retrieve(ctx, rv)
	if err != nil {
		return retrieved{}, nil, 0, fmt.Errorf("retrieve candidates: %w", err)
	}
	plan.setStats(stats)

	r := ranker{
		cfg:        &e.cfg,
		plan:       plan,
		intent:     intentScorer{pl: plan, k1: e.cfg.K1, b: e.cfg.B, avgLen: stats.AvgDocLength, now: now},
		rel:        newRelevance(plan, now, e.cfg.Decay.HalfLife),
		freshSince: now.Add(-freshWindow),
		churnSince: now.Add(-churnWindow),
	}
	r.rel.memo, r.rel.tokens = e.topics, e.tokens
	if math.IsNaN(r.intent.avgLen) || math.IsInf(r.intent.avgLen, 0) {
		r.intent.avgLen = 0
	}
	sc, _ := e.scratch.Get().(*rankScratch)
	r.scratch = sc
	best, total := r.top(cands, filters, limit)
	if r.scratch != nil {
		e.scratch.Put(r.scratch)
	}
	return retrieved{cands, stats}, best, total, nil
}

// explainLeads fills res.Leads from the best candidates: calibrated score, confidence,
// contact, signals and evidence.
func (e *Engine) explainLeads(res *Result, cands []Candidate, best []scored, plan *queryPlan, parsed Parsed, jobTitles []string) {
	picker := newContactPicker(jobTitles, e.contactRoles(plan, parsed.Terms))
	res.Leads = make([]Lead, len(best))
	x := explainer{max: e.cfg.MaxEvidence, topic: topicLabel(plan)}
	for i, s := range best {
		c := &cands[s.idx]
		signals, evidence := x.explain(c.Evidence, s.facts)
		res.Leads[i] = Lead{
			Profile:    c.Profile,
			Score:      e.cfg.Platt.Calibrate(s.score),
			Confidence: confidence(s.facts),
			Contact:    picker.pick(c.Profile.Contacts),
			Signals:    signals,
			Evidence:   evidence,
		}
	}
}

// prescorer ranks candidates on their index-head weights for Retrieval.Prescore:
// the strength feature (see Model) as if every company had the average document
// length. Surge, fit, stack and evidence are left to the full scoring of the
// shortlist.
func (pl *queryPlan) prescorer(k1 float64) func(CorpusStats) func([]float64) float64 {
	return func(stats CorpusStats) func([]float64) float64 {
		idf := make([]float64, len(pl.terms))
		productIDF := 0.0
		for i, t := range pl.terms {
			idf[i] = IDF(stats.DocFreq[t], stats.Companies)
			if pl.role[i] == roleProductTerm {
				productIDF += idf[i]
			}
		}
		return func(head []float64) float64 {
			var topicEv [maxTopics]float64
			bm25 := 0.0
			for i, tf := range head[:min(len(head), len(pl.terms))] {
				if !(tf > 0) || math.IsInf(tf, 0) {
					continue
				}
				sat := tf * (k1 + 1) / (tf + k1)
				if pl.role[i] == roleProductTerm {
					bm25 += idf[i] * sat
				} else if k := pl.topic[i]; k >= 0 && k < maxTopics {
					topicEv[k] = max(topicEv[k], sat)
				}
			}
			p, t := 0.0, 0.0
			if productIDF > 0 {
				p = bm25 / productIDF
			}
			if pl.topicWeight > 0 {
				for k, m := range pl.topics {
					if k < maxTopics {
						t += m.Score * topicEv[k]
					}
				}
				t /= pl.topicWeight
			}
			return max(p, t) + strengthMinorShare*min(p, t)
		}
	}
}

// contactRoles are the titles to pitch to: the buyer roles of the query's topics,
// best topic first, else those the product terms suggest.
func (e *Engine) contactRoles(plan *queryPlan, terms []string) []string {
	var roles []string
	for _, ci := range plan.topicCats {
		roles = append(roles, e.tax.cats[ci].BuyerRoles...)
	}
	if len(roles) == 0 {
		roles = buyerRoles(terms)
	}
	return roles
}

// confidence is 1 − exp(−(0.5·Σ freshness + 0.3·(kinds − 1))) over the relevant
// evidence; a lead shown only by its latest, unrelated signal gets 0.005.
func confidence(f evidenceFacts) float64 {
	if len(f.relevant) == 0 {
		return 0.005
	}
	return 1 - math.Exp(-(0.5*f.freshness + 0.3*float64(max(f.kinds-1, 0))))
}

// ranker scores the candidates of one query.
type ranker struct {
	cfg    *Config
	plan   *queryPlan
	intent intentScorer
	rel    *relevance
	// freshSince and churnSince are now less the fresh and churn windows.
	freshSince, churnSince time.Time
	// scratch is reusable working memory; nil allocates afresh.
	scratch *rankScratch
}

// bounded is a candidate after the store-side features: its logit without the
// evidence-side features, a lower bound of its score (see ranker.upperBound and
// ranker.headroom for the upper ones).
type bounded struct {
	idx  int
	lo   float64
	f    features
	tech techState
}

// top returns the best limit candidates, scored exactly, and how many candidates passed
// the filters with evidence for the query.
func (r *ranker) top(cands []Candidate, filters *filterSet, limit int) ([]scored, int) {
	maxHeadroom := r.maxHeadroom()
	sc := r.scratch
	if sc == nil {
		sc = new(rankScratch)
		r.scratch = sc
	}
	// Pass 1: the store-side features and lower bound of every candidate that may
	// be among the best limit, on several cores when there are many.
	all, total := sc.all[:0], 0
	if workers := boundWorkers(len(cands)); workers == 1 {
		all, total = r.bounds(cands, filters, 0, len(cands), limit, all)
	} else {
		if len(sc.parts) < workers {
			sc.parts = make([][]bounded, workers)
		}
		var counts [maxBoundWorkers]int
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := w*len(cands)/workers, (w+1)*len(cands)/workers
			rw, fw := r.fork(filters)
			part := sc.parts[w][:0]
			wg.Go(func() { sc.parts[w], counts[w] = rw.bounds(cands, fw, lo, hi, limit, part) })
		}
		wg.Wait()
		for w := range workers {
			all = append(all, sc.parts[w]...)
			total += counts[w]
		}
	}
	// The best limit by lower bound.
	byLo := newTopK(limit)
	for k := range all {
		if byLo.full() && all[k].lo < byLo.worst() {
			continue // cannot enter: spare reading its domain
		}
		byLo.push(scored{idx: k, score: all[k].lo, domain: cands[all[k].idx].Profile.Domain})
	}
	sc.all = all
	// The best limit by lower bound, scored exactly, set the bar every other
	// candidate's upper bound must reach.
	top := newTopK(limit)
	done := grow(sc.done, len(all))
	clear(done)
	sc.done = done
	for _, s := range byLo.sorted() {
		top.push(r.exact(cands, &all[s.idx]))
		done[s.idx] = true
	}
	// Pass 2: every other candidate that can still enter. With many candidates,
	// those that cannot reach the bar set so far are first sorted out on several
	// goroutines; the bar only rises, so the rest is checked again below.
	rest := sc.rest[:0]
	if workers := boundWorkers(len(all)); workers > 1 && top.full() {
		bar := top.worst()
		if len(sc.restParts) < workers {
			sc.restParts = make([][]int32, workers)
		}
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := w*len(all)/workers, (w+1)*len(all)/workers
			part := sc.restParts[w][:0]
			wg.Go(func() { sc.restParts[w] = r.mayEnter(cands, all, done, lo, hi, bar, maxHeadroom, part) })
		}
		wg.Wait()
		for w := range workers {
			rest = append(rest, sc.restParts[w]...)
		}
	} else {
		for k := range all {
			if !done[k] {
				rest = append(rest, int32(k))
			}
		}
	}
	sc.rest = rest
	// Each candidate left: first against the most any evidence can add, then
	// against what its own evidence could.
	for _, k := range rest {
		b := &all[k]
		if top.full() && b.lo+maxHeadroom < top.worst() {
			continue
		}
		evs := cands[b.idx].Evidence
		if top.full() && b.lo+r.countHeadroom(len(evs), b.tech, b.f.tech) < top.worst() {
			continue
		}
		if top.full() && b.lo+r.headroom(evs, b.tech, b.f.tech) < top.worst() {
			continue
		}
		top.push(r.exact(cands, b))
	}
	return top.sorted(), total
}

// maxHeadroom is the most the evidence-side features can ever add to a lower bound:
// diversity 3, stage 1, and a current vendor's −0.7 turned into 0 by churn.
func (r *ranker) maxHeadroom() float64 {
	m := r.cfg.Model
	return 3*m.Diversity + m.Stage + m.Tech
}

// mayEnter appends to rest the positions in all[lo:hi], not done, whose score may
// reach bar: the checks of pass 2 of top against a fixed bar. It only reads.
func (r *ranker) mayEnter(cands []Candidate, all []bounded, done []bool, lo, hi int, bar, maxHeadroom float64, rest []int32) []int32 {
	for k := lo; k < hi; k++ {
		b := &all[k]
		if done[k] || b.lo+maxHeadroom < bar {
			continue
		}
		evs := cands[b.idx].Evidence
		if b.lo+r.countHeadroom(len(evs), b.tech, b.f.tech) < bar || b.lo+r.headroom(evs, b.tech, b.f.tech) < bar {
			continue
		}
		rest = append(rest, int32(k))
	}
	return rest
}

// parallelBounds is the number of candidates from which pass 1 of ranker.top runs
// on several goroutines, each over at least half as many.
const parallelBounds = 4096

// boundWorkers is how many goroutines compute the bounds of n candidates.
func boundWorkers(n int) int {
	return max(min(runtime.GOMAXPROCS(0), maxBoundWorkers, n/(parallelBounds/2)), 1)
}

// maxBoundWorkers bounds the goroutines of pass 1.
const maxBoundWorkers = 4

// bounds appends the bounded candidates of cands[lo:hi] to all: those with evidence,
// passing the filters, with intent for the query; and returns how many there are,
// counting those left out. With keep > 0 it leaves out those that cannot be among the
// best keep: whose upper bound is below the keep-th best lower bound of those before
// them. Their tech state is not needed, and reading it for every candidate was a
// tenth of the time of ranking 10,000.
func (r *ranker) bounds(cands []Candidate, filters *filterSet, lo, hi, keep int, all []bounded) ([]bounded, int) {
	best := newKthBest(keep)
	n := 0
	for i := lo; i < hi; i++ {
		c := &cands[i]
		if len(c.Evidence) == 0 {
			continue
		}
		fc, ok := filters.match(&c.Profile)
		if !ok {
			continue
		}
		strength, surge, ok := r.intent.intent(c)
		if !ok {
			continue
		}
		n++
		b := bounded{idx: i, f: features{strength: strength, surge: surge, fit: filters.fits[fc]}}
		if best.full() && r.upperBound(b.f, len(c.Evidence), filters.lnFits[fc]) < best.kth() {
			continue
		}
		b.tech = r.intent.tech(c)
		b.f.tech = b.tech.value(false)
		b.lo = r.lowerBound(&b.f, filters.lnFits[fc])
		all = append(all, b)
		best.push(b.lo)
	}
	return all, n
}

// fork returns copies of r and f that one more goroutine can use for bounds: they
// share everything read-only and have their own memos and scratch space.
func (r *ranker) fork(f *filterSet) (*ranker, *filterSet) {
	rw := *r
	pl := *r.plan
	pl.memo = make(map[string]int8)
	rw.plan = &pl
	rw.intent.pl = &pl
	rw.scratch = nil
	fw := *f
	fw.scratch = nil
	if f.industryMemo != nil {
		fw.industryMemo = make(map[string]fitMatch)
	}
	return &rw, &fw
}

// lowerBound is Model.logit(f), bit for bit, given lnFit = ln(f.fit).
func (r *ranker) lowerBound(f *features, lnFit float64) float64 {
	m := &r.cfg.Model
	z := m.linear(f)
	if f.fit != 1 {
		z += m.Fit * lnFit
	}
	return z
}

// upperBound is the most the exact score of a candidate with store-side features f
// and the given number of evidence items can be, given lnFit = ln(f.fit): the logit
// rises with diversity, stage and tech (their coefficients are not negative),
// rounding keeps that order, and its evidence shows at most min(items, 4) kinds,
// stage 1 and tech 1.
func (r *ranker) upperBound(f features, items int, lnFit float64) float64 {
	f.diversity = float64(max(min(items, 4)-1, 0))
	f.stage, f.tech = 1, 1
	return r.lowerBound(&f, lnFit)
}

// rankScratch is the per-query working memory of ranker.top, reused across queries.
type rankScratch struct {
	all       []bounded
	done      []bool
	parts     [][]bounded // per goroutine of pass 1
	rest      []int32     // candidates pass 2 checks
	restParts [][]int32   // per goroutine of pass 2
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// headroom is the most the evidence-side features can add to a candidate's logit, read
// from the kinds, actions and dates of its evidence alone (as if every item were
// relevant): the diversity of its fresh kinds, the stage of its fresh research, and
// churn turning a current vendor's −0.7 into 0.
func (r *ranker) headroom(evs []Evidence, tech techState, techNow float64) float64 {
	m := r.cfg.Model
	var kinds [5]bool
	stage, churn := 0.0, false
	for i := range evs {
		e := &evs[i]
		if !e.ObservedAt.Before(r.freshSince) && !(e.Kind == "tech" && e.Action == "added") {
			kinds[kindIndex(e.Kind)] = true
			if e.Kind == "activity" {
				switch e.Action {
				case "demo_request", "free_trial", "pricing_view":
					stage = 1
				case "comparison_view", "review_view":
					stage = max(stage, 0.5)
				}
			}
		}
		if !e.ObservedAt.Before(r.churnSince) && (e.Kind == "tech" && e.Action == "removed" ||
			e.Kind == "activity" && (e.Action == "comparison_view" || e.Action == "pricing_view")) {
			churn = true
		}
	}
	n := 0
	for _, on := range kinds[:4] {
		if on {
			n++
		}
	}
	h := m.Diversity*float64(max(n-1, 0)) + m.Stage*stage
	if churn {
		h += m.Tech * (tech.value(true) - techNow)
	}
	return h
}

// countHeadroom bounds headroom from the number of evidence items alone, so that a
// candidate can be passed over without reading its evidence: n items show at most
// min(n, 4) kinds.
func (r *ranker) countHeadroom(n int, tech techState, techNow float64) float64 {
	m := r.cfg.Model
	return max(m.Diversity*float64(max(min(n, 4)-1, 0)), 0) + max(m.Stage, 0) + max(m.Tech*(tech.value(true)-techNow), 0)
}

// exact scores a candidate with its evidence-side features.
func (r *ranker) exact(cands []Candidate, b *bounded) scored {
	c := &cands[b.idx]
	facts := r.rel.facts(c.Evidence)
	f := b.f
	f.diversity = float64(max(facts.kinds-1, 0))
	f.stage = facts.stage
	f.tech = b.tech.value(facts.churn)
	return scored{idx: b.idx, score: r.cfg.Model.logit(&f), domain: c.Profile.Domain, facts: facts}
}
