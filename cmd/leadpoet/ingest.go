package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

type ingestConfig struct {
	kafka      kafkax.Config
	ingest     ingest.Config
	redis      redisstore.Config
	clickhouse chstore.Config
	log        logConfig
	listen     string
}

func (c *ingestConfig) registerFlags(fs *flag.FlagSet, withListen bool) {
	c.kafka.RegisterFlags(fs)
	c.ingest.RegisterFlags(fs)
	c.redis.RegisterFlags(fs)
	c.clickhouse.RegisterFlags(fs)
	c.log.registerFlags(fs)
	if withListen {
		fs.StringVar(&c.listen, "ingest.listen", ":9101", "address of the ingest /metrics and /healthz endpoint (default :9101)")
	}
}

func (c *ingestConfig) validate() error {
	for _, v := range []interface{ Validate() error }{&c.kafka, &c.ingest, &c.redis, c.clickhouse} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func runIngest(ctx context.Context, args []string, env *environment) error {
	var cfg ingestConfig
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.registerFlags(fs, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log, err := cfg.log.logger(env.stderr)
	if err != nil {
		return err
	}
	if err := createTopics(ctx, cfg.kafka); err != nil {
		return err
	}
	reg := newRegistry()
	stores, err := openStores(ctx, cfg.redis, cfg.clickhouse, log)
	if err != nil {
		return err
	}
	defer stores.close()
	cons, err := newIngest(cfg, stores, log, reg)
	if err != nil {
		return err
	}
	ops, err := listenOps(cfg.listen, "ingest.listen", reg, log, stores.checks(cons)...)
	if err != nil {
		return err
	}
	log.Info("ingest started", "ops", ops.Addr(), "brokers", cfg.kafka.Brokers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return ops.Run(gctx) })
	g.Go(func() error { return cons.Run(gctx) })
	err = g.Wait()
	log.Info("ingest stopped")
	return err
}

func newIngest(cfg ingestConfig, stores *stores, log *slog.Logger, reg prometheus.Registerer) (*ingest.Consumer, error) {
	var history pipelines.History
	if stores.clickhouse != nil {
		history = stores.clickhouse
	}
	proc := pipelines.NewProcessor(history, stores.redis, stores.taxonomy(), log, time.Now)
	proc.Instrument(reg)
	proc.LimitRounds(max(cfg.ingest.MaxBufferedRecords/2, 1))
	topics := append(schemas.EventTopics(), schemas.TopicQueries) // the API's query log
	return ingest.NewConsumer(cfg.ingest, cfg.kafka, topics, proc, log, reg)
}

// createTopics creates the wire-contract topics that are missing, when asked to.
func createTopics(ctx context.Context, kc kafkax.Config) error {
	if kc.CreatePartitions == 0 {
		return nil
	}
	cl, err := kgo.NewClient(kc.Opts()...)
	if err != nil {
		return fmt.Errorf("create kafka client: %w", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return kafkax.EnsureTopics(ctx, cl, int32(kc.CreatePartitions), schemas.AllTopics...)
}

// stores are the open store clients of a process.
type stores struct {
	redis      *redisstore.Store
	clickhouse *chstore.Store // nil when analytics are off
	taxonomy   func() *scorer.Taxonomy
}

// openStores connects to Redis (required) and ClickHouse (when enabled).
func openStores(ctx context.Context, rc redisstore.Config, cc chstore.Config, log *slog.Logger) (*stores, error) {
	rs, err := redisstore.Open(ctx, rc, scorer.DefaultDecay(), scorer.BaselineDecay())
	if err != nil {
		return nil, err
	}
	s := &stores{redis: rs, taxonomy: sync.OnceValue(scorer.LoadTaxonomy)}
	if !cc.Enabled {
		log.Warn("clickhouse disabled: no history or analytics are written", "flag", "clickhouse.enabled")
		return s, nil
	}
	if s.clickhouse, err = chstore.Open(ctx, cc, log); err != nil {
		rs.Close()
		return nil, fmt.Errorf("open clickhouse: %w", err)
	}
	return s, nil
}

func (s *stores) checks(cons *ingest.Consumer) []check {
	cs := []check{{"redis", s.redis.Ping}}
	if s.clickhouse != nil {
		cs = append(cs, check{"clickhouse", s.clickhouse.Ping})
	}
	if cons != nil {
		cs = append(cs, check{"ingest", func(context.Context) error { return cons.Healthy() }})
	}
	return cs
}

func (s *stores) close() {
	s.redis.Close()
	if s.clickhouse != nil {
		s.clickhouse.Close()
	}
}
