package pipelines_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// fixedRanker answers every query with res.
type fixedRanker struct{ res scorer.Result }

func (r fixedRanker) Rank(context.Context, scorer.Query) (scorer.Result, error) { return r.res, nil }

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

// TestQueriesOverHTTPLandInClickHouse sends queries to the API over HTTP, with the
// query log produced to Kafka, runs ingest over the queries topic and reads the
// rows back from ClickHouse.
func TestQueriesOverHTTPLandInClickHouse(t *testing.T) {
	e := newEnv(t)
	rdb := redis.NewClient(&redis.Options{Addr: testkit.Redis(t), DisableIdentity: true})
	t.Cleanup(func() { _ = rdb.Close() })
	const key = "sk_querylog_test"
	ranked := scorer.Result{
		Leads: []scorer.Lead{
			{Profile: scorer.Profile{Domain: "acme.com", Name: "Acme"}, Score: 0.9, Confidence: 0.8},
			{Profile: scorer.Profile{Domain: "beta.io", Name: "Beta"}, Score: 0.7, Confidence: 0.6},
		},
		Interpretation: scorer.Interpretation{Terms: []string{"crm"}},
		TotalMatches:   2,
	}
	srv, err := api.New(api.DefaultConfig(), api.Deps{
		Ranker:       fixedRanker{ranked},
		Keys:         api.StaticKeys{api.HashKey(key): {ID: "key_ql", Scopes: []string{api.ScopeQuery}}},
		Redis:        rdb,
		Dependencies: api.Dependencies{Redis: okPinger{}, Kafka: okPinger{}},
		QueryLog:     e.kcl,
		Registerer:   prometheus.NewRegistry(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	post := func(body string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/query", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("X-Request-ID", "req-"+strings.Repeat("x", len(body)%7))
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m
	}
	status, ok := post(`{"query":"Find companies looking for CRM software","limit":10,"filters":{"industries":["technology"]}}`)
	if status != http.StatusOK {
		t.Fatalf("good query: status %d, body %v", status, ok)
	}
	queryID := ok["metadata"].(map[string]any)["query_id"].(string)
	if status, body := post(`{"query":"short"}`); status != http.StatusBadRequest {
		t.Fatalf("short query: status %d, body %v", status, body)
	}
	if err := e.kcl.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	// A record that is not a query log goes to the DLQ.
	e.produce(t, schemas.TopicQueries, `{"query_id":"q_bad","key_id":"k","status":"two hundred"}`)

	cfg := ingest.DefaultConfig()
	cfg.Group = "querylog"
	kc := kafkax.DefaultConfig()
	kc.Brokers = e.brokers
	log := slog.New(slog.DiscardHandler)
	proc := pipelines.NewProcessor(e.ch, e.redis, taxonomy(), log, time.Now)
	cons, err := ingest.NewConsumer(cfg, kc, append(schemas.EventTopics(), schemas.TopicQueries), proc, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cons.Run(ctx) }()
	waitCommitted(t, e.kcl, cfg.Group)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("consumer: %v", err)
	}

	conn := e.db.Open(t)
	rows, err := conn.Query(t.Context(), "SELECT query_id, key_id, prompt, filters, interpretation, `limit`, results, domains, status, error_code, cost_usd "+
		"FROM queries FINAL ORDER BY status")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		queryID, keyID, prompt, filters, interp string
		limit, results                          uint32
		domains                                 []string
		status                                  uint16
		errorCode                               string
		cost                                    float64
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.queryID, &r.keyID, &r.prompt, &r.filters, &r.interp, &r.limit, &r.results, &r.domains, &r.status, &r.errorCode, &r.cost); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("queries rows = %+v, want 2", got)
	}
	good, bad := got[0], got[1]
	if good.queryID != queryID || good.keyID != "key_ql" || good.prompt != "Find companies looking for CRM software" ||
		good.limit != 10 || good.results != 2 || !slices.Equal(good.domains, []string{"acme.com", "beta.io"}) ||
		good.status != 200 || good.errorCode != "" || !(good.cost > 0) ||
		!strings.Contains(good.filters, `"industries":["technology"]`) || !strings.Contains(good.interp, "crm") {
		t.Errorf("answered query row = %+v", good)
	}
	if bad.status != 400 || bad.errorCode != "INVALID_QUERY" || bad.keyID != "key_ql" || bad.results != 0 {
		t.Errorf("refused query row = %+v", bad)
	}
	if codes := testkit.DLQCodes(t, e.brokers, 1); codes[`{"query_id":"q_bad","key_id":"k","status":"two hundred"}`] != schemas.CodeWrongType {
		t.Errorf("dlq codes = %v, want the bad query log as wrong_type", codes)
	}
}
