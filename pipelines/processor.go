package pipelines

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// History is the ClickHouse side: the record of every event. A nil History means
// analytics are off.
type History interface {
	InsertCompanies(ctx context.Context, rows []chstore.CompanyRow) error
	InsertSignals(ctx context.Context, rows []chstore.SignalRow) error
	InsertDLQ(ctx context.Context, rows []chstore.DLQRow) error
	InsertOutcomes(ctx context.Context, rows []chstore.OutcomeRow) error
}

// Online is the Redis side: the features the API ranks with.
type Online interface {
	Apply(ctx context.Context, profiles []redisstore.ProfileUpdate, signals []redisstore.SignalUpdate) error
}

// Processor implements ingest.Handler for every v1 topic.
type Processor struct {
	history History
	online  Online
	log     *slog.Logger
	now     func() time.Time
	norm    *Normalizer
	tax     *scorer.Taxonomy
	metrics *metrics
	group   *groupWriter
}

// NewProcessor builds the pipelines over the two stores. history may be nil. tax
// reads the product categories of each signal; nil indexes words only.
func NewProcessor(history History, online Online, tax *scorer.Taxonomy, log *slog.Logger, now func() time.Time) *Processor {
	p := &Processor{history: history, online: online, log: log, now: now, norm: NewNormalizer(), tax: tax}
	p.group = newGroupWriter(p.write)
	return p
}

// LimitRounds bounds the Kafka records whose writes are merged into one write of the
// stores (0, the default, for no bound; a batch above the bound is written alone).
// Set it to about half the consumer's buffer bound (ingest.Config.MaxBufferedRecords),
// so that the next write's batches are decoded while one is written. Call it before
// the first Handle.
func (p *Processor) LimitRounds(records int) { p.group.maxRecords = records }

// batch collects what one polled batch writes.
type batch struct {
	companies []chstore.CompanyRow
	signals   []chstore.SignalRow
	dlq       []chstore.DLQRow
	outcomes  []chstore.OutcomeRow
	queries   []chstore.QueryRow
	profiles  []redisstore.ProfileUpdate
	updates   []redisstore.SignalUpdate
	rejected  []ingest.Rejection
	records   int    // Kafka records the batch was built from
	terms     *terms // scratch for the signals' terms
}

// grow makes room for the signals of recs, so that appending their rows and
// updates does not copy them over and over.
func (b *batch) grow(recs []*kgo.Record) {
	n := 0
	for _, rec := range recs {
		switch rec.Topic {
		case schemas.TopicJobs, schemas.TopicSites, schemas.TopicActivity, schemas.TopicTech:
			n++
		}
	}
	if n == 0 {
		return
	}
	b.signals = make([]chstore.SignalRow, 0, n)
	b.updates = make([]redisstore.SignalUpdate, 0, n)
}

// scratch returns the terms the batch reuses for each of its signals.
func (b *batch) scratch(tax *scorer.Taxonomy) *terms {
	if b.terms == nil {
		b.terms = newTerms(tax)
	}
	return b.terms
}

// Handle decodes every record, builds the rows and updates of the valid ones, and
// writes them, together with the batches other partitions hand in at the same time
// (groupWriter), to ClickHouse and Redis at once. Both writes are idempotent by event
// id, so a retried batch changes nothing twice, and Handle returns only once both
// succeeded.
func (p *Processor) Handle(ctx context.Context, recs []*kgo.Record) ([]ingest.Rejection, error) {
	now := p.now()
	b := batch{records: len(recs)}
	b.grow(recs)
	for _, rec := range recs {
		if rec.Topic == schemas.TopicQueries {
			b.addQueryLog(rec, now)
			continue
		}
		ev, err := schemas.Decode(rec.Topic, rec.Value, now)
		if err != nil {
			var ve *schemas.ValidationError
			if !errors.As(err, &ve) {
				return nil, fmt.Errorf("decode %s/%d@%d: %w", rec.Topic, rec.Partition, rec.Offset, err)
			}
			b.reject(rec, ve, now)
			continue
		}
		switch e := ev.(type) {
		case *schemas.Company:
			b.addCompany(p.normalizeCompany(e), now)
		case *schemas.Job:
			b.addJob(e, p.tax, rec, now)
		case *schemas.Site:
			b.addSite(e, p.tax, rec, now)
		case *schemas.Activity:
			b.addActivity(e, p.tax, rec, now)
		case *schemas.Tech:
			b.addTech(e, p.techID(e.Technology), p.tax, rec, now)
		case *schemas.Outcome:
			b.addOutcome(e, now)
		default:
			return nil, fmt.Errorf("decode %s/%d@%d: no pipeline for %T", rec.Topic, rec.Partition, rec.Offset, ev)
		}
	}
	if err := p.group.do(ctx, &b); err != nil {
		return nil, err
	}
	return b.rejected, nil
}

// write writes a batch to ClickHouse (the history of record) and to Redis
// concurrently, and returns once both writes have finished: nil when both are
// durable, else their errors. A batch whose write failed is written again as a whole:
// the store that took it already finds every event applied and changes nothing. So
// while ClickHouse is down, Redis may hold signals that ClickHouse does not have yet;
// they reach ClickHouse with the retry that commits their offsets.
func (p *Processor) write(ctx context.Context, b *batch) error {
	history := make(chan error, 1)
	go func() { history <- p.writeHistory(ctx, b) }()
	start := time.Now()
	err := p.online.Apply(ctx, b.profiles, b.updates)
	if err == nil {
		p.metrics.observeRedis(start)
	} else {
		err = fmt.Errorf("write online store: %w", err)
	}
	return errors.Join(<-history, err)
}

func (p *Processor) writeHistory(ctx context.Context, b *batch) error {
	if p.history == nil {
		return nil
	}
	for _, w := range []struct {
		table string
		rows  int
		fn    func() error
	}{
		{"companies", len(b.companies), func() error { return p.history.InsertCompanies(ctx, b.companies) }},
		{"signals", len(b.signals), func() error { return p.history.InsertSignals(ctx, b.signals) }},
		{"outcomes", len(b.outcomes), func() error { return p.history.InsertOutcomes(ctx, b.outcomes) }},
		{"queries", len(b.queries), func() error { return p.writeQueries(ctx, b) }},
		{"dlq", len(b.dlq), func() error { return p.history.InsertDLQ(ctx, b.dlq) }},
	} {
		start := time.Now()
		if err := w.fn(); err != nil {
			return fmt.Errorf("write %s to clickhouse: %w", w.table, err)
		}
		p.metrics.observeClickHouse(w.table, w.rows, start)
	}
	return nil
}

func (b *batch) addOutcome(e *schemas.Outcome, now time.Time) {
	b.outcomes = append(b.outcomes, chstore.OutcomeRow{
		EventID: e.EventID, Domain: e.Domain, Source: e.Source, Product: e.Product,
		Outcome: e.Outcome, QueryID: e.QueryID, OccurredAt: e.OccurredAt, IngestedAt: now.UTC(),
	})
}

func (b *batch) reject(rec *kgo.Record, ve *schemas.ValidationError, now time.Time) {
	b.rejected = append(b.rejected, ingest.Rejection{Record: rec, Code: ve.Code, Field: ve.Field, Message: ve.Message})
	b.dlq = append(b.dlq, chstore.DLQRow{
		Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset,
		Key: rec.Key, Value: rec.Value,
		Code: ve.Code, Message: ve.Error(), FailedAt: now.UTC(),
	})
}
