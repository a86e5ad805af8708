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
	"github.com/twmb/franz-go/plugin/kprom"

	"github.com/leadpoet/leadpoet/internal/kafkax"
)

// Handler turns one batch of records into durable writes. It returns the records it
// rejected, with their reasons; those are dead-lettered before the batch is committed.
//
// Every batch holds records of one partition, in offset order. Handle is called
// concurrently for different partitions, never for the same partition twice at
// once. Handle must be idempotent: after a failure the same batch is handed to it
// again, and a batch written but not committed is delivered again. It must return
// when ctx ends.
type Handler interface {
	Handle(ctx context.Context, recs []*kgo.Record) ([]Rejection, error)
}

// Consumer reads the ingest topics as a member of a consumer group, with one worker
// per assigned partition and auto-commit off: a partition's offsets are committed
// only after the Handler's writes and the DLQ records for them succeeded, and only
// while the member owns the partition.
type Consumer struct {
	cfg     Config
	kafka   kafkax.Config
	topics  []string
	handler Handler
	log     *slog.Logger
	reg     prometheus.Registerer
	metrics *metrics
	health  *health
	running atomic.Bool
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
	m := newMetrics(reg)
	return &Consumer{
		cfg: cfg, kafka: kafka, topics: topics, handler: h, log: log, reg: reg,
		metrics: m, health: newHealth(m.healthy),
	}, nil
}

// Healthy reports the write error of a partition whose batch is failing and being
// retried, or nil while writes succeed.
func (c *Consumer) Healthy() error { return c.health.err() }

// closeGrace is how long Run waits for the Kafka client to close after the drain
// deadline.
const closeGrace = 2 * time.Second

// Run consumes until ctx ends. Then, within the drain timeout, the partition
// workers finish their batches in flight, their offsets are committed, the member
// leaves the group and Run returns. Records queued but not written are not
// committed: the group delivers them again. A member that cannot leave in time (its
// join waits on the coordinator) is left to the group's session timeout: Run returns
// closeGrace after the drain deadline, while the client still closes in the
// background; nothing is committed after Run returns.
func (c *Consumer) Run(ctx context.Context) error {
	if !c.running.CompareAndSwap(false, true) {
		return errors.New("ingest consumer is already running")
	}
	defer c.running.Store(false)

	p := &poller{
		cfg: c.cfg, handler: c.handler, log: c.log, metrics: c.metrics, health: c.health,
		budget:  newBudget(c.cfg.MaxBufferedRecords, c.metrics.buffered),
		workers: map[topicPartition]*worker{},
	}
	kopts := []kprom.Opt{
		kprom.Registerer(c.reg),
		kprom.FetchAndProduceDetail(kprom.ByNode, kprom.ByTopic, kprom.Records, kprom.UncompressedBytes),
		kprom.Histograms(kprom.RequestDurationE2E),
	}
	if g, ok := c.reg.(prometheus.Gatherer); ok {
		kopts = append(kopts, kprom.Gatherer(g))
	}
	cl, err := kgo.NewClient(c.kafka.Opts(
		kgo.ConsumerGroup(c.cfg.Group),
		kgo.ConsumeTopics(c.topics...),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(p.assigned),
		kgo.OnPartitionsRevoked(p.revoked),
		kgo.OnPartitionsLost(p.lost),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(250*time.Millisecond),
		kgo.WithHooks(kprom.NewMetrics("leadpoet_kafka", kopts...)),
	)...)
	if err != nil {
		return fmt.Errorf("create ingest kafka client: %w", err)
	}
	p.cl = cl

	c.log.Info("ingest consuming", "group", c.cfg.Group, "topics", c.topics)
	p.poll(ctx)

	// The workers drain within the drain timeout less a part kept for leaving the
	// group, so that the partitions are reassigned at once rather than after the
	// session timeout.
	start := time.Now()
	p.shutdown(start.Add(c.cfg.DrainTimeout - min(c.cfg.DrainTimeout/4, 2*time.Second)))
	leaveCtx, cancel := context.WithDeadline(context.Background(), start.Add(c.cfg.DrainTimeout))
	defer cancel()
	if err := cl.LeaveGroupContext(leaveCtx); err != nil {
		c.log.Warn("leave consumer group", "group", c.cfg.Group, "err", err)
	}
	// A member whose join is still pending (the coordinator waits for a dead
	// member's session to expire) cannot leave until the join completes, and the
	// client's Close waits for that. Everything written is committed by now, so Run
	// does not wait for it past closeGrace: the group drops the member after its
	// session timeout.
	closed := make(chan struct{})
	go func() {
		cl.CloseAllowingRebalance()
		close(closed)
	}()
	grace := time.NewTimer(max(time.Until(start.Add(c.cfg.DrainTimeout)), 0) + closeGrace)
	defer grace.Stop()
	select {
	case <-closed:
	case <-grace.C:
		c.log.Warn("kafka client not closed at the drain deadline; leaving it", "group", c.cfg.Group)
	}
	p.wg.Wait()
	c.log.Info("ingest stopped", "group", c.cfg.Group)
	return nil
}
