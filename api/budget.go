package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// Daily spend: each key has a counter per UTC day of what its queries cost, in
// nano-dollars (1e-9 USD; a typical query costs a few thousand, so micro-dollars
// would round away a large part of it). A query reserves its estimated cost
// before ranking, atomically refused if the reservation would take the day past
// the plan's DailyCostUSD; once answered, the reservation is settled to the
// actual cost, and released if the query fails or is withheld.

// spendTTL keeps a day's counter a day past its end, for late settlements.
const spendTTL = 48 * time.Hour

// nanoPerUSD is the unit of the spend counters.
const nanoPerUSD = 1e9

// spendKey is the counter of key id for the UTC day of t.
func spendKey(id string, t time.Time) string {
	return "lp:spend:{" + id + "}:" + t.UTC().Format(time.DateOnly)
}

// toNano converts USD to whole nano-dollars, rounding to the nearest.
func toNano(usd float64) int64 { return int64(math.Round(usd * nanoPerUSD)) }

func fromNano(n int64) float64 { return float64(n) / nanoPerUSD }

// nextUTCDay is the start of the UTC day after t's.
func nextUTCDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// reserveScript adds ARGV[1] to the counter unless that takes it past ARGV[2];
// it returns {1, spent after} or {0, spent before}.
var reserveScript = redis.NewScript(`
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if v > tonumber(ARGV[2]) then
  return {0, redis.call('DECRBY', KEYS[1], ARGV[1])}
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, v}
`)

// reserve reserves est nano-dollars on key against a budget of limit.
func (s *Server) reserve(ctx context.Context, key string, est, limit int64) (ok bool, spent int64, err error) {
	v, err := reserveScript.Run(ctx, s.rdb, []string{key}, est, limit, int64(spendTTL/time.Second)).Int64Slice()
	if err == nil && len(v) != 2 {
		err = fmt.Errorf("reserve script returned %d values, want 2", len(v))
	}
	if err != nil {
		return false, 0, fmt.Errorf("reserve daily spend: %w: %w", ErrUnavailable, err)
	}
	return v[0] == 1, v[1], nil
}

// release gives back a reservation of a query that was neither answered nor
// scored (its client went away).
func (s *Server) release(ctx context.Context, key string, est int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.QueryTimeout)
	defer cancel()
	if err := s.rdb.DecrBy(ctx, key, est).Err(); err != nil {
		s.log.WarnContext(ctx, "release spend reservation", "key", key, "err", err)
	}
}

// Kinds of cost limit, in the details of 429 COST_LIMIT_EXCEEDED.
const (
	costLimitLead  = "per_lead"
	costLimitQuery = "per_query"
	costLimitDaily = "daily"
)

// dailyCostError is the 429 of a query whose estimate does not fit in what is
// left of the day's budget.
func (s *Server) dailyCostError(p Plan, spent, est int64, now time.Time) *httpError {
	reset := nextUTCDay(now)
	retry := ceilSeconds(reset.Sub(now))
	return &httpError{
		status: http.StatusTooManyRequests, code: codeCostLimited,
		message: fmt.Sprintf("Daily cost limit of $%g reached: $%.9f spent today, this query is estimated at $%.9f; the budget resets at %s",
			p.DailyCostUSD, fromNano(spent), fromNano(est), reset.Format(timeFormat)),
		details: map[string]any{
			"limit_type":          costLimitDaily,
			"limit_usd":           p.DailyCostUSD,
			"spent_usd":           fromNano(spent),
			"estimated_cost_usd":  fromNano(est),
			"reset":               reset.Unix(),
			"retry_after_seconds": retry,
		},
		retryAfter: retry,
	}
}

// queryCostError is the 429 of a query whose estimated (before ranking) or
// actual (after) cost exceeds the per-query ceiling.
func queryCostError(ceiling, cost float64, estimated, fromRequest bool) *httpError {
	field, what := "cost_usd", "costs"
	if estimated {
		field, what = "estimated_cost_usd", "is estimated at"
	}
	source := "the plan's per-query limit"
	if fromRequest {
		source = "max_cost_usd"
	}
	return &httpError{
		status: http.StatusTooManyRequests, code: codeCostLimited,
		message: fmt.Sprintf("This query %s $%.9f, more than %s of $%g; lower limit or raise max_cost_usd", what, cost, source, ceiling),
		details: map[string]any{"limit_type": costLimitQuery, "limit_usd": ceiling, field: roundTo(cost, costScale)},
	}
}

// leadCostError is the 429 of an answer above the plan's cost per lead.
func leadCostError(p Plan, cost float64, leads int) *httpError {
	perLead := cost / float64(leads)
	return &httpError{
		status: http.StatusTooManyRequests, code: codeCostLimited,
		message: fmt.Sprintf("Cost per lead of $%.9f exceeds the limit of $%g; the answer was withheld", perLead, p.LeadCostUSD),
		details: map[string]any{
			"limit_type":        costLimitLead,
			"limit_usd":         p.LeadCostUSD,
			"cost_per_lead_usd": roundTo(perLead, costScale),
			"cost_usd":          roundTo(cost, costScale),
			"leads":             leads,
		},
	}
}
