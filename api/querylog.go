package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/schemas"
)

// queryLogKey is the gin context key of the *queryLogEntry of a POST /query.
const queryLogKey = "lp.querylog"

// errorCodeKey is the gin context key of the error code writeError answered with.
const errorCodeKey = "lp.errorcode"

// queryLogEntry is what the handlers of one POST /query learn for its log record.
type queryLogEntry struct {
	queryID        string
	prompt         string
	interpretation any // marshalled to JSON; nil before ranking
	filters        any // marshalled to JSON; nil before validation
	limit          int
	results        int
	domains        []string
	costUSD        float64
}

// queryIDOf returns the query id logQuery gave this request, or a new one when
// the request is not logged.
func queryIDOf(c *gin.Context) string {
	if e := queryLogOf(c); e != nil {
		return e.queryID
	}
	return newID("q_", 12)
}

func queryLogOf(c *gin.Context) *queryLogEntry {
	v, ok := c.Get(queryLogKey)
	if !ok {
		return nil
	}
	e, _ := v.(*queryLogEntry)
	return e
}

// logQuery writes one schemas.QueryLog record to leadpoet.queries.v1 for every
// authenticated POST /query, whatever the status the handlers answered with. It
// runs right after authentication. The record is produced asynchronously, after
// the response: a full producer buffer or a broker outage drops the record, logs
// it and counts it in leadpoet_api_querylog_errors_total; it never delays or
// fails the request.
func (s *Server) logQuery(c *gin.Context) {
	start := s.now()
	entry := &queryLogEntry{queryID: newID("q_", 12)}
	c.Set(queryLogKey, entry)
	c.Next()
	if s.queryLog == nil {
		return
	}
	info, _ := keyInfo(c)
	code, _ := c.Get(errorCodeKey)
	codeStr, _ := code.(string)
	rec := schemas.QueryLog{
		QueryID:        entry.queryID,
		RequestID:      requestID(c),
		KeyID:          info.ID,
		Prompt:         entry.prompt,
		Interpretation: rawJSON(entry.interpretation),
		Filters:        rawJSON(entry.filters),
		Limit:          entry.limit,
		Results:        entry.results,
		Domains:        entry.domains,
		LatencyMS:      s.now().Sub(start).Milliseconds(),
		CostUSD:        entry.costUSD,
		Status:         c.Writer.Status(),
		ErrorCode:      codeStr,
		CreatedAt:      start.UTC().Truncate(time.Second),
	}
	if rec.Domains == nil {
		rec.Domains = []string{}
	}
	value, err := json.Marshal(rec)
	if err != nil { // every field marshals; a failure is a bug worth counting
		s.queryLogFailed(rec.QueryID, err)
		return
	}
	ctx := context.WithoutCancel(c.Request.Context())
	s.queryLog.TryProduce(ctx, &kgo.Record{Topic: schemas.TopicQueries, Key: []byte(rec.KeyID), Value: value},
		func(_ *kgo.Record, err error) {
			if err != nil {
				s.queryLogFailed(rec.QueryID, err)
			}
		})
}

func (s *Server) queryLogFailed(queryID string, err error) {
	s.metrics.queryLogErrors.Inc()
	s.log.Warn("query log record dropped", "query_id", queryID, "err", err)
}

// rawJSON marshals v, or returns null for nil.
func rawJSON(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// topDomains returns the domains of the first MaxQueryLogDomains leads.
func topDomains(leads []leadJSON) []string {
	n := min(len(leads), schemas.MaxQueryLogDomains)
	out := make([]string, n)
	for i := range n {
		out[i] = leads[i].Domain
	}
	return out
}
