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
