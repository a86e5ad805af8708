package scorer

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
)

// testTaxonomy is loaded once for all tests: the data is read-only.
var testTaxonomy = sync.OnceValue(LoadTaxonomy)

func TestLoadTaxonomy(t *testing.T) {
	tx := testTaxonomy()
	if tx.Len() < 200 {
		t.Fatalf("%d categories, want the curated, O*NET and CNCF ones (200+)", tx.Len())
	}
	sources := map[string]int{}
	for _, id := range tx.Categories() {
		c, ok := tx.Category(id)
		if !ok || c.ID != id || c.Name == "" {
			t.Fatalf("category %q: %+v", id, c)
		}
		sources[c.Source]++
		for _, r := range c.Related {
			if _, ok := tx.Category(r); !ok {
				t.Errorf("%s: related %q does not exist", id, r)
			}
		}
		if c.Source == "saas" && (len(c.Synonyms) == 0 || len(c.Vendors) == 0 || len(c.BuyerRoles) == 0) {
			t.Errorf("curated %s lacks synonyms, vendors or buyer roles", id)
		}
	}
	if sources["saas"] < 100 || sources["onet"] < 50 || sources["cncf"] < 10 {
		t.Errorf("categories by source %v", sources)
	}
	for _, id := range []string{"help_desk", "crm", "marketing_automation", "payroll", "hris", "ats", "ehr",
		"esignature", "expense_management", "ecommerce_platform", "observability", "siem", "data_warehouse",
		"bi", "ci_cd", "feature_flags", "cpq", "sales_engagement", "customer_success", "lms", "erp"} {
		if _, ok := tx.Category(id); !ok {
			t.Errorf("category %s missing", id)
		}
	}
	hd, _ := tx.Category("help_desk")
	for _, want := range []string{"ticketing", "service desk", "customer care platform", "support software"} {
		if !slices.Contains(hd.Synonyms, want) {
			t.Errorf("help_desk synonyms lack %q", want)
		}
	}
	for _, want := range []string{"Zendesk", "Freshdesk", "Intercom", "Help Scout", "Gorgias"} {
		if !slices.Contains(hd.Vendors, want) {
			t.Errorf("help_desk vendors lack %q", want)
		}
	}
}

// TestTaxonomyTitleKeys checks that titles.tsv was generated with the current
// tokenizer: known O*NET titles are found under their TitleKey. Regenerate with
// `go run ./scorer/taxonomy/gen` when it fails.
func TestTaxonomyTitleKeys(t *testing.T) {
	tx := testTaxonomy()
	for _, title := range []string{"Customer Service Representative", "Customer Service Representatives",
		"Registered Nurses", "Help Desk Technician", "Payroll Specialist", "Software Developers",
		"Nursing Home Aide", "Accountants and Auditors", "Chief Executives", "Recruiter"} {
		if _, ok := tx.titles[TitleKey(title)]; !ok {
			t.Errorf("title %q (key %q) not found", title, TitleKey(title))
		}
	}
	if len(tx.titles) < 40000 {
		t.Errorf("%d job titles, want the O*NET alternate titles", len(tx.titles))
	}
}

func TestTopicTerm(t *testing.T) {
	if got := TopicTerm("help_desk"); got != "topic:help_desk" {
		t.Fatalf("TopicTerm = %q", got)
	}
	if id, ok := TopicID(TopicTerm("crm")); !ok || id != "crm" {
		t.Errorf("TopicID(TopicTerm(crm)) = %q, %v", id, ok)
	}
	if _, ok := TopicID("crm"); ok {
		t.Error("TopicID accepts a plain term")
	}
	// No index term Tokenize makes can look like a topic term.
	for _, term := range Tokenize("topic:help_desk topic: crm") {
		if _, ok := TopicID(term); ok {
			t.Errorf("Tokenize made the topic term %q", term)
		}
	}
}

