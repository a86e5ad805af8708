package chstore

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func signals(domain string, n int, t0 time.Time) []SignalRow {
	kinds := []string{KindJob, KindSite, KindActivity, KindTech}
	rows := make([]SignalRow, n)
	for i := range rows {
		rows[i] = SignalRow{
			EventID:        fmt.Sprintf("%s-%d", domain, i),
			Kind:           kinds[i%len(kinds)],
			Domain:         domain,
			Source:         "test",
			Title:          "Senior data engineer",
			Text:           "We are migrating our warehouse to ClickHouse and Kafka.",
			URL:            "https://" + domain + "/jobs/" + fmt.Sprint(i),
			Count:          1,
			OccurredAt:     t0.Add(time.Duration(i) * 1500 * time.Millisecond),
			IngestedAt:     t0.Add(time.Hour),
			TopicPartition: int32(i % 3),
			TopicOffset:    int64(i),
		}
	}
	return rows
}

func TestSignalRoundTrip(t *testing.T) {
	s, _ := openStore(t)
	at := time.Date(2025, 4, 5, 6, 7, 8, 123_456_789, time.UTC)
	want := []SignalRow{
		{EventID: "j1", Kind: KindJob, Domain: "acme.com", Source: "greenhouse", Title: "SRE", Text: "Kafka, ClickHouse", URL: "https://acme.com/jobs/1", OccurredAt: at, TopicPartition: 2, TopicOffset: 41},
		{EventID: "s1", Kind: KindSite, Domain: "acme.com", Source: "crawler", Title: "Pricing", Text: "Plans 'n' prices\n\ttabs", URL: "https://acme.com/pricing", OccurredAt: at.Add(time.Nanosecond), TopicPartition: 0, TopicOffset: 7},
		{EventID: "a1", Kind: KindActivity, Domain: "acme.com", Action: "pricing_view", Topic: "crm", Text: "crm pricing", Count: 3, OccurredAt: at.Add(time.Second), TopicPartition: 1, TopicOffset: 1},
		{EventID: "t1", Kind: KindTech, Domain: "acme.com", Technology: "snowflake", Change: "removed", OccurredAt: at.Add(time.Minute), TopicPartition: 1, TopicOffset: 1 << 40},
	}
	for i := range want {
		want[i].IngestedAt = at.Add(time.Hour).Truncate(time.Second)
	}
	if err := s.InsertSignals(t.Context(), want); err != nil {
		t.Fatalf("InsertSignals: %v", err)
	}
	rows, err := s.conn.Query(t.Context(), `SELECT event_id, kind, domain, source, title, text, url, action,
	topic, technology, change, count, occurred_at, occurred_ns, ingested_at, topic_partition, topic_offset
FROM signals_dedup ORDER BY occurred_ns`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []SignalRow
	for rows.Next() {
		var (
			r          SignalRow
			occurredAt time.Time
			ns         uint64
		)
		err := rows.Scan(&r.EventID, &r.Kind, &r.Domain, &r.Source, &r.Title, &r.Text, &r.URL, &r.Action,
			&r.Topic, &r.Technology, &r.Change, &r.Count, &occurredAt, &ns, &r.IngestedAt, &r.TopicPartition, &r.TopicOffset)
		if err != nil {
			t.Fatal(err)
		}
		r.OccurredAt = time.Unix(0, int64(ns)).UTC()
		if sec := r.OccurredAt.Truncate(time.Second); !occurredAt.Equal(sec) {
			t.Errorf("%s: occurred_at = %v, want the seconds of occurred_ns, %v", r.EventID, occurredAt, sec)
		}
		r.IngestedAt = r.IngestedAt.UTC()
		got = append(got, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("signals =\n%+v\nwant\n%+v", got, want)
	}
}

func TestRedeliveredSignalsCountOnce(t *testing.T) {
	s, _ := openStore(t)
	stopMerges(t, s, "signals")
	t0 := time.Date(2025, 1, 31, 23, 59, 0, 0, time.UTC) // spans two monthly partitions
	batch := signals("acme.com", 100, t0)
	other := signals("other.com", 5, t0)
	if err := s.InsertSignals(t.Context(), append(batch, other...)); err != nil {
		t.Fatal(err)
	}
	// The same events again, later, as after a consumer restart, and half of them a
	// third time.
	again := signals("acme.com", 100, t0)
	for i := range again {
		again[i].IngestedAt = again[i].IngestedAt.Add(time.Minute)
	}
	for _, b := range [][]SignalRow{again, again[:50]} {
		if err := s.InsertSignals(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	if n := queryUint64(t, s, "SELECT count() FROM signals WHERE domain = 'acme.com'"); n != 250 {
		t.Fatalf("raw rows = %d, want 250 before any merge", n)
	}
	check := func(when string) {
		t.Helper()
		for domain, want := range map[string]uint64{"acme.com": 100, "other.com": 5, "none.com": 0, "it's.com') OR (1 = 1": 0} {
			n, err := s.CountSignals(t.Context(), domain)
			if err != nil || n != want {
				t.Fatalf("%s: CountSignals(%s) = %d, %v; want %d", when, domain, n, err, want)
			}
		}
		if n := queryUint64(t, s, "SELECT count() FROM signals_dedup WHERE domain = 'acme.com'"); n != 100 {
			t.Fatalf("%s: signals_dedup has %d acme.com rows, want 100", when, n)
		}
	}
	check("before merge")
	exec(t, s, "SYSTEM START MERGES signals")
	for _, partition := range []string{"202501", "202502"} {
		exec(t, s, "OPTIMIZE TABLE signals PARTITION "+partition+" FINAL")
	}
	if n := queryUint64(t, s, "SELECT count() FROM signals WHERE domain = 'acme.com'"); n != 100 {
		t.Fatalf("raw rows = %d after OPTIMIZE FINAL, want 100", n)
	}
	// The merge kept the last ingested copy.
	if n := queryUint64(t, s, "SELECT count() FROM signals WHERE domain = 'acme.com' AND ingested_at = ?", again[0].IngestedAt); n != 100 {
		t.Fatalf("%d rows carry the latest ingested_at, want 100", n)
	}
	check("after merge")
}

func TestInsertSignalsRejectsBadRows(t *testing.T) {
	s, _ := openStore(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		mutate  func(*SignalRow)
		wantErr error
	}{
		{"before 1970", func(r *SignalRow) { r.OccurredAt = time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC) }, ErrTimeRange},
		{"after 2106", func(r *SignalRow) { r.OccurredAt = time.Date(2107, 1, 1, 0, 0, 0, 0, time.UTC) }, ErrTimeRange},
		{"unknown kind", func(r *SignalRow) { r.Kind = "tweet" }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := signals("acme.com", 3, t0)
			tc.mutate(&rows[2])
			err := s.InsertSignals(t.Context(), rows)
			if err == nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("InsertSignals = %v, want %v", err, tc.wantErr)
			}
			// Nothing of the batch is written.
			if n, err := s.CountSignals(t.Context(), "acme.com"); n != 0 || err != nil {
				t.Fatalf("CountSignals = %d, %v; want 0", n, err)
			}
		})
	}
}

func TestEmptyInsertsAreNoOps(t *testing.T) {
	s, _ := openStore(t)
	s.Close() // an empty insert does not even touch the connection
	if err := s.InsertSignals(t.Context(), nil); err != nil {
		t.Errorf("InsertSignals(nil) = %v", err)
	}
	if err := s.InsertCompanies(t.Context(), []CompanyRow{}); err != nil {
		t.Errorf("InsertCompanies(empty) = %v", err)
	}
	if err := s.InsertDLQ(t.Context(), nil); err != nil {
		t.Errorf("InsertDLQ(nil) = %v", err)
	}
}

func BenchmarkInsertSignals(b *testing.B) {
	s, _ := openStore(b)
	for _, n := range []int{10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rows := signals("acme.com", n, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			b.ReportAllocs()
			batches := 0
			for b.Loop() {
				if err := s.InsertSignals(b.Context(), rows); err != nil {
					b.Fatal(err)
				}
				batches++
			}
			b.ReportMetric(float64(batches*n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
