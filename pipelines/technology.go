package pipelines

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxTechIDBytes   = 64  // an id made from an unknown name is cut to this length
	maxTechNameBytes = 128 // and its name to this one
	maxTechWords     = 8   // words of a name read when looking for a known prefix
)

// technology is a known technology: its id, its usual name, its vendor category and
// the other names it goes by. A known technology followed by more words is still that
// technology ("Zendesk Chat", "Python 3.12"), unless exact is set because its name is
// a common word or a prefix of other products ("Go", "Spring", "Epic").
type technology struct {
	id, name, category string
	aliases            []string
	exact              bool
}

// technologyTable lists common B2B technologies. Aliases fold as names do (see
// appendTechKey), so "node.js" also covers "NodeJS" and "Node JS".
func technologyTable() []technology {
	t := func(id, name, category string, aliases ...string) technology {
		return technology{id: id, name: name, category: category, aliases: aliases}
	}
	x := func(id, name, category string, aliases ...string) technology {
		return technology{id: id, name: name, category: category, aliases: aliases, exact: true}
	}
	return []technology{
		// CRM
		t("salesforce", "Salesforce", "crm", "salesforce.com", "sfdc", "sales cloud", "salesforce sales cloud",
			"salesforce crm", "service cloud", "salesforce service cloud", "force.com"),
		t("hubspot", "HubSpot", "crm", "hubspot crm", "hubspot marketing hub", "hubspot sales hub",
			"hubspot service hub", "hubspot cms"),
		t("pipedrive", "Pipedrive", "crm"),
		t("zoho_crm", "Zoho CRM", "crm"),
		t("microsoft_dynamics", "Microsoft Dynamics 365", "crm", "dynamics 365", "dynamics crm",
			"microsoft dynamics crm", "microsoft dynamics", "ms dynamics", "d365"),
		t("sugarcrm", "SugarCRM", "crm", "sugar crm"),
		t("freshsales", "Freshsales", "crm", "freshworks crm"),
		x("copper", "Copper", "crm", "copper crm"),
		t("insightly", "Insightly", "crm"),
		x("close", "Close", "crm", "close.io", "close crm"),
		// Help desk
		t("zendesk", "Zendesk", "help_desk", "zendesk support", "zendesk suite"),
		t("intercom", "Intercom", "help_desk"),
		t("freshdesk", "Freshdesk", "help_desk", "freshservice"),
		t("help_scout", "Help Scout", "help_desk", "helpscout"),
		t("servicenow", "ServiceNow", "help_desk", "service now"),
		t("jira_service_management", "Jira Service Management", "help_desk", "jira service desk",
			"jira service management cloud"),
		t("gorgias", "Gorgias", "help_desk"),
		t("kustomer", "Kustomer", "help_desk"),
		x("front", "Front", "help_desk", "frontapp", "front app"),
		x("drift", "Drift", "help_desk", "drift chat"),
		// Marketing automation and email
		t("marketo", "Marketo", "marketing_automation", "adobe marketo", "marketo engage", "adobe marketo engage"),
		t("pardot", "Pardot", "marketing_automation", "salesforce pardot", "account engagement",
			"marketing cloud account engagement"),
		t("eloqua", "Oracle Eloqua", "marketing_automation", "eloqua"),
		t("salesforce_marketing_cloud", "Salesforce Marketing Cloud", "marketing_automation", "marketing cloud",
			"exacttarget", "sfmc"),
		t("mailchimp", "Mailchimp", "marketing_automation", "mail chimp"),
		t("klaviyo", "Klaviyo", "marketing_automation"),
		t("activecampaign", "ActiveCampaign", "marketing_automation", "active campaign"),
		t("braze", "Braze", "marketing_automation", "appboy"),
		t("iterable", "Iterable", "marketing_automation"),
		t("customer_io", "Customer.io", "marketing_automation"),
		t("constant_contact", "Constant Contact", "marketing_automation"),
		t("sendgrid", "SendGrid", "marketing_automation", "twilio sendgrid"),
		// Sales engagement and intelligence
		x("outreach", "Outreach", "sales_engagement", "outreach.io"),
		t("salesloft", "Salesloft", "sales_engagement", "sales loft"),
		x("gong", "Gong", "sales_engagement", "gong.io"),
		x("apollo", "Apollo.io", "sales_intelligence", "apollo.io"),
		t("zoominfo", "ZoomInfo", "sales_intelligence", "zoom info", "discoverorg"),
		t("linkedin_sales_navigator", "LinkedIn Sales Navigator", "sales_intelligence", "sales navigator"),
		t("6sense", "6sense", "sales_intelligence", "6 sense", "sixsense"),
		t("demandbase", "Demandbase", "sales_intelligence"),
		t("clearbit", "Clearbit", "sales_intelligence"),
		// Analytics and business intelligence
		t("google_analytics", "Google Analytics", "analytics", "google analytics 4", "ga4", "universal analytics",
			"google universal analytics", "google analytics 360"),
		t("google_tag_manager", "Google Tag Manager", "analytics", "gtm"),
		t("adobe_analytics", "Adobe Analytics", "analytics", "omniture", "sitecatalyst"),
		t("mixpanel", "Mixpanel", "analytics"),
		t("amplitude", "Amplitude", "analytics"),
		x("heap", "Heap", "analytics", "heap analytics"),
		t("hotjar", "Hotjar", "analytics"),
		t("fullstory", "FullStory", "analytics", "full story"),
		t("pendo", "Pendo", "analytics"),
		t("looker", "Looker", "analytics", "google looker"),
		t("looker_studio", "Looker Studio", "analytics", "google data studio", "data studio"),
		t("tableau", "Tableau", "analytics", "tableau software"),
		t("power_bi", "Power BI", "analytics", "microsoft power bi", "powerbi"),
		t("qlik", "Qlik", "analytics", "qlikview", "qlik sense"),
		t("metabase", "Metabase", "analytics"),
		t("domo", "Domo", "analytics"),
		t("sisense", "Sisense", "analytics"),
		x("segment", "Segment", "cdp", "twilio segment", "segment.io", "segment.com"),
		t("mparticle", "mParticle", "cdp"),
		// Cloud
		t("aws", "Amazon Web Services", "cloud", "amazon web services", "amazon aws", "ec2", "amazon ec2", "s3",
			"amazon s3", "aws lambda", "elastic beanstalk", "aws elastic beanstalk"),
		t("google_cloud", "Google Cloud", "cloud", "google cloud platform", "gcp", "google compute engine"),
		t("azure", "Microsoft Azure", "cloud", "ms azure", "windows azure"),
		t("heroku", "Heroku", "cloud"),
		t("digitalocean", "DigitalOcean", "cloud", "digital ocean"),
		t("cloudflare", "Cloudflare", "cloud"),
		t("vercel", "Vercel", "cloud"),
		t("netlify", "Netlify", "cloud"),
		t("oracle_cloud", "Oracle Cloud", "cloud", "oracle cloud infrastructure", "oci"),
		t("ibm_cloud", "IBM Cloud", "cloud"),
		t("alibaba_cloud", "Alibaba Cloud", "cloud", "aliyun"),
		t("firebase", "Firebase", "cloud", "google firebase"),
		// Databases and warehouses
		t("postgresql", "PostgreSQL", "database", "postgres", "postgre sql", "psql", "pgsql"),
		t("mysql", "MySQL", "database", "my sql"),
		t("mariadb", "MariaDB", "database", "maria db"),
		t("mongodb", "MongoDB", "database", "mongo", "mongo db", "mongodb atlas"),
		t("redis", "Redis", "database"),
		t("elasticsearch", "Elasticsearch", "database", "elastic search", "elastic"),
		t("opensearch", "OpenSearch", "database", "amazon opensearch"),
		t("cassandra", "Apache Cassandra", "database", "cassandra"),
		t("dynamodb", "Amazon DynamoDB", "database", "dynamodb", "dynamo db", "aws dynamodb"),
		x("oracle_database", "Oracle Database", "database", "oracle db", "oracle"),
		t("sql_server", "Microsoft SQL Server", "database", "sql server", "mssql", "ms sql", "ms sql server"),
		t("sqlite", "SQLite", "database"),
		t("clickhouse", "ClickHouse", "database", "click house"),
		t("supabase", "Supabase", "database"),
		t("cockroachdb", "CockroachDB", "database", "cockroach db"),
		t("neo4j", "Neo4j", "database"),
		t("snowflake", "Snowflake", "data_warehouse", "snowflake data cloud"),
		t("bigquery", "Google BigQuery", "data_warehouse", "bigquery", "big query"),
		t("redshift", "Amazon Redshift", "data_warehouse", "redshift", "aws redshift"),
		t("databricks", "Databricks", "data_warehouse"),
		// Data pipelines
		t("kafka", "Apache Kafka", "data_pipeline", "kafka", "confluent", "confluent kafka"),
		t("airflow", "Apache Airflow", "data_pipeline", "airflow"),
		x("dbt", "dbt", "data_pipeline", "dbt cloud", "data build tool"),
		t("fivetran", "Fivetran", "data_pipeline"),
		x("spark", "Apache Spark", "data_pipeline", "apache spark", "pyspark"),
		t("hadoop", "Apache Hadoop", "data_pipeline", "hadoop"),
		t("rabbitmq", "RabbitMQ", "data_pipeline", "rabbit mq"),
		// Languages and runtimes
		x("python", "Python", "language"),
		x("java", "Java", "language"),
		x("javascript", "JavaScript", "language", "js", "ecmascript"),
		x("typescript", "TypeScript", "language", "ts"),
		x("go", "Go", "language", "golang"),
		x("ruby", "Ruby", "language"),
		x("php", "PHP", "language"),
		x("csharp", "C#", "language", "c sharp"),
		x("cpp", "C++", "language", "cplusplus"),
		x("c", "C", "language"),
		x("rust", "Rust", "language"),
		x("kotlin", "Kotlin", "language"),
		x("swift", "Swift", "language"),
		x("scala", "Scala", "language"),
		x("elixir", "Elixir", "language"),
		x("r", "R", "language"),
		t("nodejs", "Node.js", "language", "node", "node.js", "nodejs"),
		x("dotnet", ".NET", "framework", "dotnet", "net", ".net core", "asp.net", "asp.net core"),
		// Frameworks
		x("react", "React", "framework", "reactjs", "react.js"),
		x("react_native", "React Native", "framework"),
		x("angular", "Angular", "framework", "angularjs", "angular.js"),
		x("vue", "Vue.js", "framework", "vue", "vuejs"),
		x("nextjs", "Next.js", "framework", "next.js", "next"),
		x("django", "Django", "framework"),
		x("flask", "Flask", "framework"),
		x("rails", "Ruby on Rails", "framework", "rails", "ror"),
		x("spring", "Spring", "framework", "spring boot", "spring framework"),
		x("laravel", "Laravel", "framework"),
		x("express", "Express", "framework", "express.js", "expressjs"),
		x("flutter", "Flutter", "framework"),
		// DevOps
		t("docker", "Docker", "devops"),
		t("kubernetes", "Kubernetes", "devops", "k8s", "kube", "gke", "google kubernetes engine", "eks",
			"amazon eks", "aks"),
		t("terraform", "Terraform", "devops", "hashicorp terraform"),
		t("ansible", "Ansible", "devops"),
		t("jenkins", "Jenkins", "devops"),
		t("github", "GitHub", "devops", "git hub"),
		t("github_actions", "GitHub Actions", "devops"),
		t("gitlab", "GitLab", "devops", "git lab"),
		t("bitbucket", "Bitbucket", "devops"),
		t("circleci", "CircleCI", "devops", "circle ci"),
		x("git", "Git", "devops"),
		// Monitoring
		t("datadog", "Datadog", "monitoring", "data dog"),
		t("new_relic", "New Relic", "monitoring", "newrelic"),
		t("splunk", "Splunk", "monitoring"),
		t("sentry", "Sentry", "monitoring"),
		t("prometheus", "Prometheus", "monitoring"),
		t("grafana", "Grafana", "monitoring"),
		t("pagerduty", "PagerDuty", "monitoring", "pager duty"),
		t("dynatrace", "Dynatrace", "monitoring"),
		t("appdynamics", "AppDynamics", "monitoring", "app dynamics"),
		t("sumo_logic", "Sumo Logic", "monitoring", "sumologic"),
		// Security
		t("okta", "Okta", "security"),
		t("auth0", "Auth0", "security"),
		t("crowdstrike", "CrowdStrike", "security", "crowd strike", "crowdstrike falcon"),
		t("palo_alto_networks", "Palo Alto Networks", "security"),
		t("zscaler", "Zscaler", "security"),
		t("sentinelone", "SentinelOne", "security", "sentinel one"),
		t("fortinet", "Fortinet", "security", "fortigate"),
		t("duo", "Duo Security", "security", "duo security", "cisco duo"),
		t("1password", "1Password", "security", "one password"),
		t("lastpass", "LastPass", "security"),
		t("snyk", "Snyk", "security"),
		t("tenable", "Tenable", "security", "nessus"),
		t("qualys", "Qualys", "security"),
		t("rapid7", "Rapid7", "security"),
		t("proofpoint", "Proofpoint", "security"),
		t("mimecast", "Mimecast", "security"),
		t("vanta", "Vanta", "security"),
		t("drata", "Drata", "security"),
		// HR, recruiting and payroll
		t("workday", "Workday", "hr", "workday hcm"),
		t("bamboohr", "BambooHR", "hr", "bamboo hr"),
		t("rippling", "Rippling", "hr"),
		t("successfactors", "SAP SuccessFactors", "hr", "successfactors", "success factors"),
		x("lattice", "Lattice", "hr"),
		t("culture_amp", "Culture Amp", "hr", "cultureamp"),
		t("hibob", "HiBob", "hr", "hi bob"),
		t("personio", "Personio", "hr"),
		x("namely", "Namely", "hr"),
		t("deel", "Deel", "hr"),
		t("greenhouse", "Greenhouse", "recruiting", "greenhouse.io"),
		x("lever", "Lever", "recruiting", "lever ats", "lever.co"),
		t("workable", "Workable", "recruiting"),
		t("ashby", "Ashby", "recruiting", "ashbyhq"),
		t("icims", "iCIMS", "recruiting"),
		t("smartrecruiters", "SmartRecruiters", "recruiting", "smart recruiters"),
		t("adp", "ADP", "payroll", "adp workforce now", "adp run", "adp payroll"),
		t("gusto", "Gusto", "payroll"),
		t("paychex", "Paychex", "payroll"),
		t("paylocity", "Paylocity", "payroll"),
		t("paycom", "Paycom", "payroll"),
		t("paycor", "Paycor", "payroll"),
		t("justworks", "Justworks", "payroll", "just works"),
		// Accounting and ERP
		t("quickbooks", "QuickBooks", "accounting", "quickbooks online", "qbo", "intuit quickbooks", "quick books"),
		t("xero", "Xero", "accounting"),
		t("freshbooks", "FreshBooks", "accounting"),
		t("sage_intacct", "Sage Intacct", "accounting", "intacct"),
		t("sage", "Sage", "accounting", "sage 50", "sage accounting"),
		t("bill_com", "BILL", "accounting", "bill.com"),
		t("expensify", "Expensify", "accounting"),
		t("concur", "SAP Concur", "accounting", "concur"),
		t("netsuite", "NetSuite", "erp", "oracle netsuite", "net suite"),
		t("sap", "SAP", "erp", "sap erp", "sap s/4hana", "s/4hana", "sap business one"),
		t("oracle_erp", "Oracle ERP Cloud", "erp", "oracle fusion", "oracle e-business suite", "oracle ebs"),
		t("odoo", "Odoo", "erp"),
		// E-commerce and payments
		t("shopify", "Shopify", "ecommerce", "shopify plus"),
		t("magento", "Magento", "ecommerce", "adobe commerce"),
		t("woocommerce", "WooCommerce", "ecommerce", "woo commerce"),
		t("bigcommerce", "BigCommerce", "ecommerce", "big commerce"),
		t("salesforce_commerce_cloud", "Salesforce Commerce Cloud", "ecommerce", "commerce cloud", "demandware"),
		t("prestashop", "PrestaShop", "ecommerce"),
		t("stripe", "Stripe", "payments"),
		t("paypal", "PayPal", "payments"),
		t("braintree", "Braintree", "payments"),
		t("adyen", "Adyen", "payments"),
		x("square", "Square", "payments", "square payments", "square pos"),
		// Collaboration, project management and communication
		t("slack", "Slack", "collaboration"),
		t("microsoft_teams", "Microsoft Teams", "collaboration", "ms teams", "teams"),
		t("zoom", "Zoom", "collaboration", "zoom video", "zoom meetings", "zoom video communications"),
		t("google_workspace", "Google Workspace", "collaboration", "g suite", "gsuite", "google apps"),
		t("microsoft_365", "Microsoft 365", "collaboration", "office 365", "o365", "m365", "microsoft office",
			"ms office"),
		t("confluence", "Confluence", "collaboration", "atlassian confluence"),
		x("notion", "Notion", "collaboration", "notion.so"),
		t("dropbox", "Dropbox", "collaboration"),
		x("box", "Box", "collaboration", "box.com"),
		t("webex", "Webex", "collaboration", "cisco webex"),
		t("miro", "Miro", "collaboration"),
		t("loom", "Loom", "collaboration"),
		t("calendly", "Calendly", "collaboration"),
		t("jira", "Jira", "project_management", "jira software", "atlassian jira"),
		t("asana", "Asana", "project_management"),
		t("trello", "Trello", "project_management"),
		t("monday", "monday.com", "project_management", "monday.com", "monday"),
		t("clickup", "ClickUp", "project_management", "click up"),
		t("smartsheet", "Smartsheet", "project_management"),
		t("basecamp", "Basecamp", "project_management"),
		t("airtable", "Airtable", "project_management"),
		t("twilio", "Twilio", "communication"),
		t("ringcentral", "RingCentral", "communication", "ring central"),
		t("aircall", "Aircall", "communication"),
		t("dialpad", "Dialpad", "communication"),
		// Electronic health records
		x("epic", "Epic", "ehr", "epic systems", "epic ehr", "epic emr"),
		t("cerner", "Cerner", "ehr", "oracle cerner", "oracle health"),
		t("athenahealth", "athenahealth", "ehr", "athena health", "athenaone"),
		t("eclinicalworks", "eClinicalWorks", "ehr", "ecw"),
		t("allscripts", "Allscripts", "ehr", "veradigm"),
		t("nextgen", "NextGen Healthcare", "ehr", "nextgen healthcare"),
		t("meditech", "MEDITECH", "ehr"),
		// E-signature
		t("docusign", "DocuSign", "esignature", "docu sign"),
		t("adobe_sign", "Adobe Acrobat Sign", "esignature", "adobe sign", "echosign"),
		t("pandadoc", "PandaDoc", "esignature", "panda doc"),
		t("dropbox_sign", "Dropbox Sign", "esignature", "hellosign", "hello sign"),
		// Content management and design
		t("wordpress", "WordPress", "cms", "word press"),
		t("drupal", "Drupal", "cms"),
		t("contentful", "Contentful", "cms"),
		t("webflow", "Webflow", "cms"),
		t("wix", "Wix", "cms", "wix.com"),
		t("squarespace", "Squarespace", "cms"),
		t("adobe_experience_manager", "Adobe Experience Manager", "cms", "aem"),
		t("sitecore", "Sitecore", "cms"),
		t("figma", "Figma", "design"),
		x("sketch", "Sketch", "design"),
		t("canva", "Canva", "design"),
		t("adobe_creative_cloud", "Adobe Creative Cloud", "design", "creative cloud"),
		// Customer success and surveys
		t("gainsight", "Gainsight", "customer_success"),
		t("totango", "Totango", "customer_success"),
		t("qualtrics", "Qualtrics", "survey"),
		t("surveymonkey", "SurveyMonkey", "survey", "survey monkey"),
		t("typeform", "Typeform", "survey"),
	}
}

