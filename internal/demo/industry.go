package demo

import (
	"strings"
	"unicode"
)

// Industries are the canonical industries the demo data set assigns.
var Industries = []string{
	"healthcare", "finance", "education", "security", "retail", "marketing", "media",
	"services", "saas", "technology",
}

// industryRules are keyword rules on the blurb, in order of precedence: the industry
// with the most keyword hits wins and a tie goes to the earlier rule, so a healthcare
// software company is "healthcare" rather than "saas". "technology" is the fallback.
// A keyword ending in "*" matches words it begins; one with a space is a phrase.
var industryRules = []struct {
	industry string
	keywords []string
}{
	{"healthcare", []string{"health", "healthcare", "health-care", "medical", "medicine", "clinic*",
		"hospital*", "patient", "patients", "telehealth", "pharma*", "wellness", "therapy", "doctor",
		"doctors", "nutrition", "veterinar*"}},
	{"finance", []string{"bank*", "payment", "payments", "fintech", "financ*", "lending", "loan", "loans",
		"insurance", "insurtech", "invoic*", "accounting", "credit card", "credit cards", "remittance*",
		"money transfer", "money transfers", "crypto*", "blockchain", "trading", "investment",
		"investments", "investor", "investors", "tax", "taxes"}},
	{"education", []string{"education*", "learning", "learner", "learners", "student", "students",
		"teach*", "course", "courses", "school*", "universit*", "edtech", "tutor*", "curricul*",
		"academy", "training"}},
	{"security", []string{"security", "cybersecurity", "secure", "threat", "threats", "malware",
		"vulnerabilit*", "encryption", "privacy", "password*", "identity", "compliance", "pentest*", "siem"}},
	{"retail", []string{"e-commerce", "ecommerce", "retail*", "online store", "online stores", "shop",
		"shops", "shopping", "marketplace", "merchant", "merchants", "consumer goods", "fashion",
		"groceries", "brands"}},
	{"marketing", []string{"marketing", "marketer", "marketers", "advertis*", "seo", "campaign",
		"campaigns", "lead generation", "adtech", "brand awareness"}},
	{"media", []string{"media", "news", "newspaper*", "publish*", "journalis*", "magazine", "magazines",
		"podcast", "podcasts", "video", "music", "entertainment", "broadcast*", "editorial", "streaming",
		"game", "games", "gaming"}},
	{"services", []string{"agency", "agencies", "consultanc*", "consulting", "consultant", "consultants",
		"outsourc*", "staffing", "studio", "dev shop", "software house", "nearshore", "offshore",
		"clients", "services company", "development company"}},
	{"saas", []string{"saas", "software", "platform", "cloud-based", "subscription", "b2b", "api",
		"apis", "app", "apps", "dashboard", "tool", "tools"}},
}

// nonIndustryPhrases are removed before matching, so that "machine learning" does not
// count for education nor "social media" for media.
var nonIndustryPhrases = []string{
	"machine learning", "deep learning", "reinforcement learning", "learning budget",
	"continuous learning", "lifelong learning", "social media", "security clearance",
	"health insurance", "health benefits", "healthcare benefits", "mental health days",
	"video call", "video calls", "video conferencing", "remote team", "remote teams",
}

// inferIndustry picks the industry of a company from its blurb with keyword rules.
func inferIndustry(blurb string) string {
	words := strings.FieldsFunc(strings.ToLower(blurb), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
	text := " " + strings.Join(words, " ") + " "
	for _, p := range nonIndustryPhrases {
		text = strings.ReplaceAll(text, " "+p+" ", " ")
	}
	words = strings.Fields(text)
	best, bestHits := "technology", 0
	for _, r := range industryRules {
		hits := 0
		for _, k := range r.keywords {
			switch {
			case strings.Contains(k, " "):
				hits += strings.Count(text, " "+k+" ")
			case strings.HasSuffix(k, "*"):
				for _, w := range words {
					if strings.HasPrefix(w, k[:len(k)-1]) {
						hits++
					}
				}
			default:
				for _, w := range words {
					if w == k {
						hits++
					}
				}
			}
		}
		if hits > bestHits {
			best, bestHits = r.industry, hits
		}
	}
	return best
}
