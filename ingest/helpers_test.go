package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/testkit"
	"github.com/leadpoet/leadpoet/schemas"
)

const testTopic = "leadpoet.test.v1"

// env is a kfake cluster with testTopic (10 partitions) and the DLQ topic, and a
// client to produce and administer it.
type env struct {
	cluster *kfake.Cluster
	brokers string
	cl      *kgo.Client
	adm     *kadm.Client
}

func newEnv(t testing.TB) *env {
	t.Helper()
	cluster := testkit.Kafka(t, testTopic, schemas.TopicDLQ)
	cl, err := kgo.NewClient(kgo.SeedBrokers(testkit.KafkaAddrs(cluster)...),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerLinger(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return &env{cluster: cluster, brokers: strings.Join(testkit.KafkaAddrs(cluster), ","), cl: cl, adm: kadm.NewClient(cl)}
}

// produce writes n records to topic, record i to partition part(i), with value i+first.
func (e *env) produce(t testing.TB, topic string, first, n int, part func(i int) int32) {
	t.Helper()
	recs := make([]*kgo.Record, 0, n)
	for i := range n {
		recs = append(recs, &kgo.Record{Topic: topic, Partition: part(i), Value: fmt.Appendf(nil, "%d", first+i)})
	}
	if err := e.cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

func roundRobin(parts int32) func(int) int32 { return func(i int) int32 { return int32(i) % parts } }

func onePartition(p int32) func(int) int32 { return func(int) int32 { return p } }

// endOffsets returns the end offset of every partition of topic.
func (e *env) endOffsets(t testing.TB, topic string) map[int32]int64 {
	t.Helper()
	ends, err := e.adm.ListEndOffsets(context.Background(), topic)
	if err != nil {
		t.Fatalf("list end offsets: %v", err)
	}
	out := map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) { out[o.Partition] = o.Offset })
	return out
}

// committed returns group's committed offset of every partition of topic that has one.
func (e *env) committed(t testing.TB, group, topic string) map[int32]int64 {
	t.Helper()
	resp, err := e.adm.FetchOffsets(context.Background(), group)
	if errors.Is(err, kerr.GroupIDNotFound) {
		return map[int32]int64{}
	}
	if err != nil {
		t.Fatalf("fetch offsets: %v", err)
	}
	out := map[int32]int64{}
	resp.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic && o.Err == nil && o.At >= 0 {
			out[o.Partition] = o.At
		}
	})
	return out
}

// allCommitted reports whether group committed every record of topic, and how many
// records are not committed yet.
func (e *env) allCommitted(t testing.TB, group, topic string) (bool, int64) {
	committed := e.committed(t, group, topic)
	var behind int64
	for p, end := range e.endOffsets(t, topic) {
		behind += end - committed[p]
	}
	return behind == 0, behind
}

// waitFor polls cond until it holds or timeout passes.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

func testConfig(group string) Config {
	cfg := DefaultConfig()
	cfg.Group = group
	cfg.MaxPollRecords = 500
	cfg.MaxBatchRecords = 100
	cfg.MaxBufferedRecords = 2000
	cfg.RetryMin = time.Millisecond
	cfg.RetryMax = 20 * time.Millisecond
	cfg.DrainTimeout = 10 * time.Second
	return cfg
}

func testLogger(t testing.TB) *slog.Logger { return slog.New(testLogHandler(t)) }

func testLogHandler(t testing.TB) slog.Handler {
	if testing.Verbose() {
		return slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo})
	}
	return slog.NewTextHandler(io.Discard, nil)
}

// signalHandler closes ch the first time a record with message msg is logged.
type signalHandler struct {
	slog.Handler
	msg  string
	once *sync.Once
	ch   chan struct{}
}

// signalLogger returns a logger that closes the returned channel when msg is logged.
func signalLogger(t testing.TB, msg string) (*slog.Logger, <-chan struct{}) {
	ch := make(chan struct{})
	return slog.New(signalHandler{Handler: testLogHandler(t), msg: msg, once: new(sync.Once), ch: ch}), ch
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h signalHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.once.Do(func() { close(h.ch) })
	}
	if !h.Handler.Enabled(ctx, r.Level) {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h signalHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h.Handler = h.Handler.WithAttrs(as)
	return h
}

func (h signalHandler) WithGroup(name string) slog.Handler {
	h.Handler = h.Handler.WithGroup(name)
	return h
}

