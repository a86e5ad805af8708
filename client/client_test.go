package client

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// stub is an httptest server answering from a list of canned responses, one per
// request (the last one repeats), and recording the requests.
type stub struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	answers []answer
	reqs    []recorded
}

type answer struct {
	status int
	header map[string]string
	body   string
}

type recorded struct {
	method, path string
	header       http.Header
	body         string
}

func newStub(t *testing.T, answers ...answer) *stub {
	t.Helper()
	s := &stub{t: t, answers: answers}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.reqs = append(s.reqs, recorded{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: string(body)})
	a := s.answers[min(len(s.reqs), len(s.answers))-1]
	s.mu.Unlock()
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

func (s *stub) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

// fakeTime replaces the client's clock, sleep and jitter: time stands still at
// now plus the slept durations, which are recorded.
type fakeTime struct {
	mu     sync.Mutex
	now    time.Time
	slept  []time.Duration
	jitter float64
}

func (f *fakeTime) install(c *Client) *Client {
	c.now = func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
	c.sleep = func(ctx context.Context, d time.Duration) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.slept = append(f.slept, d)
		f.now = f.now.Add(d)
		return ctx.Err()
	}
	c.rnd = func() float64 { return f.jitter }
	return c
}

func (f *fakeTime) sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const specLead = `{
  "lead_id": "lead_12345", "company_name": "TechCorp Inc", "domain": "techcorp.com",
  "industry": "Technology", "company_size": "51-200", "location": "San Francisco, CA",
  "score": 0.92, "confidence": 0.85,
  "contact_info": {"name": "John Smith", "title": "CTO", "email": "john.smith@techcorp.com", "phone": "+1-555-0123"},
  "intent_signals": ["Recently posted job for CRM administrator"],
  "evidence": [{"kind": "job", "source": "demo", "url": "https://techcorp.com/jobs/1", "title": "CRM administrator", "snippet": "…", "observed_at": "2026-01-01T00:00:00Z"}]
}`

const specQueryResponse = `{"leads": [` + specLead + `], "metadata": {
  "total_leads": 150, "query_processed": "Find companies looking for CRM software",
  "processing_time_ms": 245, "cost_usd": 0.0018, "llm_calls": 3, "cache_hit_rate": 0.75,
  "query_id": "q_1", "interpretation": {"product": "crm software", "terms": ["crm"], "company_sizes": ["51-200"]},
  "cost_breakdown": {"compute_usd": 0.001, "store_usd": 0.0003, "data_usd": 0.0005, "llm_usd": 0, "compute_ms": 2.5, "store_ops": 60, "leads": 1, "llm_tokens": 0}}}`

func envelopeBody(code, msg string) string {
	return `{"error":{"code":"` + code + `","message":"` + msg + `","details":{"field":"query"}},"timestamp":"2026-01-02T03:04:05Z","request_id":"req_env"}`
}

