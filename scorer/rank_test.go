package scorer

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeStore is an in-memory Retriever: it returns its candidates that hold any query
// term, and remembers what it was asked. It keeps their weights and baselines by term
// and returns them in the order of the terms asked, as a store does.
type fakeStore struct {
	cands []Candidate
	// byTerm[i] and baseline[i] are cands[i]'s weights and baselines by term; a nil
	// baseline is one the store does not keep.
	byTerm, baseline []map[string]float64
	stats            CorpusStats
	err              error
	asked            []Retrieval
}

// add keeps c with its weights and baselines by term.
func (s *fakeStore) add(c Candidate, byTerm, baseline map[string]float64) {
	s.cands = append(s.cands, c)
	s.byTerm = append(s.byTerm, byTerm)
	s.baseline = append(s.baseline, baseline)
}

func (s *fakeStore) Retrieve(ctx context.Context, r Retrieval) ([]Candidate, CorpusStats, error) {
	s.asked = append(s.asked, r)
	if err := ctx.Err(); err != nil {
		return nil, CorpusStats{}, err
	}
	if s.err != nil {
		return nil, CorpusStats{}, s.err
	}
	var out []Candidate
	for i := range s.cands {
		for _, t := range r.Terms {
			if s.byTerm[i][t] > 0 {
				out = append(out, s.retrieved(i, r.Terms))
				break
			}
		}
	}
	return out, s.stats, nil
}

// retrieved returns candidate i as a store returns it for terms: its weights and
// baselines by term as Weights and Baselines in the order of terms.
func (s *fakeStore) retrieved(i int, terms []string) Candidate {
	c := s.cands[i]
	c.Weights = make([]float64, len(terms))
	for k, t := range terms {
		c.Weights[k] = s.byTerm[i][t]
	}
	if bl := s.baseline[i]; bl != nil {
		c.Baselines = make([]float64, len(terms))
		for k, t := range terms {
			c.Baselines[k] = bl[t]
		}
	}
	return c
}

// all returns every candidate as retrieved for terms.
func (s *fakeStore) all(terms []string) []Candidate {
	out := make([]Candidate, len(s.cands))
	for i := range s.cands {
		out[i] = s.retrieved(i, terms)
	}
	return out
}

// world builds a store from companies described by their signals, indexing the text
// with TermCounts as ingest does (without decay: every signal counts 1).
type company struct {
	profile Profile
	signals []Evidence
}

func newWorld(companies ...company) *fakeStore {
	s := &fakeStore{stats: CorpusStats{DocFreq: map[string]int{}}}
	total := 0.0
	for _, co := range companies {
		c := Candidate{Profile: co.profile, Evidence: co.signals}
		byTerm := map[string]float64{}
		for _, ev := range co.signals {
			for t, n := range TermCounts(ev.Title + "\n" + ev.Snippet) {
				byTerm[t] += float64(n)
				c.DocLength += float64(n)
			}
		}
		slices.SortFunc(c.Evidence, func(a, b Evidence) int { return b.ObservedAt.Compare(a.ObservedAt) })
		for t := range byTerm {
			s.stats.DocFreq[t]++
		}
		if c.DocLength > 0 {
			s.stats.Companies++
			total += c.DocLength
		}
		s.add(c, byTerm, nil)
	}
	if s.stats.Companies > 0 {
		s.stats.AvgDocLength = total / float64(s.stats.Companies)
	}
	return s
}

func job(id string, d time.Time, title, text string) Evidence {
	return Evidence{EventID: id, Kind: "job", Title: title, Snippet: text, ObservedAt: d}
}

var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func domains(leads []Lead) []string {
	out := make([]string, len(leads))
	for i, l := range leads {
		out[i] = l.Profile.Domain
	}
	return out
}

