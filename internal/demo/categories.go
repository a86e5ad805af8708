package demo

// Category is a kind of B2B product a demo company can be in the market for. Its job
// posts name the category, its tools and its vendors.
type Category struct {
	ID      string   // stable identifier, e.g. "help_desk"
	Name    string   // what a prompt would call it, e.g. "customer support / help desk software"
	Vendors []string // products of the category that job posts mention
}

// category is a Category with what the job-post generator needs.
type category struct {
	Category
	noun     string   // the category in a sentence: "help desk"
	team     string   // the team that hires for it: "Customer Support"
	titles   []string // job titles of the posts that speak to it; {tool} becomes a vendor
	duties   []string // sentences; {tool} and {alt} become vendors, {company} the company
	industry string   // when set, only companies of this industry are in the market
}

// categories are the in-market categories of the demo data set.
var categories = []category{
	{
		Category: Category{ID: "help_desk", Name: "customer support / help desk software",
			Vendors: []string{"Zendesk", "Intercom", "Freshdesk", "Help Scout", "Gorgias", "Front", "Kustomer"}},
		noun: "help desk", team: "Customer Support",
		titles: []string{"Customer Support Team Lead", "Support Operations Manager", "Customer Support Specialist",
			"Head of Customer Experience", "{tool} Administrator", "Technical Support Engineer"},
		duties: []string{
			"You will own our {tool} help desk: ticket routing, macros, SLAs and the knowledge base.",
			"You will answer customer tickets and live chat in {tool} and turn recurring questions into help-center articles.",
			"You will build the support reporting in {tool} and keep first-response times under our SLA as ticket volume grows.",
			"You will set up triggers, automations and escalation paths in {tool} for a support team that is doubling this year.",
		},
	},
	{
		Category: Category{ID: "crm", Name: "CRM software",
			Vendors: []string{"Salesforce", "HubSpot CRM", "Pipedrive", "Microsoft Dynamics 365", "Zoho CRM"}},
		noun: "CRM", team: "Revenue Operations",
		titles: []string{"{tool} Administrator", "Revenue Operations Manager", "CRM Manager",
			"Sales Operations Analyst", "{tool} Specialist"},
		duties: []string{
			"You will administer {tool}: objects, fields, page layouts, validation rules and user permissions.",
			"You will own pipeline stages, lead routing and forecasting in {tool} for a growing sales team.",
			"You will keep CRM data clean, build dashboards in {tool} and integrate it with our billing system.",
		},
	},
	{
		Category: Category{ID: "marketing_automation", Name: "marketing automation software",
			Vendors: []string{"Marketo", "HubSpot Marketing Hub", "Pardot", "Braze", "Iterable", "Mailchimp", "Customer.io"}},
		noun: "marketing automation", team: "Marketing",
		titles: []string{"Marketing Operations Manager ({tool})", "Marketing Automation Specialist",
			"Lifecycle Marketing Manager", "Email Marketing Manager", "Demand Generation Manager"},
		duties: []string{
			"You will build nurture programs, lead scoring and email campaigns in {tool}.",
			"You will own our marketing automation stack around {tool}, from forms and landing pages to attribution reporting.",
			"You will run lifecycle and onboarding campaigns in {tool} and A/B test every step.",
		},
	},
	{
		Category: Category{ID: "payroll", Name: "payroll software",
			Vendors: []string{"Gusto", "ADP", "Paychex", "Rippling", "Deel"}},
		noun: "payroll", team: "Finance",
		titles: []string{"Payroll Specialist", "Payroll Manager", "Payroll and Benefits Administrator", "Global Payroll Lead"},
		duties: []string{
			"You will run semi-monthly payroll in {tool} for employees in several states and countries.",
			"You will reconcile payroll, benefits deductions and tax filings in {tool}.",
			"You will own payroll compliance and answer employee pay questions, working in {tool} every day.",
		},
	},
	{
		Category: Category{ID: "hris_ats", Name: "HRIS / recruiting / applicant tracking (ATS) software",
			Vendors: []string{"Greenhouse", "Workday", "BambooHR", "Lever", "Ashby", "HiBob", "Personio"}},
		noun: "HRIS and applicant tracking", team: "People",
		titles: []string{"HRIS Analyst", "Recruiting Operations Manager", "Talent Acquisition Coordinator",
			"People Operations Manager", "HR Systems Administrator"},
		duties: []string{
			"You will own our applicant tracking system, {tool}: job posts, interview plans, scorecards and offer approvals.",
			"You will keep employee records, onboarding flows and HR reports accurate in {tool}.",
			"You will coordinate interviews for dozens of open roles and keep every candidate moving in {tool}.",
		},
	},
	{
		Category: Category{ID: "accounting_erp", Name: "accounting / ERP software",
			Vendors: []string{"NetSuite", "QuickBooks", "Xero", "Sage Intacct", "SAP S/4HANA"}},
		noun: "accounting and ERP", team: "Finance",
		titles: []string{"Senior Accountant", "Controller", "{tool} Administrator", "Accounting Manager",
			"ERP Implementation Lead", "FP&A Analyst"},
		duties: []string{
			"You will run the month-end close, journal entries and account reconciliations in {tool}.",
			"You will own the general ledger and revenue recognition in {tool} as we prepare for an audit.",
			"You will configure {tool} workflows for purchasing, invoicing and multi-entity consolidation.",
		},
	},
	{
		Category: Category{ID: "data_warehouse_bi", Name: "data warehouse / BI analytics software",
			Vendors: []string{"Snowflake", "BigQuery", "Amazon Redshift", "Looker", "Tableau", "Power BI", "dbt", "Fivetran"}},
		noun: "data warehouse and BI", team: "Data",
		titles: []string{"Analytics Engineer", "Data Engineer", "BI Developer", "Head of Data", "Data Analyst ({tool})"},
		duties: []string{
			"You will model our data in {tool} with dbt and make it the single source of truth for reporting.",
			"You will build dashboards and self-serve analytics in {tool} for sales, finance and product.",
			"You will build ELT pipelines into {tool} and keep the warehouse fast, tested and documented.",
		},
	},
	{
		Category: Category{ID: "security_siem", Name: "security / SIEM software",
			Vendors: []string{"Splunk", "Microsoft Sentinel", "CrowdStrike Falcon", "Elastic Security", "Sumo Logic"}},
		noun: "SIEM", team: "Security",
		titles: []string{"Security Engineer", "SOC Analyst", "Detection and Response Engineer",
			"Head of Information Security", "Security Operations Lead"},
		duties: []string{
			"You will write detections, triage alerts and run incident response with {tool}.",
			"You will onboard log sources into {tool} and build the dashboards our SOC 2 audit asks for.",
			"You will harden our cloud accounts and endpoints and tune {tool} so that real threats stand out.",
		},
	},
	{
		Category: Category{ID: "observability", Name: "observability / monitoring software",
			Vendors: []string{"Datadog", "Prometheus", "Grafana", "New Relic", "PagerDuty", "Honeycomb"}},
		noun: "observability", team: "Infrastructure",
		titles: []string{"Site Reliability Engineer", "Observability Engineer", "Senior SRE",
			"Monitoring and Reliability Lead", "Production Engineer"},
		duties: []string{
			"You will own metrics, logs and traces in {tool} and define SLOs with every service team.",
			"You will build alerting and on-call runbooks around {tool} and cut our time to detect incidents.",
			"You will instrument services with OpenTelemetry and ship the data to {tool}.",
		},
	},
	{
		Category: Category{ID: "ci_cd", Name: "CI/CD / DevOps software",
			Vendors: []string{"Jenkins", "GitHub Actions", "GitLab CI", "CircleCI", "Argo CD", "Buildkite"}},
		noun: "CI/CD", team: "Platform",
		titles: []string{"DevOps Engineer", "Build and Release Engineer", "Platform Engineer (CI/CD)",
			"Developer Productivity Engineer"},
		duties: []string{
			"You will own our build and deployment pipelines in {tool} and make them faster and more reliable.",
			"You will move our release process to continuous delivery with {tool}, feature flags and automated rollbacks.",
			"You will cut CI times in half by caching, parallelising and right-sizing {tool} runners.",
		},
	},
	{
		Category: Category{ID: "cloud_infrastructure", Name: "cloud infrastructure / Kubernetes platform",
			Vendors: []string{"Kubernetes", "Terraform", "AWS", "Google Cloud", "Microsoft Azure", "Helm"}},
		noun: "cloud infrastructure", team: "Infrastructure",
		titles: []string{"Cloud Infrastructure Engineer", "Kubernetes Platform Engineer", "Cloud Architect",
			"Infrastructure Engineer ({tool})"},
		duties: []string{
			"You will run our production Kubernetes clusters and manage all infrastructure as code with {tool}.",
			"You will lead our migration to {tool} and design networking, IAM and cost controls for it.",
			"You will build a self-service platform on {tool} so that product teams ship without tickets.",
		},
	},
	{
		Category: Category{ID: "ecommerce_platform", Name: "e-commerce platform",
			Vendors: []string{"Shopify Plus", "Shopify", "BigCommerce", "Adobe Commerce (Magento)", "WooCommerce", "Salesforce Commerce Cloud"}},
		noun: "e-commerce platform", team: "E-commerce",
		titles: []string{"E-commerce Manager", "{tool} Developer", "Head of E-commerce",
			"E-commerce Operations Specialist", "Digital Merchandising Manager"},
		duties: []string{
			"You will run our online store on {tool}: catalog, promotions, checkout and conversion.",
			"You will build themes, apps and integrations for our {tool} storefront.",
			"You will manage product listings, inventory sync and order operations in {tool}.",
		},
	},
	{
		Category: Category{ID: "esignature", Name: "e-signature / document management software",
			Vendors: []string{"DocuSign", "Adobe Acrobat Sign", "PandaDoc", "Dropbox Sign", "Ironclad", "Box"}},
		noun: "e-signature and contract management", team: "Legal",
		titles: []string{"Contracts Manager", "Legal Operations Manager", "Document Control Specialist", "Deal Desk Analyst"},
		duties: []string{
			"You will manage the contract lifecycle from template to signature in {tool}.",
			"You will build approval workflows and a searchable contract repository in {tool}.",
			"You will move our paper and PDF agreements to electronic signatures with {tool}.",
		},
	},
	{
		Category: Category{ID: "video_collaboration", Name: "video conferencing / collaboration software",
			Vendors: []string{"Zoom", "Microsoft Teams", "Google Meet", "Slack", "Webex", "Miro"}},
		noun: "video conferencing and collaboration", team: "IT",
		titles: []string{"IT Support Specialist (Collaboration Tools)", "Workplace Technology Manager",
			"IT Systems Administrator", "Internal Communications Manager"},
		duties: []string{
			"You will administer {tool} for a distributed company: licences, meeting rooms, webinars and security settings.",
			"You will roll out {tool} to every office and support hybrid meetings across time zones.",
			"You will own our collaboration stack around {tool} and help teams work well remotely.",
		},
	},
	{
		Category: Category{ID: "ehr", Name: "EHR (electronic health records) software",
			Vendors: []string{"Epic", "Oracle Health (Cerner)", "athenahealth", "eClinicalWorks", "NextGen Healthcare"}},
		noun: "EHR", team: "Clinical Systems",
		titles: []string{"EHR Implementation Specialist", "Clinical Systems Analyst", "{tool} Analyst",
			"Health Informatics Manager", "Integration Engineer (HL7/FHIR)"},
		duties: []string{
			"You will configure clinical workflows, order sets and templates in {tool}.",
			"You will build HL7 and FHIR interfaces between {tool} and our patient-facing apps.",
			"You will support clinicians on {tool} and lead the rollout to new clinics.",
		},
		industry: "healthcare",
	},
}

