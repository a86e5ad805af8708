package ingest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/schemas"
)

// TestDLQMessageKeepsOriginal: a dead-lettered record's value survives the JSON
// round trip byte for byte, as text when it is UTF-8 and as base64 otherwise.
func TestDLQMessageKeepsOriginal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		value  []byte
		asText bool
	}{
		{"json", []byte(`{"event_id":"e1","domain":"acme.com"}`), true},
		{"empty", []byte{}, true},
		{"not utf-8", []byte{0xff, 0xfe, '{', 0x00}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &kgo.Record{Topic: schemas.TopicJobs, Partition: 3, Offset: 42, Key: []byte("acme.com"), Value: tc.value}
			now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
			m := NewDLQMessage(Rejection{Record: rec, Code: schemas.CodeMissingField, Field: "title", Message: "title is required"}, now)
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			var back DLQMessage
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatal(err)
			}
			got, err := back.Original()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tc.value) {
				t.Errorf("original %q, want %q", got, tc.value)
			}
			if (back.Value != nil) != tc.asText {
				t.Errorf("value kept as text: %v, want %v (%s)", back.Value != nil, tc.asText, raw)
			}
			if back.SourceTopic != rec.Topic || back.Partition != 3 || back.Offset != 42 || back.Key != "acme.com" ||
				back.Code != schemas.CodeMissingField || back.Field != "title" || !back.FailedAt.Equal(now) || back.FailedAt.Location() != time.UTC {
				t.Errorf("message %+v does not describe the rejection", back)
			}
		})
	}
}
