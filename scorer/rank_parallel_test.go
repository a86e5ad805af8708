package scorer

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// testRanker is a ranker of one query with its filters, to score candidates one by one.
type testRanker struct {
	ranker
	filters *filterSet
}

// fullRanker returns e's ranker for prompt, unpruned, and every candidate of store as
// retrieved for the prompt's terms.
func fullRanker(e *Engine, store *fakeStore, prompt string) (testRanker, []Candidate) {
	plan := newQueryPlan(e.cfg.Taxonomy, e.cfg.Taxonomy.ParsePrompt(prompt))
	plan.setStats(store.stats)
	r := ranker{cfg: &e.cfg, plan: plan, intent: intentScorer{pl: plan, k1: e.cfg.K1, b: e.cfg.B, avgLen: store.stats.AvgDocLength, now: now},
		rel: newRelevance(plan, now, e.cfg.Decay.HalfLife), freshSince: now.Add(-freshWindow), churnSince: now.Add(-churnWindow)}
	filters := newFilterSet(Filters{}, e.Interpret(prompt).Interpretation, e.cfg.SoftMismatch, e.cfg.UnknownFit)
	return testRanker{r, filters}, store.all(plan.terms)
}

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

	r, cands := fullRanker(e, store, prompt)
	all, _ := r.bounds(cands, r.filters, 0, len(cands), 0, nil)
	want := make([]scored, len(all))
	for k := range all {
		want[k] = r.exact(cands, &all[k])
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

// TestRankExactWithEvidence checks, on a world whose evidence and stacks vary (so that
// a candidate's exact score can be well above its lower bound), that Rank returns
// exactly the best candidates of a full sort, on one goroutine and on several.
func TestRankExactWithEvidence(t *testing.T) {
	const prompt = "Find SaaS companies with 50-200 employees looking for customer support software"
	for _, n := range []int{3000, 3 * parallelBounds} {
		store := randomStore(n, ParsePrompt(prompt).Terms, 21)
		rng := rand.New(rand.NewPCG(21, 3))
		for i := range store.cands {
			c := &store.cands[i]
			c.Evidence = nil
			for k := range 1 + rng.IntN(6) {
				ev := Evidence{EventID: fmt.Sprintf("v%d-%d", i, k), ObservedAt: now.Add(-time.Duration(rng.IntN(40*24)) * time.Hour)}
				switch rng.IntN(4) {
				case 0:
					ev.Kind, ev.Title, ev.Snippet = "job", "Customer Support Lead", "Run our help desk."
				case 1:
					ev.Kind, ev.Title = "site", "Pricing for customer support teams"
				case 2:
					ev.Kind = "activity"
					ev.Action = []string{"demo_request", "comparison_view", "pricing_view", "review_view", "page_view"}[rng.IntN(5)]
					ev.Title = strings.ReplaceAll(ev.Action, "_", " ") + ": help desk software"
				default:
					ev.Kind, ev.Action = "tech", []string{"added", "removed"}[rng.IntN(2)]
					ev.Title = map[string]string{"added": "Added Zendesk", "removed": "Removed Zendesk"}[ev.Action]
				}
				if rng.IntN(5) == 0 {
					ev.Title, ev.Snippet = "Accountant", "Close the books."
				}
				c.Evidence = append(c.Evidence, ev)
			}
			slices.SortFunc(c.Evidence, func(a, b Evidence) int { return b.ObservedAt.Compare(a.ObservedAt) })
			if rng.IntN(3) == 0 {
				c.Stack = map[string]TechState{"zendesk": {
					Change: []string{"added", "removed"}[rng.IntN(2)],
					At:     now.Add(-time.Duration(rng.IntN(200*24)) * time.Hour),
				}}
			}
		}
		cfg := DefaultConfig()
		cfg.Taxonomy = testTaxonomy()
		e := NewEngine(store, cfg)
		r, cands := fullRanker(e, store, prompt)
		all, _ := r.bounds(cands, r.filters, 0, len(cands), 0, nil)
		want := make([]scored, len(all))
		loose := 0
		for k := range all {
			want[k] = r.exact(cands, &all[k])
			if want[k].score > all[k].lo {
				loose++
			}
			ub := r.upperBound(all[k].f, len(cands[all[k].idx].Evidence), math.Log(all[k].f.fit))
			if !(ub >= want[k].score) {
				t.Fatalf("n=%d: %s scores %v, above its upper bound %v", n, want[k].domain, want[k].score, ub)
			}
		}
		if loose < len(all)/2 {
			t.Fatalf("n=%d: %d of %d lower bounds below the exact score; the world does not test the bounds", n, loose, len(all))
		}
		slices.SortFunc(want, func(a, b scored) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return strings.Compare(a.domain, b.domain)
		})
		for _, limit := range []int{1, 25, 100} {
			res, err := e.Rank(context.Background(), Query{Prompt: prompt, Limit: limit, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalMatches != len(all) || len(res.Leads) != limit {
				t.Fatalf("n=%d limit %d: %d leads of %d matches, want %d of %d", n, limit, len(res.Leads), res.TotalMatches, limit, len(all))
			}
			for i, l := range res.Leads {
				if l.Profile.Domain != want[i].domain || l.Score != e.cfg.Platt.Calibrate(want[i].score) {
					t.Fatalf("n=%d limit %d: lead %d: %s %v, want %s %v", n, limit, i, l.Profile.Domain, l.Score, want[i].domain, e.cfg.Platt.Calibrate(want[i].score))
				}
			}
		}
	}
}
