package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/localsvc"
)

type healthDoc struct {
	Status        string `json:"status"`
	Timestamp     string `json:"timestamp"`
	Version       string `json:"version"`
	UptimeSeconds int64  `json:"uptime_seconds"`
	Database      string `json:"database"`
	Redis         string `json:"redis"`
	LLMService    string `json:"llm_service"`
	Kafka         string `json:"kafka"`
}

func TestHealth(t *testing.T) {
	down := fakePinger{err: errors.New("dial tcp: connection refused")}
	hung := fakePinger{block: true}
	up := fakePinger{}
	tests := []struct {
		name                      string
		redis, kafka, clickhouse  api.Pinger
		status                    int
		want                      string
		wantDB, wantRedis, wantKf string
	}{
		{"all up", up, up, up, 200, "healthy", "connected", "connected", "connected"},
		{"analytics off", up, up, nil, 200, "degraded", "disabled", "connected", "connected"},
		{"clickhouse down", up, up, down, 200, "degraded", "disconnected", "connected", "connected"},
		{"clickhouse hangs", up, up, hung, 200, "degraded", "disconnected", "connected", "connected"},
		{"redis down", down, up, up, 503, "unhealthy", "connected", "disconnected", "connected"},
		{"kafka down", up, down, up, 503, "unhealthy", "connected", "connected", "disconnected"},
		{"redis hangs, analytics off", hung, up, nil, 503, "unhealthy", "disabled", "disconnected", "connected"},
		{"everything down", down, down, down, 503, "unhealthy", "disconnected", "disconnected", "disconnected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil,
				withConfig(func(c *api.Config) { c.HealthTimeout = 20 * time.Millisecond }),
				withDeps(func(d *api.Deps) {
					d.Dependencies = api.Dependencies{Redis: tt.redis, Kafka: tt.kafka, ClickHouse: tt.clickhouse}
				}))
			e.clock.Advance(90 * time.Second)
			r := e.do(t, "GET", "/healthz", "", nil)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d", r.status, tt.status)
			}
			var doc healthDoc
			if err := json.Unmarshal(r.body, &doc); err != nil {
				t.Fatalf("body %s: %v", r.body, err)
			}
			want := healthDoc{
				Status: tt.want, Timestamp: "2024-12-19T10:31:30Z", Version: "1.1.0-test", UptimeSeconds: 90,
				Database: tt.wantDB, Redis: tt.wantRedis, LLMService: "not_used", Kafka: tt.wantKf,
			}
			if doc != want {
				t.Errorf("health\n got %+v\nwant %+v", doc, want)
			}
			if r.header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
		})
	}
}

// barrierPinger answers only once all n pingers of a barrier are pinging at the
// same time, so a health check that pinged one after the other would time out.
type barrierPinger struct{ b *barrier }

type barrier struct {
	mu      sync.Mutex
	waiting int
	done    chan struct{}
}

func newBarrier(n int) *barrier { return &barrier{waiting: n, done: make(chan struct{})} }

func (p barrierPinger) Ping(ctx context.Context) error {
	p.b.mu.Lock()
	if p.b.waiting--; p.b.waiting == 0 {
		close(p.b.done)
	}
	p.b.mu.Unlock()
	select {
	case <-p.b.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestHealthPingsConcurrently(t *testing.T) {
	b := newBarrier(3)
	e := newEnv(t, nil,
		withConfig(func(c *api.Config) { c.HealthTimeout = 10 * time.Second }),
		withDeps(func(d *api.Deps) {
			d.Dependencies = api.Dependencies{Redis: barrierPinger{b}, Kafka: barrierPinger{b}, ClickHouse: barrierPinger{b}}
		}))
	r := e.do(t, "GET", "/healthz", "", nil)
	var doc healthDoc
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if r.status != http.StatusOK || doc.Status != "healthy" {
		t.Errorf("status %d, %+v; want 200 healthy", r.status, doc)
	}
}

// redisPinger pings a real Redis, as the binary's store does.
type redisPinger struct{ c *redis.Client }

func (p redisPinger) Ping(ctx context.Context) error { return p.c.Ping(ctx).Err() }

// TestRedisOutage stops the redis-server under a working API: /healthz turns 503
// naming redis, and authenticated requests 503 SERVICE_UNAVAILABLE.
func TestRedisOutage(t *testing.T) {
	rs, err := localsvc.StartRedis(localsvc.RedisOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rs.Stop() })
	rdb := redisClient(t, rs.Addr())
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withDeps(func(d *api.Deps) {
		d.Redis = rdb
		d.Dependencies.Redis = redisPinger{rdb}
	}))
	if r := e.query(t, goodQuery); r.status != http.StatusOK {
		t.Fatalf("before the outage: %d %s", r.status, r.body)
	}
	if r := e.do(t, "GET", "/healthz", "", nil); r.status != http.StatusOK {
		t.Fatalf("healthz before the outage: %d %s", r.status, r.body)
	}

	if err := rs.Stop(); err != nil {
		t.Fatal(err)
	}
	r := e.do(t, "GET", "/healthz", "", nil)
	var doc healthDoc
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if r.status != http.StatusServiceUnavailable || doc.Status != "unhealthy" || doc.Redis != "disconnected" || doc.Kafka != "connected" {
		t.Errorf("healthz during the outage: %d %+v; want 503 unhealthy with redis disconnected", r.status, doc)
	}
	for _, req := range []struct{ method, path, body string }{
		{"POST", "/query", goodQuery},
		{"GET", "/query-quality/reputation", ""},
		{"GET", "/query-quality/alerts", ""},
	} {
		r := e.do(t, req.method, req.path, req.body, map[string]string{"Authorization": "Bearer " + goodKey})
		wantEnvelope(t, r, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE")
		if strings.Contains(string(r.body), rs.Addr()) || strings.Contains(string(r.body), "refused") {
			t.Errorf("%s %s leaks the internal error: %s", req.method, req.path, r.body)
		}
	}
}
