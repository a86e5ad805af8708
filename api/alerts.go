package api

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

// Alerts: each key has at most one alert of each type, stored in a Redis hash by
// type. Conditions are evaluated after every scored query and on every GET
// /query-quality/alerts. An alert is created (status "active", a new alert_id)
// when its condition starts to hold, updated while it holds (severity, value),
// and marked "resolved" when it stops holding; a resolved alert is kept for
// alertRetention, or until its condition holds again and a new alert replaces it.
//
// The conditions, with the plan's limits:
//
//	type            holds when                                       severity
//	high_cost       last query's cost per lead > 80% of the limit   warning; critical above the limit
//	low_reputation  reputation score < neutral                       warning; critical while throttled
//	rate_limit      < 10% of the minute or daily window left         info; warning when none is left
//	daily_cost      today's spend > 80% of the daily budget          warning; critical when spent
//	error_rate      > 20% of the last 20 scored queries failed       warning; critical above 50%
//	                (4xx or 5xx; needs at least 5)
const (
	alertHighCost      = "high_cost"
	alertLowReputation = "low_reputation"
	alertRateLimit     = "rate_limit"
	alertDailyCost     = "daily_cost"
	alertErrorRate     = "error_rate"
)

// Alert thresholds.
const (
	alertCostShare      = 0.8 // of the per-lead and daily cost limits
	alertRateShare      = 0.1 // of a rate window left
	alertErrorShare     = 0.2 // of recent queries failed
	alertErrorCritical  = 0.5
	alertMinRecent      = 5 // recent outcomes before the error rate is judged
	alertRetention      = 24 * time.Hour
	severityInfo        = "info"
	severityWarning     = "warning"
	severityCritical    = "critical"
	alertStatusActive   = "active"
	alertStatusResolved = "resolved"
)

func alertsKey(id string) string { return "lp:alerts:{" + id + "}" }

// alertJSON is API-SPEC.md's alert.
type alertJSON struct {
	AlertID      string  `json:"alert_id"`
	Type         string  `json:"type"`
	Severity     string  `json:"severity"`
	Message      string  `json:"message"`
	Threshold    float64 `json:"threshold"`
	CurrentValue float64 `json:"current_value"`
	CreatedAt    string  `json:"created_at"`
	Status       string  `json:"status"`
}

// storedAlert is an alert as kept in Redis.
type storedAlert struct {
	alertJSON
	ResolvedAt string `json:"resolved_at,omitempty"`
}

type alertSummaryJSON struct {
	TotalAlerts    int `json:"total_alerts"`
	CriticalAlerts int `json:"critical_alerts"`
	WarningAlerts  int `json:"warning_alerts"`
	InfoAlerts     int `json:"info_alerts"`
}

type alertsResponse struct {
	Alerts  []alertJSON      `json:"alerts"`
	Summary alertSummaryJSON `json:"summary"`
}

// condition is the state of one alert type's condition.
type condition struct {
	typ       string
	holds     bool
	severity  string
	message   string
	threshold float64
	value     float64
}

// alertInputs are what the conditions are evaluated from; nil or unknown inputs
// leave their alerts as they are.
type alertInputs struct {
	now          time.Time
	plan         Plan
	rep          *repState
	recentKnown  bool
	recentErrors int
	recentLen    int
	spentKnown   bool
	spentNano    int64
	rate         *rateDecision
}

