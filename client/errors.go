package client

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error codes of the spec's error envelope.
const (
	CodeInvalidQuery       = "INVALID_QUERY"       // 400
	CodeRateLimitExceeded  = "RATE_LIMIT_EXCEEDED" // 429
	CodeCostLimitExceeded  = "COST_LIMIT_EXCEEDED" // 429
	CodeUnauthorized       = "UNAUTHORIZED"        // 401
	CodeForbidden          = "FORBIDDEN"           // 403
	CodeQueryThrottled     = "QUERY_THROTTLED"     // 429
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE" // 503
	CodeInternal           = "INTERNAL_ERROR"      // 500
)

// Sentinels, one per error code: errors.Is(err, ErrRateLimitExceeded) holds when
// err is, or wraps, an *APIError with that code.
var (
	ErrInvalidQuery       = errors.New("leadpoet: invalid query")
	ErrRateLimitExceeded  = errors.New("leadpoet: rate limit exceeded")
	ErrCostLimitExceeded  = errors.New("leadpoet: cost limit exceeded")
	ErrUnauthorized       = errors.New("leadpoet: unauthorized")
	ErrForbidden          = errors.New("leadpoet: forbidden")
	ErrQueryThrottled     = errors.New("leadpoet: query throttled")
	ErrServiceUnavailable = errors.New("leadpoet: service unavailable")
	ErrInternal           = errors.New("leadpoet: internal error")
)

func sentinel(code string) error {
	switch code {
	case CodeInvalidQuery:
		return ErrInvalidQuery
	case CodeRateLimitExceeded:
		return ErrRateLimitExceeded
	case CodeCostLimitExceeded:
		return ErrCostLimitExceeded
	case CodeUnauthorized:
		return ErrUnauthorized
	case CodeForbidden:
		return ErrForbidden
	case CodeQueryThrottled:
		return ErrQueryThrottled
	case CodeServiceUnavailable:
		return ErrServiceUnavailable
	case CodeInternal:
		return ErrInternal
	}
	return nil
}

// codeForStatus is the code of an error response whose body is not the error
// envelope (a proxy's page, for instance): the spec's code for the status, or
// "" for statuses the spec does not name.
func codeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return CodeInvalidQuery
	case http.StatusUnauthorized:
		return CodeUnauthorized
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusTooManyRequests:
		return CodeRateLimitExceeded
	case http.StatusInternalServerError:
		return CodeInternal
	case http.StatusServiceUnavailable:
		return CodeServiceUnavailable
	}
	return ""
}

// APIError is an error answer of the API: the spec's error envelope plus what
// the response headers said. Match it with errors.Is against the sentinels
// (ErrInvalidQuery, …) or take it apart with errors.As.
type APIError struct {
	Status    int            // HTTP status
	Code      string         // the envelope's code, e.g. "INVALID_QUERY"; servers may send codes beyond the spec's
	Message   string         // human-readable
	Details   map[string]any // e.g. {"field": "query", "min_length": 10}; never nil
	RequestID string         // quote it when reporting a problem
	// RetryAfter is how long the server asked to wait before retrying: the
	// Retry-After header, else, for a rate-limited request, the time until
	// X-RateLimit-Reset. 0 when the response gave neither.
	RetryAfter time.Duration
	// Timestamp is when the server answered; zero if it did not say.
	Timestamp time.Time
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("leadpoet: %d %s: %s", e.Status, e.Code, e.Message)
	if e.Code == "" {
		s = fmt.Sprintf("leadpoet: %d: %s", e.Status, e.Message)
	}
	if e.RequestID != "" {
		s += " (request_id " + e.RequestID + ")"
	}
	return s
}

// Is reports whether target is the sentinel of e's code.
func (e *APIError) Is(target error) bool {
	s := sentinel(e.Code)
	return s != nil && s == target
}