// techTables are the technology lookups of a Normalizer.
type techTables struct {
	list []technology
	keys map[string]int // folded name or alias → index in list
	ids  map[string]int // id → index in list
}

func newTechTables() techTables {
	list := technologyTable()
	t := techTables{list: list, keys: make(map[string]int, 4*len(list)), ids: make(map[string]int, len(list))}
	add := func(name string, i int) {
		key := string(appendTechKey(nil, name))
		if key == "" {
			panic(fmt.Sprintf("pipelines: technology name %q has no key", name))
		}
		if j, ok := t.keys[key]; ok && j != i {
			panic(fmt.Sprintf("pipelines: technology name %q is both %s and %s", name, list[j].id, list[i].id))
		}
		t.keys[key] = i
	}
	for i, tech := range list {
		if _, dup := t.ids[tech.id]; dup || techSlug(tech.id) != tech.id {
			panic("pipelines: bad or repeated technology id " + tech.id)
		}
		t.ids[tech.id] = i
		add(tech.id, i)
		add(tech.name, i)
		for _, a := range tech.aliases {
			add(a, i)
		}
	}
	return t
}

// Technology returns the canonical id and name of a technology: "Salesforce.com",
// "SFDC" and "Sales Cloud" are ("salesforce", "Salesforce"), "GA4" is
// ("google_analytics", "Google Analytics"), "Python 3.12" is ("python", "Python") and
// "Zendesk Chat" is ("zendesk", "Zendesk"). An unknown name keeps its words, with its
// white space collapsed, and gets an id by slugging: lower case, each run of other
// characters than letters and digits as "_", none at either end ("Acme Widgets 2.0" →
// "acme_widgets_2_0"); such ids are cut to 64 bytes and names to 128. Both are "" for
// a name without letters or digits.
func (n *Normalizer) Technology(raw string) (id, name string) {
	t := &n.tech
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", ""
	}
	if i, ok := t.find(raw); ok {
		return t.list[i].id, t.list[i].name
	}
	id = techSlug(raw)
	if id == "" {
		return "", ""
	}
	name = strings.Join(strings.Fields(strings.ToValidUTF8(raw, "\uFFFD")), " ")
	if len(name) > maxTechNameBytes {
		cut := maxTechNameBytes
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = strings.TrimSpace(name[:cut])
	}
	return id, name
}

