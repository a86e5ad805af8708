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

// snippetRunes is the length of the evidence snippet kept in the online store.
const snippetRunes = 280

// titleWeight is how many times a job title's terms count against its description's:
// the title says what the hire is for.
const titleWeight = 3

func (b *batch) addJob(e *schemas.Job, rec *kgo.Record, now time.Time) {
	b.signals = append(b.signals, chstore.SignalRow{
		EventID: e.EventID, Kind: chstore.KindJob, Domain: e.Domain, Source: e.Source,
		Title: e.Title, Text: e.Description, URL: e.URL,
		OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
		TopicPartition: rec.Partition, TopicOffset: rec.Offset,
	})
	terms := scorer.TermCounts(e.Description)
	for t, n := range scorer.TermCounts(e.Title) {
		terms[t] += titleWeight * n
	}
	b.updates = append(b.updates, redisstore.SignalUpdate{
		EventID: e.EventID,
		Domain:  e.Domain,
		Terms:   terms,
		Evidence: scorer.Evidence{
			EventID: e.EventID, Kind: "job", Source: e.Source, URL: e.URL,
			Title: e.Title, Snippet: snippet(e.Description), ObservedAt: e.OccurredAt,
		},
	})
}

// snippet cuts text to snippetRunes at a word boundary.
func snippet(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= snippetRunes {
		return text
	}
	cut := string(r[:snippetRunes])
	if i := strings.LastIndexByte(cut, ' '); i > snippetRunes/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
