package pipelines

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leadpoet/leadpoet/schemas"
	"github.com/leadpoet/leadpoet/scorer"
)

// rawCompany is a company event as a crawler sends it.
func rawCompany() schemas.Company {
	employees := 120
	return schemas.Company{
		Common: schemas.Common{
			EventID: "evt-0001", OccurredAt: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
			Domain: "acme-health.com", Source: "crawler",
		},
		CompanyName: "Acme Health",
		Industry:    "Hospital & Health Care",
		Employees:   &employees,
		Location:    schemas.Location{City: "boston", Region: "Massachusetts", Country: "USA"},
		Description: "Patient scheduling and billing software for clinics.",
		Technologies: []string{"Salesforce.com", "HubSpot CRM", "Google Analytics 4", "AWS", "Postgres",
			"Node.js", "Zendesk Support", "Slack", "Zoom", "Epic", "DocuSign", "SFDC"},
		Contacts: []schemas.Contact{{Name: "Jane Roe", Title: "VP Operations", Email: "jane@acme-health.com"}},
	}
}

func TestNormalizeCompany(t *testing.T) {
	n := NewNormalizer()
	e := rawCompany()
	n.Company(&e)
	want := rawCompany()
	want.Industry = "healthcare"
	want.Location = schemas.Location{City: "Boston", Region: "MA", Country: "United States"}
	want.Technologies = []string{"salesforce", "hubspot", "google_analytics", "aws", "postgresql", "nodejs",
		"zendesk", "slack", "zoom", "epic", "docusign"}
	if e.Industry != want.Industry || e.Location != want.Location || !slices.Equal(e.Technologies, want.Technologies) {
		t.Errorf("Company() = %q, %+v, %q;\nwant %q, %+v, %q", e.Industry, e.Location, e.Technologies,
			want.Industry, want.Location, want.Technologies)
	}
	if e.CompanyName != want.CompanyName || e.Description != want.Description || *e.Employees != *want.Employees ||
		!slices.Equal(e.Contacts, want.Contacts) || e.Common != want.Common {
		t.Errorf("Company() changed other fields: %+v", e)
	}
	raw := rawCompany()
	if raw.Technologies[0] != "Salesforce.com" {
		t.Error("Company() wrote into the event's technology slice")
	}

	again := e
	again.Technologies = slices.Clone(e.Technologies)
	n.Company(&again)
	if again.Industry != e.Industry || again.Location != e.Location || !slices.Equal(again.Technologies, e.Technologies) {
		t.Errorf("normalising twice changes the event: %+v", again)
	}
}

// staticRetriever returns every candidate for any query.
type staticRetriever struct{ cands []scorer.Candidate }

func (r staticRetriever) Retrieve(context.Context, scorer.Retrieval) ([]scorer.Candidate, scorer.CorpusStats, error) {
	stats := scorer.CorpusStats{Companies: len(r.cands), DocFreq: map[string]int{"crm": len(r.cands)}, AvgDocLength: 1}
	return r.cands, stats, nil
}

