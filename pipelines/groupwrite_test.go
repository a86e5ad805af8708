package pipelines

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

// Batches handed in while a write is in flight are written together by the next
// write, and every caller returns only after its own batch was written.
func TestGroupWriterMergesWaitingBatches(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var writes []int // rows per write
	g := newGroupWriter(func(_ context.Context, b *batch) error {
		if len(b.signals) == 1 && b.signals[0].EventID == "first" {
			<-release // hold the first write until the others queued
		}
		mu.Lock()
		writes = append(writes, len(b.signals))
		mu.Unlock()
		return nil
	})
	var wg sync.WaitGroup
	done := make(chan string, 5)
	do := func(id string) {
		defer wg.Done()
		if err := g.do(context.Background(), &batch{signals: []chstore.SignalRow{{EventID: id}}}); err != nil {
			t.Errorf("write %s: %v", id, err)
		}
		done <- id
	}
	wg.Add(1)
	go do("first")
	waitBusy(t, g)
	for _, id := range []string{"a", "b", "c", "d"} {
		wg.Add(1)
		go do(id)
	}
	testkit.Eventually(t, 5*time.Second, time.Millisecond, "four batches queued", func() error {
		g.mu.Lock()
		defer g.mu.Unlock()
		if len(g.queue) != 4 {
			return errors.New("not yet")
		}
		return nil
	})
	if len(done) != 0 {
		t.Fatalf("a caller returned before its batch was written")
	}
	close(release)
	wg.Wait()
	if len(writes) != 2 || writes[0] != 1 || writes[1] != 4 {
		t.Errorf("writes of %v rows, want [1 4]", writes)
	}
}

// With a bound on the records of a round, the queue is written in order, in rounds
// within the bound (a batch above it alone), and every caller returns once its own
// batch was written, whichever caller wrote it.
func TestGroupWriterBoundsRounds(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var rounds [][]string
	g := newGroupWriter(func(_ context.Context, b *batch) error {
		if b.signals[0].EventID == "first" {
			<-release
		}
		var ids []string
		for _, r := range b.signals {
			ids = append(ids, r.EventID)
		}
		mu.Lock()
		rounds = append(rounds, ids)
		mu.Unlock()
		return nil
	})
	g.maxRecords = 3
	do := func(id string, records int) error {
		return g.do(context.Background(), &batch{records: records, signals: []chstore.SignalRow{{EventID: id}}})
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := do("first", 1); err != nil {
			t.Error(err)
		}
	})
	waitBusy(t, g)
	queued := []struct {
		id      string
		records int
	}{{"a", 1}, {"b", 2}, {"c", 2}, {"d", 5}, {"e", 1}, {"f", 1}}
	for i, q := range queued {
		wg.Go(func() {
			if err := do(q.id, q.records); err != nil {
				t.Error(err)
			}
		})
		testkit.Eventually(t, 5*time.Second, time.Millisecond, "batch queued", func() error {
			g.mu.Lock()
			defer g.mu.Unlock()
			if len(g.queue) != i+1 {
				return errors.New("not yet")
			}
			return nil
		})
	}
	close(release)
	wg.Wait()
	want := [][]string{{"first"}, {"a", "b"}, {"c"}, {"d"}, {"e", "f"}}
	if fmt.Sprint(rounds) != fmt.Sprint(want) {
		t.Errorf("rounds %v, want %v", rounds, want)
	}
}

// When a merged write fails, each batch is written alone: only the bad one fails.
func TestGroupWriterIsolatesFailingBatch(t *testing.T) {
	bad := errors.New("rejected")
	g := newGroupWriter(func(_ context.Context, b *batch) error {
		for _, r := range b.signals {
			if r.EventID == "bad" {
				return bad
			}
		}
		return nil
	})
	g.busy = true // queue up three batches, then write them as one round
	reqs := []*groupWrite{}
	for _, id := range []string{"ok1", "bad", "ok2"} {
		reqs = append(reqs, &groupWrite{ctx: context.Background(), b: &batch{signals: []chstore.SignalRow{{EventID: id}}}, done: make(chan error, 1)})
	}
	g.run(reqs)
	for i, want := range []error{nil, bad, nil} {
		if err := <-reqs[i].done; !errors.Is(err, want) {
			t.Errorf("batch %d: err %v, want %v", i, err, want)
		}
	}
}

// A merged write goes on while any caller of its round is there, and ends when all
// have left.
func TestGroupWriterRoundOutlivesOneCaller(t *testing.T) {
	var seen []error // ctx.Err() of each write
	g := newGroupWriter(func(ctx context.Context, b *batch) error {
		seen = append(seen, ctx.Err())
		return ctx.Err()
	})
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	round := func(ctxs ...context.Context) []*groupWrite {
		var out []*groupWrite
		for _, ctx := range ctxs {
			out = append(out, &groupWrite{ctx: ctx, b: &batch{}, done: make(chan error, 1)})
		}
		return out
	}
	live := round(gone, context.Background())
	g.run(live)
	if err := <-live[1].done; err != nil || seen[0] != nil {
		t.Errorf("a round with one caller left: merged write saw %v, the live caller got %v", seen[0], err)
	}
	seen = nil
	dead := round(gone, gone)
	g.run(dead)
	if err := <-dead[0].done; !errors.Is(err, context.Canceled) || !errors.Is(seen[0], context.Canceled) {
		t.Errorf("a round whose callers all left: merged write saw %v, caller got %v", seen[0], err)
	}
}

// A caller waiting for the next write returns when its ctx ends, and its batch is
// then not written.
func TestGroupWriterWaiterLeavesOnCancel(t *testing.T) {
	release := make(chan struct{})
	var written []string
	g := newGroupWriter(func(_ context.Context, b *batch) error {
		if b.signals[0].EventID == "first" {
			<-release
		}
		for _, r := range b.signals {
			written = append(written, r.EventID)
		}
		return nil
	})
	first := make(chan error, 1)
	go func() { first <- g.do(context.Background(), &batch{signals: []chstore.SignalRow{{EventID: "first"}}}) }()
	waitBusy(t, g)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.do(ctx, &batch{signals: []chstore.SignalRow{{EventID: "cancelled"}}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: err %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if len(written) != 1 || written[0] != "first" {
		t.Errorf("written %v, want only [first]", written)
	}
}

// waitBusy waits until g has a write in flight.
func waitBusy(t *testing.T, g *groupWriter) {
	t.Helper()
	testkit.Eventually(t, 5*time.Second, time.Millisecond, "first write in flight", func() error {
		g.mu.Lock()
		defer g.mu.Unlock()
		if !g.busy {
			return errors.New("not yet")
		}
		return nil
	})
}
