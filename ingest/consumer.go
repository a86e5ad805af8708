package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/kafkax"
)

// Handler turns one polled batch into durable writes. It returns the records it
// rejected, with their reasons; those are dead-lettered before the batch is committed.
// Handle must be idempotent: after a failure the same batch is handed to it again.
type Handler interface {
	Handle(ctx context.Context, recs []*kgo.Record) ([]Rejection, error)
}

// Consumer reads the ingest topics as a member of a consumer group, with auto-commit
// off: a batch's offsets are committed only after the Handler's writes and the DLQ
// records for it succeeded.
type Consumer struct {
	cfg     Config
	kafka   kafkax.Config
	topics  []string
	handler Handler
	log     *slog.Logger
	metrics *metrics

	client  atomic.Pointer[kgo.Client]
	lastErr atomic.Pointer[error]
}

// NewConsumer builds a consumer of topics; Run starts it.
func NewConsumer(cfg Config, kafka kafkax.Config, topics []string, h Handler, log *slog.Logger, reg prometheus.Registerer) (*Consumer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := kafka.Validate(); err != nil {
		return nil, err
	}
	if len(topics) == 0 {
		return nil, errors.New("ingest needs at least one topic")
	}
	return &Consumer{cfg: cfg, kafka: kafka, topics: topics, handler: h, log: log, metrics: newMetrics(reg)}, nil
}

// Healthy reports the error of the last failed batch write, or nil while writes succeed.
func (c *Consumer) Healthy() error {
	if p := c.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Run consumes until ctx ends, then finishes the batch in flight within the drain
// timeout, commits it, leaves the group and returns.
func (c *Consumer) Run(ctx context.Context) error {
	cl, err := kgo.NewClient(c.kafka.Opts(
		kgo.ConsumerGroup(c.cfg.Group),
		kgo.ConsumeTopics(c.topics...),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(250*time.Millisecond),
	)...)
	if err != nil {
		return fmt.Errorf("create ingest kafka client: %w", err)
	}
	c.client.Store(cl)
	defer cl.Close()

	// drain outlives ctx by the drain timeout so the batch in flight can finish.
	drain, cancelDrain := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelDrain()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(c.cfg.DrainTimeout, cancelDrain) })
	defer stop()

	c.log.Info("ingest consuming", "group", c.cfg.Group, "topics", c.topics)
	for {
		fetches := cl.PollRecords(ctx, c.cfg.MaxPollRecords)
		if fetches.IsClientClosed() {
			return nil
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			if !errors.Is(err, context.Canceled) {
				c.log.Warn("fetch error", "topic", topic, "partition", partition, "err", err)
			}
		})
		if recs := fetches.Records(); len(recs) > 0 {
			if err := c.process(drain, cl, recs); err != nil {
				cl.AllowRebalance()
				return err
			}
		}
		cl.AllowRebalance()
		if ctx.Err() != nil {
			c.log.Info("ingest stopped", "group", c.cfg.Group)
			return nil
		}
	}
}

// process writes one batch, retrying with backoff until it succeeds or ctx ends, then
// dead-letters its rejected records and commits its offsets.
func (c *Consumer) process(ctx context.Context, cl *kgo.Client, recs []*kgo.Record) error {
	start := time.Now()
	backoff := c.cfg.RetryMin
	for attempt := 1; ; attempt++ {
		err := c.attempt(ctx, cl, recs)
		if err == nil {
			c.lastErr.Store(nil)
			break
		}
		c.lastErr.Store(&err)
		c.metrics.retries.Inc()
		c.log.Warn("batch write failed, retrying", "records", len(recs), "attempt", attempt, "backoff", backoff, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("write batch of %d records: %w", len(recs), err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, c.cfg.RetryMax)
	}
	if err := cl.CommitRecords(ctx, recs...); err != nil {
		return fmt.Errorf("commit offsets: %w", err)
	}
	c.metrics.observeBatch(recs, time.Since(start))
	return nil
}

func (c *Consumer) attempt(ctx context.Context, cl *kgo.Client, recs []*kgo.Record) error {
	rejected, err := c.handler.Handle(ctx, recs)
	if err != nil {
		return err
	}
	if len(rejected) == 0 {
		return nil
	}
	if err := produceDLQ(ctx, cl, rejected); err != nil {
		return err
	}
	for _, r := range rejected {
		c.metrics.dlq.WithLabelValues(r.Record.Topic, r.Code).Inc()
		c.log.Debug("record dead-lettered", "topic", r.Record.Topic, "partition", r.Record.Partition,
			"offset", r.Record.Offset, "code", r.Code, "reason", r.Message)
	}
	return nil
}
