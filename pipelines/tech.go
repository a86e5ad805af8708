package pipelines

import (
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// techUpdate extracts a technographic change: the technology's name and category as
// terms (a removal weighs more: the company is replacing something) and the
// technology's new state in the company's stack.
func techUpdate(e *schemas.Tech, techID string, t *terms) redisstore.SignalUpdate {
	w, verb := weightTechAdded, "Added "
	if e.Change == schemas.ChangeRemoved {
		w, verb = weightTechRemoved, "Removed "
	}
	snip := ""
	if e.Category != "" {
		snip = e.Technology + " (" + e.Category + ")"
	}
	weights := t.signalTerms(KindTech, e.Technology, e.Category, w, w, w)
	return redisstore.SignalUpdate{
		EventID: e.EventID, Domain: e.Domain, Terms: weights,
		Tech: &redisstore.TechChange{ID: techID, Change: e.Change, At: e.OccurredAt},
		Evidence: scorer.Evidence{
			EventID: e.EventID, Kind: KindTech, Action: e.Change, Weight: w, Source: e.Source,
			Title: verb + e.Technology, Snippet: snip, ObservedAt: e.OccurredAt,
		},
	}
}

func (b *batch) addTech(e *schemas.Tech, techID string, tax *scorer.Taxonomy, rec *kgo.Record, now time.Time) {
	b.signals = append(b.signals, chstore.SignalRow{
		EventID: e.EventID, Kind: chstore.KindTech, Domain: e.Domain, Source: e.Source,
		Technology: techID, Change: e.Change, Topic: e.Category, Title: e.Technology,
		OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
		TopicPartition: rec.Partition, TopicOffset: rec.Offset,
	})
	b.updates = append(b.updates, techUpdate(e, techID, b.scratch(tax)))
}
