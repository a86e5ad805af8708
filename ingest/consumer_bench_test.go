package ingest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// countHandler writes nothing: it counts records and closes done once it has seen want.
type countHandler struct {
	want int64
	seen atomic.Int64
	done chan struct{}
}

func (h *countHandler) Handle(_ context.Context, recs []*kgo.Record) ([]Rejection, error) {
	if h.seen.Add(int64(len(recs))) == h.want {
		close(h.done)
	}
	return nil, nil
}

// BenchmarkConsumer measures records/s from a kfake broker through the consumer
// (group join, polling, per-partition workers, commits) to a no-op handler. Each
// iteration consumes a fresh 10-partition topic of n records with a fresh group.
func BenchmarkConsumer(b *testing.B) {
	for _, n := range []int{100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			e := newEnv(b)
			value := []byte(`{"event_id":"e-0000000000","occurred_at":"2026-01-02T03:04:05Z","domain":"example.com","title":"Data engineer"}`)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				topic := fmt.Sprintf("bench-%d", i)
				if _, err := e.adm.CreateTopic(context.Background(), 10, 1, nil, topic); err != nil {
					b.Fatal(err)
				}
				recs := make([]*kgo.Record, n)
				for j := range recs {
					recs[j] = &kgo.Record{Topic: topic, Partition: int32(j % 10), Value: value}
				}
				if err := e.cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
					b.Fatal(err)
				}
				h := &countHandler{want: int64(n), done: make(chan struct{})}
				b.StartTimer()

				cfg := DefaultConfig()
				cfg.Group = topic
				r := e.startTopic(b, topic, cfg, h, testLogger(b))
				select {
				case <-h.done:
				case <-time.After(60 * time.Second):
					b.Fatalf("consumed %d of %d records in 60s", h.seen.Load(), n)
				}

				b.StopTimer()
				if err := r.stop(b); err != nil {
					b.Fatal(err)
				}
				if _, err := e.adm.DeleteTopics(context.Background(), topic); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
