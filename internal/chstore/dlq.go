package chstore

import (
	"context"
	"fmt"
	"time"
)

// DLQRow is a record ingest rejected, a row of the dlq table.
type DLQRow struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte // the record key as received
	Value     []byte // the record value as received
	Code      string // the reason code, one of schemas.Code*
	Message   string
	FailedAt  time.Time // zero means the time of the insert
}

const insertDLQ = "INSERT INTO dlq (topic, `partition`, `offset`, key, value, code, message, failed_at)"

// InsertDLQ writes rows in one INSERT. An empty slice writes nothing. A record
// written again collapses by (topic, partition, offset).
func (s *Store) InsertDLQ(ctx context.Context, rows []DLQRow) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.now()
	n := len(rows)
	var (
		topic, code, message = make([]string, n), make([]string, n), make([]string, n)
		key, value           = make([][]byte, n), make([][]byte, n)
		partition            = make([]int32, n)
		offset               = make([]int64, n)
		failedAt             = make([]time.Time, n)
	)
	for i := range rows {
		r := &rows[i]
		failedAt[i] = r.FailedAt
		if failedAt[i].IsZero() {
			failedAt[i] = now
		}
		if err := checkTime("failed_at", failedAt[i]); err != nil {
			return fmt.Errorf("insert dlq: %s/%d/%d: %w", r.Topic, r.Partition, r.Offset, err)
		}
		topic[i], partition[i], offset[i] = r.Topic, r.Partition, r.Offset
		key[i], value[i] = r.Key, r.Value
		code[i], message[i] = r.Code, r.Message
	}
	err := s.insert(ctx, insertDLQ, topic, partition, offset, key, value, code, message, failedAt)
	if err != nil {
		return fmt.Errorf("insert dlq batch of %d: %w", n, err)
	}
	return nil
}
