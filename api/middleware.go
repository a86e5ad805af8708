package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

// headerRequestID carries the request id, in both directions.
const headerRequestID = "X-Request-ID"

// maxRequestIDLen bounds an incoming X-Request-ID that is honoured.
const maxRequestIDLen = 128

// assignRequestID echoes a sane incoming X-Request-ID, or makes a new one, and sets
// it on the response before anything else runs, so every response carries it. The
// response header is also where the rest of the package reads it from.
func assignRequestID(c *gin.Context) {
	id := c.GetHeader(headerRequestID)
	if !saneRequestID(id) {
		id = newID("req_", 8)
	}
	c.Writer.Header().Set(headerRequestID, id)
	c.Next()
}

// requestID returns the id assignRequestID gave this request.
func requestID(c *gin.Context) string { return c.Writer.Header().Get(headerRequestID) }

// saneRequestID accepts 1–128 characters of [A-Za-z0-9._:-], enough for UUIDs,
// ULIDs and trace ids, and nothing that could break a log line or a header.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch b := id[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '-', b == '_', b == '.', b == ':':
		default:
			return false
		}
	}
	return true
}

// newID returns prefix followed by n random bytes in hex.
func newID(prefix string, n int) string {
	var b [16]byte
	_, _ = rand.Read(b[:n]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return prefix + hex.EncodeToString(b[:n])
}

// observe counts and times every request, matched or not, and writes the debug
// access log. It runs outside recoverPanic so that recovered panics are counted as
// the 500s the client saw.
func (s *Server) observe(c *gin.Context) {
	start := s.now()
	c.Next()
	elapsed := s.now().Sub(start)
	ep := endpoint(c)
	status := c.Writer.Status()
	s.metrics.observe(ep, c.Request.Method, status, elapsed)
	if s.log.Enabled(c.Request.Context(), slog.LevelDebug) {
		s.log.DebugContext(c.Request.Context(), "http request",
			"request_id", requestID(c),
			"method", c.Request.Method,
			"path", c.Request.URL.Path,
			"endpoint", ep,
			"status", status,
			"bytes", c.Writer.Size(),
			"duration", elapsed,
		)
	}
}

// recoverPanic turns a panic in a handler into a 500 INTERNAL_ERROR envelope. The
// panic value and stack go to the log with the request_id, never to the client.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p) // net/http's way to abort a response; let it do so
		}
		s.log.ErrorContext(c.Request.Context(), "panic serving request",
			"request_id", requestID(c),
			"endpoint", endpoint(c),
			"panic", fmt.Sprint(p),
			"stack", string(debug.Stack()),
		)
		if c.Writer.Written() {
			c.Abort() // too late for an envelope; the client sees a truncated response
			return
		}
		s.writeError(c, classify(fmt.Errorf("panic: %v", p)))
	}()
	c.Next()
}

// limitBody caps the request body at MaxBodyBytes. Reading past it fails with
// *http.MaxBytesError, which the handlers answer with 413.
func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)
	}
	c.Next()
}

func (s *Server) payloadTooLarge(c *gin.Context) {
	s.fail(c, &httpError{status: http.StatusRequestEntityTooLarge, code: codePayloadTooLarge,
		message: fmt.Sprintf("Request body exceeds %d bytes", s.cfg.MaxBodyBytes),
		details: map[string]any{"max_bytes": s.cfg.MaxBodyBytes}})
}

// endpoint is the metrics and log label of the request's route: the route
// template, or "unmatched" for 404s and 405s, so that label values stay bounded.
func endpoint(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "unmatched"
}

// methodLabel bounds the method label to the standard methods.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}
