package scorer

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// sig is one signal of a test company, as a producer would send it.
type sig struct {
	kind, action string
	title, text  string
	age          time.Duration // before now
	tech         string        // for kind "tech": the technology
}

// weightOf is the evidence weight ingest gives a signal (pipelines/evidence.go).
func weightOf(s sig) float64 {
	switch s.kind {
	case "job":
		return 1
	case "site":
		return 0.6
	case "tech":
		if s.action == "removed" {
			return 2.5
		}
		return 1
	}
	switch s.action {
	case "demo_request":
		return 5
	case "free_trial":
		return 4.5
	case "pricing_view":
		return 3
	case "comparison_view":
		return 2.5
	case "review_view":
		return 2
	case "webinar", "content_download":
		return 1.5
	case "search":
		return 1
	}
	return 0.5
}

// ingestWorld builds candidates as ingest and the Redis store would: each signal's
// weighted terms (title counting more) and its SignalTopics as topic terms, decayed
// at 30 days (weights) and 180 days (baselines), which Retrieve returns as Weights
// and Baselines; evidence most recent first (the ten latest); the stack's latest
// change per technology.
type ingestWorld struct {
	fakeStore
	tx  *Taxonomy
	now time.Time
}

func newIngestWorld(now time.Time) *ingestWorld {
	return &ingestWorld{tx: testTaxonomy(), now: now, fakeStore: fakeStore{stats: CorpusStats{DocFreq: map[string]int{}}}}
}

func (w *ingestWorld) add(p Profile, sigs ...sig) {
	c := Candidate{Profile: p, Stack: map[string]TechState{}}
	byTerm, baseline := map[string]float64{}, map[string]float64{}
	fast, slow := DefaultDecay(), BaselineDecay()
	for i, s := range sigs {
		at := w.now.Add(-s.age)
		wt := weightOf(s)
		terms := map[string]float64{}
		title, text := s.title, s.text
		ev := Evidence{EventID: fmt.Sprintf("%s-%d", p.Domain, i), Kind: s.kind, Action: s.action, Weight: wt, ObservedAt: at}
		switch s.kind {
		case "tech":
			title, text = s.tech, s.text
			verb := "Added "
			if s.action == "removed" {
				verb = "Removed "
			}
			ev.Title, ev.Snippet = verb+s.tech, s.tech+" ("+s.text+")"
			if cur, ok := c.Stack[techSlugForTest(s.tech)]; !ok || cur.At.Before(at) {
				c.Stack[techSlugForTest(s.tech)] = TechState{Change: s.action, At: at}
			}
		case "activity":
			ev.Title = strings.ReplaceAll(s.action, "_", " ") + ": " + s.title
			ev.Snippet = s.text
		default:
			ev.Title, ev.Snippet = s.title, s.text
		}
		titleWeight := 2.0
		if s.kind == "job" {
			titleWeight = 3
		}
		if s.kind == "tech" {
			titleWeight = 1
		}
		for t, n := range TermCounts(title) {
			terms[t] += wt * titleWeight * float64(n)
		}
		for t, n := range TermCounts(text) {
			terms[t] += wt * float64(n)
		}
		for id, tw := range w.tx.SignalTopics(s.kind, title, text) {
			terms[TopicTerm(id)] += wt * tw
		}
		for t, v := range terms {
			byTerm[t] += fast.At(fast.Forward(v, at), w.now)
			baseline[t] += slow.At(slow.Forward(v, at), w.now)
			c.DocLength += fast.At(fast.Forward(v, at), w.now)
		}
		c.Evidence = append(c.Evidence, ev)
	}
	slices.SortFunc(c.Evidence, func(a, b Evidence) int { return b.ObservedAt.Compare(a.ObservedAt) })
	if len(c.Evidence) > 10 {
		c.Evidence = c.Evidence[:10]
	}
	for t := range byTerm {
		w.stats.DocFreq[t]++
	}
	if c.DocLength > 0 {
		w.stats.AvgDocLength = (w.stats.AvgDocLength*float64(w.stats.Companies) + c.DocLength) / float64(w.stats.Companies+1)
		w.stats.Companies++
	}
	w.fakeStore.add(c, byTerm, baseline)
}

