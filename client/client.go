// Package client is the Go client of the Leadpoet API (API-SPEC.md): it queries
// leads, reads the calling key's query-quality reputation and alerts, and checks
// the API's health.
//
//	c := client.New(os.Getenv("LEADPOET_API_KEY"))
//	resp, err := c.QueryLeads(ctx, client.QueryRequest{
//		Query: "Find companies looking for CRM software",
//		Limit: 25,
//		Filters: &client.Filters{
//			Industries:  []string{"technology"},
//			CompanySize: []string{"51-200"},
//		},
//	})
//	switch {
//	case errors.Is(err, client.ErrInvalidQuery):
//		// fix the request; err is an *APIError whose Details name the field
//	case err != nil:
//		return err
//	}
//	for _, lead := range resp.Leads {
//		fmt.Printf("%s - %.2f\n", lead.CompanyName, lead.Score)
//	}
//
// The base URL is WithBaseURL's, else the LEADPOET_BASE_URL environment
// variable's, else DefaultBaseURL. An empty API key is taken from
// LEADPOET_API_KEY.
//
// Error answers are *APIError values carrying the spec's error envelope;
// errors.Is matches them against one sentinel per error code. Requests
// answered 429 or 503 are retried, up to WithMaxRetries times (3 by default):
// after the Retry-After the server gave, else, for a 429, until its
// X-RateLimit-Reset, else after an exponential backoff with jitter. A request
// is not retried when the server asks for a longer wait than the backoff cap
// (WithBackoff, 30 s by default) or than is left before the context's deadline,
// nor when it was refused for its own cost (COST_LIMIT_EXCEEDED without
// Retry-After); the *APIError then says how long to wait in RetryAfter. No
// other error answer is retried.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api.leadpoet.com"

// Version is the client's version, sent in the default User-Agent.
const Version = "1.1.0"

// Environment variables read by New.
const (
	EnvBaseURL = "LEADPOET_BASE_URL"
	EnvAPIKey  = "LEADPOET_API_KEY"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// Client calls the Leadpoet API. It is safe for concurrent use.
type Client struct {
	apiKey      string
	baseURL     string
	hc          *http.Client
	maxRetries  int
	userAgent   string
	backoffBase time.Duration
	backoffMax  time.Duration

	// Test seams.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	rnd   func() float64
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL sets the API's base URL, such as "http://localhost:8000".
func WithBaseURL(u string) Option { return func(c *Client) { c.baseURL = u } }

// WithHTTPClient sets the HTTP client; the default has a 30 s timeout.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithMaxRetries sets how many times a request answered 429 or 503 is retried
// (default 3); 0 turns retries off.
func WithMaxRetries(n int) Option { return func(c *Client) { c.maxRetries = max(n, 0) } }

// WithUserAgent sets the User-Agent header (default "leadpoet-go/" + Version).
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithBackoff sets the first backoff (default 500 ms; it doubles with each
// retry) and the longest wait before one retry (default 30 s). A server asking
// for a longer wait gets its error returned at once.
func WithBackoff(base, limit time.Duration) Option {
	return func(c *Client) {
		if base > 0 {
			c.backoffBase = base
		}
		if limit > 0 {
			c.backoffMax = limit
		}
	}
}

// New returns a client authenticating with apiKey (LEADPOET_API_KEY when empty).
func New(apiKey string, opts ...Option) *Client {
	c := &Client{
		apiKey:      apiKey,
		maxRetries:  defaultMaxRetries,
		userAgent:   "leadpoet-go/" + Version,
		backoffBase: defaultBackoffBase,
		backoffMax:  defaultBackoffMax,
		now:         time.Now,
		sleep:       sleepCtx,
		rnd:         defaultRand,
	}
	for _, o := range opts {
		o(c)
	}
	if c.apiKey == "" {
		c.apiKey = os.Getenv(EnvAPIKey)
	}
	if c.baseURL == "" {
		c.baseURL = os.Getenv(EnvBaseURL)
	}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	c.baseURL = strings.TrimRight(c.baseURL, "/")
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 30 * time.Second}
	}
	return c
}

// BaseURL returns the base URL the client calls.
func (c *Client) BaseURL() string { return c.baseURL }

// QueryLeads sends POST /query.
func (c *Client) QueryLeads(ctx context.Context, req QueryRequest) (*QueryResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("leadpoet: encode query: %w", err)
	}
	var out QueryResponse
	res, err := c.call(ctx, http.MethodPost, "/query", body, true, &out)
	if err != nil {
		return nil, err
	}
	out.RateLimit, out.RequestID = rateLimit(res.header), res.header.Get("X-Request-ID")
	return &out, nil
}

// Reputation sends GET /query-quality/reputation: the calling key's
// query-quality reputation. The key needs the quality:read scope.
func (c *Client) Reputation(ctx context.Context) (*Reputation, error) {
	var out Reputation
	res, err := c.call(ctx, http.MethodGet, "/query-quality/reputation", nil, true, &out)
	if err != nil {
		return nil, err
	}
	out.RateLimit, out.RequestID = rateLimit(res.header), res.header.Get("X-Request-ID")
	return &out, nil
}

