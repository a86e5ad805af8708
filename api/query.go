package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// Request limits of POST /query. The query and limit bounds are API-SPEC.md's;
// the filter bounds are ours, to keep one request's work bounded.
const (
	minQueryLen       = 10   // characters, after trimming
	maxQueryLen       = 1000 // characters, after trimming
	defaultLimit      = 25
	maxLimit          = 2000
	maxFilterValues   = 100 // entries per filter list
	maxFilterValueLen = 200 // characters per filter value, and for location
)

// statusClientClosedRequest is logged and counted when the client goes away before
// the answer is ready (the nginx convention); nobody receives it.
const statusClientClosedRequest = 499

// queryRequest is the POST /query body. Unknown fields are ignored, for
// compatibility with newer clients.
type queryRequest struct {
	Query   string          `json:"query"`
	Limit   json.RawMessage `json:"limit"` // parsed by parseLimit: 25 and 25.0 are both accepted
	Filters *queryFilters   `json:"filters"`
	// MaxCostUSD, a compatible extension, lowers the per-query cost ceiling of
	// the key's plan for this query; parsed by parseMaxCost.
	MaxCostUSD json.RawMessage `json:"max_cost_usd"`
}

type queryFilters struct {
	Industries   []string `json:"industries"`
	CompanySize  []string `json:"company_size"`
	Location     string   `json:"location"`
	Exclude      []string `json:"exclude"`
	Technologies []string `json:"technologies"`
	JobTitles    []string `json:"job_titles"`
}

// parsedQuery is a validated request.
type parsedQuery struct {
	prompt  string
	limit   int
	filters scorer.Filters
	maxCost float64 // 0: the plan's ceiling
}

// queryResponse is API-SPEC.md's response; fields after the spec's are compatible
// extensions.
type queryResponse struct {
	Leads    []leadJSON   `json:"leads"`
	Metadata metadataJSON `json:"metadata"`
}

type leadJSON struct {
	LeadID        string         `json:"lead_id"`
	CompanyName   string         `json:"company_name"`
	Domain        string         `json:"domain"`
	Industry      string         `json:"industry"`
	CompanySize   string         `json:"company_size"` // "" when the size is unknown
	Location      string         `json:"location"`
	Score         float64        `json:"score"`
	Confidence    float64        `json:"confidence"`
	ContactInfo   contactJSON    `json:"contact_info"`
	IntentSignals []string       `json:"intent_signals"`
	Evidence      []evidenceJSON `json:"evidence"`
}

type contactJSON struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

