package schemas

import "time"

// Common holds the fields every v1 event carries.
type Common struct {
	EventID    string    `json:"event_id"`
	OccurredAt time.Time `json:"occurred_at"`
	Domain     string    `json:"domain"`
	Source     string    `json:"source,omitempty"`
}

// Location is where a company is based.
type Location struct {
	City    string `json:"city,omitempty"`
	Region  string `json:"region,omitempty"`
	Country string `json:"country,omitempty"`
}

// Contact is a person at a company a lead can be pitched to.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Company is a profile upsert on leadpoet.companies.v1; the latest occurred_at wins.
type Company struct {
	Common
	CompanyName  string    `json:"company_name"`
	Industry     string    `json:"industry,omitempty"`
	Employees    *int      `json:"employees,omitempty"`
	Location     Location  `json:"location"`
	Description  string    `json:"description,omitempty"`
	Technologies []string  `json:"technologies,omitempty"`
	Contacts     []Contact `json:"contacts,omitempty"`
	Deleted      bool      `json:"deleted,omitempty"`
}

// Job is a job posting on leadpoet.signals.jobs.v1.
type Job struct {
	Common
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Location    string `json:"location,omitempty"`
	URL         string `json:"url,omitempty"`
}

// Site is web content seen on the company's own site, on leadpoet.signals.sites.v1.
type Site struct {
	Common
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	Text  string `json:"text"`
}

// Activity is research activity by people at the company, on
// leadpoet.signals.activity.v1. Action is one of Actions(); Count is at least 1.
type Activity struct {
	Common
	Action     string `json:"action"`
	Topic      string `json:"topic,omitempty"`
	Text       string `json:"text,omitempty"`
	URL        string `json:"url,omitempty"`
	Count      int    `json:"count,omitempty"` // absent (or 0 when encoding) means 1
	ActorTitle string `json:"actor_title,omitempty"`
}

// Tech is a technographic change, on leadpoet.signals.tech.v1. Change is ChangeAdded
// or ChangeRemoved.
type Tech struct {
	Common
	Technology string `json:"technology"`
	Change     string `json:"change"`
	Category   string `json:"category,omitempty"`
}

// Outcome is a sales outcome fed back, on leadpoet.outcomes.v1. Product is the free
// text the product was described with; Outcome is one of Outcomes().
type Outcome struct {
	Common
	Product string `json:"product"`
	Outcome string `json:"outcome"`
	QueryID string `json:"query_id,omitempty"`
}

// Activity actions.
const (
	ActionPageView        = "page_view"
	ActionContentDownload = "content_download"
	ActionSearch          = "search"
	ActionReviewView      = "review_view"
	ActionComparisonView  = "comparison_view"
	ActionPricingView     = "pricing_view"
	ActionWebinar         = "webinar"
	ActionDemoRequest     = "demo_request"
	ActionFreeTrial       = "free_trial"
)

// Actions lists the values of Activity.Action.
func Actions() []string {
	return []string{
		ActionPageView, ActionContentDownload, ActionSearch, ActionReviewView, ActionComparisonView,
		ActionPricingView, ActionWebinar, ActionDemoRequest, ActionFreeTrial,
	}
}

// Technographic changes.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
)

// Changes lists the values of Tech.Change.
func Changes() []string { return []string{ChangeAdded, ChangeRemoved} }

// Sales outcomes.
const (
	OutcomePurchased     = "purchased"
	OutcomeOpportunity   = "opportunity"
	OutcomeLost          = "lost"
	OutcomeNotInterested = "not_interested"
)

// Outcomes lists the values of Outcome.Outcome.
func Outcomes() []string {
	return []string{OutcomePurchased, OutcomeOpportunity, OutcomeLost, OutcomeNotInterested}
}

// SizeBucket maps an employee count onto the API's company_size filter values.
func SizeBucket(employees int) string {
	switch {
	case employees <= 10:
		return "1-10"
	case employees <= 50:
		return "11-50"
	case employees <= 200:
		return "51-200"
	case employees <= 1000:
		return "201-1000"
	default:
		return "1000+"
	}
}

// SizeBuckets lists the company_size values in ascending order.
var SizeBuckets = []string{"1-10", "11-50", "51-200", "201-1000", "1000+"}
