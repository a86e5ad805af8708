package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/schollz/progressbar/v3"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"github.com/leadpoet/leadpoet/internal/demo"
	"github.com/leadpoet/leadpoet/internal/kafkax"
	"github.com/leadpoet/leadpoet/internal/localsvc"
	"github.com/leadpoet/leadpoet/schemas"
)

type devConfig struct {
	ingestConfig
	api        apiConfig
	kafkaPort  int
	redisPort  int
	chPort     int
	chHTTPPort int
	dataDir    string
	clickhouse string
	demo       bool
	seed       int64
	apiKey     string
	partitions int
	demoWait   time.Duration
}

func runDev(ctx context.Context, args []string, env *environment) error {
	var cfg devConfig
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg.ingestConfig.ingest.RegisterFlags(fs)
	cfg.ingestConfig.log.registerFlags(fs)
	cfg.api.registerFlags(fs)
	fs.IntVar(&cfg.kafkaPort, "dev.kafka-port", 9092, "port of the embedded Kafka broker on localhost (default 9092)")
	fs.IntVar(&cfg.redisPort, "dev.redis-port", 0, "port of the local Redis started for dev; 0 picks a free one (default 0)")
	fs.IntVar(&cfg.chPort, "dev.clickhouse-port", 0, "native port of the local clickhouse-server started for dev; 0 picks a free one (default 0)")
	fs.IntVar(&cfg.chHTTPPort, "dev.clickhouse-http-port", 0, "HTTP port of the local clickhouse-server started for dev; 0 picks a free one (default 0)")
	fs.StringVar(&cfg.dataDir, "dev.data-dir", "", "folder for the local stores' data; empty means a temporary folder removed at exit (default empty)")
	fs.StringVar(&cfg.clickhouse, "dev.clickhouse", "auto", "local ClickHouse: auto (when clickhouse-server is installed), on or off (default auto)")
	fs.BoolVar(&cfg.demo, "dev.demo", true, "load the demo data set through Kafka at start (default true)")
	fs.Int64Var(&cfg.seed, "dev.seed", 1, "random seed of the demo data set (default 1)")
	fs.StringVar(&cfg.apiKey, "dev.api-key", "", "API key accepted in dev, stored in the key store with every scope; empty means a new random key printed at start (default empty)")
	fs.IntVar(&cfg.partitions, "dev.partitions", 4, "partitions of each topic on the embedded broker (default 4)")
	fs.DurationVar(&cfg.demoWait, "dev.demo-timeout", 2*time.Minute, "how long to wait for the demo data to be ingested (default 2m)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := cfg.log.logger(env.stderr)
	if err != nil {
		return err
	}
	if err := cfg.ingest.Validate(); err != nil {
		return err
	}
	if err := cfg.api.validate(); err != nil {
		return err
	}
	switch cfg.clickhouse {
	case "auto", "on", "off":
	default:
		return fmt.Errorf("dev.clickhouse must be auto, on or off, got %q", cfg.clickhouse)
	}

	dir := cfg.dataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "leadpoet-dev-"); err != nil {
			return fmt.Errorf("create data folder: %w", err)
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dev.data-dir: %w", err)
	}

	// The embedded broker.
	if err := portFree(cfg.kafkaPort, "dev.kafka-port"); err != nil {
		return err
	}
	cluster, err := kfake.NewCluster(kfake.Ports(cfg.kafkaPort), kfake.DefaultNumPartitions(cfg.partitions),
		kfake.SeedTopics(int32(cfg.partitions), schemas.AllTopics...))
	if err != nil {
		return fmt.Errorf("start embedded kafka on port %d (dev.kafka-port): %w", cfg.kafkaPort, err)
	}
	defer cluster.Close()
	cfg.kafka = kafkax.DefaultConfig()
	cfg.kafka.Brokers = strings.Join(cluster.ListenAddrs(), ",")
	log.Info("embedded kafka broker listening", "addr", cfg.kafka.Brokers)

	// Redis: a real redis-server when installed, else in-process.
	if err := portFree(cfg.redisPort, "dev.redis-port"); err != nil {
		return err
	}
	cfg.redis = defaultRedisConfig()
	if _, err := localsvc.LookPath("redis-server"); err == nil {
		rs, err := localsvc.StartRedis(localsvc.RedisOptions{Port: cfg.redisPort, Dir: dir + "/redis"})
		if err != nil {
			return fmt.Errorf("start redis-server on port %d (dev.redis-port): %w", cfg.redisPort, err)
		}
		defer rs.Stop()
		cfg.redis.Addr = rs.Addr()
		log.Info("local redis-server started", "addr", cfg.redis.Addr)
	} else {
		mr := miniredis.NewMiniRedis()
		if err := mr.StartAddr(net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.redisPort))); err != nil {
			return fmt.Errorf("start in-process redis on port %d (dev.redis-port): %w", cfg.redisPort, err)
		}
		defer mr.Close()
		cfg.redis.Addr = mr.Addr()
		log.Warn("redis-server is not installed: using an in-process Redis (install the redis-server package for the real one)", "addr", cfg.redis.Addr)
	}

	// ClickHouse: a local clickhouse-server when installed, else analytics off.
	cfg.ingestConfig.clickhouse = defaultClickHouseConfig()
	_, chErr := localsvc.LookPath("clickhouse-server")
	switch {
	case cfg.clickhouse == "off":
		cfg.ingestConfig.clickhouse.Enabled = false
	case chErr != nil && cfg.clickhouse == "on":
		return fmt.Errorf("dev.clickhouse=on: %w", chErr)
	case chErr != nil:
		cfg.ingestConfig.clickhouse.Enabled = false
		log.Warn("clickhouse-server is not installed: analytics are off (install the clickhouse-server package to keep history)")
	default:
		for _, p := range []struct {
			port int
			flag string
		}{{cfg.chPort, "dev.clickhouse-port"}, {cfg.chHTTPPort, "dev.clickhouse-http-port"}} {
			if err := portFree(p.port, p.flag); err != nil {
				return err
			}
		}
		ch, err := localsvc.StartClickHouse(localsvc.ClickHouseOptions{Port: cfg.chPort, HTTPPort: cfg.chHTTPPort, Dir: dir + "/clickhouse"})
		if err != nil {
			return fmt.Errorf("start clickhouse-server (dev.clickhouse-port %d): %w", cfg.chPort, err)
		}
		defer ch.Stop()
		cfg.ingestConfig.clickhouse.Addr = ch.Addr()
		log.Info("local clickhouse-server started", "addr", ch.Addr(), "http", ch.HTTPAddr())
	}

	stores, err := openStores(ctx, cfg.redis, cfg.ingestConfig.clickhouse, log)
	if err != nil {
		return err
	}
	defer stores.close()
	reg := newRegistry()
	cons, err := newIngest(cfg.ingestConfig, stores, log, reg)
	if err != nil {
		return err
	}
	kcl, err := kgo.NewClient(cfg.kafka.Opts()...)
	if err != nil {
		return fmt.Errorf("create kafka client: %w", err)
	}
	defer kcl.Close()
	if cfg.apiKey, err = devKey(ctx, stores.redis.Client(), cfg.apiKey, cfg.api.http.DefaultPlan); err != nil {
		return err
	}
	static, err := loadKeys(cfg.api.keysFile)
	if err != nil {
		return err
	}
	srv, err := newAPIServer(cfg.api, stores, kcl, apiKeys(static, stores.redis.Client(), cfg.api.http.Plans), log, reg)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return cons.Run(gctx) })
	g.Go(func() error { return srv.Run(gctx) })
	g.Go(func() error {
		if cfg.demo {
			if err := loadDemo(gctx, kcl, cfg.ingest.Group, cfg.seed, cfg.demoWait, log, env.stderr); err != nil {
				return err
			}
		}
		printBanner(env, srv.Addr().String(), cfg.kafka.Brokers, cfg.apiKey, cfg.ingestConfig.clickhouse)
		return nil
	})
	err = g.Wait()
	log.Info("leadpoet dev stopped")
	return err
}

