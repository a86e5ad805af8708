package api

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"time"
)

// Config configures the HTTP server. DefaultConfig returns the defaults that
// RegisterFlags also installs.
type Config struct {
	// Listen is the TCP address to serve on, host:port. ":8000" listens on all
	// interfaces; port 0 picks a free port (see Server.Addr).
	Listen string

	// ReadTimeout bounds reading one request, headers and body.
	ReadTimeout time.Duration
	// WriteTimeout bounds the whole exchange from the end of the request headers to
	// the last byte of the response.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection waits for its next request.
	IdleTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown once Run's context ends: in-flight
	// requests get this long to finish before their connections are closed.
	ShutdownTimeout time.Duration

	// MaxBodyBytes is the largest request body accepted; larger bodies are answered
	// with 413 PAYLOAD_TOO_LARGE.
	MaxBodyBytes int64

	// QueryTimeout bounds the ranking of one POST /query; a ranking that takes longer
	// is answered with 503 SERVICE_UNAVAILABLE.
	QueryTimeout time.Duration
	// HealthTimeout bounds each dependency ping of GET /healthz. The pings run
	// concurrently, so the endpoint answers within about this time.
	HealthTimeout time.Duration

	// Cost prices each answered query (metadata.cost_usd).
	Cost CostModel

	// Plans are the plans keys may be on, by name; DefaultPlan names the plan of
	// keys that name none (those of the keys file). They have no flags: the
	// binary offers DefaultPlans.
	Plans       Plans
	DefaultPlan string

	// Reputation scores the queries of each key and throttles keys whose
	// queries are persistently poor.
	Reputation ReputationConfig

	// Version is reported by GET /healthz. The binary sets it from its build
	// information; it has no flag.
	Version string
}

// DefaultConfig returns the default configuration.
func DefaultConfig() Config {
	return Config{
		Listen:          ":8000",
		ReadTimeout:     10 * time.Second,
		WriteTimeout:    30 * time.Second,
		IdleTimeout:     2 * time.Minute,
		ShutdownTimeout: 10 * time.Second,
		MaxBodyBytes:    1 << 20,
		QueryTimeout:    5 * time.Second,
		HealthTimeout:   500 * time.Millisecond,
		Cost:            DefaultCostModel(),
		Plans:           DefaultPlans(),
		DefaultPlan:     PlanStandard,
		Reputation:      DefaultReputationConfig(),
		Version:         "dev",
	}
}

// RegisterFlags registers the api.* flags on fs, with the DefaultConfig values as
// defaults, writing into c.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	d := DefaultConfig()
	fs.StringVar(&c.Listen, "api.listen", d.Listen,
		"TCP address (host:port) the HTTP API listens on; port 0 picks a free port. Default \":8000\".")
	fs.DurationVar(&c.ReadTimeout, "api.read-timeout", d.ReadTimeout,
		"Maximum time to read one request, headers and body (duration, e.g. 10s). Default 10s.")
	fs.DurationVar(&c.WriteTimeout, "api.write-timeout", d.WriteTimeout,
		"Maximum time from the end of the request headers to the end of the response (duration). Default 30s.")
	fs.DurationVar(&c.IdleTimeout, "api.idle-timeout", d.IdleTimeout,
		"Maximum time a keep-alive connection waits for its next request (duration). Default 2m.")
	fs.DurationVar(&c.ShutdownTimeout, "api.shutdown-timeout", d.ShutdownTimeout,
		"Maximum time in-flight requests get to finish on shutdown (duration). Default 10s.")
	fs.Int64Var(&c.MaxBodyBytes, "api.max-body-bytes", d.MaxBodyBytes,
		"Largest accepted request body, in bytes; larger bodies get 413. Default 1048576 (1 MiB).")
	fs.DurationVar(&c.QueryTimeout, "api.query-timeout", d.QueryTimeout,
		"Maximum time to rank one POST /query before answering 503 (duration). Default 5s.")
	fs.DurationVar(&c.HealthTimeout, "api.health-timeout", d.HealthTimeout,
		"Maximum time for each dependency ping of GET /healthz; pings run concurrently (duration). Default 500ms.")
	c.Cost.registerFlags(fs, "api.cost.")
	c.Reputation.registerFlags(fs, "api.reputation.")
	c.Plans, c.DefaultPlan = d.Plans, d.DefaultPlan
}

// Validate reports the first invalid setting, naming its flag.
func (c *Config) Validate() error {
	if c.Listen == "" {
		return errors.New("api.listen: must not be empty")
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("api.listen: %q is not a host:port address: %w", c.Listen, err)
	}
	for _, d := range []struct {
		flag  string
		value time.Duration
	}{
		{"api.read-timeout", c.ReadTimeout},
		{"api.write-timeout", c.WriteTimeout},
		{"api.idle-timeout", c.IdleTimeout},
		{"api.shutdown-timeout", c.ShutdownTimeout},
		{"api.query-timeout", c.QueryTimeout},
		{"api.health-timeout", c.HealthTimeout},
	} {
		if d.value <= 0 {
			return fmt.Errorf("%s: must be positive, got %s", d.flag, d.value)
		}
	}
	if c.MaxBodyBytes <= 0 {
		return fmt.Errorf("api.max-body-bytes: must be positive, got %d", c.MaxBodyBytes)
	}
	if err := c.Cost.validate("api.cost."); err != nil {
		return err
	}
	if err := c.Reputation.validate("api.reputation."); err != nil {
		return err
	}
	if err := c.Plans.validate(); err != nil {
		return err
	}
	if _, ok := c.Plans[c.DefaultPlan]; !ok {
		return fmt.Errorf("api: Config.DefaultPlan %q is not one of the plans %v", c.DefaultPlan, c.Plans.Names())
	}
	return nil
}
