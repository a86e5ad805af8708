package chstore

import (
	"reflect"
	"testing"
	"time"
)

func TestQueriesRoundTrip(t *testing.T) {
	s, _ := openStore(t)
	created := time.Date(2025, 4, 5, 6, 7, 8, 0, time.UTC)
	first := QueryRow{
		QueryID: "q_1", RequestID: "req_1", KeyID: "key_a", Prompt: "Find companies looking for CRM software",
		Interpretation: `{"terms":["crm"]}`, Filters: `{"industries":["technology"]}`,
		Limit: 25, Results: 2, Domains: []string{"acme.com", "beta.io"}, LatencyMS: 12, CostUSD: 0.0031,
		Status: 200, CreatedAt: created, IngestedAt: created.Add(time.Second),
	}
	failed := QueryRow{QueryID: "q_2", RequestID: "req_2", KeyID: "key_a", Status: 400, ErrorCode: "INVALID_QUERY",
		CreatedAt: created, IngestedAt: created.Add(time.Second)}
	// A redelivery of q_1 collapses into one row.
	if err := s.InsertQueries(t.Context(), []QueryRow{first, failed, first}); err != nil {
		t.Fatalf("InsertQueries: %v", err)
	}
	if err := s.InsertQueries(t.Context(), nil); err != nil {
		t.Fatalf("InsertQueries(nil): %v", err)
	}
	rows, err := s.conn.Query(t.Context(), "SELECT query_id, request_id, key_id, prompt, interpretation, filters, `limit`, results, "+
		"domains, latency_ms, cost_usd, status, error_code, created_at, ingested_at FROM queries FINAL ORDER BY query_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []QueryRow
	for rows.Next() {
		var r QueryRow
		if err := rows.Scan(&r.QueryID, &r.RequestID, &r.KeyID, &r.Prompt, &r.Interpretation, &r.Filters, &r.Limit, &r.Results,
			&r.Domains, &r.LatencyMS, &r.CostUSD, &r.Status, &r.ErrorCode, &r.CreatedAt, &r.IngestedAt); err != nil {
			t.Fatal(err)
		}
		r.CreatedAt, r.IngestedAt = r.CreatedAt.UTC(), r.IngestedAt.UTC()
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	failed.Domains = []string{}
	want := []QueryRow{first, failed}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("queries =\n%+v\nwant\n%+v", got, want)
	}
}

func TestQueriesRejectsTimeOutOfRange(t *testing.T) {
	s, _ := openStore(t)
	err := s.InsertQueries(t.Context(), []QueryRow{{QueryID: "q", CreatedAt: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)}})
	if err == nil {
		t.Fatal("InsertQueries of a 1960 created_at succeeded, want ErrTimeRange")
	}
}
