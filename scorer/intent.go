package scorer

import (
	"math"
	"strings"
	"sync"
	"time"
)

// termRole says why a term is part of a query.
type termRole uint8

const (
	roleProductTerm termRole = iota // a term of the product phrase
	roleExpansion                   // a synonym or vendor term of a topic
	roleTopicTerm                   // a topic term "topic:<id>"
)

// Limits of a query plan.
const (
	maxQueryTerms      = 40
	minTechTopicScore  = 0.5 // a topic this weak does not make a vendor a competitor
	expansionPerTopic  = 10  // synonym and vendor terms of a topic matched with score 1
	strengthMinorShare = 0.25
)

// Time windows of the model (see Model).
const (
	freshWindow     = 30 * 24 * time.Hour
	removedWindow   = 120 * 24 * time.Hour
	justBoughtAge   = 45 * 24 * time.Hour
	churnWindow     = 60 * 24 * time.Hour
	steadySurgeRate = 1.0 / 6 // weight₃₀/weight₁₈₀ of a steady signal rate
)

// queryPlan is what a query asks of the store and how each term counts. It is built
// once per query; the goroutines of a ranking read it, each with its own memo (see
// ranker.fork).
type queryPlan struct {
	terms []string
	index map[string]int
	role  []termRole
	topic []int     // for expansion and topic terms: index into topics
	idf   []float64 // filled from the corpus statistics

	product     []int // indexes of the product terms: they come first, 0 to len(product)−1
	productIDF  float64
	topics      []TopicMatch
	topicCats   []int32
	topicWeight float64 // Σ topic scores

	// techTopics are the categories whose vendors count for the tech feature.
	techTopics []int32
	// named are folded vendor names the product phrase names ("zendesk").
	named []string

	tax  *Taxonomy
	memo map[string]int8 // technology name → 1 vendor of a tech topic (2 if named), −1 not
}

