package ingest

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/twmb/franz-go/pkg/kgo"
)

type metrics struct {
	consumed      *prometheus.CounterVec
	dlq           *prometheus.CounterVec
	retries       prometheus.Counter
	batchRecords  prometheus.Histogram
	batchDuration prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	f := promauto.With(reg)
	return &metrics{
		consumed: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_ingest_records_total",
			Help: "Records consumed and committed, by topic.",
		}, []string{"topic"}),
		dlq: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_ingest_dlq_records_total",
			Help: "Records rejected to the dead-letter topic, by source topic and reason code.",
		}, []string{"topic", "reason"}),
		retries: f.NewCounter(prometheus.CounterOpts{
			Name: "leadpoet_ingest_batch_retries_total",
			Help: "Batch writes that failed and were retried.",
		}),
		batchRecords: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "leadpoet_ingest_batch_records",
			Help:    "Records per committed batch.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 9),
		}),
		batchDuration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "leadpoet_ingest_batch_duration_seconds",
			Help:    "Time from poll to commit of a batch, including retries.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
		}),
	}
}

func (m *metrics) observeBatch(recs []*kgo.Record, d time.Duration) {
	byTopic := make(map[string]int, 2)
	for _, r := range recs {
		byTopic[r.Topic]++
	}
	for t, n := range byTopic {
		m.consumed.WithLabelValues(t).Add(float64(n))
	}
	m.batchRecords.Observe(float64(len(recs)))
	m.batchDuration.Observe(d.Seconds())
}
