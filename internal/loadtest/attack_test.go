package loadtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestAttack checks the report against a server whose answers are known: every
// fourth request is refused, the others return 2 leads at $0.00001.
func TestAttack(t *testing.T) {
	var n, unauthorized atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/query" || r.Method != http.MethodPost || !json.Valid(body) {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if r.Header.Get("Authorization") != "Bearer k" {
			unauthorized.Add(1)
		}
		if n.Add(1)%4 == 0 {
			http.Error(w, `{"error":{"code":"INTERNAL_ERROR"}}`, http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, `{"leads":[{"domain":"a.example"},{"domain":"b.example"}],"metadata":{"cost_usd":0.00001}}`)
	}))
	defer srv.Close()

	bodies, err := QueryBodies(0)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Attack(t.Context(), Target{URL: srv.URL, Key: "k"}, bodies, Options{Rate: 100, Duration: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests < 90 || rep.Requests > 110 {
		t.Errorf("requests = %d, want about 100 at 100/s for 1 s", rep.Requests)
	}
	if got := int64(rep.Requests); got != n.Load() {
		t.Errorf("report counts %d requests, server saw %d", got, n.Load())
	}
	if unauthorized.Load() > 0 {
		t.Errorf("%d requests without the key", unauthorized.Load())
	}
	if want := int(rep.Requests) / 4; rep.Errors != want || rep.Status["500"] != want {
		t.Errorf("errors = %d, status %v, want %d 500s", rep.Errors, rep.Status, want)
	}
	ok := int(rep.Requests) - rep.Errors
	if rep.Leads != 2*ok {
		t.Errorf("leads = %d, want %d", rep.Leads, 2*ok)
	}
	if cpl := rep.CostPerLead(); cpl < 0.0000049 || cpl > 0.0000051 {
		t.Errorf("cost per lead = %g, want 0.000005", cpl)
	}
	if rep.P50 <= 0 || rep.P50 > rep.P95 || rep.P95 > rep.P99 || rep.P99 > rep.Max {
		t.Errorf("latency percentiles out of order: %v %v %v %v", rep.P50, rep.P95, rep.P99, rep.Max)
	}
	if s := rep.String(); !strings.Contains(s, "p95") || !strings.Contains(s, "per lead") {
		t.Errorf("report text lacks latency or cost:\n%s", s)
	}
}

// TestQueryBodies checks the request mix: prompts inside and outside the taxonomy,
// with and without explicit filters, at limits 25 and 100.
func TestQueryBodies(t *testing.T) {
	bodies, err := QueryBodies(0)
	if err != nil {
		t.Fatal(err)
	}
	limits := map[int]int{}
	var filtered, texts int
	seen := map[string]bool{}
	for _, b := range bodies {
		var q queryBody
		if err := json.NewDecoder(bytes.NewReader(b)).Decode(&q); err != nil {
			t.Fatal(err)
		}
		limits[q.Limit]++
		if q.Filters != nil {
			filtered++
		}
		if !seen[q.Query] {
			seen[q.Query] = true
			texts++
		}
	}
	if limits[25] == 0 || limits[100] == 0 || limits[25] < 5*limits[100] || len(limits) != 2 {
		t.Errorf("limits %v, want mostly 25 and some 100", limits)
	}
	if filtered == 0 || filtered == len(bodies) {
		t.Errorf("%d of %d requests have explicit filters, want some", filtered, len(bodies))
	}
	if texts < 50 {
		t.Errorf("%d distinct prompts, want many", texts)
	}
}