// find looks a name up: whole, then without the version numbers that end it, then by
// its longest first words that name a technology that allows more words after it.
func (t *techTables) find(raw string) (int, bool) {
	if len(raw) > 2*maxTechNameBytes {
		return 0, false
	}
	var buf [4 * maxTechNameBytes]byte
	key := appendTechKey(buf[:0], raw)
	if i, ok := t.keys[string(key)]; ok {
		return i, true
	}
	// Word by word: the key of each word's end in key.
	var ends [maxTechWords]int
	words := 0
	var kb [4 * maxTechNameBytes]byte
	k := kb[:0]
	for w := range strings.FieldsFuncSeq(raw, isTechSeparator) {
		if words == maxTechWords {
			return 0, false
		}
		k = appendTechKey(k, w)
		ends[words] = len(k)
		words++
	}
	last := words
	for last > 1 && isVersion(k[ends[last-2]:ends[last-1]]) {
		last--
	}
	if last < words {
		if i, ok := t.keys[string(k[:ends[last-1]])]; ok {
			return i, true
		}
	}
	for l := last - 1; l >= 1; l-- {
		if i, ok := t.keys[string(k[:ends[l-1]])]; ok && !t.list[i].exact {
			return i, true
		}
	}
	return 0, false
}

// isTechSeparator separates the words of a technology name.
func isTechSeparator(r rune) bool {
	return r != '+' && r != '#' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
}

