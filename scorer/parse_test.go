package scorer

import (
	"math"
	"slices"
	"testing"

	"github.com/leadpoet/leadpoet/schemas"
)

// want is the part of a Parsed a case checks; nil and empty slices are equal.
type want struct {
	product  string
	terms    []string
	inds     []string
	sizes    []string
	loc      string
	techs    []string
	notTechs []string
}

func TestParsePrompt(t *testing.T) {
	tests := []struct {
		name   string
		prompt string
		want   want
	}{
		// The examples of API-SPEC.md.
		{"spec saas support", "Find SaaS companies with 50-200 employees looking for customer support software",
			want{product: "customer support software", terms: []string{"customer", "support", "customer_support"},
				inds: []string{"saas"}, sizes: []string{"51-200"}}},
		{"spec healthcare ehr", "Identify healthcare companies in Boston seeking electronic health records systems",
			want{product: "electronic health records systems",
				terms: []string{"electronic", "health", "electronic_health", "record", "health_record"},
				inds:  []string{"healthcare"}, loc: "Boston"}},
		{"spec legacy erp", "Find manufacturing companies using legacy ERP systems that need modernization",
			want{product: "legacy erp modernization",
				terms: []string{"legacy", "erp", "legacy_erp", "modernize", "erp_modernize"},
				inds:  []string{"manufacturing"}}},
		{"spec marketing automation", "Find technology companies in San Francisco looking for marketing automation",
			want{product: "marketing automation", terms: []string{"marketing", "automate", "marketing_automate"},
				inds: []string{"technology"}, loc: "San Francisco"}},
		{"spec crm", "Find companies looking for CRM software", want{product: "crm software", terms: []string{"crm"}}},

		// Product cues and their absence.
		{"seeking", "Companies seeking payroll", want{product: "payroll", terms: []string{"payroll"}}},
		{"in need of drops filler", "Find companies in need of a new ERP", want{product: "new erp", terms: []string{"erp"}}},
		{"interested in", "Find companies interested in SOC 2 compliance automation",
			want{product: "soc 2 compliance automation", terms: []string{"soc", "compliance", "automate", "compliance_automate"}}},
		{"buying", "Startups buying a help desk", want{product: "help desk", terms: []string{"help", "desk", "help_desk"},
			sizes: []string{"1-10", "11-50"}}},
		{"evaluating", "Evaluating observability", want{product: "observability", terms: []string{"observability"}}},
		{"that need", "Companies that need e-signature", want{product: "e-signature", terms: []string{"esignature"}}},
		{"cue word right after a cue is product", "Find companies looking for purchasing software",
			want{product: "purchasing software", terms: []string{"purchase"}}},
		{"only generic words are kept", "Find companies looking for software", want{product: "software", terms: []string{"software"}}},
		{"no cue: X for Y", "Payroll software for startups in Boston",
			want{product: "payroll software", terms: []string{"payroll"}, sizes: []string{"1-10", "11-50"}, loc: "Boston"}},
		{"no cue: companies for X", "Find companies for CRM", want{product: "crm", terms: []string{"crm"}}},
		{"no cue: buyer parts removed", "Fintech startups CRM",
			want{product: "crm", terms: []string{"crm"}, inds: []string{"finance"}, sizes: []string{"1-10", "11-50"}}},
		{"nothing to buy", "Find companies", want{}},
		{"empty", "", want{}},
		{"filters after the product", "Find companies looking for CRM in Boston with 50-200 employees",
			want{product: "crm", terms: []string{"crm"}, sizes: []string{"51-200"}, loc: "Boston"}},
		{"industry inside the product is product", "Find companies looking for healthcare CRM",
			want{product: "healthcare crm", terms: []string{"healthcare", "crm", "healthcare_crm"}}},

		// Company size.
		{"range with hyphen", "with 50-200 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"51-200"}}},
		{"range with to", "with 50 to 200 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"51-200"}}},
		{"range spaced hyphen", "with 11 - 50 people looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"11-50"}}},
		{"between", "between 201 and 1,000 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"201-1000"}}},
		{"fewer than", "with fewer than 50 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1-10", "11-50"}}},
		{"less than", "less than 10 staff looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1-10"}}},
		{"up to", "up to 50 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1-10", "11-50"}}},
		{"over", "with over 1000 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1000+"}}},
		{"more than with comma", "more than 1,000 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1000+"}}},
		{"at least", "at least 200 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"201-1000", "1000+"}}},
		{"plus", "with 1000+ employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1000+"}}},
		{"k suffix", "a headcount of 10k looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1000+"}}},
		{"single count", "with 120 employees looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"51-200"}}},
		{"around", "around 100 people looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"51-200"}}},
		{"person companies", "Find 11-50 person companies looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"11-50"}}},
		{"number without employee word is not a size", "Find Fortune 500 companies looking for CRM",
			want{product: "crm", terms: []string{"crm"}, sizes: []string{"1000+"}}},
		{"small businesses", "Find small businesses looking for payroll", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"1-10", "11-50"}}},
		{"smbs", "SMBs looking for payroll", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"1-10", "11-50", "51-200"}}},
		{"startups", "Find startups looking for payroll", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"1-10", "11-50"}}},
		{"mid-market", "Find mid-market companies looking for payroll", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"51-200", "201-1000"}}},
		{"enterprise", "Find enterprise companies looking for payroll", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"1000+"}}},
		{"enterprise in the product is product", "Find companies looking for enterprise search",
			want{product: "enterprise search", terms: []string{"enterprise", "search", "enterprise_search"}}},

		// Industries.
		{"synonym", "Find hospitals looking for EHR", want{product: "ehr", terms: []string{"ehr"}, inds: []string{"healthcare"}}},
		{"multi-word synonym", "Find financial services firms seeking CRM", want{product: "crm", terms: []string{"crm"}, inds: []string{"finance"}}},
		{"in industry", "Find companies in the fintech space looking for CRM", want{product: "crm", terms: []string{"crm"}, inds: []string{"finance"}}},
		{"two industries", "Find retail and e-commerce companies seeking payments",
			want{product: "payments", terms: []string{"payment"}, inds: []string{"retail"}}},
		{"IT only in capitals", "Find IT companies looking for SIEM", want{product: "siem", terms: []string{"siem"}, inds: []string{"technology"}}},
		{"software companies", "Find software companies looking for payroll", want{product: "payroll", terms: []string{"payroll"}, inds: []string{"technology"}}},

		// Location.
		{"in city", "Find companies in Boston looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "Boston"}},
		{"in lower-case known city", "Find companies in boston looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "Boston"}},
		{"in the US", "Find companies in the US looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "United States"}},
		{"in the United States", "Find companies in the United States looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "United States"}},
		{"in San Francisco", "Find companies in San Francisco looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "San Francisco"}},
		{"based in", "Find companies based in Germany looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "Germany"}},
		{"headquartered in with state", "Find companies headquartered in Austin, TX seeking CRM", want{product: "crm", terms: []string{"crm"}, loc: "Austin, TX"}},
		{"capitalised unknown place", "Find companies in Springfield looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "Springfield"}},
		{"lower-case unknown is no place", "Find companies in general looking for CRM", want{product: "crm", terms: []string{"crm"}}},
		{"US-based", "Find US-based companies looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "United States"}},
		{"cloud-based is no place", "Find cloud-based companies looking for CRM", want{product: "crm", terms: []string{"crm"}}},
		{"US-headquartered", "US-headquartered firms seeking CRM", want{product: "crm", terms: []string{"crm"}, loc: "United States"}},
		{"across a region", "Companies across Europe that might buy CRM", want{product: "crm", terms: []string{"crm"}, loc: "Europe"}},
		{"plural industry", "APAC-based fintechs seeking CRM", want{product: "crm", terms: []string{"crm"}, inds: []string{"finance"}, loc: "APAC"}},
		{"places joined", "Hospitals in Texas or Oklahoma needing CRM", want{product: "crm", terms: []string{"crm"}, inds: []string{"healthcare"}, loc: "Texas, Oklahoma"}},
		{"a list of places", "Companies in the US, Canada and Mexico that need CRM", want{product: "crm", terms: []string{"crm"}, loc: "United States, Canada, Mexico"}},
		{"bare places joined", "Who is in market for payroll? US or Canada only.", want{product: "payroll", terms: []string{"payroll"}, loc: "United States, Canada"}},
		{"demonyms joined", "French and German companies looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "France, Germany"}},
		{"and before a clause is no list", "Firms in Germany and need CRM", want{product: "crm", terms: []string{"crm"}, loc: "Germany"}},
		{"demonym", "Canadian companies looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "Canada"}},
		{"two-word demonym", "Latin American retailers looking for CRM", want{product: "crm", terms: []string{"crm"}, inds: []string{"retail"}, loc: "Latin America"}},
		{"part of the US", "Companies in the Midwest looking for CRM", want{product: "crm", terms: []string{"crm"}, loc: "Midwest"}},

		// Cues with a modal or another verb.
		{"might buy", "Companies that might buy payroll", want{product: "payroll", terms: []string{"payroll"}}},
		{"looking at", "Startups looking at payroll", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"1-10", "11-50"}}},
		{"replacing drops the possessive", "Firms replacing their payroll", want{product: "payroll", terms: []string{"payroll"}}},
		{"on the lookout for", "Companies on the lookout for a payroll provider", want{product: "payroll provider", terms: []string{"payroll"}}},
		{"migrating to", "Companies migrating to a new CRM", want{product: "new crm", terms: []string{"crm"}}},
		{"in market for", "Who is in market for payroll? Startups only.", want{product: "payroll", terms: []string{"payroll"}, sizes: []string{"1-10", "11-50"}}},
		{"hiring for", "Fintechs hiring for payroll", want{product: "payroll", terms: []string{"payroll"}, inds: []string{"finance"}}},
		{"a change of what they run", "Retailers modernizing their payroll", want{product: "payroll", terms: []string{"payroll"}, inds: []string{"retail"}}},
		{"outgrown", "Companies that have outgrown their payroll provider", want{product: "payroll provider", terms: []string{"payroll"}}},

		{"buyers after the product", "Payroll buyers: retailers, 50-200 employees",
			want{product: "payroll", terms: []string{"payroll"}, inds: []string{"retail"}, sizes: []string{"51-200"}}},
		{"the user's own request", "Looking for retailers with 50-200 employees that need payroll",
			want{product: "payroll", terms: []string{"payroll"}, inds: []string{"retail"}, sizes: []string{"51-200"}}},
		{"a lone opening cue is the buyer's", "Looking for payroll in Texas",
			want{product: "payroll", terms: []string{"payroll"}, loc: "Texas"}},
		{"the seller's product", "We sell payroll software. Find retailers with 50-200 employees.",
			want{product: "payroll software", terms: []string{"payroll"}, inds: []string{"retail"}, sizes: []string{"51-200"}}},
		{"hiring names the product when nothing else does", "Retailers hiring payroll specialists",
			want{product: "payroll specialists", terms: []string{"payroll", "specialist", "payroll_specialist"}, inds: []string{"retail"}}},
		{"hiring is no cue beside one", "Retailers hiring cashiers that need payroll",
			want{product: "payroll", terms: []string{"payroll"}, inds: []string{"retail"}}},
		{"from one to another", "Retailers migrating from spreadsheets to payroll software",
			want{product: "payroll software", terms: []string{"payroll"}, inds: []string{"retail"}}},
		{"removed", "Retailers who recently removed Magento", want{product: "magento", terms: []string{"magento"}, inds: []string{"retail"}}},
		{"a seller's question", "Who should I sell our payroll tool to?", want{product: "payroll tool", terms: []string{"payroll"}}},

		// Where those forms must not fire.
		{"hiring after a product for", "CRM for companies hiring engineers", want{product: "crm", terms: []string{"crm"}}},
		{"hiring with nothing hired", "Fintechs hiring", want{product: "hiring", terms: []string{"hire"}, inds: []string{"finance"}}},
		{"a size before buyers", "Enterprise buyers looking for CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"1000+"}}},
		{"an industry before buyers", "Find fintech CRM buyers", want{product: "crm", terms: []string{"crm"}, inds: []string{"finance"}}},
		{"a question about buyers", "Are there any CRM buyers in Texas?", want{product: "crm", terms: []string{"crm"}, loc: "Texas"}},
		{"an opening cue naming a product stays", "Looking for CRM for startups that need to scale",
			want{product: "crm", terms: []string{"crm"}, sizes: []string{"1-10", "11-50"}}},
		{"need to do something is the buyer's", "Looking for ERP for manufacturers that need to cut costs",
			want{product: "erp", terms: []string{"erp"}, inds: []string{"manufacturing"}}},
		{"a plan keeps its place", "Companies looking to expand in Texas that need payroll", want{product: "payroll", terms: []string{"payroll"}, loc: "Texas"}},
		{"a plan is the buyer's beside a cue", "Companies preparing to go public that need SOX compliance",
			want{product: "sox compliance", terms: []string{"sox", "compliance", "sox_compliance"}}},
		{"that want to buy", "Companies that want to buy CRM", want{product: "crm", terms: []string{"crm"}}},
		{"planning inside a noun", "Manufacturers doing demand planning the old way, looking for payroll",
			want{product: "payroll", terms: []string{"payroll"}, inds: []string{"manufacturing"}}},
		{"a seller's product ends at to", "We sell payroll to retailers", want{product: "payroll", terms: []string{"payroll"}, inds: []string{"retail"}}},

		// An intention followed by any verb: the verb and its particle are the cue.
		{"planning to roll out", "Companies planning to roll out a new CRM", want{product: "new crm", terms: []string{"crm"}}},
		{"hoping to automate", "Firms hoping to automate payroll", want{product: "payroll", terms: []string{"payroll"}}},
		{"about to migrate to", "Startups about to migrate to Snowflake",
			want{product: "snowflake", terms: []string{"snowflake"}, sizes: []string{"1-10", "11-50"}}},
		{"intention across a sentence end is none", "Companies ready to. CRM",
			want{product: "ready crm", terms: []string{"ready", "crm", "ready_crm"}}},
		{"among ends the product", "Prospects for our payroll product among retailers in Texas",
			want{product: "payroll product", terms: []string{"payroll"}, inds: []string{"retail"}, loc: "Texas"}},

		// Size in other words.
		{"between and staff", "Companies between 200 and 1000 staff evaluating CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"201-1000"}}},
		{"to people", "Companies of 11 to 50 people seeking CRM", want{product: "crm", terms: []string{"crm"}, sizes: []string{"11-50"}}},
		{"more than lawyers", "Law firms with more than 1000 lawyers seeking e-discovery",
			want{product: "e-discovery", terms: []string{"ediscovery"}, inds: []string{"legal"}, sizes: []string{"1000+"}}},

		// Technologies.
		{"using", "Find companies using Salesforce looking for CPQ", want{product: "cpq", terms: []string{"cpq"}, techs: []string{"salesforce"}}},
		{"using a list", "Companies using Salesforce, HubSpot and Zendesk looking for CPQ",
			want{product: "cpq", terms: []string{"cpq"}, techs: []string{"salesforce", "hubspot", "zendesk"}}},
		{"that use", "Companies that use Shopify seeking returns management",
			want{product: "returns management", terms: []string{"return", "management", "return_management"}, techs: []string{"shopify"}}},
		{"not using", "Find companies not using HubSpot looking for marketing automation",
			want{product: "marketing automation", terms: []string{"marketing", "automate", "marketing_automate"}, notTechs: []string{"hubspot"}}},
		{"without", "Find companies without Zendesk that need a help desk",
			want{product: "help desk", terms: []string{"help", "desk", "help_desk"}, notTechs: []string{"zendesk"}}},
		{"don't use", "Find companies that don't use Intercom looking for live chat",
			want{product: "live chat", terms: []string{"live", "chat", "live_chat"}, notTechs: []string{"intercom"}}},
		{"curly apostrophe", "Companies that don’t use Intercom looking for live chat",
			want{product: "live chat", terms: []string{"live", "chat", "live_chat"}, notTechs: []string{"intercom"}}},
		{"both", "Companies using Salesforce but not using Gong seeking conversation intelligence",
			want{product: "conversation intelligence", terms: []string{"conversate", "intelligence", "conversate_intelligence"},
				techs: []string{"salesforce"}, notTechs: []string{"gong"}}},
		{"generic stack is a situation", "Find companies using spreadsheets looking for accounting software",
			want{product: "accounting software", terms: []string{"accounting"}}},
		{"on a platform", "Brands on Shopify looking for payroll", want{product: "payroll", terms: []string{"payroll"}, techs: []string{"shopify"}}},
		{"on a street is no platform", "Companies on Main Street looking for payroll", want{product: "payroll", terms: []string{"payroll"}}},
		{"using but not", "Companies that use Salesforce but not Outreach and need a help desk",
			want{product: "help desk", terms: []string{"help", "desk", "help_desk"}, techs: []string{"salesforce"}, notTechs: []string{"outreach"}}},
		{"not users", "Agencies seeking a help desk, not Zendesk or existing Freshdesk customers",
			want{product: "help desk", terms: []string{"help", "desk", "help_desk"}, inds: []string{"marketing"}, notTechs: []string{"zendesk", "freshdesk"}}},
		{"not without users is no negation", "Companies seeking a help desk, not Zendesk",
			want{product: "help desk", terms: []string{"help", "desk", "help_desk"}}},
		{"not before a size", "Startups looking for CRM, not enterprise customers",
			want{product: "crm", terms: []string{"crm"}, sizes: []string{"1-10", "11-50"}}},

		// Everything at once.
		{"all filters", "Fintech companies with fewer than 50 employees, based in Germany, using Salesforce, not using Zendesk, interested in help desk tools",
			want{product: "help desk tools", terms: []string{"help", "desk", "help_desk"}, inds: []string{"finance"},
				sizes: []string{"1-10", "11-50"}, loc: "Germany", techs: []string{"salesforce"}, notTechs: []string{"zendesk"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParsePrompt(tt.prompt)
			check := func(field string, g, w []string) {
				t.Helper()
				if !slices.Equal(g, w) && len(g)+len(w) > 0 {
					t.Errorf("%s = %q, want %q", field, g, w)
				}
			}
			if got.Product != tt.want.product {
				t.Errorf("Product = %q, want %q", got.Product, tt.want.product)
			}
			check("Terms", got.Terms, tt.want.terms)
			check("Industries", got.Industries, tt.want.inds)
			check("CompanySizes", got.CompanySizes, tt.want.sizes)
			if got.Location != tt.want.loc {
				t.Errorf("Location = %q, want %q", got.Location, tt.want.loc)
			}
			check("Technologies", got.Technologies, tt.want.techs)
			check("ExcludedTechnologies", got.ExcludedTechnologies, tt.want.notTechs)
			if t.Failed() {
				t.Logf("prompt %q, buyer %q", tt.prompt, got.Buyer)
			}
		})
	}
}

func TestParsePromptBuyer(t *testing.T) {
	got := ParsePrompt("Find SaaS companies with 50-200 employees looking for customer support software").Buyer
	if want := "saas 50-200 employees"; got != want {
		t.Errorf("Buyer = %q, want %q", got, want)
	}
}

func TestBucketIndex(t *testing.T) {
	for i, b := range schemas.SizeBuckets {
		if got := bucketIndex(b); got != i {
			t.Errorf("bucketIndex(%q) = %d, want %d", b, got, i)
		}
	}
	for _, b := range []string{"", "1-11", "1000", "51-200 "} {
		if got := bucketIndex(b); got != -1 {
			t.Errorf("bucketIndex(%q) = %d, want -1", b, got)
		}
	}
}

func TestBucketsFor(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi int
		want   []string
	}{
		{"one count", 50, 50, []string{"11-50"}},
		{"shared end point is not overlap", 50, 200, []string{"51-200"}},
		{"bucket exactly", 1, 10, []string{"1-10"}},
		{"spans three", 5, 300, []string{"1-10", "11-50", "51-200", "201-1000"}},
		{"open", 1000, math.MaxInt, []string{"1000+"}},
		{"open below the edge", 999, math.MaxInt, []string{"201-1000", "1000+"}},
		{"reversed", 200, 50, []string{"51-200"}},
		{"zero", 0, 0, []string{"1-10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range bucketsFor(tt.lo, tt.hi) {
				got = append(got, schemas.SizeBuckets[b])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("bucketsFor(%d, %d) = %q, want %q", tt.lo, tt.hi, got, tt.want)
			}
		})
	}
}

func FuzzParsePrompt(f *testing.F) {
	for _, s := range []string{
		"Find SaaS companies with 50-200 employees looking for customer support software",
		"Identify healthcare companies in Boston seeking electronic health records systems",
		"Find manufacturing companies using legacy ERP systems that need modernization",
		"Find technology companies in San Francisco looking for marketing automation",
		"companies with between 5 and - employees not using , without",
		"in in in the the , , . using using looking for for",
		"headcount of 99999999999k+ employees over >1000 ~ <= 10-",
		"US-based -based X-based in San Francisco, CA, NY",
		"c++ c# .net e-commerce \xff\xfe “quoted” don’t use HubSpot",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prompt string) {
		p := ParsePrompt(prompt)
		for _, s := range p.CompanySizes {
			if !slices.Contains(schemas.SizeBuckets, s) {
				t.Fatalf("size %q is not a bucket (prompt %q)", s, prompt)
			}
		}
		if len(p.Terms) > maxTerms {
			t.Fatalf("%d terms, at most %d allowed", len(p.Terms), maxTerms)
		}
		for _, term := range p.Terms {
			if term == "" {
				t.Fatalf("empty term (prompt %q)", prompt)
			}
		}
		if again := ParsePrompt(prompt); !slices.Equal(again.Terms, p.Terms) || again.Product != p.Product {
			t.Fatalf("not deterministic: %+v then %+v", p, again)
		}
		tp := testTaxonomy().ParsePrompt(prompt)
		if tp.Product != p.Product || len(tp.Topics) > maxTopics {
			t.Fatalf("taxonomy reading %+v differs from %+v", tp, p)
		}
	})
}

func TestParsePromptTopics(t *testing.T) {
	tx := testTaxonomy()
	tests := []struct {
		prompt, topic string
	}{
		{"Find SaaS companies with 50-200 employees looking for customer support software", "help_desk"},
		{"Identify healthcare companies in Boston seeking electronic health records systems", "ehr"},
		{"Find manufacturing companies using legacy ERP systems that need modernization", "erp"},
		{"Find technology companies in San Francisco looking for marketing automation", "marketing_automation"},
		{"Find companies looking for CRM software", "crm"},
		{"Mid-market retailers not using Shopify that need a new e-commerce platform", "ecommerce_platform"},
		{"Enterprise banks evaluating SIEM", "siem"},
		{"US-based SMBs shopping for payroll", "payroll"},
		// The people hired, when nothing else names a product, are read as the
		// categories they use.
		{"Companies hiring payroll specialists", "payroll"},
		{"Companies hiring support agents in Texas", "help_desk"},
	}
	for _, tt := range tests {
		p := tx.ParsePrompt(tt.prompt)
		if len(p.Topics) == 0 || p.Topics[0].ID != tt.topic {
			t.Errorf("%q: topics %+v, want %s first", tt.prompt, p.Topics, tt.topic)
		}
		// The buyer's words are not the product's.
		for _, m := range p.Topics {
			if m.ID == "retail" || m.ID == "core_banking" {
				t.Errorf("%q: topic %s from the buyer description", tt.prompt, m.ID)
			}
		}
	}
}

// BenchmarkParsePrompt reads a prompt as Rank does: the parse and the taxonomy match.
func BenchmarkParsePrompt(b *testing.B) {
	tx := testTaxonomy()
	b.ReportAllocs()
	for b.Loop() {
		tx.ParsePrompt("Find SaaS companies with 50-200 employees in San Francisco, CA using Salesforce and not using Zendesk looking for customer support software")
	}
}