// TestNormalizedCompaniesMatchFilters checks what the API shows: companies sent with
// free-text values are found by the canonical filter values the API documents.
func TestNormalizedCompaniesMatchFilters(t *testing.T) {
	n := NewNormalizer()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	raw := []schemas.Company{
		{Common: schemas.Common{Domain: "acme-health.com"}, Industry: "Hospital & Health Care",
			Location:     schemas.Location{City: "boston", Region: "Massachusetts", Country: "USA"},
			Technologies: []string{"Salesforce.com", "Zendesk Support"}},
		{Common: schemas.Common{Domain: "ledger.io"}, Industry: "Financial Services",
			Location: schemas.Location{City: "NYC"}, Technologies: []string{"HubSpot CRM", "Postgres"}},
		{Common: schemas.Common{Domain: "shopco.de"}, Industry: "E-Commerce",
			Location: schemas.Location{City: "München", Country: "Deutschland"}, Technologies: []string{"Shopify Plus"}},
		{Common: schemas.Common{Domain: "learnly.ca"}, Industry: "E-Learning",
			Location: schemas.Location{City: "Toronto", Region: "Ontario"}, Technologies: []string{"SFDC"}},
		{Common: schemas.Common{Domain: "buildit.com"}, Industry: "Commercial Real Estate",
			Location: schemas.Location{City: "Austin, Texas"}, Technologies: []string{"Sales Cloud"}},
	}
	var cands []scorer.Candidate
	for _, e := range raw {
		n.Company(&e)
		cands = append(cands, scorer.Candidate{
			Profile: scorer.Profile{
				Domain: e.Domain, Industry: e.Industry, Employees: -1, City: e.Location.City,
				Region: e.Location.Region, Country: e.Location.Country, Technologies: e.Technologies,
			},
			Weights: []float64{1}, DocLength: 1,
			Evidence: []scorer.Evidence{{EventID: e.Domain, Kind: "job", Weight: 1, Title: "CRM administrator", ObservedAt: now}},
		})
	}
	engine := scorer.NewEngine(staticRetriever{cands}, scorer.Config{})
	for _, tt := range []struct {
		name    string
		filters scorer.Filters
		want    []string
	}{
		{"industry", scorer.Filters{Industries: []string{"healthcare"}}, []string{"acme-health.com"}},
		{"industry read as two", scorer.Filters{Industries: []string{"technology"}}, []string{"shopco.de"}},
		{"industry with underscore", scorer.Filters{Industries: []string{"real_estate"}}, []string{"buildit.com"}},
		{"industry with space", scorer.Filters{Industries: []string{"real estate"}}, []string{"buildit.com"}},
		{"industry finance", scorer.Filters{Industries: []string{"finance"}}, []string{"ledger.io"}},
		{"country", scorer.Filters{Location: "United States"}, []string{"acme-health.com", "buildit.com", "ledger.io"}},
		{"country alias", scorer.Filters{Location: "USA"}, []string{"acme-health.com", "buildit.com", "ledger.io"}},
		{"country in english", scorer.Filters{Location: "Germany"}, []string{"shopco.de"}},
		{"state code", scorer.Filters{Location: "MA"}, []string{"acme-health.com"}},
		{"state code from a city field", scorer.Filters{Location: "TX"}, []string{"buildit.com"}},
		{"city and state", scorer.Filters{Location: "Boston, MA"}, []string{"acme-health.com"}},
		{"city from an alias", scorer.Filters{Location: "New York"}, []string{"ledger.io"}},
		{"city in english", scorer.Filters{Location: "Munich"}, []string{"shopco.de"}},
		{"country from a province", scorer.Filters{Location: "Canada"}, []string{"learnly.ca"}},
		{"province code", scorer.Filters{Location: "ON"}, []string{"learnly.ca"}},
		{"technology", scorer.Filters{Technologies: []string{"salesforce"}}, []string{"acme-health.com", "buildit.com", "learnly.ca"}},
		{"technology variant", scorer.Filters{Technologies: []string{"postgresql"}}, []string{"ledger.io"}},
		{"technologies", scorer.Filters{Technologies: []string{"hubspot", "zendesk", "shopify"}},
			[]string{"acme-health.com", "ledger.io", "shopco.de"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := engine.Rank(context.Background(), scorer.Query{Prompt: "looking for crm", Filters: tt.filters, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range res.Leads {
				got = append(got, l.Profile.Domain)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("filters %+v match %q, want %q", tt.filters, got, tt.want)
			}
		})
	}
}

func TestNormalizeAllocations(t *testing.T) {
	n := NewNormalizer()
	for _, tt := range []struct {
		name string
		fn   func()
	}{
		{"known industry", func() { n.Industry("Hospital & Health Care") }},
		{"industry read word by word", func() { n.Industry("Healthcare SaaS Platform") }},
		{"known technology", func() { n.Technology("Salesforce.com") }},
		{"technology with version", func() { n.Technology("Python 3.12") }},
		{"normal location", func() { n.Location(schemas.Location{City: "Boston", Region: "MA", Country: "United States"}) }},
		{"known location", func() { n.Location(schemas.Location{City: "boston", Region: "Massachusetts", Country: "USA"}) }},
		{"known place", func() { n.ParsePlace("Boston, MA") }},
		{"place with noise", func() { n.ParsePlace("Remote - US") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, tt.fn); allocs != 0 {
				t.Errorf("%v allocations, want none", allocs)
			}
		})
	}
}

// TestNormalizerConcurrentUse runs every method from several goroutines at once; run
// with -race it checks that a Normalizer is only read after NewNormalizer.
func TestNormalizerConcurrentUse(t *testing.T) {
	n := NewNormalizer()
	want := rawCompany()
	n.Company(&want)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				e := rawCompany()
				n.Company(&e)
				if e.Industry != want.Industry || e.Location != want.Location || !slices.Equal(e.Technologies, want.Technologies) {
					t.Errorf("Company() = %+v, want %+v", e, want)
					return
				}
				n.ParsePlace("Austin, TX (HQ)")
				n.IndustryAliases("finance")
				n.TechnologyCategory("salesforce")
			}
		})
	}
	wg.Wait()
}

