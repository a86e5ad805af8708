package api_test

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

type alertDoc struct {
	AlertID      string  `json:"alert_id"`
	Type         string  `json:"type"`
	Severity     string  `json:"severity"`
	Message      string  `json:"message"`
	Threshold    float64 `json:"threshold"`
	CurrentValue float64 `json:"current_value"`
	CreatedAt    string  `json:"created_at"`
	Status       string  `json:"status"`
}

type alertsDoc struct {
	Alerts  []alertDoc `json:"alerts"`
	Summary struct {
		TotalAlerts    int `json:"total_alerts"`
		CriticalAlerts int `json:"critical_alerts"`
		WarningAlerts  int `json:"warning_alerts"`
		InfoAlerts     int `json:"info_alerts"`
	} `json:"summary"`
}

func (e *env) alerts(t *testing.T, status string) (alertsDoc, map[string]alertDoc) {
	t.Helper()
	path := "/query-quality/alerts"
	if status != "" {
		path += "?status=" + status
	}
	var d alertsDoc
	e.get(t, path, &d)
	if d.Alerts == nil {
		t.Fatal("alerts is null, want a list")
	}
	byType := map[string]alertDoc{}
	sum := map[string]int{}
	for _, a := range d.Alerts {
		if _, dup := byType[a.Type]; dup {
			t.Errorf("two %s alerts", a.Type)
		}
		byType[a.Type] = a
		sum[a.Severity]++
		if !regexp.MustCompile(`^alert_[0-9a-f]{16}$`).MatchString(a.AlertID) {
			t.Errorf("alert_id %q", a.AlertID)
		}
		if _, err := time.Parse(time.RFC3339, a.CreatedAt); err != nil {
			t.Errorf("created_at %q: %v", a.CreatedAt, err)
		}
		if a.Message == "" || (a.Status != "active" && a.Status != "resolved") {
			t.Errorf("alert %+v", a)
		}
	}
	if s := d.Summary; s.TotalAlerts != len(d.Alerts) || s.CriticalAlerts != sum["critical"] || s.WarningAlerts != sum["warning"] || s.InfoAlerts != sum["info"] {
		t.Errorf("summary %+v does not count the %d alerts listed (%v)", s, len(d.Alerts), sum)
	}
	return d, byType
}

func wantAlert(t *testing.T, got map[string]alertDoc, typ, severity, status string, threshold, value float64) alertDoc {
	t.Helper()
	a, ok := got[typ]
	if !ok {
		t.Fatalf("no %s alert in %v", typ, got)
	}
	if a.Severity != severity || a.Status != status || math.Abs(a.Threshold-threshold) > 1e-12 || math.Abs(a.CurrentValue-value) > 1e-4*math.Max(1, math.Abs(value)) {
		t.Errorf("%s alert %+v; want severity %s, status %s, threshold %g, current_value %g", typ, a, severity, status, threshold, value)
	}
	return a
}

func TestAlertsErrorRateAndReputation(t *testing.T) {
	e := newEnv(t, nil, withDeps(func(d *api.Deps) { d.Ranker = byPrompt{} }))
	if d, _ := e.alerts(t, ""); len(d.Alerts) != 0 {
		t.Fatalf("a new key has alerts: %+v", d)
	}
	for range 8 {
		e.query(t, `{"query":"CRM"}`)
	}
	d, got := e.alerts(t, "")
	if len(d.Alerts) != 2 || d.Summary.CriticalAlerts != 1 || d.Summary.WarningAlerts != 1 {
		t.Fatalf("after 8 invalid queries: %+v", d)
	}
	errRate := wantAlert(t, got, "error_rate", "critical", "active", 0.2, 1)
	lowRep := wantAlert(t, got, "low_reputation", "warning", "active", 0.5, math.Pow(0.9, 8))
	if errRate.CreatedAt != "2024-12-19T10:30:00Z" || !strings.Contains(errRate.Message, "8 of the last 8") {
		t.Errorf("error_rate alert %+v", errRate)
	}
	if d, _ := e.alerts(t, "resolved"); len(d.Alerts) != 0 {
		t.Errorf("resolved alerts before anything resolved: %+v", d)
	}

	e.clock.Advance(time.Minute)
	for range 20 {
		if r := e.query(t, goodQuery); r.status != 200 {
			t.Fatalf("good query: %d %s", r.status, r.body)
		}
	}
	if d, _ := e.alerts(t, ""); len(d.Alerts) != 0 {
		t.Errorf("active alerts after 20 good queries: %+v", d)
	}
	d, got = e.alerts(t, "resolved")
	if len(d.Alerts) != 2 {
		t.Fatalf("resolved alerts: %+v", d)
	}
	// Resolved when 4 of the last 20 had failed, the value it resolved at; its
	// severity followed the rate down on the way.
	if a := wantAlert(t, got, "error_rate", "warning", "resolved", 0.2, 0.2); a.AlertID != errRate.AlertID {
		t.Errorf("the resolved error_rate alert has id %s, want the active one's %s", a.AlertID, errRate.AlertID)
	}
	if a := got["low_reputation"]; a.AlertID != lowRep.AlertID || a.CurrentValue < 0.5 {
		t.Errorf("resolved low_reputation alert %+v", a)
	}
	if d, _ := e.alerts(t, "all"); len(d.Alerts) != 2 {
		t.Errorf("status=all lists %d alerts, want 2", len(d.Alerts))
	}
	// Resolved alerts are forgotten after a day.
	e.clock.Advance(25 * time.Hour)
	if d, _ := e.alerts(t, "all"); len(d.Alerts) != 0 {
		t.Errorf("alerts resolved 25 h ago still listed: %+v", d)
	}
	env := wantEnvelope(t, e.do(t, "GET", "/query-quality/alerts?status=bogus", "", map[string]string{"Authorization": "Bearer " + goodKey}),
		http.StatusBadRequest, "INVALID_QUERY")
	wantDetails(t, env.Error.Details, map[string]any{"field": "status"})
}