func TestQueryLeadsSendsSpecRequestAndDecodesResponse(t *testing.T) {
	s := newStub(t, answer{status: 200, body: specQueryResponse, header: map[string]string{
		"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "998", "X-RateLimit-Reset": "1767323045", "X-Request-ID": "req_ok",
	}})
	c := New("sk_test", WithBaseURL(s.srv.URL+"/"), WithUserAgent("ua-test/1"))
	resp, err := c.QueryLeads(context.Background(), QueryRequest{
		Query:   "Find companies looking for CRM software",
		Limit:   25,
		Filters: &Filters{Industries: []string{"technology"}, CompanySize: []string{"51-200"}, JobTitles: []string{"CTO"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.method != http.MethodPost || r.path != "/query" {
		t.Errorf("request %s %s, want POST /query", r.method, r.path)
	}
	for k, want := range map[string]string{"Authorization": "Bearer sk_test", "Content-Type": "application/json", "User-Agent": "ua-test/1", "Accept": "application/json"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(r.body), &sent); err != nil {
		t.Fatal(err)
	}
	wantBody := map[string]any{
		"query": "Find companies looking for CRM software", "limit": 25.0,
		"filters": map[string]any{"industries": []any{"technology"}, "company_size": []any{"51-200"}, "job_titles": []any{"CTO"}},
	}
	if !reflect.DeepEqual(sent, wantBody) {
		t.Errorf("body %s, want %v", r.body, wantBody)
	}

	if len(resp.Leads) != 1 {
		t.Fatalf("%d leads, want 1", len(resp.Leads))
	}
	l := resp.Leads[0]
	wantLead := Lead{
		LeadID: "lead_12345", CompanyName: "TechCorp Inc", Domain: "techcorp.com", Industry: "Technology",
		CompanySize: "51-200", Location: "San Francisco, CA", Score: 0.92, Confidence: 0.85,
		ContactInfo:   ContactInfo{Name: "John Smith", Title: "CTO", Email: "john.smith@techcorp.com", Phone: "+1-555-0123"},
		IntentSignals: []string{"Recently posted job for CRM administrator"},
		Evidence:      []Evidence{{Kind: "job", Source: "demo", URL: "https://techcorp.com/jobs/1", Title: "CRM administrator", Snippet: "…", ObservedAt: "2026-01-01T00:00:00Z"}},
	}
	if !reflect.DeepEqual(l, wantLead) {
		t.Errorf("lead\n got %+v\nwant %+v", l, wantLead)
	}
	m := resp.Metadata
	if m.TotalLeads != 150 || m.QueryProcessed != "Find companies looking for CRM software" || m.ProcessingTimeMS != 245 ||
		m.CostUSD != 0.0018 || m.LLMCalls != 3 || m.CacheHitRate != 0.75 || m.QueryID != "q_1" {
		t.Errorf("metadata %+v", m)
	}
	if m.Interpretation == nil || m.Interpretation.Product != "crm software" || !reflect.DeepEqual(m.Interpretation.CompanySizes, []string{"51-200"}) {
		t.Errorf("interpretation %+v", m.Interpretation)
	}
	if m.CostBreakdown == nil || m.CostBreakdown.StoreOps != 60 {
		t.Errorf("cost breakdown %+v", m.CostBreakdown)
	}
	wantRL := RateLimit{Limit: 1000, Remaining: 998, Reset: time.Unix(1767323045, 0)}
	if resp.RateLimit != wantRL {
		t.Errorf("rate limit %+v, want %+v", resp.RateLimit, wantRL)
	}
	if resp.RequestID != "req_ok" {
		t.Errorf("request id %q", resp.RequestID)
	}
}

func TestQueryLeadsOmitsUnsetFields(t *testing.T) {
	s := newStub(t, answer{status: 200, body: `{"leads":[],"metadata":{}}`})
	if _, err := New("k", WithBaseURL(s.srv.URL)).QueryLeads(context.Background(), QueryRequest{Query: "Find companies looking for CRM software"}); err != nil {
		t.Fatal(err)
	}
	if got, want := s.requests()[0].body, `{"query":"Find companies looking for CRM software"}`; got != want {
		t.Errorf("body %s, want %s", got, want)
	}
}

func TestGzipResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding %q lacks gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, specQueryResponse)
		_ = zw.Close()
	}))
	t.Cleanup(srv.Close)
	resp, err := New("k", WithBaseURL(srv.URL)).QueryLeads(context.Background(), QueryRequest{Query: "Find companies looking for CRM software"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Leads) != 1 || resp.Leads[0].CompanyName != "TechCorp Inc" {
		t.Fatalf("leads %+v", resp.Leads)
	}
}

