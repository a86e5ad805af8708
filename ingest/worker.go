package ingest

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// topicPartition names one partition.
type topicPartition struct {
	topic     string
	partition int32
}

func (tp topicPartition) String() string { return tp.topic + "/" + strconv.Itoa(int(tp.partition)) }

func (tp topicPartition) less(o topicPartition) bool {
	if tp.topic != o.topic {
		return tp.topic < o.topic
	}
	return tp.partition < o.partition
}

// chunk is one poll's records of a partition.
type chunk struct {
	recs   []*kgo.Record
	polled time.Time
}

// worker owns one assigned partition: it takes the records the poll loop queues,
// coalesces them into batches, hands each batch to the Handler until it is written,
// dead-letters the rejections and commits the batch's offsets. It pauses the
// partition's fetching while it retries a failed write or its queue is full.
type worker struct {
	tp  topicPartition
	p   *poller
	cl  *kgo.Client
	cfg *Config

	// ctx is for Handle, the DLQ and commits: it is cancelled when the partition
	// is lost or the drain deadline passes, never merely because Run's ctx ended.
	ctx    context.Context
	cancel context.CancelFunc
	stopc  chan struct{} // closed by stop: finish the batch in flight, take no other
	stop1  sync.Once
	done   chan struct{} // closed when run returns
	lost   atomic.Bool   // the partition is no longer ours: commit nothing
	wake   chan struct{} // signalled when records are queued

	mu       sync.Mutex
	queue    []chunk
	queued   int   // records in queue
	stopping bool  // run is finishing: queue nothing more
	failing  bool  // the batch in flight failed and is being retried
	paused   bool  // the partition's fetching is paused
	hw       int64 // high watermark of the last fetch
	next     int64 // offset after the last written record; -1 until known

	// pending is the last written record whose offset is not committed yet; only
	// the worker goroutine touches it.
	pending *kgo.Record
}

func newWorker(p *poller, cl *kgo.Client, tp topicPartition) *worker {
	ctx, cancel := context.WithCancel(context.Background())
	return &worker{
		tp: tp, p: p, cl: cl, cfg: &p.cfg,
		ctx: ctx, cancel: cancel,
		stopc: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1),
		next: -1,
	}
}

// stop asks the worker to finish its batch in flight and return.
func (w *worker) stop() { w.stop1.Do(func() { close(w.stopc) }) }

// enqueue hands the worker one poll's records of its partition. It reports false
// when the worker is finishing and did not take them.
func (w *worker) enqueue(fp kgo.FetchTopicPartition, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopping {
		return false
	}
	w.queue = append(w.queue, chunk{recs: fp.Records, polled: now})
	w.queued += len(fp.Records)
	if w.next < 0 {
		w.next = fp.Records[0].Offset
	}
	w.hw = max(w.hw, fp.HighWatermark)
	w.setLagLocked()
	w.updatePauseLocked()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return true
}

func (w *worker) run() {
	defer close(w.done)
	defer w.finish()
	for {
		batch, polled, ok := w.nextBatch()
		if !ok {
			return
		}
		written := w.write(batch, polled)
		w.p.budget.release(len(batch))
		if !written {
			return
		}
	}
}

// nextBatch waits for queued records and takes up to MaxBatchRecords of them, in
// offset order. It reports false once the worker is stopped.
func (w *worker) nextBatch() ([]*kgo.Record, time.Time, bool) {
	for {
		select {
		case <-w.stopc:
			return nil, time.Time{}, false
		default:
		}
		w.mu.Lock()
		if w.queued > 0 {
			batch, polled := w.takeLocked(w.cfg.MaxBatchRecords)
			w.updatePauseLocked()
			w.mu.Unlock()
			return batch, polled, true
		}
		w.mu.Unlock()
		select {
		case <-w.wake:
		case <-w.stopc:
			return nil, time.Time{}, false
		}
	}
}

// takeLocked removes up to n records from the front of the queue. A batch within
// the first chunk shares that chunk's backing array; one spanning chunks is copied.
func (w *worker) takeLocked(n int) ([]*kgo.Record, time.Time) {
	polled := w.queue[0].polled
	if first := &w.queue[0]; len(first.recs) >= n || len(w.queue) == 1 {
		k := min(len(first.recs), n)
		batch := first.recs[:k:k]
		first.recs = first.recs[k:]
		if len(first.recs) == 0 {
			w.popLocked()
		}
		w.queued -= k
		return batch, polled
	}
	batch := make([]*kgo.Record, 0, min(n, w.queued))
	for len(w.queue) > 0 && len(batch) < n {
		c := &w.queue[0]
		k := min(len(c.recs), n-len(batch))
		batch = append(batch, c.recs[:k]...)
		c.recs = c.recs[k:]
		if len(c.recs) == 0 {
			w.popLocked()
		}
	}
	w.queued -= len(batch)
	return batch, polled
}

func (w *worker) popLocked() {
	w.queue[0] = chunk{}
	w.queue = w.queue[1:]
	if len(w.queue) == 0 {
		w.queue = nil
	}
}

