package chstore

import (
	"context"
	"fmt"
	"math"
	"time"
)

// QueryRow is one answered POST /query, a row of the queries table.
type QueryRow struct {
	QueryID        string
	RequestID      string
	KeyID          string
	Prompt         string
	Interpretation string // JSON object, "" when unknown
	Filters        string // JSON object, "" when unknown
	Limit          uint32
	Results        uint32
	Domains        []string
	LatencyMS      uint32
	CostUSD        float64
	Status         uint16
	ErrorCode      string
	CreatedAt      time.Time
	IngestedAt     time.Time // zero means the time of the insert
}

const insertQueries = "INSERT INTO queries (query_id, request_id, key_id, prompt, interpretation, filters, " +
	"`limit`, results, domains, latency_ms, cost_usd, status, error_code, created_at, ingested_at)"

// InsertQueries writes rows in one INSERT. An empty slice writes nothing.
func (s *Store) InsertQueries(ctx context.Context, rows []QueryRow) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.now()
	n := len(rows)
	var (
		queryID, requestID, keyID = make([]string, n), make([]string, n), make([]string, n)
		prompt, interp, filters   = make([]string, n), make([]string, n), make([]string, n)
		limit, results, latency   = make([]uint32, n), make([]uint32, n), make([]uint32, n)
		domains                   = make([][]string, n)
		cost                      = make([]float64, n)
		status                    = make([]uint16, n)
		errorCode                 = make([]string, n)
		createdAt, ingestedAt     = make([]time.Time, n), make([]time.Time, n)
	)
	for i := range rows {
		r := &rows[i]
		if err := checkTime("created_at", r.CreatedAt); err != nil {
			return fmt.Errorf("insert queries: query %q: %w", r.QueryID, err)
		}
		ingestedAt[i] = r.IngestedAt
		if ingestedAt[i].IsZero() {
			ingestedAt[i] = now
		}
		queryID[i], requestID[i], keyID[i] = r.QueryID, r.RequestID, r.KeyID
		prompt[i], interp[i], filters[i] = r.Prompt, r.Interpretation, r.Filters
		limit[i], results[i], latency[i] = r.Limit, r.Results, r.LatencyMS
		domains[i] = r.Domains
		if domains[i] == nil {
			domains[i] = []string{}
		}
		cost[i] = r.CostUSD
		if math.IsNaN(cost[i]) || math.IsInf(cost[i], 0) {
			cost[i] = 0
		}
		status[i], errorCode[i] = r.Status, r.ErrorCode
		createdAt[i] = r.CreatedAt
	}
	if err := s.insert(ctx, insertQueries, queryID, requestID, keyID, prompt, interp, filters,
		limit, results, domains, latency, cost, status, errorCode, createdAt, ingestedAt); err != nil {
		return fmt.Errorf("insert queries batch of %d: %w", n, err)
	}
	return nil
}
