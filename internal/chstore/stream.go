package chstore

import (
	"context"
	"fmt"
	"time"
)

// EachLatestCompany calls fn with the newest profile of every company, deleted ones
// included (Deleted set), in domain order. It reads the companies table with FINAL.
func (s *Store) EachLatestCompany(ctx context.Context, fn func(CompanyRow) error) error {
	rows, err := s.conn.Query(ctx, `SELECT domain, event_id, company_name, industry, employees,
	size_bucket, city, region, country, description, technologies, contacts, deleted, source,
	version, ingested_at
FROM companies FINAL
ORDER BY domain`)
	if err != nil {
		return fmt.Errorf("read companies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			row     CompanyRow
			deleted uint8
			version uint64
		)
		err := rows.Scan(&row.Domain, &row.EventID, &row.CompanyName, &row.Industry, &row.Employees,
			&row.SizeBucket, &row.City, &row.Region, &row.Country, &row.Description,
			&row.Technologies, &row.Contacts, &deleted, &row.Source, &version, &row.IngestedAt)
		if err != nil {
			return fmt.Errorf("read companies: %w", err)
		}
		row.Deleted = deleted != 0
		row.OccurredAt = time.Unix(0, int64(version)).UTC()
		row.IngestedAt = row.IngestedAt.UTC()
		if err := fn(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read companies: %w", err)
	}
	return nil
}

// CountRows returns the deduplicated row counts of the companies (one per domain)
// and signals tables, for progress reporting.
func (s *Store) CountRows(ctx context.Context) (companies, signals uint64, err error) {
	if err := s.conn.QueryRow(ctx, "SELECT uniqExact(domain) FROM companies").Scan(&companies); err != nil {
		return 0, 0, fmt.Errorf("count companies: %w", err)
	}
	if err := s.conn.QueryRow(ctx, "SELECT count() FROM signals FINAL").Scan(&signals); err != nil {
		return 0, 0, fmt.Errorf("count signals: %w", err)
	}
	return companies, signals, nil
}

// EachSignal calls fn with every distinct signal (redelivered events once), ordered by
// domain, then occurrence time, then event id.
func (s *Store) EachSignal(ctx context.Context, fn func(SignalRow) error) error {
	rows, err := s.conn.Query(ctx, `SELECT event_id, kind, domain, source, title, text, url,
	action, topic, technology, change, count, occurred_ns, ingested_at, topic_partition, topic_offset
FROM signals FINAL
ORDER BY domain, occurred_ns, event_id`)
	if err != nil {
		return fmt.Errorf("read signals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			row SignalRow
			ns  uint64
		)
		err := rows.Scan(&row.EventID, &row.Kind, &row.Domain, &row.Source, &row.Title, &row.Text, &row.URL,
			&row.Action, &row.Topic, &row.Technology, &row.Change, &row.Count, &ns, &row.IngestedAt,
			&row.TopicPartition, &row.TopicOffset)
		if err != nil {
			return fmt.Errorf("read signals: %w", err)
		}
		row.OccurredAt = time.Unix(0, int64(ns)).UTC()
		row.IngestedAt = row.IngestedAt.UTC()
		if err := fn(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read signals: %w", err)
	}
	return nil
}
