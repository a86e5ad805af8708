package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// poller runs one client: the poll loop that splits fetches by partition, and the
// rebalance callbacks that start and stop the partition workers. With
// BlockRebalanceOnPoll, callbacks never run between a poll and its AllowRebalance,
// so the poll loop never hands records to a worker being stopped by a rebalance.
type poller struct {
	cfg     Config
	cl      *kgo.Client
	handler Handler
	log     *slog.Logger
	metrics *metrics
	health  *health
	budget  *budget

	mu      sync.Mutex
	workers map[topicPartition]*worker
	closing bool           // Run is shutting down: start no workers
	wg      sync.WaitGroup // the worker goroutines
}

// poll polls until ctx ends, as many records at a time as the budget allows.
func (p *poller) poll(ctx context.Context) {
	for {
		if p.budget.wait(ctx) != nil {
			return
		}
		fetches := p.cl.PollRecords(ctx, min(p.cfg.MaxPollRecords, p.budget.available()))
		if fetches.IsClientClosed() {
			return
		}
		fetches.EachError(func(topic string, partition int32, err error) {
			switch {
			case errors.Is(err, context.Canceled):
			case topic == "":
				p.log.Warn("consumer group error", "group", p.cfg.Group, "err", err)
			default:
				p.log.Warn("fetch error", "topic", topic, "partition", partition, "err", err)
			}
		})
		now := time.Now()
		fetches.EachPartition(func(fp kgo.FetchTopicPartition) {
			if len(fp.Records) > 0 {
				p.dispatch(fp, now)
			}
		})
		p.cl.AllowRebalance()
		if ctx.Err() != nil {
			return
		}
	}
}

func (p *poller) dispatch(fp kgo.FetchTopicPartition, now time.Time) {
	p.budget.take(len(fp.Records))
	p.mu.Lock()
	w := p.workers[topicPartition{fp.Topic, fp.Partition}]
	p.mu.Unlock()
	if w != nil && w.enqueue(fp, now) {
		return
	}
	p.budget.release(len(fp.Records))
	if w == nil {
		p.log.Warn("records of a partition without worker dropped", "topic", fp.Topic, "partition", fp.Partition,
			"offset", fp.Records[0].Offset, "records", len(fp.Records))
	}
}

// assigned starts a worker for every newly assigned partition.
// It is handed the client: it may run before NewClient returned.
func (p *poller) assigned(_ context.Context, cl *kgo.Client, assigned map[string][]int32) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return
	}
	for topic, partitions := range assigned {
		for _, partition := range partitions {
			tp := topicPartition{topic, partition}
			if p.workers[tp] != nil {
				continue
			}
			w := newWorker(p, cl, tp)
			p.workers[tp] = w
			p.wg.Go(w.run)
		}
	}
	p.metrics.assigned.Set(float64(len(p.workers)))
	if len(assigned) > 0 {
		p.log.Info("partitions assigned", "partitions", assigned)
	}
}

// revoked lets the workers of revoked partitions finish their batches in flight and
// commit them, within the drain timeout, before the rebalance goes on.
func (p *poller) revoked(_ context.Context, _ *kgo.Client, revoked map[string][]int32) {
	ws := p.workersOf(revoked)
	if len(ws) == 0 {
		return
	}
	p.log.Info("draining revoked partitions", "partitions", revoked)
	p.stopWorkers(ws, time.Now().Add(p.cfg.DrainTimeout))
	p.remove(ws)
	p.log.Info("revoked partitions drained", "partitions", revoked)
}

// lost stops the workers of partitions the member no longer owns, without
// committing anything for them.
func (p *poller) lost(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	ws := p.workersOf(lost)
	for _, w := range ws {
		w.lost.Store(true)
		w.cancel()
	}
	p.stopWorkers(ws, time.Now())
	p.remove(ws)
	if len(ws) > 0 {
		p.log.Warn("partitions lost", "partitions", lost)
	}
}

// shutdown stops every worker: each finishes its batch in flight and commits it,
// or gives up at deadline.
func (p *poller) shutdown(deadline time.Time) {
	p.mu.Lock()
	p.closing = true
	ws := make([]*worker, 0, len(p.workers))
	for _, w := range p.workers {
		ws = append(ws, w)
	}
	p.mu.Unlock()
	p.stopWorkers(ws, deadline)
	p.remove(ws)
}

func (p *poller) workersOf(tps map[string][]int32) []*worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ws []*worker
	for topic, partitions := range tps {
		for _, partition := range partitions {
			if w := p.workers[topicPartition{topic, partition}]; w != nil {
				ws = append(ws, w)
			}
		}
	}
	return ws
}

func (p *poller) remove(ws []*worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range ws {
		if p.workers[w.tp] == w {
			delete(p.workers, w.tp)
		}
	}
	p.metrics.assigned.Set(float64(len(p.workers)))
}

// stopWorkers stops ws and waits for them; at deadline it cancels those still
// writing, whose batches then stay uncommitted.
func (p *poller) stopWorkers(ws []*worker, deadline time.Time) {
	for _, w := range ws {
		w.stop()
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	expired := false
	for _, w := range ws {
		if !expired {
			select {
			case <-w.done:
				continue
			case <-t.C:
				expired = true
				for _, w := range ws {
					w.cancel()
				}
			}
		}
		<-w.done
	}
}
