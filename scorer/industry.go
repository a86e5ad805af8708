package scorer

import "strings"

// industry is one of the canonical industries prompts, filters and profiles are mapped
// onto. The zero value is "none".
type industry uint8

const (
	industryNone industry = iota
	industrySaaS
	industryTechnology
	industryHealthcare
	industryFinance
	industryEducation
	industryRetail
	industryMarketing
	industryMedia
	industrySecurity
	industryServices
	industryLegal
	industryManufacturing
	industryLogistics
	industryRealEstate
	industryConstruction
	industryEnergy
	industryHospitality
	industryNonprofit
	industryGovernment
	industryTelecom
	industryAgriculture
)

// String is the canonical name, as Interpretation.Industries carries it.
func (i industry) String() string {
	switch i {
	case industrySaaS:
		return "saas"
	case industryTechnology:
		return "technology"
	case industryHealthcare:
		return "healthcare"
	case industryFinance:
		return "finance"
	case industryEducation:
		return "education"
	case industryRetail:
		return "retail"
	case industryMarketing:
		return "marketing"
	case industryMedia:
		return "media"
	case industrySecurity:
		return "security"
	case industryServices:
		return "services"
	case industryLegal:
		return "legal"
	case industryManufacturing:
		return "manufacturing"
	case industryLogistics:
		return "logistics"
	case industryRealEstate:
		return "real estate"
	case industryConstruction:
		return "construction"
	case industryEnergy:
		return "energy"
	case industryHospitality:
		return "hospitality"
	case industryNonprofit:
		return "nonprofit"
	case industryGovernment:
		return "government"
	case industryTelecom:
		return "telecommunications"
	case industryAgriculture:
		return "agriculture"
	}
	return ""
}

// industrySet is a set of canonical industries.
type industrySet uint32

func (s industrySet) with(i industry) industrySet {
	if i == industryNone {
		return s
	}
	return s | 1<<i
}

