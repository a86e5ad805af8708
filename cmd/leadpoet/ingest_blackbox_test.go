package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

// TestIngestAndAPIProcesses runs `leadpoet ingest` and `leadpoet api` as processes
// against a broker outside them, produces over TCP, queries over HTTP, stops ingest
// with SIGTERM and restarts it.
func TestIngestAndAPIProcesses(t *testing.T) {
	redisAddr := testkit.Redis(t)
	ch := testkit.ClickHouseDB(t)
	cluster := testkit.Kafka(t, schemas.AllTopics...)
	brokers := cluster.ListenAddrs()[0]

	const key = "lp_test_key_blackbox"
	keysFile := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keysFile, []byte("# test key\n"+api.HashKey(key)+" query\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opsAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	apiAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testkit.FreePort(t)))
	storeFlags := []string{
		"-kafka.brokers=" + brokers,
		"-redis.addr=" + redisAddr,
		"-clickhouse.addr=" + ch.Addr,
		"-clickhouse.database=" + ch.Database,
	}
	ingestArgs := append([]string{"ingest", "-ingest.listen=" + opsAddr, "-ingest.drain-timeout=10s"}, storeFlags...)
	ing := start(t, ingestArgs...)
	apiProc := start(t, append([]string{"api", "-api.listen=" + apiAddr, "-auth.keys-file=" + keysFile}, storeFlags...)...)
	_ = apiProc

	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	now := time.Now().UTC()
	company := map[string]any{
		"event_id": "bb-company-1", "occurred_at": now.Add(-time.Hour).Format(time.RFC3339),
		"domain": "https://www.Acme-Helpdesk.example/about", "company_name": "Acme Helpdesk Buyers",
		"industry": "saas", "employees": 120,
		"location": map[string]string{"city": "Boston", "region": "MA", "country": "United States"},
		"contacts": []map[string]string{{"name": "Dana Lee", "title": "Head of Customer Support", "email": "dana@acme-helpdesk.example"}},
	}
	job := map[string]any{
		"event_id": "bb-job-1", "occurred_at": now.Add(-2 * time.Hour).Format(time.RFC3339),
		"domain": "acme-helpdesk.example", "title": "Customer Support Operations Lead",
		"description": "Own our help desk and ticketing software rollout; evaluate Zendesk and Freshdesk for the customer support team.",
		"url":         "https://acme-helpdesk.example/careers/support-ops",
	}
	produce(t, cl, schemas.TopicCompanies, "acme-helpdesk.example", mustJSON(t, company))
	produce(t, cl, schemas.TopicJobs, "acme-helpdesk.example", mustJSON(t, job),
		`{"event_id": "bb-bad-json", `, // not valid JSON
		`{"event_id": "bb-no-title", "occurred_at": "2026-01-02T03:04:05Z", "domain": "acme-helpdesk.example"}`)

	base := "http://" + apiAddr
	body := `{"query": "Find SaaS companies looking for customer support help desk software", "limit": 25}`
	eventually(t, 20*time.Second, "company appears in /query", func() error {
		code, qr, raw, err := postQuery(base, key, body)
		if err != nil {
			return err
		}
		if code != 200 {
			return fmt.Errorf("status %d: %s", code, raw)
		}
		for _, l := range qr.Leads {
			if l.Domain == "acme-helpdesk.example" {
				if len(l.IntentSignals) == 0 || l.ContactInfo["name"] != "Dana Lee" || l.CompanySize != "51-200" {
					return fmt.Errorf("lead lacks its evidence or profile: %s", raw)
				}
				return nil
			}
		}
		return fmt.Errorf("not among %d leads", len(qr.Leads))
	})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	chs, err := chstore.Open(ctx, chstore.Config{Enabled: true, Addr: ch.Addr, Database: ch.Database}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer chs.Close()
	if n, err := chs.CountSignals(ctx, "acme-helpdesk.example"); err != nil || n != 1 {
		t.Fatalf("clickhouse signals of acme-helpdesk.example = %d, %v; want 1", n, err)
	}
	if row, ok, err := chs.LatestCompany(ctx, "acme-helpdesk.example"); err != nil || !ok || row.CompanyName != "Acme Helpdesk Buyers" {
		t.Fatalf("clickhouse company = %+v, %v, %v", row, ok, err)
	}

	// Both bad records are dead-lettered with their reasons.
	dlq := testkit.DLQCodes(t, brokers, 2)
	if dlq[`{"event_id": "bb-bad-json", `] != schemas.CodeBadJSON || dlq["bb-no-title"] != schemas.CodeMissingField {
		t.Errorf("dlq codes = %v, want bad_json for the broken record and missing_field for the one without title", dlq)
	}

	// SIGTERM: exit 0 within the drain deadline, offsets committed.
	code, took := ing.stop(15 * time.Second)
	if code != 0 {
		t.Fatalf("ingest exited %d after SIGTERM", code)
	}
	t.Logf("ingest exited 0 %s after SIGTERM", took.Round(time.Millisecond))
	adm := kadm.NewClient(cl)
	// The API's query log may still be producing when ingest stops: its topic is
	// left out; every record of the topics produced above must be committed.
	if lag, err := committedLagExcept(ctx, adm, "leadpoet-ingest", schemas.TopicQueries); err != nil || lag != 0 {
		t.Fatalf("committed lag after shutdown = %d, %v; want 0", lag, err)
	}

	// A restart consumes nothing twice: only the one new record.
	ing2 := start(t, ingestArgs...)
	produce(t, cl, schemas.TopicJobs, "acme-helpdesk.example", mustJSON(t, map[string]any{
		"event_id": "bb-job-2", "occurred_at": now.Add(-time.Minute).Format(time.RFC3339),
		"domain": "acme-helpdesk.example", "title": "Support Tooling Engineer",
	}))
	eventually(t, 20*time.Second, "restarted ingest consumes the new record", func() error {
		// Only the job topic: the API's query log (leadpoet.queries.v1) may hold
		// records produced after the first ingest stopped.
		n, err := scrapeCounter("http://"+opsAddr+"/metrics", `leadpoet_ingest_records_total{topic="`+schemas.TopicJobs+`"}`)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("consumed %v job records since restart, want 1", n)
		}
		return nil
	})
	if n, err := chs.CountSignals(ctx, "acme-helpdesk.example"); err != nil || n != 2 {
		t.Fatalf("clickhouse signals after restart = %d, %v; want 2", n, err)
	}
	if code, _ := ing2.stop(15 * time.Second); code != 0 {
		t.Fatalf("restarted ingest exited %d", code)
	}
	if code, _ := apiProc.stop(15 * time.Second); code != 0 {
		t.Fatalf("api exited %d", code)
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