// loadDemo produces the demo data set through the broker like any producer, then waits
// until the ingest group has consumed and committed all of it.
func loadDemo(ctx context.Context, cl *kgo.Client, group string, seed int64, wait time.Duration, log *slog.Logger, progress io.Writer) error {
	ds, err := demo.Build(demo.Options{Seed: seed, Now: time.Now().UTC()})
	if err != nil {
		return fmt.Errorf("build demo data: %w", err)
	}
	start := time.Now()
	if err := cl.ProduceSync(ctx, demoRecords(ds)...).FirstErr(); err != nil {
		return fmt.Errorf("produce demo data: %w", err)
	}
	log.Info("demo data produced", "records", len(ds.Records))
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	adm := kadm.NewClient(cl)
	bar := progressbar.NewOptions(len(ds.Records),
		progressbar.OptionSetWriter(progress),
		progressbar.OptionSetDescription("ingesting demo data"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("records"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
	defer func() {
		_ = bar.Finish()
		fmt.Fprintln(progress)
	}()
	for {
		lag, err := adm.Lag(ctx, group)
		if err == nil {
			if gl, ok := lag[group]; ok && gl.Error() == nil && len(gl.Lag) > 0 {
				_ = bar.Set(max(len(ds.Records)-int(gl.Lag.Total()), 0))
			}
			if gl, ok := lag[group]; ok && gl.Error() == nil && gl.Lag.Total() == 0 && len(gl.Lag) > 0 {
				log.Info("demo data ingested", "records", len(ds.Records), "took", time.Since(start).Round(time.Millisecond))
				return nil
			}
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("demo data not ingested within %s (dev.demo-timeout)", wait)
			}
			return nil
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func printBanner(env *environment, apiAddr, brokers, key string, ch chstoreConfig) {
	base := "http://" + displayAddr(apiAddr)
	fmt.Fprintf(env.stdout, `
Leadpoet is ready.

  API            %s
  Kafka          %s
  API key        %s
`, base, displayBrokers(brokers), key)
	if ch.Enabled {
		fmt.Fprintf(env.stdout, "  ClickHouse     %s (database %s)\n", ch.Addr, ch.Database)
	} else {
		fmt.Fprintf(env.stdout, "  ClickHouse     off\n")
	}
	fmt.Fprintf(env.stdout, `
Try it:

  curl -s -X POST '%s/query' \
    -H 'Authorization: Bearer %s' \
    -H 'Content-Type: application/json' \
    -d '{"query": "Find SaaS companies looking for customer support software", "limit": 25}'

Press Ctrl-C to stop.
`, base, key)
}

// displayBrokers names loopback brokers as localhost, the address clients on this
// machine use.
func displayBrokers(brokers string) string {
	return strings.ReplaceAll(brokers, "127.0.0.1:", "localhost:")
}

// displayAddr turns a listen address such as [::]:8000 into localhost:8000.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// portFree fails with an error naming flag when port is taken on localhost.
func portFree(port int, flag string) error {
	if port == 0 {
		return nil
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("%s: port %d is already in use; choose another with -%s", flag, port, flag)
	}
	return ln.Close()
}
