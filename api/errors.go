package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// ErrUnavailable marks an error as a temporary outage of something the API depends
// on. A Ranker or KeyChecker error that wraps it (errors.Is) is answered with 503
// SERVICE_UNAVAILABLE instead of 500 INTERNAL_ERROR, telling clients to retry. The
// Redis adapter wraps its connection and timeout errors with it, e.g.
// fmt.Errorf("read candidates: %w: %w", api.ErrUnavailable, err).
var ErrUnavailable = errors.New("dependency unavailable")

// Error codes of the envelope. The first block is API-SPEC.md's table; the second
// are compatible extensions for statuses the spec does not name.
const (
	codeInvalidQuery       = "INVALID_QUERY"
	codeRateLimited        = "RATE_LIMIT_EXCEEDED"
	codeCostLimited        = "COST_LIMIT_EXCEEDED"
	codeUnauthorized       = "UNAUTHORIZED"
	codeForbidden          = "FORBIDDEN"
	codeThrottled          = "QUERY_THROTTLED"
	codeServiceUnavailable = "SERVICE_UNAVAILABLE"
	codeInternal           = "INTERNAL_ERROR"

	codeNotFound         = "NOT_FOUND"
	codeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	codePayloadTooLarge  = "PAYLOAD_TOO_LARGE"
)

// httpError is an error a client may see: its status, code, message and details
// go into the envelope verbatim. Everything else is reported as a generic 500/503
// by classify, and its text only reaches the log.
type httpError struct {
	status     int
	code       string
	message    string
	details    map[string]any
	retryAfter int64 // seconds; > 0 sets the Retry-After header
}

func (e *httpError) Error() string { return e.code + ": " + e.message }

func invalidQuery(details map[string]any, format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, code: codeInvalidQuery, message: fmt.Sprintf(format, args...), details: details}
}

// classify maps any error to what the client is told. It is the one place where
// error kinds become statuses and codes.
func classify(err error) *httpError {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he
	case errors.Is(err, ErrUnavailable):
		return &httpError{status: http.StatusServiceUnavailable, code: codeServiceUnavailable,
			message: "The service is temporarily unavailable; retry later"}
	case errors.Is(err, context.DeadlineExceeded):
		return &httpError{status: http.StatusServiceUnavailable, code: codeServiceUnavailable,
			message: "The request did not complete in time; retry later"}
	default:
		return &httpError{status: http.StatusInternalServerError, code: codeInternal,
			message: "Internal server error; quote the request_id when reporting it"}
	}
}

// errorEnvelope is API-SPEC.md's "Standard Error Format".
type errorEnvelope struct {
	Error     errorBody `json:"error"`
	Timestamp string    `json:"timestamp"`
	RequestID string    `json:"request_id"`
}

type errorBody struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// fail answers the request with the envelope for err and stops the handler chain.
// Server-side failures are logged with the request_id and the internal error.
func (s *Server) fail(c *gin.Context, err error) {
	he := classify(err)
	id := requestID(c)
	switch {
	case he.status >= 500 && he.status != http.StatusServiceUnavailable:
		s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", id, "endpoint", endpoint(c), "err", err)
	case he.status == http.StatusServiceUnavailable:
		s.log.WarnContext(c.Request.Context(), "request failed", "request_id", id, "endpoint", endpoint(c), "err", err)
	}
	if he.status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="leadpoet"`)
	}
	s.writeError(c, he)
}

func (s *Server) writeError(c *gin.Context, he *httpError) {
	details := he.details
	if details == nil {
		details = map[string]any{}
	}
	if he.retryAfter > 0 {
		c.Header(headerRetryAfter, strconv.FormatInt(he.retryAfter, 10))
	}
	c.Set(errorCodeKey, he.code)
	if he.status == http.StatusTooManyRequests {
		s.metrics.limited.WithLabelValues(he.code).Inc()
	}
	c.AbortWithStatusJSON(he.status, errorEnvelope{
		Error:     errorBody{Code: he.code, Message: he.message, Details: details},
		Timestamp: s.now().UTC().Format(timeFormat),
		RequestID: requestID(c),
	})
}

func (s *Server) notFound(c *gin.Context) {
	s.writeError(c, &httpError{status: http.StatusNotFound, code: codeNotFound,
		message: "No such endpoint", details: map[string]any{"path": c.Request.URL.Path}})
}

func (s *Server) methodNotAllowed(c *gin.Context) {
	allowed := strings.Split(c.Writer.Header().Get("Allow"), ", ") // set by gin
	s.writeError(c, &httpError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
		message: "Method not allowed on this endpoint",
		details: map[string]any{"path": c.Request.URL.Path, "allowed": allowed}})
}
