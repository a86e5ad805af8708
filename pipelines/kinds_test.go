package pipelines_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// TestEveryTopic produces good and bad records of every event topic over Kafka and
// checks what reaches ClickHouse, the online store and the DLQ.
func TestEveryTopic(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	at := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339Nano) }
	const d = "acme.example"
	e.produce(t, schemas.TopicCompanies,
		js(t, map[string]any{"event_id": "co-1", "occurred_at": at(48 * time.Hour), "domain": d, "company_name": "Acme", "employees": 300,
			"technologies": []string{"Zendesk"}, "contacts": []map[string]string{{"name": "Kim", "title": "COO"}}}),
		`{"event_id":"co-bad","occurred_at":"`+at(0)+`","domain":"`+d+`","company_name":"X","employees":-4}`)
	e.produce(t, schemas.TopicJobs,
		js(t, map[string]any{"event_id": "job-1", "occurred_at": at(5 * time.Hour), "domain": d, "title": "Help Desk Lead", "description": "Own the help desk."}),
		`{"event_id":"job-bad","occurred_at":"`+at(0)+`","domain":"`+d+`"}`)
	e.produce(t, schemas.TopicSites,
		js(t, map[string]any{"event_id": "site-1", "occurred_at": at(4 * time.Hour), "domain": d, "url": "https://acme.example/support", "title": "Support", "text": "Our help desk answers in minutes."}),
		`{"event_id":"site-bad","occurred_at":"`+at(0)+`","domain":"`+d+`","url":"https://acme.example/x"}`)
	e.produce(t, schemas.TopicActivity,
		js(t, map[string]any{"event_id": "act-1", "occurred_at": at(3 * time.Hour), "domain": d, "action": "demo_request", "topic": "help desk software", "count": 2}),
		`{"event_id":"act-bad","occurred_at":"`+at(0)+`","domain":"`+d+`","action":"telepathy"}`)
	e.produce(t, schemas.TopicTech,
		js(t, map[string]any{"event_id": "tech-1", "occurred_at": at(2 * time.Hour), "domain": d, "technology": "Zendesk", "change": "removed", "category": "help desk"}),
		`{"event_id":"tech-bad","occurred_at":"`+at(0)+`","domain":"`+d+`","technology":"Zendesk","change":"maybe"}`)
	e.produce(t, schemas.TopicOutcomes,
		js(t, map[string]any{"event_id": "out-1", "occurred_at": at(time.Hour), "domain": d, "product": "help desk software", "outcome": "opportunity"}),
		`{"event_id":"out-bad","occurred_at":"`+at(0)+`","domain":"`+d+`","product":"x","outcome":"won"}`)
	e.consume(t, "g")

	ctx := context.Background()
	if n, err := e.ch.CountSignals(ctx, d); err != nil || n != 4 {
		t.Errorf("clickhouse signals = %d, %v; want 4 (job, site, activity, tech)", n, err)
	}
	terms := scorer.Tokenize("help desk")
	cands, _, err := e.redis.Retrieve(ctx, scorer.Retrieval{Terms: terms, PerTerm: 10, Now: now})
	if err != nil || len(cands) != 1 {
		t.Fatalf("candidates = %+v, %v", cands, err)
	}
	c := cands[0]
	kinds := map[string]bool{}
	for _, ev := range c.Evidence {
		kinds[ev.Kind] = true
	}
	for _, k := range []string{pipelines.KindJob, pipelines.KindSite, pipelines.KindActivity, pipelines.KindTech} {
		if !kinds[k] {
			t.Errorf("no %s evidence online: %+v", k, c.Evidence)
		}
	}
	if st, ok := c.Stack["zendesk"]; !ok || st.Change != schemas.ChangeRemoved {
		t.Errorf("stack = %+v, want zendesk removed", c.Stack)
	}
	if i := slices.Index(terms, "help_desk"); i < 0 || c.Weights[i] <= 0 || c.Baselines[i] <= 0 {
		t.Errorf("terms %q: weights %v, baselines %v", terms, c.Weights, c.Baselines)
	}
	if c.Profile.Name != "Acme" || c.Profile.SizeBucket != "201-1000" {
		t.Errorf("profile = %+v", c.Profile)
	}

	got := testkit.DLQCodes(t, e.brokers, 6)
	want := map[string]string{"co-bad": schemas.CodeBadValue, "job-bad": schemas.CodeMissingField, "site-bad": schemas.CodeMissingField,
		"act-bad": schemas.CodeBadEnum, "tech-bad": schemas.CodeBadEnum, "out-bad": schemas.CodeBadEnum}
	for id, code := range want {
		if got[id] != code {
			t.Errorf("dlq %s = %q, want %q", id, got[id], code)
		}
	}
	var outcomes uint64
	if err := e.chConn(t).QueryRow(ctx, "SELECT count() FROM outcomes FINAL WHERE domain = ?", d).Scan(&outcomes); err != nil || outcomes != 1 {
		t.Errorf("outcomes = %d, %v; want 1", outcomes, err)
	}
}

