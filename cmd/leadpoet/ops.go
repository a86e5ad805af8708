package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// newRegistry is the process's metrics registry, with Go and process metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// check is one named dependency check of a health endpoint.
type check struct {
	name string
	fn   func(ctx context.Context) error
}

// opsServer serves /metrics and /healthz for processes without the API (ingest).
type opsServer struct {
	ln     net.Listener
	srv    *http.Server
	log    *slog.Logger
	checks []check
}

// listenOps binds the ops endpoint; flag names the flag that set addr for errors.
func listenOps(addr, flag string, reg *prometheus.Registry, log *slog.Logger, checks ...check) (*opsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot listen on %s (is the port taken?): %w", flag, addr, err)
	}
	o := &opsServer{ln: ln, log: log, checks: checks}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.HandleFunc("GET /healthz", o.health)
	o.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return o, nil
}

func (o *opsServer) Addr() string { return o.ln.Addr().String() }

func (o *opsServer) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{"status": "healthy"}
	code := http.StatusOK
	for _, c := range o.checks {
		if err := c.fn(ctx); err != nil {
			status[c.name] = err.Error()
			status["status"] = "unhealthy"
			code = http.StatusServiceUnavailable
		} else {
			status[c.name] = "ok"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(status)
}

// Run serves until ctx ends.
func (o *opsServer) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- o.srv.Serve(o.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down ops server: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
