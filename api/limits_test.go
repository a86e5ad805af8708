package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

const goodQuery = `{"query":"Find SaaS companies with 50-200 employees looking for customer support software","limit":25}`

func headerInt(t testing.TB, r response, name string) int64 {
	t.Helper()
	v := r.header.Get(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("header %s = %q, want an integer (status %d, body %s)", name, v, r.status, r.body)
	}
	return n
}

// wantRateHeaders checks that the spec's rate-limit headers are present and
// sane, and returns limit and remaining.
func wantRateHeaders(t testing.TB, r response, now time.Time) (limit, remaining int64) {
	t.Helper()
	limit = headerInt(t, r, "X-RateLimit-Limit")
	remaining = headerInt(t, r, "X-RateLimit-Remaining")
	reset := headerInt(t, r, "X-RateLimit-Reset")
	if remaining < 0 || remaining > limit {
		t.Errorf("X-RateLimit-Remaining %d outside [0, X-RateLimit-Limit %d]", remaining, limit)
	}
	if reset < now.Unix() {
		t.Errorf("X-RateLimit-Reset %d is before now (%d)", reset, now.Unix())
	}
	for _, h := range []string{"X-RateLimit-Limit-Day", "X-RateLimit-Remaining-Day", "X-RateLimit-Reset-Day"} {
		headerInt(t, r, h)
	}
	return limit, remaining
}

func wantNoRateHeaders(t testing.TB, r response) {
	t.Helper()
	for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		if v := r.header.Get(h); v != "" {
			t.Errorf("%s = %q on a response to an unauthenticated request", h, v)
		}
	}
}

