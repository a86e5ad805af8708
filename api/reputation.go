package api

import (
	"context"
	"flag"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/leadpoet/leadpoet/scorer"
)

// ReputationConfig configures the query-quality reputation of each key.
//
// Every query the API processes for a key is scored from 0 (useless) to 1 and
// folded into the key's reputation, an exponentially weighted moving average:
// score ← score + Alpha·(quality − score). A new key starts at Initial. A score
// below Neutral recovers toward Neutral with time, halving its distance to it
// every RecoveryHalfLife, whether or not the key sends queries; a score above
// Neutral changes only with queries.
//
// The quality of a query:
//
//   - answered (200): 0.4·specificity + 0.4·results + 0.2·cost efficiency, where
//     specificity = 0.5·min(product terms/3, 1) + 0.3·min(filter kinds/2, 1) +
//     0.2·min(prompt characters/60, 1), from the engine's interpretation of the
//     prompt (product terms, and the industry, size, location and technology
//     filters given or read from the prompt, plus job-title and domain filters);
//     results = min(leads returned/min(limit, 5), 1), so an empty answer is 0 and
//     one lead of five wanted is 0.2; cost efficiency = 1 − cost per
//     lead/the plan's per-lead limit, clamped to [0, 1], and 0 without leads;
//   - withheld for its cost (429 COST_LIMIT_EXCEEDED after ranking): as answered,
//     with cost efficiency 0;
//   - invalid (400 INVALID_QUERY, 413): 0;
//   - failed on the server side (5xx): Neutral, so outages never throttle
//     clients, though they count as failed queries and in the error rate.
//
// Requests refused before any work (401, 403, 429 RATE_LIMIT_EXCEEDED,
// QUERY_THROTTLED, and COST_LIMIT_EXCEEDED before ranking) are not scored.
//
// A key with at least MinQueries scored queries whose score is below
// ThrottleBelow is throttled: POST /query answers 429 QUERY_THROTTLED, with
// Retry-After set to when recovery will have lifted the score back to
// ThrottleBelow (with the defaults, a key throttled at 0.12 waits about 9
// minutes). Throttled requests are not scored, so a throttled key recovers by
// time alone; after that, each poor query may throttle it again (for about two
// minutes with the defaults), which holds a persistently poor client to about
// one query every two minutes, while good queries raise the score at once.
type ReputationConfig struct {
	Alpha            float64       // weight of the newest query in the moving averages, in (0, 1]
	Initial          float64       // score of a key without queries, in [0, 1]
	Neutral          float64       // target of the time-based recovery, in (0, 1]
	RecoveryHalfLife time.Duration // time for a low score to halve its distance to Neutral
	ThrottleBelow    float64       // throttle a key scoring below this; 0 never throttles
	MinQueries       int           // scored queries before a key can be throttled
}

// DefaultReputationConfig returns the defaults the flags document.
func DefaultReputationConfig() ReputationConfig {
	return ReputationConfig{
		Alpha:            0.1,
		Initial:          1,
		Neutral:          0.5,
		RecoveryHalfLife: 10 * time.Minute,
		ThrottleBelow:    0.3,
		MinQueries:       20,
	}
}

func (c *ReputationConfig) registerFlags(fs *flag.FlagSet, prefix string) {
	d := DefaultReputationConfig()
	fs.Float64Var(&c.Alpha, prefix+"alpha", d.Alpha,
		"Reputation: weight of the newest query in a key's moving averages, in (0, 1]. Default 0.1.")
	fs.Float64Var(&c.Initial, prefix+"initial", d.Initial,
		"Reputation: score of a key that has sent no queries, in [0, 1]. Default 1.")
	fs.Float64Var(&c.Neutral, prefix+"neutral", d.Neutral,
		"Reputation: score that a lower score recovers toward with time, in (0, 1]. Default 0.5.")
	fs.DurationVar(&c.RecoveryHalfLife, prefix+"recovery-half-life", d.RecoveryHalfLife,
		"Reputation: time for a score below neutral to halve its distance to neutral (duration). Default 10m.")
	fs.Float64Var(&c.ThrottleBelow, prefix+"throttle-below", d.ThrottleBelow,
		"Reputation: POST /query answers 429 QUERY_THROTTLED while a key scores below this; 0 never throttles. Default 0.3.")
	fs.IntVar(&c.MinQueries, prefix+"min-queries", d.MinQueries,
		"Reputation: scored queries a key must have sent before it can be throttled. Default 20.")
}

