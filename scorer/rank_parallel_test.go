package scorer

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
)

// TestRankParallelBounds checks that a candidate set large enough for pass 1 to run on
// several goroutines ranks exactly as every candidate scored on its own and fully sorted.
func TestRankParallelBounds(t *testing.T) {
	const prompt = "Find SaaS companies with 50-200 employees in Boston looking for customer support software"
	store := randomStore(3*parallelBounds, ParsePrompt(prompt).Terms, 5)
	cfg := DefaultConfig()
	cfg.Taxonomy = testTaxonomy()
	e := NewEngine(store, cfg)
	res, err := e.Rank(context.Background(), Query{Prompt: prompt, Limit: 40, Now: now})
	if err != nil {
		t.Fatal(err)
	}

	plan := newQueryPlan(cfg.Taxonomy, cfg.Taxonomy.ParsePrompt(prompt))
	plan.setStats(store.stats)
	r := ranker{cfg: &e.cfg, plan: plan, intent: intentScorer{pl: plan, k1: e.cfg.K1, b: e.cfg.B, avgLen: store.stats.AvgDocLength, now: now},
		rel: newRelevance(plan, now, e.cfg.Decay.HalfLife), freshSince: now.Add(-freshWindow), churnSince: now.Add(-churnWindow)}
	filters := newFilterSet(Filters{}, e.Interpret(prompt).Interpretation, e.cfg.SoftMismatch, e.cfg.UnknownFit)
	all := r.bounds(store.cands, filters, 0, len(store.cands), nil)
	want := make([]scored, len(all))
	for k := range all {
		want[k] = r.exact(store.cands, &all[k])
	}
	slices.SortFunc(want, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.domain, b.domain)
	})
	if res.TotalMatches != len(all) {
		t.Errorf("TotalMatches %d, want %d", res.TotalMatches, len(all))
	}
	if len(res.Leads) != 40 {
		t.Fatalf("%d leads, want 40", len(res.Leads))
	}
	for i, l := range res.Leads {
		if l.Profile.Domain != want[i].domain || l.Score != e.cfg.Platt.Calibrate(want[i].score) {
			t.Fatalf("lead %d: %s %v, want %s %v", i, l.Profile.Domain, l.Score, want[i].domain, e.cfg.Platt.Calibrate(want[i].score))
		}
	}
}
