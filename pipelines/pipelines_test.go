package pipelines_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// taxonomy is the product taxonomy, loaded once for the package's tests.
var taxonomy = sync.OnceValue(scorer.LoadTaxonomy)

type env struct {
	db      testkit.ClickHouse
	brokers string
	redis   *redisstore.Store
	ch      *chstore.Store
	kcl     *kgo.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	cluster := testkit.Kafka(t, schemas.AllTopics...)
	rs, err := redisstore.Open(ctx, redisstore.Config{Addr: testkit.Redis(t), PoolSize: 4, MaxEvidence: 50}, scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	db := testkit.ClickHouseDB(t)
	chs, err := chstore.Open(ctx, chstore.Config{Enabled: true, Addr: db.Addr, Database: db.Database}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chs.Close() })
	kcl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(kcl.Close)
	return &env{db: db, brokers: cluster.ListenAddrs()[0], redis: rs, ch: chs, kcl: kcl}
}

// consume runs a consumer until the group has committed every record produced so far.
func (e *env) consume(t *testing.T, group string) {
	t.Helper()
	cfg := ingest.DefaultConfig()
	cfg.Group = group
	kc := kafkax.DefaultConfig()
	kc.Brokers = e.brokers
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	proc := pipelines.NewProcessor(e.ch, e.redis, taxonomy(), log, time.Now)
	cons, err := ingest.NewConsumer(cfg, kc, schemas.EventTopics(), proc, log, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cons.Run(ctx) }()
	waitCommitted(t, e.kcl, group)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("consumer: %v", err)
	}
}

func waitCommitted(t *testing.T, cl *kgo.Client, group string) {
	t.Helper()
	testkit.Eventually(t, 30*time.Second, 50*time.Millisecond, "group "+group+" commits everything", func() error {
		lag, err := groupLag(cl, group)
		if err != nil {
			return err
		}
		if lag != 0 {
			return fmt.Errorf("lag %d", lag)
		}
		return nil
	})
}

func (e *env) produce(t *testing.T, topic string, values ...string) {
	t.Helper()
	var recs []*kgo.Record
	for _, v := range values {
		recs = append(recs, &kgo.Record{Topic: topic, Value: []byte(v)})
	}
	if err := e.kcl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

func js(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIngestWritesStoresAndDeadLetters(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	ts := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339Nano) }
	e.produce(t, schemas.TopicCompanies,
		js(t, map[string]any{"event_id": "c1", "occurred_at": ts(2 * time.Hour), "domain": "WWW.Example.com", "company_name": "Example Old", "employees": 40}),
		js(t, map[string]any{"event_id": "c2", "occurred_at": ts(time.Hour), "domain": "example.com", "company_name": "Example Inc", "employees": 120, "industry": "saas"}),
		`{"event_id":"c3","occurred_at":"`+ts(0)+`","domain":"example.com"}`, // no company_name
	)
	e.produce(t, schemas.TopicJobs,
		js(t, map[string]any{"event_id": "j1", "occurred_at": ts(3 * time.Hour), "domain": "example.com", "title": "Help Desk Manager", "description": "Run our Zendesk help desk."}),
		js(t, map[string]any{"event_id": "j1", "occurred_at": ts(3 * time.Hour), "domain": "example.com", "title": "Help Desk Manager", "description": "Run our Zendesk help desk."}), // redelivered
		`not json`,
		js(t, map[string]any{"event_id": "j2", "occurred_at": now.Add(time.Hour).Format(time.RFC3339), "domain": "example.com", "title": "Future"}),
		js(t, map[string]any{"event_id": "j3", "occurred_at": ts(0), "domain": "not a domain", "title": "X"}),
		js(t, map[string]any{"event_id": 7, "occurred_at": ts(0), "domain": "example.com", "title": "X"}),
	)
	e.consume(t, "g1")

	ctx := context.Background()
	if n, err := e.ch.CountSignals(ctx, "example.com"); err != nil || n != 1 {
		t.Errorf("clickhouse signals = %d, %v; want 1 (the redelivered job counts once)", n, err)
	}
	row, ok, err := e.ch.LatestCompany(ctx, "example.com")
	if err != nil || !ok || row.CompanyName != "Example Inc" || row.Employees != 120 {
		t.Errorf("clickhouse latest company = %+v, %v, %v", row, ok, err)
	}

	cands, stats, err := e.redis.Retrieve(ctx, scorer.Retrieval{Terms: scorer.Tokenize("help desk"), PerTerm: 10, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 1 || cands[0].Profile.Name != "Example Inc" || cands[0].Profile.SizeBucket != "51-200" {
		t.Fatalf("candidates = %+v", cands)
	}
	if stats.Companies != 1 || len(cands[0].Evidence) != 1 || cands[0].Evidence[0].Title != "Help Desk Manager" {
		t.Errorf("stats %+v, evidence %+v: the redelivered job must count once", stats, cands[0].Evidence)
	}

	got := testkit.DLQCodes(t, e.brokers, 5)
	want := map[string]string{"c3": schemas.CodeMissingField, "not json": schemas.CodeBadJSON, "j2": schemas.CodeFutureTimestamp, "j3": schemas.CodeBadDomain}
	for id, code := range want {
		if got[id] != code {
			t.Errorf("dlq code of %s = %q, want %q (all: %v)", id, got[id], code, got)
		}
	}
	var wrongType int
	for _, c := range got {
		if c == schemas.CodeWrongType {
			wrongType++
		}
	}
	if wrongType != 1 {
		t.Errorf("want one wrong_type dlq record, got %v", got)
	}
}

func TestReplayChangesNothing(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	var jobs []string
	for i := range 50 {
		jobs = append(jobs, js(t, map[string]any{"event_id": fmt.Sprintf("j%d", i), "occurred_at": now.Add(-time.Duration(i) * time.Hour).Format(time.RFC3339),
			"domain": fmt.Sprintf("c%d.example.com", i%7), "title": "Customer Support Specialist", "description": "Zendesk tickets and help desk macros."}))
	}
	e.produce(t, schemas.TopicJobs, jobs...)
	e.consume(t, "first")
	before := snapshot(t, e.redis.Client())
	n1, _ := e.ch.CountSignals(context.Background(), "c0.example.com")
	// A second group reads everything again: the stores must not change.
	e.consume(t, "second")
	after := snapshot(t, e.redis.Client())
	if len(before) == 0 || fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("online store changed on replay:\nbefore %v\nafter  %v", before, after)
	}
	if n2, _ := e.ch.CountSignals(context.Background(), "c0.example.com"); n1 != n2 || n1 == 0 {
		t.Errorf("clickhouse signals %d then %d after replay", n1, n2)
	}
}

// snapshot reads every key of the online store by its content, in a canonical order.
func snapshot(t *testing.T, rdb *redis.Client) map[string]string {
	t.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "lp:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		var v any
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "hash":
			v, err = rdb.HGetAll(ctx, k).Result()
		case "zset":
			v, err = rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
		case "set":
			var m []string
			m, err = rdb.SMembers(ctx, k).Result()
			slices.Sort(m)
			v = m
		default:
			v, err = rdb.Get(ctx, k).Result()
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			t.Fatal(err)
		}
		out[k] = fmt.Sprint(v)
	}
	return out
}

func (e *env) chConn(t *testing.T) driver.Conn { return e.db.Open(t) }

func redisstoreDiff(a, b redisstore.Snapshot) string {
	return strings.Join(redisstore.Diff(a, b, 1e-12, 20), "\n")
}
