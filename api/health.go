package api

import (
	"context"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
)

// Health statuses of GET /healthz.
const (
	statusHealthy   = "healthy"   // every dependency answers
	statusDegraded  = "degraded"  // queries work; analytics (ClickHouse) are down or off
	statusUnhealthy = "unhealthy" // queries cannot be answered: Redis or Kafka is down
)

// Dependency states.
const (
	depConnected    = "connected"
	depDisconnected = "disconnected"
	depDisabled     = "disabled"
)

// healthResponse is API-SPEC.md's health document plus "kafka".
type healthResponse struct {
	Status        string `json:"status"`
	Timestamp     string `json:"timestamp"`
	Version       string `json:"version"`
	UptimeSeconds int64  `json:"uptime_seconds"`
	Database      string `json:"database"` // ClickHouse
	Redis         string `json:"redis"`
	LLMService    string `json:"llm_service"` // always "not_used": ranking calls no LLM
	Kafka         string `json:"kafka"`
}

// health pings the dependencies concurrently, each bounded by HealthTimeout, and
// answers 200 when queries can be served (healthy or degraded) and 503 when they
// cannot. The 503 body is the same health document, not an error envelope, so
// that monitors always get the per-dependency states.
func (s *Server) health(c *gin.Context) {
	ctx := c.Request.Context()
	pingers := [3]Pinger{s.deps.Redis, s.deps.Kafka, s.deps.ClickHouse}
	names := [3]string{"redis", "kafka", "clickhouse"}
	var errs [3]error
	var wg sync.WaitGroup
	for i, p := range pingers {
		if p == nil {
			continue
		}
		wg.Go(func() {
			pctx, cancel := context.WithTimeout(ctx, s.cfg.HealthTimeout)
			defer cancel()
			errs[i] = p.Ping(pctx)
		})
	}
	wg.Wait()

	state := func(i int) string {
		switch {
		case pingers[i] == nil:
			return depDisabled
		case errs[i] != nil:
			s.log.WarnContext(ctx, "health check failed", "dependency", names[i], "request_id", requestID(c), "err", errs[i])
			return depDisconnected
		}
		return depConnected
	}
	now := s.now()
	resp := healthResponse{
		Timestamp:     now.UTC().Format(timeFormat),
		Version:       s.cfg.Version,
		UptimeSeconds: int64(now.Sub(s.started).Seconds()),
		Redis:         state(0),
		Kafka:         state(1),
		Database:      state(2),
		LLMService:    "not_used",
	}
	code := http.StatusOK
	switch {
	case resp.Redis != depConnected || resp.Kafka != depConnected:
		resp.Status, code = statusUnhealthy, http.StatusServiceUnavailable
	case resp.Database != depConnected:
		resp.Status = statusDegraded
	default:
		resp.Status = statusHealthy
	}
	c.JSON(code, resp)
}
