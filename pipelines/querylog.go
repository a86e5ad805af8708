package pipelines

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/schemas"
)

// QueryHistory is the ClickHouse side of the query log. A History that also
// implements it (as *chstore.Store does) receives leadpoet.queries.v1; with any
// other History the query log is decoded and validated, and not stored.
type QueryHistory interface {
	InsertQueries(ctx context.Context, rows []chstore.QueryRow) error
}

// addQueryLog decodes a leadpoet.queries.v1 record into a row, or rejects it to
// the DLQ like any other bad record.
func (b *batch) addQueryLog(rec *kgo.Record, now time.Time) {
	q, err := schemas.DecodeQueryLog(rec.Value)
	if err != nil {
		ve, ok := errors.AsType[*schemas.ValidationError](err)
		if !ok {
			ve = &schemas.ValidationError{Code: schemas.CodeBadJSON, Message: err.Error()}
		}
		b.reject(rec, ve, now)
		return
	}
	b.queries = append(b.queries, chstore.QueryRow{
		QueryID: q.QueryID, RequestID: q.RequestID, KeyID: q.KeyID, Prompt: q.Prompt,
		Interpretation: jsonObject(q.Interpretation), Filters: jsonObject(q.Filters),
		Limit: clampUint32(int64(q.Limit)), Results: clampUint32(int64(q.Results)),
		Domains: q.Domains, LatencyMS: clampUint32(q.LatencyMS), CostUSD: q.CostUSD,
		Status: uint16(q.Status), ErrorCode: q.ErrorCode,
		CreatedAt: q.CreatedAt.UTC(), IngestedAt: now.UTC(),
	})
}

// writeQueries stores the batch's query log, when the History can.
func (p *Processor) writeQueries(ctx context.Context, b *batch) error {
	qh, ok := p.history.(QueryHistory)
	if !ok || len(b.queries) == 0 {
		return nil
	}
	return qh.InsertQueries(ctx, b.queries)
}

// jsonObject renders a raw JSON object compactly; null or absent is "".
func jsonObject(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return s
	}
	return buf.String()
}

func clampUint32(v int64) uint32 {
	return uint32(min(max(v, 0), math.MaxUint32))
}
