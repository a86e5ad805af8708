package api_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/api"
)

func TestMetrics(t *testing.T) {
	e := newEnv(t, &fakeRanker{res: sampleResult()})
	e.clock.step = 2 * time.Millisecond
	e.query(t, `{"query":"Find companies looking for CRM software"}`)
	e.query(t, `{"query":"CRM"}`)
	e.do(t, "GET", "/nope", "", nil)
	e.do(t, "GET", "/query", "", nil)
	e.do(t, "BREW", "/coffee", "", nil)
	e.do(t, "GET", "/healthz", "", nil)

	r := e.do(t, "GET", "/metrics", "", nil)
	if r.status != 200 {
		t.Fatalf("GET /metrics: %d", r.status)
	}
	text := string(r.body)
	for _, want := range []string{
		"# TYPE leadpoet_api_requests_total counter",
		`leadpoet_api_requests_total{endpoint="/query",method="POST",status="200"} 1`,
		`leadpoet_api_requests_total{endpoint="/query",method="POST",status="400"} 1`,
		`leadpoet_api_requests_total{endpoint="unmatched",method="GET",status="404"} 1`,
		`leadpoet_api_requests_total{endpoint="unmatched",method="GET",status="405"} 1`,
		`leadpoet_api_requests_total{endpoint="unmatched",method="OTHER",status="404"} 1`,
		`leadpoet_api_requests_total{endpoint="/healthz",method="GET",status="200"} 1`,
		"# TYPE leadpoet_api_request_duration_seconds histogram",
		`leadpoet_api_request_duration_seconds_bucket{endpoint="/query",le="0.005"}`,
		`leadpoet_api_request_duration_seconds_bucket{endpoint="/query",le="0.1"}`,
		`leadpoet_api_request_duration_seconds_bucket{endpoint="/query",le="0.4"} 2`,
		`leadpoet_api_request_duration_seconds_bucket{endpoint="/query",le="1"} 2`,
		`leadpoet_api_request_duration_seconds_count{endpoint="/query"} 2`,
		"# TYPE leadpoet_cost_per_lead_usd gauge",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(text, "/nope") || strings.Contains(text, "/coffee") || strings.Contains(text, "BREW") {
		t.Error("request paths or methods leaked into label values")
	}

	// One query with 2 leads; the handler's processing took one 2 ms clock step.
	res := sampleResult()
	want := api.DefaultCostModel().Cost(api.Usage{Processing: 2 * time.Millisecond, StoreOps: 2 + res.Candidates, Leads: 2}) / 2
	got := gaugeValue(t, text, "leadpoet_cost_per_lead_usd")
	if math.Abs(got-want) > 1e-12 { // costs are reported to 1e-12 USD
		t.Errorf("leadpoet_cost_per_lead_usd = %g, want %g", got, want)
	}
}

func gaugeValue(t *testing.T, text, name string) float64 {
	t.Helper()
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s value %q: %v", name, v, err)
			}
			return f
		}
	}
	t.Fatalf("no %s in metrics", name)
	return 0
}
