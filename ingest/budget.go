package ingest

import (
	"context"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// budget bounds the records held in memory across all partition workers, queued
// or in flight. Only the poll loop takes from it, and it polls at most what is
// available, so the bound is never exceeded; workers give records back once
// their batch is written or dropped.
type budget struct {
	max   int64
	held  atomic.Int64
	freed chan struct{} // signalled when records are given back
	gauge prometheus.Gauge
}

func newBudget(max int, gauge prometheus.Gauge) *budget {
	return &budget{max: int64(max), freed: make(chan struct{}, 1), gauge: gauge}
}

// available returns how many more records may be held.
func (b *budget) available() int { return int(b.max - b.held.Load()) }

// wait blocks until records may be taken, or ctx ends.
func (b *budget) wait(ctx context.Context) error {
	for b.available() <= 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-b.freed:
		}
	}
	return nil
}

// take and release move the gauge after and before held respectively, so that the
// gauge never shows more than held: the poll loop may take what a worker is giving
// back before the worker's gauge update, which would otherwise show the sum.
func (b *budget) take(n int) {
	b.held.Add(int64(n))
	b.gauge.Add(float64(n))
}

func (b *budget) release(n int) {
	if n == 0 {
		return
	}
	b.gauge.Sub(float64(n))
	b.held.Add(-int64(n))
	select {
	case b.freed <- struct{}{}:
	default:
	}
}