// isVersion reports whether a word's key is a version: "3", "312" ("3.12"), "v2",
// "2+", "2x" ("2.x").
func isVersion(w []byte) bool {
	if len(w) > 1 && w[0] == 'v' {
		w = w[1:]
	}
	if len(w) > 1 && (w[len(w)-1] == '+' || w[len(w)-1] == 'x') {
		w = w[:len(w)-1]
	}
	return isDigits(w)
}

// appendTechKey appends the lookup key of a technology name to dst: its letters and
// digits in lower case, without diacritics, and its "+" and "#" ("C++", "C#"); every
// other character is dropped, so "Node.js", "NodeJS" and "node js" share a key.
func appendTechKey(dst []byte, s string) []byte {
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '+', r == '#':
			dst = append(dst, byte(r))
		case 'A' <= r && r <= 'Z':
			dst = append(dst, byte(r)+'a'-'A')
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
			if plain := foldDiacritic(r); plain != "" {
				dst = append(dst, plain...)
			} else {
				dst = utf8.AppendRune(dst, r)
			}
		}
	}
	return dst
}

// techSlug is the id of an unknown technology: lower case, diacritics removed, each
// run of characters other than letters and digits as one "_", none at either end, at
// most maxTechIDBytes long.
func techSlug(s string) string {
	var buf [maxTechIDBytes + utf8.UTFMax]byte
	b := buf[:0]
	sep := false
	for _, r := range s {
		var plain string
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
			plain = foldDiacritic(r)
		default:
			sep = len(b) > 0
			continue
		}
		if sep {
			if len(b)+1 > maxTechIDBytes {
				break
			}
			b = append(b, '_')
			sep = false
		}
		var rb [utf8.UTFMax]byte
		enc := rb[:0]
		if plain != "" {
			enc = append(enc, plain...)
		} else {
			enc = utf8.AppendRune(enc, r)
		}
		if len(b)+len(enc) > maxTechIDBytes {
			break
		}
		b = append(b, enc...)
	}
	return string(bytes.TrimRight(b, "_"))
}

