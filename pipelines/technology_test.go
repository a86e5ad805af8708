package pipelines

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTechnology(t *testing.T) {
	n := NewNormalizer()
	tests := []struct {
		name, raw, id, display string
	}{
		{"salesforce", "Salesforce", "salesforce", "Salesforce"},
		{"salesforce.com", "Salesforce.com", "salesforce", "Salesforce"},
		{"sfdc", "SFDC", "salesforce", "Salesforce"},
		{"sales cloud", "Sales Cloud", "salesforce", "Salesforce"},
		{"hubspot crm", "HubSpot CRM", "hubspot", "HubSpot"},
		{"hubspot lower case", "Hubspot", "hubspot", "HubSpot"},
		{"google analytics 4", "Google Analytics 4", "google_analytics", "Google Analytics"},
		{"ga4", "GA4", "google_analytics", "Google Analytics"},
		{"amazon web services", "Amazon Web Services", "aws", "Amazon Web Services"},
		{"aws", "AWS", "aws", "Amazon Web Services"},
		{"k8s", "K8s", "kubernetes", "Kubernetes"},
		{"postgres", "Postgres", "postgresql", "PostgreSQL"},
		{"postgresql", "PostgreSQL", "postgresql", "PostgreSQL"},
		{"node", "Node", "nodejs", "Node.js"},
		{"node.js", "Node.js", "nodejs", "Node.js"},
		{"nodejs", "NodeJS", "nodejs", "Node.js"},
		{"zendesk support", "Zendesk Support", "zendesk", "Zendesk"},
		{"marketo", "Marketo", "marketo", "Marketo"},
		{"pardot", "Salesforce Pardot", "pardot", "Pardot"},
		{"netsuite", "Oracle NetSuite", "netsuite", "NetSuite"},
		{"quickbooks", "QuickBooks Online", "quickbooks", "QuickBooks"},
		{"jira", "Jira Software", "jira", "Jira"},
		{"jira service management is help desk", "Jira Service Management", "jira_service_management", "Jira Service Management"},
		{"adp", "ADP Workforce Now", "adp", "ADP"},
		{"epic", "Epic Systems", "epic", "Epic"},
		{"cerner", "Oracle Cerner", "cerner", "Cerner"},
		{"docusign", "DocuSign", "docusign", "DocuSign"},
		{"marketing cloud is not salesforce crm", "Salesforce Marketing Cloud", "salesforce_marketing_cloud", "Salesforce Marketing Cloud"},
		{"c++", "C++", "cpp", "C++"},
		{"c#", "C#", "csharp", "C#"},
		{".net", ".NET", "dotnet", ".NET"},
		{"go", "Golang", "go", "Go"},
		// More words after a known name.
		{"product of a vendor", "Zendesk Chat", "zendesk", "Zendesk"},
		{"vendor suffix", "Tableau Software", "tableau", "Tableau"},
		{"version", "Python 3.12", "python", "Python"},
		{"version with plus", "Angular 2+", "angular", "Angular"},
		{"version after long name", "Microsoft SQL Server 2019", "sql_server", "Microsoft SQL Server"},
		{"version x", "Vue 3.x", "vue", "Vue.js"},
		{"exact name takes no more words", "Epic Games", "epic_games", "Epic Games"},
		{"exact name takes no more words, go", "Go Daddy", "go_daddy", "Go Daddy"},
		{"longer alias wins", "Zoom Info", "zoominfo", "ZoomInfo"},
		// Unknown names are kept.
		{"unknown", "Acme Widgets 2.0", "acme_widgets_2_0", "Acme Widgets 2.0"},
		{"unknown with punctuation", "  Foo/Bar -- Baz!  ", "foo_bar_baz", "Foo/Bar -- Baz!"},
		{"unknown with diacritics", "Épic Fâil", "epic_fail", "Épic Fâil"},
		{"unknown non-latin", "微信", "微信", "微信"},
		// Odd inputs.
		{"empty", "", "", ""},
		{"white space", " \t\n ", "", ""},
		{"punctuation only", "+++", "", ""},
		{"mixed case", "sAlEsFoRcE", "salesforce", "Salesforce"},
		{"surrounding space", "  HubSpot  ", "hubspot", "HubSpot"},
		{"full-width space inside", "Hub\u3000Spot", "hubspot", "HubSpot"},
		{"invalid utf-8", "Foo\xffBar", "foo_bar", "Foo\uFFFDBar"},
		{"very long", strings.Repeat("ab ", 1000), strings.TrimRight(strings.Repeat("ab_", 1000)[:maxTechIDBytes], "_"),
			strings.TrimSpace(strings.Repeat("ab ", 43))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, display := n.Technology(tt.raw)
			if id != tt.id || display != tt.display {
				t.Errorf("Technology(%q) = %q, %q; want %q, %q", tt.raw, id, display, tt.id, tt.display)
			}
		})
	}
}