func TestTaxonomyMatch(t *testing.T) {
	tx := testTaxonomy()
	tests := []struct {
		phrase string
		want   string // the best topic; "" for none
		also   []string
	}{
		// In the taxonomy, by name, synonym, acronym or vendor.
		{"customer support software", "help_desk", nil},
		{"help desk", "help_desk", []string{"itsm"}},
		{"CRM software", "crm", nil},
		{"electronic health records systems", "ehr", nil},
		{"EHR", "ehr", nil},
		{"legacy erp modernization", "erp", nil},
		{"marketing automation", "marketing_automation", nil},
		{"payroll", "payroll", nil},
		{"applicant tracking", "ats", nil},
		{"an ATS", "ats", nil},
		{"e-signature", "esignature", nil},
		{"observability", "observability", nil},
		{"APM", "observability", nil},
		{"SIEM", "siem", nil},
		{"a data warehouse", "data_warehouse", nil},
		{"CI/CD pipelines", "ci_cd", nil},
		{"feature flags", "feature_flags", nil},
		{"CPQ", "cpq", nil},
		{"expense management", "expense_management", nil},
		{"e-commerce platform", "ecommerce_platform", nil},
		{"business intelligence", "bi", nil},
		{"LMS", "lms", nil},
		{"SOC 2 compliance automation", "grc", nil},
		// Paraphrases.
		{"tools to manage support tickets", "help_desk", nil},
		{"software to run payroll", "payroll", nil},
		{"a ticketing system for our support team", "help_desk", nil},
		{"a Zendesk alternative", "help_desk", nil},
		{"replacement for Marketo", "marketing_automation", nil},
		{"customer care platform", "help_desk", nil},
		{"recruiting software", "ats", nil},
		{"electronic medical records", "ehr", nil},
		{"kubernetes cost optimization", "cloud_cost", nil},
		{"cloud data warehouse", "data_warehouse", nil},
		{"dashboards and reporting", "bi", nil},
		{"sales cadences and cold email", "sales_engagement", nil},
		// O*NET and CNCF categories.
		{"computer aided design", "plm", nil},
		{"service mesh", "service_networking", nil},
		{"point of sale", "pos", nil},
		// Outside the taxonomy: nothing, so ranking falls back to the terms.
		{"quantum chemistry simulation", "", nil},
		{"vertical farming sensors", "", nil},
		{"", "", nil},
		{"software", "", nil},
		// A product named with its number.
		{"SOC 2", "grc", nil},
		{"ISO 27001 certification", "grc", nil},
		{"Microsoft 365 migration", "collaboration", nil},
		{"customer 360", "cdp", nil},
		{"top 10 CRM tools", "crm", nil},
		// A vendor named by a common word names its category only alone.
		{"Drone", "ci_cd", nil},
		{"Drone CI", "ci_cd", nil},
		{"Copper CRM", "crm", nil},
		{"drone inspection services", "", nil},
	}
	for _, tt := range tests {
		got := tx.Match(tt.phrase)
		if tt.want == "" {
			if len(got) > 0 && got[0].Score >= 0.5 {
				t.Errorf("Match(%q) = %+v, want nothing strong", tt.phrase, got)
			}
			continue
		}
		if len(got) == 0 || got[0].ID != tt.want {
			t.Errorf("Match(%q) = %+v, want %s first", tt.phrase, got, tt.want)
			continue
		}
		if got[0].Score < 0.5 || got[0].Score > 1 || got[0].Matched == "" || got[0].Name == "" {
			t.Errorf("Match(%q)[0] = %+v", tt.phrase, got[0])
		}
		for _, id := range tt.also {
			if !slices.ContainsFunc(got, func(m TopicMatch) bool { return m.ID == id }) {
				t.Errorf("Match(%q) = %+v, want %s too", tt.phrase, got, id)
			}
		}
		for i := 1; i < len(got); i++ {
			if got[i].Score > got[i-1].Score {
				t.Errorf("Match(%q) not best first: %+v", tt.phrase, got)
			}
		}
	}
}