// Alerts sends GET /query-quality/alerts: the calling key's query-quality
// alerts. The key needs the quality:read scope.
func (c *Client) Alerts(ctx context.Context) (*Alerts, error) {
	var out Alerts
	res, err := c.call(ctx, http.MethodGet, "/query-quality/alerts", nil, true, &out)
	if err != nil {
		return nil, err
	}
	out.RateLimit, out.RequestID = rateLimit(res.header), res.header.Get("X-Request-ID")
	return &out, nil
}

// Health sends GET /healthz, once: a probe reports the state of the moment and
// is not retried. An unhealthy API answers 503 with its health document; Health
// then returns that document and an *APIError matching ErrServiceUnavailable.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var out Health
	res, err := c.call(ctx, http.MethodGet, "/healthz", nil, false, &out)
	if err != nil {
		var ae *APIError
		if res != nil && errors.As(err, &ae) && res.status == http.StatusServiceUnavailable {
			var doc Health
			if json.Unmarshal(res.body, &doc) == nil && doc.Status != "" {
				doc.RequestID = res.header.Get("X-Request-ID")
				ae.Code = CodeServiceUnavailable
				ae.Message = "the API is " + doc.Status
				return &doc, ae
			}
		}
		return nil, err
	}
	out.RequestID = res.header.Get("X-Request-ID")
	return &out, nil
}

// response is a final HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request, retrying it by the package's policy when retry is
// set, and decodes a 2xx answer into out. On an error answer it returns the
// response too, with an *APIError.
func (c *Client) call(ctx context.Context, method, path string, body []byte, retry bool, out any) (*response, error) {
	for attempt := 1; ; attempt++ {
		res, err := c.roundTrip(ctx, method, path, body)
		if err != nil {
			return nil, err
		}
		if res.status >= 200 && res.status < 300 {
			if err := json.Unmarshal(res.body, out); err != nil {
				return res, fmt.Errorf("leadpoet: %s %s: decode %d answer: %w", method, path, res.status, err)
			}
			return res, nil
		}
		ae := c.apiError(res)
		hint, hinted, fromRetryAfter := retryHint(res.header, res.status, ae.Code, c.now())
		if !retry || attempt > c.maxRetries || !retryable(res.status, ae.Code, fromRetryAfter) {
			return res, ae
		}
		var wait time.Duration
		if hinted {
			if hint > c.backoffMax {
				return res, ae
			}
			wait = hintedWait(hint, c.backoffBase, c.rnd)
		} else {
			wait = backoff(attempt, c.backoffBase, c.backoffMax, c.rnd)
		}
		if dl, ok := ctx.Deadline(); ok && c.now().Add(wait).After(dl) {
			return res, ae
		}
		if err := c.sleep(ctx, wait); err != nil {
			return res, fmt.Errorf("%w (retry abandoned: %w)", ae, err)
		}
	}
}

func (c *Client) roundTrip(ctx context.Context, method, path string, body []byte) (*response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, rd)
	if err != nil {
		return nil, fmt.Errorf("leadpoet: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	// Accept-Encoding is left to the transport, which asks for gzip and
	// decompresses transparently.
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("leadpoet: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		r = io.LimitReader(resp.Body, maxErrorBody)
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("leadpoet: %s %s: read %d answer: %w", method, path, resp.StatusCode, err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: raw}, nil
}

// envelope is the spec's standard error format.
type envelope struct {
	Error *struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
	Timestamp string `json:"timestamp"`
	RequestID string `json:"request_id"`
}

// apiError builds the *APIError of an error answer. A body that is not the
// envelope gets the spec's code for its status and its start as the message.
func (c *Client) apiError(res *response) *APIError {
	ae := &APIError{Status: res.status, RequestID: res.header.Get("X-Request-ID")}
	var env envelope
	if json.Unmarshal(res.body, &env) == nil && env.Error != nil && env.Error.Code != "" {
		ae.Code, ae.Message, ae.Details = env.Error.Code, env.Error.Message, env.Error.Details
		if env.RequestID != "" {
			ae.RequestID = env.RequestID
		}
		if t, err := time.Parse(time.RFC3339, env.Timestamp); err == nil {
			ae.Timestamp = t
		}
	} else {
		ae.Code = codeForStatus(res.status)
		ae.Message = http.StatusText(res.status)
		if s := strings.TrimSpace(string(res.body)); s != "" {
			ae.Message += ": " + truncate(s, 200)
		}
	}
	if ae.Details == nil {
		ae.Details = map[string]any{}
	}
	if d, ok, _ := retryHint(res.header, res.status, ae.Code, c.now()); ok {
		ae.RetryAfter = d
	}
	return ae
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// rateLimit reads the spec's rate-limit headers.
func rateLimit(h http.Header) RateLimit {
	var rl RateLimit
	rl.Limit, _ = strconv.Atoi(h.Get("X-RateLimit-Limit"))
	rl.Remaining, _ = strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		rl.Reset = time.Unix(s, 0)
	}
	return rl
}
