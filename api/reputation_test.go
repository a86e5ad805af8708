package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/scorer"
)

// reputationDoc is API-SPEC.md's reputation document.
type reputationDoc struct {
	APIKey                string   `json:"api_key"`
	ReputationScore       float64  `json:"reputation_score"`
	TotalQueries          int64    `json:"total_queries"`
	SuccessfulQueries     int64    `json:"successful_queries"`
	FailedQueries         int64    `json:"failed_queries"`
	AverageResponseTimeMS float64  `json:"average_response_time_ms"`
	CostEfficiency        float64  `json:"cost_efficiency"`
	ThrottleStatus        string   `json:"throttle_status"`
	ThrottleReason        string   `json:"throttle_reason"`
	Recommendations       []string `json:"recommendations"`
}

func (e *env) reputation(t *testing.T) reputationDoc {
	t.Helper()
	var d reputationDoc
	e.get(t, "/query-quality/reputation", &d)
	return d
}

// byPrompt answers prompts about customer support with sampleResult and
// everything else with nothing.
type byPrompt struct{}

func (byPrompt) Rank(_ context.Context, q scorer.Query) (scorer.Result, error) {
	if strings.Contains(q.Prompt, "customer support") {
		return sampleResult(), nil
	}
	return scorer.Result{}, nil
}

const vagueQuery = `{"query":"Find all the businesses"}`

func TestReputationDocument(t *testing.T) {
	e := newEnv(t, nil, withDeps(func(d *api.Deps) { d.Ranker = byPrompt{} }))
	r := e.do(t, "GET", "/query-quality/reputation", "", map[string]string{"Authorization": "Bearer " + goodKey})
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatalf("%d %s: %v", r.status, r.body, err)
	}
	want := []string{"api_key", "average_response_time_ms", "cost_efficiency", "failed_queries", "recommendations",
		"reputation_score", "successful_queries", "throttle_reason", "throttle_status", "total_queries"}
	if keys := slices.Sorted(maps.Keys(raw)); !slices.Equal(keys, want) {
		t.Errorf("fields %v, want exactly the spec's %v", keys, want)
	}
	d := e.reputation(t)
	fresh := reputationDoc{APIKey: "key_good...", ReputationScore: 1, CostEfficiency: 1, ThrottleStatus: "none", Recommendations: []string{}}
	if fmt.Sprint(d) != fmt.Sprint(fresh) {
		t.Errorf("new key\n got %+v\nwant %+v", d, fresh)
	}
	if strings.Contains(string(r.body), goodKey) || strings.Contains(string(r.body), e.keyID) {
		t.Errorf("the document shows more than the start of the key id: %s", r.body)
	}

	e.clock.step = 4 * time.Millisecond
	if r := e.query(t, `{"query":"Find SaaS companies with 50-200 employees looking for customer support software","filters":{"industries":["saas"],"location":"US"}}`); r.status != 200 {
		t.Fatalf("query: %d %s", r.status, r.body)
	}
	e.query(t, `{"query":"CRM"}`)
	e.clock.step = 0
	d = e.reputation(t)
	if d.TotalQueries != 2 || d.SuccessfulQueries != 1 || d.FailedQueries != 1 {
		t.Errorf("counts %d/%d/%d, want 2 total, 1 successful, 1 failed", d.TotalQueries, d.SuccessfulQueries, d.FailedQueries)
	}
	if d.AverageResponseTimeMS != 4 { // one 4 ms step for each query
		t.Errorf("average_response_time_ms = %v, want 4", d.AverageResponseTimeMS)
	}
	if d.CostEfficiency < 0.99 {
		t.Errorf("cost_efficiency = %v for a cheap answer, want about 1", d.CostEfficiency)
	}
	// 0.9·1 + 0.1·q, then 0.9·that: a good query and an invalid one.
	if d.ReputationScore >= 1 || d.ReputationScore < 0.85 || d.ThrottleStatus != "none" {
		t.Errorf("after a good and an invalid query: score %v, status %s", d.ReputationScore, d.ThrottleStatus)
	}
}

