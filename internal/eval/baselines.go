package eval

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// Names of the ranked systems in reports.
const (
	SystemLeadpoet = "leadpoet" // the API, through the real path
	SystemBM25     = "bm25"
	SystemRecency  = "recency"
	SystemRandom   = "random"
)

// Systems lists the ranked systems in report order.
func Systems() []string { return []string{SystemLeadpoet, SystemBM25, SystemRecency, SystemRandom} }

// BM25 parameters of the baseline: the usual defaults.
const (
	baselineK1 = 1.2
	baselineB  = 0.75
)

// Corpus holds what the baselines rank with, read from a world's records with the
// wire contract's own decoder: per company, the terms of all its signal text
// (Tokenize of job titles and descriptions, page titles and text, research topics
// and text, technologies and their categories) and the time of its latest signal.
// Every baseline keeps only the companies that satisfy the prompt's filters,
// explicit and implicit alike, read exactly: an advantage the API, which must read
// implicit filters from the prompt, does not have.
type Corpus struct {
	w        *World
	docs     []doc // by position in w.Companies
	df       map[string]int
	withText int     // companies with any signal text
	avgLen   float64 // mean length of those documents, in terms
}

type doc struct {
	tf     map[string]int
	length int
	latest time.Time // zero without signals
}

// NewCorpus reads the signals of a world.
func NewCorpus(w *World) (*Corpus, error) {
	c := &Corpus{w: w, docs: make([]doc, len(w.Companies)), df: map[string]int{}}
	for _, r := range w.Records {
		if r.Topic == schemas.TopicCompanies {
			continue
		}
		ev, err := schemas.Decode(r.Topic, r.Value, w.Now)
		if err != nil {
			return nil, fmt.Errorf("decode %s record of %s: %w", r.Topic, r.Key, err)
		}
		var text string
		var at time.Time
		var domain string
		switch e := ev.(type) {
		case *schemas.Job:
			text, at, domain = e.Title+"\n"+e.Description, e.OccurredAt, e.Domain
		case *schemas.Site:
			text, at, domain = e.Title+"\n"+e.Text, e.OccurredAt, e.Domain
		case *schemas.Activity:
			text, at, domain = e.Topic+"\n"+e.Text, e.OccurredAt, e.Domain
		case *schemas.Tech:
			text, at, domain = e.Technology+"\n"+e.Category, e.OccurredAt, e.Domain
		default:
			continue
		}
		i, ok := w.index[domain]
		if !ok {
			return nil, fmt.Errorf("signal %s of unknown company %s", r.Key, domain)
		}
		d := &c.docs[i]
		if d.tf == nil {
			d.tf = map[string]int{}
		}
		for _, t := range scorer.Tokenize(text) {
			d.tf[t]++
			d.length++
		}
		if at.After(d.latest) {
			d.latest = at
		}
	}
	total := 0
	for i := range c.docs {
		if c.docs[i].length == 0 {
			continue
		}
		c.withText++
		total += c.docs[i].length
		for t := range c.docs[i].tf {
			c.df[t]++
		}
	}
	if c.withText > 0 {
		c.avgLen = float64(total) / float64(c.withText)
	}
	return c, nil
}

// matching returns the positions of the companies that satisfy the prompt's
// filters, in domain order.
func (c *Corpus) matching(p *Prompt) []int {
	want := p.Wants()
	var out []int
	for i := range c.w.Companies {
		if want.Matches(&c.w.Companies[i]) {
			out = append(out, i)
		}
	}
	return out
}

func (c *Corpus) domains(idx []int, n int) []string {
	out := make([]string, 0, min(n, len(idx)))
	for _, i := range idx[:min(n, len(idx))] {
		out = append(out, c.w.Companies[i].Domain)
	}
	return out
}

// Random ranks the companies that satisfy the prompt's filters in a random order
// drawn from seed and the prompt's ID, and returns the first n.
func (c *Corpus) Random(p *Prompt, seed uint64, n int) []string {
	idx := c.matching(p)
	rng := rand.New(rand.NewPCG(seed, hashString("random "+p.ID)))
	rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	return c.domains(idx, n)
}

// Recency ranks the companies that satisfy the prompt's filters by the time of
// their latest signal of any kind, most recent first (ties by domain), and returns
// the first n. Companies without signals are left out.
func (c *Corpus) Recency(p *Prompt, n int) []string {
	var idx []int
	for _, i := range c.matching(p) {
		if !c.docs[i].latest.IsZero() {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return c.docs[b].latest.Compare(c.docs[a].latest) })
	return c.domains(idx, n)
}

// BM25 ranks the companies that satisfy the prompt's filters by Okapi BM25 of the
// prompt's product words (Tokenize, each term once) over all their signal text,
// without any time decay, and returns the first n (ties by domain). Companies
// without any of the terms are left out.
func (c *Corpus) BM25(p *Prompt, n int) []string {
	terms := slices.Compact(slices.Sorted(slices.Values(scorer.Tokenize(p.Product))))
	idf := make([]float64, len(terms))
	for i, t := range terms {
		df := float64(c.df[t])
		idf[i] = math.Log(1 + (float64(c.withText)-df+0.5)/(df+0.5))
	}
	type scored struct {
		i     int
		score float64
	}
	var ranked []scored
	for _, i := range c.matching(p) {
		d := &c.docs[i]
		if d.length == 0 {
			continue
		}
		norm := baselineK1 * (1 - baselineB + baselineB*float64(d.length)/c.avgLen)
		s := 0.0
		for k, t := range terms {
			if f := float64(d.tf[t]); f > 0 {
				s += idf[k] * f * (baselineK1 + 1) / (f + norm)
			}
		}
		if s > 0 {
			ranked = append(ranked, scored{i, s})
		}
	}
	slices.SortStableFunc(ranked, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	idx := make([]int, len(ranked))
	for k, r := range ranked {
		idx[k] = r.i
	}
	return c.domains(idx, n)
}
