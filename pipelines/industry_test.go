package pipelines

import (
	"slices"
	"strings"
	"testing"

	"github.com/leadpoet/leadpoet/scorer"
)

func TestIndustry(t *testing.T) {
	n := NewNormalizer()
	tests := []struct {
		name, raw, want string
	}{
		{"canonical", "saas", "saas"},
		{"canonical with underscore", "real_estate", "real_estate"},
		{"software as a service", "Software as a Service", "saas"},
		{"hyphenated software-as-a-service", "Software-as-a-Service", "saas"},
		{"b2b saas", "B2B SaaS", "saas"},
		{"linkedin it and services", "Information Technology and Services", "technology"},
		{"linkedin it and services with ampersand", "Information Technology & Services", "technology"},
		{"hospital and health care", "Hospital & Health Care", "healthcare"},
		{"health wellness and fitness", "Health, Wellness and Fitness", "healthcare"},
		{"financial services", "Financial Services", "finance"},
		{"fintech", "fintech", "finance"},
		{"banking", "Banking", "finance"},
		{"e-learning", "E-Learning", "education"},
		{"elearning without hyphen", "eLearning", "education"},
		{"higher education", "Higher Education", "education"},
		{"retail", "Retail", "retail"},
		{"internet", "Internet", "technology"},
		{"computer software", "Computer Software", "software"},
		{"insurance", "Insurance", "insurance"},
		{"ecommerce spelled e-commerce", "E-Commerce", "ecommerce"},
		{"video games", "Computer Games", "gaming"},
		{"consulting", "Management Consulting", "services"},
		{"staffing", "Staffing and Recruiting", "services"},
		{"law practice", "Law Practice", "legal"},
		{"automotive", "Automotive", "automotive"},
		{"real estate words", "Commercial Real Estate", "real_estate"},
		{"nonprofit", "Non-profit Organization Management", "nonprofit"},
		{"government", "Government Administration", "government"},
		{"telecom", "Telecommunications", "telecommunications"},
		{"agriculture", "Farming", "agriculture"},
		{"oil and energy", "Oil & Energy", "energy"},
		{"hospitality", "Leisure, Travel & Tourism", "hospitality"},
		{"construction", "Architecture & Planning", "construction"},
		{"logistics", "Logistics and Supply Chain", "logistics"},
		{"security", "Computer & Network Security", "security"},
		{"marketing", "Marketing and Advertising", "marketing"},
		{"media", "Broadcast Media", "media"},
		{"manufacturing", "Mechanical or Industrial Engineering", "manufacturing"},
		{"it alone", "IT", "technology"},
		// Values that are not a known spelling are read for the spellings inside.
		{"market beats what is sold", "Healthcare SaaS", "healthcare"},
		{"narrower beats broader", "Insurance Technology", "insurance"},
		{"narrower beats broader chain", "Cloud Software Technology", "saas"},
		{"services beats software", "Software Consulting Services", "services"},
		{"new linkedin name", "IT Services and IT Consulting", "services"},
		{"new linkedin name with commas", "Transportation, Logistics, Supply Chain and Storage", "logistics"},
		{"motor vehicle manufacturing is automotive", "Motor Vehicle Manufacturing", "automotive"},
		{"longest phrase first", "Health Insurance Provider", "insurance"},
		{"law enforcement is not legal", "Law Enforcement Agency", "government"},
		{"exact-only word inside a value", "Consumer Software", "software"},
		{"it inside a value does not count", "IT Healthcare", "healthcare"},
		{"two markets are ambiguous", "Healthcare & Education", ""},
		{"unknown", "Widgets", ""},
		{"unknown words only", "Mining & Metals", ""},
		// Odd inputs.
		{"empty", "", ""},
		{"white space", " \t\n ", ""},
		{"punctuation", "&&&", ""},
		{"mixed case", "hEaLtHcArE", "healthcare"},
		{"surrounding space", "  Financial   Services  ", "finance"},
		{"unicode dash", "E–Learning", "education"},
		{"diacritics", "Educación", ""},
		{"non-latin", "医疗", ""},
		{"invalid utf-8 separates words", "Health\xffcare", "healthcare"},
		{"very long", strings.Repeat("healthcare ", 100), ""},
		{"long but within the limit", strings.Repeat("x", 100) + " healthcare", "healthcare"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := n.Industry(tt.raw); got != tt.want {
				t.Errorf("Industry(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestCanonicalIndustries(t *testing.T) {
	n := NewNormalizer()
	all := CanonicalIndustries()
	if len(all) < 20 || len(all) > 32 {
		t.Fatalf("%d canonical industries, want about 25", len(all))
	}
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c] {
			t.Errorf("%q listed twice", c)
		}
		seen[c] = true
		if got := n.Industry(c); got != c {
			t.Errorf("Industry(%q) = %q, want it unchanged", c, got)
		}
	}
	all[0] = "changed"
	if CanonicalIndustries()[0] == "changed" {
		t.Error("CanonicalIndustries returns a shared slice")
	}
}

// TestCanonicalIndustriesReadByScorer checks that the scorer reads every canonical
// industry, as the API's industries filter passes it, as the industry it matches
// profiles with.
func TestCanonicalIndustriesReadByScorer(t *testing.T) {
	want := map[string]string{
		"software": "technology", "insurance": "finance", "ecommerce": "retail", "gaming": "media",
		"automotive": "manufacturing", "real_estate": "real estate",
	}
	for _, c := range CanonicalIndustries() {
		t.Run(c, func(t *testing.T) {
			w, ok := want[c]
			if !ok {
				w = c
			}
			prompt := "Find " + strings.ReplaceAll(c, "_", " ") + " companies looking for crm"
			if got := scorer.ParsePrompt(prompt).Industries; !slices.Equal(got, []string{w}) {
				t.Errorf("scorer reads %q as %q, want [%q]", prompt, got, w)
			}
		})
	}
}

func TestIndustryAliases(t *testing.T) {
	n := NewNormalizer()
	for _, c := range CanonicalIndustries() {
		t.Run(c, func(t *testing.T) {
			aliases := n.IndustryAliases(c)
			if len(aliases) < 3 || aliases[0] != c {
				t.Fatalf("IndustryAliases(%q) = %q, want the name first and some aliases", c, aliases)
			}
			for _, a := range aliases {
				if a != strings.ToLower(a) {
					t.Errorf("alias %q is not lower case", a)
				}
				if got := n.Industry(a); got != c {
					t.Errorf("Industry(%q) = %q, want %q", a, got, c)
				}
			}
		})
	}
	for _, tt := range []struct{ name, in string }{
		{"synonym, not canonical", "fintech"}, {"unknown", "widgets"}, {"empty", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := n.IndustryAliases(tt.in); got != nil {
				t.Errorf("IndustryAliases(%q) = %q, want nil", tt.in, got)
			}
		})
	}
	t.Run("case and space", func(t *testing.T) {
		if got := n.IndustryAliases(" Healthcare "); len(got) == 0 || got[0] != "healthcare" {
			t.Errorf("IndustryAliases(\" Healthcare \") = %q", got)
		}
	})
	t.Run("copy", func(t *testing.T) {
		n.IndustryAliases("finance")[0] = "changed"
		if got := n.IndustryAliases("finance")[0]; got != "finance" {
			t.Errorf("a caller's change shows in the table: %q", got)
		}
	})
}