func TestRankSpecExample(t *testing.T) {
	store := newWorld(
		company{Profile{Domain: "helpful.io", Industry: "SaaS", SizeBucket: "51-200",
			Contacts: []Contact{{Name: "Ann", Title: "CEO"}, {Name: "Cat", Title: "Head of Customer Support"}}},
			[]Evidence{
				job("h1", now.AddDate(0, 0, -10), "Customer Support Team Lead", "Own our help desk, ticket routing and macros."),
				job("h2", now.AddDate(0, 0, -3), "Customer Support Specialist", "Answer customer tickets in our help desk."),
			}},
		company{Profile{Domain: "bigcorp.com", Industry: "SaaS", SizeBucket: "1000+"},
			[]Evidence{job("b1", now.AddDate(0, 0, -5), "Customer Support Team Lead", "Own our help desk.")}},
		company{Profile{Domain: "clinic.org", Industry: "Hospital & Health Care", SizeBucket: "51-200"},
			[]Evidence{job("c1", now.AddDate(0, 0, -5), "Front Desk Receptionist", "Greet patients and provide support.")}},
		company{Profile{Domain: "nosignal.com", Industry: "SaaS", SizeBucket: "51-200"},
			[]Evidence{job("n1", now.AddDate(0, 0, -5), "Accountant", "Close the books.")}},
		company{Profile{Domain: "quiet.com", Industry: "SaaS", SizeBucket: "51-200"}, nil},
	)
	e := NewEngine(store, Config{Taxonomy: testTaxonomy()})
	res, err := e.Rank(context.Background(), Query{
		Prompt: "Find SaaS companies with 50-200 employees looking for customer support software", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := domains(res.Leads), []string{"helpful.io", "bigcorp.com", "clinic.org"}; !slices.Equal(got, want) {
		t.Fatalf("leads = %q, want %q", got, want)
	}
	if res.TotalMatches != 3 || res.Candidates != 3 {
		t.Errorf("TotalMatches %d, Candidates %d; want 3, 3", res.TotalMatches, res.Candidates)
	}
	top := res.Leads[0]
	if top.Contact.Name != "Cat" {
		t.Errorf("contact %q, want the head of customer support", top.Contact.Name)
	}
	wantSignals := []string{
		`Posted job "Customer Support Specialist" on 2026-11-28`,
		`Posted job "Customer Support Team Lead" on 2026-11-21`,
	}
	if !slices.Equal(top.Signals, wantSignals) {
		t.Errorf("signals %q, want %q", top.Signals, wantSignals)
	}
	in := res.Interpretation
	if in.Product != "customer support software" || !slices.Equal(in.Industries, []string{"saas"}) ||
		!slices.Equal(in.CompanySizes, []string{"51-200"}) {
		t.Errorf("interpretation %+v", in)
	}
	for _, l := range res.Leads {
		if !(l.Score > 0 && l.Score <= 1) || !(l.Confidence > 0 && l.Confidence <= 1) {
			t.Errorf("%s: score %g, confidence %g outside (0, 1]", l.Profile.Domain, l.Score, l.Confidence)
		}
	}
}

// randomStore is n companies with random intent for terms and random firmographics;
// one company in ten is the twin of another (same statistics, other domain) so ties
// are common.
func randomStore(n int, terms []string, seed uint64) *fakeStore {
	rng := rand.New(rand.NewPCG(seed, 1))
	sizes := []string{"", "1-10", "11-50", "51-200", "201-1000", "1000+"}
	industries := []string{"", "SaaS", "Computer Software", "Hospital & Health Care", "Financial Services", "Retail"}
	cities := []string{"", "Boston", "San Francisco", "Berlin", "Austin"}
	s := &fakeStore{stats: CorpusStats{Companies: n * 4, DocFreq: map[string]int{}, AvgDocLength: 120}}
	for _, t := range terms {
		s.stats.DocFreq[t] = 1 + rng.IntN(n)
	}
	for i := range n {
		c := Candidate{
			Profile: Profile{
				Domain:       fmt.Sprintf("c%05d.com", i),
				Name:         fmt.Sprintf("Company %d", i),
				Industry:     industries[rng.IntN(len(industries))],
				Employees:    -1,
				SizeBucket:   sizes[rng.IntN(len(sizes))],
				City:         cities[rng.IntN(len(cities))],
				Technologies: []string{"Slack", "Zendesk", "Salesforce"}[:rng.IntN(4)],
				Contacts: []Contact{{Name: "A", Title: "CEO"}, {Name: "B", Title: "VP Sales"},
					{Name: "C", Title: "Head of Customer Support"}},
			},
			DocLength: 20 + rng.Float64()*300,
		}
		byTerm := map[string]float64{}
		for _, t := range terms {
			if rng.IntN(3) > 0 {
				byTerm[t] = rng.Float64() * 4
			}
		}
		if len(byTerm) == 0 {
			byTerm[terms[0]] = 0.1
		}
		for k := range 3 {
			c.Evidence = append(c.Evidence, Evidence{
				EventID: fmt.Sprintf("e%d-%d", i, k), Kind: "job", Title: "Customer Support Team Lead",
				Snippet: "Own our help desk.", ObservedAt: now.Add(-time.Duration(k*7+rng.IntN(7)) * 24 * time.Hour),
			})
		}
		if i > 0 && i%10 == 0 {
			k := rng.IntN(len(s.cands))
			twin := s.cands[k]
			c.Profile, byTerm, c.DocLength = twin.Profile, s.byTerm[k], twin.DocLength
			c.Profile.Domain = fmt.Sprintf("t%05d.com", i)
		}
		s.add(c, byTerm, nil)
	}
	return s
}

func TestRankTopKMatchesFullSort(t *testing.T) {
	const prompt = "Find SaaS companies with 50-200 employees in Boston looking for customer support software"
	parsed := ParsePrompt(prompt)
	store := randomStore(3000, parsed.Terms, 7)
	cfg := DefaultConfig()
	cfg.Taxonomy = testTaxonomy()
	e := NewEngine(store, cfg)
	parsed = e.Interpret(prompt)

	// The expected order: every candidate scored exactly on its own, then fully sorted.
	type row struct {
		domain string
		score  float64
	}
	r, cands := fullRanker(e, store, prompt)
	var all []row
	for i := range cands {
		c := &cands[i]
		fit, ok := r.filters.fit(&c.Profile)
		strength, surge, has := r.intent.intent(c)
		if !ok || !has || len(c.Evidence) == 0 {
			continue
		}
		b := bounded{idx: i, f: features{strength: strength, surge: surge, fit: fit}, tech: r.intent.tech(c)}
		b.f.tech = b.tech.value(false)
		all = append(all, row{c.Profile.Domain, r.exact(cands, &b).score})
	}
	slices.SortFunc(all, func(a, b row) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.domain, b.domain)
	})
	ties := 0
	for i := 1; i < len(all); i++ {
		if all[i].score == all[i-1].score {
			ties++
		}
	}
	if ties == 0 {
		t.Fatal("the test world has no ties; tie-breaking is untested")
	}

	for _, k := range []int{1, 7, 25, 100, 1000, 2000} {
		t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
			res, err := e.Rank(context.Background(), Query{Prompt: prompt, Limit: k, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalMatches != len(all) {
				t.Errorf("TotalMatches = %d, want %d", res.TotalMatches, len(all))
			}
			want := all[:min(k, len(all))]
			if len(res.Leads) != len(want) {
				t.Fatalf("%d leads, want %d", len(res.Leads), len(want))
			}
			for i, l := range res.Leads {
				if l.Profile.Domain != want[i].domain || math.Abs(l.Score-e.cfg.Platt.Calibrate(want[i].score)) > 1e-12 {
					for j, w := range all {
						if w.domain == l.Profile.Domain || w.domain == want[i].domain {
							t.Logf("expected #%d %s z=%.17g", j, w.domain, w.score)
						}
					}
					for j, l2 := range res.Leads {
						if l2.Profile.Domain == want[i].domain {
							t.Logf("engine #%d %s %.17g", j, l2.Profile.Domain, l2.Score)
						}
					}
					t.Fatalf("lead %d = %s (%g), want %s (%g)", i, l.Profile.Domain, l.Score, want[i].domain, want[i].score)
				}
			}
		})
	}
}

func TestTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{0, 1, 2, 5, 64} {
		items := make([]scored, 500)
		for i := range items {
			items[i] = scored{idx: i, score: float64(rng.IntN(20)), domain: fmt.Sprintf("d%03d", rng.IntN(1000))}
		}
		top := newTopK(k)
		for _, it := range items {
			top.push(it)
		}
		got := top.sorted()
		slices.SortStableFunc(items, func(a, b scored) int {
			switch {
			case better(&a, &b):
				return -1
			case better(&b, &a):
				return 1
			}
			return 0
		})
		want := items[:min(k, len(items))]
		for i := range want {
			if got[i].score != want[i].score || got[i].domain != want[i].domain {
				t.Fatalf("k=%d: item %d = %+v, want %+v", k, i, got[i], want[i])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("k=%d: %d items, want %d", k, len(got), len(want))
		}
	}
}

func TestKthBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{0, 1, 2, 5, 64} {
		best := kthBest{k: k}
		var seen []float64
		for range 500 {
			v := float64(rng.IntN(50))
			best.push(v)
			seen = append(seen, v)
			if want := k > 0 && len(seen) >= k; best.full() != want {
				t.Fatalf("k=%d after %d values: full() = %v", k, len(seen), best.full())
			}
			if best.full() {
				sorted := slices.Sorted(slices.Values(seen))
				if got, want := best.kth(), sorted[len(sorted)-k]; got != want {
					t.Fatalf("k=%d after %d values: kth() = %g, want %g", k, len(seen), got, want)
				}
			}
		}
	}
}