// newQueryPlan builds the terms of a query: the product terms, then each topic's
// term and its main synonym and vendor terms (more for better matches).
func newQueryPlan(tax *Taxonomy, parsed Parsed) *queryPlan {
	pl := &queryPlan{index: map[string]int{}, tax: tax, memo: map[string]int8{}}
	add := func(term string, r termRole, topic int) {
		if _, dup := pl.index[term]; dup || len(pl.terms) >= maxQueryTerms {
			return
		}
		pl.index[term] = len(pl.terms)
		pl.terms = append(pl.terms, term)
		pl.role = append(pl.role, r)
		pl.topic = append(pl.topic, topic)
		if r == roleProductTerm {
			pl.product = append(pl.product, len(pl.terms)-1)
		}
	}
	for _, t := range parsed.Terms {
		add(t, roleProductTerm, -1)
	}
	for k, m := range parsed.Topics {
		ci, ok := tax.byID[m.ID]
		if !ok {
			continue
		}
		pl.topics = append(pl.topics, m)
		pl.topicCats = append(pl.topicCats, int32(ci))
		pl.topicWeight += m.Score
		if m.Score >= minTechTopicScore {
			pl.techTopics = append(pl.techTopics, int32(ci))
		}
		if v := foldName(m.Matched); len(tax.vendors[v]) > 0 && !containsStr(pl.named, v) {
			pl.named = append(pl.named, v)
		}
		add(TopicTerm(m.ID), roleTopicTerm, k)
	}
	// Technologies the buyer is asked to use are the audience, not competitors.
	for _, tech := range parsed.Technologies {
		if v := foldName(tech); v != "" && !containsStr(pl.named, v) {
			pl.named = append(pl.named, v)
		}
	}
	for k, m := range pl.topics {
		n := int(math.Round(m.Score * expansionPerTopic))
		for _, term := range tax.expand[pl.topicCats[k]] {
			if n == 0 {
				break
			}
			if _, dup := pl.index[term]; !dup {
				add(term, roleExpansion, k)
				n--
			}
		}
	}
	return pl
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// setStats fills the IDFs from the corpus statistics.
func (pl *queryPlan) setStats(stats CorpusStats) {
	pl.idf = make([]float64, len(pl.terms))
	pl.productIDF = 0
	for i, t := range pl.terms {
		pl.idf[i] = IDF(stats.DocFreq[t], stats.Companies)
		if pl.role[i] == roleProductTerm {
			pl.productIDF += pl.idf[i]
		}
	}
}

// intentScorer computes the store-side features of candidates for one query.
type intentScorer struct {
	pl     *queryPlan
	k1, b  float64
	avgLen float64
	now    time.Time
}

// intent returns the strength and surge features of c, and whether it has any
// evidence for the query at all.
func (s *intentScorer) intent(c *Candidate) (strength, surge float64, ok bool) {
	pl := s.pl
	norm := 1.0
	if s.avgLen > 0 && s.b > 0 {
		dl := c.DocLength
		if !(dl > 0) || math.IsInf(dl, 0) {
			dl = 0
		}
		norm = 1 - s.b + s.b*dl/s.avgLen
	}
	kn := s.k1 * norm
	w, bl, baseline := c.Weights, c.Baselines, c.Baselines != nil
	// The query terms the company has, in query order, so that equal inputs give
	// bit-equal sums: the product terms, which come first, then the topics' terms.
	// The recent and baseline sums are of use only with baselines.
	n := min(len(w), len(pl.terms))
	w, idf, bl := w[:n], pl.idf[:n], bl[:min(len(bl), n)]
	np := min(len(pl.product), n)
	var topicEv [maxTopics]float64
	bm25, recent, base := 0.0, 0.0, 0.0
	hit, topicHit := false, false
	for i, tf := range w[:np] {
		if !(tf > 0 && tf <= math.MaxFloat64) {
			continue // none, or not a number
		}
		tf = min(tf, maxWeight)
		hit = true
		bm25 += idf[i] * (tf * (s.k1 + 1) / (tf + kn))
		if baseline {
			recent, base = recent+idf[i]*tf, base+idf[i]*validOr0(bl, i)
		}
	}
	for i := np; i < n; i++ {
		tf := w[i]
		if !(tf > 0 && tf <= math.MaxFloat64) {
			continue
		}
		tf = min(tf, maxWeight)
		hit = true
		if k := pl.topic[i]; k >= 0 && k < maxTopics {
			topicEv[k] = max(topicEv[k], tf*(s.k1+1)/(tf+kn))
			topicHit = true
		}
		if baseline {
			recent, base = recent+idf[i]*tf, base+idf[i]*validOr0(bl, i)
		}
	}
	if !hit {
		return 0, 0, false
	}
	p := 0.0
	if pl.productIDF > 0 {
		p = bm25 / pl.productIDF
	}
	t := 0.0
	if topicHit && pl.topicWeight > 0 {
		for k, m := range pl.topics {
			if k < maxTopics {
				t += m.Score * topicEv[k]
			}
		}
		t /= pl.topicWeight
	}
	strength = (max(p, t) + strengthMinorShare*min(p, t)) / (s.k1 + 1)
	switch {
	case !baseline:
		surge = 0.5 // the store keeps no baseline: neither steady nor new
	case base <= 0:
		surge = 1
	default:
		surge = (min(recent/base, 1) - steadySurgeRate) / (1 - steadySurgeRate)
	}
	return strength, min(max(surge, 0), 1), strength > 0
}

// maxWeight caps a term weight or baseline, far above any a store holds, so that
// the sums of a query's terms stay finite.
const maxWeight = 1e12

// validOr0 is bl[i] when it is a positive number (at most maxWeight), else 0.
func validOr0(bl []float64, i int) float64 {
	if i < len(bl) && bl[i] > 0 && bl[i] <= math.MaxFloat64 {
		return min(bl[i], maxWeight)
	}
	return 0
}

// techState is what a company's stack says about the query's category.
type techState struct {
	removed, justBought, current, named bool
}

// tech reads the company's stack: its technographic changes, and the technologies of its
// profile that no change mentions (running for an unknown, so long, time).
func (s *intentScorer) tech(c *Candidate) techState {
	var st techState
	if len(s.pl.techTopics) == 0 && len(s.pl.named) == 0 {
		return st
	}
	if len(c.Stack) > 0 { // starting to range over a map costs, even over an empty one
		st = s.changes(c.Stack)
	}
	for _, name := range c.Profile.Technologies {
		if v := s.pl.vendorOf(name); v != 0 {
			if _, changed := c.Stack[name]; !changed {
				st.current = true
				st.named = st.named || v == 2
			}
		}
	}
	return st
}

// changes reads the technographic changes of a stack.
func (s *intentScorer) changes(stack map[string]TechState) techState {
	var st techState
	for id, ts := range stack {
		v := s.pl.vendorOf(id)
		if v == 0 {
			continue
		}
		age := s.now.Sub(ts.At)
		switch ts.Change {
		case "removed":
			if age <= removedWindow {
				st.removed = true
			}
		case "added":
			if age <= justBoughtAge {
				st.justBought = true
			} else {
				st.current = true
			}
			st.named = st.named || v == 2
		}
	}
	return st
}

// value is the tech feature (see Model) given whether churn signals were seen.
func (st techState) value(churn bool) float64 {
	switch {
	case st.justBought:
		return -1.5
	case st.removed:
		return 1
	case st.named:
		return 0.3
	case st.current && churn:
		return 0
	case st.current:
		return -0.7
	}
	return 0
}

// vendorOf reports whether a technology (a name or a stack id) is a vendor of one of the
// query's tech topics: 2 when the prompt names it, 1 when it is such a vendor, 0 if not.
func (pl *queryPlan) vendorOf(tech string) int8 {
	if v, ok := pl.memo[tech]; ok {
		return max(v, 0)
	}
	var v int8 = -1
	folded := foldName(tech)
	named := false
	for _, n := range pl.named {
		named = named || folded == n || len(n) >= 3 && strings.HasPrefix(folded, n)
	}
	if named {
		v = 2
	} else {
		for _, ci := range pl.tax.vendorCats(tech) {
			for _, tc := range pl.techTopics {
				if ci == tc {
					v = 1
				}
			}
		}
	}
	if len(pl.memo) < 1<<14 {
		pl.memo[tech] = v
	}
	return max(v, 0)
}

// evidenceFacts are what a candidate's evidence items say about the query.
type evidenceFacts struct {
	relevant  []int // indexes of relevant items, most recent first
	mention   []string
	kinds     int     // distinct kinds of relevant items in the last 30 days
	stage     float64 // see Model
	churn     bool
	freshness float64 // Σ freshness of distinct relevant items
}

// relevance decides which evidence items speak to the query: those whose title or
// snippet mentions a product or expansion term, and those whose taxonomy topics
// (SignalTopics) include a topic of the query.
type relevance struct {
	pl       *queryPlan
	terms    map[string]float64 // product and expansion terms → IDF
	key      []byte
	now      time.Time
	halfLife time.Duration
	// memo, when not nil, remembers SignalTopics across queries, and tokens the
	// terms of evidence texts.
	memo   *topicMemo
	tokens *textMemo[[]mention]
}

// signalTopics is the taxonomy's SignalTopics, remembered in r.memo.
func (r *relevance) signalTopics(kind, title, text string) map[string]float64 {
	if r.memo == nil {
		return r.pl.tax.SignalTopics(kind, title, text)
	}
	r.key = append(append(append(append(append(r.key[:0], kind...), 0), title...), 0), text...)
	if topics, ok := r.memo.getBytes(r.key); ok {
		return topics
	}
	topics := r.pl.tax.SignalTopics(kind, title, text)
	r.memo.put(string(r.key), topics)
	return topics
}

// topicMemo remembers the topics of signal texts: SignalTopics depends on the text
// alone, the evidence of the companies at the head of the indexes recurs from query to
// query, and matching a text against the taxonomy was most of the time of scoring
// a company exactly. It holds at most size texts, forgetting an arbitrary tenth when
// full. The maps it returns are shared and must not be modified. It is safe for
// concurrent use.
type topicMemo = textMemo[map[string]float64]

func newTopicMemo(size int) *topicMemo { return newTextMemo[map[string]float64](size) }

// textMemo remembers a value computed from a text alone, for at most size texts,
// forgetting an arbitrary tenth when full. Values are shared and must not be
// modified. It is safe for concurrent use.
type textMemo[V any] struct {
	mu   sync.RWMutex
	m    map[string]V
	size int
}

func newTextMemo[V any](size int) *textMemo[V] {
	return &textMemo[V]{m: make(map[string]V), size: size}
}

func (t *textMemo[V]) get(key string) (V, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	v, ok := t.m[key]
	return v, ok
}

// getBytes is get of string(key), without copying key.
func (t *textMemo[V]) getBytes(key []byte) (V, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	v, ok := t.m[string(key)]
	return v, ok
}

func (t *textMemo[V]) put(key string, v V) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.m) >= t.size {
		drop := max(t.size/10, 1)
		for k := range t.m {
			delete(t.m, k)
			if drop--; drop == 0 {
				break
			}
		}
	}
	t.m[key] = v
}

