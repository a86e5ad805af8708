package ingest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/schemas"
)

// Rejection is a record that failed validation, with its reason.
type Rejection struct {
	Record  *kgo.Record
	Code    string // a schemas.Code* reason code
	Field   string
	Message string
}

// DLQMessage is the value of a record on leadpoet.dlq.v1. The original value is kept
// byte for byte: as Value when it is valid UTF-8, else as ValueBase64.
type DLQMessage struct {
	SourceTopic string    `json:"source_topic"`
	Partition   int32     `json:"partition"`
	Offset      int64     `json:"offset"`
	Key         string    `json:"key,omitempty"`
	Value       *string   `json:"value,omitempty"`
	ValueBase64 string    `json:"value_base64,omitempty"`
	Code        string    `json:"code"`
	Field       string    `json:"field,omitempty"`
	Message     string    `json:"message"`
	FailedAt    time.Time `json:"failed_at"`
}

// NewDLQMessage describes a rejection.
func NewDLQMessage(r Rejection, now time.Time) DLQMessage {
	m := DLQMessage{
		SourceTopic: r.Record.Topic, Partition: r.Record.Partition, Offset: r.Record.Offset,
		Key: string(r.Record.Key), Code: r.Code, Field: r.Field, Message: r.Message, FailedAt: now.UTC(),
	}
	if utf8.Valid(r.Record.Value) {
		v := string(r.Record.Value)
		m.Value = &v
	} else {
		m.ValueBase64 = base64.StdEncoding.EncodeToString(r.Record.Value)
	}
	return m
}

// Original returns the rejected record's value as it was consumed.
func (m DLQMessage) Original() ([]byte, error) {
	if m.Value != nil {
		return []byte(*m.Value), nil
	}
	return base64.StdEncoding.DecodeString(m.ValueBase64)
}

func produceDLQ(ctx context.Context, cl *kgo.Client, rejected []Rejection) error {
	now := time.Now()
	out := make([]*kgo.Record, 0, len(rejected))
	for _, r := range rejected {
		val, err := json.Marshal(NewDLQMessage(r, now))
		if err != nil {
			return fmt.Errorf("encode dlq record: %w", err)
		}
		out = append(out, &kgo.Record{
			Topic: schemas.TopicDLQ,
			Key:   r.Record.Key,
			Value: val,
			Headers: []kgo.RecordHeader{
				{Key: "leadpoet-source-topic", Value: []byte(r.Record.Topic)},
				{Key: "leadpoet-code", Value: []byte(r.Code)},
			},
		})
	}
	if err := cl.ProduceSync(ctx, out...).FirstErr(); err != nil {
		return fmt.Errorf("produce %d dlq records: %w", len(out), err)
	}
	return nil
}
