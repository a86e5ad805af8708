package scorer

import (
	"slices"
	"testing"
)

func TestContactPick(t *testing.T) {
	team := []Contact{
		{Name: "Ann", Title: "Software Engineer"},
		{Name: "Bob", Title: "Vice President of Sales"},
		{Name: "Cat", Title: "Head of Customer Support"},
		{Name: "Dan", Title: "Chief Financial Officer"},
		{Name: "Eve", Title: "Chief Technology Officer"},
		{Name: "Fay", Title: "People Operations Manager"},
	}
	tests := []struct {
		name      string
		jobTitles []string
		prompt    string
		contacts  []Contact
		want      string
	}{
		{"requested title, abbreviation", []string{"CTO"}, "looking for crm", team, "Eve"},
		{"requested title, token overlap", []string{"VP Sales"}, "looking for payroll", team, "Bob"},
		{"first requested title that matches best", []string{"Director of Marketing", "Head of Support"}, "looking for crm", team, "Cat"},
		{"requested title matches nobody: buyer role", []string{"Janitor"}, "looking for payroll", team, "Fay"},
		{"support buyer", nil, "looking for customer support software", team, "Cat"},
		{"help desk buyer", nil, "looking for a help desk", team, "Cat"},
		{"crm buyer", nil, "looking for CRM", team, "Bob"},
		{"payroll buyer", nil, "looking for payroll", team, "Fay"},
		{"erp buyer", nil, "using legacy ERP systems that need modernization", team, "Dan"},
		{"devops buyer", nil, "looking for observability and monitoring", team, "Eve"},
		{"unknown product: first contact", nil, "looking for office plants", team, "Ann"},
		{"no contacts", []string{"CTO"}, "looking for crm", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := testTaxonomy()
			parsed := tx.ParsePrompt(tt.prompt)
			p := newContactPicker(tt.jobTitles, (&Engine{tax: tx}).contactRoles(newQueryPlan(tx, parsed), parsed.Terms))
			if got := p.pick(tt.contacts); got.Name != tt.want {
				t.Errorf("picked %q (%q), want %q", got.Name, got.Title, tt.want)
			}
		})
	}
}

func TestTitleTokens(t *testing.T) {
	tests := []struct {
		title string
		want  []string
	}{
		{"Vice President of Sales", []string{"vice", "vp", "president", "sale"}},
		{"Chief Information Security Officer", []string{"ciso", "chief", "informate", "security", "officer"}},
		{"SVP, Engineering", []string{"vp", "svp", "engineer"}},
		{"Head of E-commerce", []string{"head", "ecommerce"}},
		{"IT Director", []string{"it", "director"}},
	}
	for _, tt := range tests {
		if got := titleTokens(tt.title); !slices.Equal(got, tt.want) {
			t.Errorf("titleTokens(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