func TestErrorCodesMatchTheirSentinel(t *testing.T) {
	all := []error{ErrInvalidQuery, ErrRateLimitExceeded, ErrCostLimitExceeded, ErrUnauthorized, ErrForbidden, ErrQueryThrottled, ErrServiceUnavailable, ErrInternal}
	for _, tc := range []struct {
		name   string
		status int
		body   string
		code   string
		want   error
	}{
		{"invalid query", 400, envelopeBody("INVALID_QUERY", "Query must be at least 10 characters long"), CodeInvalidQuery, ErrInvalidQuery},
		{"rate limit", 429, envelopeBody("RATE_LIMIT_EXCEEDED", "slow down"), CodeRateLimitExceeded, ErrRateLimitExceeded},
		{"cost limit", 429, envelopeBody("COST_LIMIT_EXCEEDED", "too dear"), CodeCostLimitExceeded, ErrCostLimitExceeded},
		{"unauthorized", 401, envelopeBody("UNAUTHORIZED", "Invalid API key"), CodeUnauthorized, ErrUnauthorized},
		{"forbidden", 403, envelopeBody("FORBIDDEN", "scope"), CodeForbidden, ErrForbidden},
		{"throttled", 429, envelopeBody("QUERY_THROTTLED", "reputation"), CodeQueryThrottled, ErrQueryThrottled},
		{"unavailable", 503, envelopeBody("SERVICE_UNAVAILABLE", "retry later"), CodeServiceUnavailable, ErrServiceUnavailable},
		{"internal", 500, envelopeBody("INTERNAL_ERROR", "oops"), CodeInternal, ErrInternal},
		{"code beyond the spec", 404, envelopeBody("NOT_FOUND", "No such endpoint"), "NOT_FOUND", nil},
		{"proxy page 502", 502, "<html>bad gateway</html>", "", nil},
		{"proxy page 503", 503, "<html>down</html>", CodeServiceUnavailable, ErrServiceUnavailable},
		{"empty 401", 401, "", CodeUnauthorized, ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, answer{status: tc.status, body: tc.body, header: map[string]string{"X-Request-ID": "req_hdr"}})
			c := New("k", WithBaseURL(s.srv.URL), WithMaxRetries(0))
			_, err := c.QueryLeads(context.Background(), QueryRequest{Query: "Find companies looking for CRM software"})
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if ae.Status != tc.status || ae.Code != tc.code || ae.Details == nil {
				t.Errorf("status %d code %q details %v, want %d %q non-nil", ae.Status, ae.Code, ae.Details, tc.status, tc.code)
			}
			for _, sen := range all {
				if got := errors.Is(err, sen); got != (sen == tc.want) {
					t.Errorf("errors.Is(err, %v) = %v", sen, got)
				}
			}
			if strings.HasPrefix(tc.body, "{") {
				if ae.RequestID != "req_env" || ae.Details["field"] != "query" || ae.Message == "" || !ae.Timestamp.Equal(epoch) {
					t.Errorf("envelope not carried over: %+v", ae)
				}
			} else if ae.RequestID != "req_hdr" || !strings.HasPrefix(ae.Message, http.StatusText(tc.status)) {
				t.Errorf("non-envelope error %+v", ae)
			}
			if !strings.Contains(err.Error(), strconv.Itoa(tc.status)) {
				t.Errorf("Error() %q does not name the status", err.Error())
			}
		})
	}
}

