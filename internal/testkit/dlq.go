package testkit

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// DLQCodes reads want records from the dead-letter topic leadpoet.dlq.v1 on brokers
// and maps each rejected record's event_id (or its whole original value, when it has
// no event_id) to the reason code. A record that is not a complete DLQ message (with
// the original value, a message and the source topic) fails the test.
func DLQCodes(t testing.TB, brokers string, want int) map[string]string {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ConsumeTopics("leadpoet.dlq.v1"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := map[string]string{}
	for n := 0; n < want; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("dlq: read %d of %d records: %v", n, want, out)
		}
		fs.EachRecord(func(r *kgo.Record) {
			n++
			var m struct {
				Value   *string `json:"value"`
				Code    string  `json:"code"`
				Message string  `json:"message"`
				Source  string  `json:"source_topic"`
			}
			if err := json.Unmarshal(r.Value, &m); err != nil || m.Value == nil || m.Message == "" || m.Source == "" {
				t.Errorf("dlq record %s is not a complete DLQ message: %v", r.Value, err)
				return
			}
			id := *m.Value
			var ev map[string]any
			if json.Unmarshal([]byte(id), &ev) == nil {
				if s, ok := ev["event_id"].(string); ok && s != "" {
					id = s
				}
			}
			out[id] = m.Code
		})
	}
	return out
}