type evidenceJSON struct {
	Kind       string `json:"kind"`
	Source     string `json:"source"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	Snippet    string `json:"snippet"`
	ObservedAt string `json:"observed_at"` // RFC 3339, "" when unknown
}

type metadataJSON struct {
	TotalLeads       int                   `json:"total_leads"`
	QueryProcessed   string                `json:"query_processed"`
	ProcessingTimeMS int64                 `json:"processing_time_ms"`
	CostUSD          float64               `json:"cost_usd"`
	LLMCalls         int                   `json:"llm_calls"`
	CacheHitRate     float64               `json:"cache_hit_rate"`
	QueryID          string                `json:"query_id"`
	Interpretation   scorer.Interpretation `json:"interpretation"`
	CostBreakdown    costBreakdownJSON     `json:"cost_breakdown"`
}

// query answers POST /query. It runs after authentication, the scope check and
// the rate limiter. In order, it refuses throttled keys (429 QUERY_THROTTLED),
// validates the request (400), refuses queries whose estimated cost is above the
// per-query ceiling or does not fit in what is left of the key's daily budget
// (429 COST_LIMIT_EXCEEDED), ranks, prices the answer and withholds it if its
// actual cost per lead or per query is above the limits (429
// COST_LIMIT_EXCEEDED). Every query that got past the throttle and the
// estimate is scored for the key's reputation (see ReputationConfig).
//
// The estimate is the key's moving average of cost per requested lead (cost /
// limit) times the limit; before the key's first answered query, the data part
// of the cost model for limit leads.
func (s *Server) query(c *gin.Context) {
	start := s.now()
	ctx := c.Request.Context()
	info, _ := keyInfo(c)
	plan := keyPlan(c)

	rep, err := s.readReputation(ctx, info.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.cfg.Reputation.throttled(rep, start) {
		s.fail(c, s.throttledError(rep, start))
		return
	}

	body, err := readBody(c.Request, s.cfg.MaxBodyBytes)
	if err != nil {
		s.record(c, start, outcome{kind: outcomeInvalid, elapsed: s.now().Sub(start), cpl: -1, slot: -1})
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			s.payloadTooLarge(c)
			return
		}
		s.fail(c, invalidQuery(nil, "Could not read the request body"))
		return
	}
	q, err := parseQuery(body, plan.QueryCostUSD)
	logEntry := queryLogOf(c)
	if logEntry != nil && err == nil {
		logEntry.prompt, logEntry.limit, logEntry.filters = q.prompt, q.limit, filtersOf(q.filters)
	}
	if err != nil {
		s.record(c, start, outcome{kind: outcomeInvalid, elapsed: s.now().Sub(start), cpl: -1, slot: -1})
		s.fail(c, err)
		return
	}

	ceiling := plan.QueryCostUSD
	if q.maxCost > 0 {
		ceiling = q.maxCost
	}
	est := s.cfg.Cost.Breakdown(Usage{Leads: q.limit}).Total()
	if rep.hasSlot {
		est = rep.slot * float64(q.limit)
	}
	if est > ceiling {
		s.fail(c, queryCostError(ceiling, est, true, q.maxCost > 0))
		return
	}
	day := spendKey(info.ID, start)
	estNano := max(toNano(est), 1)
	ok, spent, err := s.reserve(ctx, day, estNano, toNano(plan.DailyCostUSD))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !ok {
		s.fail(c, s.dailyCostError(plan, spent, estNano, start))
		return
	}
	// From here the reservation is settled by record, or released.
	recorded := false
	defer func() {
		if !recorded { // the ranker panicked
			s.record(c, start, outcome{kind: outcomeServer, elapsed: s.now().Sub(start), cpl: -1, slot: -1, spendKey: day, spendDelta: -estNano})
		}
	}()

	rctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	res, err := s.ranker.Rank(rctx, scorer.Query{Prompt: q.prompt, Limit: q.limit, Filters: q.filters, Now: start})
	cancel()
	if err != nil {
		recorded = true
		if ctx.Err() != nil {
			s.release(ctx, day, estNano)
			s.log.DebugContext(ctx, "client went away during ranking", "request_id", requestID(c), "err", err)
			c.AbortWithStatus(statusClientClosedRequest)
			return
		}
		s.record(c, start, outcome{kind: outcomeServer, elapsed: s.now().Sub(start), cpl: -1, slot: -1, spendKey: day, spendDelta: -estNano})
		s.fail(c, fmt.Errorf("rank query: %w", err))
		return
	}

	resp := queryResponse{Leads: leadsJSON(res.Leads, q.limit)}
	elapsed := s.now().Sub(start)
	n := len(resp.Leads)
	cost, parts := s.cfg.Cost.priceQuery(Usage{
		Processing: elapsed,
		StoreOps:   len(res.Interpretation.Terms) + res.Candidates,
		Leads:      n,
	})
	if logEntry != nil {
		logEntry.interpretation, logEntry.costUSD = res.Interpretation, cost
	}
	perLead := -1.0
	if n > 0 {
		perLead = cost / float64(n)
		s.metrics.costPerLead.Set(perLead)
	}
	comps := queryComponents(q.prompt, q.filters, res.Interpretation, q.limit, n, perLead, plan.LeadCostUSD)
	o := outcome{kind: outcomeOK, comps: &comps, elapsed: elapsed, cpl: perLead, slot: cost / float64(q.limit), spendKey: day}
	var refuse *httpError
	switch {
	case n > 0 && perLead > plan.LeadCostUSD:
		refuse = leadCostError(plan, cost, n)
	case cost > ceiling:
		refuse = queryCostError(ceiling, cost, false, q.maxCost > 0)
	}
	recorded = true
	if refuse != nil {
		comps.ce = 0
		o.kind, o.spendDelta = outcomeCost, -estNano
		s.record(c, start, o)
		s.fail(c, refuse)
		return
	}
	o.spendDelta = toNano(cost) - estNano
	s.record(c, start, o)
	if logEntry != nil {
		logEntry.results, logEntry.domains = n, topDomains(resp.Leads)
	}

	interp := res.Interpretation
	if interp.Terms == nil {
		interp.Terms = []string{}
	}
	resp.Metadata = metadataJSON{
		TotalLeads:       max(res.TotalMatches, n),
		QueryProcessed:   q.prompt,
		ProcessingTimeMS: elapsed.Milliseconds(),
		CostUSD:          cost,
		LLMCalls:         0, // ranking uses no LLM
		CacheHitRate:     0, // no response cache yet
		QueryID:          queryIDOf(c),
		Interpretation:   interp,
		CostBreakdown:    parts,
	}
	c.JSON(http.StatusOK, resp)
}

// filtersOf renders validated filters with the request's field names.
func filtersOf(f scorer.Filters) queryFilters {
	return queryFilters{Industries: f.Industries, CompanySize: f.CompanySizes, Location: f.Location,
		Exclude: f.Exclude, Technologies: f.Technologies, JobTitles: f.JobTitles}
}

// readBody reads the whole body. A declared or actual length above max yields an
// *http.MaxBytesError.
func readBody(r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		return nil, &http.MaxBytesError{Limit: max}
	}
	if r.Body == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parseQuery decodes and validates a POST /query body; maxCost is the plan's
// per-query ceiling, the most max_cost_usd may be. Every error is an *httpError
// with code INVALID_QUERY whose details name the field at fault.
func parseQuery(body []byte, maxCost float64) (parsedQuery, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return parsedQuery{}, invalidQuery(map[string]any{"expected": "object"},
			"Request body is empty; send a JSON object with a query field")
	}
	if !utf8.Valid(body) { // encoding/json would silently replace the bad bytes
		return parsedQuery{}, invalidQuery(map[string]any{"expected": "UTF-8"}, "Request body is not valid UTF-8")
	}
	var req queryRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return parsedQuery{}, decodeError(err)
	}

	prompt := strings.TrimSpace(req.Query)
	switch n := utf8.RuneCountInString(prompt); {
	case n < minQueryLen:
		return parsedQuery{}, invalidQuery(map[string]any{"field": "query", "min_length": minQueryLen, "provided_length": n},
			"Query must be at least %d characters long", minQueryLen)
	case n > maxQueryLen:
		return parsedQuery{}, invalidQuery(map[string]any{"field": "query", "max_length": maxQueryLen, "provided_length": n},
			"Query must be at most %d characters long", maxQueryLen)
	}

	limit, err := parseLimit(req.Limit)
	if err != nil {
		return parsedQuery{}, err
	}
	filters, err := parseFilters(req.Filters)
	if err != nil {
		return parsedQuery{}, err
	}
	ceiling, err := parseMaxCost(req.MaxCostUSD, maxCost)
	if err != nil {
		return parsedQuery{}, err
	}
	return parsedQuery{prompt: prompt, limit: limit, filters: filters, maxCost: ceiling}, nil
}

// parseMaxCost accepts absent or null (0: the plan's ceiling), or a number in
// (0, ceiling].
func parseMaxCost(raw json.RawMessage, ceiling float64) (float64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	details := map[string]any{"field": "max_cost_usd", "expected": "number", "exclusive_min": 0, "max": ceiling}
	switch raw[0] {
	case '"', '{', '[', 't', 'f':
		details["provided_type"] = jsonKind(rawKind(raw[0]))
		return 0, invalidQuery(details, "max_cost_usd must be a number")
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err == nil && len(raw) <= 32 {
		details["provided"] = json.Number(raw)
	}
	if err != nil || !(f > 0) || f > ceiling {
		return 0, invalidQuery(details, "max_cost_usd must be a positive number of US dollars, at most %g", ceiling)
	}
	return f, nil
}

// decodeError describes a json.Unmarshal failure of the request body.
func decodeError(err error) error {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if te.Field == "" {
			return invalidQuery(map[string]any{"expected": "object", "provided_type": jsonKind(te.Value)},
				"Request body must be a JSON object")
		}
		want := expectedType(te.Field)
		return invalidQuery(map[string]any{"field": te.Field, "expected": want, "provided_type": jsonKind(te.Value)},
			"%s must be %s", te.Field, withArticle(want))
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return invalidQuery(map[string]any{"offset": se.Offset}, "Request body is not valid JSON")
	}
	return invalidQuery(nil, "Request body is not valid JSON")
}

// expectedType names the JSON type of a request field, by its path.
func expectedType(field string) string {
	switch field {
	case "query", "filters.location":
		return "string"
	case "limit":
		return "integer"
	case "filters":
		return "object"
	}
	return "array of strings"
}

func withArticle(t string) string {
	switch t {
	case "integer", "object", "array of strings":
		return "an " + t
	}
	return "a " + t
}

// jsonKind maps json.UnmarshalTypeError.Value ("number 2.5", "string", "bool") to
// the JSON type name.
func jsonKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	if kind == "bool" {
		return "boolean"
	}
	return kind
}

// parseLimit accepts absent or null (the default), or an integral number in
// [1, maxLimit]; 25.0 and 2.5e1 count as 25.
func parseLimit(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return defaultLimit, nil
	}
	details := map[string]any{"field": "limit", "min": 1, "max": maxLimit}
	switch raw[0] {
	case '"', '{', '[', 't', 'f':
		details["expected"] = "integer"
		details["provided_type"] = jsonKind(rawKind(raw[0]))
		return 0, invalidQuery(details, "limit must be an integer")
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		details["expected"] = "integer"
		return 0, invalidQuery(details, "limit must be an integer")
	}
	if err == nil && len(raw) <= 32 {
		// Echo the client's literal only if a float64 can hold it: 1e400 would
		// make the error itself unparsable for many clients.
		details["provided"] = json.Number(raw)
	}
	if !math.IsInf(f, 0) && f != math.Trunc(f) {
		details["expected"] = "integer"
		return 0, invalidQuery(details, "limit must be an integer")
	}
	if f < 1 || f > maxLimit {
		return 0, invalidQuery(details, "limit must be between 1 and %d", maxLimit)
	}
	return int(f), nil
}

func rawKind(b byte) string {
	switch b {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "bool"
}

// parseFilters trims and bounds the filter values and canonicalises company sizes.
// Other values are passed as sent: the engine normalises them.
func parseFilters(f *queryFilters) (scorer.Filters, error) {
	if f == nil {
		return scorer.Filters{}, nil
	}
	var out scorer.Filters
	var err error
	if out.Industries, err = cleanList("filters.industries", f.Industries); err != nil {
		return out, err
	}
	if out.CompanySizes, err = cleanList("filters.company_size", f.CompanySize); err != nil {
		return out, err
	}
	for i, v := range out.CompanySizes {
		size, ok := canonicalSize(v)
		if !ok {
			return out, invalidQuery(map[string]any{"field": "filters.company_size", "index": i, "provided": v, "allowed": slices.Clone(schemas.SizeBuckets)},
				"company_size must be one of %s", strings.Join(schemas.SizeBuckets, ", "))
		}
		out.CompanySizes[i] = size
	}
	out.Location = strings.TrimSpace(f.Location)
	if n := utf8.RuneCountInString(out.Location); n > maxFilterValueLen {
		return out, invalidQuery(map[string]any{"field": "filters.location", "max_length": maxFilterValueLen, "provided_length": n},
			"location must be at most %d characters long", maxFilterValueLen)
	}
	if out.Exclude, err = cleanList("filters.exclude", f.Exclude); err != nil {
		return out, err
	}
	if out.Technologies, err = cleanList("filters.technologies", f.Technologies); err != nil {
		return out, err
	}
	if out.JobTitles, err = cleanList("filters.job_titles", f.JobTitles); err != nil {
		return out, err
	}
	return out, nil
}

// cleanList trims each value and rejects empty entries, overlong values and
// overlong lists.
func cleanList(field string, in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if len(in) > maxFilterValues {
		return nil, invalidQuery(map[string]any{"field": field, "max_items": maxFilterValues, "provided_items": len(in)},
			"%s must have at most %d values", field, maxFilterValues)
	}
	out := make([]string, len(in))
	for i, v := range in {
		v = strings.TrimSpace(v)
		switch n := utf8.RuneCountInString(v); {
		case n == 0:
			return nil, invalidQuery(map[string]any{"field": field, "index": i}, "%s must not contain empty values", field)
		case n > maxFilterValueLen:
			return nil, invalidQuery(map[string]any{"field": field, "index": i, "max_length": maxFilterValueLen, "provided_length": n},
				"%s values must be at most %d characters long", field, maxFilterValueLen)
		}
		out[i] = v
	}
	return out, nil
}

// canonicalSize maps a company_size value onto one of schemas.SizeBuckets.
// "10-50", the spelling of API-SPEC.md's request example, is accepted for "11-50".
func canonicalSize(v string) (string, bool) {
	if v == "10-50" {
		return "11-50", true
	}
	return v, slices.Contains(schemas.SizeBuckets, v)
}

// leadsJSON renders at most limit leads.
func leadsJSON(leads []scorer.Lead, limit int) []leadJSON {
	if len(leads) > limit {
		leads = leads[:limit]
	}
	out := make([]leadJSON, len(leads))
	for i := range leads {
		l := &leads[i]
		signals := l.Signals
		if signals == nil {
			signals = []string{}
		}
		ev := make([]evidenceJSON, len(l.Evidence))
		for j, e := range l.Evidence {
			ev[j] = evidenceJSON{Kind: e.Kind, Source: e.Source, URL: e.URL, Title: e.Title, Snippet: e.Snippet, ObservedAt: formatTime(e.ObservedAt)}
		}
		out[i] = leadJSON{
			LeadID:        leadID(l.Profile.Domain),
			CompanyName:   l.Profile.Name,
			Domain:        l.Profile.Domain,
			Industry:      l.Profile.Industry,
			CompanySize:   l.Profile.SizeBucket,
			Location:      formatLocation(l.Profile),
			Score:         roundTo(l.Score, 1e4),
			Confidence:    roundTo(l.Confidence, 1e4),
			ContactInfo:   contactJSON(l.Contact),
			IntentSignals: signals,
			Evidence:      ev,
		}
	}
	return out
}

// leadID is stable per company: "lead_" and the first 12 hex digits of the
// SHA-256 of its domain.
func leadID(domain string) string {
	sum := sha256.Sum256([]byte(domain))
	return "lead_" + hex.EncodeToString(sum[:6])
}

// formatLocation renders "City, Region" when both are known, else the most
// specific known part qualified by the next one, else the country.
func formatLocation(p scorer.Profile) string {
	switch {
	case p.City != "" && p.Region != "":
		return p.City + ", " + p.Region
	case p.City != "" && p.Country != "":
		return p.City + ", " + p.Country
	case p.City != "":
		return p.City
	case p.Region != "" && p.Country != "":
		return p.Region + ", " + p.Country
	case p.Region != "":
		return p.Region
	}
	return p.Country
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

// roundTo rounds x to 1/scale; non-finite values (which JSON cannot carry) become 0.
func roundTo(x, scale float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*scale) / scale
}
