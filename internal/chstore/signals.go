package chstore

import (
	"context"
	"fmt"
	"time"
)

// Signal kinds, the kind column of the signals table.
const (
	KindJob      = "job"
	KindSite     = "site"
	KindActivity = "activity"
	KindTech     = "tech"
)

// SignalRow is one signal event of any kind, a row of the signals table. The fields
// a kind does not use stay empty.
type SignalRow struct {
	EventID    string
	Kind       string // KindJob, KindSite, KindActivity or KindTech
	Domain     string
	Source     string
	Title      string // job title; page title
	Text       string // job description; page text; activity text
	URL        string
	Action     string // activity action
	Topic      string // activity topic
	Technology string // tech
	Change     string // tech: "added" or "removed"
	Count      uint32 // activity count
	// OccurredAt is kept to the nanosecond: occurred_at holds the seconds,
	// occurred_ns the unix nanoseconds.
	OccurredAt     time.Time
	IngestedAt     time.Time // zero means the time of the insert
	TopicPartition int32     // Kafka partition the event was read from
	TopicOffset    int64     // Kafka offset the event was read from
}

const insertSignals = "INSERT INTO signals (event_id, kind, domain, source, title, text, url, " +
	"action, topic, technology, change, count, occurred_at, occurred_ns, ingested_at, " +
	"topic_partition, topic_offset)"

// InsertSignals writes rows in one INSERT. An empty slice writes nothing. A row
// written again (a redelivered event) collapses with the first in every
// deduplicated read.
func (s *Store) InsertSignals(ctx context.Context, rows []SignalRow) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.now()
	n := len(rows)
	var (
		eventID, kind, domain, source = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		title, text, url, action      = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		topic, technology, change     = make([]string, n), make([]string, n), make([]string, n)
		count                         = make([]uint32, n)
		occurredAt, ingestedAt        = make([]time.Time, n), make([]time.Time, n)
		occurredNS                    = make([]uint64, n)
		partition                     = make([]int32, n)
		offset                        = make([]int64, n)
	)
	for i := range rows {
		r := &rows[i]
		switch r.Kind {
		case KindJob, KindSite, KindActivity, KindTech:
		default:
			return fmt.Errorf("insert signals: event %q: unknown kind %q", r.EventID, r.Kind)
		}
		ingestedAt[i] = r.IngestedAt
		if ingestedAt[i].IsZero() {
			ingestedAt[i] = now
		}
		if err := checkTime("occurred_at", r.OccurredAt); err != nil {
			return fmt.Errorf("insert signals: event %q: %w", r.EventID, err)
		}
		if err := checkTime("ingested_at", ingestedAt[i]); err != nil {
			return fmt.Errorf("insert signals: event %q: %w", r.EventID, err)
		}
		eventID[i], kind[i], domain[i], source[i] = r.EventID, r.Kind, r.Domain, r.Source
		title[i], text[i], url[i], action[i] = r.Title, r.Text, r.URL, r.Action
		topic[i], technology[i], change[i] = r.Topic, r.Technology, r.Change
		count[i] = r.Count
		occurredAt[i] = r.OccurredAt
		occurredNS[i] = uint64(r.OccurredAt.UnixNano())
		partition[i], offset[i] = r.TopicPartition, r.TopicOffset
	}
	err := s.insert(ctx, insertSignals,
		eventID, kind, domain, source, title, text, url, action, topic, technology, change,
		count, occurredAt, occurredNS, ingestedAt, partition, offset)
	if err != nil {
		return fmt.Errorf("insert signals batch of %d: %w", n, err)
	}
	return nil
}

// CountSignals returns how many distinct signals of domain are stored: redelivered
// events count once, whether or not ClickHouse has merged them yet.
func (s *Store) CountSignals(ctx context.Context, domain string) (uint64, error) {
	var n uint64
	err := s.conn.QueryRow(ctx, "SELECT count() FROM signals FINAL WHERE domain = ?", domain).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count signals of %s: %w", domain, err)
	}
	return n, nil
}
