package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-redis/redis_rate/v10"
)

// Rate-limit response headers. The first three are API-SPEC.md's and describe the
// binding window, the one with fewer requests left; the -Day ones, a compatible
// extension, always describe the daily quota.
const (
	headerRateLimit        = "X-RateLimit-Limit"
	headerRateRemaining    = "X-RateLimit-Remaining"
	headerRateReset        = "X-RateLimit-Reset"
	headerRateLimitDay     = "X-RateLimit-Limit-Day"
	headerRateRemainingDay = "X-RateLimit-Remaining-Day"
	headerRateResetDay     = "X-RateLimit-Reset-Day"
	headerRetryAfter       = "Retry-After"
)

// Rate windows.
const (
	windowMinute = "minute"
	windowDay    = "day"
)

// rateKey is the gin context key of the request's rateDecision.
const rateKey = "api.rate"

// minuteLimitKey and dayLimitKey name a key's limiter state; redis_rate prefixes
// them with "rate:". The key id is a hash tag, so all of a key's state shares one
// Redis Cluster slot.
func minuteLimitKey(id string) string { return "lp:rl:{" + id + "}:m" }
func dayLimitKey(id string) string    { return "lp:rl:{" + id + "}:d" }

func (p Plan) minuteLimit() redis_rate.Limit {
	return redis_rate.Limit{Rate: p.RequestsPerMinute, Period: time.Minute, Burst: p.Burst}
}

func (p Plan) dayLimit() redis_rate.Limit {
	return redis_rate.Limit{Rate: p.RequestsPerDay, Period: 24 * time.Hour, Burst: p.RequestsPerDay}
}

// rateWindow is the state of one limiter after a decision.
type rateWindow struct {
	name       string        // windowMinute or windowDay; "" when not consulted
	limit      int           // capacity: the most requests admitted at once
	remaining  int           // requests that would be admitted at once now
	resetAfter time.Duration // until remaining is back to limit
	retryAfter time.Duration // until the next request is admitted; 0 if one would be now
}

func newWindow(name string, l redis_rate.Limit, r *redis_rate.Result) rateWindow {
	return rateWindow{
		name:       name,
		limit:      l.Burst,
		remaining:  max(r.Remaining, 0),
		resetAfter: max(r.ResetAfter, 0),
		retryAfter: max(r.RetryAfter, 0),
	}
}

// rateDecision is what the limiters said about one request.
type rateDecision struct {
	allowed bool
	denied  rateWindow // the window that refused the request, when !allowed
	minute  rateWindow
	day     rateWindow
}

// binding is the window the headers describe: the one that refused the request,
// else the one with fewer requests left (the minute on a tie).
func (d rateDecision) binding() rateWindow {
	switch {
	case !d.allowed:
		return d.denied
	case d.minute.name == "" || d.day.remaining < d.minute.remaining:
		return d.day
	}
	return d.minute
}

// admitRate decides whether a request of key id may proceed, and consumes one
// request of each window if so. A refused request consumes nothing:
//
//  1. the daily quota is read without consuming (AllowN with n = 0); if it is
//     exhausted the request is refused;
//  2. the per-minute limiter is asked for one request; if it refuses, nothing
//     was consumed (GCRA changes no state on a refusal);
//  3. the daily limiter is asked for one request. It refuses only if concurrent
//     requests used the last of the quota since step 1; then the per-minute
//     request of step 2 stays consumed, the one case where a refused request
//     costs anything.
func (s *Server) admitRate(ctx context.Context, id string, p Plan) (rateDecision, error) {
	ml, dl := p.minuteLimit(), p.dayLimit()
	peek, err := s.limiter.AllowN(ctx, dayLimitKey(id), dl, 0)
	if err != nil {
		return rateDecision{}, fmt.Errorf("read daily quota: %w: %w", ErrUnavailable, err)
	}
	d := rateDecision{day: newWindow(windowDay, dl, peek)}
	if peek.Remaining < 1 {
		d.day.retryAfter = peekRetryAfter(dl, peek)
		d.denied = d.day
		return d, nil
	}
	m, err := s.limiter.AllowN(ctx, minuteLimitKey(id), ml, 1)
	if err != nil {
		return rateDecision{}, fmt.Errorf("apply per-minute limit: %w: %w", ErrUnavailable, err)
	}
	d.minute = newWindow(windowMinute, ml, m)
	if m.Allowed < 1 {
		d.denied = d.minute
		return d, nil
	}
	day, err := s.limiter.AllowN(ctx, dayLimitKey(id), dl, 1)
	if err != nil {
		return rateDecision{}, fmt.Errorf("apply daily quota: %w: %w", ErrUnavailable, err)
	}
	d.day = newWindow(windowDay, dl, day)
	if day.Allowed < 1 {
		d.denied = d.day
		return d, nil
	}
	d.allowed = true
	return d, nil
}

