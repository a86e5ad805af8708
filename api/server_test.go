package api_test

import (
	"context"
	"errors"
	"flag"
	"io"
	"math"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

func newServer(t *testing.T, cfg api.Config, ranker api.Ranker) *api.Server {
	t.Helper()
	s, err := api.New(cfg, api.Deps{
		Ranker:       ranker,
		Keys:         testKeys(),
		Redis:        testRedis(t),
		Dependencies: api.Dependencies{Redis: fakePinger{}, Kafka: fakePinger{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runServer starts Run in a goroutine and returns a function that waits for Run's
// result.
func runServer(t *testing.T, ctx context.Context, s *api.Server) func() error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return")
			return nil
		}
	}
}

func TestRunServesAndStops(t *testing.T) {
	cfg := api.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	s := newServer(t, cfg, &fakeRanker{})
	if s.Addr() != nil {
		t.Error("Addr before Listen is not nil")
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	url := "http://" + s.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	wait := runServer(t, ctx, s)

	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}

	cancel()
	if err := wait(); err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
	if _, err := net.Dial("tcp", s.Addr().String()); err == nil {
		t.Error("still accepting connections after Run returned")
	}
}

func TestRunBindsItself(t *testing.T) {
	cfg := api.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	s := newServer(t, cfg, &fakeRanker{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Run(ctx); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if s.Addr() == nil {
		t.Error("Run did not bind")
	}
}

func TestListenPortTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := api.DefaultConfig()
	cfg.Listen = taken.Addr().String()
	s := newServer(t, cfg, &fakeRanker{})
	err = s.Listen()
	if err == nil {
		t.Fatal("Listen on a taken port succeeded")
	}
	for _, want := range []string{"api.listen", cfg.Listen, "in use"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	// Run reports the same error.
	if err := s.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "api.listen") {
		t.Errorf("Run = %v, want the listen error", err)
	}
}

// TestGracefulShutdown: a request in flight when the context ends still gets its
// answer, while new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	ranker := &fakeRanker{block: true, entered: make(chan struct{}, 1), release: make(chan struct{})}
	cfg := api.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	s := newServer(t, cfg, ranker)
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	wait := runServer(t, ctx, s)

	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", "http://"+addr+"/query", strings.NewReader(`{"query":"Find companies looking for CRM software"}`))
		req.Header.Set("Authorization", "Bearer "+goodKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	<-ranker.entered
	cancel()
	waitUntil(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	close(ranker.release)
	if got := <-status; got != 200 {
		t.Errorf("in-flight request got %d, want 200", got)
	}
	if err := wait(); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

func TestShutdownTimeout(t *testing.T) {
	ranker := &fakeRanker{block: true, entered: make(chan struct{}, 1), release: make(chan struct{})}
	cfg := api.DefaultConfig()
	cfg.Listen = "127.0.0.1:0"
	cfg.ShutdownTimeout = 10 * time.Millisecond
	s := newServer(t, cfg, ranker)
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	wait := runServer(t, ctx, s)
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequest("POST", "http://"+s.Addr().String()+"/query", strings.NewReader(`{"query":"Find companies looking for CRM software"}`))
		req.Header.Set("Authorization", "Bearer "+goodKey)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	<-ranker.entered
	cancel()
	err := wait()
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run = %v, want a shutdown deadline error", err)
	}
	<-done
}

// waitUntil polls cond until it holds, failing after a deadline.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	testkit.Eventually(t, 10*time.Second, time.Millisecond, "condition", func() error {
		if cond() {
			return nil
		}
		return errors.New("not met")
	})
}

func TestNewRejectsMissingDeps(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled by New
	defer rdb.Close()
	good := api.Deps{Ranker: &fakeRanker{}, Keys: testKeys(), Redis: rdb, Dependencies: api.Dependencies{Redis: fakePinger{}, Kafka: fakePinger{}}}
	tests := []struct {
		name   string
		mutate func(*api.Deps)
		want   string
	}{
		{"no ranker", func(d *api.Deps) { d.Ranker = nil }, "Ranker"},
		{"no keys", func(d *api.Deps) { d.Keys = nil }, "Keys"},
		{"no redis client", func(d *api.Deps) { d.Redis = nil }, "Deps.Redis"},
		{"no redis", func(d *api.Deps) { d.Dependencies.Redis = nil }, "Redis"},
		{"no kafka", func(d *api.Deps) { d.Dependencies.Kafka = nil }, "Kafka"},
		{"registerer without gatherer", func(d *api.Deps) { d.Registerer = prometheus.WrapRegistererWithPrefix("x_", prometheus.NewRegistry()) }, "Gatherer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			tt.mutate(&d)
			_, err := api.New(api.DefaultConfig(), d)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error naming %s", err, tt.want)
			}
		})
	}
	if _, err := api.New(api.DefaultConfig(), good); err != nil {
		t.Errorf("New with the minimal deps: %v", err)
	}
}