func (c ReputationConfig) validate(prefix string) error {
	in := func(v, lo, hi float64) bool { return v >= lo && v <= hi }
	switch {
	case !(c.Alpha > 0 && c.Alpha <= 1):
		return fmt.Errorf("%salpha: must be in (0, 1], got %v", prefix, c.Alpha)
	case !in(c.Initial, 0, 1):
		return fmt.Errorf("%sinitial: must be in [0, 1], got %v", prefix, c.Initial)
	case !(c.Neutral > 0 && c.Neutral <= 1):
		return fmt.Errorf("%sneutral: must be in (0, 1], got %v", prefix, c.Neutral)
	case c.RecoveryHalfLife <= 0:
		return fmt.Errorf("%srecovery-half-life: must be positive, got %s", prefix, c.RecoveryHalfLife)
	case !(c.ThrottleBelow >= 0 && c.ThrottleBelow < c.Neutral):
		return fmt.Errorf("%sthrottle-below: must be in [0, neutral), so that throttled keys recover; got %v", prefix, c.ThrottleBelow)
	case c.MinQueries < 1:
		return fmt.Errorf("%smin-queries: must be at least 1, got %d", prefix, c.MinQueries)
	}
	return nil
}

// Weights of a query's quality (see ReputationConfig).
const (
	weightSpecificity = 0.4
	weightResults     = 0.4
	weightCost        = 0.2

	weightTerms   = 0.5
	weightFilters = 0.3
	weightLength  = 0.2

	fullTerms   = 3  // product terms for full marks
	fullFilters = 2  // filter kinds for full marks
	fullLength  = 60 // prompt characters for full marks
	fullResults = 5  // leads for full marks (or the limit, if smaller)
)

// Outcomes of a scored query, as kept in the recent-outcomes list.
const (
	outcomeOK      = "ok"      // answered
	outcomeInvalid = "invalid" // 400 or 413
	outcomeServer  = "server"  // 5xx
	outcomeCost    = "cost"    // withheld for its cost after ranking
)

// recentWindow is how many recent outcomes are kept per key for the error rate.
const recentWindow = 20

// stateTTL bounds how long the per-key state of an idle key is kept.
const stateTTL = 30 * 24 * time.Hour

// Redis keys of a key's reputation: a hash of moving averages and counters, and a
// list of its recentWindow latest outcomes.
func reputationKey(id string) string { return "lp:rep:{" + id + "}" }
func recentKey(id string) string     { return "lp:recent:{" + id + "}" }

// components are the parts of an answered query's quality.
type components struct {
	spec, filt, res, ce float64
}

func (q components) quality() float64 {
	return weightSpecificity*q.spec + weightResults*q.res + weightCost*q.ce
}

