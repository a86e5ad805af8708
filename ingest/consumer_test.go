package ingest

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

// TestConsumerWritesEveryPartition: one member with a worker per partition writes
// every record of a 10-partition topic once, in per-partition order, with the
// partitions written concurrently; it dead-letters the rejections and commits
// every offset.
func TestConsumerWritesEveryPartition(t *testing.T) {
	e := newEnv(t)
	const n = 3000 // 300 per partition
	e.produce(t, testTopic, 0, n, roundRobin(10))

	h := newFakeHandler()
	h.reject = func(r *kgo.Record) bool { return r.Offset%50 == 7 } // 6 per partition
	// The first call waits until another partition's batch is being handled too.
	concurrent := make(chan struct{})
	var once sync.Once
	h.hook = func(ctx context.Context, call int, _ []*kgo.Record) error {
		h.mu.Lock()
		both := h.inflight >= 2
		h.mu.Unlock()
		if both {
			once.Do(func() { close(concurrent) })
		}
		if call == 0 {
			select {
			case <-concurrent:
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
			}
		}
		return nil
	}
	cfg := testConfig("every-partition")
	cfg.MaxBatchRecords = 40
	r := e.start(t, cfg, h, testLogger(t))

	waitFor(t, 20*time.Second, "every record committed", func() bool {
		ok, _ := e.allCommitted(t, cfg.Group, testTopic)
		return ok
	})
	h.checkBatches(t)
	calls, handled := h.snapshot()
	if len(handled) != n {
		t.Errorf("handled %d distinct records, want %d", len(handled), n)
	}
	for id, times := range handled {
		if times != 1 {
			t.Errorf("record %d@%d handled %d times", id.partition, id.offset, times)
		}
	}
	for i, c := range calls {
		if c.n > cfg.MaxBatchRecords {
			t.Errorf("call %d got %d records, more than max-batch-records %d", i, c.n, cfg.MaxBatchRecords)
		}
	}
	h.mu.Lock()
	maxFlight := h.maxFlight
	h.mu.Unlock()
	if maxFlight < 2 {
		t.Errorf("at most %d batches in flight at once, want partitions handled concurrently", maxFlight)
	}
	codes := testkit.DLQCodes(t, e.brokers, 60)
	if len(codes) != 60 {
		t.Errorf("dead-lettered %d distinct records, want 60", len(codes))
	}
	for id, code := range codes {
		if code != schemas.CodeBadJSON {
			t.Errorf("record %s dead-lettered with %q", id, code)
		}
	}

	m := r.c.metrics
	if got := value(m.consumed.WithLabelValues(testTopic)); got != n {
		t.Errorf("records_total = %v, want %d", got, n)
	}
	if got := value(m.dlq.WithLabelValues(testTopic, schemas.CodeBadJSON)); got != 60 {
		t.Errorf("dlq_records_total = %v, want 60", got)
	}
	for p := range 10 {
		if got := value(m.lag.WithLabelValues(testTopic, strconv.Itoa(p))); got != 0 {
			t.Errorf("lag of partition %d = %v, want 0", p, got)
		}
	}
	if got := value(m.assigned); got != 10 {
		t.Errorf("assigned_partitions = %v, want 10", got)
	}
	waitFor(t, 5*time.Second, "buffered records back to 0", func() bool { return value(m.buffered) == 0 })
	if err := r.c.Healthy(); err != nil || value(m.healthy) != 1 {
		t.Errorf("Healthy() = %v, healthy gauge %v; want nil and 1", err, value(m.healthy))
	}
	if r.metric(t, "leadpoet_kafka_fetch_records_total") < n {
		t.Errorf("kprom fetch_records_total = %v, want >= %d", r.metric(t, "leadpoet_kafka_fetch_records_total"), n)
	}

	if err := r.stop(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := value(m.assigned); got != 0 {
		t.Errorf("assigned_partitions after Run = %v, want 0", got)
	}
	if r.hasMetric(t, "leadpoet_kafka_fetch_records_total") {
		t.Error("kprom metrics still registered after Run returned")
	}
}

// TestConsumerRetriesFailedBatch: while the store fails, a partition's worker
// retries the same batch with backoff, the consumer is unhealthy, the partition
// is paused and nothing of it is committed; the other partitions go on. Once the
// store is back, the batch is written and everything is committed, nothing lost.
func TestConsumerRetriesFailedBatch(t *testing.T) {
	e := newEnv(t)
	e.produce(t, testTopic, 0, 250, onePartition(0))
	e.produce(t, testTopic, 0, 100, onePartition(1))

	errDown := errors.New("clickhouse: connection refused")
	var down atomic.Bool
	down.Store(true)
	h := newFakeHandler()
	h.hook = func(_ context.Context, _ int, recs []*kgo.Record) error {
		if recs[0].Partition == 0 && down.Load() {
			return errDown
		}
		return nil
	}
	cfg := testConfig("retry")
	r := e.start(t, cfg, h, testLogger(t))
	m := r.c.metrics

	failedCalls := func() []call {
		calls, _ := h.snapshot()
		return slices.DeleteFunc(calls, func(c call) bool { return c.err == nil })
	}
	waitFor(t, 15*time.Second, "partition 1 committed while partition 0 is retried", func() bool {
		return len(failedCalls()) >= 4 && e.committed(t, cfg.Group, testTopic)[1] == 100
	})
	if err := r.c.Healthy(); !errors.Is(err, errDown) {
		t.Errorf("Healthy() while the store is down = %v, want %v", err, errDown)
	}
	if got := value(m.healthy); got != 0 {
		t.Errorf("healthy gauge while the store is down = %v, want 0", got)
	}
	if got := value(m.paused); got != 1 {
		t.Errorf("paused_partitions while partition 0 retries = %v, want 1", got)
	}
	if got := value(m.retries); got < 3 {
		t.Errorf("batch_retries_total = %v, want >= 3", got)
	}
	if off, ok := e.committed(t, cfg.Group, testTopic)[0]; ok {
		t.Errorf("partition 0 committed offset %d while its writes fail", off)
	}
	failed := failedCalls()
	for _, c := range failed {
		if c.first != 0 || c.n != failed[0].n {
			t.Errorf("retried batch starts at %d with %d records, want the same batch: 0 with %d", c.first, c.n, failed[0].n)
		}
	}

	down.Store(false)
	waitFor(t, 15*time.Second, "every record committed", func() bool {
		ok, _ := e.allCommitted(t, cfg.Group, testTopic)
		return ok
	})
	calls, handled := h.snapshot()
	for _, c := range calls {
		if c.partition == 0 && c.err == nil {
			if c.first != 0 || c.n != failed[0].n {
				t.Errorf("first written batch of partition 0 starts at %d with %d records, want the failed one", c.first, c.n)
			}
			break
		}
	}
	if len(handled) != 350 {
		t.Errorf("handled %d distinct records, want 350", len(handled))
	}
	for id, times := range handled {
		if times != 1 {
			t.Errorf("record %d@%d written %d times", id.partition, id.offset, times)
		}
	}
	if err := r.c.Healthy(); err != nil {
		t.Errorf("Healthy() after the store is back = %v", err)
	}
	if got := value(m.healthy); got != 1 {
		t.Errorf("healthy gauge after the store is back = %v, want 1", got)
	}
	waitFor(t, 5*time.Second, "partition 0 resumed", func() bool { return value(m.paused) == 0 })
}

// TestConsumerBoundsBufferedRecords: while the handler is blocked, the records held
// by the workers never exceed ingest.max-buffered-records although the client has
// more to give; once it is unblocked everything is written.
func TestConsumerBoundsBufferedRecords(t *testing.T) {
	e := newEnv(t)
	const n = 4000
	e.produce(t, testTopic, 0, n, roundRobin(10))

	release := make(chan struct{})
	h := newFakeHandler()
	h.hook = func(ctx context.Context, _ int, _ []*kgo.Record) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	cfg := testConfig("bounded")
	cfg.MaxBufferedRecords = 400
	cfg.MaxBatchRecords = 50
	cfg.MaxPollRecords = 100
	r := e.start(t, cfg, h, testLogger(t))
	m := r.c.metrics

	// Sample the buffered gauge for its peak while the test runs.
	var peak atomic.Int64
	stopSampling := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			if v := int64(value(m.buffered)); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stopSampling:
				return
			case <-tick.C:
			}
		}
	})
	defer wg.Wait()
	defer close(stopSampling)

	waitFor(t, 10*time.Second, "the budget used up", func() bool { return value(m.buffered) >= 400 })
	waitFor(t, 10*time.Second, "the client holding records not taken", func() bool {
		return r.metric(t, "leadpoet_kafka_buffered_fetch_records_total") > 0
	})
	if got := value(m.buffered); got != 400 {
		t.Errorf("buffered_records while blocked = %v, want 400", got)
	}
	if got := value(m.paused); got < 1 {
		t.Errorf("paused_partitions while blocked = %v, want >= 1", got)
	}
	_, handled := h.snapshot()
	if len(handled) != 0 {
		t.Errorf("%d records written while the handler is blocked", len(handled))
	}

	close(release)
	waitFor(t, 20*time.Second, "every record committed", func() bool {
		ok, _ := e.allCommitted(t, cfg.Group, testTopic)
		return ok
	})
	waitFor(t, 5*time.Second, "buffered records back to 0", func() bool { return value(m.buffered) == 0 })
	if p := peak.Load(); p > 400 {
		t.Errorf("buffered records peaked at %d, above the bound 400", p)
	}
	if _, handled := h.snapshot(); len(handled) != n {
		t.Errorf("handled %d distinct records, want %d", len(handled), n)
	}
}

