package chstore

import (
	"reflect"
	"testing"
	"time"
)

func TestDLQRoundTrip(t *testing.T) {
	s, _ := openStore(t)
	failed := time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)
	want := []DLQRow{
		{Topic: "leadpoet.signals.jobs.v1", Partition: 3, Offset: 1 << 33, Key: []byte("acme.com"), Value: []byte("{\"event_id\":\x00\xff"), Code: "bad_json", Message: "record is not valid UTF-8", FailedAt: failed},
		{Topic: "leadpoet.companies.v1", Partition: 0, Offset: 5, Key: []byte{}, Value: []byte(`{"event_id":"e1"}`), Code: "missing_field", Message: "occurred_at: occurred_at is required", FailedAt: failed},
	}
	if err := s.InsertDLQ(t.Context(), want); err != nil {
		t.Fatalf("InsertDLQ: %v", err)
	}
	// The same records dead-lettered again, as after a restart.
	if err := s.InsertDLQ(t.Context(), want[:1]); err != nil {
		t.Fatalf("InsertDLQ: %v", err)
	}
	rows, err := s.conn.Query(t.Context(), "SELECT topic, `partition`, `offset`, key, value, code, message, failed_at FROM dlq FINAL ORDER BY topic DESC")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []DLQRow
	for rows.Next() {
		var r DLQRow
		if err := rows.Scan(&r.Topic, &r.Partition, &r.Offset, &r.Key, &r.Value, &r.Code, &r.Message, &r.FailedAt); err != nil {
			t.Fatal(err)
		}
		r.FailedAt = r.FailedAt.UTC()
		if len(r.Key) == 0 {
			r.Key = []byte{} // an empty String scans as nil
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("dlq =\n%+v\nwant\n%+v", got, want)
	}
}