// queryComponents scores an answered query.
func queryComponents(prompt string, f scorer.Filters, in scorer.Interpretation, limit, leads int, costPerLead, leadLimit float64) components {
	terms := 0
	for _, t := range in.Terms {
		if !strings.Contains(t, "_") { // bigrams such as customer_support repeat their words
			terms++
		}
	}
	kinds := 0
	for _, given := range []bool{
		len(in.Industries) > 0, len(in.CompanySizes) > 0, in.Location != "",
		len(in.Technologies) > 0 || len(in.ExcludedTechnologies) > 0,
		len(f.JobTitles) > 0, len(f.Exclude) > 0,
	} {
		if given {
			kinds++
		}
	}
	filt := min(float64(kinds)/fullFilters, 1)
	spec := weightTerms*min(float64(terms)/fullTerms, 1) + weightFilters*filt +
		weightLength*min(float64(utf8.RuneCountInString(prompt))/fullLength, 1)
	res := min(float64(leads)/float64(max(min(limit, fullResults), 1)), 1)
	ce := 0.0
	if leads > 0 {
		ce = math.Max(0, math.Min(1, 1-costPerLead/leadLimit))
	}
	return components{spec: spec, filt: filt, res: res, ce: ce}
}

// repState is a key's reputation as stored.
type repState struct {
	score             float64
	updated           time.Time // of the last scored query; zero if none
	total, ok, failed int64
	sumMS             float64 // processing time of the scored queries
	hasComps          bool    // spec, filt, res and ce are known
	spec, filt        float64
	res, ce           float64
	clientErr         float64 // moving average of "the query was invalid"
	hasSlot           bool
	slot              float64 // moving average of the cost per requested lead (limit), USD
	hasCPL            bool
	cpl               float64 // cost per lead of the last answered query, USD
}