// mention is a term scanTerms finds in a text (a bigram as "first_second") and
// where.
type mention struct {
	term       string
	start, end int32
}

// mentions are the terms of text in scanTerms order, remembered in r.tokens.
func (r *relevance) mentions(text string) []mention {
	if r.tokens != nil {
		if ms, ok := r.tokens.get(text); ok {
			return ms
		}
	}
	var ms []mention
	scanTerms(text, func(first, second string, start, end int) {
		t := first
		if second != "" {
			t = first + "_" + second
		}
		ms = append(ms, mention{term: t, start: int32(start), end: int32(end)})
	})
	if r.tokens != nil {
		r.tokens.put(text, ms)
	}
	return ms
}

func newRelevance(pl *queryPlan, now time.Time, halfLife time.Duration) *relevance {
	r := &relevance{pl: pl, terms: make(map[string]float64, len(pl.terms)), now: now, halfLife: halfLife}
	// A product term is enough to make an item relevant when it is a bigram or about
	// as rare as the rarest product term: "support" alone does not make a job post
	// about customer support software.
	maxIDF := 0.0
	for _, i := range pl.product {
		maxIDF = max(maxIDF, pl.idf[i])
	}
	for i, t := range pl.terms {
		switch pl.role[i] {
		case roleProductTerm:
			if strings.Contains(t, "_") {
				r.terms[t] = 1.5 * pl.idf[i] // a two-word mention is the better quote
			} else if pl.idf[i] >= 0.6*maxIDF || len(pl.product) == 1 {
				r.terms[t] = pl.idf[i]
			}
		case roleExpansion:
			r.terms[t] = 0.5 * pl.idf[i]
		}
	}
	return r
}

