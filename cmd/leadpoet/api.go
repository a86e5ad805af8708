package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/chstore"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/redisstore"
	"github.com/leadpoet/leadpoet/scorer"
)

type chstoreConfig = chstore.Config

type apiConfig struct {
	http     api.Config
	scorer   scorer.Config
	keysFile string
}

func (c *apiConfig) registerFlags(fs *flag.FlagSet) {
	c.http = api.DefaultConfig()
	c.http.RegisterFlags(fs)
	c.scorer = scorer.DefaultConfig()
	c.scorer.RegisterFlags(fs)
	fs.StringVar(&c.keysFile, "auth.keys-file", "", "file of API keys accepted besides those of the key store ('leadpoet keys'), one per line: the key's SHA-256 in hex, then optionally its comma-separated scopes (default query); keys are on the standard plan; lines starting with # are comments (default none)")
}

func (c *apiConfig) validate() error {
	c.http.Version = version
	if err := c.scorer.Validate(); err != nil {
		return err
	}
	return c.http.Validate()
}

func defaultRedisConfig() redisstore.Config { return redisstore.DefaultConfig() }

func defaultClickHouseConfig() chstore.Config {
	return chstore.Config{Enabled: true, Addr: chstore.DefaultAddr, Database: chstore.DefaultDatabase, Username: chstore.DefaultUsername, DialTimeout: chstore.DefaultDialTimeout}
}

func runAPI(ctx context.Context, args []string, env *environment) error {
	var (
		cfg   apiConfig
		kafka kafkax.Config
		rc    redisstore.Config
		cc    chstore.Config
		lc    logConfig
	)
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.registerFlags(fs)
	kafka.RegisterFlags(fs)
	rc.RegisterFlags(fs)
	cc.RegisterFlags(fs)
	lc.registerFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, v := range []interface{ Validate() error }{&kafka, &rc, cc} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log, err := lc.logger(env.stderr)
	if err != nil {
		return err
	}
	static, err := loadKeys(cfg.keysFile)
	if err != nil {
		return err
	}
	stores, err := openStores(ctx, rc, cc, log)
	if err != nil {
		return err
	}
	defer stores.close()
	keys := apiKeys(static, stores.redis.Client(), cfg.http.Plans)
	kcl, err := kgo.NewClient(kafka.Opts()...)
	if err != nil {
		return fmt.Errorf("create kafka client: %w", err)
	}
	defer kcl.Close()
	reg := newRegistry()
	srv, err := newAPIServer(cfg, stores, kcl, keys, log, reg)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	log.Info("api listening", "addr", srv.Addr().String())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(gctx) })
	return g.Wait()
}

// newAPIServer wires the scorer over the online store into the HTTP layer.
func newAPIServer(cfg apiConfig, st *stores, kcl *kgo.Client, keys api.KeyChecker, log *slog.Logger, reg *prometheus.Registry) (*api.Server, error) {
	sc := cfg.scorer
	sc.Taxonomy = st.taxonomy()
	engine := scorer.NewEngine(st.redis, sc)
	deps := api.Dependencies{Redis: st.redis, Kafka: kafkax.Pinger{Client: kcl}}
	if st.clickhouse != nil {
		deps.ClickHouse = st.clickhouse
	}
	return api.New(cfg.http, api.Deps{
		Ranker:       storeRanker{engine},
		Keys:         keys,
		Dependencies: deps,
		Redis:        st.redis.Client(),
		QueryLog:     kcl,
		Logger:       log,
		Registerer:   reg,
		Gatherer:     reg,
	})
}

// storeRanker marks ranking failures as the online store being unavailable: the
// scorer does no I/O of its own, so its only failures are the store's.
type storeRanker struct{ engine *scorer.Engine }

func (r storeRanker) Rank(ctx context.Context, q scorer.Query) (scorer.Result, error) {
	res, err := r.engine.Rank(ctx, q)
	if err != nil && ctx.Err() == nil {
		return res, fmt.Errorf("%w: %w", api.ErrUnavailable, err)
	}
	return res, err
}

// loadKeys reads the auth.keys-file.
func loadKeys(path string) (api.StaticKeys, error) {
	keys := api.StaticKeys{}
	if path == "" {
		return keys, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("auth.keys-file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if _, err := hex.DecodeString(fields[0]); err != nil || len(fields[0]) != 64 {
			return nil, fmt.Errorf("auth.keys-file %s:%d: want the key's SHA-256 as 64 hex digits", path, n)
		}
		scopes := []string{"query"}
		if len(fields) > 1 {
			scopes = strings.Split(fields[1], ",")
		}
		keys[strings.ToLower(fields[0])] = api.KeyInfo{ID: fields[0][:12], Scopes: scopes}
	}
	return keys, sc.Err()
}
