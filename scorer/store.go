package scorer

import (
	"context"
	"sync"
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
// Weights[i] is Σ count·decay over the company's signals holding Retrieval.Terms[i],
// read at Retrieval.Now (Decay.At of the forward-decayed sum), 0 for a term the
// company lacks; a Weights shorter than the terms reads as 0 for the rest. DocLength
// is the same sum over all its terms (the sum of TermCounts, so bigrams count too). A
// Retriever returns each company at most once. A candidate without Evidence is not
// ranked: every lead shows dated evidence.
type Candidate struct {
	Profile   Profile
	Weights   []float64  // decayed term frequency of each query term, in Retrieval.Terms order
	DocLength float64    // decayed total term count of the company's signal text
	Evidence  []Evidence // most recent first

	// Baselines[i] is the same sum as Weights[i] under the slow BaselineDecay: the
	// company's long-run level of interest, against which a surge is measured. Nil
	// when the store keeps no baseline; shorter than the terms reads as 0 for the
	// rest.
	Baselines []float64
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
	// Shortlisted is set when Retrieval.Shortlist left candidates of the index heads
	// unread, so that a larger shortlist could return more.
	Shortlisted bool
}

// Retrieval asks the online store for candidates.
type Retrieval struct {
	Terms   []string  // normalised query terms (Tokenize output)
	PerTerm int       // how many top companies to take from each term's index
	Now     time.Time // decay reference time

	// Shortlist, when positive, bounds the candidates whose full record (profile,
	// evidence, stack, every term weight) the store reads: the Shortlist companies
	// of the index heads that Prescore ranks highest. Zero reads every company of
	// the heads.
	Shortlist int
	// Prescore, given the corpus statistics, returns how a company ranks on what
	// the index heads say of it: head[i] is its decayed weight for Terms[i] if it is
	// among the PerTerm companies read from that index, else 0. Higher is better.
	Prescore func(stats CorpusStats) func(head []float64) float64
	// Cache, when not nil, keeps decoded records between queries (see RecordCache).
	Cache *RecordCache
}

// Record is what a store decodes for one company, apart from its term weights:
// what a RecordCache keeps. Its slices and map are shared by every query that uses
// the cached record and must not be modified.
type Record struct {
	Profile  Profile
	Evidence []Evidence
	Stack    map[string]TechState
	// DocLength is the document length as the store keeps it (a Redis store keeps
	// it forward-decayed and decays it as of each query).
	DocLength float64
	Deleted   bool
}

// RecordCache keeps the decoded records of recently retrieved companies for a short
// time, so that a store reads and decodes again only the records of companies it has
// not read in the last TTL. A record is never served more than TTL after the read
// that fetched it began: that bounds how stale a profile, evidence list, stack,
// document length or deletion can be, while term weights, which decide which
// companies are candidates, are read afresh by every query, so a newly indexed company
// is never missed. It is safe for concurrent use.
type RecordCache struct {
	mu      sync.Mutex
	m       map[string]cachedRecord
	size    int
	ttl     time.Duration
	now     func() time.Time
	hits    uint64
	lookups uint64
}

type cachedRecord struct {
	at  time.Time
	rec Record
}

// NewRecordCache returns a cache of at most size records, each served for at most ttl
// after it was read. now is its clock; nil means time.Now.
func NewRecordCache(size int, ttl time.Duration, now func() time.Time) *RecordCache {
	if now == nil {
		now = time.Now
	}
	return &RecordCache{m: make(map[string]cachedRecord, min(size, 1<<16)), size: size, ttl: ttl, now: now}
}

// Now is the cache's clock: a store takes the time its read begins from it.
func (c *RecordCache) Now() time.Time { return c.now() }

// Get returns the record of domain if it was read at most the TTL ago.
func (c *RecordCache) Get(domain string) (Record, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lookups++
	e, ok := c.m[domain]
	if !ok || now.Sub(e.at) > c.ttl || now.Before(e.at) {
		return Record{}, false
	}
	c.hits++
	return e.rec, true
}

// Put files rec for domain, read by a read that began at at. A full cache first
// forgets an arbitrary tenth of its records.
func (c *RecordCache) Put(domain string, at time.Time, rec Record) {
	if c.size <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[domain]; !ok && len(c.m) >= c.size {
		drop := max(c.size/10, 1)
		for d := range c.m { // map order is random enough for eviction
			delete(c.m, d)
			if drop--; drop == 0 {
				break
			}
		}
	}
	c.m[domain] = cachedRecord{at: at, rec: rec}
}

// HitRate is the share of Get calls that found their record, 0 before any.
func (c *RecordCache) HitRate() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lookups == 0 {
		return 0
	}
	return float64(c.hits) / float64(c.lookups)
}

// Retriever is what the scorer needs from the online store. The Redis adapter
// implements it.
type Retriever interface {
	Retrieve(ctx context.Context, r Retrieval) ([]Candidate, CorpusStats, error)
}