func techSlugForTest(name string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), " ", "_"))
}

func (w *ingestWorld) rank(t *testing.T, prompt string, f Filters) Result {
	t.Helper()
	res, err := NewEngine(w, Config{Taxonomy: testTaxonomy()}).Rank(context.Background(), Query{Prompt: prompt, Filters: f, Now: w.now, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

func leadIndex(res Result, domain string) int {
	return slices.IndexFunc(res.Leads, func(l Lead) bool { return l.Profile.Domain == domain })
}

// background gives a company unrelated signals, so that every company has some.
func background(n int) []sig {
	var out []sig
	for i := range n {
		out = append(out, sig{kind: "job", title: "Senior Accountant", text: "Close the books every month.", age: days(float64(5 + 17*i))})
	}
	return out
}

func TestModelSurgeBeatsSteadyNoise(t *testing.T) {
	w := newIngestWorld(now)
	// Steady: a page view and a webinar on help desks every week for six months.
	var steady []sig
	for wk := range 26 {
		steady = append(steady, sig{kind: "activity", action: "page_view", title: "help desk software", text: "Article: help desk software", age: days(float64(7*wk) + 2)})
		if wk%4 == 0 {
			steady = append(steady, sig{kind: "site", title: "Support", text: "We answer tickets in our help desk.", age: days(float64(7*wk) + 3)})
		}
	}
	w.add(Profile{Domain: "steady.com"}, append(steady, background(3)...)...)
	// Surge: less in total, all in the last two weeks.
	w.add(Profile{Domain: "surge.com"}, append(background(3),
		sig{kind: "job", title: "Customer Support Team Lead", text: "Choose and roll out our new help desk.", age: days(6)},
		sig{kind: "activity", action: "comparison_view", title: "help desk software", text: "Zendesk vs Freshdesk", age: days(3)},
	)...)
	w.add(Profile{Domain: "quiet.com"}, background(4)...)
	res := w.rank(t, "Find companies looking for customer support software", Filters{})
	if s, n := leadIndex(res, "surge.com"), leadIndex(res, "steady.com"); s != 0 || n < 0 {
		t.Fatalf("surge at %d, steady at %d: %v", s, n, domains(res.Leads))
	}
	if res.Leads[0].Score <= res.Leads[1].Score {
		t.Errorf("scores %g, %g", res.Leads[0].Score, res.Leads[1].Score)
	}
}

func TestModelTechnographics(t *testing.T) {
	research := func(age float64) []sig {
		return append(background(2),
			sig{kind: "activity", action: "review_view", title: "help desk software", text: "Reviews: help desk software", age: days(age)},
			sig{kind: "job", title: "Customer Support Specialist", text: "Answer tickets.", age: days(age + 2)},
		)
	}
	w := newIngestWorld(now)
	w.add(Profile{Domain: "removed.com"}, append(research(5), sig{kind: "tech", action: "removed", tech: "Zendesk", text: "Help Desk", age: days(10)})...)
	w.add(Profile{Domain: "none.com"}, research(5)...)
	w.add(Profile{Domain: "current.com", Technologies: []string{"Zendesk"}}, research(5)...)
	w.add(Profile{Domain: "longtime.com"}, append(research(5), sig{kind: "tech", action: "added", tech: "Freshdesk", text: "Help Desk", age: days(400)})...)
	w.add(Profile{Domain: "justbought.com"}, append(research(5), sig{kind: "tech", action: "added", tech: "Help Scout", text: "Help Desk", age: days(12)})...)
	res := w.rank(t, "companies looking for help desk software", Filters{})
	order := domains(res.Leads)
	pos := func(d string) int { return slices.Index(order, d) }
	if !(pos("removed.com") == 0 && pos("none.com") < pos("current.com") && pos("none.com") < pos("longtime.com") &&
		pos("current.com") < pos("justbought.com") && pos("longtime.com") < pos("justbought.com")) {
		t.Errorf("order %v: want removed competitor first, then none, then current vendors, then just bought", order)
	}
	found := false
	for _, s := range res.Leads[0].Signals {
		found = found || strings.HasPrefix(s, "Removed Zendesk on ")
	}
	if !found {
		t.Errorf("top lead's signals %q lack the removal", res.Leads[0].Signals)
	}

	// A current vendor with churn signals is not held back.
	w = newIngestWorld(now)
	churn := append(research(5), sig{kind: "activity", action: "comparison_view", title: "help desk software", text: "Zendesk alternatives", age: days(4)})
	w.add(Profile{Domain: "churning.com", Technologies: []string{"Zendesk"}}, churn...)
	w.add(Profile{Domain: "content.com", Technologies: []string{"Zendesk"}}, append(research(5),
		sig{kind: "activity", action: "webinar", title: "help desk software", text: "Webinar: help desk software", age: days(4)})...)
	res = w.rank(t, "companies looking for help desk software", Filters{})
	if got := domains(res.Leads); len(got) < 2 || got[0] != "churning.com" {
		t.Errorf("order %v, want the churning vendor user first", got)
	}

	// A prompt that names the vendor wants its users.
	w = newIngestWorld(now)
	w.add(Profile{Domain: "user.com", Technologies: []string{"Zendesk"}}, research(5)...)
	w.add(Profile{Domain: "other.com", Technologies: []string{"Freshdesk"}}, research(5)...)
	res = w.rank(t, "companies looking for a Zendesk alternative", Filters{})
	if got := domains(res.Leads); len(got) < 2 || got[0] != "user.com" {
		t.Errorf("order %v, want the Zendesk user first", got)
	}
}

func TestModelTopicsFindParaphrases(t *testing.T) {
	w := newIngestWorld(now)
	// Signals that never say "customer support software".
	w.add(Profile{Domain: "vendors.com"}, append(background(2),
		sig{kind: "activity", action: "pricing_view", title: "Zendesk", text: "Zendesk pricing", age: days(3)},
		sig{kind: "job", title: "Zendesk Administrator", text: "Own our Zendesk macros and triggers.", age: days(8)})...)
	w.add(Profile{Domain: "ticketing.com"}, append(background(2),
		sig{kind: "site", title: "Careers", text: "Our service desk team handles 2,000 tickets a week.", age: days(5)},
		sig{kind: "job", title: "Customer Service Representative", text: "Help customers by phone and chat.", age: days(9)})...)
	w.add(Profile{Domain: "unrelated.com"}, append(background(2),
		sig{kind: "job", title: "Payroll Specialist", text: "Run payroll in ADP.", age: days(4)})...)
	res := w.rank(t, "Find companies looking for customer support software", Filters{})
	got := domains(res.Leads)
	if len(got) < 2 || !slices.Contains(got[:2], "vendors.com") || !slices.Contains(got[:2], "ticketing.com") {
		t.Errorf("leads %v, want the companies whose signals name vendors and ticketing first", got)
	}
	if in := res.Interpretation; len(in.Topics) == 0 || in.Topics[0].ID != "help_desk" {
		t.Errorf("interpretation topics %+v", in.Topics)
	}
}

func TestModelOutOfTaxonomy(t *testing.T) {
	w := newIngestWorld(now)
	w.add(Profile{Domain: "lab.com"}, append(background(2),
		sig{kind: "job", title: "Computational Chemist", text: "Run quantum chemistry simulations on our cluster.", age: days(5)},
		sig{kind: "activity", action: "demo_request", title: "quantum chemistry simulation", text: "", age: days(2)})...)
	w.add(Profile{Domain: "other.com"}, append(background(2),
		sig{kind: "job", title: "Lab Technician", text: "Prepare samples for chemistry experiments.", age: days(5)})...)
	res := w.rank(t, "companies looking for quantum chemistry simulation software", Filters{})
	if got := domains(res.Leads); len(got) == 0 || got[0] != "lab.com" {
		t.Errorf("leads %v, want lab.com first", got)
	}
	if len(res.Interpretation.Topics) != 0 {
		t.Errorf("topics %+v for a product outside the taxonomy", res.Interpretation.Topics)
	}
	for _, l := range res.Leads {
		if len(l.Signals) == 0 {
			t.Errorf("%s has no signal", l.Profile.Domain)
		}
	}
}

func TestModelExplicitFiltersWin(t *testing.T) {
	w := newIngestWorld(now)
	r := append(background(1), sig{kind: "activity", action: "demo_request", title: "help desk software", age: days(2)})
	w.add(Profile{Domain: "small.com", SizeBucket: "11-50", Country: "United States"}, r...)
	w.add(Profile{Domain: "big.com", SizeBucket: "1000+", Country: "Germany"}, r...)
	// The prompt asks for small US companies; the explicit filters for big German ones.
	res := w.rank(t, "Find startups in the US looking for help desk software", Filters{CompanySizes: []string{"1000+"}, Location: "Germany"})
	if got := domains(res.Leads); !slices.Equal(got, []string{"big.com"}) {
		t.Errorf("leads %v, want only big.com", got)
	}
	if in := res.Interpretation; !slices.Equal(in.CompanySizes, []string{"1000+"}) || in.Location != "Germany" {
		t.Errorf("interpretation %+v", in)
	}
	// Without explicit filters the prompt's are soft: the mismatch ranks lower.
	res = w.rank(t, "Find startups in the US looking for help desk software", Filters{})
	if got := domains(res.Leads); !slices.Equal(got, []string{"small.com", "big.com"}) {
		t.Errorf("leads %v", got)
	}
}

func TestFitPlatt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const trueA, trueB = 1.8, -0.7
	var scores []float64
	var labels []bool
	for range 20000 {
		z := rng.NormFloat64() * 1.5
		scores = append(scores, sigmoid(z))
		labels = append(labels, rng.Float64() < sigmoid(trueA*z+trueB))
	}
	a, b := FitPlatt(scores, labels)
	if math.Abs(a-trueA) > 0.1 || math.Abs(b-trueB) > 0.1 {
		t.Errorf("FitPlatt = %g, %g; want about %g, %g", a, b, trueA, trueB)
	}
	p := Platt{A: a, B: b}
	if got, want := p.Calibrate(0), sigmoid(b); math.Abs(got-want) > 1e-12 {
		t.Errorf("Calibrate(0) = %g, want %g", got, want)
	}
	// Calibrated, the mean predicted probability matches the base rate.
	sum, pos := 0.0, 0
	for i, s := range scores {
		sum += p.Calibrate(logitOf(s))
		if labels[i] {
			pos++
		}
	}
	if mean, rate := sum/float64(len(scores)), float64(pos)/float64(len(scores)); math.Abs(mean-rate) > 0.01 {
		t.Errorf("mean calibrated probability %g, base rate %g", mean, rate)
	}
	for _, tt := range []struct {
		name   string
		scores []float64
		labels []bool
	}{
		{"empty", nil, nil},
		{"one class", []float64{0.2, 0.9}, []bool{true, true}},
		{"extreme scores", []float64{0, 1, 1e-300, 1}, []bool{false, true, true, false}},
	} {
		a, b := FitPlatt(tt.scores, tt.labels)
		if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
			t.Errorf("%s: FitPlatt = %g, %g", tt.name, a, b)
		}
	}
	if a, b := FitPlatt(nil, nil); a != 1 || b != 0 {
		t.Errorf("FitPlatt of nothing = %g, %g; want the identity", a, b)
	}
}