// TestReputationThrottlesAndRecovers: vague queries with empty answers lower the
// score until the key is throttled; time lifts the throttle; good queries
// restore the score.
func TestReputationThrottlesAndRecovers(t *testing.T) {
	e := newEnv(t, nil, withDeps(func(d *api.Deps) { d.Ranker = byPrompt{} }))
	prev := 1.0
	for i := range 20 {
		if r := e.query(t, vagueQuery); r.status != 200 {
			t.Fatalf("vague query %d: %d %s", i, r.status, r.body)
		}
		d := e.reputation(t)
		if d.ReputationScore >= prev {
			t.Fatalf("vague query %d did not lower the score: %v → %v", i, prev, d.ReputationScore)
		}
		prev = d.ReputationScore
	}
	d := e.reputation(t)
	if d.ReputationScore >= 0.3 || d.ThrottleStatus != "active" || d.ThrottleReason != "Queries return few or no leads" {
		t.Fatalf("after 20 vague queries: %+v; want a score below 0.3, throttled for empty results", d)
	}
	for _, want := range []string{"more specific queries", "filters to reduce noise", "few or no leads", "cost efficiency"} {
		if !slices.ContainsFunc(d.Recommendations, func(r string) bool { return strings.Contains(r, want) }) {
			t.Errorf("recommendations %q lack %q", d.Recommendations, want)
		}
	}

	r := e.query(t, goodQuery)
	env := wantEnvelope(t, r, http.StatusTooManyRequests, "QUERY_THROTTLED")
	score := env.Error.Details["reputation_score"].(float64)
	// Recovery toward 0.5 halves the distance every 10 minutes.
	wantWait := 600 * math.Log2((0.5-score)/(0.5-0.3))
	retry := headerInt(t, r, "Retry-After")
	if math.Abs(float64(retry)-wantWait) > 2 {
		t.Errorf("Retry-After = %d s, want about %.0f s", retry, wantWait)
	}
	if got := e.reputation(t).TotalQueries; got != 20 {
		t.Errorf("total_queries = %d, want 20: throttled requests are not scored", got)
	}

	e.clock.Advance(time.Duration(retry-30) * time.Second)
	wantEnvelope(t, e.query(t, goodQuery), http.StatusTooManyRequests, "QUERY_THROTTLED")
	e.clock.Advance(31 * time.Second)
	if r := e.query(t, goodQuery); r.status != 200 {
		t.Fatalf("after recovery: %d %s", r.status, r.body)
	}
	for range 20 {
		if r := e.query(t, goodQuery); r.status != 200 {
			t.Fatalf("good query: %d %s", r.status, r.body)
		}
	}
	if d := e.reputation(t); d.ReputationScore < 0.5 || d.ThrottleStatus != "none" || d.ThrottleReason != "" {
		t.Errorf("after 21 good queries: %+v; want a score of at least 0.5 and no throttle", d)
	}
}

func TestReputationInvalidQueries(t *testing.T) {
	e := newEnv(t, nil)
	for range 20 {
		wantEnvelope(t, e.query(t, `{"query":"CRM"}`), http.StatusBadRequest, "INVALID_QUERY")
	}
	d := e.reputation(t)
	if d.ThrottleStatus != "active" || d.ThrottleReason != "Many queries fail validation" || d.FailedQueries != 20 || d.SuccessfulQueries != 0 {
		t.Errorf("after 20 invalid queries: %+v", d)
	}
	if len(d.Recommendations) == 0 || !strings.Contains(d.Recommendations[0], "10 to 1000 characters") {
		t.Errorf("recommendations %q do not start with the validation advice", d.Recommendations)
	}
	wantEnvelope(t, e.query(t, goodQuery), http.StatusTooManyRequests, "QUERY_THROTTLED")
	// Throttling is per key: another key is unaffected.
	r := e.do(t, "POST", "/query", goodQuery, map[string]string{"Authorization": "Bearer " + queryOnlyKey})
	if r.status != 200 {
		t.Errorf("another key: %d %s", r.status, r.body)
	}
}

// TestReputationServerErrors: failures on the server's side count as failed
// queries but never throttle a key.
func TestReputationServerErrors(t *testing.T) {
	e := newEnv(t, &fakeRanker{err: errSecret})
	for range 30 {
		wantEnvelope(t, e.query(t, goodQuery), http.StatusInternalServerError, "INTERNAL_ERROR")
	}
	d := e.reputation(t)
	if d.FailedQueries != 30 || d.ThrottleStatus != "none" || d.ReputationScore < 0.5 {
		t.Errorf("after 30 server errors: %+v; want 30 failed, score at least neutral, no throttle", d)
	}
}

func TestReputationThrottleOff(t *testing.T) {
	e := newEnv(t, nil, noThrottle)
	for range 25 {
		e.query(t, `{"query":"CRM"}`)
	}
	if r := e.query(t, goodQuery); r.status != 200 {
		t.Errorf("with throttling off: %d %s", r.status, r.body)
	}
	if d := e.reputation(t); d.ThrottleStatus != "warning" || d.ReputationScore >= 0.3 {
		t.Errorf("with throttling off, a low score is a warning: %+v", d)
	}
}
