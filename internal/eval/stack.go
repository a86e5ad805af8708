package eval

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/ingest"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/localsvc"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/pipelines"
	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// StackOptions configure StartStack.
type StackOptions struct {
	// Dir is a working folder for the stack's files (the redis-server log). Required.
	Dir string
	// Partitions is the partition count of every topic; 0 means 4.
	Partitions int
	// Logger receives the components' logs; nil discards them.
	Logger *slog.Logger
}

// Stack is the real serving path running in this process, wired as `leadpoet dev`
// wires it, with analytics off: an embedded Kafka broker (kfake) on a free port, a
// redis-server on a free port, the ingest consumer group with the pipelines writing
// the Redis online store, and the HTTP API over the scorer engine.
type Stack struct {
	// URL is the base URL of the HTTP API, Key an API key it accepts.
	URL string
	Key string
	// Brokers is the address of the Kafka broker.
	Brokers string

	group   string
	cluster *kfake.Cluster
	redis   *localsvc.Redis
	store   *redisstore.Store
	tax     *scorer.Taxonomy
	kcl     *kgo.Client
	http    *http.Client
	cancel  context.CancelFunc
	g       *errgroup.Group
	gctx    context.Context
}

// evalPlan is the API plan of the stack's key: limits no evaluation reaches, so
// that every query is answered.
const evalPlan = "eval"