// TechnologyCategory returns the vendor category of a canonical technology id, such
// as "crm", "help_desk", "analytics", "cloud", "payroll" or "ehr", or "" for an id
// that is not a known technology.
func (n *Normalizer) TechnologyCategory(id string) string {
	if i, ok := n.tech.ids[id]; ok {
		return n.tech.list[i].category
	}
	return ""
}

// Technologies maps a stack onto canonical ids, in the order they first appear and
// without repeats. An entry that lists several names ("AWS, GCP") is split at commas,
// semicolons, vertical bars and line breaks. Entries without letters or digits are
// dropped; the result is nil when none is left.
func (n *Normalizer) Technologies(raw []string) []string {
	var out []string
	var seen map[string]bool // only for long stacks; short ones are searched
	add := func(id string) {
		if id == "" {
			return
		}
		if seen != nil {
			if seen[id] {
				return
			}
			seen[id] = true
		} else {
			for _, have := range out {
				if have == id {
					return
				}
			}
			if len(out) == 32 {
				seen = make(map[string]bool, 2*len(raw))
				for _, have := range out {
					seen[have] = true
				}
				seen[id] = true
			}
		}
		if out == nil {
			out = make([]string, 0, len(raw))
		}
		out = append(out, id)
	}
	for _, item := range raw {
		if strings.ContainsAny(item, ",;|\n") {
			for name := range strings.FieldsFuncSeq(item, isListSeparator) {
				id, _ := n.Technology(name)
				add(id)
			}
			continue
		}
		id, _ := n.Technology(item)
		add(id)
	}
	return out
}

func isListSeparator(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '\n' }
