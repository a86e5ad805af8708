package chstore

import (
	"context"
	"fmt"
	"time"
)

// CompanyRow is one company profile event, a row of the companies table. The
// table's version column is OccurredAt in unix nanoseconds: the latest OccurredAt
// wins, in whatever order rows arrive.
type CompanyRow struct {
	Domain       string
	EventID      string
	CompanyName  string
	Industry     string
	Employees    int32 // -1 when unknown
	SizeBucket   string
	City         string
	Region       string
	Country      string
	Description  string
	Technologies []string
	Contacts     string // JSON array of {name, title, email, phone}
	Deleted      bool   // a tombstone: the company is gone until a later profile
	Source       string
	OccurredAt   time.Time // kept to the nanosecond through the version column
	IngestedAt   time.Time // zero means the time of the insert
}

const insertCompanies = "INSERT INTO companies (domain, event_id, company_name, industry, " +
	"employees, size_bucket, city, region, country, description, technologies, contacts, " +
	"deleted, source, occurred_at, version, ingested_at)"

// InsertCompanies writes rows in one INSERT. An empty slice writes nothing.
func (s *Store) InsertCompanies(ctx context.Context, rows []CompanyRow) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.now()
	n := len(rows)
	var (
		domain, eventID, name, industry = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		bucket, city, region, country   = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		description, contacts, source   = make([]string, n), make([]string, n), make([]string, n)
		employees                       = make([]int32, n)
		technologies                    = make([][]string, n)
		deleted                         = make([]uint8, n)
		occurredAt, ingestedAt          = make([]time.Time, n), make([]time.Time, n)
		version                         = make([]uint64, n)
	)
	for i := range rows {
		r := &rows[i]
		ingestedAt[i] = r.IngestedAt
		if ingestedAt[i].IsZero() {
			ingestedAt[i] = now
		}
		if err := checkTime("occurred_at", r.OccurredAt); err != nil {
			return fmt.Errorf("insert companies: event %q: %w", r.EventID, err)
		}
		if err := checkTime("ingested_at", ingestedAt[i]); err != nil {
			return fmt.Errorf("insert companies: event %q: %w", r.EventID, err)
		}
		domain[i], eventID[i], name[i], industry[i] = r.Domain, r.EventID, r.CompanyName, r.Industry
		bucket[i], city[i], region[i], country[i] = r.SizeBucket, r.City, r.Region, r.Country
		description[i], contacts[i], source[i] = r.Description, r.Contacts, r.Source
		employees[i] = r.Employees
		technologies[i] = r.Technologies
		if technologies[i] == nil {
			technologies[i] = []string{}
		}
		if r.Deleted {
			deleted[i] = 1
		}
		occurredAt[i] = r.OccurredAt
		version[i] = uint64(r.OccurredAt.UnixNano())
	}
	err := s.insert(ctx, insertCompanies,
		domain, eventID, name, industry, employees, bucket, city, region, country,
		description, technologies, contacts, deleted, source, occurredAt, version, ingestedAt)
	if err != nil {
		return fmt.Errorf("insert companies batch of %d: %w", n, err)
	}
	return nil
}

// LatestCompany returns the profile of domain with the latest OccurredAt, the row the
// companies_latest view gives (among unmerged rows with equal OccurredAt, the greater
// EventID). ok is false when the
// company has no profile or its latest profile is deleted. It reads the table by its
// sorting key, so it costs one company's versions, not a scan.
func (s *Store) LatestCompany(ctx context.Context, domain string) (row CompanyRow, ok bool, err error) {
	rows, err := s.conn.Query(ctx, `SELECT domain, event_id, company_name, industry, employees,
	size_bucket, city, region, country, description, technologies, contacts, deleted, source,
	version, ingested_at
FROM companies
WHERE domain = ?
ORDER BY version DESC, event_id DESC
LIMIT 1`, domain)
	if err != nil {
		return CompanyRow{}, false, fmt.Errorf("read company %s: %w", domain, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return CompanyRow{}, false, fmt.Errorf("read company %s: %w", domain, err)
		}
		return CompanyRow{}, false, nil
	}
	var (
		deleted uint8
		version uint64
	)
	err = rows.Scan(&row.Domain, &row.EventID, &row.CompanyName, &row.Industry, &row.Employees,
		&row.SizeBucket, &row.City, &row.Region, &row.Country, &row.Description,
		&row.Technologies, &row.Contacts, &deleted, &row.Source, &version, &row.IngestedAt)
	if err != nil {
		return CompanyRow{}, false, fmt.Errorf("read company %s: %w", domain, err)
	}
	if deleted != 0 {
		return CompanyRow{}, false, nil
	}
	row.OccurredAt = time.Unix(0, int64(version)).UTC()
	row.IngestedAt = row.IngestedAt.UTC()
	return row, true, nil
}
