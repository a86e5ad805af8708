package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/leadpoet/leadpoet/scorer"
)

// specResponseKeys are the keys of API-SPEC.md's POST /query response example,
// with the JSON type of each value.
var specResponseKeys = map[string]map[string]string{
	"lead": {
		"lead_id": "string", "company_name": "string", "domain": "string", "industry": "string", "company_size": "string",
		"location": "string", "score": "number", "confidence": "number", "contact_info": "object", "intent_signals": "array",
	},
	"contact_info": {"name": "string", "title": "string", "email": "string", "phone": "string"},
	"metadata": {
		"total_leads": "number", "query_processed": "string", "processing_time_ms": "number", "cost_usd": "number",
		"llm_calls": "number", "cache_hit_rate": "number",
	},
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case bool:
		return "boolean"
	}
	return "null"
}

func wantShape(t *testing.T, what string, got map[string]any) {
	t.Helper()
	for k, typ := range specResponseKeys[what] {
		v, ok := got[k]
		if !ok {
			t.Errorf("%s lacks %q", what, k)
			continue
		}
		if jsonType(v) != typ {
			t.Errorf("%s.%s is %s (%v), want %s", what, k, jsonType(v), v, typ)
		}
	}
}

// TestSpecRequestExamples sends the request examples of API-SPEC.md (the
// request-body and filter examples of "Query Leads", the two cURL examples, the
// bodies the Python and JavaScript SDK examples send, and the good and poor
// prompts of "Query Examples") and checks the documented response shape.
func TestSpecRequestExamples(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		limit int
		want  scorer.Filters
	}{
		{"request body", `{
  "query": "Find companies looking for CRM software",
  "limit": 25,
  "filters": {
    "industries": ["technology", "saas"],
    "company_size": ["10-50", "51-200"],
    "location": "United States",
    "exclude": ["competitor1.com", "competitor2.com"]
  }
}`, 25, scorer.Filters{Industries: []string{"technology", "saas"}, CompanySizes: []string{"11-50", "51-200"},
			Location: "United States", Exclude: []string{"competitor1.com", "competitor2.com"}}},
		{"filter options", `{"query": "Find companies looking for CRM software", "filters": {
  "industries": ["technology", "healthcare", "finance"],
  "company_size": ["1-10", "11-50", "51-200", "201-1000", "1000+"],
  "location": "United States",
  "exclude": ["domain1.com", "domain2.com"],
  "technologies": ["salesforce", "hubspot", "zendesk"],
  "job_titles": ["CTO", "VP Engineering", "Head of Sales"]
}}`, 25, scorer.Filters{Industries: []string{"technology", "healthcare", "finance"},
			CompanySizes: []string{"1-10", "11-50", "51-200", "201-1000", "1000+"}, Location: "United States",
			Exclude: []string{"domain1.com", "domain2.com"}, Technologies: []string{"salesforce", "hubspot", "zendesk"},
			JobTitles: []string{"CTO", "VP Engineering", "Head of Sales"}}},
		{"curl basic", `{
    "query": "Find companies looking for CRM software",
    "limit": 25
  }`, 25, scorer.Filters{}},
		{"curl filters", `{
    "query": "Find technology companies in San Francisco looking for marketing automation",
    "limit": 50,
    "filters": {
      "industries": ["technology"],
      "location": "San Francisco",
      "company_size": ["51-200", "201-1000"],
      "technologies": ["hubspot", "marketo"]
    }
  }`, 50, scorer.Filters{Industries: []string{"technology"}, Location: "San Francisco",
			CompanySizes: []string{"51-200", "201-1000"}, Technologies: []string{"hubspot", "marketo"}}},
		{"python sdk", `{"query":"Find companies looking for CRM software","limit":25,"filters":{"industries":["technology"],"company_size":["51-200"]}}`,
			25, scorer.Filters{Industries: []string{"technology"}, CompanySizes: []string{"51-200"}}},
		{"javascript sdk", `{"query":"Find companies looking for CRM software","limit":25,"filters":{"industries":["technology"],"company_size":["51-200"]}}`,
			25, scorer.Filters{Industries: []string{"technology"}, CompanySizes: []string{"51-200"}}},
		{"good query 1", `{"query":"Find SaaS companies with 50-200 employees looking for customer support software"}`, 25, scorer.Filters{}},
		{"good query 2", `{"query":"Identify healthcare companies in Boston seeking electronic health records systems"}`, 25, scorer.Filters{}},
		{"good query 3", `{"query":"Find manufacturing companies using legacy ERP systems that need modernization"}`, 25, scorer.Filters{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ranker := &fakeRanker{res: sampleResult()}
			e := newEnv(t, ranker, withPlan(roomyPlan()), noThrottle)
			r := e.query(t, tc.body)
			if r.status != http.StatusOK {
				t.Fatalf("status = %d; body %s", r.status, r.body)
			}
			if r.header.Get("X-Request-ID") == "" {
				t.Error("no X-Request-ID")
			}
			for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
				if r.header.Get(h) == "" {
					t.Errorf("no %s header", h)
				}
			}
			var resp struct {
				Leads    []map[string]any `json:"leads"`
				Metadata map[string]any   `json:"metadata"`
			}
			if err := json.Unmarshal(r.body, &resp); err != nil {
				t.Fatal(err)
			}
			if len(resp.Leads) == 0 {
				t.Fatal("no leads")
			}
			for _, l := range resp.Leads {
				wantShape(t, "lead", l)
				c, _ := l["contact_info"].(map[string]any)
				wantShape(t, "contact_info", c)
				for _, s := range l["intent_signals"].([]any) {
					if _, ok := s.(string); !ok {
						t.Errorf("intent_signals holds %v, want strings", s)
					}
				}
			}
			wantShape(t, "metadata", resp.Metadata)
			var req struct {
				Query string `json:"query"`
			}
			_ = json.Unmarshal([]byte(tc.body), &req)
			if resp.Metadata["query_processed"] != req.Query {
				t.Errorf("query_processed = %v, want %q", resp.Metadata["query_processed"], req.Query)
			}

			got := ranker.queries()
			if len(got) != 1 {
				t.Fatalf("ranker got %d queries, want 1", len(got))
			}
			if got[0].Prompt != req.Query || got[0].Limit != tc.limit || !reflect.DeepEqual(got[0].Filters, tc.want) {
				t.Errorf("ranker got prompt %q limit %d filters %+v; want %q, %d, %+v", got[0].Prompt, got[0].Limit, got[0].Filters, req.Query, tc.limit, tc.want)
			}
		})
	}

	// The spec's "CRM" (too short) poor query and its error example.
	t.Run("poor query too short", func(t *testing.T) {
		e := newEnv(t, nil, withPlan(roomyPlan()), noThrottle)
		env := wantEnvelope(t, e.query(t, `{"query":"CRM"}`), http.StatusBadRequest, "INVALID_QUERY")
		wantDetails(t, env.Error.Details, map[string]any{"field": "query", "min_length": float64(10), "provided_length": float64(3)})
		if !strings.Contains(env.Error.Message, "at least 10 characters") {
			t.Errorf("message = %q", env.Error.Message)
		}
	})
}
