package scorer

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", []string{}},
		{"only stopwords and numbers", "We are the 1 of 2026 and 50-200", []string{}},
		{"bigram after stopword removal", "Customer Support software",
			[]string{"customer", "support", "customer_support", "software", "support_software"}},
		{"bigram bridges stopwords", "help with the desk", []string{"help", "desk", "help_desk"}},
		{"hyphen splits and bigrams", "help-desk", []string{"help", "desk", "help_desk"}},
		{"clause punctuation breaks bigrams", "support, desk. ticket; chat", []string{"support", "desk", "ticket", "chat"}},
		{"numbers break bigrams", "crm 2026 rollout", []string{"crm", "rollout"}},
		{"lower-cased", "HubSpot CRM", []string{"hubspot", "crm", "hubspot_crm"}},
		{"plural and verb forms share a stem", "supports supporting supported",
			[]string{"support", "support", "support_support", "support", "support_support"}},
		{"software stays", "software", []string{"software"}},
		{"c++ and c#", "C++ / C#", []string{"c++", "c#", "c++_c#"}},
		{".net", "on .NET and ASP.NET", []string{".net", "asp.net", ".net_asp.net"}},
		{"node.js", "node.js.", []string{"node.js"}},
		{"single letter glued by hyphen", "e-commerce", []string{"ecommerce"}},
		{"one-letter words dropped", "a b c", []string{}},
		{"possessive", "company's payroll", []string{"company", "payroll", "company_payroll"}},
		{"curly quotes break", "“help” desk", []string{"help", "desk"}},
		{"unicode letters", "Café Zürich", []string{"café", "zürich", "café_zürich"}},
		{"long token dropped", "x" + strings.Repeat("a", 60) + " crm", []string{"crm"}},
		{"invalid utf-8", "crm\xff\xfehelp", []string{"crm", "help", "crm_help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokenize(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"support", "support"},
		{"supports", "support"},
		{"supporting", "support"},
		{"supported", "support"},
		{"software", "software"},
		{"companies", "company"},
		{"processes", "process"},
		{"business", "business"},
		{"status", "status"},
		{"analysis", "analysis"},
		{"saas", "saas"},
		{"devops", "devops"},
		{"apis", "api"},
		{"tools", "tool"},
		{"searches", "search"},
		{"hiring", "hire"},
		{"hired", "hire"},
		{"hire", "hire"},
		{"running", "run"},
		{"planning", "plan"},
		{"adding", "add"},
		{"billing", "bill"},
		{"staffing", "staff"},
		{"automated", "automate"},
		{"automating", "automate"},
		{"automation", "automate"},
		{"automations", "automate"},
		{"integration", "integrate"},
		{"modernization", "modernize"},
		{"modernizing", "modernize"},
		{"pricing", "price"},
		{"invoicing", "invoice"},
		{"purchasing", "purchase"},
		{"licensing", "license"},
		{"managing", "manage"},
		{"changing", "change"},
		{"handling", "handle"},
		{"scheduling", "schedule"},
		{"computing", "compute"},
		{"routing", "route"},
		{"creating", "create"},
		{"heating", "heat"},
		{"coding", "code"},
		{"opening", "open"},
		{"monitoring", "monitor"},
		{"recruiting", "recruit"},
		{"manufacturing", "manufacture"},
		{"based", "base"},
		{"focused", "focus"},
		{"embedded", "embed"},
		{"embed", "embed"},
		{"applied", "apply"},
		{"needed", "need"},
		{"need", "need"},
		{"string", "string"},
		{"thing", "thing"},
		{"marketing", "marketing"},
		{"accounting", "accounting"},
		{"station", "station"},
		{"c++", "c++"},
		{"über", "über"},
	}
	for _, tt := range tests {
		if got := stem(tt.in); got != tt.want {
			t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTermCounts(t *testing.T) {
	got := TermCounts("Help desk. Help desk! Ticketing")
	want := map[string]int{"help": 2, "desk": 2, "help_desk": 2, "ticket": 1}
	if len(got) != len(want) {
		t.Fatalf("TermCounts = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("TermCounts[%q] = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
	total := 0
	for _, v := range got {
		total += v
	}
	if n := len(Tokenize("Help desk. Help desk! Ticketing")); total != n {
		t.Errorf("counts sum to %d, Tokenize returns %d terms", total, n)
	}
}

// The index and the query must agree: the terms of a prompt are found in a signal text
// that says the same thing in other inflections.
func TestTokenizeQueryMatchesIndex(t *testing.T) {
	index := TermCounts("We are hiring a Customer Support Team Lead to run our help desk and support tickets.")
	query := ParsePrompt("companies looking for customer supporting help-desks").Terms
	for _, term := range []string{"customer", "support", "customer_support", "help", "desk", "help_desk"} {
		if !slices.Contains(query, term) {
			t.Errorf("query terms %q lack %q", query, term)
		}
		if index[term] == 0 {
			t.Errorf("index %v lacks %q", index, term)
		}
	}
}

var benchText = `Customer Support Team Lead. You will own our Zendesk help desk: ticket routing,
macros, SLAs and the knowledge base. You will answer customer tickets and live chat in
Intercom and turn recurring questions into help-center articles. We are a 120-person SaaS
company in Boston growing 80% a year; our support team is doubling in 2026.`

func BenchmarkTokenize(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Tokenize(benchText)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{benchText, "C++ / C# .NET e-commerce", "\xff\xfe a-b-c ..x. +#+ İstanbul ǅ", "x-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := Tokenize(text)
		counts := TermCounts(text)
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != len(terms) {
			t.Fatalf("TermCounts sums to %d, Tokenize gave %d terms", total, len(terms))
		}
		for _, term := range terms {
			if term == "" || len(term) > 2*maxTokenLen+8 || counts[term] == 0 {
				t.Fatalf("bad term %q in %q", term, terms)
			}
			if strings.Count(term, "_") > 1 {
				t.Fatalf("term %q joins more than two words", term)
			}
		}
	})
}
