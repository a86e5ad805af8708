package scorer

import (
	"slices"
	"strings"
)

// contactPicker chooses the person to pitch to at each lead. It is built once per query.
type contactPicker struct {
	wanted [][]string // Filters.JobTitles as title tokens, in the client's order
	roles  [][]string // the titles that buy the product, most likely first
	// tokens remembers titleTokens of the contacts' titles: the leads of one
	// query share most titles ("CEO", "VP Sales").
	tokens map[string][]string
}

// newContactPicker prepares the choice: jobTitles are the client's (Filters.JobTitles),
// roles the titles that buy the product, most likely first (the taxonomy's buyer roles
// of the query's topics).
func newContactPicker(jobTitles, roles []string) contactPicker {
	var c contactPicker
	for _, t := range jobTitles {
		if tok := titleTokens(t); len(tok) > 0 {
			c.wanted = append(c.wanted, tok)
		}
	}
	for _, r := range roles {
		if tok := titleTokens(r); len(tok) > 0 {
			c.roles = append(c.roles, tok)
		}
	}
	return c
}

// pick returns the best contact: the one whose title shares the largest part of one of
// the requested job titles; else the first holding a role that buys the product
// (roles tried in order); else the one whose title shares the most of such a role
// (at least half of it, "Support Manager" for "Customer Support Manager"); else the
// first contact. A company without contacts gives the zero Contact.
func (c *contactPicker) pick(contacts []Contact) Contact {
	if len(contacts) == 0 {
		return Contact{}
	}
	titles := make([][]string, len(contacts))
	for i := range contacts {
		t := contacts[i].Title
		tok, ok := c.tokens[t]
		if !ok {
			tok = titleTokens(t)
			if c.tokens == nil {
				c.tokens = make(map[string][]string)
			}
			c.tokens[t] = tok
		}
		titles[i] = tok
	}
	if len(c.wanted) > 0 {
		best, bestScore := -1, 0.0
		for i, have := range titles {
			for _, want := range c.wanted {
				if s := overlap(want, have); s > bestScore {
					best, bestScore = i, s
				}
			}
		}
		if best >= 0 {
			return contacts[best]
		}
	}
	for _, role := range c.roles {
		for i, have := range titles {
			if overlap(role, have) == 1 {
				return contacts[i]
			}
		}
	}
	best, bestScore := 0, 0.0
	for _, role := range c.roles {
		for i, have := range titles {
			if s := overlap(role, have); s >= 0.5 && s > bestScore {
				best, bestScore = i, s
			}
		}
	}
	return contacts[best]
}

// overlap is the share of want's tokens that have holds.
func overlap(want, have []string) float64 {
	if len(want) == 0 {
		return 0
	}
	n := 0
	for _, w := range want {
		if slices.Contains(have, w) {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

// titleTokens reads a job title into comparable tokens: lower-case, stemmed, without
// filler words, with the usual abbreviations added ("Vice President of Sales" also
// holds "vp"; "Chief Technology Officer" also holds "cto").
func titleTokens(title string) []string {
	var words []string
	for f := range strings.FieldsFuncSeq(strings.ToLower(title), func(r rune) bool {
		return !isWordRune(r) && r != '-'
	}) {
		parts := strings.Split(f, "-")
		for i := 0; i < len(parts); i++ {
			p := parts[i]
			if len(p) == 1 && i+1 < len(parts) { // "e-commerce"
				parts[i+1] = p + parts[i+1]
				continue
			}
			if p != "" {
				words = append(words, p)
			}
		}
	}
	var out []string
	for i, w := range words {
		switch w {
		case "of", "and", "the", "for", "a", "an", "at", "to", "in":
			continue
		case "svp", "evp", "avp":
			out = append(out, "vp")
		case "president":
			if i > 0 && words[i-1] == "vice" {
				out = append(out, "vp")
			}
		case "chief":
			if acr := chiefAcronym(words[i+1:]); acr != "" {
				out = append(out, acr)
			}
		}
		out = append(out, stem(w))
	}
	return out
}

// chiefAcronym turns the words after "chief" up to "officer" into the usual
// abbreviation: "technology officer" → "cto".
func chiefAcronym(rest []string) string {
	b := []byte{'c'}
	for i, w := range rest {
		if i >= 4 {
			return ""
		}
		if w == "officer" {
			if len(b) == 1 {
				return ""
			}
			return string(append(b, 'o'))
		}
		b = append(b, w[0])
	}
	return ""
}

// buyerRoles are the job titles that usually buy what the product terms describe, most
// likely first, from the first term that names a known kind of product.
func buyerRoles(terms []string) []string {
	for _, t := range terms {
		if r := rolesForTerm(t); r != nil {
			return r
		}
		if a, b, ok := strings.Cut(t, "_"); ok {
			if r := rolesForTerm(a); r != nil {
				return r
			}
			if r := rolesForTerm(b); r != nil {
				return r
			}
		}
	}
	return nil
}

func rolesForTerm(t string) []string {
	switch t {
	case "support", "help_desk", "helpdesk", "ticket", "customer_service", "service_desk", "zendesk",
		"freshdesk", "intercom", "chatbot", "live_chat", "cx", "customer_success":
		return []string{"Customer Support", "Customer Success", "Customer Experience", "Support", "COO"}
	case "crm", "sale", "salesforce", "pipeline", "cpq", "prospect", "lead", "sdr", "pipedrive",
		"sell", "revenue", "revop", "revops":
		return []string{"VP Sales", "Head of Sales", "Revenue Operations", "Sales Operations", "CRO", "Sales"}
	case "marketing", "seo", "advertising", "ads", "campaign", "brand", "marketo", "hubspot", "mailchimp",
		"martech", "content", "newsletter", "email_marketing", "social_media":
		return []string{"CMO", "VP Marketing", "Head of Marketing", "Marketing"}
	case "payroll", "hr", "hris", "recruit", "hire", "talent", "benefit", "applicant", "ats",
		"onboard", "employee", "workforce", "compensate", "people":
		return []string{"People", "HR", "Human Resources", "Talent", "Payroll", "CFO"}
	case "accounting", "erp", "finance", "financial", "invoice", "bill", "expense", "procurement",
		"tax", "bookkeep", "audit", "budget", "spend", "treasury", "netsuite", "quickbook":
		return []string{"CFO", "Finance", "Controller", "Accounting"}
	case "security", "cybersecurity", "secure", "siem", "soc", "firewall", "endpoint", "identity",
		"sso", "vulnerability", "pentest", "compliance", "threat":
		return []string{"CISO", "Security", "CTO", "VP Engineering", "IT"}
	case "ehr", "emr", "clinical", "patient", "telehealth", "health_record", "electronic_health":
		return []string{"CMIO", "CIO", "Clinical", "IT", "COO"}
	case "devops", "monitor", "cloud", "data", "database", "observability", "infrastructure",
		"kubernetes", "aws", "azure", "api", "backup", "network", "server", "host", "developer",
		"code", "ci", "cd", "ci_cd", "test", "analytic", "bi", "deploy", "deployment", "log", "apm", "git":
		return []string{"CTO", "VP Engineering", "Engineering", "IT", "CIO"}
	case "legal", "contract", "counsel", "esignature", "signature":
		return []string{"General Counsel", "Legal", "COO"}
	case "video", "conference", "collaborate", "meet":
		return []string{"IT", "CIO", "COO"}
	case "ecommerce", "shopify", "storefront", "checkout":
		return []string{"E-commerce", "Digital", "CMO"}
	}
	return nil
}
