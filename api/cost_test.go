package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/api"
)

type costBreakdown struct {
	ComputeUSD float64 `json:"compute_usd"`
	StoreUSD   float64 `json:"store_usd"`
	DataUSD    float64 `json:"data_usd"`
	LLMUSD     float64 `json:"llm_usd"`
	ComputeMS  float64 `json:"compute_ms"`
	StoreOps   int     `json:"store_ops"`
	Leads      int     `json:"leads"`
	LLMTokens  int     `json:"llm_tokens"`
}

type costMeta struct {
	CostUSD       float64       `json:"cost_usd"`
	LLMCalls      int           `json:"llm_calls"`
	CostBreakdown costBreakdown `json:"cost_breakdown"`
}

func decodeCost(t *testing.T, r response) costMeta {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var resp struct {
		Metadata costMeta `json:"metadata"`
	}
	if err := json.Unmarshal(r.body, &resp); err != nil {
		t.Fatal(err)
	}
	return resp.Metadata
}

// TestCostBreakdown: cost_usd is the sum of its parts, each priced by the model.
func TestCostBreakdown(t *testing.T) {
	model := api.CostModel{CPUMillisecondUSD: 3e-7, StoreOpUSD: 2e-9, LeadUSD: 5e-6, LLMTokenUSD: 1e-6}
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withConfig(func(c *api.Config) { c.Cost = model }))
	e.clock.step = 7 * time.Millisecond
	m := decodeCost(t, e.query(t, goodQuery))
	b := m.CostBreakdown
	want := costBreakdown{
		ComputeUSD: 7 * 3e-7, StoreUSD: (2 + 400) * 2e-9, DataUSD: 2 * 5e-6, LLMUSD: 0,
		ComputeMS: 7, StoreOps: 2 + 400, Leads: 2, LLMTokens: 0,
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"compute_usd", b.ComputeUSD, want.ComputeUSD},
		{"store_usd", b.StoreUSD, want.StoreUSD},
		{"data_usd", b.DataUSD, want.DataUSD},
		{"llm_usd", b.LLMUSD, 0},
		{"compute_ms", b.ComputeMS, 7},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
		}
	}
	if b.StoreOps != want.StoreOps || b.Leads != want.Leads || b.LLMTokens != 0 || m.LLMCalls != 0 {
		t.Errorf("quantities %+v, llm_calls %d; want %+v and no LLM calls", b, m.LLMCalls, want)
	}
	if sum := b.ComputeUSD + b.StoreUSD + b.DataUSD + b.LLMUSD; math.Abs(m.CostUSD-sum) > 1e-18 {
		t.Errorf("cost_usd %.15g != sum of parts %.15g", m.CostUSD, sum)
	}
	if total := model.Cost(api.Usage{Processing: 7 * time.Millisecond, StoreOps: 402, Leads: 2}); math.Abs(m.CostUSD-total) > 1e-12 {
		t.Errorf("cost_usd %g, want the model's %g", m.CostUSD, total)
	}
}

// exactCostEnv prices each query of sampleResult at limit 2 at exactly $3e-6:
// one 1 ms clock step of compute at $1e-6/ms and two leads at $1e-6.
func exactCostEnv(t *testing.T, p api.Plan, opts ...option) *env {
	t.Helper()
	opts = append([]option{withPlan(p), withConfig(func(c *api.Config) {
		c.Cost = api.CostModel{CPUMillisecondUSD: 1e-6, LeadUSD: 1e-6}
	})}, opts...)
	e := newEnv(t, &fakeRanker{res: sampleResult()}, opts...)
	e.clock.step = time.Millisecond
	return e
}

const limit2Query = `{"query":"Find SaaS companies with 50-200 employees looking for customer support software","limit":2}`

// TestDailyCostLimit: with a budget of three queries, the fourth is refused, and
// the budget comes back on the next UTC day.
func TestDailyCostLimit(t *testing.T) {
	tests := []struct {
		name     string
		budget   float64
		answered int
	}{
		{"budget of exactly three queries", 9e-6, 3},
		{"one nano-dollar short of three", 9e-6 - 1e-9, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := roomyPlan()
			p.DailyCostUSD = tt.budget
			e := exactCostEnv(t, p)
			spent := 0.0
			for i := range tt.answered {
				m := decodeCost(t, e.query(t, limit2Query))
				if math.Abs(m.CostUSD-3e-6) > 1e-15 {
					t.Fatalf("query %d cost %g, want 3e-6", i, m.CostUSD)
				}
				spent += m.CostUSD
			}
			n := len(e.ranker.queries())
			r := e.query(t, limit2Query)
			env := wantEnvelope(t, r, http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")
			wantDetails(t, env.Error.Details, map[string]any{
				"limit_type": "daily", "limit_usd": tt.budget, "spent_usd": roundNano(spent), "estimated_cost_usd": 3e-6,
				"reset": time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC).Unix(),
			})
			if ra := headerInt(t, r, "Retry-After"); ra != 13*3600+30*60 {
				t.Errorf("Retry-After = %d, want the seconds to midnight UTC", ra)
			}
			wantRateHeaders(t, r, e.clock.Now())
			if got := len(e.ranker.queries()); got != n {
				t.Error("the refused query was ranked")
			}
			// A new UTC day, a new budget.
			e.clock.Advance(14 * time.Hour)
			decodeCost(t, e.query(t, limit2Query))
		})
	}
}

