package chstore

import (
	"context"
	"fmt"
	"time"
)

// OutcomeRow is a sales outcome fed back for a company.
type OutcomeRow struct {
	EventID    string
	Domain     string
	Source     string
	Product    string
	Outcome    string // purchased, opportunity, lost or not_interested
	QueryID    string
	OccurredAt time.Time
	IngestedAt time.Time // zero means the time of the insert
}

const insertOutcomes = "INSERT INTO outcomes (event_id, domain, source, product, outcome, query_id, occurred_at, ingested_at)"

// InsertOutcomes writes rows in one INSERT. An empty slice writes nothing.
func (s *Store) InsertOutcomes(ctx context.Context, rows []OutcomeRow) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.now()
	n := len(rows)
	var (
		eventID, domain, source = make([]string, n), make([]string, n), make([]string, n)
		product, outcome, query = make([]string, n), make([]string, n), make([]string, n)
		occurredAt, ingestedAt  = make([]time.Time, n), make([]time.Time, n)
	)
	for i := range rows {
		r := &rows[i]
		ingestedAt[i] = r.IngestedAt
		if ingestedAt[i].IsZero() {
			ingestedAt[i] = now
		}
		if err := checkTime("occurred_at", r.OccurredAt); err != nil {
			return fmt.Errorf("insert outcomes: event %q: %w", r.EventID, err)
		}
		eventID[i], domain[i], source[i] = r.EventID, r.Domain, r.Source
		product[i], outcome[i], query[i] = r.Product, r.Outcome, r.QueryID
		occurredAt[i] = r.OccurredAt
	}
	if err := s.insert(ctx, insertOutcomes, eventID, domain, source, product, outcome, query, occurredAt, ingestedAt); err != nil {
		return fmt.Errorf("insert outcomes batch of %d: %w", n, err)
	}
	return nil
}