// write hands batch to the Handler and dead-letters its rejections, retrying
// with exponential backoff until that succeeds, then commits the batch. It
// reports false when the worker was stopped or cancelled before the batch was
// written: the batch is then not committed and will be delivered again.
func (w *worker) write(batch []*kgo.Record, polled time.Time) bool {
	backoff := w.cfg.RetryMin
	for attempt := 1; ; attempt++ {
		err := w.attempt(batch)
		if err == nil {
			break
		}
		if w.ctx.Err() != nil {
			w.p.log.Warn("batch abandoned, it will be delivered again", "topic", w.tp.topic, "partition", w.tp.partition,
				"offset", batch[0].Offset, "records", len(batch), "err", err)
			return false
		}
		w.setFailing(err)
		w.p.metrics.retries.Inc()
		w.p.log.Warn("batch write failed, retrying", "topic", w.tp.topic, "partition", w.tp.partition,
			"offset", batch[0].Offset, "records", len(batch), "attempt", attempt, "backoff", backoff, "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-w.stopc:
			t.Stop()
			w.p.log.Warn("failing batch abandoned at stop, it will be delivered again", "topic", w.tp.topic,
				"partition", w.tp.partition, "offset", batch[0].Offset, "records", len(batch))
			return false
		case <-w.ctx.Done():
			t.Stop()
			return false
		}
		backoff = min(2*backoff, w.cfg.RetryMax)
	}
	last := batch[len(batch)-1]
	w.mu.Lock()
	w.next = last.Offset + 1
	w.setLagLocked()
	w.mu.Unlock()
	w.setFailing(nil)
	w.p.metrics.observeBatch(w.tp.topic, len(batch), time.Since(polled))
	w.pending = last
	w.commit()
	return true
}

// attempt makes one try at writing batch and dead-lettering its rejections.
func (w *worker) attempt(batch []*kgo.Record) error {
	start := time.Now()
	rejected, err := w.p.handler.Handle(w.ctx, batch)
	if err != nil {
		w.p.metrics.handleDuration.WithLabelValues("error").Observe(time.Since(start).Seconds())
		return err
	}
	w.p.metrics.handleDuration.WithLabelValues("success").Observe(time.Since(start).Seconds())
	if len(rejected) == 0 {
		return nil
	}
	if err := produceDLQ(w.ctx, w.cl, rejected); err != nil {
		return err
	}
	for _, r := range rejected {
		w.p.metrics.dlq.WithLabelValues(r.Record.Topic, r.Code).Inc()
		w.p.log.Debug("record dead-lettered", "topic", r.Record.Topic, "partition", r.Record.Partition,
			"offset", r.Record.Offset, "code", r.Code, "reason", r.Message)
	}
	return nil
}

// commit commits the offset after the last written record, unless the partition
// was lost. A failed commit is counted and left pending: the next one covers it.
func (w *worker) commit() {
	if w.pending == nil || w.lost.Load() || w.ctx.Err() != nil {
		return
	}
	if err := w.cl.CommitRecords(w.ctx, w.pending); err != nil {
		w.p.metrics.commitErrors.Inc()
		w.p.log.Warn("offset commit failed", "topic", w.tp.topic, "partition", w.tp.partition,
			"offset", w.pending.Offset+1, "err", err)
		return
	}
	w.pending = nil
}

// finish drops what is still queued (it was never written, so it is fetched
// again by the partition's next owner), retries a commit that failed, resumes
// the partition's fetching and clears its health and lag.
func (w *worker) finish() {
	w.mu.Lock()
	w.stopping = true
	dropped := w.queued
	w.queue, w.queued, w.failing = nil, 0, false
	w.updatePauseLocked()
	w.mu.Unlock()
	w.p.budget.release(dropped)
	w.commit()
	w.p.health.set(w.tp, nil)
	w.p.metrics.lag.DeleteLabelValues(w.tp.topic, strconv.Itoa(int(w.tp.partition)))
	w.cancel()
}

func (w *worker) setFailing(err error) {
	w.mu.Lock()
	w.failing = err != nil
	w.updatePauseLocked()
	w.mu.Unlock()
	w.p.health.set(w.tp, err)
}

// updatePauseLocked pauses the partition's fetching while the worker retries a
// failed write or holds a full batch in its queue, and resumes it otherwise.
func (w *worker) updatePauseLocked() {
	want := !w.stopping && (w.failing || w.queued >= w.cfg.MaxBatchRecords)
	if want == w.paused {
		return
	}
	tps := map[string][]int32{w.tp.topic: {w.tp.partition}}
	if want {
		w.cl.PauseFetchPartitions(tps)
		w.p.metrics.paused.Inc()
	} else {
		w.cl.ResumeFetchPartitions(tps)
		w.p.metrics.paused.Dec()
	}
	w.paused = want
}

func (w *worker) setLagLocked() {
	if w.next < 0 {
		return
	}
	w.p.metrics.lag.WithLabelValues(w.tp.topic, strconv.Itoa(int(w.tp.partition))).Set(float64(max(w.hw-w.next, 0)))
}
