package testkit

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// Eventually calls cond every interval until it returns nil, and fails the test with
// what and cond's last error once within has passed.
func Eventually(t testing.TB, within, interval time.Duration, what string, cond func() error) {
	t.Helper()
	var err error
	if !Until(within, interval, func() bool { err = cond(); return err == nil }) {
		t.Fatalf("%s: not true within %s: %v", what, within, err)
	}
}

// Until calls cond every interval until it returns true or within has passed, and
// returns its last result. It is for a test that reports a condition that never held
// in its own words; Eventually fails the test.
func Until(within, interval time.Duration, cond func() bool) bool {
	deadline := time.After(within)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if cond() {
			return true
		}
		select {
		case <-deadline:
			return cond()
		case <-tick.C:
		}
	}
}

// Buffer collects a child process's output; it is safe for concurrent writes and
// reads.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
