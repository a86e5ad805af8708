package api

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// PlanStandard is the name of API-SPEC.md's plan, the default of every key.
const PlanStandard = "standard"

// Plan is what the keys on it may consume (API-SPEC.md "Rate Limiting and
// Throttling"). Request limits are enforced by two GCRA limiters per key,
// shared by every API replica through Redis (github.com/go-redis/redis_rate);
// cost limits by the cost model (CostModel) and a per-key daily spend counter.
// See LIMITS.md and COSTS.md.
type Plan struct {
	Name string

	// RequestsPerMinute is the sustained rate: on average one request every
	// minute/RequestsPerMinute is admitted.
	RequestsPerMinute int
	// Burst is the capacity of the per-minute GCRA bucket: how many requests a
	// key that has been idle may send at once. The bucket refills at
	// RequestsPerMinute, so a key that used its whole burst is held to the
	// sustained rate until it has been quiet for Burst/RequestsPerMinute
	// minutes. API-SPEC.md's "Burst: 1000 requests/minute" is read as this
	// capacity: a spike of up to 1000 requests is admitted at once, on top of
	// which the bucket refills at 100 a minute.
	Burst int
	// RequestsPerDay is the daily quota: a second GCRA limiter whose period is
	// 24 hours and whose capacity is the whole quota. It is rolling, not reset
	// at midnight: a key may use its quota at once, and it comes back
	// continuously (one request every 24h/RequestsPerDay).
	RequestsPerDay int

	// LeadCostUSD is the most a query may cost per lead it returns; an answer
	// above it is withheld with 429 COST_LIMIT_EXCEEDED.
	LeadCostUSD float64
	// QueryCostUSD is the most one query may cost. A request's max_cost_usd
	// may lower it, never raise it.
	QueryCostUSD float64
	// DailyCostUSD is the most the queries of one key may cost per UTC day.
	DailyCostUSD float64
}

// StandardPlan returns API-SPEC.md's limits: 100 requests a minute with a burst
// of 1000, 10,000 requests a day, $0.002 per lead, $4.00 per query, $100 a day.
func StandardPlan() Plan {
	return Plan{
		Name:              PlanStandard,
		RequestsPerMinute: 100,
		Burst:             1000,
		RequestsPerDay:    10_000,
		LeadCostUSD:       0.002,
		QueryCostUSD:      4.00,
		DailyCostUSD:      100,
	}
}

// Plans are the plans keys may be on, by name.
type Plans map[string]Plan

// DefaultPlans returns the plans offered by default: StandardPlan.
func DefaultPlans() Plans { return Plans{PlanStandard: StandardPlan()} }

// Names returns the plan names, sorted.
func (ps Plans) Names() []string { return slices.Sorted(maps.Keys(ps)) }

// validate reports the first invalid plan, naming it.
func (ps Plans) validate() error {
	if len(ps) == 0 {
		return fmt.Errorf("api: Config.Plans is empty")
	}
	for _, name := range ps.Names() {
		if err := ps[name].validate(name); err != nil {
			return err
		}
	}
	return nil
}

func (p Plan) validate(name string) error {
	if p.Name != name {
		return fmt.Errorf("api: plan %q is filed under %q", p.Name, name)
	}
	for _, v := range []struct {
		what  string
		value int
	}{
		{"RequestsPerMinute", p.RequestsPerMinute},
		{"Burst", p.Burst},
		{"RequestsPerDay", p.RequestsPerDay},
	} {
		if v.value < 1 {
			return fmt.Errorf("api: plan %q: %s must be at least 1, got %d", name, v.what, v.value)
		}
	}
	for _, v := range []struct {
		what  string
		value float64
	}{
		{"LeadCostUSD", p.LeadCostUSD},
		{"QueryCostUSD", p.QueryCostUSD},
		{"DailyCostUSD", p.DailyCostUSD},
	} {
		if !(v.value > 0) || math.IsInf(v.value, 0) {
			return fmt.Errorf("api: plan %q: %s must be a positive finite number, got %v", name, v.what, v.value)
		}
	}
	return nil
}