func TestConfigFlags(t *testing.T) {
	var cfg api.Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	want := api.DefaultConfig()
	want.Version = "" // not a flag
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("flag defaults\n got %+v\nwant %+v", cfg, want)
	}
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		if !strings.HasPrefix(f.Name, "api.") {
			t.Errorf("flag %s is not in the api. namespace", f.Name)
		}
		if !strings.Contains(f.Usage, "Default") {
			t.Errorf("flag %s help does not state its default: %q", f.Name, f.Usage)
		}
	})
	if n < 7 {
		t.Errorf("only %d flags registered", n)
	}
	err := fs.Parse([]string{"-api.listen=127.0.0.1:9000", "-api.read-timeout=3s", "-api.max-body-bytes=2048", "-api.cost.lead-usd=2e-7"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:9000" || cfg.ReadTimeout != 3*time.Second || cfg.MaxBodyBytes != 2048 || cfg.Cost.LeadUSD != 2e-7 {
		t.Errorf("parsed config %+v", cfg)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*api.Config)
		flag   string // "" means valid
	}{
		{"defaults", func(*api.Config) {}, ""},
		{"port only", func(c *api.Config) { c.Listen = ":0" }, ""},
		{"empty listen", func(c *api.Config) { c.Listen = "" }, "api.listen"},
		{"listen without port", func(c *api.Config) { c.Listen = "localhost" }, "api.listen"},
		{"zero read timeout", func(c *api.Config) { c.ReadTimeout = 0 }, "api.read-timeout"},
		{"negative write timeout", func(c *api.Config) { c.WriteTimeout = -time.Second }, "api.write-timeout"},
		{"zero idle timeout", func(c *api.Config) { c.IdleTimeout = 0 }, "api.idle-timeout"},
		{"zero shutdown timeout", func(c *api.Config) { c.ShutdownTimeout = 0 }, "api.shutdown-timeout"},
		{"zero query timeout", func(c *api.Config) { c.QueryTimeout = 0 }, "api.query-timeout"},
		{"zero health timeout", func(c *api.Config) { c.HealthTimeout = 0 }, "api.health-timeout"},
		{"zero body limit", func(c *api.Config) { c.MaxBodyBytes = 0 }, "api.max-body-bytes"},
		{"negative cost", func(c *api.Config) { c.Cost.LeadUSD = -1 }, "api.cost.lead-usd"},
		{"NaN cost", func(c *api.Config) { c.Cost.CPUMillisecondUSD = math.NaN() }, "api.cost.cpu-ms-usd"},
		{"infinite cost", func(c *api.Config) { c.Cost.StoreOpUSD = math.Inf(1) }, "api.cost.store-op-usd"},
		{"negative llm cost", func(c *api.Config) { c.Cost.LLMTokenUSD = -1 }, "api.cost.llm-token-usd"},
		{"zero alpha", func(c *api.Config) { c.Reputation.Alpha = 0 }, "api.reputation.alpha"},
		{"initial above 1", func(c *api.Config) { c.Reputation.Initial = 1.5 }, "api.reputation.initial"},
		{"zero neutral", func(c *api.Config) { c.Reputation.Neutral = 0 }, "api.reputation.neutral"},
		{"zero half-life", func(c *api.Config) { c.Reputation.RecoveryHalfLife = 0 }, "api.reputation.recovery-half-life"},
		{"throttle at neutral never recovers", func(c *api.Config) { c.Reputation.ThrottleBelow = 0.5 }, "api.reputation.throttle-below"},
		{"throttle off", func(c *api.Config) { c.Reputation.ThrottleBelow = 0 }, ""},
		{"zero min queries", func(c *api.Config) { c.Reputation.MinQueries = 0 }, "api.reputation.min-queries"},
		{"no plans", func(c *api.Config) { c.Plans = nil }, "api"},
		{"unknown default plan", func(c *api.Config) { c.DefaultPlan = "gold" }, "api"},
		{"plan filed under another name", func(c *api.Config) { c.Plans = api.Plans{"standard": {Name: "x"}} }, "api"},
		{"plan without burst", func(c *api.Config) {
			p := api.StandardPlan()
			p.Burst = 0
			c.Plans = api.Plans{p.Name: p}
		}, "api"},
		{"plan without daily budget", func(c *api.Config) {
			p := api.StandardPlan()
			p.DailyCostUSD = 0
			c.Plans = api.Plans{p.Name: p}
		}, "api"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := api.DefaultConfig()
			tt.mutate(&cfg)
			err := cfg.Validate()
			switch {
			case tt.flag == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.flag != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.flag+":")):
				t.Errorf("Validate = %v, want an error naming %s", err, tt.flag)
			}
			if tt.flag != "" {
				if _, err := api.New(cfg, api.Deps{}); err == nil {
					t.Error("New accepted an invalid config")
				}
			}
		})
	}
}

func TestCostModel(t *testing.T) {
	m := api.CostModel{CPUMillisecondUSD: 1e-6, StoreOpUSD: 1e-8, LeadUSD: 1e-5}
	got := m.Cost(api.Usage{Processing: 1500 * time.Microsecond, StoreOps: 100, Leads: 10})
	if want := 1.5e-6 + 1e-6 + 1e-4; math.Abs(got-want) > 1e-15 {
		t.Errorf("Cost = %g, want %g", got, want)
	}
	// The documented typical query stays far below the $0.00002-per-lead budget.
	typical := api.DefaultCostModel().Cost(api.Usage{Processing: 10 * time.Millisecond, StoreOps: 400, Leads: 25})
	if perLead := typical / 25; perLead > 0.00002/10 {
		t.Errorf("default model: $%g per lead for a typical query", perLead)
	}
}