// facts reads the evidence of one candidate.
func (r *relevance) facts(evs []Evidence) evidenceFacts {
	var f evidenceFacts
	var kinds [5]bool
	seen := make(map[string]bool, len(evs))
	for i := range evs {
		e := &evs[i]
		if e.EventID != "" {
			if seen[e.EventID] {
				continue
			}
			seen[e.EventID] = true
		}
		phrase, ok := r.match(e)
		if !ok {
			continue
		}
		f.relevant = append(f.relevant, i)
		f.mention = append(f.mention, phrase)
		age := r.now.Sub(e.ObservedAt)
		f.freshness += freshness(age, r.halfLife)
		if age <= freshWindow && !(e.Kind == "tech" && e.Action == "added") {
			// An added technology is a purchase made, not interest: it adds no kind.
			kinds[kindIndex(e.Kind)] = true
			if e.Kind == "activity" {
				switch e.Action {
				case "demo_request", "free_trial", "pricing_view":
					f.stage = 1
				case "comparison_view", "review_view":
					f.stage = max(f.stage, 0.5)
				}
			}
		}
		if age <= churnWindow {
			switch {
			case e.Kind == "tech" && e.Action == "removed":
				f.churn = true
			case e.Kind == "activity" && (e.Action == "comparison_view" || e.Action == "pricing_view"):
				f.churn = true
			}
		}
	}
	for _, on := range kinds[:4] {
		if on {
			f.kinds++
		}
	}
	// Most recent first.
	for i := 1; i < len(f.relevant); i++ {
		for j := i; j > 0 && evs[f.relevant[j]].ObservedAt.After(evs[f.relevant[j-1]].ObservedAt); j-- {
			f.relevant[j], f.relevant[j-1] = f.relevant[j-1], f.relevant[j]
			f.mention[j], f.mention[j-1] = f.mention[j-1], f.mention[j]
		}
	}
	return f
}

func kindIndex(kind string) int {
	switch kind {
	case "job":
		return 0
	case "site":
		return 1
	case "activity":
		return 2
	case "tech":
		return 3
	}
	return 4
}

// freshness is 2^(−age/half-life); evidence from the future counts as new, evidence
// without a date as half fresh.
func freshness(age time.Duration, halfLife time.Duration) float64 {
	if halfLife <= 0 {
		return 0.5
	}
	return math.Exp2(-max(age, 0).Hours() / halfLife.Hours())
}

// match reports whether e speaks to the query, with the phrase to quote ("" when the
// item speaks to a topic without using a query term).
func (r *relevance) match(e *Evidence) (string, bool) {
	title := e.Title
	kindTitle := title
	switch e.Kind {
	case "activity":
		// "demo request: help desk software" → the topic.
		if _, topic, ok := strings.Cut(title, ": "); ok {
			kindTitle = topic
		}
	case "tech":
		kindTitle = strings.TrimPrefix(strings.TrimPrefix(title, "Added "), "Removed ")
	}
	phrase, idf := r.bestMention(kindTitle)
	if p, v := r.bestMention(e.Snippet); p != "" && v > idf {
		phrase = p
	}
	if phrase != "" {
		return phrase, true
	}
	if len(r.pl.topicCats) == 0 {
		return "", false
	}
	if e.Kind == "tech" {
		for _, ci := range r.pl.tax.vendorCats(kindTitle) {
			for _, tc := range r.pl.topicCats {
				if ci == tc {
					return "", true
				}
			}
		}
	}
	topics := r.signalTopics(e.Kind, kindTitle, e.Snippet)
	for _, m := range r.pl.topics {
		if topics[m.ID] >= 0.3 {
			return "", true
		}
	}
	return "", false
}

// bestMention returns the surface form of the rarest query term in text, and its IDF.
func (r *relevance) bestMention(text string) (string, float64) {
	if text == "" {
		return "", 0
	}
	lower := ""
	best, bestIDF := "", -1.0
	for _, m := range r.mentions(text) {
		idf, ok := r.terms[m.term]
		if !ok || idf <= bestIDF {
			continue
		}
		if lower == "" {
			lower = strings.ToLower(text)
		}
		best, bestIDF = lower[m.start:m.end], idf
		if len(lower) == len(text) {
			best = text[m.start:m.end] // as written
		}
	}
	if best == "" {
		return "", 0
	}
	return strings.Join(strings.Fields(best), " "), bestIDF
}