// TestSpecErrorCodes provokes every code of API-SPEC.md's error table over HTTP.
func TestSpecErrorCodes(t *testing.T) {
	tiny := func(mut func(*api.Plan)) option {
		p := roomyPlan()
		mut(&p)
		return withPlan(p)
	}
	closedPort := "127.0.0.1:" + strconv.Itoa(testkit.FreePort(t))
	tests := []struct {
		name        string
		ranker      *fakeRanker
		opts        []option
		setup       func(t *testing.T, e *env) // requests sent before the one checked
		key         string                     // "" means goodKey; "-" none
		method      string
		path        string
		body        string
		status      int
		code        string
		rateHeaders bool
		retryAfter  int64 // want Retry-After; 0 none; -1 present, any value
		wantDetails map[string]any
		after       func(t *testing.T, e *env)
	}{
		{
			name: "INVALID_QUERY", body: `{"query":"CRM"}`, status: 400, code: "INVALID_QUERY", rateHeaders: true,
			wantDetails: map[string]any{"field": "query", "min_length": 10, "provided_length": 3},
		},
		{
			name: "RATE_LIMIT_EXCEEDED", opts: []option{tiny(func(p *api.Plan) { p.RequestsPerMinute, p.Burst = 1, 1 })},
			setup: func(t *testing.T, e *env) {
				if r := e.query(t, goodQuery); r.status != 200 {
					t.Fatalf("first request: %d %s", r.status, r.body)
				}
			},
			body: goodQuery, status: 429, code: "RATE_LIMIT_EXCEEDED", rateHeaders: true, retryAfter: 60,
			wantDetails: map[string]any{"limit": 1, "remaining": 0, "window": "minute", "retry_after_seconds": 60, "requests_per_minute": 1, "burst": 1},
		},
		{
			name: "COST_LIMIT_EXCEEDED", opts: []option{tiny(func(p *api.Plan) { p.DailyCostUSD = 1e-9 })},
			body: goodQuery, status: 429, code: "COST_LIMIT_EXCEEDED", rateHeaders: true,
			retryAfter: 13*3600 + 30*60, // to midnight UTC from the test clock's 10:30
			wantDetails: map[string]any{"limit_type": "daily", "limit_usd": 1e-9, "spent_usd": 0,
				"reset": time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC).Unix(), "retry_after_seconds": 13*3600 + 30*60},
		},
		{name: "UNAUTHORIZED missing key", key: "-", body: goodQuery, status: 401, code: "UNAUTHORIZED"},
		{name: "UNAUTHORIZED unknown key", key: "sk_unknown", body: goodQuery, status: 401, code: "UNAUTHORIZED"},
		{
			name: "FORBIDDEN query", key: noScopeKey, body: goodQuery, status: 403, code: "FORBIDDEN", rateHeaders: true,
			wantDetails: map[string]any{"required_scope": "query"},
		},
		{
			name: "FORBIDDEN reputation", key: queryOnlyKey, method: "GET", path: "/query-quality/reputation",
			status: 403, code: "FORBIDDEN", rateHeaders: true, wantDetails: map[string]any{"required_scope": "quality:read"},
		},
		{
			name: "QUERY_THROTTLED",
			opts: []option{withConfig(func(c *api.Config) { c.Reputation.Alpha, c.Reputation.MinQueries = 1, 1 })},
			setup: func(t *testing.T, e *env) {
				if r := e.query(t, `{"query":"CRM"}`); r.status != 400 {
					t.Fatalf("invalid query: %d %s", r.status, r.body)
				}
			},
			body: goodQuery, status: 429, code: "QUERY_THROTTLED", rateHeaders: true, retryAfter: -1,
			wantDetails: map[string]any{"reputation_score": 0, "threshold": 0.3, "reason": "Many queries fail validation"},
		},
		{
			name: "SERVICE_UNAVAILABLE redis at a closed port",
			opts: []option{withDeps(func(d *api.Deps) { d.Redis = redisClient(t, closedPort) })},
			body: goodQuery, status: 503, code: "SERVICE_UNAVAILABLE",
		},
		{
			name: "INTERNAL_ERROR ranker panics", ranker: &fakeRanker{panicV: "ranker bug"},
			body: goodQuery, status: 500, code: "INTERNAL_ERROR", rateHeaders: true,
			after: func(t *testing.T, e *env) {
				// The query's spend reservation was released and its failure scored.
				if v, err := e.rdb.Get(t.Context(), "lp:spend:{key_good"+e.keyID+"}:2024-12-19").Int64(); err != nil || v != 0 {
					t.Errorf("spend after a panic = %d, %v; want 0", v, err)
				}
				var rep reputationDoc
				e.get(t, "/query-quality/reputation", &rep)
				if rep.FailedQueries != 1 {
					t.Errorf("failed_queries = %d after a panic, want 1", rep.FailedQueries)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.ranker, tt.opts...)
			if tt.setup != nil {
				tt.setup(t, e)
			}
			h := map[string]string{"Content-Type": "application/json"}
			switch tt.key {
			case "":
				h["Authorization"] = "Bearer " + goodKey
			case "-":
			default:
				h["Authorization"] = "Bearer " + tt.key
			}
			method, path := cmpOr(tt.method, "POST"), cmpOr(tt.path, "/query")
			r := e.do(t, method, path, tt.body, h)
			env := wantEnvelope(t, r, tt.status, tt.code)
			wantDetails(t, env.Error.Details, tt.wantDetails)
			if tt.rateHeaders {
				wantRateHeaders(t, r, e.clock.Now())
			} else {
				wantNoRateHeaders(t, r)
			}
			switch ra := r.header.Get("Retry-After"); {
			case tt.retryAfter == 0 && ra != "":
				t.Errorf("Retry-After = %q, want none", ra)
			case tt.retryAfter == -1:
				if n, err := strconv.Atoi(ra); err != nil || n < 1 {
					t.Errorf("Retry-After = %q, want a positive number of seconds", ra)
				}
			case tt.retryAfter > 0 && ra != strconv.FormatInt(tt.retryAfter, 10):
				t.Errorf("Retry-After = %q, want %d", ra, tt.retryAfter)
			}
			if tt.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if strings.Contains(string(r.body), closedPort) || strings.Contains(string(r.body), "ranker bug") {
				t.Errorf("internal detail leaked: %s", r.body)
			}
			if tt.after != nil {
				tt.after(t, e)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestRateLimitHeaders follows the headers of one key over a few requests.
func TestRateLimitHeaders(t *testing.T) {
	p := roomyPlan()
	p.RequestsPerMinute, p.Burst, p.RequestsPerDay = 1, 5, 1000
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
	for i := range 5 {
		var r response
		if i%2 == 0 {
			r = e.query(t, goodQuery)
		} else {
			r = e.do(t, "GET", "/query-quality/reputation", "", map[string]string{"Authorization": "Bearer " + goodKey})
		}
		if r.status != 200 {
			t.Fatalf("request %d: %d %s", i, r.status, r.body)
		}
		limit, remaining := wantRateHeaders(t, r, e.clock.Now())
		if limit != 5 || remaining != int64(4-i) {
			t.Errorf("request %d: limit %d remaining %d, want 5 and %d", i, limit, remaining, 4-i)
		}
		if got := headerInt(t, r, "X-RateLimit-Remaining-Day"); got != int64(999-i) {
			t.Errorf("request %d: X-RateLimit-Remaining-Day %d, want %d", i, got, 999-i)
		}
		// The bucket is full again after (used) × 1 minute.
		if reset, want := headerInt(t, r, "X-RateLimit-Reset"), e.clock.Now().Add(time.Duration(i+1)*time.Minute).Unix(); reset < want-1 || reset > want+1 {
			t.Errorf("request %d: X-RateLimit-Reset %d, want about %d", i, reset, want)
		}
	}
	r := e.query(t, goodQuery)
	env := wantEnvelope(t, r, 429, "RATE_LIMIT_EXCEEDED")
	if _, rem := wantRateHeaders(t, r, e.clock.Now()); rem != 0 {
		t.Errorf("429 with X-RateLimit-Remaining %d", rem)
	}
	if ra := headerInt(t, r, "Retry-After"); ra < 1 || ra > 60 {
		t.Errorf("Retry-After = %d, want 1..60 s (one request a minute)", ra)
	}
	if env.Error.Details["retry_after_seconds"] != float64(headerInt(t, r, "Retry-After")) {
		t.Errorf("details.retry_after_seconds %v differs from Retry-After", env.Error.Details["retry_after_seconds"])
	}
}

// TestDailyQuota checks the daily limiter and that a window that refuses a
// request charges nothing to the other.
func TestDailyQuota(t *testing.T) {
	t.Run("minute refusals do not charge the day", func(t *testing.T) {
		p := roomyPlan()
		p.RequestsPerMinute, p.Burst, p.RequestsPerDay = 1, 3, 100
		e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
		var days []int64
		for range 6 {
			r := e.query(t, goodQuery)
			days = append(days, headerInt(t, r, "X-RateLimit-Remaining-Day"))
		}
		if want := []int64{99, 98, 97, 97, 97, 97}; !slices.Equal(days, want) {
			t.Errorf("X-RateLimit-Remaining-Day over 3 admitted and 3 refused requests = %v, want %v", days, want)
		}
	})
	t.Run("day refusals do not charge the minute", func(t *testing.T) {
		p := roomyPlan()
		p.RequestsPerMinute, p.Burst, p.RequestsPerDay = 1, 10, 3
		e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
		for i := range 8 {
			r := e.query(t, goodQuery)
			if i < 3 {
				if r.status != 200 {
					t.Fatalf("request %d: %d %s", i, r.status, r.body)
				}
				// The daily quota is the binding window: fewer left.
				if limit, rem := wantRateHeaders(t, r, e.clock.Now()); limit != 3 || rem != int64(2-i) {
					t.Errorf("request %d: X-RateLimit-Limit %d Remaining %d, want 3 and %d", i, limit, rem, 2-i)
				}
				continue
			}
			env := wantEnvelope(t, r, 429, "RATE_LIMIT_EXCEEDED")
			wantDetails(t, env.Error.Details, map[string]any{"window": "day", "limit": 3, "remaining": 0})
			// One request comes back every 24h/3 = 8 h.
			if ra := headerInt(t, r, "Retry-After"); ra < 8*3600-60 || ra > 8*3600 {
				t.Errorf("Retry-After = %d, want about 8 h", ra)
			}
		}
		lim := redis_rate.NewLimiter(e.rdb)
		res, err := lim.AllowN(t.Context(), "lp:rl:{key_good"+e.keyID+"}:m", redis_rate.Limit{Rate: 1, Period: time.Minute, Burst: 10}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Remaining != 7 {
			t.Errorf("per-minute remaining after 3 admitted and 5 day-refused requests = %d, want 7", res.Remaining)
		}
	})
}

// hammerResult is what concurrent clients saw.
type hammerResult struct {
	sent, admitted, refused int
	remaining               []int // X-RateLimit-Remaining of the admitted requests
	refusedRemaining        []int
	elapsed                 time.Duration
}

// hammer runs clients goroutines sending goodQuery with goodKey until more()
// says stop.
func hammer(t *testing.T, e *env, clients int, more func(sent int64, since time.Duration) bool) hammerResult {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var (
		mu    sync.Mutex
		res   hammerResult
		sent  atomic.Int64
		wg    sync.WaitGroup
		fails atomic.Int64
	)
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for more(sent.Load(), time.Since(start)) {
				sent.Add(1)
				req, _ := http.NewRequestWithContext(context.Background(), "POST", e.ts.URL+"/query", strings.NewReader(goodQuery))
				req.Header.Set("Authorization", "Bearer "+goodKey)
				resp, err := hc.Do(req)
				if err != nil {
					fails.Add(1)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				rem, _ := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining"))
				mu.Lock()
				switch resp.StatusCode {
				case 200:
					res.admitted++
					res.remaining = append(res.remaining, rem)
				case 429:
					res.refused++
					res.refusedRemaining = append(res.refusedRemaining, rem)
				default:
					fails.Add(1)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.sent = int(sent.Load())
	if n := fails.Load(); n > 0 {
		t.Fatalf("%d requests failed or got a status other than 200 and 429", n)
	}
	return res
}

// checkRemaining checks X-RateLimit-Remaining against the admissions: sorted
// from highest to lowest, the i-th admitted request saw burst-1-i, plus what the
// bucket refilled meanwhile (at most refill), less one for the limiter's
// floating-point rounding; refused requests saw 0.
func checkRemaining(t *testing.T, r hammerResult, burst, refill int) {
	t.Helper()
	rem := slices.Clone(r.remaining)
	slices.SortFunc(rem, func(a, b int) int { return b - a })
	for i, v := range rem {
		if got := v + i; got < burst-2 || got > burst-1+refill {
			t.Fatalf("admitted request %d (by remaining) saw X-RateLimit-Remaining %d: remaining+rank = %d, want %d..%d",
				i, v, got, burst-2, burst-1+refill)
		}
	}
	if len(rem) > 0 && rem[len(rem)-1] != 0 {
		t.Errorf("lowest X-RateLimit-Remaining of an admitted request = %d, want 0", rem[len(rem)-1])
	}
	for _, v := range r.refusedRemaining {
		if v != 0 {
			t.Fatalf("refused request with X-RateLimit-Remaining %d", v)
		}
	}
}

// TestRateLimitConcurrent: 50 clients on one key. The limiter's state is shared
// through Redis, so the admitted count must be the quota however the requests
// interleave.
func TestRateLimitConcurrent(t *testing.T) {
	const clients = 50
	t.Run("burst of 1000, negligible refill", func(t *testing.T) {
		// 1 request/minute: the few seconds of the test refill nothing, so exactly the
		// burst is admitted.
		const burst = 1000
		p := roomyPlan()
		p.RequestsPerMinute, p.Burst = 1, burst
		e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
		r := hammer(t, e, clients, func(sent int64, _ time.Duration) bool { return sent < 2*burst })
		t.Logf("%d clients, %d requests in %s: %d admitted, %d refused (quota %d)", clients, r.sent, r.elapsed.Round(time.Millisecond), r.admitted, r.refused, burst)
		if d := r.admitted - burst; d < -burst/100 || d > burst/100 {
			t.Errorf("admitted %d, want %d ± 1%%", r.admitted, burst)
		}
		if r.admitted != burst {
			t.Errorf("admitted %d, want exactly %d with no refill", r.admitted, burst)
		}
		if r.admitted+r.refused != r.sent {
			t.Errorf("admitted %d + refused %d != sent %d", r.admitted, r.refused, r.sent)
		}
		checkRemaining(t, r, burst, 1)
	})
	t.Run("1000 per minute over a fixed 3 s window", func(t *testing.T) {
		// GCRA at 1000/min admits the burst, then one request every 60 ms.
		const (
			burst  = 500
			rate   = 1000 // per minute
			window = 3 * time.Second
		)
		p := roomyPlan()
		p.RequestsPerMinute, p.Burst = rate, burst
		e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
		r := hammer(t, e, clients, func(_ int64, since time.Duration) bool { return since < window })
		refill := int(float64(rate) * r.elapsed.Minutes())
		quota := burst + refill
		t.Logf("%d clients, %d requests in %s: %d admitted, %d refused (quota %d = burst %d + %d refilled)",
			clients, r.sent, r.elapsed.Round(time.Millisecond), r.admitted, r.refused, quota, burst, refill)
		if r.refused == 0 {
			t.Fatal("no request was refused: the clients did not saturate the limiter")
		}
		if d := float64(r.admitted - quota); d < -0.01*float64(quota) || d > 0.01*float64(quota) {
			t.Errorf("admitted %d, want %d ± 1%%", r.admitted, quota)
		}
		checkRemaining(t, r, burst, refill+1)
	})
}

// TestRateLimitSharedAcrossServers: two API servers on one Redis share a key's
// limits, as replicas behind a load balancer do.
func TestRateLimitSharedAcrossServers(t *testing.T) {
	p := roomyPlan()
	p.RequestsPerMinute, p.Burst = 1, 4
	a := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
	b := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p), withDeps(func(d *api.Deps) {
		d.Redis = a.rdb
		d.Keys = testKeysWithSuffix(a.keyID)
	}))
	var statuses []string
	for i := range 6 {
		e := a
		if i%2 == 1 {
			e = b
		}
		statuses = append(statuses, fmt.Sprint(e.query(t, goodQuery).status))
	}
	if got, want := strings.Join(statuses, ","), "200,200,200,200,429,429"; got != want {
		t.Errorf("statuses alternating between two servers = %s, want %s", got, want)
	}
}
