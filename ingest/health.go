package ingest

import (
	"fmt"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// health tracks the partitions whose batch write is failing: the consumer is
// unhealthy while any partition's worker is retrying a failed write.
type health struct {
	mu      sync.Mutex
	failing map[topicPartition]error
	gauge   prometheus.Gauge
}

func newHealth(gauge prometheus.Gauge) *health {
	return &health{failing: map[topicPartition]error{}, gauge: gauge}
}

// set records the outcome of tp's last write; a nil err clears tp.
func (h *health) set(tp topicPartition, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		delete(h.failing, tp)
	} else {
		h.failing[tp] = err
	}
	if len(h.failing) == 0 {
		h.gauge.Set(1)
	} else {
		h.gauge.Set(0)
	}
}

// err returns the error of the first failing partition, or nil.
func (h *health) err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var (
		first topicPartition
		ferr  error
	)
	for tp, err := range h.failing {
		if ferr == nil || tp.less(first) {
			first, ferr = tp, err
		}
	}
	if ferr == nil {
		return nil
	}
	return fmt.Errorf("batch writes failing on %d partitions, %s: %w", len(h.failing), first, ferr)
}
