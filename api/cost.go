package api

import (
	"flag"
	"fmt"
	"math"
	"time"
)

// CostModel prices one answered query in US dollars: the cost of goods reported as
// metadata.cost_usd and, divided by the leads returned, as the
// leadpoet_cost_per_lead_usd gauge. It is linear in three measured quantities; the
// defaults (DefaultCostModel) are derived from list prices as follows:
//
//   - CPU: a 2-vCPU cloud machine costs about $0.10 an hour, $0.05 per core-hour,
//     which is about $1.4e-8 per core-millisecond. The request's processing time
//     stands in for its CPU time; it overstates it while the request waits on the
//     online store.
//   - Store operations: a managed Redis node costs about $0.16 an hour and serves
//     about 100,000 operations a second, about $4.4e-10 per operation; rounded up to
//     $5e-10. A query reads one index per query term and one record per candidate.
//   - Leads: each returned lead is about 1 KiB of JSON; at $0.09 per GB of egress
//     that is about $1e-7 per lead.
//
// With these rates a typical query (25 leads, a few hundred candidates, 10 ms)
// costs about $3e-6, about $1.2e-7 per lead.
type CostModel struct {
	CPUMillisecondUSD float64 // USD per millisecond of request processing
	StoreOpUSD        float64 // USD per online-store operation
	LeadUSD           float64 // USD per lead returned
}

// Usage is what one query consumed, the input of CostModel.Cost.
type Usage struct {
	Processing time.Duration // time spent answering the request
	StoreOps   int           // online-store operations: term index reads plus candidate reads
	Leads      int           // leads returned
}

// DefaultCostModel returns the rates documented on CostModel.
func DefaultCostModel() CostModel {
	return CostModel{
		CPUMillisecondUSD: 1.4e-8,
		StoreOpUSD:        5e-10,
		LeadUSD:           1e-7,
	}
}

// Cost returns the cost of u in USD.
func (m CostModel) Cost(u Usage) float64 {
	ms := float64(u.Processing) / float64(time.Millisecond)
	return ms*m.CPUMillisecondUSD + float64(u.StoreOps)*m.StoreOpUSD + float64(u.Leads)*m.LeadUSD
}

func (m *CostModel) registerFlags(fs *flag.FlagSet, prefix string) {
	d := DefaultCostModel()
	fs.Float64Var(&m.CPUMillisecondUSD, prefix+"cpu-ms-usd", d.CPUMillisecondUSD,
		"Cost model: USD per millisecond of request processing. Default 1.4e-8.")
	fs.Float64Var(&m.StoreOpUSD, prefix+"store-op-usd", d.StoreOpUSD,
		"Cost model: USD per online-store operation (one per query term and per candidate). Default 5e-10.")
	fs.Float64Var(&m.LeadUSD, prefix+"lead-usd", d.LeadUSD,
		"Cost model: USD per lead returned. Default 1e-7.")
}

func (m CostModel) validate(prefix string) error {
	for _, r := range []struct {
		flag  string
		value float64
	}{
		{prefix + "cpu-ms-usd", m.CPUMillisecondUSD},
		{prefix + "store-op-usd", m.StoreOpUSD},
		{prefix + "lead-usd", m.LeadUSD},
	} {
		if r.value < 0 || math.IsNaN(r.value) || math.IsInf(r.value, 0) {
			return fmt.Errorf("%s: must be a finite non-negative number, got %v", r.flag, r.value)
		}
	}
	return nil
}