// commitLog is every offset commit the broker receives, in order.
type commitLog struct {
	mu      sync.Mutex
	commits []commitReq
}

type commitReq struct {
	member     string
	generation int32
	partition  int32
	offset     int64
}

func observeCommits(e *env) *commitLog {
	l := &commitLog{}
	e.cluster.ControlKey(kmsg.OffsetCommit.Int16(), func(req kmsg.Request) (kmsg.Response, error, bool) {
		r := req.(*kmsg.OffsetCommitRequest)
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				l.commits = append(l.commits, commitReq{member: r.MemberID, generation: r.Generation, partition: p.Partition, offset: p.Offset})
			}
		}
		return nil, nil, false
	})
	return l
}

func (l *commitLog) byPartition() map[int32][]commitReq {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[int32][]commitReq{}
	for _, c := range l.commits {
		out[c.partition] = append(out[c.partition], c)
	}
	return out
}

// TestConsumerRebalance: a second member joins while the first holds batches in
// flight. The first drains the batches of the partitions it gives up and commits
// them before the rebalance completes; the second goes on from there. Every
// record is written, none twice; no partition's committed offset goes backwards,
// and a member never commits a partition again once another member committed it.
func TestConsumerRebalance(t *testing.T) {
	e := newEnv(t)
	commits := observeCommits(e)
	const first, second = 5000, 5000
	e.produce(t, testTopic, 0, first, roundRobin(10))
	cfg := testConfig("rebalance")
	cfg.MaxBatchRecords = 50

	// Member a writes 2000 records, then holds its batches until it drains the
	// partitions it gives up to b.
	release := make(chan struct{})
	var written atomic.Int64
	a := newFakeHandler()
	a.hook = func(ctx context.Context, _ int, recs []*kgo.Record) error {
		if written.Add(int64(len(recs))) <= 2000 {
			return nil
		}
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	logA, draining := signalLogger(t, "draining revoked partitions")
	ra := e.start(t, cfg, a, logA)
	waitFor(t, 10*time.Second, "member a holding batches", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.inflight > 0 && written.Load() > 2000
	})

	b := newFakeHandler()
	rb := e.start(t, cfg, b, testLogger(t))
	select {
	case <-draining:
	case <-time.After(20 * time.Second):
		t.Fatal("member a never drained revoked partitions")
	}
	close(release)
	e.produce(t, testTopic, first, second, roundRobin(10))
	waitFor(t, 30*time.Second, "every record committed", func() bool {
		ok, _ := e.allCommitted(t, cfg.Group, testTopic)
		return ok
	})
	log := commits.byPartition()
	if err := rb.stop(t); err != nil {
		t.Errorf("member b: %v", err)
	}
	if err := ra.stop(t); err != nil {
		t.Errorf("member a: %v", err)
	}

	a.checkBatches(t)
	b.checkBatches(t)
	_, byA := a.snapshot()
	_, byB := b.snapshot()
	if len(byA) == 0 || len(byB) == 0 {
		t.Fatalf("member a wrote %d records and b %d: want both to write", len(byA), len(byB))
	}
	ends := e.endOffsets(t, testTopic)
	dups := 0
	for p, end := range ends {
		for off := range end {
			id := recID{p, off}
			times := byA[id] + byB[id]
			switch {
			case times == 0:
				t.Errorf("record %d@%d never written", p, off)
			case times > 1:
				dups++
			}
		}
	}
	if dups > 0 {
		t.Errorf("%d records written twice; the batches in flight at the rebalance should have been committed before it completed", dups)
	}

	moved := 0
	for p, cs := range log {
		var members []string
		for i, c := range cs {
			if i > 0 && c.offset < cs[i-1].offset {
				t.Errorf("partition %d: commit of %d by %s after %d by %s: the committed offset goes backwards",
					p, c.offset, c.member, cs[i-1].offset, cs[i-1].member)
			}
			if len(members) == 0 || members[len(members)-1] != c.member {
				if slices.Contains(members, c.member) {
					t.Errorf("partition %d: %s commits again after another member committed it: %v", p, c.member, members)
				}
				members = append(members, c.member)
			}
		}
		if len(members) > 1 {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no partition changed member")
	}
	t.Logf("%d partitions moved; a wrote %d records, b %d", moved, len(byA), len(byB))
}

// TestConsumerShutdownMidBatch: at shutdown the batch in flight is finished and
// committed within the drain timeout; one that outlives it is cancelled, not
// committed, and delivered again to the next member.
func TestConsumerShutdownMidBatch(t *testing.T) {
	for _, tc := range []struct {
		name     string
		finishes bool
	}{
		{"batch in flight finishes", true},
		{"batch in flight outlives the drain timeout", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			const n = 300
			e.produce(t, testTopic, 0, n, onePartition(0))
			cfg := testConfig("shutdown")
			if !tc.finishes {
				cfg.DrainTimeout = 300 * time.Millisecond
			}
			started, release := make(chan struct{}), make(chan struct{})
			var cancelled atomic.Bool
			h := newFakeHandler()
			h.hook = func(ctx context.Context, call int, _ []*kgo.Record) error {
				if call != 1 {
					return nil
				}
				close(started)
				select {
				case <-release:
					return nil
				case <-ctx.Done():
					cancelled.Store(true)
					return ctx.Err()
				}
			}
			r := e.start(t, cfg, h, testLogger(t))
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("second batch never handled")
			}
			r.cancel()
			stopping := time.Now()
			if tc.finishes {
				select {
				case err := <-r.done:
					t.Fatalf("Run returned (%v) before the batch in flight finished", err)
				default:
				}
				close(release)
			}
			if err := r.stop(t); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if took := time.Since(stopping); took > cfg.DrainTimeout+2*time.Second {
				t.Errorf("Run took %s to return, drain timeout %s", took, cfg.DrainTimeout)
			}

			calls, _ := h.snapshot()
			last := calls[0]
			if tc.finishes {
				last = calls[1]
			}
			want := last.first + int64(last.n)
			if got, ok := e.committed(t, cfg.Group, testTopic)[0]; !ok || got != want {
				t.Errorf("committed offset %d (%v), want %d: the end of the last written batch", got, ok, want)
			}
			if tc.finishes {
				return
			}
			if !cancelled.Load() {
				t.Error("the batch outliving the drain timeout was not cancelled")
			}
			// Nothing accepted is lost: the next member writes what was not committed.
			h2 := newFakeHandler()
			e.start(t, cfg, h2, testLogger(t))
			waitFor(t, 10*time.Second, "every record committed", func() bool {
				ok, _ := e.allCommitted(t, cfg.Group, testTopic)
				return ok
			})
			if calls, handled := h2.snapshot(); calls[0].first != want || len(handled) != n-int(want) {
				t.Errorf("next member started at %d and wrote %d records, want %d and %d", calls[0].first, len(handled), want, n-int(want))
			}
		})
	}
}

