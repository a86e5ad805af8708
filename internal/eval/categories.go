package eval

import (
	"github.com/leadpoet/leadpoet/internal/demo"
	"github.com/leadpoet/leadpoet/schemas"
)

// Category is a kind of B2B product the companies of a world can be in the market
// for, with the words the world's signals and the prompts use for it.
type Category struct {
	ID   string // stable identifier, e.g. "help_desk"
	Name string // what a buyer calls it, e.g. "help desk software"
	// Inside is whether a typical product taxonomy has the category. The categories
	// outside it (fleet telematics, restaurant POS, …) test a model that must rank
	// products it was not built for.
	Inside bool
	// BaseRate is the chance that a company is in the market for the category,
	// before the industry and size multipliers.
	BaseRate float64
	// OnlyIndustry, when set, is the one industry whose companies can be in the
	// market (EHR: healthcare).
	OnlyIndustry string
	// IndustryBoost multiplies BaseRate for companies of an industry (missing: 1).
	IndustryBoost map[string]float64
	// SizeBoost multiplies BaseRate per size bucket, in schemas.SizeBuckets order
	// (0: 1).
	SizeBoost [5]float64

	// Vendors are products of the category. Signals name them with or without
	// category words; decoy companies run one of them happily.
	Vendors []string
	// Canonical are the category's plain names ("help desk"), which the signal
	// text of every world family uses some of the time.
	Canonical []string
	// Phrases are paraphrases and synonyms that signals of the standard family use
	// ("ticketing system", "service desk"); HeldoutPhrases are other ones, used by
	// the heldout family only.
	Phrases        []string
	HeldoutPhrases []string
	// Labels are the technographic category names of tech events, per family.
	Labels [2]string

	Team       string   // the team that buys it, e.g. "Customer Support"
	Titles     []string // job titles of the people who lead a purchase
	UserTitles []string // job titles of the people who use the product every day

	// PromptNames name the category in the prompts of the tuning split;
	// HeldoutNames in those of the held-out split.
	PromptNames  []string
	HeldoutNames []string
	// Industry is the canonical industry that prompts with an industry filter ask
	// for, and IndustryWord how a prompt says it ("SaaS").
	Industry     string
	IndustryWord string
}

// Vocabulary selects the family-specific word lists of a Category.
type Vocabulary int

// Vocabularies.
const (
	VocabularyStandard Vocabulary = iota
	VocabularyHeldout
)

// phrases returns the paraphrases of the vocabulary.
func (c *Category) phrases(v Vocabulary) []string {
	if v == VocabularyHeldout {
		return c.HeldoutPhrases
	}
	return c.Phrases
}

// label returns the technographic category name of the vocabulary.
func (c *Category) label(v Vocabulary) string { return c.Labels[v] }

// rate is the chance that a company of the industry and size bucket is in the
// market for c, scaled by scale.
func (c *Category) rate(industry string, bucket int, scale float64) float64 {
	if c.OnlyIndustry != "" && industry != c.OnlyIndustry {
		return 0
	}
	p := c.BaseRate * scale
	if m, ok := c.IndustryBoost[industry]; ok {
		p *= m
	}
	if m := c.SizeBoost[bucket]; m > 0 {
		p *= m
	}
	return min(p, 0.9)
}

