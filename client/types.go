package client

import "time"

// QueryRequest is the body of POST /query.
type QueryRequest struct {
	// Query describes the target companies in plain words; the API wants 10 to
	// 1000 characters.
	Query string `json:"query"`
	// Limit is how many leads to return, 1 to 2000; 0 means the API's default, 25.
	Limit int `json:"limit,omitempty"`
	// Filters narrow the candidates; nil means none.
	Filters *Filters `json:"filters,omitempty"`
	// MaxCostUSD, an extension of the spec, lowers the per-query cost ceiling
	// of the key's plan for this query; 0 means the plan's.
	MaxCostUSD float64 `json:"max_cost_usd,omitempty"`
}

// Filters are the spec's filter options. Empty fields are not sent.
type Filters struct {
	Industries   []string `json:"industries,omitempty"`   // e.g. "technology", "saas"
	CompanySize  []string `json:"company_size,omitempty"` // "1-10", "11-50", "51-200", "201-1000", "1000+"
	Location     string   `json:"location,omitempty"`     // e.g. "United States", "San Francisco"
	Exclude      []string `json:"exclude,omitempty"`      // domains to leave out
	Technologies []string `json:"technologies,omitempty"` // e.g. "salesforce", "hubspot"
	JobTitles    []string `json:"job_titles,omitempty"`   // e.g. "CTO", "VP Engineering"
}

// QueryResponse is the answer to POST /query.
type QueryResponse struct {
	Leads    []Lead        `json:"leads"`
	Metadata QueryMetadata `json:"metadata"`

	// RateLimit is read from the response headers.
	RateLimit RateLimit `json:"-"`
	// RequestID is the response's X-Request-ID, to quote in support requests.
	RequestID string `json:"-"`
}

// Lead is one ranked company.
type Lead struct {
	LeadID        string      `json:"lead_id"`
	CompanyName   string      `json:"company_name"`
	Domain        string      `json:"domain"`
	Industry      string      `json:"industry"`
	CompanySize   string      `json:"company_size"` // "" when unknown
	Location      string      `json:"location"`
	Score         float64     `json:"score"`      // in [0, 1]; leads come best first
	Confidence    float64     `json:"confidence"` // in [0, 1]
	ContactInfo   ContactInfo `json:"contact_info"`
	IntentSignals []string    `json:"intent_signals"` // human-readable, dated reasons
	// Evidence, an extension of the spec, is the structured evidence behind
	// IntentSignals.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// ContactInfo is the best contact at a lead for the query.
type ContactInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// Evidence is one observation behind a lead's score.
type Evidence struct {
	Kind       string `json:"kind"` // e.g. "job", "site", "activity", "tech"
	Source     string `json:"source"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	Snippet    string `json:"snippet"`
	ObservedAt string `json:"observed_at"` // RFC 3339; "" when unknown
}

// QueryMetadata describes how a query was answered. The fields after
// CacheHitRate are extensions of the spec; they are zero when a server does not
// send them.
type QueryMetadata struct {
	TotalLeads       int     `json:"total_leads"`
	QueryProcessed   string  `json:"query_processed"`
	ProcessingTimeMS int64   `json:"processing_time_ms"`
	CostUSD          float64 `json:"cost_usd"`
	LLMCalls         int     `json:"llm_calls"`
	CacheHitRate     float64 `json:"cache_hit_rate"`

	QueryID        string          `json:"query_id,omitempty"`
	Interpretation *Interpretation `json:"interpretation,omitempty"`
	CostBreakdown  *CostBreakdown  `json:"cost_breakdown,omitempty"`
}

// Interpretation is the query as the engine read it, with the filters in effect.
type Interpretation struct {
	Product              string   `json:"product"`
	Terms                []string `json:"terms"`
	Industries           []string `json:"industries,omitempty"`
	CompanySizes         []string `json:"company_sizes,omitempty"`
	Location             string   `json:"location,omitempty"`
	Technologies         []string `json:"technologies,omitempty"`
	ExcludedTechnologies []string `json:"excluded_technologies,omitempty"`
}

// CostBreakdown is the parts of QueryMetadata.CostUSD and the quantities they
// were priced from.
type CostBreakdown struct {
	ComputeUSD float64 `json:"compute_usd"`
	StoreUSD   float64 `json:"store_usd"`
	DataUSD    float64 `json:"data_usd"`
	LLMUSD     float64 `json:"llm_usd"`
	ComputeMS  float64 `json:"compute_ms"`
	StoreOps   int     `json:"store_ops"`
	Leads      int     `json:"leads"`
	LLMTokens  int     `json:"llm_tokens"`
}

// Reputation is the query-quality reputation of the calling key
// (GET /query-quality/reputation).
type Reputation struct {
	APIKey                string   `json:"api_key"` // masked key id, never the secret
	ReputationScore       float64  `json:"reputation_score"`
	TotalQueries          int64    `json:"total_queries"`
	SuccessfulQueries     int64    `json:"successful_queries"`
	FailedQueries         int64    `json:"failed_queries"`
	AverageResponseTimeMS float64  `json:"average_response_time_ms"`
	CostEfficiency        float64  `json:"cost_efficiency"`
	ThrottleStatus        string   `json:"throttle_status"` // e.g. "none", "warning", "active"
	ThrottleReason        string   `json:"throttle_reason"`
	Recommendations       []string `json:"recommendations"`

	RateLimit RateLimit `json:"-"`
	RequestID string    `json:"-"`
}

// Alerts are the query-quality alerts of the calling key
// (GET /query-quality/alerts).
type Alerts struct {
	Alerts  []Alert      `json:"alerts"`
	Summary AlertSummary `json:"summary"`

	RateLimit RateLimit `json:"-"`
	RequestID string    `json:"-"`
}

// Alert is one query-quality alert.
type Alert struct {
	AlertID      string    `json:"alert_id"`
	Type         string    `json:"type"`     // e.g. "high_cost"
	Severity     string    `json:"severity"` // "info", "warning" or "critical"
	Message      string    `json:"message"`
	Threshold    float64   `json:"threshold"`
	CurrentValue float64   `json:"current_value"`
	CreatedAt    time.Time `json:"created_at"`
	Status       string    `json:"status"` // e.g. "active"
}

// AlertSummary counts the alerts by severity.
type AlertSummary struct {
	TotalAlerts    int `json:"total_alerts"`
	CriticalAlerts int `json:"critical_alerts"`
	WarningAlerts  int `json:"warning_alerts"`
	InfoAlerts     int `json:"info_alerts"`
}

// Health is the API's health document (GET /healthz).
type Health struct {
	Status        string    `json:"status"` // "healthy", "degraded" or "unhealthy"
	Timestamp     time.Time `json:"timestamp"`
	Version       string    `json:"version"`
	UptimeSeconds int64     `json:"uptime_seconds"`
	Database      string    `json:"database"`
	Redis         string    `json:"redis"`
	LLMService    string    `json:"llm_service"`
	Kafka         string    `json:"kafka,omitempty"` // an extension of the spec

	RequestID string `json:"-"`
}

// RateLimit is the spec's rate-limit headers of a response. It is zero when the
// response had none (GET /healthz, or a request refused before the limiter).
type RateLimit struct {
	Limit     int       // X-RateLimit-Limit: requests allowed in the window
	Remaining int       // X-RateLimit-Remaining: requests left in the window
	Reset     time.Time // X-RateLimit-Reset: when the window resets
}