// peekRate reads both windows without consuming anything.
func (s *Server) peekRate(ctx context.Context, id string, p Plan) (rateDecision, error) {
	ml, dl := p.minuteLimit(), p.dayLimit()
	m, err := s.limiter.AllowN(ctx, minuteLimitKey(id), ml, 0)
	if err != nil {
		return rateDecision{}, fmt.Errorf("read per-minute limit: %w: %w", ErrUnavailable, err)
	}
	day, err := s.limiter.AllowN(ctx, dayLimitKey(id), dl, 0)
	if err != nil {
		return rateDecision{}, fmt.Errorf("read daily quota: %w: %w", ErrUnavailable, err)
	}
	return rateDecision{allowed: true, minute: newWindow(windowMinute, ml, m), day: newWindow(windowDay, dl, day)}, nil
}

// peekRetryAfter is how long until a limiter read with n = 0 admits one request:
// its reset time less the capacity minus one emission intervals.
func peekRetryAfter(l redis_rate.Limit, r *redis_rate.Result) time.Duration {
	interval := l.Period / time.Duration(l.Rate)
	return max(r.ResetAfter-time.Duration(l.Burst-1)*interval, 0)
}

// rateLimit is the middleware of every authenticated route: it applies the key's
// plan, sets the rate-limit headers and answers 429 RATE_LIMIT_EXCEEDED when a
// window is exhausted. Requests it admits count against the quota whatever
// their outcome.
func (s *Server) rateLimit(c *gin.Context) {
	info, _ := keyInfo(c)
	plan := keyPlan(c)
	d, err := s.admitRate(c.Request.Context(), info.ID, plan)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setRateHeaders(c, d)
	c.Set(rateKey, d)
	if d.allowed {
		c.Next()
		return
	}
	w := d.denied
	retry := ceilSeconds(w.retryAfter)
	details := map[string]any{
		"limit":               w.limit,
		"remaining":           w.remaining,
		"window":              w.name,
		"retry_after_seconds": retry,
		"reset":               s.resetUnix(w.resetAfter),
	}
	msg := fmt.Sprintf("Daily quota of %d requests exhausted; retry in %d s", plan.RequestsPerDay, retry)
	if w.name == windowMinute {
		details["requests_per_minute"] = plan.RequestsPerMinute
		details["burst"] = plan.Burst
		msg = fmt.Sprintf("Rate limit of %d requests/minute (burst %d) exceeded; retry in %d s", plan.RequestsPerMinute, plan.Burst, retry)
	}
	s.fail(c, &httpError{status: http.StatusTooManyRequests, code: codeRateLimited, message: msg, details: details, retryAfter: retry})
}

// requestRate returns the decision rateLimit stored.
func requestRate(c *gin.Context) (rateDecision, bool) {
	v, ok := c.Get(rateKey)
	if !ok {
		return rateDecision{}, false
	}
	d, ok := v.(rateDecision)
	return d, ok
}

func (s *Server) setRateHeaders(c *gin.Context, d rateDecision) {
	h := c.Writer.Header()
	b := d.binding()
	h.Set(headerRateLimit, strconv.Itoa(b.limit))
	h.Set(headerRateRemaining, strconv.Itoa(b.remaining))
	h.Set(headerRateReset, strconv.FormatInt(s.resetUnix(b.resetAfter), 10))
	h.Set(headerRateLimitDay, strconv.Itoa(d.day.limit))
	h.Set(headerRateRemainingDay, strconv.Itoa(d.day.remaining))
	h.Set(headerRateResetDay, strconv.FormatInt(s.resetUnix(d.day.resetAfter), 10))
}

// resetUnix is the Unix time, rounded up to the second, after which is past.
func (s *Server) resetUnix(after time.Duration) int64 {
	t := s.now().Add(after)
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}

// ceilSeconds rounds d up to whole seconds, at least 1: the Retry-After value.
func ceilSeconds(d time.Duration) int64 {
	return max(int64(math.Ceil(d.Seconds())), 1)
}
