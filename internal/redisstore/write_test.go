package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/scorer"
)

func open(t *testing.T, maxEvidence int) *redisstore.Store {
	t.Helper()
	s, err := redisstore.Open(context.Background(), redisstore.Config{Addr: testkit.Redis(t), PoolSize: 2, MaxEvidence: maxEvidence},
		scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// updates returns n signal updates over a few companies, with overlapping terms,
// one technographic change in five, and evidence times a minute apart.
func updates(n int) []redisstore.SignalUpdate {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]redisstore.SignalUpdate, n)
	for i := range out {
		d := fmt.Sprintf("c%d.example", i%7)
		u := redisstore.SignalUpdate{
			EventID: fmt.Sprintf("e%d", i), Domain: d,
			Evidence: scorer.Evidence{EventID: fmt.Sprintf("e%d", i), Kind: "job", Title: "t", ObservedAt: at.Add(time.Duration(i) * time.Minute)},
			Terms:    []redisstore.TermWeight{{Term: "support", Weight: 1 + float64(i%3)}, {Term: fmt.Sprintf("term%d", i%11), Weight: 0.5}, {Term: "topic:crm", Weight: 3.25}},
		}
		if i%5 == 0 {
			u.Tech = &redisstore.TechChange{ID: fmt.Sprintf("tech%d", i%3), Change: []string{"added", "removed"}[i%2], At: u.Evidence.ObservedAt}
		}
		out[i] = u
	}
	return out
}

// weightOf is u's weight of term, 0 if it lacks the term.
func weightOf(u redisstore.SignalUpdate, term string) float64 {
	for _, tw := range u.Terms {
		if tw.Term == term {
			return tw.Weight
		}
	}
	return 0
}

// A batch that partly repeats events applied before changes the store exactly as
// applying only its new events would, in one pass or in chunks of any size.
func TestApplyPartlyRepeatedBatch(t *testing.T) {
	ctx := context.Background()
	all := updates(400)
	once := open(t, 50)
	if err := once.Apply(ctx, nil, all); err != nil {
		t.Fatal(err)
	}
	want, err := once.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}

	s := open(t, 50)
	for _, part := range [][]redisstore.SignalUpdate{all[:150], all[100:250], all[:300], all[290:], all} {
		if err := s.Apply(ctx, nil, part); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := redisstore.Diff(want, got, 1e-12, 10); len(d) > 0 {
		t.Errorf("store after partly repeated batches differs:\n%s", strings.Join(d, "\n"))
	}
	// The same event twice in one batch counts once.
	dup := open(t, 50)
	if err := dup.Apply(ctx, nil, append(append([]redisstore.SignalUpdate{}, all...), all[:50]...)); err != nil {
		t.Fatal(err)
	}
	got, err = dup.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := redisstore.Diff(want, got, 1e-12, 10); len(d) > 0 {
		t.Errorf("store after a batch with repeated events differs:\n%s", strings.Join(d, "\n"))
	}
}

