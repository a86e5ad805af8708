// Package loadtest drives open-loop load at POST /query over real HTTP with vegeta
// and summarises it against the spec's budgets: latency percentiles, throughput,
// non-2xx responses and the cost per lead the answers report.
package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The spec's budgets at 250 QPS (API-SPEC.md).
const (
	SpecP95         = 400 * time.Millisecond
	SpecCostPerLead = 0.002
)

// Target is the API under load: its base URL and an API key it accepts.
type Target struct {
	URL string
	Key string
}

// Options shape an attack.
type Options struct {
	// Rate is the constant request rate per second; 0 means 250.
	Rate int
	// Duration is how long requests are sent; 0 means 60 s.
	Duration time.Duration
	// Timeout bounds each request; 0 means 30 s.
	Timeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Rate <= 0 {
		o.Rate = 250
	}
	if o.Duration <= 0 {
		o.Duration = time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return o
}

// Report is the outcome of an attack.
type Report struct {
	Rate     int           // requested requests per second
	Duration time.Duration // time spent sending
	Requests uint64
	// Latency percentiles of every request, answered or not.
	P50, P95, P99, Max time.Duration
	Throughput         float64 // 2xx answers per second, over the whole attack
	// Errors counts the requests without a 2xx answer (transport errors included).
	Errors     int
	ErrorRatio float64
	// Status is the count of answers per HTTP status ("0" for transport errors).
	Status map[string]int
	// FirstErrors are up to five distinct error texts.
	FirstErrors []string
	// Leads and CostUSD add up leads and metadata.cost_usd over the 2xx answers.
	Leads   int
	CostUSD float64
	// Undecodable counts 2xx answers whose body was not a query response.
	Undecodable int
}

// CostPerLead is the total reported cost over the leads returned, 0 without leads.
func (r Report) CostPerLead() float64 {
	if r.Leads == 0 {
		return 0
	}
	return r.CostUSD / float64(r.Leads)
}

// String prints the report next to the spec's budgets.
func (r Report) String() string {
	var b strings.Builder
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	verdict := func(ok bool) string {
		if ok {
			return "within"
		}
		return "OVER"
	}
	fmt.Fprintf(&b, "open-loop POST /query: %d req/s for %s, %d requests\n", r.Rate, r.Duration, r.Requests)
	fmt.Fprintf(&b, "  latency   p50 %s  p95 %s  p99 %s  max %s   (spec: p95 < 400 ms: %s)\n",
		ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), verdict(r.P95 < SpecP95))
	fmt.Fprintf(&b, "  throughput %.1f answers/s (2xx)\n", r.Throughput)
	fmt.Fprintf(&b, "  errors    %d non-2xx of %d (%.3f%%)  status %s\n", r.Errors, r.Requests, 100*r.ErrorRatio, formatStatus(r.Status))
	for _, e := range r.FirstErrors {
		fmt.Fprintf(&b, "            %s\n", e)
	}
	fmt.Fprintf(&b, "  cost      $%.9f per lead over %d leads, $%.6f in all   (spec: <= $%g per lead: %s)\n",
		r.CostPerLead(), r.Leads, r.CostUSD, SpecCostPerLead, verdict(r.CostPerLead() <= SpecCostPerLead))
	if r.Undecodable > 0 {
		fmt.Fprintf(&b, "  %d 2xx answers were not query responses\n", r.Undecodable)
	}
	return b.String()
}

func formatStatus(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

// queryAnswer is the part of a POST /query answer the report reads: the leads are
// only counted, so they are decoded into empty structs rather than copied, which
// keeps the load generator's own garbage (it shares the cores with the API) small.
type queryAnswer struct {
	Leads    []struct{} `json:"leads"`
	Metadata struct {
		CostUSD *float64 `json:"cost_usd"`
	} `json:"metadata"`
}

// Attack posts the JSON bodies to t.URL+"/query" in turn, at a constant rate for
// o.Duration whatever the latency (open loop: a slow answer does not delay the next
// request), and reads every answer. It returns early, with what was measured,
// when ctx ends.
func Attack(ctx context.Context, t Target, bodies [][]byte, o Options) (Report, error) {
	if len(bodies) == 0 {
		return Report{}, errors.New("attack: no request bodies")
	}
	o = o.withDefaults()
	hdr := http.Header{}
	hdr.Set("Authorization", "Bearer "+t.Key)
	hdr.Set("Content-Type", "application/json")
	url := strings.TrimSuffix(t.URL, "/") + "/query"
	var next atomic.Uint64
	targeter := func(tgt *vegeta.Target) error {
		if tgt == nil {
			return vegeta.ErrNilTarget
		}
		i := next.Add(1) - 1
		*tgt = vegeta.Target{Method: http.MethodPost, URL: url, Body: bodies[i%uint64(len(bodies))], Header: hdr}
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Timeout(o.Timeout), vegeta.KeepAlive(true), vegeta.MaxBody(-1))
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()

	var (
		m       vegeta.Metrics
		rep     = Report{Rate: o.Rate}
		seen    = map[string]bool{}
		decoded queryAnswer
	)
	for res := range atk.Attack(targeter, vegeta.Rate{Freq: o.Rate, Per: time.Second}, o.Duration, "query") {
		m.Add(res)
		if res.Code < 200 || res.Code > 299 {
			rep.Errors++
			e := res.Error
			if e == "" {
				e = fmt.Sprintf("status %d: %.200s", res.Code, strings.TrimSpace(string(res.Body)))
			}
			if !seen[e] && len(rep.FirstErrors) < 5 {
				seen[e] = true
				rep.FirstErrors = append(rep.FirstErrors, e)
			}
			continue
		}
		decoded = queryAnswer{}
		if err := json.Unmarshal(res.Body, &decoded); err != nil || decoded.Metadata.CostUSD == nil {
			rep.Undecodable++
			continue
		}
		rep.Leads += len(decoded.Leads)
		rep.CostUSD += *decoded.Metadata.CostUSD
	}
	m.Close()
	rep.Duration = m.Duration
	rep.Requests = m.Requests
	rep.P50, rep.P95, rep.P99, rep.Max = m.Latencies.P50, m.Latencies.P95, m.Latencies.P99, m.Latencies.Max
	rep.Status = m.StatusCodes
	if m.Requests > 0 {
		rep.ErrorRatio = float64(rep.Errors) / float64(m.Requests)
	}
	if total := m.Duration + m.Wait; total > 0 {
		rep.Throughput = float64(int(m.Requests)-rep.Errors) / total.Seconds()
	}
	if m.Requests == 0 {
		return rep, fmt.Errorf("attack %s: no request was sent: %w", url, context.Cause(ctx))
	}
	return rep, ctx.Err()
}