func TestPlaceTitle(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"lower", "san francisco", "San Francisco"},
		{"upper", "SAN FRANCISCO", "San Francisco"},
		{"hyphen", "winston-salem", "Winston-Salem"},
		{"particles", "rio de janeiro", "Rio de Janeiro"},
		{"particle first", "la paz", "La Paz"},
		{"mixed keeps capitals", "McAllen", "McAllen"},
		{"mixed raises first letters", "new York", "New York"},
		{"mixed lowers particles", "Frankfurt Am Main", "Frankfurt am Main"},
		{"caps lock", "bOSTON", "Boston"},
		{"capitals after a lower-case first letter", "aA0000", "Aa0000"},
		{"short code", "NSW", "NSW"},
		{"short code in mixed", "Sydney NSW", "Sydney NSW"},
		{"unicode", "são paulo", "São Paulo"},
		{"unchanged", "Boston", "Boston"},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeTitle(tt.in); got != tt.want {
				t.Errorf("placeTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Boston, MA", "Remote - US", "Hospital & Health Care", "Salesforce.com",
		"Python 3.12", "München, Deutschland", "N/A", "", "São Paulo", "Berlin, DE", "\xff", "Healthcare SaaS",
		"aA0000"} {
		f.Add(s, "MA", "USA")
	}
	n := NewNormalizer()
	canonical := map[string]bool{"": true}
	for _, c := range CanonicalIndustries() {
		canonical[c] = true
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		if ind := n.Industry(a); !canonical[ind] {
			t.Errorf("Industry(%q) = %q, not canonical", a, ind)
		}
		for _, l := range []schemas.Location{n.ParsePlace(a), n.Location(schemas.Location{City: a, Region: b, Country: c})} {
			if again := n.Location(l); again != l {
				t.Errorf("Location(%+v) = %+v, want it unchanged", l, again)
			}
			for _, field := range []string{l.City, l.Region, l.Country} {
				if len(field) > maxFieldBytes || !utf8.ValidString(field) || strings.TrimSpace(field) != field {
					t.Errorf("field %q of %+v is not clean", field, l)
				}
			}
		}
		id, name := n.Technology(a)
		if (id == "") != (name == "") || len(id) > maxTechIDBytes || len(name) > maxTechNameBytes ||
			!utf8.ValidString(id) || !utf8.ValidString(name) || techSlug(id) != id {
			t.Errorf("Technology(%q) = %q, %q", a, id, name)
		}
		if n.TechnologyCategory(id) != "" {
			if again, _ := n.Technology(id); again != id {
				t.Errorf("Technology(%q) = %q, want it unchanged", id, again)
			}
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	n := NewNormalizer()
	b.Run("company", func(b *testing.B) {
		raw := rawCompany()
		b.ReportAllocs()
		for b.Loop() {
			e := raw
			n.Company(&e)
		}
	})
	for _, bb := range []struct {
		name string
		fn   func()
	}{
		{"industry=known", func() { n.Industry("Hospital & Health Care") }},
		{"industry=words", func() { n.Industry("Healthcare Software Development Services") }},
		{"location=known", func() {
			n.Location(schemas.Location{City: "boston", Region: "Massachusetts", Country: "USA"})
		}},
		{"location=unknown", func() {
			n.Location(schemas.Location{City: "bad homburg vor der höhe", Region: "hessen", Country: "Deutschland"})
		}},
		{"place=city-state", func() { n.ParsePlace("Boston, MA") }},
		{"place=noisy", func() { n.ParsePlace("Hybrid - 123 Main St, Plano, TX 75024 (HQ) / Remote US") }},
		{"technology=known", func() { n.Technology("Salesforce.com") }},
		{"technology=prefix", func() { n.Technology("Microsoft SQL Server 2019") }},
		{"technology=unknown", func() { n.Technology("Acme Widgets Pro 2.0") }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bb.fn()
			}
		})
	}
}
