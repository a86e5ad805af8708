package schemas

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// QueryLog is one answered POST /query, on leadpoet.queries.v1, written by the
// API after the response and read by ingest into the ClickHouse queries table.
// The record key is KeyID. Interpretation and Filters are JSON objects (null when
// the request never got that far); Status is the HTTP status the client got and
// ErrorCode the envelope's code ("" on success).
type QueryLog struct {
	QueryID        string          `json:"query_id"`
	RequestID      string          `json:"request_id"`
	KeyID          string          `json:"key_id"`
	Prompt         string          `json:"prompt"`
	Interpretation json.RawMessage `json:"interpretation"`
	Filters        json.RawMessage `json:"filters"`
	Limit          int             `json:"limit"`
	Results        int             `json:"results"`
	Domains        []string        `json:"domains"`
	LatencyMS      int64           `json:"latency_ms"`
	CostUSD        float64         `json:"cost_usd"`
	Status         int             `json:"status"`
	ErrorCode      string          `json:"error_code"`
	CreatedAt      time.Time       `json:"created_at"`
}

// MaxQueryLogDomains bounds QueryLog.Domains: the top lead domains of the answer.
const MaxQueryLogDomains = 25

// DecodeQueryLog decodes and validates a leadpoet.queries.v1 record. Every error is
// a *ValidationError.
func DecodeQueryLog(value []byte) (*QueryLog, error) {
	if len(value) > MaxRecordBytes {
		return nil, invalid(CodeOversized, "", "record is %d bytes, the limit is %d", len(value), MaxRecordBytes)
	}
	if !utf8.Valid(value) {
		return nil, invalid(CodeBadJSON, "", "record is not valid UTF-8")
	}
	var q QueryLog
	if err := json.Unmarshal(value, &q); err != nil {
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return nil, invalid(CodeWrongType, te.Field, "want %s, got %s", te.Type, te.Value)
		}
		if _, ok := errors.AsType[*time.ParseError](err); ok {
			return nil, invalid(CodeBadTimestamp, "created_at", "want an RFC 3339 time")
		}
		if strings.TrimSpace(string(value)) != "" && json.Valid(value) {
			return nil, invalid(CodeWrongType, "", "record must be a JSON object")
		}
		return nil, invalid(CodeBadJSON, "", "record is not valid JSON")
	}
	switch {
	case q.QueryID == "":
		return nil, invalid(CodeMissingField, "query_id", "required")
	case q.KeyID == "":
		return nil, invalid(CodeMissingField, "key_id", "required")
	case q.CreatedAt.IsZero():
		return nil, invalid(CodeMissingField, "created_at", "required")
	case q.CreatedAt.Before(minOccurredAt) || q.CreatedAt.Unix() > 1<<32-1:
		return nil, invalid(CodeBadTimestamp, "created_at", "outside 1970-01-01 to 2106-02-07")
	case q.Status < 100 || q.Status > 999:
		return nil, invalid(CodeBadValue, "status", "want an HTTP status code, got %d", q.Status)
	case q.Limit < 0 || q.Results < 0 || q.LatencyMS < 0 || q.CostUSD < 0:
		return nil, invalid(CodeBadValue, "", "limit, results, latency_ms and cost_usd must not be negative")
	case len(q.Domains) > MaxQueryLogDomains:
		return nil, invalid(CodeBadValue, "domains", "at most %d domains, got %d", MaxQueryLogDomains, len(q.Domains))
	}
	for _, raw := range []struct {
		field string
		v     json.RawMessage
	}{{"interpretation", q.Interpretation}, {"filters", q.Filters}} {
		if s := strings.TrimSpace(string(raw.v)); s != "" && s != "null" && s[0] != '{' {
			return nil, invalid(CodeWrongType, raw.field, "want an object or null")
		}
	}
	return &q, nil
}
