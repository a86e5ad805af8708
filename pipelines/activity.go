package pipelines

import (
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// activityUpdate extracts the evidence of research activity: its topic and text,
// weighted by how close the action is to a purchase and damped for repeats.
func activityUpdate(e *schemas.Activity, t *terms) redisstore.SignalUpdate {
	count := max(e.Count, 1)
	w := actionWeight(e.Action) * countMultiplier(count)
	title := strings.ReplaceAll(e.Action, "_", " ")
	if e.Topic != "" {
		title += ": " + e.Topic
	}
	weights := t.signalTerms(KindActivity, e.Topic, e.Text, w, w*2, w)
	return redisstore.SignalUpdate{
		EventID: e.EventID, Domain: e.Domain, Terms: weights,
		Evidence: scorer.Evidence{
			EventID: e.EventID, Kind: KindActivity, Action: e.Action, Weight: w, Source: e.Source, URL: e.URL,
			Title: title, Snippet: snippet(e.Text), ObservedAt: e.OccurredAt,
		},
	}
}

func (b *batch) addActivity(e *schemas.Activity, tax *scorer.Taxonomy, rec *kgo.Record, now time.Time) {
	b.signals = append(b.signals, chstore.SignalRow{
		EventID: e.EventID, Kind: chstore.KindActivity, Domain: e.Domain, Source: e.Source,
		Title: e.ActorTitle, Text: e.Text, URL: e.URL, Action: e.Action, Topic: e.Topic, Count: uint32(max(e.Count, 1)),
		OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
		TopicPartition: rec.Partition, TopicOffset: rec.Offset,
	})
	b.updates = append(b.updates, activityUpdate(e, b.scratch(tax)))
}