// TestConsumerLostPartitionsCommitNothing: when the member loses its partitions
// (the broker no longer accepts its generation), the batch in flight is cancelled
// and nothing is committed for it; once the member rejoins, the batch is delivered
// again and written.
func TestConsumerLostPartitionsCommitNothing(t *testing.T) {
	e := newEnv(t)
	commits := observeCommits(e)
	const n = 300
	e.produce(t, testTopic, 0, n, onePartition(0))

	started := make(chan struct{})
	var cancelled atomic.Bool
	h := newFakeHandler()
	h.hook = func(ctx context.Context, call int, _ []*kgo.Record) error {
		if call != 1 {
			return nil
		}
		close(started)
		<-ctx.Done()
		cancelled.Store(true)
		return ctx.Err()
	}
	cfg := testConfig("lost")
	e.start(t, cfg, h, testLogger(t))
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("second batch never handled")
	}
	waitFor(t, 10*time.Second, "the first batch committed", func() bool { return len(commits.byPartition()[0]) > 0 })
	lostGen := commits.byPartition()[0][0].generation

	// The member's next heartbeat is refused as if the group had moved on without it.
	e.cluster.ControlKey(kmsg.Heartbeat.Int16(), func(req kmsg.Request) (kmsg.Response, error, bool) {
		resp := req.ResponseKind().(*kmsg.HeartbeatResponse)
		resp.ErrorCode = kerr.IllegalGeneration.Code
		return resp, nil, true
	})
	waitFor(t, 15*time.Second, "the batch in flight cancelled", cancelled.Load)
	waitFor(t, 15*time.Second, "every record committed", func() bool {
		ok, _ := e.allCommitted(t, cfg.Group, testTopic)
		return ok
	})

	calls, handled := h.snapshot()
	lostBatch := calls[1]
	for _, c := range commits.byPartition()[0] {
		if c.generation == lostGen && c.offset > lostBatch.first {
			t.Errorf("generation %d committed offset %d, past the batch in flight when it lost the partition (from %d)",
				c.generation, c.offset, lostBatch.first)
		}
	}
	if len(handled) != n {
		t.Errorf("wrote %d distinct records, want %d", len(handled), n)
	}
	for id, times := range handled {
		if times != 1 {
			t.Errorf("record %d@%d written %d times", id.partition, id.offset, times)
		}
	}
	redelivered := false
	for _, c := range calls[2:] {
		redelivered = redelivered || c.first == lostBatch.first
	}
	if !redelivered {
		t.Errorf("the lost batch from %d was never delivered again: calls %+v", lostBatch.first, calls)
	}
}
