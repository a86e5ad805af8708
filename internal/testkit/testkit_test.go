package testkit

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/localsvc"
)

func TestMain(m *testing.M) { Main(m) }

func TestFreePort(t *testing.T) {
	port := FreePort(t)
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen on the free port %d: %v", port, err)
	}
	ln.Close()
}

func TestRedis(t *testing.T) {
	t.Parallel()
	addr := Redis(t)
	ctx := t.Context()
	rdb := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING: %v", err)
	}
	if err := rdb.Set(ctx, "company:acme.com", "acme", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	got, err := rdb.Get(ctx, "company:acme.com").Result()
	if err != nil || got != "acme" {
		t.Fatalf("GET = %q, %v; want \"acme\"", got, err)
	}
}

func TestRedisServerPerCall(t *testing.T) {
	if os.Getenv(RedisAddrEnv) != "" {
		t.Skipf("%s names the one server every test shares", RedisAddrEnv)
	}
	t.Parallel()
	first, second := Redis(t), Redis(t)
	if first == second {
		t.Fatalf("two calls returned the same server %s", first)
	}
	ctx := t.Context()
	rdb := redis.NewClient(&redis.Options{Addr: first, DisableIdentity: true})
	defer rdb.Close()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	other := redis.NewClient(&redis.Options{Addr: second, DisableIdentity: true})
	defer other.Close()
	if n, err := other.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("second server DBSIZE = %d, %v; want an empty server", n, err)
	}

	var addr string
	t.Run("inner", func(t *testing.T) { addr = Redis(t) })
	if err := localsvc.PingRedis(addr); err == nil {
		t.Fatalf("redis-server on %s still answers after its test ended", addr)
	}
}

func TestClickHouseDB(t *testing.T) {
	t.Parallel()
	ch := ClickHouseDB(t)
	if ch.Addr == "" || ch.Database == "" {
		t.Fatalf("ClickHouseDB = %+v", ch)
	}
	conn := ch.Open(t)
	ctx := t.Context()

	err := conn.Exec(ctx, `CREATE TABLE signals (
		event_id String,
		domain String,
		occurred_at DateTime,
		weight Float64
	) ENGINE = MergeTree ORDER BY (domain, event_id)`)
	if err != nil {
		t.Fatalf("create table: %v", err)
	}
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO signals (event_id, domain, occurred_at, weight)")
	if err != nil {
		t.Fatalf("prepare batch: %v", err)
	}
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, domain := range []string{"acme.com", "globex.com", "acme.com"} {
		if err := batch.Append("e"+strconv.Itoa(i), domain, at, float64(i)+0.5); err != nil {
			t.Fatalf("append: %v", err)
		}
	}
	if err := batch.Send(); err != nil {
		t.Fatalf("send batch: %v", err)
	}

	rows, err := conn.Query(ctx, "SELECT domain, count() AS n, sum(weight) FROM signals GROUP BY domain ORDER BY domain")
	if err != nil {
		t.Fatalf("select: %v", err)
	}
	defer rows.Close()
	type row struct {
		domain string
		n      uint64
		weight float64
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.domain, &r.n, &r.weight); err != nil {
			t.Fatalf("scan: %v", err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows: %v", err)
	}
	want := []row{{"acme.com", 2, 3}, {"globex.com", 1, 1.5}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}

	if ch.HTTPAddr == "" {
		return // a server named by LEADPOET_TEST_CLICKHOUSE_ADDR alone
	}
	// The HTTP port serves the same server.
	client := http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + ch.HTTPAddr + "/?query=" + "SELECT%20count()%20FROM%20" + ch.Database + ".signals")
	if err != nil {
		t.Fatalf("HTTP query: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.TrimSpace(string(body)) != "3" {
		t.Fatalf("HTTP count = %q (%s), want 3", body, resp.Status)
	}
}

func TestClickHouseDBIsolatesTests(t *testing.T) {
	t.Parallel()
	var first ClickHouse
	t.Run("first", func(t *testing.T) {
		first = ClickHouseDB(t)
		if err := first.Open(t).Exec(t.Context(), "CREATE TABLE leftover (x UInt8) ENGINE = Memory"); err != nil {
			t.Fatalf("create table: %v", err)
		}
	})
	second := ClickHouseDB(t)
	if second.Database == first.Database {
		t.Fatalf("two calls returned the same database %s", second.Database)
	}
	if second.Addr != first.Addr {
		t.Errorf("second server %s, want the shared server %s", second.Addr, first.Addr)
	}
	var n uint64
	err := second.Open(t).QueryRow(t.Context(), "SELECT count() FROM system.databases WHERE name = ?", first.Database).Scan(&n)
	if err != nil {
		t.Fatalf("look for the first database: %v", err)
	}
	if n != 0 {
		t.Fatalf("database %s of a finished test still exists", first.Database)
	}
}

func TestKafka(t *testing.T) {
	t.Parallel()
	const topic = "leadpoet.signals.jobs.v1"
	c := Kafka(t, topic)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	producer, err := kgo.NewClient(kgo.SeedBrokers(KafkaAddrs(c)...))
	if err != nil {
		t.Fatalf("producer: %v", err)
	}
	defer producer.Close()
	rec := &kgo.Record{Topic: topic, Key: []byte("acme.com"), Value: []byte(`{"event_id":"e1"}`)}
	if err := producer.ProduceSync(ctx, rec).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}

	consumer, err := kgo.NewClient(
		kgo.SeedBrokers(KafkaAddrs(c)...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	)
	if err != nil {
		t.Fatalf("consumer: %v", err)
	}
	defer consumer.Close()
	fetches := consumer.PollFetches(ctx)
	if err := fetches.Err(); err != nil {
		t.Fatalf("fetch: %v", err)
	}
	recs := fetches.Records()
	if len(recs) != 1 || string(recs[0].Key) != "acme.com" || string(recs[0].Value) != `{"event_id":"e1"}` {
		t.Fatalf("fetched %d records %v, want the one produced", len(recs), recs)
	}
}

func TestDatabaseName(t *testing.T) {
	tests := []struct {
		name, test, prefix string
	}{
		{"simple", "TestX", "test_testx_"},
		{"subtest", "TestX/case one", "test_testx_case_one_"},
		{"symbols only", "Test/#!", "test_test_"},
		{"long", "Test" + strings.Repeat("a", 100), "test_test" + strings.Repeat("a", 36)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := databaseName(tt.test)
			if !strings.HasPrefix(got, tt.prefix) || len(got) > 5+40+1+8 {
				t.Fatalf("databaseName(%q) = %q, want prefix %q", tt.test, got, tt.prefix)
			}
			if got == databaseName(tt.test) {
				t.Fatalf("databaseName(%q) gave %q twice", tt.test, got)
			}
		})
	}
}