func TestSignalTopics(t *testing.T) {
	tx := testTaxonomy()
	tests := []struct {
		name              string
		kind, title, text string
		want              []string // topics that must be there with weight ≥ 0.3
		not               []string // topics that must not be above 0.3
	}{
		{"job title through O*NET and roles", "job", "Customer Service Representative", "", []string{"help_desk", "crm"}, nil},
		{"senior job title", "job", "Senior Customer Support Specialist (Remote)", "", []string{"help_desk"}, nil},
		{"IT help desk", "job", "IT Help Desk Technician", "", []string{"itsm"}, nil},
		{"payroll", "job", "Payroll Specialist", "", []string{"payroll"}, []string{"itsm"}},
		{"vendor in the title", "job", "Salesforce Administrator", "", []string{"crm"}, nil},
		{"recruiter", "job", "Technical Recruiter", "", []string{"ats"}, nil},
		{"nurse informaticist", "job", "Epic Analyst", "Support our Epic EHR rollout.", []string{"ehr"}, nil},
		{"description names the product", "job", "Operations Associate", "You will run our help desk and Zendesk macros.", []string{"help_desk"}, nil},
		{"tech vendor", "tech", "Zendesk", "Help Desk", []string{"help_desk"}, nil},
		{"tech id", "tech", "help_scout", "", []string{"help_desk"}, nil},
		{"common-word vendor as technology", "tech", "Front", "", []string{"help_desk"}, nil},
		{"common-word vendor in text is not a vendor", "site", "About us", "Meet us at the front desk.", nil, []string{"help_desk"}},
		{"activity topic", "activity", "help desk software", "compared ticketing tools", []string{"help_desk"}, nil},
		{"site text", "site", "Pricing", "Our support team answers every ticket through our help desk.", []string{"help_desk"}, nil},
		{"unrelated", "site", "Our story", "We bake bread in Vermont.", nil, []string{"help_desk", "crm"}},
		{"generic words alone", "site", "Tools", "Our software platform and tools.", nil, []string{"help_desk", "crm", "tooling"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tx.SignalTopics(tt.kind, tt.title, tt.text)
			for _, id := range tt.want {
				if got[id] < 0.3 {
					t.Errorf("topics %v, want %s ≥ 0.3", got, id)
				}
			}
			for _, id := range tt.not {
				if got[id] >= 0.3 {
					t.Errorf("topics %v, want no %s", got, id)
				}
			}
			if len(got) > maxSignalTopics {
				t.Errorf("%d topics", len(got))
			}
			for id, w := range got {
				if _, ok := tx.Category(id); !ok || !(w > 0 && w <= 1) {
					t.Errorf("topic %s weight %g", id, w)
				}
			}
		})
	}
	if got := tx.SignalTopics("job", "", ""); got != nil {
		t.Errorf("empty signal: %v", got)
	}
	// Deterministic.
	a := tx.SignalTopics("job", "Customer Service Representative", "help desk, CRM and Zendesk")
	b := tx.SignalTopics("job", "Customer Service Representative", "help desk, CRM and Zendesk")
	if !maps.Equal(a, b) {
		t.Errorf("not deterministic: %v, %v", a, b)
	}
}

func TestVendorTopics(t *testing.T) {
	tx := testTaxonomy()
	for name, want := range map[string]string{"Zendesk": "help_desk", "zendesk_suite": "help_desk", "Help Scout": "help_desk",
		"salesforce": "crm", "HubSpot Marketing Hub": "marketing_automation", "Datadog": "observability", "Gusto": "payroll"} {
		if got := tx.VendorTopics(name); !slices.Contains(got, want) {
			t.Errorf("VendorTopics(%q) = %v, want %s", name, got, want)
		}
	}
	if got := tx.VendorTopics("Acme Widgets"); len(got) != 0 {
		t.Errorf("VendorTopics(Acme Widgets) = %v", got)
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"customer support software", "a Zendesk alternative", "", "~", "|", "c++ c# .net",
		"topic:help_desk", strings.Repeat("help desk ", 400), "\xff\xfe", "SOC 2 compliance"} {
		f.Add(s)
	}
	tx := testTaxonomy()
	f.Fuzz(func(t *testing.T, s string) {
		got := tx.Match(s)
		if len(got) > maxTopics {
			t.Fatalf("%d topics", len(got))
		}
		for _, m := range got {
			if !(m.Score > 0 && m.Score <= 1) {
				t.Fatalf("score %g", m.Score)
			}
		}
		tx.SignalTopics("job", s, s)
		tx.SignalTopics("tech", s, s)
	})
}

func BenchmarkLoadTaxonomy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		LoadTaxonomy()
	}
}

func BenchmarkMatch(b *testing.B) {
	tx := testTaxonomy()
	b.ReportAllocs()
	for b.Loop() {
		tx.Match("customer support software")
	}
}

func BenchmarkSignalTopics(b *testing.B) {
	tx := testTaxonomy()
	text := "We are hiring a Customer Support Team Lead to own our Zendesk help desk, macros and ticket routing. " +
		"You will work with sales on Salesforce, report in Looker and keep our SLAs. " + strings.Repeat("Benefits include health care. ", 10)
	b.ReportAllocs()
	for b.Loop() {
		tx.SignalTopics("job", "Customer Support Team Lead", text)
	}
}