// Categories returns the 20 categories of every world: the 15 of the demo data set
// (its IDs and vendors), a learning management system, and four that a typical
// product taxonomy misses. The slice is new on every call.
func Categories() []Category {
	vendors := map[string][]string{}
	for _, c := range demo.Categories() {
		vendors[c.ID] = c.Vendors
	}
	big := [5]float64{0.4, 0.7, 1, 1.4, 1.6}
	small := [5]float64{1.3, 1.3, 1, 0.8, 0.6}
	return []Category{
		{
			ID: "help_desk", Name: "help desk software", Inside: true, BaseRate: 0.06,
			IndustryBoost: map[string]float64{"saas": 1.3, "retail": 1.3},
			Vendors:       vendors["help_desk"],
			Canonical:     []string{"help desk", "customer support software"},
			Phrases:       []string{"ticketing system", "service desk", "support ticketing tool", "customer support platform"},
			HeldoutPhrases: []string{"customer care platform", "support inbox", "case management tool for support",
				"omnichannel support suite"},
			Labels: [2]string{"Help Desk", "Customer Service Software"},
			Team:   "Customer Support", Titles: []string{"Support Operations Manager", "Head of Customer Support", "Customer Experience Lead"},
			UserTitles:   []string{"Customer Support Specialist", "Support Agent", "Technical Support Engineer"},
			PromptNames:  []string{"help desk software", "customer support software", "a ticketing system"},
			HeldoutNames: []string{"a customer service platform", "tools to manage support tickets", "support desk tooling"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "crm", Name: "CRM software", Inside: true, BaseRate: 0.07,
			IndustryBoost: map[string]float64{"saas": 1.2, "services": 1.2},
			Vendors:       vendors["crm"],
			Canonical:     []string{"CRM", "customer relationship management system"},
			Phrases:       []string{"sales CRM", "pipeline management system", "contact management platform"},
			HeldoutPhrases: []string{"deal tracking tool", "sales system of record", "account management platform",
				"relationship intelligence tool"},
			Labels: [2]string{"CRM", "Sales Force Automation"},
			Team:   "Revenue Operations", Titles: []string{"Revenue Operations Manager", "Sales Operations Lead", "Head of Sales Operations"},
			UserTitles:   []string{"Account Executive", "Sales Development Representative", "Account Manager"},
			PromptNames:  []string{"CRM software", "a CRM", "customer relationship management software"},
			HeldoutNames: []string{"sales pipeline software", "a system to track deals and accounts", "sales force automation tools"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "marketing_automation", Name: "marketing automation software", Inside: true, BaseRate: 0.06,
			IndustryBoost: map[string]float64{"marketing": 2, "retail": 1.5, "media": 1.3},
			Vendors:       vendors["marketing_automation"],
			Canonical:     []string{"marketing automation platform", "marketing automation software"},
			Phrases:       []string{"email marketing platform", "campaign automation tool", "lead nurturing software"},
			HeldoutPhrases: []string{"lifecycle messaging platform", "drip campaign tool", "customer engagement platform",
				"audience journey builder"},
			Labels: [2]string{"Marketing Automation", "Email Marketing"},
			Team:   "Marketing", Titles: []string{"Marketing Operations Manager", "Lifecycle Marketing Lead", "Demand Generation Manager"},
			UserTitles:   []string{"Email Marketing Specialist", "Marketing Coordinator", "Growth Marketer"},
			PromptNames:  []string{"marketing automation software", "a marketing automation platform", "email marketing automation"},
			HeldoutNames: []string{"tools to automate email campaigns", "a lifecycle marketing platform", "software for nurturing leads"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "payroll", Name: "payroll software", Inside: true, BaseRate: 0.05, SizeBoost: small,
			Vendors:   vendors["payroll"],
			Canonical: []string{"payroll system", "payroll software"},
			Phrases:   []string{"payroll provider", "payroll and benefits platform", "pay run software"},
			HeldoutPhrases: []string{"salary processing service", "employer of record service", "wage and tax filing platform",
				"compensation disbursement tool"},
			Labels: [2]string{"Payroll", "HR & Payroll"},
			Team:   "Finance", Titles: []string{"Payroll Manager", "People Operations Lead", "Finance Operations Manager"},
			UserTitles:   []string{"Payroll Specialist", "Payroll Administrator", "HR Generalist"},
			PromptNames:  []string{"payroll software", "a payroll provider", "payroll processing software"},
			HeldoutNames: []string{"a service to pay employees and file payroll taxes", "salary processing tools", "an employer payroll platform"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "hris_ats", Name: "HRIS and applicant tracking software", Inside: true, BaseRate: 0.06,
			IndustryBoost: map[string]float64{"services": 1.3},
			Vendors:       vendors["hris_ats"],
			Canonical:     []string{"applicant tracking system", "HRIS"},
			Phrases:       []string{"ATS", "recruiting software", "HR information system"},
			HeldoutPhrases: []string{"hiring pipeline tool", "people platform", "talent acquisition suite",
				"candidate management system"},
			Labels: [2]string{"Applicant Tracking", "Human Capital Management"},
			Team:   "People", Titles: []string{"Recruiting Operations Manager", "HRIS Manager", "Head of Talent"},
			UserTitles:   []string{"Recruiter", "Talent Acquisition Coordinator", "HR Coordinator"},
			PromptNames:  []string{"an applicant tracking system", "HRIS software", "recruiting software"},
			HeldoutNames: []string{"tools to manage hiring and candidates", "a people management platform", "talent acquisition software"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "accounting_erp", Name: "accounting and ERP software", Inside: true, BaseRate: 0.05, SizeBoost: big,
			IndustryBoost: map[string]float64{"finance": 1.5, "retail": 1.3},
			Vendors:       vendors["accounting_erp"],
			Canonical:     []string{"ERP", "accounting software"},
			Phrases:       []string{"general ledger system", "financial management suite", "accounting platform"},
			HeldoutPhrases: []string{"books and close software", "finance system of record", "enterprise resource planning suite",
				"multi-entity consolidation tool"},
			Labels: [2]string{"ERP", "Financial Management"},
			Team:   "Finance", Titles: []string{"Controller", "Finance Systems Manager", "Head of Accounting"},
			UserTitles:   []string{"Staff Accountant", "Accounts Payable Specialist", "Bookkeeper"},
			PromptNames:  []string{"accounting software", "an ERP system", "ERP and accounting software"},
			HeldoutNames: []string{"software for the month-end close", "a finance system of record", "enterprise resource planning"},
			Industry:     "finance", IndustryWord: "financial services",
		},
		{
			ID: "data_warehouse_bi", Name: "data warehouse and BI software", Inside: true, BaseRate: 0.06,
			IndustryBoost: map[string]float64{"saas": 1.3, "technology": 1.2, "finance": 1.2},
			Vendors:       vendors["data_warehouse_bi"],
			Canonical:     []string{"data warehouse", "business intelligence tool"},
			Phrases:       []string{"BI platform", "analytics warehouse", "dashboarding tool"},
			HeldoutPhrases: []string{"self-serve reporting layer", "cloud data platform", "metrics and dashboards stack",
				"lakehouse"},
			Labels: [2]string{"Data Warehouse", "Analytics Platforms"},
			Team:   "Data", Titles: []string{"Head of Data", "Analytics Engineering Manager", "BI Lead"},
			UserTitles:   []string{"Data Analyst", "Analytics Engineer", "Business Analyst"},
			PromptNames:  []string{"a data warehouse", "business intelligence software", "BI and analytics tools"},
			HeldoutNames: []string{"a cloud data platform", "reporting and dashboard software", "self-service analytics"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "security_siem", Name: "SIEM and security monitoring software", Inside: true, BaseRate: 0.04, SizeBoost: big,
			IndustryBoost: map[string]float64{"security": 1.5, "finance": 1.5, "healthcare": 1.3},
			Vendors:       vendors["security_siem"],
			Canonical:     []string{"SIEM", "security monitoring platform"},
			Phrases:       []string{"security information and event management system", "log-based threat detection tool", "SOC platform"},
			HeldoutPhrases: []string{"detection and response platform", "security analytics suite", "XDR platform",
				"alert triage console"},
			Labels: [2]string{"SIEM", "Security Analytics"},
			Team:   "Security", Titles: []string{"Security Operations Lead", "Head of Information Security", "Detection Engineering Manager"},
			UserTitles:   []string{"SOC Analyst", "Security Analyst", "Incident Responder"},
			PromptNames:  []string{"SIEM software", "a security monitoring platform", "security information and event management"},
			HeldoutNames: []string{"threat detection and response tools", "a security analytics platform", "software for their SOC"},
			Industry:     "finance", IndustryWord: "financial services",
		},
		{
			ID: "observability", Name: "observability and monitoring software", Inside: true, BaseRate: 0.05,
			IndustryBoost: map[string]float64{"saas": 1.3, "technology": 1.3},
			Vendors:       vendors["observability"],
			Canonical:     []string{"observability platform", "monitoring tool"},
			Phrases:       []string{"application performance monitoring tool", "APM tool", "logging and tracing platform"},
			HeldoutPhrases: []string{"telemetry pipeline", "uptime and incident tooling", "infrastructure metrics platform",
				"SLO dashboard tool"},
			Labels: [2]string{"Monitoring", "Application Performance Management"},
			Team:   "Infrastructure", Titles: []string{"SRE Manager", "Head of Platform Reliability", "Observability Lead"},
			UserTitles:   []string{"Site Reliability Engineer", "Backend Engineer", "Production Engineer"},
			PromptNames:  []string{"observability software", "monitoring tools", "an APM solution"},
			HeldoutNames: []string{"software to watch production systems", "a telemetry and tracing platform", "uptime monitoring"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "ci_cd", Name: "CI/CD software", Inside: true, BaseRate: 0.05,
			IndustryBoost: map[string]float64{"saas": 1.3, "technology": 1.3},
			Vendors:       vendors["ci_cd"],
			Canonical:     []string{"CI/CD platform", "continuous integration service"},
			Phrases:       []string{"build pipeline", "deployment automation tool", "continuous delivery platform"},
			HeldoutPhrases: []string{"release tooling", "build and test runner service", "software delivery pipeline",
				"merge queue"},
			Labels: [2]string{"Continuous Integration", "DevOps Tools"},
			Team:   "Platform", Titles: []string{"DevOps Lead", "Platform Engineering Manager", "Build and Release Manager"},
			UserTitles:   []string{"Software Engineer", "Backend Developer", "QA Automation Engineer"},
			PromptNames:  []string{"CI/CD tools", "a continuous integration platform", "DevOps build automation"},
			HeldoutNames: []string{"release automation", "tools to build and ship code faster", "a software delivery pipeline"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "cloud_infrastructure", Name: "cloud infrastructure", Inside: true, BaseRate: 0.06,
			IndustryBoost: map[string]float64{"saas": 1.2, "technology": 1.3},
			Vendors:       vendors["cloud_infrastructure"],
			Canonical:     []string{"cloud infrastructure platform", "Kubernetes platform"},
			Phrases:       []string{"container platform", "infrastructure-as-code tool", "cloud migration partner"},
			HeldoutPhrases: []string{"managed compute platform", "hosting modernisation partner", "orchestration layer",
				"landing zone"},
			Labels: [2]string{"Cloud Platforms", "Infrastructure as a Service"},
			Team:   "Infrastructure", Titles: []string{"Cloud Platform Lead", "Head of Infrastructure", "Cloud Architect"},
			UserTitles:   []string{"DevOps Engineer", "Systems Engineer", "Backend Engineer"},
			PromptNames:  []string{"cloud infrastructure", "a Kubernetes platform", "cloud hosting and infrastructure"},
			HeldoutNames: []string{"a managed container platform", "help moving to the cloud", "compute and orchestration"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "ecommerce_platform", Name: "e-commerce platform", Inside: true, BaseRate: 0.04,
			IndustryBoost: map[string]float64{"retail": 3, "media": 1.3},
			Vendors:       vendors["ecommerce_platform"],
			Canonical:     []string{"e-commerce platform", "online store"},
			Phrases:       []string{"storefront platform", "shopping cart software", "headless commerce stack"},
			HeldoutPhrases: []string{"digital checkout stack", "web shop builder", "commerce engine",
				"product catalog and checkout system"},
			Labels: [2]string{"E-Commerce Platforms", "Digital Commerce"},
			Team:   "E-commerce", Titles: []string{"Head of E-commerce", "Digital Commerce Manager", "E-commerce Operations Lead"},
			UserTitles:   []string{"E-commerce Coordinator", "Merchandising Assistant", "Online Store Associate"},
			PromptNames:  []string{"an e-commerce platform", "online store software", "e-commerce software"},
			HeldoutNames: []string{"a new web shop", "digital commerce software", "a headless commerce engine"},
			Industry:     "retail", IndustryWord: "retail",
		},
		{
			ID: "esignature", Name: "e-signature software", Inside: true, BaseRate: 0.04,
			IndustryBoost: map[string]float64{"finance": 1.5, "services": 1.3},
			Vendors:       vendors["esignature"],
			Canonical:     []string{"e-signature tool", "electronic signature platform"},
			Phrases:       []string{"contract signing tool", "document workflow platform", "contract lifecycle management tool"},
			HeldoutPhrases: []string{"agreement automation tool", "digital paperwork platform", "sign-and-store document tool",
				"clickwrap tool"},
			Labels: [2]string{"E-Signature", "Contract Management"},
			Team:   "Legal", Titles: []string{"Legal Operations Manager", "Contracts Lead", "Deal Desk Manager"},
			UserTitles:   []string{"Paralegal", "Sales Coordinator", "Office Administrator"},
			PromptNames:  []string{"e-signature software", "electronic signature tools", "contract signing software"},
			HeldoutNames: []string{"a way to sign agreements online", "agreement automation", "contract lifecycle software"},
			Industry:     "finance", IndustryWord: "financial services",
		},
		{
			ID: "video_collaboration", Name: "video conferencing software", Inside: true, BaseRate: 0.03,
			Vendors:   vendors["video_collaboration"],
			Canonical: []string{"video conferencing tool", "video conferencing platform"},
			Phrases:   []string{"video meeting service", "online meeting platform", "team collaboration suite"},
			HeldoutPhrases: []string{"virtual meeting room service", "hybrid work communication tool", "webinar and call platform",
				"huddle room kit"},
			Labels: [2]string{"Video Conferencing", "Unified Communications"},
			Team:   "IT", Titles: []string{"IT Manager", "Workplace Technology Lead", "Head of IT"},
			UserTitles:   []string{"IT Support Technician", "Executive Assistant", "Office Coordinator"},
			PromptNames:  []string{"video conferencing software", "an online meeting platform", "video meeting tools"},
			HeldoutNames: []string{"tools for remote meetings", "unified communications", "a hybrid meeting solution"},
			Industry:     "saas", IndustryWord: "SaaS",
		},
		{
			ID: "ehr", Name: "EHR software", Inside: true, BaseRate: 0.2, OnlyIndustry: "healthcare",
			Vendors:   vendors["ehr"],
			Canonical: []string{"EHR", "electronic health records system"},
			Phrases:   []string{"EMR", "practice management system", "clinical records platform"},
			HeldoutPhrases: []string{"patient chart software", "clinical documentation system", "health records suite",
				"charting tool for clinicians"},
			Labels: [2]string{"EHR", "Clinical Systems"},
			Team:   "Clinical Systems", Titles: []string{"Clinical Systems Manager", "Health Informatics Lead", "EHR Program Manager"},
			UserTitles:   []string{"Registered Nurse", "Medical Assistant", "Care Coordinator"},
			PromptNames:  []string{"EHR software", "an electronic health records system", "an EMR"},
			HeldoutNames: []string{"patient record software", "clinical documentation tools", "a health records platform"},
			Industry:     "healthcare", IndustryWord: "healthcare",
		},
		{
			ID: "lms", Name: "learning management system", Inside: true, BaseRate: 0.03,
			IndustryBoost: map[string]float64{"education": 3, "services": 1.3},
			Vendors:       []string{"Docebo", "TalentLMS", "Cornerstone", "Moodle", "Absorb LMS", "360Learning"},
			Canonical:     []string{"learning management system", "LMS"},
			Phrases:       []string{"training platform", "e-learning software", "course delivery platform"},
			HeldoutPhrases: []string{"employee upskilling portal", "online academy software", "learning experience platform",
				"certification tracking tool"},
			Labels: [2]string{"Learning Management", "Corporate Learning"},
			Team:   "Learning and Development", Titles: []string{"Learning and Development Manager", "Head of Enablement", "Training Program Lead"},
			UserTitles:   []string{"Instructional Designer", "Trainer", "Course Coordinator"},
			PromptNames:  []string{"a learning management system", "LMS software", "e-learning software"},
			HeldoutNames: []string{"a training portal for staff", "online course software", "a learning experience platform"},
			Industry:     "education", IndustryWord: "education",
		},
		{
			ID: "fleet_telematics", Name: "fleet management telematics", BaseRate: 0.03,
			IndustryBoost: map[string]float64{"retail": 2, "services": 2},
			Vendors:       []string{"Samsara", "Geotab", "Verizon Connect", "Motive", "Fleetio"},
			Canonical:     []string{"fleet management system", "telematics platform"},
			Phrases:       []string{"vehicle tracking system", "GPS fleet tracking service", "driver safety camera system"},
			HeldoutPhrases: []string{"route and vehicle monitoring service", "dashcam and ELD system", "vehicle diagnostics platform",
				"delivery van tracking system"},
			Labels: [2]string{"Fleet Management", "Vehicle Telematics"},
			Team:   "Operations", Titles: []string{"Fleet Manager", "Transportation Operations Lead", "Head of Logistics"},
			UserTitles:   []string{"Dispatcher", "Delivery Driver", "Logistics Coordinator"},
			PromptNames:  []string{"fleet management telematics", "fleet tracking software", "vehicle telematics"},
			HeldoutNames: []string{"GPS tracking for delivery vans", "software to monitor company vehicles", "dashcams and ELDs for trucks"},
			Industry:     "retail", IndustryWord: "retail",
		},
		{
			ID: "restaurant_pos", Name: "restaurant POS", BaseRate: 0.03,
			IndustryBoost: map[string]float64{"retail": 3, "services": 1.5},
			Vendors:       []string{"Toast", "Square for Restaurants", "Lightspeed Restaurant", "TouchBistro", "Revel Systems"},
			Canonical:     []string{"restaurant POS", "point-of-sale system"},
			Phrases:       []string{"restaurant point-of-sale system", "POS terminal setup", "table ordering system"},
			HeldoutPhrases: []string{"kitchen display and checkout system", "tap-to-pay counter system", "front-of-house ordering system",
				"tableside payment handheld system"},
			Labels: [2]string{"Point of Sale", "Hospitality Payments"},
			Team:   "Operations", Titles: []string{"Restaurant Operations Manager", "Head of Hospitality Operations", "Store Systems Lead"},
			UserTitles:   []string{"Shift Lead", "Server", "Cashier"},
			PromptNames:  []string{"restaurant POS systems", "a point of sale for restaurants", "restaurant point-of-sale software"},
			HeldoutNames: []string{"checkout and ordering tech for cafés", "countertop payment terminals", "a kitchen display system"},
			Industry:     "retail", IndustryWord: "retail",
		},
		{
			ID: "legal_ediscovery", Name: "legal e-discovery software", BaseRate: 0.03,
			IndustryBoost: map[string]float64{"services": 2, "finance": 2, "security": 1.5},
			Vendors:       []string{"Relativity", "Everlaw", "Logikcull", "DISCO", "Exterro"},
			Canonical:     []string{"e-discovery platform", "e-discovery tool"},
			Phrases:       []string{"document review platform", "litigation support software", "legal hold tooling"},
			HeldoutPhrases: []string{"discovery response tooling", "case evidence review system", "review-and-production platform",
				"custodian collection tool"},
			Labels: [2]string{"E-Discovery", "Legal Technology"},
			Team:   "Legal", Titles: []string{"Litigation Support Manager", "Legal Operations Lead", "Discovery Counsel"},
			UserTitles:   []string{"Paralegal", "Legal Assistant", "Document Review Attorney"},
			PromptNames:  []string{"legal e-discovery software", "an e-discovery platform", "document review software for litigation"},
			HeldoutNames: []string{"tools to review documents for lawsuits", "litigation evidence review", "legal hold and discovery software"},
			Industry:     "finance", IndustryWord: "financial services",
		},
		{
			ID: "carbon_accounting", Name: "carbon accounting software", BaseRate: 0.03, SizeBoost: big,
			IndustryBoost: map[string]float64{"finance": 1.5, "retail": 1.5},
			Vendors:       []string{"Watershed", "Persefoni", "Sweep", "Greenly", "Normative"},
			Canonical:     []string{"carbon accounting platform", "emissions tracking tool"},
			Phrases:       []string{"greenhouse gas reporting tool", "sustainability reporting platform", "Scope 3 measurement tool"},
			HeldoutPhrases: []string{"climate disclosure software", "net-zero tracking tool", "ESG footprint platform",
				"supplier emissions survey tool"},
			Labels: [2]string{"Carbon Management", "ESG Reporting"},
			Team:   "Sustainability", Titles: []string{"Head of Sustainability", "ESG Reporting Manager", "Climate Program Lead"},
			UserTitles:   []string{"Sustainability Analyst", "ESG Analyst", "Energy Analyst"},
			PromptNames:  []string{"carbon accounting software", "emissions tracking tools", "a carbon accounting platform"},
			HeldoutNames: []string{"software to measure their carbon footprint", "climate disclosure reporting", "net-zero planning tools"},
			Industry:     "finance", IndustryWord: "financial services",
		},
	}
}

// bucketIndex is the position of a size bucket in schemas.SizeBuckets.
func bucketIndex(employees int) int {
	b := schemas.SizeBucket(employees)
	for i, s := range schemas.SizeBuckets {
		if s == b {
			return i
		}
	}
	return 0
}