func TestRankFilters(t *testing.T) {
	support := func(id string) []Evidence {
		return []Evidence{job(id, now.AddDate(0, 0, -2), "Help Desk Manager", "Run our help desk.")}
	}
	store := newWorld(
		company{Profile{Domain: "startup.io", Industry: "SaaS", SizeBucket: "11-50", City: "Boston", Country: "US", Technologies: []string{"Slack"}}, support("1")},
		company{Profile{Domain: "enterprise.com", Industry: "SaaS", SizeBucket: "1000+", City: "Boston", Country: "US", Technologies: []string{"Slack"}}, support("2")},
		company{Profile{Domain: "zendesk-user.com", Industry: "SaaS", SizeBucket: "11-50", City: "Boston", Country: "US", Technologies: []string{"Zendesk Suite"}}, support("3")},
		company{Profile{Domain: "hospital.org", Industry: "Hospital & Health Care", SizeBucket: "11-50", City: "Boston", Country: "USA"}, support("4")},
		company{Profile{Domain: "berlin.de", Industry: "SaaS", SizeBucket: "11-50", City: "Berlin", Country: "Germany"}, support("5")},
		company{Profile{Domain: "unknown.com", Employees: -1}, support("6")},
	)
	e := NewEngine(store, Config{Taxonomy: testTaxonomy()})
	rank := func(prompt string, f Filters) []Lead {
		t.Helper()
		res, err := e.Rank(context.Background(), Query{Prompt: prompt, Filters: f, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return res.Leads
	}
	scoreOf := func(leads []Lead, domain string) float64 {
		for _, l := range leads {
			if l.Profile.Domain == domain {
				return l.Score
			}
		}
		return -1
	}

	tests := []struct {
		name    string
		prompt  string
		filters Filters
		want    []string // domains, best first
	}{
		{"no filters: equal intent, domain order", "companies looking for a help desk", Filters{},
			[]string{"berlin.de", "enterprise.com", "hospital.org", "startup.io", "unknown.com", "zendesk-user.com"}},
		{"implicit filters only reorder", "SaaS startups in Boston looking for a help desk", Filters{},
			// unknown.com is unknown on three counts (0.5³), the others miss one (0.15).
			[]string{"startup.io", "zendesk-user.com", "berlin.de", "enterprise.com", "hospital.org", "unknown.com"}},
		{"excluded technology drops", "companies not using Zendesk looking for a help desk", Filters{},
			[]string{"berlin.de", "enterprise.com", "hospital.org", "startup.io", "unknown.com"}},
		{"excluded domains drop", "companies looking for a help desk",
			Filters{Exclude: []string{"www.berlin.de", "https://Hospital.org/x", "UNKNOWN.com"}},
			[]string{"enterprise.com", "startup.io", "zendesk-user.com"}},
		{"explicit industry is strict: unknown drops too", "companies looking for a help desk", Filters{Industries: []string{"healthcare"}},
			[]string{"hospital.org"}},
		{"explicit size wins over the prompt's", "startups looking for a help desk", Filters{CompanySizes: []string{"1000+"}},
			[]string{"enterprise.com"}},
		{"explicit location is hard", "companies looking for a help desk", Filters{Location: "Germany"},
			[]string{"berlin.de"}},
		{"explicit technology is hard", "companies looking for a help desk", Filters{Technologies: []string{"zendesk"}},
			[]string{"zendesk-user.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leads := rank(tt.prompt, tt.filters)
			if got := domains(leads); !slices.Equal(got, tt.want) {
				t.Errorf("leads = %q, want %q", got, tt.want)
			}
		})
	}

	// A soft mismatch costs more than an unknown value.
	leads := rank("startups looking for a help desk", Filters{})
	if s, big, unk := scoreOf(leads, "startup.io"), scoreOf(leads, "enterprise.com"), scoreOf(leads, "unknown.com"); !(big > 0 && unk > big && unk < s) {
		t.Errorf("startup %g, enterprise %g, unknown size %g", s, big, unk)
	}
}

func TestRankEveryLeadHasDatedSignal(t *testing.T) {
	store := randomStore(500, []string{"crm"}, 3)
	// Evidence that never mentions the product, and companies without evidence.
	for i := range store.cands {
		switch i % 3 {
		case 0:
			store.cands[i].Evidence = nil
		case 1:
			for k := range store.cands[i].Evidence {
				store.cands[i].Evidence[k].Title = "Accountant"
				store.cands[i].Evidence[k].Snippet = "Close the books."
			}
		}
	}
	res, err := NewEngine(store, Config{Taxonomy: testTaxonomy()}).Rank(context.Background(), Query{Prompt: "companies looking for CRM", Limit: 2000, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Leads) == 0 {
		t.Fatal("no leads")
	}
	dated := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	for _, l := range res.Leads {
		if len(l.Signals) == 0 || len(l.Signals) != len(l.Evidence) || len(l.Signals) > 5 {
			t.Fatalf("%s: %d signals, %d evidence items", l.Profile.Domain, len(l.Signals), len(l.Evidence))
		}
		for _, s := range l.Signals {
			if !dated.MatchString(s) {
				t.Errorf("%s: undated signal %q", l.Profile.Domain, s)
			}
		}
		if l.Evidence[0].ObservedAt.IsZero() {
			t.Errorf("%s: evidence without a date", l.Profile.Domain)
		}
	}
	if want := 500 - 167; res.TotalMatches != want {
		t.Errorf("TotalMatches = %d, want %d (companies without evidence are not leads)", res.TotalMatches, want)
	}
}

func TestRankScoreGrowsWithEvidence(t *testing.T) {
	stats := CorpusStats{Companies: 100, DocFreq: map[string]int{"crm": 10}, AvgDocLength: 50}
	prev := 0.0
	for _, tf := range []float64{0.01, 0.5, 1, 2, 5, 50, 5000} {
		store := &fakeStore{stats: stats}
		store.add(Candidate{
			Profile: Profile{Domain: "a.com"}, DocLength: 50,
			Evidence: []Evidence{job("1", now, "CRM admin", "")},
		}, map[string]float64{"crm": tf}, nil)
		res, err := NewEngine(store, Config{Taxonomy: testTaxonomy()}).Rank(context.Background(), Query{Prompt: "looking for CRM", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		s := res.Leads[0].Score
		if !(s > prev) || s > 1 {
			t.Errorf("tf %g: score %g, previous %g", tf, s, prev)
		}
		prev = s
	}
}

func TestRankRequests(t *testing.T) {
	store := randomStore(3000, []string{"crm"}, 5)
	e := NewEngine(store, Config{Taxonomy: testTaxonomy(), PerTerm: 300, MaxLimit: 1000})
	tests := []struct {
		name      string
		limit     int
		wantLeads int
	}{
		{"default limit", 0, 25},
		{"negative limit", -4, 25},
		{"small limit", 3, 3},
		{"limit above PerTerm reads more", 500, 500},
		{"limit above MaxLimit", 5000, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store.asked = nil
			res, err := e.Rank(context.Background(), Query{Prompt: "Find companies looking for CRM software", Limit: tt.limit, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Leads) != tt.wantLeads {
				t.Errorf("%d leads, want %d", len(res.Leads), tt.wantLeads)
			}
			if len(store.asked) != 1 {
				t.Fatalf("%d retrievals, want 1", len(store.asked))
			}
			r := store.asked[0]
			// The product term, the topic term, then the topic's synonym and vendor terms.
			if len(r.Terms) < 3 || r.Terms[0] != "crm" || r.Terms[1] != TopicTerm("crm") || !slices.Contains(r.Terms, "salesforce") {
				t.Errorf("retrieval terms %q", r.Terms)
			}
			// More than eight terms share eight terms' reads, but each reads the limit.
			base := 300
			if n := len(r.Terms); n > 8 {
				base = 300 * 8 / n
			}
			want := max(base, tt.wantLeads)
			if r.PerTerm != want || !r.Now.Equal(now) {
				t.Errorf("retrieval %+v, want PerTerm %d", r, want)
			}
		})
	}
}

func TestRankClock(t *testing.T) {
	store := &fakeStore{}
	clock := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	e := NewEngine(store, Config{Taxonomy: testTaxonomy(), Now: func() time.Time { return clock }})
	if _, err := e.Rank(context.Background(), Query{Prompt: "looking for CRM"}); err != nil {
		t.Fatal(err)
	}
	if got := store.asked[0].Now; !got.Equal(clock) {
		t.Errorf("retrieval at %s, want the engine clock %s", got, clock)
	}
}

func TestRankNothingToLookFor(t *testing.T) {
	store := &fakeStore{}
	res, err := NewEngine(store, Config{Taxonomy: testTaxonomy()}).Rank(context.Background(), Query{Prompt: "Find companies in Boston", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Leads) != 0 || len(store.asked) != 0 {
		t.Errorf("%d leads, %d retrievals; want none", len(res.Leads), len(store.asked))
	}
	if res.Interpretation.Location != "Boston" {
		t.Errorf("interpretation %+v lacks the location", res.Interpretation)
	}
}

func TestRankErrors(t *testing.T) {
	boom := errors.New("connection refused")
	_, err := NewEngine(&fakeStore{err: boom}, Config{Taxonomy: testTaxonomy()}).Rank(context.Background(), Query{Prompt: "looking for CRM"})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "retrieve candidates: ") {
		t.Errorf("err = %v, want the wrapped store error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store := &fakeStore{}
	_, err = NewEngine(store, Config{Taxonomy: testTaxonomy()}).Rank(ctx, Query{Prompt: "looking for CRM"})
	if !errors.Is(err, context.Canceled) || len(store.asked) != 0 {
		t.Errorf("err = %v after %d retrievals, want context.Canceled before any", err, len(store.asked))
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero is valid", Config{}, ""},
		{"defaults are valid", DefaultConfig(), ""},
		{"negative per-term", Config{PerTerm: -1}, "scorer.per-term"},
		{"negative evidence", Config{MaxEvidence: -1}, "scorer.max-evidence"},
		{"max below default limit", Config{DefaultLimit: 50, MaxLimit: 10}, "scorer.max-limit"},
		{"b above 1", Config{B: 1.5}, "scorer.bm25-b"},
		{"negative k1", Config{K1: -1}, "scorer.bm25-k1"},
		{"NaN calibration", Config{Platt: Platt{A: 1, B: math.NaN()}}, "scorer.platt"},
		{"negative calibration slope", Config{Platt: Platt{A: -1}}, "scorer.platt"},
		{"negative strength", Config{Model: Model{Strength: -1}}, "coefficients"},
		{"soft mismatch above 1", Config{SoftMismatch: 2}, "scorer.soft-mismatch"},
		{"negative unknown fit", Config{UnknownFit: -0.1}, "scorer.unknown-fit"},
		{"negative half-life", Config{Decay: Decay{HalfLife: -time.Hour}}, "scorer.half-life"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want an error about %s", err, tt.wantErr)
			}
		})
	}

	var cfg Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"-scorer.per-term=250", "-scorer.half-life=168h"}); err != nil {
		t.Fatal(err)
	}
	if cfg.PerTerm != 250 || cfg.Decay.HalfLife != 168*time.Hour || cfg.MaxEvidence != 5 {
		t.Errorf("flags gave %+v", cfg)
	}
	for _, name := range []string{"scorer.per-term", "scorer.platt-a", "scorer.platt-b", "scorer.half-life"} {
		if f := fs.Lookup(name); f == nil || !strings.Contains(f.Usage, "default") {
			t.Errorf("flag %s missing or its help lacks the default", name)
		}
	}
}

func TestNewEnginePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"nil retriever":  func() { NewEngine(nil, Config{Taxonomy: testTaxonomy()}) },
		"invalid config": func() { NewEngine(&fakeStore{}, Config{Taxonomy: testTaxonomy(), B: 3}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func BenchmarkRank(b *testing.B) {
	const prompt = "Find SaaS companies with 50-200 employees looking for customer support software"
	tax := LoadTaxonomy()
	for _, n := range []int{1000, 10000} {
		store := randomStore(n, ParsePrompt(prompt).Terms, 11)
		q := Query{Prompt: prompt, Limit: 25, Now: now}
		// The store hands out the same candidates every time, like a warm cache: all
		// n companies, as retrieved for the query's terms.
		if _, err := NewEngine(store, Config{Taxonomy: tax}).Rank(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		cands, stats, _ := store.Retrieve(context.Background(), store.asked[0])
		if len(cands) != n {
			b.Fatalf("%d candidates retrieved, want %d", len(cands), n)
		}
		e := NewEngine(staticStore{cands, stats}, Config{Taxonomy: tax})
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := e.Rank(context.Background(), q)
				if err != nil || len(res.Leads) != 25 {
					b.Fatalf("%d leads, err %v", len(res.Leads), err)
				}
			}
		})
	}
}

// staticStore returns fixed candidates without copying them.
type staticStore struct {
	cands []Candidate
	stats CorpusStats
}

func (s staticStore) Retrieve(context.Context, Retrieval) ([]Candidate, CorpusStats, error) {
	return s.cands, s.stats, nil
}

// shortlistStore returns, like a store that reads only a shortlist, the first
// r.Shortlist candidates of its world that hold a query term.
type shortlistStore struct{ *fakeStore }

func (s shortlistStore) Retrieve(ctx context.Context, r Retrieval) ([]Candidate, CorpusStats, error) {
	out, stats, err := s.fakeStore.Retrieve(ctx, r)
	if err == nil && r.Shortlist > 0 && len(out) > r.Shortlist {
		out, stats.Shortlisted = out[:r.Shortlist], true
	}
	return out, stats, err
}

func TestRankWidensAShortlistHardFiltersEmptied(t *testing.T) {
	var cos []company
	// 300 companies in Germany ahead of 5 in the US on the store's shortlist order.
	for i := range 300 {
		d := fmt.Sprintf("de%03d.de", i)
		cos = append(cos, company{Profile{Domain: d, Country: "Germany"},
			[]Evidence{job(d, now.AddDate(0, 0, -2), "Help Desk Manager", "Run our help desk.")}})
	}
	for i := range 5 {
		d := fmt.Sprintf("us%d.com", i)
		cos = append(cos, company{Profile{Domain: d, Country: "United States"},
			[]Evidence{job(d, now.AddDate(0, 0, -2), "Help Desk Manager", "Run our help desk.")}})
	}
	store := shortlistStore{newWorld(cos...)}
	e := NewEngine(store, Config{Taxonomy: testTaxonomy(), Shortlist: 10})
	res, err := e.Rank(context.Background(), Query{Prompt: "companies looking for a help desk", Limit: 5, Filters: Filters{Location: "US"}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := domains(res.Leads), []string{"us0.com", "us1.com", "us2.com", "us3.com", "us4.com"}; !slices.Equal(got, want) {
		t.Errorf("leads = %q, want %q", got, want)
	}
	var asked []int
	for _, r := range store.asked {
		asked = append(asked, r.Shortlist)
	}
	if want := []int{20, 160, 1280}; !slices.Equal(asked, want) {
		t.Errorf("shortlists asked = %v, want %v (4 × the limit, then 8 times larger until nothing is left out)", asked, want)
	}
}

func TestRankHugeWeightsScoreANumber(t *testing.T) {
	stats := CorpusStats{Companies: 100, DocFreq: map[string]int{"crm": 10}, AvgDocLength: 50}
	store := &fakeStore{stats: stats}
	for i, w := range []float64{1e308, math.MaxFloat64, 3} {
		store.add(Candidate{
			Profile: Profile{Domain: fmt.Sprintf("c%d.com", i)}, DocLength: 50,
			Evidence: []Evidence{job(fmt.Sprint(i), now, "CRM admin", "")},
		}, map[string]float64{"crm": w}, map[string]float64{"crm": w})
	}
	res, err := NewEngine(store, Config{Taxonomy: testTaxonomy()}).Rank(context.Background(), Query{Prompt: "looking for CRM", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Leads) != 3 {
		t.Fatalf("%d leads, want 3", len(res.Leads))
	}
	for _, l := range res.Leads {
		if !(l.Score >= 0 && l.Score <= 1) || !(l.Confidence >= 0 && l.Confidence <= 1) {
			t.Errorf("%s: score %v, confidence %v", l.Profile.Domain, l.Score, l.Confidence)
		}
	}
}
