package scorer

import (
	"context"
	"time"
)

// Contact is a person at a company who can be pitched to.
type Contact struct {
	Name  string
	Title string
	Email string
	Phone string
}

// Profile is a company's firmographics as the online store holds them.
type Profile struct {
	Domain       string
	Name         string
	Industry     string
	Employees    int    // -1 when unknown
	SizeBucket   string // "" when unknown, else one of schemas.SizeBuckets
	City         string
	Region       string
	Country      string
	Description  string
	Technologies []string
	Contacts     []Contact
	UpdatedAt    time.Time
}

// Evidence is one dated observation behind a company's intent.
type Evidence struct {
	EventID    string
	Kind       string // "job", "site", "activity", "tech"
	Action     string // activity: the research action (schemas.Action*); tech: "added" or "removed"
	Weight     float64
	Source     string
	URL        string
	Title      string
	Snippet    string
	ObservedAt time.Time
}

// Candidate is a company retrieved for a query, with its term statistics as of the
// retrieval time. Term weights and DocLength are already time-decayed.
//
// Terms are what Tokenize (or TermCounts) emits for a signal's text, bigrams included.
// TermWeights[t] is Σ count·decay over the company's signals holding t, read at
// Retrieval.Now (Decay.At of the forward-decayed sum); terms of the query the company
// lacks may be absent. DocLength is the same sum over all its terms (the sum of
// TermCounts, so bigrams count too). A Retriever returns each company at most once.
// A candidate without Evidence is not ranked: every lead shows dated evidence.
type Candidate struct {
	Profile     Profile
	TermWeights map[string]float64 // decayed term frequency of each query term
	DocLength   float64            // decayed total term count of the company's signal text
	Evidence    []Evidence         // most recent first

	// Baseline[t] is the same sum as TermWeights[t] under the slow BaselineDecay: the
	// company's long-run level of interest, against which a surge is measured.
	Baseline map[string]float64
	// Stack is the company's technographic state: technology id → the latest change
	// observed ("added" or "removed") and when; technologies of the profile that no
	// change event mentions are not in it.
	Stack map[string]TechState
}

// TechState is the latest technographic change of one technology at one company.
type TechState struct {
	Change string // "added" or "removed"
	At     time.Time
}

// CorpusStats are the collection statistics BM25 needs. DocFreq needs an entry for
// every term of the Retrieval (a missing entry reads as 0). Inconsistent values are
// tolerated (see NewBM25) but make IDF less informative.
type CorpusStats struct {
	Companies    int            // companies with any indexed signal text
	DocFreq      map[string]int // companies whose signal text has the term
	AvgDocLength float64        // mean DocLength over those companies
}

// Retrieval asks the online store for candidates.
type Retrieval struct {
	Terms   []string  // normalised query terms (Tokenize output)
	PerTerm int       // how many top companies to take from each term's index
	Now     time.Time // decay reference time
}

// Retriever is what the scorer needs from the online store. The Redis adapter
// implements it.
type Retriever interface {
	Retrieve(ctx context.Context, r Retrieval) ([]Candidate, CorpusStats, error)
}
