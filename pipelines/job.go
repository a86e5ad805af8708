package pipelines

import (
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// jobUpdate extracts a job post's evidence: the title's terms count weightJobTitle
// times the description's.
func jobUpdate(e *schemas.Job, t *terms) redisstore.SignalUpdate {
	weights := t.signalTerms(KindJob, e.Title, e.Description, weightJob, weightJob*weightJobTitle, weightJob)
	return redisstore.SignalUpdate{
		EventID: e.EventID, Domain: e.Domain, Terms: weights,
		Evidence: scorer.Evidence{
			EventID: e.EventID, Kind: KindJob, Weight: weightJob, Source: e.Source, URL: e.URL,
			Title: e.Title, Snippet: snippet(e.Description), ObservedAt: e.OccurredAt,
		},
	}
}

func (b *batch) addJob(e *schemas.Job, tax *scorer.Taxonomy, rec *kgo.Record, now time.Time) {
	b.signals = append(b.signals, chstore.SignalRow{
		EventID: e.EventID, Kind: chstore.KindJob, Domain: e.Domain, Source: e.Source,
		Title: e.Title, Text: e.Description, URL: e.URL, Topic: e.Location,
		OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
		TopicPartition: rec.Partition, TopicOffset: rec.Offset,
	})
	b.updates = append(b.updates, jobUpdate(e, b.scratch(tax)))
}
