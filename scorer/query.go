package scorer

import "time"

// Filters are the explicit filters of a query (API-SPEC.md "Filter Options").
// Values are as the client sent them; the engine normalises them.
type Filters struct {
	Industries   []string
	CompanySizes []string // schemas.SizeBuckets values
	Location     string   // a place, or several separated by commas, any of which matches
	Exclude      []string // domains
	Technologies []string
	JobTitles    []string
}

// Query is one ranking request.
type Query struct {
	Prompt  string
	Limit   int
	Filters Filters
	Now     time.Time
}

// Interpretation is how the engine read the prompt; it is echoed to the client.
type Interpretation struct {
	Product              string   `json:"product"`
	Terms                []string `json:"terms"`
	Industries           []string `json:"industries,omitempty"`
	CompanySizes         []string `json:"company_sizes,omitempty"`
	Location             string   `json:"location,omitempty"`
	Technologies         []string `json:"technologies,omitempty"`
	ExcludedTechnologies []string `json:"excluded_technologies,omitempty"`
	// Topics are the taxonomy categories the product names, best first; the engine
	// scores companies on them as well as on Terms.
	Topics []TopicMatch `json:"topics,omitempty"`
}

// Lead is one ranked company with the reasons for its rank.
type Lead struct {
	Profile    Profile
	Score      float64 // in [0,1]
	Confidence float64 // in [0,1]
	Contact    Contact
	Signals    []string   // human-readable, dated reasons
	Evidence   []Evidence // the structured evidence behind Signals
}

// Result is the ranked answer to a Query. Its Interpretation is the prompt as read,
// with the filters in effect: for each kind, the client's explicit filter when it gave
// one, else the prompt's.
type Result struct {
	Leads          []Lead
	TotalMatches   int // candidates that passed the filters and had any evidence
	Candidates     int // candidates retrieved from the store
	Interpretation Interpretation
}