// Categories returns the in-market categories of the demo data set.
func Categories() []Category {
	out := make([]Category, len(categories))
	for i, c := range categories {
		out[i] = c.Category
		out[i].Vendors = append([]string(nil), c.Vendors...)
	}
	return out
}

// intentSentences say that the company is choosing or changing a product of the
// category; {noun} is the category, {tool} and {alt} are vendors.
var intentSentences = []string{
	"We are evaluating {tool} and {alt} as we replace our current {noun} setup, and you will help choose.",
	"You will lead our migration from {alt} to {tool}.",
	"We are rolling out {tool} this quarter and you will own the implementation.",
	"Our {noun} tooling no longer keeps up with our growth, so you will help select and roll out a new platform such as {tool} or {alt}.",
	"This is a new role: we are investing in {noun} and budgeting for {tool} licences this year.",
}

// requirementSentences close a category post.
var requirementSentences = []string{
	"Hands-on experience with {tool} or {alt} is required.",
	"You have administered {tool}, or a similar {noun} product, at a growing company.",
	"Certification in {tool} is a plus.",
	"You know {noun} tools well and can compare {tool} with {alt} on cost and features.",
}

// noisePost is a job post that says nothing about an in-market category.
type noisePost struct {
	title     string
	sentences []string // {stack} becomes some of the company's technologies
}

