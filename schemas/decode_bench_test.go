package schemas

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// benchRecords are records of the size producers send: a company with a profile,
// contacts and a stack; a job posting with a full description; a page's text; the
// small activity, tech and outcome events; and a site text at its 64 KiB limit.
func benchRecords(b *testing.B) map[string][]byte {
	when := time.Date(2026, 5, 20, 9, 30, 0, 0, time.UTC)
	common := Common{EventID: "ev-0123456789abcdef", OccurredAt: when, Domain: "example.com", Source: "crawler"}
	sentence := "We help support teams answer customers faster with a shared inbox, macros and reporting. "
	records := map[string]any{
		"company": Company{
			Common: common, CompanyName: "Example Inc", Industry: "Software", Employees: new(120),
			Location:     Location{City: "Berlin", Region: "Berlin", Country: "DE"},
			Description:  strings.Repeat(sentence, 6),
			Technologies: []string{"Go", "PostgreSQL", "Redis", "Kafka", "Zendesk", "Salesforce", "Slack", "AWS"},
			Contacts: []Contact{
				{Name: "Ada Lovelace", Title: "CTO", Email: "ada@example.com", Phone: "+1-555-0100"},
				{Name: "Grace Hopper", Title: "VP Engineering", Email: "grace@example.com", Phone: "+1-555-0101"},
				{Name: "Alan Turing", Title: "Head of Support", Email: "alan@example.com"},
			},
		},
		"job": Job{
			Common: common, Title: "Senior Help Desk Manager", Location: "Remote, EU",
			Description: strings.Repeat(sentence, 18), URL: "https://boards.greenhouse.io/example/jobs/4012345",
		},
		"site": Site{
			Common: common, URL: "https://example.com/blog/migrating-to-zendesk", Title: "Migrating to Zendesk",
			Text: strings.Repeat(sentence, 30),
		},
		"activity": Activity{
			Common: common, Action: ActionComparisonView, Topic: "help desk software", Text: "Zendesk vs Freshdesk",
			URL: "https://www.g2.com/compare/zendesk-vs-freshdesk", Count: 3, ActorTitle: "Head of Support",
		},
		"tech":    Tech{Common: common, Technology: "Zendesk", Change: ChangeAdded, Category: "Help Desk"},
		"outcome": Outcome{Common: common, Product: "help desk software for small teams", Outcome: OutcomeOpportunity, QueryID: "q_0123456789abcdef01234567"},
		"site-64KiB": Site{
			Common: common, URL: "https://example.com/docs/all", Text: strings.Repeat("x", MaxLongTextChars),
		},
	}
	out := make(map[string][]byte)
	for kind, ev := range records {
		v, err := json.Marshal(ev)
		if err != nil {
			b.Fatal(err)
		}
		out[kind] = v
	}
	return out
}

func BenchmarkDecode(b *testing.B) {
	records := benchRecords(b)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, bc := range []struct{ kind, topic string }{
		{"company", TopicCompanies}, {"job", TopicJobs}, {"site", TopicSites}, {"activity", TopicActivity},
		{"tech", TopicTech}, {"outcome", TopicOutcomes}, {"site-64KiB", TopicSites},
	} {
		value := records[bc.kind]
		if _, err := Decode(bc.topic, value, now); err != nil {
			b.Fatalf("%s: %v", bc.kind, err)
		}
		b.Run(bc.kind, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(value)))
			for b.Loop() {
				if _, err := Decode(bc.topic, value, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeRejected measures records that go to the DLQ: a wrong type early
// in the record, and a record whose 20,000 contacts all have one.
func BenchmarkDecodeRejected(b *testing.B) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, bc := range []struct{ name, topic, value string }{
		{"wrong_type", TopicJobs, `{"event_id": 7, "occurred_at": "2026-05-20T09:30:00Z", "domain": "example.com", "title": "Help Desk Manager"}`},
		{"contacts=20000", TopicCompanies, `{"contacts": [` + strings.TrimSuffix(strings.Repeat(`{"email":5},`, 20000), ",") + `]}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.value)))
			value := []byte(bc.value)
			for b.Loop() {
				if _, err := Decode(bc.topic, value, now); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
