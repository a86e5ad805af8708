package ingest

import (
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestWorkerCoalescesQueuedFetches: a worker's batch takes queued fetches in
// offset order up to max-batch-records, splitting a fetch when it must.
func TestWorkerCoalescesQueuedFetches(t *testing.T) {
	recs := func(from, n int) []*kgo.Record {
		out := make([]*kgo.Record, n)
		for i := range out {
			out[i] = &kgo.Record{Offset: int64(from + i)}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		chunks []int // sizes of the queued fetches
		max    int
		want   []int // sizes of the batches taken until the queue is empty
	}{
		{"one small fetch", []int{3}, 10, []int{3}},
		{"one fetch split", []int{25}, 10, []int{10, 10, 5}},
		{"small fetches coalesced", []int{3, 4, 2}, 10, []int{9}},
		{"fetches coalesced up to the bound", []int{6, 6, 6}, 10, []int{10, 8}},
		{"bound within the first fetch", []int{12, 3}, 10, []int{10, 5}},
		{"batches of one", []int{2, 1}, 1, []int{1, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &worker{}
			next := 0
			polled := time.Unix(100, 0)
			for i, n := range tc.chunks {
				w.queue = append(w.queue, chunk{recs: recs(next, n), polled: polled.Add(time.Duration(i) * time.Second)})
				w.queued += n
				next += n
			}
			var got []int
			var offset int64
			for w.queued > 0 {
				batch, _ := w.takeLocked(tc.max)
				got = append(got, len(batch))
				for _, r := range batch {
					if r.Offset != offset {
						t.Fatalf("batch %d has offset %d, want %d", len(got), r.Offset, offset)
					}
					offset++
				}
				if len(got) > 100 {
					t.Fatal("queue never drained")
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("batches %v, want %v", got, tc.want)
			}
			if len(w.queue) != 0 {
				t.Errorf("%d chunks left in the queue", len(w.queue))
			}
		})
	}
}
