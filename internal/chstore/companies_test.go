package chstore

import (
	"reflect"
	"testing"
	"time"
)

func company(eventID string, at time.Time, name string) CompanyRow {
	return CompanyRow{
		Domain:       "acme.com",
		EventID:      eventID,
		CompanyName:  name,
		Industry:     "software",
		Employees:    120,
		SizeBucket:   "51-200",
		City:         "Berlin",
		Region:       "BE",
		Country:      "DE",
		Description:  "Acme makes anvils; it's \"great\"",
		Technologies: []string{"kafka", "clickhouse"},
		Contacts:     `[{"name":"Ada","title":"CTO","email":"ada@acme.com"}]`,
		Source:       "crm",
		OccurredAt:   at,
		IngestedAt:   time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

// latestFromView reads companies_latest for acme.com: the event_id and company_name,
// and whether there is a row.
func latestFromView(t *testing.T, s *Store) (eventID, name string, ok bool) {
	t.Helper()
	rows, err := s.conn.Query(t.Context(), "SELECT event_id, company_name FROM companies_latest WHERE domain = 'acme.com'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if err := rows.Scan(&eventID, &name); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n > 1 {
		t.Fatalf("companies_latest has %d rows for acme.com, want at most 1", n)
	}
	return eventID, name, n == 1
}

func TestCompanyRoundTrip(t *testing.T) {
	s, _ := openStore(t)
	at := time.Date(2025, 2, 3, 4, 5, 6, 789_123_456, time.FixedZone("CET", 3600))
	want := company("c1", at, "Acme")
	if err := s.InsertCompanies(t.Context(), []CompanyRow{want}); err != nil {
		t.Fatalf("InsertCompanies: %v", err)
	}
	got, ok, err := s.LatestCompany(t.Context(), "acme.com")
	if err != nil || !ok {
		t.Fatalf("LatestCompany = %v, %v", ok, err)
	}
	want.OccurredAt = at.UTC() // nanoseconds survive, the zone is UTC
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("LatestCompany =\n%+v\nwant\n%+v", got, want)
	}
	for _, domain := range []string{"other.com", "x' OR domain != '"} {
		if _, ok, err := s.LatestCompany(t.Context(), domain); ok || err != nil {
			t.Fatalf("LatestCompany(%q) = %v, %v; want not found", domain, ok, err)
		}
	}
	// The seconds column and the view agree with the row.
	var occurredAt time.Time
	if err := s.conn.QueryRow(t.Context(), "SELECT occurred_at FROM companies_latest WHERE domain = 'acme.com'").Scan(&occurredAt); err != nil {
		t.Fatal(err)
	}
	if !occurredAt.Equal(at.Truncate(time.Second)) {
		t.Fatalf("occurred_at = %v, want %v", occurredAt, at.Truncate(time.Second))
	}
}

func TestCompanyDefaultsIngestedAtAndEmptyArrays(t *testing.T) {
	s, _ := openStore(t)
	now := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	s.now = func() time.Time { return now }
	row := CompanyRow{Domain: "acme.com", EventID: "c1", CompanyName: "Acme", Employees: -1, OccurredAt: now.Add(-time.Hour)}
	if err := s.InsertCompanies(t.Context(), []CompanyRow{row}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.LatestCompany(t.Context(), "acme.com")
	if err != nil || !ok {
		t.Fatalf("LatestCompany = %v, %v", ok, err)
	}
	if !got.IngestedAt.Equal(now) || got.Employees != -1 || len(got.Technologies) != 0 {
		t.Fatalf("got %+v, want ingested_at %v, employees -1, no technologies", got, now)
	}
}

func TestLatestCompanyWins(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		row     CompanyRow
		deleted bool
	}
	for _, tc := range []struct {
		name     string
		batches  [][]step // each batch is one InsertCompanies call
		wantID   string   // "" means no live profile
		wantName string
	}{
		{
			name:    "in order",
			batches: [][]step{{{row: company("c1", t0, "Old")}}, {{row: company("c2", t0.Add(time.Hour), "New")}}},
			wantID:  "c2", wantName: "New",
		},
		{
			name:    "out of order",
			batches: [][]step{{{row: company("c2", t0.Add(time.Hour), "New")}}, {{row: company("c1", t0, "Old")}}},
			wantID:  "c2", wantName: "New",
		},
		{
			name:    "out of order in one batch",
			batches: [][]step{{{row: company("c2", t0.Add(time.Hour), "New")}, {row: company("c1", t0, "Old")}}},
			wantID:  "c2", wantName: "New",
		},
		{
			name:    "sub-second order",
			batches: [][]step{{{row: company("c2", t0.Add(2*time.Millisecond), "New")}}, {{row: company("c1", t0.Add(time.Millisecond), "Old")}}},
			wantID:  "c2", wantName: "New",
		},
		{
			name:    "redelivered",
			batches: [][]step{{{row: company("c1", t0, "Acme")}}, {{row: company("c1", t0, "Acme")}}},
			wantID:  "c1", wantName: "Acme",
		},
		{
			name:    "deleted",
			batches: [][]step{{{row: company("c1", t0, "Acme")}}, {{row: company("c2", t0.Add(time.Hour), "Acme"), deleted: true}}},
			wantID:  "",
		},
		{
			name:    "deleted, then created again",
			batches: [][]step{{{row: company("c1", t0, "Acme")}}, {{row: company("c2", t0.Add(time.Hour), "Acme"), deleted: true}}, {{row: company("c3", t0.Add(2*time.Hour), "Acme 2")}}},
			wantID:  "c3", wantName: "Acme 2",
		},
		{
			name:    "late tombstone of an older state is ignored",
			batches: [][]step{{{row: company("c2", t0.Add(time.Hour), "New")}}, {{row: company("c1", t0, "Old"), deleted: true}}},
			wantID:  "c2", wantName: "New",
		},
		{
			name:    "late profile older than the tombstone stays deleted",
			batches: [][]step{{{row: company("c2", t0.Add(time.Hour), "Acme"), deleted: true}}, {{row: company("c1", t0, "Old")}}},
			wantID:  "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openStore(t)
			stopMerges(t, s, "companies")
			inserted := uint64(0)
			for _, batch := range tc.batches {
				var rows []CompanyRow
				for _, st := range batch {
					r := st.row
					r.Deleted = st.deleted
					rows = append(rows, r)
				}
				if err := s.InsertCompanies(t.Context(), rows); err != nil {
					t.Fatalf("InsertCompanies: %v", err)
				}
				inserted += uint64(len(rows))
			}
			if n := queryUint64(t, s, "SELECT count() FROM companies"); n != inserted {
				t.Fatalf("companies has %d rows before the merge, want all %d inserted", n, inserted)
			}
			check := func(when string) {
				t.Helper()
				got, ok, err := s.LatestCompany(t.Context(), "acme.com")
				if err != nil {
					t.Fatalf("%s: LatestCompany: %v", when, err)
				}
				viewID, viewName, viewOK := latestFromView(t, s)
				if tc.wantID == "" {
					if ok || viewOK {
						t.Fatalf("%s: LatestCompany = %v (%s), view = %v (%s); want no live profile", when, ok, got.EventID, viewOK, viewID)
					}
					return
				}
				if !ok || got.EventID != tc.wantID || got.CompanyName != tc.wantName {
					t.Fatalf("%s: LatestCompany = %v %s %q; want %s %q", when, ok, got.EventID, got.CompanyName, tc.wantID, tc.wantName)
				}
				if !viewOK || viewID != tc.wantID || viewName != tc.wantName {
					t.Fatalf("%s: companies_latest = %v %s %q; want %s %q", when, viewOK, viewID, viewName, tc.wantID, tc.wantName)
				}
			}
			check("before merge")
			// A merge collapses the versions; reads must not change.
			mergeFinal(t, s, "companies")
			if n := queryUint64(t, s, "SELECT count() FROM companies"); n != 1 {
				t.Fatalf("companies has %d rows after OPTIMIZE FINAL, want 1", n)
			}
			check("after merge")
		})
	}
}
