package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Reason codes of a rejected record. They are stable: dashboards, alerts and the DLQ
// tooling key on them.
const (
	CodeBadJSON         = "bad_json"
	CodeMissingField    = "missing_field"
	CodeWrongType       = "wrong_type"
	CodeBadEnum         = "bad_enum"
	CodeBadDomain       = "bad_domain"
	CodeBadTimestamp    = "bad_timestamp"
	CodeFutureTimestamp = "future_timestamp"
	CodeBadValue        = "bad_value"
	CodeOversized       = "oversized"
	CodeUnknownTopic    = "unknown_topic"
)

// MaxRecordBytes is the largest record value ingest accepts.
const MaxRecordBytes = 256 << 10

// MaxFutureSkew is how far in the future occurred_at may lie.
const MaxFutureSkew = 5 * time.Minute

// minOccurredAt is the earliest occurred_at accepted: the start of ClickHouse's DateTime.
var minOccurredAt = time.Unix(0, 0).UTC()

// ValidationError says why a record was rejected.
type ValidationError struct {
	Code    string // one of the Code* constants
	Field   string // the JSON field at fault, if any
	Message string
}

func (e *ValidationError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func invalid(code, field, format string, args ...any) *ValidationError {
	return &ValidationError{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Event is a decoded, validated and normalised v1 event.
type Event interface {
	Base() *Common
}

// Base returns the common fields.
func (c *Common) Base() *Common { return c }

// Decode parses and validates one record value of the given topic. It normalises the
// domain. now is the ingest clock, used for the future-timestamp rule. The error, when
// not nil, is a *ValidationError.
func Decode(topic string, value []byte, now time.Time) (Event, error) {
	if len(value) > MaxRecordBytes {
		return nil, invalid(CodeOversized, "", "record is %d bytes, the limit is %d", len(value), MaxRecordBytes)
	}
	if !utf8.Valid(value) {
		return nil, invalid(CodeBadJSON, "", "record is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(value)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return nil, invalid(CodeBadJSON, "", "record is not valid JSON")
		}
		return nil, invalid(CodeWrongType, "", "record must be a JSON object")
	}
	var ev Event
	switch topic {
	case TopicCompanies:
		ev = new(Company)
	case TopicJobs:
		ev = new(Job)
	default:
		return nil, invalid(CodeUnknownTopic, "", "topic %q is not part of wire contract v1", topic)
	}
	if err := unmarshal(trimmed, ev); err != nil {
		return nil, err
	}
	if err := validateCommon(ev.Base(), now); err != nil {
		return nil, err
	}
	switch e := ev.(type) {
	case *Company:
		return e, validateCompany(e)
	case *Job:
		return e, validateJob(e)
	}
	return ev, nil
}

func unmarshal(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var timeErr *time.ParseError
	switch {
	case errors.As(err, &typeErr):
		return invalid(CodeWrongType, typeErr.Field, "expected %s, got JSON %s", typeName(typeErr.Type.String()), typeErr.Value)
	case errors.As(err, &timeErr):
		return invalid(CodeBadTimestamp, "occurred_at", "not an RFC 3339 timestamp: %q", timeErr.Value)
	case errors.As(err, &syntaxErr):
		return invalid(CodeBadJSON, "", "record is not valid JSON at byte %d: %v", syntaxErr.Offset, err)
	default:
		if strings.Contains(err.Error(), "Time.UnmarshalJSON") || strings.Contains(err.Error(), "parsing time") {
			return invalid(CodeBadTimestamp, "occurred_at", "not an RFC 3339 timestamp")
		}
		return invalid(CodeBadJSON, "", "record is not valid JSON: %v", err)
	}
}

func typeName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "array"
	case goType == "string":
		return "string"
	case goType == "bool":
		return "boolean"
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "number"
	case goType == "time.Time":
		return "RFC 3339 string"
	default:
		return "object"
	}
}

func validateCommon(c *Common, now time.Time) error {
	if c.EventID == "" {
		return invalid(CodeMissingField, "event_id", "event_id is required")
	}
	if n := utf8.RuneCountInString(c.EventID); n > 128 {
		return invalid(CodeBadValue, "event_id", "event_id is %d characters, at most 128 are allowed", n)
	}
	if c.OccurredAt.IsZero() {
		return invalid(CodeMissingField, "occurred_at", "occurred_at is required")
	}
	if c.OccurredAt.Before(minOccurredAt) {
		return invalid(CodeBadTimestamp, "occurred_at", "occurred_at %s is before %s", c.OccurredAt.Format(time.RFC3339), minOccurredAt.Format(time.RFC3339))
	}
	if c.OccurredAt.After(now.Add(MaxFutureSkew)) {
		return invalid(CodeFutureTimestamp, "occurred_at", "occurred_at %s is more than %s in the future", c.OccurredAt.Format(time.RFC3339), MaxFutureSkew)
	}
	c.OccurredAt = c.OccurredAt.UTC()
	if c.Domain == "" {
		return invalid(CodeMissingField, "domain", "domain is required")
	}
	d, err := NormalizeDomain(c.Domain)
	if err != nil {
		return invalid(CodeBadDomain, "domain", "%v", err)
	}
	c.Domain = d
	return nil
}

func validateCompany(c *Company) error {
	c.CompanyName = strings.TrimSpace(c.CompanyName)
	if c.CompanyName == "" {
		return invalid(CodeMissingField, "company_name", "company_name is required")
	}
	if c.Employees != nil && *c.Employees < 0 {
		return invalid(CodeBadValue, "employees", "employees must be >= 0, got %d", *c.Employees)
	}
	return nil
}

func validateJob(j *Job) error {
	j.Title = strings.TrimSpace(j.Title)
	if j.Title == "" {
		return invalid(CodeMissingField, "title", "title is required")
	}
	return nil
}
