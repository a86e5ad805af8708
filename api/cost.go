package api

import (
	"flag"
	"fmt"
	"math"
	"time"
)

// CostModel prices one answered query in US dollars: the cost of goods reported as
// metadata.cost_usd, broken down into its parts in metadata.cost_breakdown, and,
// divided by the leads returned, the leadpoet_cost_per_lead_usd gauge and the
// per-lead cost the plan limits. cost_usd is exactly the sum of four parts, each
// linear in one measured quantity (COSTS.md has the derivation):
//
//   - compute: the request's processing time × CPUMillisecondUSD. A 2-vCPU cloud
//     machine costs about $0.10 an hour, $0.05 per core-hour, about $1.4e-8 per
//     core-millisecond. Processing time stands in for CPU time; it overstates it
//     while the request waits on the online store.
//   - store: online-store operations × StoreOpUSD. A managed Redis node costs
//     about $0.16 an hour and serves about 100,000 operations a second, about
//     $4.4e-10 per operation, rounded up to $5e-10. A query reads one index per
//     query term and one record per candidate.
//   - data: leads returned × LeadUSD, the per-lead amortisation of the data: about
//     1 KiB of JSON egress per lead at $0.09/GB (about $1e-7) plus the lead's share
//     of keeping the data fresh, the ingest host and the stores' memory (about
//     $0.26 an hour, spread over the 2.6 million leads an hour that about 30
//     limit-25 queries a second return: about $1e-7). $2e-7 in all.
//   - llm: LLM tokens × LLMTokenUSD. Ranking calls no LLM, so there are no tokens
//     and this part is 0; the rate ($1e-6, a small hosted model's list price per
//     token) is kept so the breakdown has the shape a model-backed step would fill.
//
// With these rates a typical query (25 leads, a few hundred candidates, 10 ms)
// costs about $5.3e-6, about $2.1e-7 per lead: four orders of magnitude below
// API-SPEC.md's $0.002 per lead.
type CostModel struct {
	CPUMillisecondUSD float64 // USD per millisecond of request processing
	StoreOpUSD        float64 // USD per online-store operation
	LeadUSD           float64 // USD per lead returned: egress plus data amortisation
	LLMTokenUSD       float64 // USD per LLM token
}

// Usage is what one query consumed, the input of CostModel.Cost.
type Usage struct {
	Processing time.Duration // time spent answering the request
	StoreOps   int           // online-store operations: term index reads plus candidate reads
	Leads      int           // leads returned
	LLMTokens  int           // LLM tokens used; ranking uses none
}

// CostBreakdown is the cost of one query by part, in USD.
type CostBreakdown struct {
	ComputeUSD float64
	StoreUSD   float64
	DataUSD    float64
	LLMUSD     float64
}

// Total is the sum of the parts.
func (b CostBreakdown) Total() float64 { return b.ComputeUSD + b.StoreUSD + b.DataUSD + b.LLMUSD }

// DefaultCostModel returns the rates documented on CostModel.
func DefaultCostModel() CostModel {
	return CostModel{
		CPUMillisecondUSD: 1.4e-8,
		StoreOpUSD:        5e-10,
		LeadUSD:           2e-7,
		LLMTokenUSD:       1e-6,
	}
}

// Breakdown prices u part by part.
func (m CostModel) Breakdown(u Usage) CostBreakdown {
	ms := float64(u.Processing) / float64(time.Millisecond)
	return CostBreakdown{
		ComputeUSD: ms * m.CPUMillisecondUSD,
		StoreUSD:   float64(u.StoreOps) * m.StoreOpUSD,
		DataUSD:    float64(u.Leads) * m.LeadUSD,
		LLMUSD:     float64(u.LLMTokens) * m.LLMTokenUSD,
	}
}

// Cost returns the cost of u in USD, the total of its Breakdown.
func (m CostModel) Cost(u Usage) float64 { return m.Breakdown(u).Total() }

func (m *CostModel) registerFlags(fs *flag.FlagSet, prefix string) {
	d := DefaultCostModel()
	fs.Float64Var(&m.CPUMillisecondUSD, prefix+"cpu-ms-usd", d.CPUMillisecondUSD,
		"Cost model: USD per millisecond of request processing. Default 1.4e-8.")
	fs.Float64Var(&m.StoreOpUSD, prefix+"store-op-usd", d.StoreOpUSD,
		"Cost model: USD per online-store operation (one per query term and per candidate). Default 5e-10.")
	fs.Float64Var(&m.LeadUSD, prefix+"lead-usd", d.LeadUSD,
		"Cost model: USD per lead returned (egress plus amortised data ingest and storage). Default 2e-7.")
	fs.Float64Var(&m.LLMTokenUSD, prefix+"llm-token-usd", d.LLMTokenUSD,
		"Cost model: USD per LLM token (ranking uses none, so this part is 0). Default 1e-6.")
}

func (m CostModel) validate(prefix string) error {
	for _, r := range []struct {
		flag  string
		value float64
	}{
		{prefix + "cpu-ms-usd", m.CPUMillisecondUSD},
		{prefix + "store-op-usd", m.StoreOpUSD},
		{prefix + "lead-usd", m.LeadUSD},
		{prefix + "llm-token-usd", m.LLMTokenUSD},
	} {
		if r.value < 0 || math.IsNaN(r.value) || math.IsInf(r.value, 0) {
			return fmt.Errorf("%s: must be a finite non-negative number, got %v", r.flag, r.value)
		}
	}
	return nil
}

// costBreakdownJSON is metadata.cost_breakdown, a compatible extension of
// API-SPEC.md: the parts of cost_usd and the quantities they were priced from.
// cost_usd is exactly compute_usd + store_usd + data_usd + llm_usd.
type costBreakdownJSON struct {
	ComputeUSD float64 `json:"compute_usd"`
	StoreUSD   float64 `json:"store_usd"`
	DataUSD    float64 `json:"data_usd"`
	LLMUSD     float64 `json:"llm_usd"`
	ComputeMS  float64 `json:"compute_ms"`
	StoreOps   int     `json:"store_ops"`
	Leads      int     `json:"leads"`
	LLMTokens  int     `json:"llm_tokens"`
}

// costScale is the resolution of the reported costs: 1e-12 USD.
const costScale = 1e12

// priceQuery prices u: the reported parts are rounded to costScale and cost_usd
// is the sum of the reported parts, so a client adding them up gets cost_usd.
func (m CostModel) priceQuery(u Usage) (total float64, parts costBreakdownJSON) {
	b := m.Breakdown(u)
	parts = costBreakdownJSON{
		ComputeUSD: roundTo(b.ComputeUSD, costScale),
		StoreUSD:   roundTo(b.StoreUSD, costScale),
		DataUSD:    roundTo(b.DataUSD, costScale),
		LLMUSD:     roundTo(b.LLMUSD, costScale),
		ComputeMS:  roundTo(float64(u.Processing)/float64(time.Millisecond), 1e3),
		StoreOps:   u.StoreOps,
		Leads:      u.Leads,
		LLMTokens:  u.LLMTokens,
	}
	total = roundTo(parts.ComputeUSD+parts.StoreUSD+parts.DataUSD+parts.LLMUSD, costScale)
	return total, parts
}