func TestTechnologyTable(t *testing.T) {
	n := NewNormalizer()
	categories := map[string]bool{}
	for _, c := range []string{"crm", "help_desk", "marketing_automation", "sales_engagement",
		"sales_intelligence", "analytics", "cdp", "cloud", "database", "data_warehouse", "data_pipeline",
		"language", "framework", "devops", "monitoring", "security", "hr", "recruiting", "payroll",
		"accounting", "erp", "ecommerce", "payments", "collaboration", "project_management",
		"communication", "ehr", "esignature", "cms", "design", "customer_success", "survey"} {
		categories[c] = true
	}
	table := technologyTable()
	if len(table) < 150 {
		t.Errorf("%d technologies, want about 150 or more", len(table))
	}
	for _, tech := range table {
		for _, name := range append([]string{tech.id, tech.name}, tech.aliases...) {
			if id, display := n.Technology(name); id != tech.id || display != tech.name {
				t.Errorf("Technology(%q) = %q, %q; want %q, %q", name, id, display, tech.id, tech.name)
			}
		}
		if !categories[tech.category] {
			t.Errorf("%s: category %q is not in the list", tech.id, tech.category)
		}
		if got := n.TechnologyCategory(tech.id); got != tech.category {
			t.Errorf("TechnologyCategory(%q) = %q, want %q", tech.id, got, tech.category)
		}
	}
}

func TestTechnologyCategory(t *testing.T) {
	n := NewNormalizer()
	for _, tt := range []struct{ name, id, want string }{
		{"crm", "salesforce", "crm"},
		{"help desk", "zendesk", "help_desk"},
		{"marketing automation", "marketo", "marketing_automation"},
		{"ehr", "epic", "ehr"},
		{"payroll", "gusto", "payroll"},
		{"a name, not an id", "Salesforce", ""},
		{"unknown slug", "acme_widgets", ""},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := n.TechnologyCategory(tt.id); got != tt.want {
				t.Errorf("TechnologyCategory(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
}

func TestTechnologies(t *testing.T) {
	n := NewNormalizer()
	long := make([]string, 0, 200)
	wantLong := make([]string, 0, 100)
	for i := range 100 {
		name := "tool " + strings.Repeat("x", i%50) + string(rune('a'+i/50))
		long = append(long, name, strings.ToUpper(name))
		id, _ := n.Technology(name)
		wantLong = append(wantLong, id)
	}
	for _, tt := range []struct {
		name string
		raw  []string
		want []string
	}{
		{"canonical, de-duplicated, order kept",
			[]string{"Salesforce.com", "HubSpot CRM", "SFDC", "GA4", "Google Analytics", "Sales Cloud"},
			[]string{"salesforce", "hubspot", "google_analytics"}},
		{"unknown names kept", []string{"Acme Widgets", "Slack", "acme  widgets"}, []string{"acme_widgets", "slack"}},
		{"lists inside an entry", []string{"AWS, GCP; Azure | K8s\nDocker"},
			[]string{"aws", "google_cloud", "azure", "kubernetes", "docker"}},
		{"empty entries dropped", []string{"", "  ", ",,", "Zoom"}, []string{"zoom"}},
		{"nothing left", []string{"", " "}, nil},
		{"nil", nil, nil},
		{"long stack", long, wantLong},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := n.Technologies(tt.raw); !slices.Equal(got, tt.want) {
				t.Errorf("Technologies(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestTechSlug(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"plain", "Foo Bar", "foo_bar"},
		{"runs of separators", "--Foo__Bar--", "foo_bar"},
		{"cut at a character", strings.Repeat("é", 100), strings.Repeat("e", maxTechIDBytes)},
		{"no trailing separator after a cut", strings.Repeat("a", maxTechIDBytes-1) + " bb", strings.Repeat("a", maxTechIDBytes-1)},
		{"multi-byte letters are not split", strings.Repeat("微", 30), strings.Repeat("微", maxTechIDBytes/len("微"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := techSlug(tt.in)
			if got != tt.want || !utf8.ValidString(got) || len(got) > maxTechIDBytes {
				t.Errorf("techSlug(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
