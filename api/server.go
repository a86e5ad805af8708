// Package api is Leadpoet's HTTP layer: the gin server behind API-SPEC.md. It
// authenticates API keys, applies each key's plan (rate limits, daily quota,
// cost limits), validates and answers POST /query by calling a Ranker, keeps a
// query-quality reputation and alerts per key (GET /query-quality/reputation and
// /query-quality/alerts), reports health (GET /healthz) and Prometheus metrics
// (GET /metrics), serves its OpenAPI 3.1 description (GET /openapi.json, the
// embedded openapi.json), and wraps every failure in the spec's error envelope
// with a request id. Responses are gzip-compressed for clients that accept it.
// Every authenticated POST /query, whatever its status, is logged as one
// schemas.QueryLog record on leadpoet.queries.v1 (Deps.QueryLog), produced after
// the answer and never delaying it; ingest stores the log in ClickHouse.
//
// Ranking, key lookup and health checks come through the small interfaces Ranker,
// KeyChecker and Pinger, defined here. The per-key state that every replica of
// the API must share (limiters, daily spend, reputation, alerts) lives in Redis,
// which the package uses directly (Deps.Redis). Its keys all carry the API key's
// id as a hash tag, so one key's state shares a Redis Cluster slot:
//
//	rate:lp:rl:{id}:m     string  per-minute GCRA state (redis_rate)
//	rate:lp:rl:{id}:d     string  daily-quota GCRA state (redis_rate)
//	lp:spend:{id}:DATE    string  spend of the UTC day DATE (YYYY-MM-DD), nano-USD; kept 48 h
//	lp:rep:{id}           hash    reputation: score, counters, moving averages; kept 30 days idle
//	lp:recent:{id}        list    outcomes of the latest 20 scored queries; kept 30 days idle
//	lp:alerts:{id}        hash    alert type → alert JSON; kept 30 days idle
//
// LIMITS.md and COSTS.md describe the limits and the cost model for clients and
// operators.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/leadpoet/leadpoet/scorer"
)

// timeFormat is the format of every timestamp the API writes.
const timeFormat = time.RFC3339

// Ranker answers a query with ranked leads. The scorer engine implements it.
// Errors that wrap ErrUnavailable are answered with 503, others with 500.
type Ranker interface {
	Rank(ctx context.Context, q scorer.Query) (scorer.Result, error)
}

// Pinger checks that a dependency is reachable. Ping must return once ctx ends.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Dependencies are the services GET /healthz reports on.
type Dependencies struct {
	Redis      Pinger // required: the online store; down means unhealthy
	Kafka      Pinger // required: the query log; down means unhealthy
	ClickHouse Pinger // optional: nil means analytics are off; down or nil means degraded
}

// Deps are what a Server is built from.
type Deps struct {
	Ranker       Ranker     // required
	Keys         KeyChecker // required; StaticKeys for development and tests
	Dependencies Dependencies
	// Redis holds the per-key state shared by every API replica: rate limits,
	// daily spend, reputation and alerts. Required. Its errors are answered with
	// 503 SERVICE_UNAVAILABLE.
	Redis redis.UniversalClient

	// QueryLog receives one schemas.QueryLog record on leadpoet.queries.v1 per
	// authenticated POST /query, produced asynchronously. Nil means queries are
	// not logged.
	QueryLog *kgo.Client

	// Logger receives error logs and, at debug level, the access log. Nil discards.
	Logger *slog.Logger
	// Registerer receives the API's metrics; registering them twice on one
	// Registerer panics. Nil means a private registry.
	Registerer prometheus.Registerer
	// Gatherer is what GET /metrics exposes. Nil means Registerer, if it is also a
	// Gatherer (as *prometheus.Registry is).
	Gatherer prometheus.Gatherer
	// Clock is the time source of timestamps, uptime, durations and the ranking's
	// reference time. Nil means time.Now.
	Clock func() time.Time
}

// Server is the HTTP API. Build it with New, then either Listen and Run it, or
// serve Handler yourself.
type Server struct {
	cfg     Config
	ranker  Ranker
	keys    KeyChecker
	deps    Dependencies
	rdb     redis.UniversalClient
	limiter *redis_rate.Limiter
	log     *slog.Logger
	now     func() time.Time
	started time.Time
	metrics *metrics
	// queryLog is Deps.QueryLog.
	queryLog *kgo.Client
	handler  http.Handler
	http     *http.Server

	mu      sync.Mutex // guards ln and running
	ln      net.Listener
	running bool
}

