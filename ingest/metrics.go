package ingest

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

type metrics struct {
	consumed       *prometheus.CounterVec
	dlq            *prometheus.CounterVec
	retries        prometheus.Counter
	commitErrors   prometheus.Counter
	batchRecords   prometheus.Histogram
	batchDuration  prometheus.Histogram
	handleDuration *prometheus.HistogramVec
	lag            *prometheus.GaugeVec
	assigned       prometheus.Gauge
	paused         prometheus.Gauge
	buffered       prometheus.Gauge
	healthy        prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	f := promauto.With(reg)
	m := &metrics{
		consumed: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_ingest_records_total",
			Help: "Records written by the pipelines (or dead-lettered), by topic.",
		}, []string{"topic"}),
		dlq: f.NewCounterVec(prometheus.CounterOpts{
			Name: "leadpoet_ingest_dlq_records_total",
			Help: "Records rejected to the dead-letter topic, by source topic and reason code.",
		}, []string{"topic", "reason"}),
		retries: f.NewCounter(prometheus.CounterOpts{
			Name: "leadpoet_ingest_batch_retries_total",
			Help: "Batch writes that failed and were retried.",
		}),
		commitErrors: f.NewCounter(prometheus.CounterOpts{
			Name: "leadpoet_ingest_commit_errors_total",
			Help: "Offset commits that failed; the next commit of the partition covers their offsets.",
		}),
		batchRecords: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "leadpoet_ingest_batch_records",
			Help:    "Records per written batch.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 9),
		}),
		batchDuration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "leadpoet_ingest_batch_duration_seconds",
			Help:    "Time from the poll of a batch's first record to the batch's write, including queueing and retries.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 16),
		}),
		handleDuration: f.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "leadpoet_ingest_handle_duration_seconds",
			Help:    "Duration of one call of the pipelines on a batch, by result (success or error).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 17),
		}, []string{"result"}),
		lag: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "leadpoet_ingest_lag_records",
			Help: "Records of an assigned partition not written yet: its high watermark minus the offset after its last written record, by topic and partition.",
		}, []string{"topic", "partition"}),
		assigned: f.NewGauge(prometheus.GaugeOpts{
			Name: "leadpoet_ingest_assigned_partitions",
			Help: "Partitions assigned to this member, each with its worker.",
		}),
		paused: f.NewGauge(prometheus.GaugeOpts{
			Name: "leadpoet_ingest_paused_partitions",
			Help: "Partitions whose fetching is paused because their worker is retrying or has a full queue.",
		}),
		buffered: f.NewGauge(prometheus.GaugeOpts{
			Name: "leadpoet_ingest_buffered_records",
			Help: "Records held in memory by the partition workers, queued or in flight.",
		}),
		healthy: f.NewGauge(prometheus.GaugeOpts{
			Name: "leadpoet_ingest_healthy",
			Help: "1 while batch writes succeed, 0 while a partition's batch write is failing and being retried.",
		}),
	}
	m.healthy.Set(1)
	return m
}

func (m *metrics) observeBatch(topic string, n int, d time.Duration) {
	m.consumed.WithLabelValues(topic).Add(float64(n))
	m.batchRecords.Observe(float64(n))
	m.batchDuration.Observe(d.Seconds())
}
