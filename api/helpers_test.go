package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/scorer"
)

const (
	goodKey      = "sk_test_good"
	noScopeKey   = "sk_test_noscope"
	queryOnlyKey = "sk_test_queryonly"
)

// testKeys knows goodKey (scopes query and quality:read), noScopeKey (neither)
// and queryOnlyKey (query only).
func testKeys() api.StaticKeys { return testKeysWithSuffix("") }

// testKeysWithSuffix is testKeys with suffix appended to each key id, so that
// tests sharing a Redis server (LEADPOET_TEST_REDIS_ADDR) keep apart.
func testKeysWithSuffix(suffix string) api.StaticKeys {
	return api.StaticKeys{
		api.HashKey(goodKey):      {ID: "key_good" + suffix, Scopes: []string{api.ScopeQuery, api.ScopeQualityRead}},
		api.HashKey(noScopeKey):   {ID: "key_noscope" + suffix, Scopes: []string{"reputation"}},
		api.HashKey(queryOnlyKey): {ID: "key_queryonly" + suffix, Scopes: []string{api.ScopeQuery}},
	}
}

// testRedis returns a client of a redis-server of the test's own.
func testRedis(t testing.TB) *redis.Client {
	t.Helper()
	return redisClient(t, testkit.Redis(t))
}

func redisClient(t testing.TB, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// withPlan puts every key on p.
func withPlan(p api.Plan) option {
	return withConfig(func(c *api.Config) {
		c.Plans = api.Plans{p.Name: p}
		c.DefaultPlan = p.Name
	})
}

// roomyPlan has limits no test of other features reaches.
func roomyPlan() api.Plan {
	p := api.StandardPlan()
	p.Name = "roomy"
	p.RequestsPerMinute, p.Burst, p.RequestsPerDay = 1_000_000, 1_000_000, 1_000_000_000
	return p
}

// noThrottle turns the reputation throttle off.
var noThrottle = withConfig(func(c *api.Config) { c.Reputation.ThrottleBelow = 0 })

// fakeRanker returns res (or err, or panics) and records the queries it got. When
// block is set it waits for ctx to end, or for release to be closed.
type fakeRanker struct {
	res     scorer.Result
	err     error
	panicV  any
	block   bool
	entered chan struct{} // receives once per call, if not nil
	release chan struct{}

	mu  sync.Mutex
	got []scorer.Query
}

func (f *fakeRanker) Rank(ctx context.Context, q scorer.Query) (scorer.Result, error) {
	f.mu.Lock()
	f.got = append(f.got, q)
	f.mu.Unlock()
	if f.entered != nil {
		f.entered <- struct{}{}
	}
	if f.panicV != nil {
		panic(f.panicV)
	}
	if f.block {
		select {
		case <-ctx.Done():
			return scorer.Result{}, ctx.Err()
		case <-f.release:
		}
	}
	return f.res, f.err
}

func (f *fakeRanker) queries() []scorer.Query {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]scorer.Query(nil), f.got...)
}

// fakePinger answers Ping with err; when block is set it waits for ctx to end.
type fakePinger struct {
	err   error
	block bool
}

func (p fakePinger) Ping(ctx context.Context) error {
	if p.block {
		<-ctx.Done()
		return ctx.Err()
	}
	return p.err
}

// testClock is a settable clock that advances by step on every reading.
type testClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func newTestClock(step time.Duration) *testClock {
	return &testClock{now: time.Date(2024, 12, 19, 10, 30, 0, 0, time.UTC), step: step}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.step)
	return t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a Server under test, served over real HTTP.
type env struct {
	srv    *api.Server
	ts     *httptest.Server
	ranker *fakeRanker
	clock  *testClock
	reg    *prometheus.Registry
	logs   *syncBuffer
	rdb    *redis.Client
	cfg    api.Config
	keyID  string // suffix of the key ids: "key_good" + keyID
}

type option func(*api.Config, *api.Deps)

func withConfig(f func(*api.Config)) option { return func(c *api.Config, _ *api.Deps) { f(c) } }

func withDeps(f func(*api.Deps)) option { return func(_ *api.Config, d *api.Deps) { f(d) } }

func newEnv(t testing.TB, ranker *fakeRanker, opts ...option) *env {
	t.Helper()
	if ranker == nil {
		ranker = &fakeRanker{}
	}
	e := &env{ranker: ranker, clock: newTestClock(0), reg: prometheus.NewRegistry(), logs: &syncBuffer{}, rdb: testRedis(t)}
	e.keyID = "_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	cfg := api.DefaultConfig()
	cfg.Version = "1.1.0-test"
	deps := api.Deps{
		Ranker: ranker,
		Keys:   testKeysWithSuffix(e.keyID),
		Redis:  e.rdb,
		Dependencies: api.Dependencies{
			Redis:      fakePinger{},
			Kafka:      fakePinger{},
			ClickHouse: fakePinger{},
		},
		Logger:     slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Registerer: e.reg,
		Gatherer:   e.reg,
		Clock:      e.clock.Now,
	}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	srv, err := api.New(cfg, deps)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.srv, e.cfg = srv, cfg
	e.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// response is what a client saw.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(t testing.TB, method, path, body string, header map[string]string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// query sends POST /query with goodKey.
func (e *env) query(t testing.TB, body string) response {
	t.Helper()
	return e.do(t, http.MethodPost, "/query", body, map[string]string{"Authorization": "Bearer " + goodKey, "Content-Type": "application/json"})
}

// get sends a GET with goodKey and decodes a 200 answer into out.
func (e *env) get(t testing.TB, path string, out any) response {
	t.Helper()
	r := e.do(t, http.MethodGet, path, "", map[string]string{"Authorization": "Bearer " + goodKey})
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", path, r.status, r.body)
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("GET %s: %v; body %s", path, err, r.body)
	}
	return r
}

// envelope is the error format of API-SPEC.md.
type envelope struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
	Timestamp string `json:"timestamp"`
	RequestID string `json:"request_id"`
}

// wantEnvelope checks status, code, the envelope's fields and the request id, and
// returns the envelope.
func wantEnvelope(t testing.TB, r response, status int, code string) envelope {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("body is not the error envelope: %v; body %s", err, r.body)
	}
	if env.Error.Code != code {
		t.Errorf("error.code = %q, want %q (message %q)", env.Error.Code, code, env.Error.Message)
	}
	if env.Error.Message == "" {
		t.Error("error.message is empty")
	}
	if env.Error.Details == nil {
		t.Error("error.details is missing or null; want an object")
	}
	if _, err := time.Parse(time.RFC3339, env.Timestamp); err != nil {
		t.Errorf("timestamp %q is not RFC 3339: %v", env.Timestamp, err)
	}
	if env.RequestID == "" || env.RequestID != r.header.Get("X-Request-ID") {
		t.Errorf("request_id = %q, X-Request-ID header = %q; want equal and non-empty", env.RequestID, r.header.Get("X-Request-ID"))
	}
	return env
}

// wantDetails checks that details hold want (as JSON values).
func wantDetails(t testing.TB, got map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(got[k])
		if _, ok := got[k]; !ok || string(wj) != string(gj) {
			t.Errorf("details[%q] = %s, want %s (details %v)", k, gj, wj, got)
		}
	}
}

// syncBuffer collects a child process's output.
type syncBuffer = testkit.Buffer

// errSecret is an internal error whose text must never reach a client.
var errSecret = errors.New("redis 10.0.0.7:6379: secret internal detail")