// New validates cfg and builds a Server. It registers the metrics on
// deps.Registerer and switches gin, process-wide, to release mode.
func New(cfg Config, deps Deps) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	switch {
	case deps.Ranker == nil:
		return nil, errors.New("api: Deps.Ranker is nil")
	case deps.Keys == nil:
		return nil, errors.New("api: Deps.Keys is nil")
	case deps.Redis == nil:
		return nil, errors.New("api: Deps.Redis is nil")
	case deps.Dependencies.Redis == nil:
		return nil, errors.New("api: Deps.Dependencies.Redis is nil")
	case deps.Dependencies.Kafka == nil:
		return nil, errors.New("api: Deps.Dependencies.Kafka is nil")
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	if deps.Registerer == nil {
		reg := prometheus.NewRegistry()
		deps.Registerer, deps.Gatherer = reg, reg
	}
	if deps.Gatherer == nil {
		g, ok := deps.Registerer.(prometheus.Gatherer)
		if !ok {
			return nil, errors.New("api: Deps.Gatherer is nil and Deps.Registerer is not a Gatherer")
		}
		deps.Gatherer = g
	}

	s := &Server{
		cfg:     cfg,
		ranker:  deps.Ranker,
		keys:    deps.Keys,
		deps:    deps.Dependencies,
		rdb:     deps.Redis,
		limiter: redis_rate.NewLimiter(deps.Redis),
		log:     deps.Logger,
		now:     deps.Clock,
		metrics: newMetrics(deps.Registerer),

		queryLog: deps.QueryLog,
	}
	s.started = s.now()
	s.handler = s.routes(deps.Gatherer)
	s.http = &http.Server{
		Handler:           s.handler,
		ReadTimeout:       cfg.ReadTimeout,
		ReadHeaderTimeout: cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(deps.Logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// routes builds the gin engine. Authenticated routes run authenticate, the scope
// check and the rate limiter, in that order: requests refused by the first two
// consume no quota.
func (s *Server) routes(g prometheus.Gatherer) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false // a POST redirect would confuse clients; answer 404
	e.ContextWithFallback = true
	_ = e.SetTrustedProxies(nil) // client IPs come from the connection until proxies are configured

	e.Use(assignRequestID, s.observe, newCompressor().handle, s.recoverPanic, s.limitBody)
	e.NoRoute(s.notFound)
	e.NoMethod(s.methodNotAllowed)

	e.GET("/healthz", s.health)
	e.GET("/openapi.json", s.openAPI)
	e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:      promErrorLog{s.log},
		ErrorHandling: promhttp.ContinueOnError,
	})))

	authed := e.Group("/", s.authenticate)
	authed.POST("/query", s.logQuery, s.requireScope(ScopeQuery), s.rateLimit, s.query)
	quality := authed.Group("/query-quality", s.requireScope(ScopeQualityRead), s.rateLimit)
	quality.GET("/reputation", s.reputation)
	quality.GET("/alerts", s.alerts)
	return e
}

// Handler returns the HTTP handler, for tests and for serving it elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// Listen binds cfg.Listen, so that the caller can announce the address (Addr)
// before calling Run, which then serves on it (and closes it when it returns).
// Run calls Listen itself when it has not been called.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return errors.New("api: Listen called twice")
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("api.listen: address %s is already in use; free the port or choose another address with -api.listen: %w", s.cfg.Listen, err)
		}
		return fmt.Errorf("api.listen: listen on %s: %w", s.cfg.Listen, err)
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address (with the real port when cfg.Listen asked for
// port 0), or nil before Listen.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Run serves HTTP until ctx ends, then stops accepting connections and gives
// in-flight requests up to ShutdownTimeout to finish. It returns nil after a clean
// shutdown. A Server runs once.
func (s *Server) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("api: Run called twice")
	}
	s.running = true
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
		s.mu.Lock()
		ln = s.ln
		s.mu.Unlock()
	}

	served := make(chan error, 1)
	go func() { served <- s.http.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve http on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(shutdownCtx)
	if err != nil {
		_ = s.http.Close() // deadline passed: drop the remaining connections
	}
	<-served // http.ErrServerClosed once Shutdown or Close has been called
	if err != nil {
		return fmt.Errorf("shut down http server within %s: %w", s.cfg.ShutdownTimeout, err)
	}
	return nil
}
