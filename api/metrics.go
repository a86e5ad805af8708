package api

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are the API's Prometheus metrics (API-SPEC.md "Metrics").
type metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	costPerLead prometheus.Gauge
	limited     *prometheus.CounterVec
	// queryLogErrors counts query log records that could not be produced.
	queryLogErrors prometheus.Counter
}

// newMetrics registers the metrics on reg. Like promauto, it panics if they are
// already registered there: that is a wiring mistake.
func newMetrics(reg prometheus.Registerer) *metrics {
	f := promauto.With(reg)
	return &metrics{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_api_requests_total",
			Help: "Total number of API requests, by route template (\"unmatched\" for unknown routes), method and status code.",
		}, []string{"endpoint", "method", "status"}),
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Name: "leadpoet_api_request_duration_seconds",
			Help: "Request duration in seconds, by route template.",
			// Resolve our targets (P95 ≤ 25 ms, P99 ≤ 50 ms, limit 2000 ≤ 150 ms)
			// and the spec's 400 ms.
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.4, 1, 2.5, 5, 10},
		}, []string{"endpoint"}),
		costPerLead: f.NewGauge(prometheus.GaugeOpts{
			Name: "leadpoet_cost_per_lead_usd",
			Help: "Cost per lead in USD of the last query that returned leads, under the configured cost model.",
		}),
		limited: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_api_limited_requests_total",
			Help: "Requests answered 429, by error code: RATE_LIMIT_EXCEEDED, COST_LIMIT_EXCEEDED or QUERY_THROTTLED.",
		}, []string{"code"}),
		queryLogErrors: f.NewCounter(prometheus.CounterOpts{
			Name: "leadpoet_api_querylog_errors_total",
			Help: "Query log records (leadpoet.queries.v1) dropped because they could not be produced.",
		}),
	}
}

func (m *metrics) observe(endpoint, method string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(endpoint, methodLabel(method), statusLabel(status)).Inc()
	m.duration.WithLabelValues(endpoint).Observe(elapsed.Seconds())
}

// statusLabel avoids an allocation for the common codes.
func statusLabel(code int) string {
	switch code {
	case 200:
		return "200"
	case 400:
		return "400"
	case 401:
		return "401"
	case 403:
		return "403"
	case 404:
		return "404"
	case 429:
		return "429"
	case 500:
		return "500"
	case 503:
		return "503"
	}
	return strconv.Itoa(code)
}

// promErrorLog sends promhttp's errors to slog.
type promErrorLog struct{ log *slog.Logger }

func (l promErrorLog) Println(v ...any) { l.log.Error("serve metrics", "err", fmt.Sprint(v...)) }