// parseReputation reads a reputation hash; fields it lacks take their initial
// values.
func (c ReputationConfig) parseReputation(h map[string]string) repState {
	r := repState{score: c.Initial}
	f := func(name string) (float64, bool) {
		v, ok := h[name]
		if !ok {
			return 0, false
		}
		x, err := strconv.ParseFloat(v, 64)
		return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	i := func(name string) int64 {
		x, _ := f(name)
		return int64(x)
	}
	if v, ok := f("s"); ok {
		r.score = v
	}
	if v, ok := f("t"); ok {
		r.updated = time.UnixMilli(int64(v))
	}
	r.total, r.ok, r.failed = i("n"), i("ok"), i("fail")
	r.sumMS, _ = f("ms")
	var ok [4]bool
	r.spec, ok[0] = f("spec")
	r.filt, ok[1] = f("filt")
	r.res, ok[2] = f("res")
	r.ce, ok[3] = f("ce")
	r.hasComps = ok[0] && ok[1] && ok[2] && ok[3]
	r.clientErr, _ = f("cerr")
	r.slot, r.hasSlot = f("slot")
	r.cpl, r.hasCPL = f("cpl")
	return r
}

// current is r's score as of now, after time-based recovery.
func (c ReputationConfig) current(r repState, now time.Time) float64 {
	if r.score >= c.Neutral || r.updated.IsZero() || !now.After(r.updated) {
		return r.score
	}
	halves := float64(now.Sub(r.updated)) / float64(c.RecoveryHalfLife)
	return c.Neutral - (c.Neutral-r.score)*math.Pow(2, -halves)
}

// throttled reports whether r's key is throttled at now.
func (c ReputationConfig) throttled(r repState, now time.Time) bool {
	return c.ThrottleBelow > 0 && r.total >= int64(c.MinQueries) && c.current(r, now) < c.ThrottleBelow
}

// recoveryTime is how long a score needs to recover to ThrottleBelow.
func (c ReputationConfig) recoveryTime(score float64) time.Duration {
	if score >= c.ThrottleBelow {
		return 0
	}
	halves := math.Log2((c.Neutral - score) / (c.Neutral - c.ThrottleBelow))
	return time.Duration(math.Ceil(halves * float64(c.RecoveryHalfLife)))
}

// Reasons a score is low, by the part of the quality that pulled it down.
const (
	reasonInvalid = "Many queries fail validation"
	reasonVague   = "Queries are too vague"
	reasonEmpty   = "Queries return few or no leads"
	reasonCost    = "High cost per lead"
	reasonOther   = "Low query quality"
)

// reason names what pulled r's score down most: each part's share of the
// quality lost, weighted by how often queries were valid.
func (r repState) reason() string {
	best, why := 0.0, reasonOther
	consider := func(loss float64, w string) {
		if loss > best {
			best, why = loss, w
		}
	}
	consider(r.clientErr, reasonInvalid)
	if r.hasComps {
		valid := 1 - r.clientErr
		consider(valid*weightSpecificity*(1-r.spec), reasonVague)
		consider(valid*weightResults*(1-r.res), reasonEmpty)
		consider(valid*weightCost*(1-r.ce), reasonCost)
	}
	return why
}

// recommendations are the advice for what lowers r's quality, most important
// first; none for a key without problems.
func (r repState) recommendations() []string {
	recs := []string{}
	if r.total > 0 && r.clientErr > 0.2 {
		recs = append(recs, "Check requests before sending them: query must be 10 to 1000 characters, limit 1 to 2000, "+
			"and the error details name the field at fault")
	}
	if !r.hasComps {
		return recs
	}
	if r.spec < 0.5 {
		recs = append(recs, "Consider using more specific queries: name the product and the buyer, e.g. "+
			"\"Find SaaS companies with 50-200 employees looking for customer support software\"")
	}
	if r.filt < 0.5 {
		recs = append(recs, "Add industry, company size or location filters to reduce noise")
	}
	if r.res < 0.6 {
		recs = append(recs, "Many queries return few or no leads: use more common product terms or broaden the filters")
	}
	if r.ce < 0.5 {
		recs = append(recs, "Limit results to improve cost efficiency")
	}
	return recs
}

// Throttle statuses of GET /query-quality/reputation.
const (
	throttleNone    = "none"    // the score is at or above neutral
	throttleWarning = "warning" // below neutral, not (yet) throttled
	throttleActive  = "active"  // POST /query answers 429 QUERY_THROTTLED
)

// reputationJSON is API-SPEC.md's reputation document.
type reputationJSON struct {
	APIKey                string   `json:"api_key"`
	ReputationScore       float64  `json:"reputation_score"`
	TotalQueries          int64    `json:"total_queries"`
	SuccessfulQueries     int64    `json:"successful_queries"`
	FailedQueries         int64    `json:"failed_queries"`
	AverageResponseTimeMS float64  `json:"average_response_time_ms"`
	CostEfficiency        float64  `json:"cost_efficiency"`
	ThrottleStatus        string   `json:"throttle_status"`
	ThrottleReason        string   `json:"throttle_reason"`
	Recommendations       []string `json:"recommendations"`
}

// maskKeyID shows the start of a key id, never a secret: "lpk_1a2b...".
func maskKeyID(id string) string {
	const shown = 8
	if len(id) > shown {
		id = id[:shown]
	}
	return id + "..."
}

// reputation answers GET /query-quality/reputation.
func (s *Server) reputation(c *gin.Context) {
	info, _ := keyInfo(c)
	now := s.now()
	r, err := s.readReputation(c.Request.Context(), info.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	cfg := s.cfg.Reputation
	score := cfg.current(r, now)
	resp := reputationJSON{
		APIKey:            maskKeyID(info.ID),
		ReputationScore:   roundTo(score, 1e4),
		TotalQueries:      r.total,
		SuccessfulQueries: r.ok,
		FailedQueries:     r.failed,
		CostEfficiency:    1,
		ThrottleStatus:    throttleNone,
		Recommendations:   r.recommendations(),
	}
	if r.total > 0 {
		resp.AverageResponseTimeMS = roundTo(r.sumMS/float64(r.total), 10)
	}
	if r.hasComps {
		resp.CostEfficiency = roundTo(r.ce, 1e4)
	}
	switch {
	case cfg.throttled(r, now):
		resp.ThrottleStatus, resp.ThrottleReason = throttleActive, r.reason()
	case score < cfg.Neutral:
		resp.ThrottleStatus, resp.ThrottleReason = throttleWarning, r.reason()
	}
	c.JSON(http.StatusOK, resp)
}

// readReputation reads a key's reputation.
func (s *Server) readReputation(ctx context.Context, id string) (repState, error) {
	h, err := s.rdb.HGetAll(ctx, reputationKey(id)).Result()
	if err != nil {
		return repState{}, fmt.Errorf("read reputation: %w: %w", ErrUnavailable, err)
	}
	return s.cfg.Reputation.parseReputation(h), nil
}

// throttledError is the 429 QUERY_THROTTLED of a throttled key.
func (s *Server) throttledError(r repState, now time.Time) *httpError {
	cfg := s.cfg.Reputation
	score := cfg.current(r, now)
	retry := ceilSeconds(cfg.recoveryTime(score))
	return &httpError{
		status: http.StatusTooManyRequests, code: codeThrottled,
		message: fmt.Sprintf("Query quality reputation %.2f is below %.2f (%s); queries are throttled until it recovers, in about %d s. "+
			"GET /query-quality/reputation has recommendations", score, cfg.ThrottleBelow, strings.ToLower(r.reason()), retry),
		details: map[string]any{
			"reputation_score":    roundTo(score, 1e4),
			"threshold":           cfg.ThrottleBelow,
			"reason":              r.reason(),
			"retry_after_seconds": retry,
		},
		retryAfter: retry,
	}
}

// outcome is one scored query.
type outcome struct {
	kind       string
	comps      *components // answered or withheld for cost
	elapsed    time.Duration
	cpl        float64 // cost per lead; < 0 unknown
	slot       float64 // cost per requested lead; < 0 unknown
	spendKey   string
	spendDelta int64 // nano-USD added to the day's spend: settles or releases a reservation
}

func (s *Server) quality(o outcome) float64 {
	switch {
	case o.comps != nil:
		return o.comps.quality()
	case o.kind == outcomeServer:
		return s.cfg.Reputation.Neutral
	}
	return 0
}

// recordScript applies one outcome to a key's state in one step: it recovers
// and updates the score and moving averages, counts the query, pushes its
// outcome onto the recent list, settles the day's spend, and returns what the
// alerts are evaluated from: the reputation hash, the errors among the recent
// outcomes and their number, the day's spend, and the stored alerts.
var recordScript = redis.NewScript(`
local rep, recent, spend, alerts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, kind = tonumber(ARGV[1]), ARGV[2]
local alpha, neutral, half = tonumber(ARGV[13]), tonumber(ARGV[15]), tonumber(ARGV[16])
local function put(field, x) redis.call('HSET', rep, field, string.format('%.17g', x)) end
local function ewma(field, arg)
  if arg == '' then return end
  local x = tonumber(arg)
  local old = tonumber(redis.call('HGET', rep, field))
  if old then x = old + alpha * (x - old) end
  put(field, x)
end
local cur = redis.call('HMGET', rep, 's', 't')
local score = tonumber(cur[1]) or tonumber(ARGV[14])
local t = tonumber(cur[2])
if t and score < neutral and now > t then
  score = neutral - (neutral - score) * math.pow(2, -(now - t) / half)
end
put('s', score + alpha * (tonumber(ARGV[3]) - score))
redis.call('HSET', rep, 't', ARGV[1])
redis.call('HINCRBY', rep, 'n', 1)
if kind == 'ok' then redis.call('HINCRBY', rep, 'ok', 1) else redis.call('HINCRBY', rep, 'fail', 1) end
redis.call('HINCRBYFLOAT', rep, 'ms', ARGV[8])
ewma('spec', ARGV[4])
ewma('filt', ARGV[5])
ewma('res', ARGV[6])
ewma('ce', ARGV[7])
if kind == 'invalid' then ewma('cerr', '1') else ewma('cerr', '0') end
ewma('slot', ARGV[10])
if ARGV[9] ~= '' then redis.call('HSET', rep, 'cpl', ARGV[9]) end
redis.call('EXPIRE', rep, ARGV[18])
redis.call('LPUSH', recent, kind)
redis.call('LTRIM', recent, 0, tonumber(ARGV[17]) - 1)
redis.call('EXPIRE', recent, ARGV[18])
local errs = 0
local outcomes = redis.call('LRANGE', recent, 0, -1)
for _, k in ipairs(outcomes) do
  if k == 'invalid' or k == 'server' then errs = errs + 1 end
end
local spent
if tonumber(ARGV[11]) ~= 0 then
  spent = redis.call('INCRBY', spend, ARGV[11])
  redis.call('EXPIRE', spend, ARGV[12])
else
  spent = tonumber(redis.call('GET', spend) or '0')
end
return {redis.call('HGETALL', rep), errs, #outcomes, spent, redis.call('HGETALL', alerts)}
`)

// record scores one query of the request's key, settles its spend and updates
// its alerts. It runs after the response is decided but before it is written, so
// that a client reading its reputation next sees this query. Failures are
// logged, not returned: the client's answer does not depend on them.
func (s *Server) record(c *gin.Context, now time.Time, o outcome) {
	info, _ := keyInfo(c)
	plan := keyPlan(c)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), s.cfg.QueryTimeout)
	defer cancel()
	if o.spendKey == "" {
		o.spendKey = spendKey(info.ID, now)
	}
	opt := func(x float64, ok bool) string {
		if !ok {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	var comps [4]string
	if o.comps != nil {
		for i, v := range []float64{o.comps.spec, o.comps.filt, o.comps.res, o.comps.ce} {
			comps[i] = opt(v, true)
		}
	}
	cfg := s.cfg.Reputation
	v, err := recordScript.Run(ctx, s.rdb,
		[]string{reputationKey(info.ID), recentKey(info.ID), o.spendKey, alertsKey(info.ID)},
		now.UnixMilli(), o.kind, opt(s.quality(o), true),
		comps[0], comps[1], comps[2], comps[3],
		opt(float64(o.elapsed)/float64(time.Millisecond), true),
		opt(o.cpl, o.cpl >= 0), opt(o.slot, o.slot >= 0),
		o.spendDelta, int64(spendTTL/time.Second),
		opt(cfg.Alpha, true), opt(cfg.Initial, true), opt(cfg.Neutral, true), cfg.RecoveryHalfLife.Milliseconds(),
		recentWindow, int64(stateTTL/time.Second),
	).Slice()
	if err == nil && len(v) != 5 {
		err = fmt.Errorf("record script returned %d values, want 5", len(v))
	}
	if err != nil {
		s.log.WarnContext(ctx, "record query outcome", "request_id", requestID(c), "key_id", info.ID, "err", err)
		return
	}
	errs, _ := v[1].(int64)
	n, _ := v[2].(int64)
	spent, _ := v[3].(int64)
	rep := cfg.parseReputation(flatMap(v[0]))
	in := alertInputs{
		now: now, plan: plan, rep: &rep,
		recentKnown: true, recentErrors: int(errs), recentLen: int(n),
		spentKnown: true, spentNano: spent,
	}
	if d, ok := requestRate(c); ok {
		in.rate = &d
	}
	if err := s.updateAlerts(ctx, info.ID, flatMap(v[4]), in); err != nil {
		s.log.WarnContext(ctx, "update alerts", "request_id", requestID(c), "key_id", info.ID, "err", err)
	}
}

// flatMap turns a Lua HGETALL reply into a map.
func flatMap(v any) map[string]string {
	list, _ := v.([]any)
	m := make(map[string]string, len(list)/2)
	for i := 0; i+1 < len(list); i += 2 {
		k, _ := list[i].(string)
		val, _ := list[i+1].(string)
		m[k] = val
	}
	return m
}