// lookupIndustry maps a lower-case phrase (words separated by single spaces) to its
// canonical industry. also is a second industry the phrase implies when it describes a
// company ("fintech" is finance and technology; a "software" company is also SaaS);
// a prompt asking for "fintech companies" asks for primary only.
func lookupIndustry(phrase string) (primary, also industry) {
	switch phrase {
	case "saas", "b2b saas", "software-as-a-service", "software as a service", "cloud software":
		return industrySaaS, industryTechnology
	case "software", "computer software", "software development", "software company", "software companies":
		return industryTechnology, industrySaaS
	case "technology", "technologies", "tech", "it", "information technology", "internet",
		"high tech", "high-tech", "hi-tech", "ai", "artificial intelligence", "machine learning",
		"developer tools", "computer hardware", "hardware", "semiconductors", "deep tech":
		return industryTechnology, industryNone
	case "healthcare", "health care", "health", "medical", "hospital", "hospitals", "clinic",
		"clinics", "biotech", "biotechnology", "pharma", "pharmaceutical", "pharmaceuticals",
		"life sciences", "medical devices", "dental", "health systems", "health system",
		"telehealth", "wellness", "mental health", "senior care", "home health":
		return industryHealthcare, industryNone
	case "healthtech", "health tech", "digital health", "medtech", "medical technology":
		return industryHealthcare, industryTechnology
	case "finance", "financial", "financial services", "banking", "bank", "banks", "insurance",
		"insurer", "insurers", "investment", "investments", "investment management",
		"investment banking", "capital markets", "wealth management", "asset management",
		"lending", "credit unions", "credit union", "accounting", "venture capital",
		"private equity":
		return industryFinance, industryNone
	case "fintech", "insurtech", "payments", "crypto", "blockchain":
		return industryFinance, industryTechnology
	case "education", "higher education", "higher ed", "school", "schools", "university",
		"universities", "college", "colleges", "k-12", "k12", "e-learning", "elearning",
		"education management", "training":
		return industryEducation, industryNone
	case "edtech", "education technology":
		return industryEducation, industryTechnology
	case "retail", "retailer", "retailers", "consumer goods", "cpg", "d2c", "dtc",
		"direct-to-consumer", "consumer products", "apparel", "fashion", "grocery", "consumer":
		return industryRetail, industryNone
	case "ecommerce", "e-commerce", "online retail", "marketplace", "marketplaces":
		return industryRetail, industryTechnology
	case "marketing", "advertising", "marketing and advertising", "agency", "agencies",
		"marketing agency", "marketing agencies", "public relations":
		return industryMarketing, industryNone
	case "martech", "adtech":
		return industryMarketing, industryTechnology
	case "media", "publishing", "publisher", "publishers", "entertainment", "news",
		"broadcasting", "broadcast media", "gaming", "games", "video games", "music", "film",
		"online media":
		return industryMedia, industryNone
	case "security", "cybersecurity", "cyber security", "infosec", "information security",
		"network security", "computer and network security":
		return industrySecurity, industryTechnology
	case "services", "professional services", "consulting", "consultancy", "consultancies",
		"management consulting", "staffing", "staffing and recruiting", "recruiting",
		"outsourcing", "business services", "bpo", "it services", "managed services":
		return industryServices, industryNone
	case "legal", "law", "law firm", "law firms", "law practice", "legal services":
		return industryLegal, industryServices
	case "legaltech", "legal tech":
		return industryLegal, industryTechnology
	case "manufacturing", "manufacturer", "manufacturers", "industrial", "industrials",
		"factory", "factories", "industrial automation", "machinery", "automotive",
		"aerospace", "electronics", "chemicals", "consumer electronics", "mechanical or industrial engineering":
		return industryManufacturing, industryNone
	case "logistics", "transportation", "shipping", "freight", "supply chain", "trucking",
		"warehousing", "logistics and supply chain":
		return industryLogistics, industryNone
	case "real estate", "property", "property management", "commercial real estate":
		return industryRealEstate, industryNone
	case "proptech":
		return industryRealEstate, industryTechnology
	case "construction", "building materials", "architecture":
		return industryConstruction, industryNone
	case "energy", "utilities", "utility", "oil", "oil and gas", "renewables", "renewable energy",
		"solar", "cleantech", "clean energy", "climate":
		return industryEnergy, industryNone
	case "hospitality", "hotel", "hotels", "restaurant", "restaurants", "travel", "tourism",
		"food and beverage", "food and beverages", "leisure", "cafe", "cafes", "café", "cafés",
		"coffee shops", "coffee shop", "bars", "bakeries", "bakery", "hotels and restaurants":
		return industryHospitality, industryNone
	case "nonprofit", "nonprofits", "non-profit", "non-profits", "not-for-profit", "ngo", "ngos",
		"charity", "charities", "philanthropy", "nonprofit organization management":
		return industryNonprofit, industryNone
	case "government", "public sector", "government administration", "municipal",
		"municipalities", "federal", "public administration", "defense", "govtech":
		return industryGovernment, industryNone
	case "telecom", "telecoms", "telecommunications", "telco", "telcos", "wireless":
		return industryTelecom, industryNone
	case "agriculture", "agtech", "farming", "food production":
		return industryAgriculture, industryNone
	}
	return industryNone, industryNone
}

// profileIndustries maps a profile's free-text industry ("Hospital & Health Care",
// "Computer Software") onto every canonical industry any of its phrases names.
func profileIndustries(s string) industrySet {
	var set industrySet
	if s == "" {
		return set
	}
	words := strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(s, "&", " and ")), func(r rune) bool {
		return !isWordRune(r) && r != '-'
	})
	for i := range words {
		phrase := ""
		for n := 0; n < 4 && i+n < len(words); n++ {
			if n == 0 {
				phrase = words[i]
			} else {
				phrase += " " + words[i+n]
			}
			p, a := lookupIndustry(phrase)
			set = set.with(p).with(a)
		}
	}
	return set
}
