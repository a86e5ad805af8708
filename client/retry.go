package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Defaults of the retry policy.
const (
	defaultMaxRetries  = 3
	defaultBackoffBase = 500 * time.Millisecond
	defaultBackoffMax  = 30 * time.Second
)

// retryable reports whether an error answer may succeed if sent again: 503, and
// 429 except a COST_LIMIT_EXCEEDED without Retry-After (a query refused for its
// own cost, which the same request would meet again).
func retryable(status int, code string, hasRetryAfter bool) bool {
	switch status {
	case http.StatusServiceUnavailable:
		return true
	case http.StatusTooManyRequests:
		return code != CodeCostLimitExceeded || hasRetryAfter
	}
	return false
}

// retryHint is how long the response asks the client to wait: Retry-After
// (seconds or an HTTP date), else, for a 429 other than COST_LIMIT_EXCEEDED,
// the time until X-RateLimit-Reset (a Unix time). ok is false when the
// response names no time; fromRetryAfter tells which header it came from.
func retryHint(h http.Header, status int, code string, now time.Time) (wait time.Duration, ok, fromRetryAfter bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
			return time.Duration(min(s, int64(365*24*time.Hour/time.Second))) * time.Second, true, true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0), true, true
		}
	}
	if status == http.StatusTooManyRequests && code != CodeCostLimitExceeded {
		if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
			if s, err := strconv.ParseInt(v, 10, 64); err == nil {
				return max(time.Unix(s, 0).Sub(now), 0), true, false
			}
		}
	}
	return 0, false, false
}

// backoff is the wait before retry number n (1 for the first retry) when the
// server named no time: base·2^(n-1), capped at max, less a random part of up
// to half of it (equal jitter), so that clients refused together do not come
// back together.
func backoff(n int, base, limit time.Duration, rnd func() float64) time.Duration {
	d := base
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d/2 + time.Duration(rnd()*float64(d/2))
}

// hintedWait is the wait before a retry when the server named one: at least
// the hint, plus up to base of jitter.
func hintedWait(hint, base time.Duration, rnd func() float64) time.Duration {
	return hint + time.Duration(rnd()*float64(base))
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func defaultRand() float64 { return rand.Float64() }
