package pipelines

import (
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// siteUpdate extracts the evidence of a page seen on the company's own site.
func siteUpdate(e *schemas.Site, t *terms) redisstore.SignalUpdate {
	weights := t.signalTerms(KindSite, e.Title, e.Text, weightSite, weightSite*2, weightSite)
	return redisstore.SignalUpdate{
		EventID: e.EventID, Domain: e.Domain, Terms: weights,
		Evidence: scorer.Evidence{
			EventID: e.EventID, Kind: KindSite, Weight: weightSite, Source: e.Source, URL: e.URL,
			Title: e.Title, Snippet: snippet(e.Text), ObservedAt: e.OccurredAt,
		},
	}
}

func (b *batch) addSite(e *schemas.Site, tax *scorer.Taxonomy, rec *kgo.Record, now time.Time) {
	b.signals = append(b.signals, chstore.SignalRow{
		EventID: e.EventID, Kind: chstore.KindSite, Domain: e.Domain, Source: e.Source,
		Title: e.Title, Text: e.Text, URL: e.URL,
		OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
		TopicPartition: rec.Partition, TopicOffset: rec.Offset,
	})
	b.updates = append(b.updates, siteUpdate(e, b.scratch(tax)))
}