// TestRebuildMatchesLive empties the online store and rebuilds it from ClickHouse:
// the result equals what live ingest built.
func TestRebuildMatchesLive(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	var cos, jobs, sites, acts, techs []string
	for i := range 40 {
		d := fmt.Sprintf("c%d.example", i%13)
		at := now.Add(-time.Duration(i) * 7 * time.Hour).Format(time.RFC3339Nano)
		if i < 13 {
			cos = append(cos, js(t, map[string]any{"event_id": "co" + d, "occurred_at": at, "domain": d, "company_name": "Co " + d, "employees": 10 * i,
				"location": map[string]string{"city": "Boston", "region": "MA"}, "contacts": []map[string]string{{"name": "N" + d, "title": "CTO"}}}))
		}
		jobs = append(jobs, js(t, map[string]any{"event_id": fmt.Sprintf("j%d", i), "occurred_at": at, "domain": d, "title": "Site Reliability Engineer", "description": "Datadog and Prometheus monitoring."}))
		sites = append(sites, js(t, map[string]any{"event_id": fmt.Sprintf("s%d", i), "occurred_at": at, "domain": d, "url": "https://" + d + "/p", "text": "Observability for every service."}))
		acts = append(acts, js(t, map[string]any{"event_id": fmt.Sprintf("a%d", i), "occurred_at": at, "domain": d, "action": schemas.Actions()[i%9], "topic": "APM tools", "count": i%4 + 1}))
		techs = append(techs, js(t, map[string]any{"event_id": fmt.Sprintf("t%d", i), "occurred_at": at, "domain": d, "technology": []string{"New Relic", "Datadog"}[i%2], "change": schemas.Changes()[i%2]}))
	}
	e.produce(t, schemas.TopicCompanies, cos...)
	e.produce(t, schemas.TopicJobs, jobs...)
	e.produce(t, schemas.TopicSites, sites...)
	e.produce(t, schemas.TopicActivity, acts...)
	e.produce(t, schemas.TopicTech, techs...)
	e.consume(t, "live")
	ctx := context.Background()
	live, err := e.redis.Snapshot(ctx)
	if err != nil || len(live) < 50 {
		t.Fatalf("live snapshot: %d keys, %v", len(live), err)
	}
	if n, err := e.redis.Flush(ctx); err != nil || n != int64(len(live)) {
		t.Fatalf("flush deleted %d of %d keys: %v", n, len(live), err)
	}
	var last, total int64
	if err := pipelines.Rebuild(ctx, e.ch, e.redis, taxonomy(), func(done, tot int64) { last, total = done, tot }); err != nil {
		t.Fatal(err)
	}
	if last != total || total != 13+160 {
		t.Errorf("progress ended at %d of %d, want 173 of 173", last, total)
	}
	rebuilt, err := e.redis.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := redisstoreDiff(live, rebuilt); len(diff) > 0 {
		t.Errorf("rebuilt store differs from the live one:\n%s", diff)
	}
}