func (s *Server) conditions(in alertInputs) []condition {
	var cs []condition
	p := in.plan
	if r := in.rep; r != nil && r.hasCPL {
		c := condition{typ: alertHighCost, threshold: alertCostShare * p.LeadCostUSD, value: roundTo(r.cpl, costScale)}
		c.holds = r.cpl > c.threshold
		c.severity = severityWarning
		if r.cpl > p.LeadCostUSD {
			c.severity = severityCritical
		}
		c.message = fmt.Sprintf("Cost per lead of the last query: $%.9f (alert above %.0f%% of the $%g limit)", r.cpl, alertCostShare*100, p.LeadCostUSD)
		cs = append(cs, c)
	}
	if r := in.rep; r != nil {
		cfg := s.cfg.Reputation
		score := cfg.current(*r, in.now)
		c := condition{typ: alertLowReputation, threshold: cfg.Neutral, value: roundTo(score, 1e4)}
		c.holds = score < cfg.Neutral
		c.severity = severityWarning
		c.message = fmt.Sprintf("Query quality reputation: %.2f (alert below %.2f; queries are throttled below %.2f)",
			score, cfg.Neutral, cfg.ThrottleBelow)
		if c.holds {
			c.message += "; main cause: " + strings.ToLower(r.reason())
		}
		if cfg.throttled(*r, in.now) {
			c.severity, c.threshold = severityCritical, cfg.ThrottleBelow
			c.message = fmt.Sprintf("Query quality reputation: %.2f, below %.2f: queries are throttled; main cause: %s",
				score, cfg.ThrottleBelow, strings.ToLower(r.reason()))
		}
		cs = append(cs, c)
	}
	if d := in.rate; d != nil {
		w := d.binding()
		if d.minute.name != "" && d.day.name != "" {
			// The window with the smaller share left.
			w = d.minute
			if float64(d.day.remaining)/float64(d.day.limit) < float64(d.minute.remaining)/float64(d.minute.limit) {
				w = d.day
			}
		}
		share := float64(w.remaining) / float64(w.limit)
		c := condition{typ: alertRateLimit, threshold: alertRateShare, value: roundTo(share, 1e4), holds: share < alertRateShare}
		c.severity = severityInfo
		if w.remaining == 0 {
			c.severity = severityWarning
		}
		c.message = fmt.Sprintf("Rate limit: %d of %d requests left in the %s window (alert below %.0f%%)", w.remaining, w.limit, w.name, alertRateShare*100)
		cs = append(cs, c)
	}
	if in.spentKnown {
		spent := fromNano(in.spentNano)
		c := condition{typ: alertDailyCost, threshold: alertCostShare * p.DailyCostUSD, value: roundTo(spent, costScale)}
		c.holds = spent > c.threshold
		c.severity = severityWarning
		if in.spentNano >= toNano(p.DailyCostUSD) {
			c.severity = severityCritical
		}
		c.message = fmt.Sprintf("Daily cost: $%.9f of the $%g budget spent today, UTC (alert above %.0f%%)", spent, p.DailyCostUSD, alertCostShare*100)
		cs = append(cs, c)
	}
	if in.recentKnown {
		c := condition{typ: alertErrorRate, threshold: alertErrorShare}
		if in.recentLen > 0 {
			c.value = roundTo(float64(in.recentErrors)/float64(in.recentLen), 1e4)
		}
		c.holds = in.recentLen >= alertMinRecent && c.value > alertErrorShare
		c.severity = severityWarning
		if c.value > alertErrorCritical {
			c.severity = severityCritical
		}
		c.message = fmt.Sprintf("Error rate: %d of the last %d queries failed (alert above %.0f%%)", in.recentErrors, in.recentLen, alertErrorShare*100)
		cs = append(cs, c)
	}
	return cs
}

// mergeAlerts applies the conditions to the stored alerts and returns the
// alerts to write and the types to delete.
func mergeAlerts(stored map[string]storedAlert, conds []condition, now time.Time) (write map[string]storedAlert, drop []string) {
	write = map[string]storedAlert{}
	ts := now.UTC().Format(timeFormat)
	for _, c := range conds {
		a, ok := stored[c.typ]
		active := ok && a.Status == alertStatusActive
		switch {
		case c.holds && active:
			if a.Severity != c.severity || a.CurrentValue != c.value || a.Threshold != c.threshold || a.Message != c.message {
				a.Severity, a.CurrentValue, a.Threshold, a.Message = c.severity, c.value, c.threshold, c.message
				write[c.typ] = a
			}
		case c.holds:
			write[c.typ] = storedAlert{alertJSON: alertJSON{
				AlertID: newID("alert_", 8), Type: c.typ, Severity: c.severity, Message: c.message,
				Threshold: c.threshold, CurrentValue: c.value, CreatedAt: ts, Status: alertStatusActive,
			}}
		case active:
			a.Status, a.ResolvedAt, a.CurrentValue, a.Message = alertStatusResolved, ts, c.value, c.message
			write[c.typ] = a
		}
	}
	for typ, a := range stored {
		if _, rewritten := write[typ]; rewritten || a.Status != alertStatusResolved {
			continue
		}
		if at, err := time.Parse(timeFormat, a.ResolvedAt); err != nil || now.Sub(at) > alertRetention {
			drop = append(drop, typ)
		}
	}
	return write, drop
}

// parseAlerts decodes the alerts hash; undecodable entries are dropped.
func parseAlerts(h map[string]string) map[string]storedAlert {
	out := make(map[string]storedAlert, len(h))
	for typ, v := range h {
		var a storedAlert
		if json.Unmarshal([]byte(v), &a) == nil {
			out[typ] = a
		}
	}
	return out
}