func TestAlertsHighCost(t *testing.T) {
	// $1e-3 per millisecond: the clock step sets the cost per lead of sampleResult's
	// two leads, against the standard plan's $0.002.
	e := newEnv(t, &fakeRanker{res: sampleResult()}, noThrottle,
		withConfig(func(c *api.Config) { c.Cost = api.CostModel{CPUMillisecondUSD: 1e-3} }))
	e.clock.step = 3500 * time.Microsecond // $0.00175 a lead: above 80%
	if r := e.query(t, goodQuery); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	e.clock.step = 0
	_, got := e.alerts(t, "")
	first := wantAlert(t, got, "high_cost", "warning", "active", 0.0016, 0.00175)

	e.clock.step = 5 * time.Millisecond // $0.0025 a lead: above the limit, withheld
	wantEnvelope(t, e.query(t, goodQuery), http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")
	e.clock.step = 0
	_, got = e.alerts(t, "")
	if a := wantAlert(t, got, "high_cost", "critical", "active", 0.0016, 0.0025); a.AlertID != first.AlertID {
		t.Errorf("escalation made a new alert %s, want %s updated", a.AlertID, first.AlertID)
	}

	e.clock.step = time.Millisecond // $0.0005 a lead
	e.query(t, goodQuery)
	e.clock.step = 0
	if _, active := e.alerts(t, ""); active["high_cost"].AlertID != "" {
		t.Errorf("high_cost still active: %+v", active["high_cost"])
	}
	_, got = e.alerts(t, "resolved")
	wantAlert(t, got, "high_cost", "critical", "resolved", 0.0016, 0.0005)
}

func TestAlertsDailyCost(t *testing.T) {
	p := roomyPlan()
	p.DailyCostUSD = 1e-5 // three $3e-6 queries are 90%
	e := exactCostEnv(t, p)
	for i := range 3 {
		decodeCost(t, e.query(t, limit2Query))
		_, got := e.alerts(t, "")
		if _, ok := got["daily_cost"]; ok != (i == 2) {
			t.Errorf("after %d queries ($%g of $1e-5): daily_cost alert %v", i+1, 3e-6*float64(i+1), ok)
		}
	}
	_, got := e.alerts(t, "")
	wantAlert(t, got, "daily_cost", "warning", "active", 8e-6, 9e-6)
	wantEnvelope(t, e.query(t, limit2Query), http.StatusTooManyRequests, "COST_LIMIT_EXCEEDED")

	e.clock.Advance(14 * time.Hour) // the next UTC day
	_, got = e.alerts(t, "all")
	wantAlert(t, got, "daily_cost", "warning", "resolved", 8e-6, 0)
}

func TestAlertsRateLimit(t *testing.T) {
	// 600 requests a minute refill one every 100 ms: the test runs on Redis's
	// clock, which it cannot move.
	p := roomyPlan()
	p.RequestsPerMinute, p.Burst = 600, 100
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p))
	for i := 0; ; i++ {
		r := e.query(t, goodQuery)
		if r.status != 200 {
			t.Fatalf("query %d: %d %s", i, r.status, r.body)
		}
		if headerInt(t, r, "X-RateLimit-Remaining") < 5 {
			break
		}
	}
	_, got := e.alerts(t, "")
	a := got["rate_limit"]
	if a.Status != "active" || a.Severity != "info" || a.Threshold != 0.1 || a.CurrentValue >= 0.1 ||
		!strings.Contains(a.Message, "of 100 requests left in the minute window") {
		t.Fatalf("rate_limit alert %+v", a)
	}
	// Poll every 300 ms: the bucket refills three requests while one poll uses one.
	testkit.Eventually(t, 10*time.Second, 300*time.Millisecond, "rate_limit alert resolved after refill", func() error {
		_, got = e.alerts(t, "all")
		if got["rate_limit"].Status != "resolved" {
			return fmt.Errorf("%+v", got["rate_limit"])
		}
		return nil
	})
	if got["rate_limit"].AlertID != a.AlertID {
		t.Errorf("resolved alert %s, want %s", got["rate_limit"].AlertID, a.AlertID)
	}
}