var noisePosts = []noisePost{
	{"Senior Backend Engineer", []string{
		"You will design and build the APIs and services behind our product using {stack}.",
		"You care about clean code, tests and observability, and you like reviewing pull requests.",
	}},
	{"Frontend Engineer", []string{
		"You will build fast, accessible user interfaces with {stack}.",
		"You will work closely with design and product on every feature you ship.",
	}},
	{"Full Stack Engineer", []string{
		"You will ship features end to end across our stack: {stack}.",
		"We deploy many times a day and value small, well-tested changes.",
	}},
	{"Mobile Engineer", []string{
		"You will build and ship our iOS and Android apps.",
		"Our backend is built with {stack}.",
	}},
	{"Engineering Manager", []string{
		"You will lead a team of six engineers working with {stack}.",
		"You will hire, coach and help the team plan and deliver.",
	}},
	{"Product Designer", []string{
		"You will own the design of core product flows, from research to polished UI.",
		"You will work in Figma with product managers and engineers.",
	}},
	{"Product Manager", []string{
		"You will own the roadmap of one product area and talk to customers every week.",
		"You will write clear specs and measure the outcome of what we ship.",
	}},
	{"Account Executive", []string{
		"You will run the full sales cycle with mid-market customers, from first call to signed contract.",
		"You have a track record of meeting quota in B2B software sales.",
	}},
	{"Data Scientist", []string{
		"You will build models that improve our product and measure their impact with experiments.",
		"You are fluent in Python and SQL; our stack includes {stack}.",
	}},
	{"QA Engineer", []string{
		"You will build our automated test suites and own release quality.",
		"You will test web and API features built with {stack}.",
	}},
	{"Technical Writer", []string{
		"You will write the developer documentation and guides for our product.",
		"You can read code in {stack} well enough to explain it.",
	}},
	{"Office Manager", []string{
		"You will keep our office running smoothly and plan team events.",
		"You are organised, friendly and good with vendors.",
	}},
}