func TestRetries(t *testing.T) {
	rate := func(h map[string]string) answer {
		return answer{status: 429, body: envelopeBody("RATE_LIMIT_EXCEEDED", "slow down"), header: h}
	}
	ok := answer{status: 200, body: specQueryResponse}
	base := 100 * time.Millisecond
	for _, tc := range []struct {
		name       string
		answers    []answer
		maxRetries int
		wantReqs   int
		wantSleeps []time.Duration // jitter is fixed at 0.5
		wantErr    error           // nil: success
	}{
		{"429 honours Retry-After", []answer{rate(map[string]string{"Retry-After": "2", "X-RateLimit-Reset": strconv.FormatInt(epoch.Unix()+50, 10)}), ok},
			3, 2, []time.Duration{2*time.Second + base/2}, nil},
		{"429 Retry-After as HTTP date", []answer{rate(map[string]string{"Retry-After": epoch.Add(3 * time.Second).Format(http.TimeFormat)}), ok},
			3, 2, []time.Duration{3*time.Second + base/2}, nil},
		{"429 without Retry-After waits for X-RateLimit-Reset", []answer{rate(map[string]string{"X-RateLimit-Reset": strconv.FormatInt(epoch.Unix()+4, 10)}), ok},
			3, 2, []time.Duration{4*time.Second + base/2}, nil},
		{"429 without hints backs off exponentially", []answer{rate(nil), rate(nil), rate(nil), ok},
			3, 4, []time.Duration{75 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond}, nil},
		{"503 backs off", []answer{{status: 503, body: envelopeBody("SERVICE_UNAVAILABLE", "later")}, ok},
			3, 2, []time.Duration{75 * time.Millisecond}, nil},
		{"503 honours Retry-After", []answer{{status: 503, body: "down", header: map[string]string{"Retry-After": "1"}}, ok},
			3, 2, []time.Duration{time.Second + base/2}, nil},
		{"throttled honours Retry-After", []answer{{status: 429, body: envelopeBody("QUERY_THROTTLED", "low"), header: map[string]string{"Retry-After": "5"}}, ok},
			3, 2, []time.Duration{5*time.Second + base/2}, nil},
		{"gives up after max retries", []answer{rate(map[string]string{"Retry-After": "1"})},
			2, 3, []time.Duration{time.Second + base/2, time.Second + base/2}, ErrRateLimitExceeded},
		{"max retries 0", []answer{rate(map[string]string{"Retry-After": "1"}), ok},
			0, 1, nil, ErrRateLimitExceeded},
		{"Retry-After beyond the backoff cap is not waited", []answer{rate(map[string]string{"Retry-After": "3600"}), ok},
			3, 1, nil, ErrRateLimitExceeded},
		{"cost limit without Retry-After is not retried", []answer{{status: 429, body: envelopeBody("COST_LIMIT_EXCEEDED", "dear"), header: map[string]string{"X-RateLimit-Reset": strconv.FormatInt(epoch.Unix()+4, 10)}}, ok},
			3, 1, nil, ErrCostLimitExceeded},
		{"cost limit with Retry-After is retried", []answer{{status: 429, body: envelopeBody("COST_LIMIT_EXCEEDED", "dear"), header: map[string]string{"Retry-After": "1"}}, ok},
			3, 2, []time.Duration{time.Second + base/2}, nil},
		{"400 is not retried", []answer{{status: 400, body: envelopeBody("INVALID_QUERY", "short")}, ok}, 3, 1, nil, ErrInvalidQuery},
		{"401 is not retried", []answer{{status: 401, body: envelopeBody("UNAUTHORIZED", "key")}, ok}, 3, 1, nil, ErrUnauthorized},
		{"403 is not retried", []answer{{status: 403, body: envelopeBody("FORBIDDEN", "scope")}, ok}, 3, 1, nil, ErrForbidden},
		{"500 is not retried", []answer{{status: 500, body: envelopeBody("INTERNAL_ERROR", "oops")}, ok}, 3, 1, nil, ErrInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, tc.answers...)
			ft := &fakeTime{now: epoch, jitter: 0.5}
			c := ft.install(New("k", WithBaseURL(s.srv.URL), WithMaxRetries(tc.maxRetries), WithBackoff(base, time.Minute)))
			resp, err := c.QueryLeads(context.Background(), QueryRequest{Query: "Find companies looking for CRM software", Limit: 5})
			reqs := s.requests()
			if len(reqs) != tc.wantReqs {
				t.Errorf("%d requests, want %d", len(reqs), tc.wantReqs)
			}
			for i, r := range reqs {
				if r.body != reqs[0].body || r.body == "" {
					t.Errorf("request %d body %q differs from the first %q", i, r.body, reqs[0].body)
				}
			}
			if got := ft.sleeps(); !reflect.DeepEqual(got, tc.wantSleeps) {
				t.Errorf("slept %v, want %v", got, tc.wantSleeps)
			}
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr == nil && len(resp.Leads) != 1:
				t.Errorf("leads %+v", resp.Leads)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestGiveUpReportsRetryAfter(t *testing.T) {
	s := newStub(t, answer{status: 429, body: envelopeBody("QUERY_THROTTLED", "low"), header: map[string]string{"Retry-After": "540"}})
	c := (&fakeTime{now: epoch}).install(New("k", WithBaseURL(s.srv.URL)))
	_, err := c.QueryLeads(context.Background(), QueryRequest{Query: "Find companies looking for CRM software"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAfter != 540*time.Second || !errors.Is(err, ErrQueryThrottled) {
		t.Fatalf("error %v (%+v), want QUERY_THROTTLED with RetryAfter 540s", err, ae)
	}
}

func TestRetryStopsAtContextDeadline(t *testing.T) {
	s := newStub(t, answer{status: 429, body: envelopeBody("RATE_LIMIT_EXCEEDED", "slow"), header: map[string]string{"Retry-After": "10"}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c := New("k", WithBaseURL(s.srv.URL))
	begin := time.Now()
	_, err := c.QueryLeads(ctx, QueryRequest{Query: "Find companies looking for CRM software"})
	if !errors.Is(err, ErrRateLimitExceeded) {
		t.Fatalf("error %v", err)
	}
	if took := time.Since(begin); took > time.Second {
		t.Errorf("took %s: waited for a retry the deadline did not allow", took)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestRetryWaitEndsWithContext(t *testing.T) {
	s := newStub(t, answer{status: 503, body: envelopeBody("SERVICE_UNAVAILABLE", "later"), header: map[string]string{"Retry-After": "10"}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := New("k", WithBaseURL(s.srv.URL)).QueryLeads(ctx, QueryRequest{Query: "Find companies looking for CRM software"})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrServiceUnavailable) {
		t.Fatalf("error %v, want both context.Canceled and ErrServiceUnavailable", err)
	}
}

func TestRealBackoffHasJitterWithinBounds(t *testing.T) {
	for n := 1; n <= 8; n++ {
		d := min(100*time.Millisecond<<(n-1), time.Second)
		for range 50 {
			got := backoff(n, 100*time.Millisecond, time.Second, defaultRand)
			if got < d/2 || got > d {
				t.Fatalf("backoff(%d) = %s, want in [%s, %s]", n, got, d/2, d)
			}
		}
	}
}

func TestBaseURLAndKeyResolution(t *testing.T) {
	t.Setenv(EnvBaseURL, "")
	t.Setenv(EnvAPIKey, "")
	if got := New("k").BaseURL(); got != DefaultBaseURL {
		t.Errorf("default base URL %q", got)
	}
	t.Setenv(EnvBaseURL, "http://env.example:8000/")
	if got := New("k").BaseURL(); got != "http://env.example:8000" {
		t.Errorf("env base URL %q", got)
	}
	if got := New("k", WithBaseURL("http://opt.example")).BaseURL(); got != "http://opt.example" {
		t.Errorf("option base URL %q", got)
	}

	s := newStub(t, answer{status: 200, body: `{"alerts":[],"summary":{}}`})
	t.Setenv(EnvAPIKey, "sk_from_env")
	if _, err := New("", WithBaseURL(s.srv.URL)).Alerts(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.requests()[0].header.Get("Authorization"); got != "Bearer sk_from_env" {
		t.Errorf("Authorization %q, want the key from %s", got, EnvAPIKey)
	}
}

func TestReputationAndAlerts(t *testing.T) {
	s := newStub(t,
		answer{status: 200, header: map[string]string{"X-RateLimit-Remaining": "7", "X-Request-ID": "req_rep"}, body: `{"api_key":"sk_...","reputation_score":0.85,"total_queries":1250,"successful_queries":1180,"failed_queries":70,
			"average_response_time_ms":245,"cost_efficiency":0.92,"throttle_status":"active","throttle_reason":"High cost per lead",
			"recommendations":["Consider using more specific queries"]}`},
		answer{status: 200, body: `{"alerts":[{"alert_id":"alert_123","type":"high_cost","severity":"warning","message":"Cost per lead exceeded threshold",
			"threshold":0.002,"current_value":0.0025,"created_at":"2024-12-19T10:00:00Z","status":"active"}],
			"summary":{"total_alerts":1,"critical_alerts":0,"warning_alerts":1,"info_alerts":0}}`},
	)
	c := New("k", WithBaseURL(s.srv.URL))
	rep, err := c.Reputation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantRep := Reputation{APIKey: "sk_...", ReputationScore: 0.85, TotalQueries: 1250, SuccessfulQueries: 1180, FailedQueries: 70,
		AverageResponseTimeMS: 245, CostEfficiency: 0.92, ThrottleStatus: "active", ThrottleReason: "High cost per lead",
		Recommendations: []string{"Consider using more specific queries"}, RateLimit: RateLimit{Remaining: 7}, RequestID: "req_rep"}
	if !reflect.DeepEqual(*rep, wantRep) {
		t.Errorf("reputation\n got %+v\nwant %+v", *rep, wantRep)
	}
	al, err := c.Alerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantAlert := Alert{AlertID: "alert_123", Type: "high_cost", Severity: "warning", Message: "Cost per lead exceeded threshold",
		Threshold: 0.002, CurrentValue: 0.0025, CreatedAt: time.Date(2024, 12, 19, 10, 0, 0, 0, time.UTC), Status: "active"}
	if len(al.Alerts) != 1 || !reflect.DeepEqual(al.Alerts[0], wantAlert) || al.Summary != (AlertSummary{TotalAlerts: 1, WarningAlerts: 1}) {
		t.Errorf("alerts %+v", al)
	}
	reqs := s.requests()
	if reqs[0].method != "GET" || reqs[0].path != "/query-quality/reputation" || reqs[1].path != "/query-quality/alerts" {
		t.Errorf("requests %+v", reqs)
	}
}

func TestHealth(t *testing.T) {
	const doc = `{"status":"%s","timestamp":"2024-12-19T10:30:00Z","version":"1.1.0","uptime_seconds":86400,"database":"connected","redis":"%s","llm_service":"available"}`
	t.Run("healthy", func(t *testing.T) {
		s := newStub(t, answer{status: 200, body: strings.NewReplacer("%s", "healthy").Replace(doc)})
		h, err := New("k", WithBaseURL(s.srv.URL)).Health(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := Health{Status: "healthy", Timestamp: time.Date(2024, 12, 19, 10, 30, 0, 0, time.UTC), Version: "1.1.0",
			UptimeSeconds: 86400, Database: "connected", Redis: "healthy", LLMService: "available"}
		if !reflect.DeepEqual(*h, want) {
			t.Errorf("health\n got %+v\nwant %+v", *h, want)
		}
	})
	t.Run("unhealthy is an error with the document, not retried", func(t *testing.T) {
		body := `{"status":"unhealthy","timestamp":"2024-12-19T10:30:00Z","version":"1.1.0","uptime_seconds":5,"database":"connected","redis":"disconnected","llm_service":"not_used"}`
		s := newStub(t, answer{status: 503, body: body})
		h, err := New("k", WithBaseURL(s.srv.URL)).Health(context.Background())
		if !errors.Is(err, ErrServiceUnavailable) {
			t.Fatalf("error %v, want ErrServiceUnavailable", err)
		}
		if h == nil || h.Status != "unhealthy" || h.Redis != "disconnected" {
			t.Errorf("health %+v", h)
		}
		if n := len(s.requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

func TestUndecodableSuccess(t *testing.T) {
	s := newStub(t, answer{status: 200, body: `<html>`})
	_, err := New("k", WithBaseURL(s.srv.URL)).QueryLeads(context.Background(), QueryRequest{Query: "Find companies looking for CRM software"})
	if err == nil || !strings.Contains(err.Error(), "decode") {
		t.Fatalf("error %v, want a decode error", err)
	}
}

func TestTransportError(t *testing.T) {
	s := newStub(t, answer{status: 200})
	url := s.srv.URL
	s.srv.Close()
	_, err := New("k", WithBaseURL(url)).Health(context.Background())
	var ae *APIError
	if err == nil || errors.As(err, &ae) {
		t.Fatalf("error %v, want a transport error", err)
	}
}

func FuzzAPIError(f *testing.F) {
	f.Add(429, envelopeBody("RATE_LIMIT_EXCEEDED", "slow"), "2", "1767323045")
	f.Add(503, "<html>", "Fri, 02 Jan 2026 03:04:08 GMT", "")
	f.Add(400, `{"error":{"code":"INVALID_QUERY","details":null}}`, "", "x")
	f.Add(500, `{"error":"text"}`, "-1", "99999999999999999999")
	f.Fuzz(func(t *testing.T, status int, body, retryAfter, reset string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-RateLimit-Reset", reset)
		c := (&fakeTime{now: epoch}).install(New("k"))
		ae := c.apiError(&response{status: status, header: h, body: []byte(body)})
		if ae.Details == nil || ae.Status != status || ae.Error() == "" || ae.RetryAfter < 0 {
			t.Fatalf("bad APIError %+v", ae)
		}
	})
}
