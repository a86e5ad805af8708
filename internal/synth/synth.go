// Package synth generates streams of valid wire-contract events of every kind, for
// load benchmarks and crash tests: deterministic for a seed, with realistic text.
package synth

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/leadpoet/leadpoet/schemas"
)

// Record is one Kafka record to produce.
type Record struct {
	Topic string
	Key   []byte
	Value []byte
}

var (
	jobTitles = []string{"Customer Support Specialist", "Salesforce Administrator", "Site Reliability Engineer",
		"Marketing Operations Manager", "Payroll Specialist", "Data Engineer", "Security Analyst", "Help Desk Technician",
		"Recruiting Coordinator", "Senior Accountant", "DevOps Engineer", "Growth Marketer"}
	jobText = []string{
		"You will own our Zendesk help desk, macros and customer support workflows.",
		"Administer Salesforce CRM, build reports and keep pipeline data clean for the sales team.",
		"Run Kubernetes on AWS with Terraform; on call for Datadog and Prometheus alerts.",
		"Operate HubSpot and Marketo campaigns, lead scoring and marketing automation.",
		"Process payroll in ADP and Gusto for a growing team across three states.",
		"Build pipelines into Snowflake and dashboards in Looker for every department.",
		"Triage Splunk alerts and harden our SIEM and endpoint security.",
	}
	siteText = []string{
		"Our support team answers every ticket within an hour through our help desk.",
		"We are migrating our CRM and sales pipeline to a new platform this quarter.",
		"Read how we scaled observability across two hundred microservices.",
		"Join our webinar on payroll compliance for distributed teams.",
	}
	topics   = []string{"help desk software", "CRM", "marketing automation", "payroll software", "observability", "SIEM", "data warehouse"}
	techs    = []string{"Zendesk", "Salesforce", "HubSpot", "Datadog", "Splunk", "Snowflake", "Gusto", "Intercom", "Jira", "Okta"}
	industry = []string{"saas", "healthcare", "finance", "retail", "education", "technology"}
)

// Options shapes a stream.
type Options struct {
	Seed      uint64
	Companies int // distinct companies; their profiles come first
	Signals   int // signal events after the profiles, of every kind
	Now       time.Time
	Weeks     int // signals are spread over this many weeks before Now (default 12)
}

// Stream returns Companies profile events followed by Signals events of every signal
// kind, with unique event ids, keyed by domain.
func Stream(o Options) []Record {
	if o.Weeks <= 0 {
		o.Weeks = 12
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	out := make([]Record, 0, o.Companies+o.Signals)
	domain := func(i int) string { return fmt.Sprintf("company%06d.example", i) }
	at := func() string {
		back := time.Duration(r.Int64N(int64(o.Weeks) * 7 * 24 * int64(time.Hour)))
		return o.Now.Add(-back).UTC().Format(time.RFC3339Nano)
	}
	add := func(topic, d string, v map[string]any) {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // maps of strings and numbers always encode
		}
		out = append(out, Record{Topic: topic, Key: []byte(d), Value: b})
	}
	for i := range o.Companies {
		d := domain(i)
		add(schemas.TopicCompanies, d, map[string]any{
			"event_id": "co-" + d, "occurred_at": at(), "domain": d, "company_name": fmt.Sprintf("Company %d", i),
			"industry": industry[r.IntN(len(industry))], "employees": 5 + r.IntN(5000),
			"location":     map[string]string{"city": "Boston", "region": "MA", "country": "United States"},
			"technologies": []string{techs[r.IntN(len(techs))], techs[r.IntN(len(techs))]},
			"contacts":     []map[string]string{{"name": "Alex Doe", "title": "CTO", "email": "alex@" + d}},
		})
	}
	for i := range o.Signals {
		d := domain(r.IntN(max(o.Companies, 1)))
		id := fmt.Sprintf("sig-%d-%d", o.Seed, i)
		switch i % 4 {
		case 0:
			add(schemas.TopicJobs, d, map[string]any{"event_id": id, "occurred_at": at(), "domain": d,
				"title": jobTitles[r.IntN(len(jobTitles))], "description": jobText[r.IntN(len(jobText))], "url": "https://" + d + "/jobs/" + id})
		case 1:
			add(schemas.TopicSites, d, map[string]any{"event_id": id, "occurred_at": at(), "domain": d,
				"url": "https://" + d + "/blog/" + id, "title": "Blog", "text": siteText[r.IntN(len(siteText))]})
		case 2:
			add(schemas.TopicActivity, d, map[string]any{"event_id": id, "occurred_at": at(), "domain": d,
				"action": schemas.Actions()[r.IntN(len(schemas.Actions()))], "topic": topics[r.IntN(len(topics))], "count": 1 + r.IntN(5)})
		default:
			add(schemas.TopicTech, d, map[string]any{"event_id": id, "occurred_at": at(), "domain": d,
				"technology": techs[r.IntN(len(techs))], "change": schemas.Changes()[r.IntN(2)]})
		}
	}
	return out
}