// StartStack starts the serving path. It fails when redis-server is not installed.
// Close stops it.
func StartStack(ctx context.Context, opts StackOptions) (_ *Stack, err error) {
	if opts.Dir == "" {
		return nil, errors.New("start stack: StackOptions.Dir is required")
	}
	if opts.Partitions <= 0 {
		opts.Partitions = 4
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if _, err := localsvc.LookPath("redis-server"); err != nil {
		return nil, fmt.Errorf("the evaluation runs against a real redis-server: %w", err)
	}
	s := &Stack{group: "leadpoet-eval", http: &http.Client{Timeout: time.Minute}, tax: scorer.LoadTaxonomy()}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	s.cluster, err = kfake.NewCluster(kfake.NumBrokers(1), kfake.DefaultNumPartitions(opts.Partitions),
		kfake.SeedTopics(int32(opts.Partitions), schemas.AllTopics...))
	if err != nil {
		return nil, fmt.Errorf("start embedded kafka: %w", err)
	}
	kc := kafkax.DefaultConfig()
	kc.Brokers = strings.Join(s.cluster.ListenAddrs(), ",")
	kc.ClientID = "leadpoet-eval"
	kc.CreatePartitions = 0
	s.Brokers = kc.Brokers

	if s.redis, err = localsvc.StartRedis(localsvc.RedisOptions{Dir: filepath.Join(opts.Dir, "redis")}); err != nil {
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	rc := redisstore.DefaultConfig()
	rc.Addr = s.redis.Addr()
	if s.store, err = redisstore.Open(ctx, rc, scorer.DefaultDecay(), scorer.BaselineDecay()); err != nil {
		return nil, fmt.Errorf("open online store: %w", err)
	}

	reg := prometheus.NewRegistry()
	ic := ingest.DefaultConfig()
	ic.Group = s.group
	cons, err := ingest.NewConsumer(ic, kc, schemas.EventTopics(), pipelines.NewProcessor(nil, s.store, s.tax, log, time.Now), log, reg)
	if err != nil {
		return nil, fmt.Errorf("create ingest consumer: %w", err)
	}
	if s.kcl, err = kgo.NewClient(kc.Opts(kgo.ProducerLinger(5 * time.Millisecond))...); err != nil {
		return nil, fmt.Errorf("create kafka client: %w", err)
	}
	srv, key, err := newAPIServer(s.store, s.tax, s.kcl, log, reg)
	if err != nil {
		return nil, err
	}
	if err := srv.Listen(); err != nil {
		return nil, err
	}
	s.URL, s.Key = "http://"+srv.Addr().String(), key

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.g, s.gctx = errgroup.WithContext(runCtx)
	s.g.Go(func() error { return cons.Run(s.gctx) })
	s.g.Go(func() error { return srv.Run(s.gctx) })
	return s, nil
}

// newAPIServer builds the HTTP API over the scorer engine as the binary does, with
// one key on a plan without practical limits and reputation throttling off.
func newAPIServer(store *redisstore.Store, tax *scorer.Taxonomy, kcl *kgo.Client, log *slog.Logger, reg *prometheus.Registry) (*api.Server, string, error) {
	cfg := api.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	cfg.Version = "eval"
	cfg.QueryTimeout = 30 * time.Second
	cfg.Reputation.ThrottleBelow = 0
	plan := api.StandardPlan()
	plan.Name = evalPlan
	plan.RequestsPerMinute, plan.Burst, plan.RequestsPerDay = 1_000_000, 1_000_000, 1_000_000_000
	plan.LeadCostUSD, plan.QueryCostUSD, plan.DailyCostUSD = 1, 1_000, 1_000_000
	cfg.Plans = maps.Clone(cfg.Plans)
	cfg.Plans[evalPlan] = plan

	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	key := "lp_eval_" + hex.EncodeToString(b)
	srv, err := api.New(cfg, api.Deps{
		Ranker: storeRanker{scorer.NewEngine(store, scorerConfig(tax))},
		Keys: api.StaticKeys{api.HashKey(key): api.KeyInfo{
			ID: "eval", Scopes: []string{api.ScopeQuery}, Plan: evalPlan,
		}},
		Dependencies: api.Dependencies{Redis: store, Kafka: kafkax.Pinger{Client: kcl}},
		Redis:        store.Client(),
		Logger:       log,
		Registerer:   reg,
		Gatherer:     reg,
	})
	if err != nil {
		return nil, "", fmt.Errorf("create api server: %w", err)
	}
	return srv, key, nil
}

// storeRanker marks ranking failures as the online store being unavailable, as the
// binary does: the scorer does no I/O of its own.
type storeRanker struct{ engine *scorer.Engine }

func (r storeRanker) Rank(ctx context.Context, q scorer.Query) (scorer.Result, error) {
	res, err := r.engine.Rank(ctx, q)
	if err != nil && ctx.Err() == nil {
		return res, fmt.Errorf("%w: %w", api.ErrUnavailable, err)
	}
	return res, err
}

// Produce sends records through the broker in order, like any producer, and
// returns once all are acknowledged. progress, when not nil, is called once per
// acknowledged record, from any goroutine.
func (s *Stack) Produce(ctx context.Context, recs []Record, progress func()) error {
	var (
		mu    sync.Mutex
		first error
	)
	for _, r := range recs {
		s.kcl.Produce(ctx, &kgo.Record{Topic: r.Topic, Key: r.Key, Value: r.Value}, func(_ *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
			if progress != nil {
				progress()
			}
		})
	}
	if err := s.kcl.Flush(ctx); err != nil {
		return fmt.Errorf("flush produced records: %w", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if first != nil {
		return fmt.Errorf("produce: %w", first)
	}
	return nil
}

// WaitIngested polls until the ingest group has committed total records of the
// event topics, which start empty, or ctx ends. progress, when not nil, gets the
// committed count after every poll.
func (s *Stack) WaitIngested(ctx context.Context, total int64, progress func(done int64)) error {
	adm := kadm.NewClient(s.kcl)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	topics := schemas.EventTopics()
	for {
		offs, err := adm.FetchOffsetsForTopics(ctx, s.group, topics...)
		if err == nil {
			var done int64
			offs.Each(func(o kadm.OffsetResponse) {
				if o.Err == nil && o.At > 0 {
					done += o.At
				}
			})
			if progress != nil {
				progress(done)
			}
			if done >= total {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for ingest of %d records: %w", total, context.Cause(ctx))
		case <-s.gctx.Done():
			return fmt.Errorf("ingest or api stopped: %w", s.g.Wait())
		case <-tick.C:
		}
	}
}

// Rejected returns how many records ingest dead-lettered.
func (s *Stack) Rejected(ctx context.Context) (int64, error) {
	ends, err := kadm.NewClient(s.kcl).ListEndOffsets(ctx, schemas.TopicDLQ)
	if err != nil {
		return 0, fmt.Errorf("list dlq end offsets: %w", err)
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err == nil {
			n += o.Offset
		}
	})
	return n, nil
}

// Answer is what POST /query returned for a prompt.
type Answer struct {
	Domains    []string      // the leads' domains, best first
	Scores     []float64     // the leads' scores, in the order of Domains
	TotalLeads int           // metadata.total_leads
	Took       time.Duration // round trip
}

// Query asks POST /query for limit leads for a prompt, with its explicit filters.
func (s *Stack) Query(ctx context.Context, p *Prompt, limit int) (Answer, error) {
	body, err := json.Marshal(struct {
		Query   string   `json:"query"`
		Limit   int      `json:"limit"`
		Filters *Filters `json:"filters,omitempty"`
	}{p.Text, limit, p.Explicit})
	if err != nil {
		return Answer{}, fmt.Errorf("encode query: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/query", bytes.NewReader(body))
	if err != nil {
		return Answer{}, fmt.Errorf("build query request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Key)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := s.http.Do(req)
	if err != nil {
		return Answer{}, fmt.Errorf("post query %s: %w", p.ID, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err != nil {
		return Answer{}, fmt.Errorf("read answer to %s: %w", p.ID, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Answer{}, fmt.Errorf("query %s: status %d: %s", p.ID, resp.StatusCode, bytes.TrimSpace(raw))
	}
	var qr struct {
		Leads []struct {
			Domain string  `json:"domain"`
			Score  float64 `json:"score"`
		} `json:"leads"`
		Metadata struct {
			TotalLeads int `json:"total_leads"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(raw, &qr); err != nil {
		return Answer{}, fmt.Errorf("decode answer to %s: %w", p.ID, err)
	}
	a := Answer{TotalLeads: qr.Metadata.TotalLeads, Took: took, Domains: make([]string, len(qr.Leads)), Scores: make([]float64, len(qr.Leads))}
	for i, l := range qr.Leads {
		a.Domains[i] = l.Domain
		a.Scores[i] = l.Score
	}
	return a, nil
}

// Close stops the API and the consumer, then the clients and the services.
func (s *Stack) Close() error {
	var errs []error
	if s.cancel != nil {
		s.cancel()
		if err := s.g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			errs = append(errs, err)
		}
	}
	if s.kcl != nil {
		s.kcl.Close()
	}
	if s.store != nil {
		s.store.Close()
	}
	if s.redis != nil {
		if err := s.redis.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("stop redis-server: %w", err))
		}
	}
	if s.cluster != nil {
		s.cluster.Close()
	}
	return errors.Join(errs...)
}

// scorerConfig is the scorer's default configuration over tax.
func scorerConfig(tax *scorer.Taxonomy) scorer.Config {
	c := scorer.DefaultConfig()
	c.Taxonomy = tax
	return c
}