// Retrieve reads what Apply wrote: the decayed weight of each term under both decays,
// which are the sums over the company's events.
func TestRetrieveReadsBaseline(t *testing.T) {
	ctx := context.Background()
	s := open(t, 50)
	all := updates(70)
	if err := s.Apply(ctx, nil, all); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	// Heads of 100 hold every company; heads of 2 leave most companies' weights to
	// the company hash.
	for _, perTerm := range []int{100, 2} {
		cands, stats, err := s.Retrieve(ctx, scorer.Retrieval{Terms: []string{"support", "term3"}, PerTerm: perTerm, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		// With heads of 2, a third candidate is outside the head of one term.
		if n := len(cands); n < min(perTerm+1, 7) || stats.DocFreq["support"] != 7 || stats.DocFreq["term3"] != 7 || stats.Companies != 7 {
			t.Fatalf("heads of %d: %d candidates of 7 companies (stats %+v)", perTerm, n, stats)
		}
		fast, base := scorer.DefaultDecay(), scorer.BaselineDecay()
		for _, c := range cands {
			var wf, wb, tf, tb float64
			for _, u := range all {
				if u.Domain == c.Profile.Domain {
					wf += fast.Forward(weightOf(u, "support"), u.Evidence.ObservedAt)
					wb += base.Forward(weightOf(u, "support"), u.Evidence.ObservedAt)
					tf += fast.Forward(weightOf(u, "term3"), u.Evidence.ObservedAt)
					tb += base.Forward(weightOf(u, "term3"), u.Evidence.ObservedAt)
				}
			}
			for name, pair := range map[string][2]float64{
				"weight support":   {fast.At(wf, now), c.Weights[0]},
				"baseline support": {base.At(wb, now), c.Baselines[0]},
				"weight term3":     {fast.At(tf, now), c.Weights[1]},
				"baseline term3":   {base.At(tb, now), c.Baselines[1]},
			} {
				if d := pair[0] - pair[1]; d > 1e-9*pair[0] || -d > 1e-9*pair[0] {
					t.Errorf("heads of %d: %s %s: want %v, got %v", perTerm, c.Profile.Domain, name, pair[0], pair[1])
				}
			}
		}
	}
}

// Every index entry's score is the fast weight of the company hash, exactly, and
// every weight of a company hash has its index entry.
func TestIndexMatchesCompanyWeights(t *testing.T) {
	ctx := context.Background()
	s := open(t, 50)
	all := updates(400)
	for _, part := range [][]redisstore.SignalUpdate{all[:130], all[100:260], all[260:]} {
		if err := s.Apply(ctx, nil, part); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	weights := 0
	for k, m := range snap {
		domain, ok := strings.CutPrefix(k, "lp:co:{")
		if !ok {
			continue
		}
		domain = strings.TrimSuffix(domain, "}")
		for f, v := range m {
			term, ok := strings.CutPrefix(f, "w:")
			if !ok {
				continue
			}
			term, ok = strings.CutSuffix(term, "/fast")
			if !ok {
				continue
			}
			weights++
			if got, ok := snap["lp:ix:"+term][domain]; !ok || got != v {
				t.Errorf("%s %s: company hash says %s, index %q (present %v)", domain, term, v, got, ok)
			}
		}
	}
	entries := 0
	for k, m := range snap {
		if strings.HasPrefix(k, "lp:ix:") {
			entries += len(m)
		}
	}
	if weights == 0 || weights != entries {
		t.Errorf("%d company weights, %d index entries", weights, entries)
	}
}

// A store written in another key layout is refused, for writing and for reading,
// until a rebuild (Flush, then Apply) rewrites it; an empty store takes this layout.
func TestLayoutMark(t *testing.T) {
	ctx := context.Background()
	s := open(t, 50)
	rdb := s.Client()
	// Signals written without a layout mark: v2 or older.
	if err := rdb.HSet(ctx, "lp:stats", "docs", 3).Err(); err != nil {
		t.Fatal(err)
	}
	retrieval := scorer.Retrieval{Terms: []string{"support"}, PerTerm: 10, Now: time.Now()}
	if err := s.Apply(ctx, nil, updates(10)); !errors.Is(err, redisstore.ErrLayout) {
		t.Errorf("Apply on an unmarked store with signals: %v, want ErrLayout", err)
	}
	if _, _, err := s.Retrieve(ctx, retrieval); !errors.Is(err, redisstore.ErrLayout) {
		t.Errorf("Retrieve on an unmarked store with signals: %v, want ErrLayout", err)
	}
	if _, err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, nil, updates(10)); err != nil {
		t.Fatalf("Apply after Flush: %v", err)
	}
	if cands, _, err := s.Retrieve(ctx, retrieval); err != nil || len(cands) == 0 {
		t.Fatalf("Retrieve after a rebuild: %d candidates, %v", len(cands), err)
	}
	// Another process finds the mark; a mark of another layout is refused.
	other := open(t, 50)
	if err := other.Client().Set(ctx, "lp:layout", "2", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := other.Apply(ctx, nil, updates(10)); !errors.Is(err, redisstore.ErrLayout) {
		t.Errorf("Apply on a store marked v2: %v, want ErrLayout", err)
	}
}

// A company with more events and terms than one script step (1,000) takes, applied in
// two batches: every weight is the sum of its events', the index holds the fast
// weights, and every event id is in the seen set.
func TestApplyLargeCompany(t *testing.T) {
	ctx := context.Background()
	s := open(t, 50)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	fast := scorer.DefaultDecay()
	var all []redisstore.SignalUpdate
	wantFast := map[string]float64{}
	for i := range 1500 {
		u := redisstore.SignalUpdate{
			EventID: fmt.Sprintf("e%d", i), Domain: "big.example",
			Evidence: scorer.Evidence{EventID: fmt.Sprintf("e%d", i), Kind: "job", ObservedAt: at.Add(time.Duration(i) * time.Second)},
			Terms:    []redisstore.TermWeight{{Term: fmt.Sprintf("t%d", i%2500), Weight: 1}, {Term: fmt.Sprintf("t%d", (i+1500)%2500), Weight: 2}},
		}
		for _, tw := range u.Terms {
			wantFast[tw.Term] += fast.Forward(tw.Weight, u.Evidence.ObservedAt)
		}
		all = append(all, u)
	}
	for _, part := range [][]redisstore.SignalUpdate{all[:1100], all[900:]} {
		if err := s.Apply(ctx, nil, part); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(snap["lp:seen:{big.example}"]); n != 1500 {
		t.Errorf("%d event ids seen, want 1500", n)
	}
	co := snap["lp:co:{big.example}"]
	for term, want := range wantFast {
		got, err := strconv.ParseFloat(co["w:"+term+"/fast"], 64)
		if err != nil || math.Abs(got-want) > 1e-12*want {
			t.Errorf("%s: fast weight %v (%v), want %v", term, got, err, want)
		}
		if ix := snap["lp:ix:"+term]["big.example"]; ix != co["w:"+term+"/fast"] {
			t.Errorf("%s: index %q, company hash %q", term, ix, co["w:"+term+"/fast"])
		}
		if _, ok := co["w:"+term+"/base"]; !ok {
			t.Errorf("%s: no baseline", term)
		}
	}
	if len(wantFast) != 2500 {
		t.Fatalf("test covers %d terms, want 2500", len(wantFast))
	}
}

// A weight field that is not 16 bytes counts as no weight, as Retrieve reads it: the
// script does not fail halfway with the company's events marked applied.
func TestApplyOverMalformedWeight(t *testing.T) {
	ctx := context.Background()
	s := open(t, 50)
	if err := s.Apply(ctx, nil, updates(7)); err != nil {
		t.Fatal(err)
	}
	if err := s.Client().HSet(ctx, "lp:co:{c1.example}", "w:support", "garbage").Err(); err != nil {
		t.Fatal(err)
	}
	more := updates(14)[7:]
	if err := s.Apply(ctx, nil, more); err != nil {
		t.Fatalf("Apply over a malformed weight: %v", err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := scorer.DefaultDecay().Forward(weightOf(more[1], "support"), more[1].Evidence.ObservedAt) // e8, the one event of c1
	got, err := strconv.ParseFloat(snap["lp:co:{c1.example}"]["w:support/fast"], 64)
	if err != nil || math.Abs(got-want) > 1e-12*want {
		t.Errorf("c1 support weight %v (%v), want the new event's %v", got, err, want)
	}
}
