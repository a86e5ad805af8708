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
func siteUpdate(e *schemas.Site, tax *scorer.Taxonomy, t *terms) redisstore.SignalUpdate {
	t.reset()
	t.addTopics(tax, KindSite, e.Title, e.Text, weightSite)
	t.add(e.Title, weightSite*2)
	t.add(e.Text, weightSite)
	return redisstore.SignalUpdate{
		EventID: e.EventID, Domain: e.Domain, Terms: t.capped(),
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
	b.updates = append(b.updates, siteUpdate(e, tax, b.scratch()))
}