// updateAlerts evaluates the conditions against the stored alerts h of key id and
// writes what changed. It returns the alerts after the update.
func (s *Server) updateAlerts(ctx context.Context, id string, h map[string]string, in alertInputs) error {
	_, err := s.applyAlerts(ctx, id, parseAlerts(h), in)
	return err
}

func (s *Server) applyAlerts(ctx context.Context, id string, stored map[string]storedAlert, in alertInputs) (map[string]storedAlert, error) {
	write, drop := mergeAlerts(stored, s.conditions(in), in.now)
	if len(write) == 0 && len(drop) == 0 {
		return stored, nil
	}
	key := alertsKey(id)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for typ, a := range write {
			b, err := json.Marshal(a)
			if err != nil {
				return err
			}
			p.HSet(ctx, key, typ, b)
			stored[typ] = a
		}
		if len(drop) > 0 {
			p.HDel(ctx, key, drop...)
			for _, typ := range drop {
				delete(stored, typ)
			}
		}
		p.Expire(ctx, key, stateTTL)
		return nil
	})
	if err != nil {
		return stored, fmt.Errorf("write alerts: %w: %w", ErrUnavailable, err)
	}
	return stored, nil
}

// alerts answers GET /query-quality/alerts. It re-evaluates the conditions
// first, so that alerts whose condition stopped holding while the key was idle
// (recovered reputation, a new day) show as resolved. ?status= selects active
// (the default, API-SPEC.md's "active alerts"), resolved or all alerts; the
// summary counts the alerts listed.
func (s *Server) alerts(c *gin.Context) {
	status := c.DefaultQuery("status", alertStatusActive)
	if status != alertStatusActive && status != alertStatusResolved && status != "all" {
		s.fail(c, invalidQuery(map[string]any{"field": "status", "provided": status, "allowed": []string{alertStatusActive, alertStatusResolved, "all"}},
			"status must be active, resolved or all"))
		return
	}
	ctx := c.Request.Context()
	info, _ := keyInfo(c)
	now := s.now()
	var (
		rep    *redis.MapStringStringCmd
		recent *redis.StringSliceCmd
		spent  *redis.StringCmd
		stored *redis.MapStringStringCmd
	)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		rep = p.HGetAll(ctx, reputationKey(info.ID))
		recent = p.LRange(ctx, recentKey(info.ID), 0, -1)
		spent = p.Get(ctx, spendKey(info.ID, now))
		stored = p.HGetAll(ctx, alertsKey(info.ID))
		return nil
	})
	if err != nil {
		for _, cmd := range []redis.Cmder{rep, recent, spent, stored} {
			if err := cmd.Err(); err != nil && !isRedisNil(err) {
				s.fail(c, fmt.Errorf("read alert inputs: %w: %w", ErrUnavailable, err))
				return
			}
		}
	}
	r := s.cfg.Reputation.parseReputation(rep.Val())
	in := alertInputs{now: now, plan: keyPlan(c), rep: &r, recentKnown: true, spentKnown: true}
	for _, o := range recent.Val() {
		in.recentLen++
		if o == outcomeInvalid || o == outcomeServer {
			in.recentErrors++
		}
	}
	in.spentNano, _ = spent.Int64()
	if d, ok := requestRate(c); ok {
		in.rate = &d
	}
	all, err := s.applyAlerts(ctx, info.ID, parseAlerts(stored.Val()), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp := alertsResponse{Alerts: []alertJSON{}}
	for _, a := range all {
		if status != "all" && a.Status != status {
			continue
		}
		resp.Alerts = append(resp.Alerts, a.alertJSON)
		switch a.Severity {
		case severityCritical:
			resp.Summary.CriticalAlerts++
		case severityWarning:
			resp.Summary.WarningAlerts++
		default:
			resp.Summary.InfoAlerts++
		}
	}
	resp.Summary.TotalAlerts = len(resp.Alerts)
	rank := map[string]int{severityCritical: 0, severityWarning: 1, severityInfo: 2}
	slices.SortFunc(resp.Alerts, func(a, b alertJSON) int {
		return cmp.Or(
			cmp.Compare(statusRank(a.Status), statusRank(b.Status)),
			cmp.Compare(rank[a.Severity], rank[b.Severity]),
			cmp.Compare(b.CreatedAt, a.CreatedAt),
			cmp.Compare(a.Type, b.Type),
		)
	})
	c.JSON(http.StatusOK, resp)
}

// isRedisNil reports a missing key.
func isRedisNil(err error) bool { return errors.Is(err, redis.Nil) }

func statusRank(s string) int {
	if s == alertStatusActive {
		return 0
	}
	return 1
}
