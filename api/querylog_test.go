package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

// readQueryLog reads want records of leadpoet.queries.v1 from brokers.
func readQueryLog(t *testing.T, brokers []string, want int) []schemas.QueryLog {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(schemas.TopicQueries),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var out []schemas.QueryLog
	for len(out) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d query log records", len(out), want)
		}
		fs.EachRecord(func(r *kgo.Record) {
			q, err := schemas.DecodeQueryLog(r.Value)
			if err != nil {
				t.Errorf("query log record %s: %v", r.Value, err)
				return
			}
			if string(r.Key) != q.KeyID {
				t.Errorf("record key %q, want the key id %q", r.Key, q.KeyID)
			}
			out = append(out, *q)
		})
	}
	return out
}

func TestQueryLogRecordsEveryAuthenticatedQuery(t *testing.T) {
	cluster := testkit.Kafka(t, schemas.TopicQueries)
	kcl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(kcl.Close)
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(roomyPlan()), noThrottle,
		withDeps(func(d *api.Deps) { d.QueryLog = kcl }))

	ok := e.query(t, `{"query":"Find companies looking for CRM software","limit":10,"filters":{"industries":["technology"]}}`)
	if ok.status != http.StatusOK {
		t.Fatalf("status %d: %s", ok.status, ok.body)
	}
	var resp struct {
		Metadata struct {
			QueryID string  `json:"query_id"`
			CostUSD float64 `json:"cost_usd"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(ok.body, &resp); err != nil {
		t.Fatal(err)
	}
	wantEnvelope(t, e.query(t, `{"query":"short"}`), http.StatusBadRequest, "INVALID_QUERY")
	wantEnvelope(t, e.do(t, http.MethodPost, "/query", `{"query":"Find companies looking for CRM software"}`,
		map[string]string{"Authorization": "Bearer " + noScopeKey}), http.StatusForbidden, "FORBIDDEN")
	// Unauthenticated requests are not logged: there is no key to log them under.
	wantEnvelope(t, e.do(t, http.MethodPost, "/query", `{"query":"Find companies looking for CRM software"}`, nil), http.StatusUnauthorized, "UNAUTHORIZED")

	recs := readQueryLog(t, cluster.ListenAddrs(), 3)
	byStatus := map[int]schemas.QueryLog{}
	for _, r := range recs {
		byStatus[r.Status] = r
	}
	good := byStatus[200]
	if good.QueryID != resp.Metadata.QueryID || good.RequestID != ok.header.Get("X-Request-ID") ||
		good.KeyID != "key_good"+e.keyID || good.Prompt != "Find companies looking for CRM software" ||
		good.Limit != 10 || good.Results != 2 || strings.Join(good.Domains, ",") != "techcorp.com,acme.de" ||
		good.CostUSD != resp.Metadata.CostUSD || good.ErrorCode != "" || good.CreatedAt.IsZero() ||
		!strings.Contains(string(good.Filters), `"industries":["technology"]`) || !strings.Contains(string(good.Interpretation), `"crm"`) {
		t.Errorf("answered query record = %+v", good)
	}
	if bad := byStatus[400]; bad.ErrorCode != "INVALID_QUERY" || bad.Results != 0 || string(bad.Interpretation) != "null" {
		t.Errorf("invalid query record = %+v", bad)
	}
	if forbidden := byStatus[403]; forbidden.ErrorCode != "FORBIDDEN" || forbidden.KeyID != "key_noscope"+e.keyID {
		t.Errorf("forbidden query record = %+v", forbidden)
	}
	if got := metricValue(t, e, "leadpoet_api_querylog_errors_total"); got != 0 {
		t.Errorf("leadpoet_api_querylog_errors_total = %v, want 0", got)
	}
}

// TestQueryLogNeverBlocks: with no reachable broker and a full producer buffer,
// queries are answered at once and the dropped records are counted.
func TestQueryLogNeverBlocks(t *testing.T) {
	kcl, err := kgo.NewClient(kgo.SeedBrokers("127.0.0.1:1"), kgo.MaxBufferedRecords(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(kcl.Close)
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(roomyPlan()), noThrottle,
		withDeps(func(d *api.Deps) { d.QueryLog = kcl }))
	start := time.Now()
	for range 5 {
		if r := e.query(t, `{"query":"Find companies looking for CRM software"}`); r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("5 queries took %v with Kafka down", d)
	}
	// The first record waits in the buffer; the other four are dropped. The
	// counter is read after the response may have reached the client: poll.
	testkit.Eventually(t, 5*time.Second, 10*time.Millisecond, "dropped query-log records counted", func() error {
		if got := metricValue(t, e, "leadpoet_api_querylog_errors_total"); got < 4 {
			return fmt.Errorf("leadpoet_api_querylog_errors_total = %v, want at least 4", got)
		}
		return nil
	})
}

// metricValue returns the value of the unlabelled counter name on e's registry.
func metricValue(t *testing.T, e *env, name string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("metric %s not found", name)
	return 0
}