func roundNano(usd float64) float64 { return math.Round(usd*1e9) / 1e9 }

// TestQueryCostLimits: max_cost_usd and the plan's per-query and per-lead limits.
func TestQueryCostLimits(t *testing.T) {
	t.Run("max_cost_usd validation", func(t *testing.T) {
		e := newEnv(t, nil, noThrottle)
		for _, v := range []string{`0`, `-1`, `4.01`, `1e400`, `"1"`, `true`, `[]`} {
			r := e.query(t, `{"query":"Find companies looking for CRM software","max_cost_usd":`+v+`}`)
			env := wantEnvelope(t, r, http.StatusBadRequest, "INVALID_QUERY")
			wantDetails(t, env.Error.Details, map[string]any{"field": "max_cost_usd", "expected": "number", "max": 4})
		}
		for _, v := range []string{`4`, `4.0`, `0.5`, `null`} {
			if r := e.query(t, `{"query":"Find companies looking for CRM software","max_cost_usd":`+v+`}`); r.status != 200 {
				t.Errorf("max_cost_usd %s: %d %s", v, r.status, r.body)
			}
		}
	})
	t.Run("estimate above max_cost_usd is refused before ranking", func(t *testing.T) {
		e := exactCostEnv(t, roomyPlan())
		decodeCost(t, e.query(t, limit2Query)) // the key's cost per requested lead is now known: $1.5e-6
		n := len(e.ranker.queries())
		r := e.query(t, `{"query":"Find SaaS companies with 50-200 employees looking for customer support software","limit":2,"max_cost_usd":2e-6}`)
		env := wantEnvelope(t, r, http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")
		wantDetails(t, env.Error.Details, map[string]any{"limit_type": "per_query", "limit_usd": 2e-6, "estimated_cost_usd": 3e-6})
		if len(e.ranker.queries()) != n {
			t.Error("the refused query was ranked")
		}
		if r.header.Get("Retry-After") != "" {
			t.Error("Retry-After on a per-query refusal: retrying cannot help")
		}
	})
	t.Run("actual cost above max_cost_usd is withheld and not charged", func(t *testing.T) {
		e := exactCostEnv(t, roomyPlan())
		// No history: the estimate is the data part, 2 × $1e-6, within $2.5e-6;
		// the actual cost, $3e-6, is not.
		r := e.query(t, `{"query":"Find SaaS companies with 50-200 employees looking for customer support software","limit":2,"max_cost_usd":2.5e-6}`)
		env := wantEnvelope(t, r, http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")
		wantDetails(t, env.Error.Details, map[string]any{"limit_type": "per_query", "limit_usd": 2.5e-6, "cost_usd": 3e-6})
		if v, err := e.rdb.Get(t.Context(), "lp:spend:{key_good"+e.keyID+"}:2024-12-19").Int64(); err != nil || v != 0 {
			t.Errorf("spend after a withheld answer = %d, %v; want 0", v, err)
		}
	})
	t.Run("cost per lead above the plan's limit", func(t *testing.T) {
		p := roomyPlan()
		p.LeadCostUSD = 1e-6 // each lead costs $1.5e-6
		e := exactCostEnv(t, p)
		r := e.query(t, limit2Query)
		env := wantEnvelope(t, r, http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")
		wantDetails(t, env.Error.Details, map[string]any{"limit_type": "per_lead", "limit_usd": 1e-6,
			"cost_per_lead_usd": 1.5e-6, "cost_usd": 3e-6, "leads": 2})
	})
	t.Run("plan's per-query limit", func(t *testing.T) {
		p := roomyPlan()
		p.QueryCostUSD = 2.5e-6
		e := exactCostEnv(t, p)
		r := e.query(t, limit2Query)
		env := wantEnvelope(t, r, http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")
		wantDetails(t, env.Error.Details, map[string]any{"limit_type": "per_query", "limit_usd": 2.5e-6, "cost_usd": 3e-6})
		// max_cost_usd may not raise the plan's ceiling.
		r = e.query(t, `{"query":"Find SaaS companies with 50-200 employees looking for customer support software","limit":2,"max_cost_usd":3e-6}`)
		wantEnvelope(t, r, http.StatusBadRequest, "INVALID_QUERY")
	})
}

// TestCostDefaults: with the default model, a typical answer is far inside the
// standard plan's limits.
func TestCostDefaults(t *testing.T) {
	e := newEnv(t, &fakeRanker{res: benchResult(25)})
	e.clock.step = 10 * time.Millisecond
	m := decodeCost(t, e.query(t, goodQuery))
	if perLead := m.CostUSD / 25; perLead > 0.002/1000 {
		t.Errorf("default cost per lead $%g, want far below $0.002", perLead)
	}
	want := api.DefaultCostModel().Breakdown(api.Usage{Processing: 10 * time.Millisecond, StoreOps: 3 + 100, Leads: 25})
	if math.Abs(m.CostBreakdown.DataUSD-want.DataUSD) > 1e-12 || m.CostBreakdown.LLMUSD != 0 {
		t.Errorf("breakdown %+v, want data %g and no LLM cost", m.CostBreakdown, want.DataUSD)
	}
}