// running is a consumer whose Run is in progress.
type running struct {
	c      *Consumer
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// start runs a consumer of testTopic until the test ends or stop is called.
func (e *env) start(t testing.TB, cfg Config, h Handler, log *slog.Logger) *running {
	t.Helper()
	return e.startTopic(t, testTopic, cfg, h, log)
}

func (e *env) startTopic(t testing.TB, topic string, cfg Config, h Handler, log *slog.Logger) *running {
	t.Helper()
	kc := kafkax.DefaultConfig()
	kc.Brokers = e.brokers
	reg := prometheus.NewRegistry()
	c, err := NewConsumer(cfg, kc, []string{topic}, h, log, reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{c: c, reg: reg, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- c.Run(ctx) }()
	t.Cleanup(func() {
		if err := r.stop(t); err != nil {
			t.Errorf("consumer: %v", err)
		}
	})
	return r
}

// stop cancels Run and waits for it to return.
func (r *running) stop(t testing.TB) error {
	r.once.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(30 * time.Second):
			t.Fatal("consumer did not stop within 30s")
		}
	})
	return r.err
}

// metric returns the sum of the series of the metric named name.
func (r *running) metric(t testing.TB, name string) float64 {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			switch {
			case m.Gauge != nil:
				sum += m.GetGauge().GetValue()
			case m.Counter != nil:
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

func (r *running) hasMetric(t testing.TB, name string) bool {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return true
		}
	}
	return false
}

// value returns the value of a counter or gauge.
func value(c prometheus.Collector) float64 {
	ch := make(chan prometheus.Metric, 1)
	c.Collect(ch)
	var m dto.Metric
	if err := (<-ch).Write(&m); err != nil {
		panic(err)
	}
	if m.Gauge != nil {
		return m.GetGauge().GetValue()
	}
	return m.GetCounter().GetValue()
}

// recID names one record.
type recID struct {
	partition int32
	offset    int64
}

// call is one Handle call as the fake handler saw it.
type call struct {
	partition int32
	first     int64 // offset of the first record
	n         int
	err       error
}

// fakeHandler records what it is handed. Its hook, when set, runs first and can
// fail or block a call; reject picks the records it rejects.
type fakeHandler struct {
	hook   func(ctx context.Context, n int, recs []*kgo.Record) error
	reject func(*kgo.Record) bool

	mu        sync.Mutex
	calls     []call
	handled   map[recID]int // successful handles per record
	inflight  int
	maxFlight int
	bad       []string // batches that break the per-partition, in-order contract
}

func newFakeHandler() *fakeHandler {
	return &fakeHandler{handled: map[recID]int{}}
}

func (h *fakeHandler) Handle(ctx context.Context, recs []*kgo.Record) ([]Rejection, error) {
	h.mu.Lock()
	n := len(h.calls)
	h.calls = append(h.calls, call{partition: recs[0].Partition, first: recs[0].Offset, n: len(recs)})
	h.inflight++
	h.maxFlight = max(h.maxFlight, h.inflight)
	for i, r := range recs {
		if r.Partition != recs[0].Partition || r.Topic != recs[0].Topic || (i > 0 && r.Offset <= recs[i-1].Offset) {
			h.bad = append(h.bad, fmt.Sprintf("call %d: record %d is %s/%d@%d", n, i, r.Topic, r.Partition, r.Offset))
		}
	}
	h.mu.Unlock()

	var err error
	if h.hook != nil {
		err = h.hook(ctx, n, recs)
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	h.inflight--
	h.calls[n].err = err
	if err != nil {
		return nil, err
	}
	var rejected []Rejection
	for _, r := range recs {
		h.handled[recID{r.Partition, r.Offset}]++
		if h.reject != nil && h.reject(r) {
			rejected = append(rejected, Rejection{Record: r, Code: schemas.CodeBadJSON, Message: "not an event"})
		}
	}
	return rejected, nil
}

func (h *fakeHandler) snapshot() (calls []call, handled map[recID]int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	handled = make(map[recID]int, len(h.handled))
	for k, v := range h.handled {
		handled[k] = v
	}
	return append([]call(nil), h.calls...), handled
}

func (h *fakeHandler) handledCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.handled)
}

func (h *fakeHandler) checkBatches(t testing.TB) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, b := range h.bad {
		t.Error(b)
	}
}
