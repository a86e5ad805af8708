package pipelines

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are the store-write latencies of the pipelines.
type metrics struct {
	clickhouse *prometheus.HistogramVec
	redis      prometheus.Histogram
	rows       *prometheus.CounterVec
}

// Instrument registers the pipelines' metrics on reg: ClickHouse and Redis write
// latency histograms and rows written by table. Without it nothing is measured.
func (p *Processor) Instrument(reg prometheus.Registerer) {
	f := promauto.With(reg)
	buckets := prometheus.ExponentialBuckets(0.0005, 2, 16)
	p.metrics = &metrics{
		clickhouse: f.NewHistogramVec(prometheus.HistogramOpts{
			Name: "leadpoet_ingest_clickhouse_write_seconds", Help: "Duration of one batch insert into a ClickHouse table.", Buckets: buckets,
		}, []string{"table"}),
		redis: f.NewHistogram(prometheus.HistogramOpts{
			Name: "leadpoet_ingest_redis_write_seconds", Help: "Duration of one batch write to the Redis online store.", Buckets: buckets,
		}),
		rows: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_ingest_rows_written_total", Help: "Rows written to ClickHouse by table (retried batches count again).",
		}, []string{"table"}),
	}
}

func (m *metrics) observeClickHouse(table string, rows int, since time.Time) {
	if m == nil || rows == 0 {
		return
	}
	m.clickhouse.WithLabelValues(table).Observe(time.Since(since).Seconds())
	m.rows.WithLabelValues(table).Add(float64(rows))
}

func (m *metrics) observeRedis(since time.Time) {
	if m == nil {
		return
	}
	m.redis.Observe(time.Since(since).Seconds())
}
