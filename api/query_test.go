package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/api"
	"github.com/leadpoet/leadpoet/scorer"
)

func TestQueryValidation(t *testing.T) {
	long := strings.Repeat("x", 1001)
	many := `"` + strings.Repeat(`a","`, 100) + `a"`
	tests := []struct {
		name        string
		body        string
		wantDetails map[string]any
	}{
		{"empty body", ``, map[string]any{"expected": "object"}},
		{"malformed JSON", `{"query": "Find companies`, map[string]any{}},
		{"trailing garbage", `{"query":"Find companies looking for CRM"} x`, map[string]any{}},
		{"array body", `[]`, map[string]any{"expected": "object", "provided_type": "array"}},
		{"string body", `"Find companies looking for CRM"`, map[string]any{"expected": "object", "provided_type": "string"}},
		{"null body means no query", `null`, map[string]any{"field": "query", "min_length": 10, "provided_length": 0}},
		{"missing query", `{"limit":5}`, map[string]any{"field": "query", "min_length": 10, "provided_length": 0}},
		{"short query", `{"query":"CRM"}`, map[string]any{"field": "query", "min_length": 10, "provided_length": 3}},
		{"short after trimming", `{"query":"   CRM tools   "}`, map[string]any{"field": "query", "min_length": 10, "provided_length": 9}},
		{"length counts characters not bytes", `{"query":"日本の会社を探す"}`, map[string]any{"field": "query", "min_length": 10, "provided_length": 8}},
		{"long query", `{"query":"` + long + `"}`, map[string]any{"field": "query", "max_length": 1000, "provided_length": 1001}},
		{"query wrong type", `{"query":12345678901}`, map[string]any{"field": "query", "expected": "string", "provided_type": "number"}},
		{"limit zero", `{"query":"Find companies looking for CRM","limit":0}`, map[string]any{"field": "limit", "min": 1, "max": 2000, "provided": 0}},
		{"limit negative", `{"query":"Find companies looking for CRM","limit":-5}`, map[string]any{"field": "limit", "min": 1, "max": 2000, "provided": -5}},
		{"limit too large", `{"query":"Find companies looking for CRM","limit":2001}`, map[string]any{"field": "limit", "min": 1, "max": 2000, "provided": 2001}},
		{"limit huge", `{"query":"Find companies looking for CRM","limit":1e400}`, map[string]any{"field": "limit", "min": 1, "max": 2000}},
		{"limit fractional", `{"query":"Find companies looking for CRM","limit":2.5}`, map[string]any{"field": "limit", "expected": "integer"}},
		{"limit string", `{"query":"Find companies looking for CRM","limit":"25"}`, map[string]any{"field": "limit", "expected": "integer", "provided_type": "string"}},
		{"limit boolean", `{"query":"Find companies looking for CRM","limit":true}`, map[string]any{"field": "limit", "expected": "integer", "provided_type": "boolean"}},
		{"filters wrong type", `{"query":"Find companies looking for CRM","filters":[]}`, map[string]any{"field": "filters", "expected": "object", "provided_type": "array"}},
		{"company_size not a list", `{"query":"Find companies looking for CRM","filters":{"company_size":"51-200"}}`,
			map[string]any{"field": "filters.company_size", "expected": "array of strings", "provided_type": "string"}},
		{"company_size unknown bucket", `{"query":"Find companies looking for CRM","filters":{"company_size":["51-200","10-20"]}}`,
			map[string]any{"field": "filters.company_size", "index": 1, "provided": "10-20", "allowed": []string{"1-10", "11-50", "51-200", "201-1000", "1000+"}}},
		{"industries element wrong type", `{"query":"Find companies looking for CRM","filters":{"industries":[1]}}`,
			map[string]any{"field": "filters.industries", "expected": "array of strings", "provided_type": "number"}},
		{"location wrong type", `{"query":"Find companies looking for CRM","filters":{"location":{"city":"Boston"}}}`,
			map[string]any{"field": "filters.location", "expected": "string", "provided_type": "object"}},
		{"location too long", `{"query":"Find companies looking for CRM","filters":{"location":"` + strings.Repeat("y", 201) + `"}}`,
			map[string]any{"field": "filters.location", "max_length": 200, "provided_length": 201}},
		{"empty filter value", `{"query":"Find companies looking for CRM","filters":{"exclude":["a.com","  "]}}`,
			map[string]any{"field": "filters.exclude", "index": 1}},
		{"null filter value", `{"query":"Find companies looking for CRM","filters":{"technologies":[null]}}`,
			map[string]any{"field": "filters.technologies", "index": 0}},
		{"too many filter values", `{"query":"Find companies looking for CRM","filters":{"industries":[` + many + `]}}`,
			map[string]any{"field": "filters.industries", "max_items": 100, "provided_items": 101}},
		{"filter value too long", `{"query":"Find companies looking for CRM","filters":{"job_titles":["` + strings.Repeat("z", 201) + `"]}}`,
			map[string]any{"field": "filters.job_titles", "index": 0, "max_length": 200, "provided_length": 201}},
	}
	ranker := &fakeRanker{}
	e := newEnv(t, ranker, noThrottle) // 29 invalid queries in a row would throttle the key
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.query(t, tt.body)
			env := wantEnvelope(t, r, http.StatusBadRequest, "INVALID_QUERY")
			wantDetails(t, env.Error.Details, tt.wantDetails)
		})
	}
	if n := len(ranker.queries()); n != 0 {
		t.Errorf("ranker called %d times for invalid queries, want 0", n)
	}
}

func TestQueryValidationMessage(t *testing.T) {
	e := newEnv(t, nil)
	env := wantEnvelope(t, e.query(t, `{"query":"CRM"}`), http.StatusBadRequest, "INVALID_QUERY")
	if want := "Query must be at least 10 characters long"; env.Error.Message != want {
		t.Errorf("message = %q, want the spec's %q", env.Error.Message, want)
	}
}

// TestQueryAccepted checks what valid requests become for the ranker.
func TestQueryAccepted(t *testing.T) {
	exact1000 := strings.Repeat("q", 1000)
	tests := []struct {
		name string
		body string
		want scorer.Query
	}{
		{"default limit", `{"query":"Find companies looking for CRM software"}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 25}},
		{"null limit is the default", `{"query":"Find companies looking for CRM software","limit":null}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 25}},
		{"query trimmed", "{\"query\":\"  \\tFind companies looking for CRM software\\n \"}",
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 25}},
		{"exactly 10 characters", `{"query":"CRM vendor","limit":1}`, scorer.Query{Prompt: "CRM vendor", Limit: 1}},
		{"exactly 1000 characters", `{"query":"` + exact1000 + `","limit":2000}`, scorer.Query{Prompt: exact1000, Limit: 2000}},
		{"integral float limit", `{"query":"Find companies looking for CRM software","limit":50.0}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 50}},
		{"exponent limit", `{"query":"Find companies looking for CRM software","limit":1e3}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 1000}},
		{"unknown fields ignored", `{"query":"Find companies looking for CRM software","stream":true,"filters":{"funding":"series-a"}}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 25}},
		{"spec example", `{"query":"Find companies looking for CRM software","limit":25,"filters":{
			"industries":["technology","saas"],"company_size":["10-50","51-200"],
			"location":"United States","exclude":["competitor1.com","competitor2.com"]}}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 25, Filters: scorer.Filters{
				Industries: []string{"technology", "saas"}, CompanySizes: []string{"11-50", "51-200"},
				Location: "United States", Exclude: []string{"competitor1.com", "competitor2.com"}}}},
		{"all filters trimmed", `{"query":"Find companies looking for CRM software","filters":{
			"industries":[" finance "],"company_size":[" 1000+"],"location":" Boston ","exclude":[" x.com"],
			"technologies":["hubspot "],"job_titles":[" CTO "]}}`,
			scorer.Query{Prompt: "Find companies looking for CRM software", Limit: 25, Filters: scorer.Filters{
				Industries: []string{"finance"}, CompanySizes: []string{"1000+"}, Location: "Boston",
				Exclude: []string{"x.com"}, Technologies: []string{"hubspot"}, JobTitles: []string{"CTO"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ranker := &fakeRanker{}
			e := newEnv(t, ranker)
			r := e.query(t, tt.body)
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
			}
			got := ranker.queries()
			if len(got) != 1 {
				t.Fatalf("ranker called %d times, want 1", len(got))
			}
			want := tt.want
			want.Now = newTestClock(0).Now()
			if fmt.Sprintf("%#v", got[0]) != fmt.Sprintf("%#v", want) {
				t.Errorf("ranker got\n%#v\nwant\n%#v", got[0], want)
			}
			var resp struct {
				Metadata struct {
					QueryProcessed string `json:"query_processed"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(r.body, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.Metadata.QueryProcessed != tt.want.Prompt {
				t.Errorf("query_processed = %q, want %q", resp.Metadata.QueryProcessed, tt.want.Prompt)
			}
		})
	}
}

func sampleResult() scorer.Result {
	observed := time.Date(2024, 12, 18, 9, 0, 0, 0, time.UTC)
	return scorer.Result{
		Leads: []scorer.Lead{
			{
				Profile: scorer.Profile{
					Domain: "techcorp.com", Name: "TechCorp Inc", Industry: "Technology", Employees: 120,
					SizeBucket: "51-200", City: "San Francisco", Region: "CA", Country: "US",
				},
				Score:      0.923456,
				Confidence: 0.85004,
				Contact:    scorer.Contact{Name: "John Smith", Title: "CTO", Email: "john.smith@techcorp.com", Phone: "+1-555-0123"},
				Signals:    []string{"Recently posted job for CRM administrator (2024-12-18)"},
				Evidence: []scorer.Evidence{{
					EventID: "ev1", Kind: "job", Source: "greenhouse", URL: "https://techcorp.com/jobs/1",
					Title: "CRM administrator", Snippet: "own our CRM rollout", ObservedAt: observed,
				}},
			},
			{
				Profile:    scorer.Profile{Domain: "acme.de", Name: "Acme GmbH", Employees: -1, City: "Berlin", Country: "DE"},
				Score:      0.5,
				Confidence: 0.12345678,
			},
		},
		TotalMatches:   150,
		Candidates:     400,
		Interpretation: scorer.Interpretation{Product: "crm", Terms: []string{"crm", "software"}},
	}
}

func TestQueryResponse(t *testing.T) {
	ranker := &fakeRanker{res: sampleResult()}
	e := newEnv(t, ranker)
	e.clock.step = 3 * time.Millisecond // every clock reading advances 3 ms
	r := e.query(t, `{"query":"  Find companies looking for CRM software ","limit":25}`)
	if r.status != http.StatusOK {
		t.Fatalf("status = %d; body %s", r.status, r.body)
	}
	if r.header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID header")
	}

	var raw struct {
		Leads    []map[string]json.RawMessage `json:"leads"`
		Metadata map[string]json.RawMessage   `json:"metadata"`
	}
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	wantLeadKeys := []string{"company_name", "company_size", "confidence", "contact_info", "domain", "evidence",
		"industry", "intent_signals", "lead_id", "location", "score"}
	for i, l := range raw.Leads {
		if keys := slices.Sorted(maps.Keys(l)); !slices.Equal(keys, wantLeadKeys) {
			t.Errorf("lead %d keys = %v, want %v", i, keys, wantLeadKeys)
		}
	}
	wantMetaKeys := []string{"cache_hit_rate", "cost_breakdown", "cost_usd", "interpretation", "llm_calls", "processing_time_ms",
		"query_id", "query_processed", "total_leads"}
	if keys := slices.Sorted(maps.Keys(raw.Metadata)); !slices.Equal(keys, wantMetaKeys) {
		t.Errorf("metadata keys = %v, want %v", keys, wantMetaKeys)
	}

	var resp struct {
		Leads []struct {
			LeadID      string  `json:"lead_id"`
			CompanyName string  `json:"company_name"`
			Domain      string  `json:"domain"`
			Industry    string  `json:"industry"`
			CompanySize string  `json:"company_size"`
			Location    string  `json:"location"`
			Score       float64 `json:"score"`
			Confidence  float64 `json:"confidence"`
			ContactInfo struct {
				Name, Title, Email, Phone string
			} `json:"contact_info"`
			IntentSignals []string `json:"intent_signals"`
			Evidence      []struct {
				Kind, Source, URL, Title, Snippet string
				ObservedAt                        string `json:"observed_at"`
			} `json:"evidence"`
		} `json:"leads"`
		Metadata struct {
			TotalLeads       int                   `json:"total_leads"`
			QueryProcessed   string                `json:"query_processed"`
			ProcessingTimeMS int64                 `json:"processing_time_ms"`
			CostUSD          float64               `json:"cost_usd"`
			LLMCalls         int                   `json:"llm_calls"`
			CacheHitRate     float64               `json:"cache_hit_rate"`
			QueryID          string                `json:"query_id"`
			Interpretation   scorer.Interpretation `json:"interpretation"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(r.body, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Leads) != 2 {
		t.Fatalf("got %d leads, want 2", len(resp.Leads))
	}
	l := resp.Leads[0]
	sum := sha256.Sum256([]byte("techcorp.com"))
	checks := []struct {
		name      string
		got, want any
	}{
		{"lead_id", l.LeadID, "lead_" + hex.EncodeToString(sum[:])[:12]},
		{"company_name", l.CompanyName, "TechCorp Inc"},
		{"domain", l.Domain, "techcorp.com"},
		{"industry", l.Industry, "Technology"},
		{"company_size", l.CompanySize, "51-200"},
		{"location", l.Location, "San Francisco, CA"},
		{"score", l.Score, 0.9235},
		{"confidence", l.Confidence, 0.85},
		{"contact name", l.ContactInfo.Name, "John Smith"},
		{"contact title", l.ContactInfo.Title, "CTO"},
		{"contact email", l.ContactInfo.Email, "john.smith@techcorp.com"},
		{"contact phone", l.ContactInfo.Phone, "+1-555-0123"},
		{"intent_signals", strings.Join(l.IntentSignals, "|"), "Recently posted job for CRM administrator (2024-12-18)"},
		{"evidence kind", l.Evidence[0].Kind, "job"},
		{"evidence source", l.Evidence[0].Source, "greenhouse"},
		{"evidence url", l.Evidence[0].URL, "https://techcorp.com/jobs/1"},
		{"evidence title", l.Evidence[0].Title, "CRM administrator"},
		{"evidence snippet", l.Evidence[0].Snippet, "own our CRM rollout"},
		{"evidence observed_at", l.Evidence[0].ObservedAt, "2024-12-18T09:00:00Z"},
		{"second lead location", resp.Leads[1].Location, "Berlin, DE"},
		{"second lead unknown size", resp.Leads[1].CompanySize, ""},
		{"second lead confidence", resp.Leads[1].Confidence, 0.1235},
		{"second lead signals", fmt.Sprint(resp.Leads[1].IntentSignals == nil), "false"},
		{"total_leads", resp.Metadata.TotalLeads, 150},
		{"query_processed", resp.Metadata.QueryProcessed, "Find companies looking for CRM software"},
		{"processing_time_ms", resp.Metadata.ProcessingTimeMS, int64(3)},
		{"llm_calls", resp.Metadata.LLMCalls, 0},
		{"cache_hit_rate", resp.Metadata.CacheHitRate, 0.0},
		{"interpretation", strings.Join(resp.Metadata.Interpretation.Terms, ","), "crm,software"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	wantCost := api.DefaultCostModel().Cost(api.Usage{Processing: 3 * time.Millisecond, StoreOps: 2 + 400, Leads: 2})
	if math.Abs(resp.Metadata.CostUSD-wantCost) > 1e-10 {
		t.Errorf("cost_usd = %v, want %v", resp.Metadata.CostUSD, wantCost)
	}
	if !regexp.MustCompile(`^q_[0-9a-f]{24}$`).MatchString(resp.Metadata.QueryID) {
		t.Errorf("query_id = %q, want q_ and 24 hex digits", resp.Metadata.QueryID)
	}
}

func TestQueryIDsDiffer(t *testing.T) {
	e := newEnv(t, &fakeRanker{})
	ids := map[string]bool{}
	for range 3 {
		r := e.query(t, `{"query":"Find companies looking for CRM software"}`)
		var resp struct {
			Metadata struct {
				QueryID string `json:"query_id"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(r.body, &resp); err != nil {
			t.Fatal(err)
		}
		ids[resp.Metadata.QueryID] = true
	}
	if len(ids) != 3 {
		t.Errorf("3 queries got %d distinct query_ids", len(ids))
	}
}

func TestQueryEmptyResultShape(t *testing.T) {
	e := newEnv(t, &fakeRanker{})
	r := e.query(t, `{"query":"Find companies looking for CRM software"}`)
	if r.status != http.StatusOK {
		t.Fatalf("status = %d; body %s", r.status, r.body)
	}
	for _, want := range []string{`"leads":[]`, `"total_leads":0`, `"terms":[]`} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("body lacks %s: %s", want, r.body)
		}
	}
}

func TestQueryTruncatesToLimit(t *testing.T) {
	res := sampleResult()
	e := newEnv(t, &fakeRanker{res: res})
	r := e.query(t, `{"query":"Find companies looking for CRM software","limit":1}`)
	var resp struct {
		Leads []json.RawMessage `json:"leads"`
	}
	if err := json.Unmarshal(r.body, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Leads) != 1 {
		t.Errorf("limit 1 returned %d leads", len(resp.Leads))
	}
}

// TestQueryClientGone checks that a client that disconnects during ranking is
// recorded as 499 rather than as a server error.
func TestQueryClientGone(t *testing.T) {
	ranker := &fakeRanker{block: true, entered: make(chan struct{}, 1)}
	e := newEnv(t, ranker)
	ctx, cancel := context.WithCancel(t.Context())
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/query", strings.NewReader(`{"query":"Find companies looking for CRM software"}`))
	req.Header.Set("Authorization", "Bearer "+goodKey)
	rec := httptest.NewRecorder()
	go func() {
		<-ranker.entered
		cancel()
	}()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("status = %d, want 499", rec.Code)
	}
}

// FuzzQueryDecode sends arbitrary bodies through the whole /query handler: no body
// may cause a 5xx, a 400 must be an INVALID_QUERY envelope, and a 200 must echo a
// query within the length bounds.
func FuzzQueryDecode(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `{"query":"CRM"}`, `{"query":"Find companies looking for CRM software"}`,
		`{"query":"Find companies looking for CRM software","limit":2000}`,
		`{"query":"Find companies looking for CRM software","limit":2.5e1}`,
		`{"query":"Find companies looking for CRM software","limit":-1e400}`,
		`{"query":"Find companies looking for CRM software","filters":{"company_size":["10-50"],"location":"US"}}`,
		`{"query":"Find companies looking for CRM software","filters":{"industries":[null,""]}}`,
		`{"query":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\ud800"}`,
		"{\"query\":\"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\"}",
		`{"query":{"nested":[1,2,3]},"limit":{}}`,
	} {
		f.Add([]byte(seed))
	}
	ranker := echoRanker{}
	e := newEnv(f, nil, withDeps(func(d *api.Deps) { d.Ranker = ranker }), withPlan(roomyPlan()), noThrottle)
	h := e.srv.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+goodKey)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for body %q: %s", rec.Code, body, rec.Body)
		case rec.Code == http.StatusOK:
			var resp struct {
				Leads    []json.RawMessage `json:"leads"`
				Metadata struct {
					QueryProcessed string `json:"query_processed"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("200 body is not JSON: %v", err)
			}
			q := resp.Metadata.QueryProcessed
			if n := len([]rune(q)); n < 10 || n > 1000 || q != strings.TrimSpace(q) {
				t.Fatalf("accepted query %q (%d characters)", q, n)
			}
		case rec.Code == http.StatusBadRequest:
			var env envelope
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Error.Code != "INVALID_QUERY" {
				t.Fatalf("400 body is not an INVALID_QUERY envelope (%v): %s", err, rec.Body)
			}
		default:
			t.Fatalf("unexpected status %d: %s", rec.Code, rec.Body)
		}
	})
}

// echoRanker returns one lead made of the query's own text, so that arbitrary
// client strings go through the response encoder.
type echoRanker struct{}

func (echoRanker) Rank(_ context.Context, q scorer.Query) (scorer.Result, error) {
	lead := scorer.Lead{
		Profile: scorer.Profile{Domain: q.Prompt, Name: q.Prompt, City: q.Filters.Location},
		Score:   0.5, Signals: append([]string{q.Prompt}, q.Filters.Industries...),
	}
	return scorer.Result{Leads: []scorer.Lead{lead}, TotalMatches: 1, Candidates: 1}, nil
}

func BenchmarkQueryHandler(b *testing.B) {
	for _, n := range []int{25, 2000} {
		b.Run(fmt.Sprintf("limit=%d", n), func(b *testing.B) {
			res := benchResult(n)
			e := newEnv(b, &fakeRanker{res: res}, withDeps(func(d *api.Deps) { d.Clock = time.Now }), withPlan(roomyPlan()))
			h := e.srv.Handler()
			body := []byte(fmt.Sprintf(`{"query":"Find SaaS companies looking for customer support software","limit":%d,"filters":{"company_size":["51-200","201-1000"]}}`, n))
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+goodKey)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

func benchResult(n int) scorer.Result {
	now := time.Date(2024, 12, 18, 9, 0, 0, 0, time.UTC)
	leads := make([]scorer.Lead, n)
	for i := range leads {
		domain := fmt.Sprintf("company%d.example.com", i)
		leads[i] = scorer.Lead{
			Profile: scorer.Profile{Domain: domain, Name: fmt.Sprintf("Company %d Inc", i), Industry: "Software",
				SizeBucket: "51-200", City: "Austin", Region: "TX", Country: "US"},
			Score: 0.9 - float64(i)/float64(10*n), Confidence: 0.8,
			Contact: scorer.Contact{Name: "Jane Doe", Title: "VP Support", Email: "jane@" + domain, Phone: "+1-555-0100"},
			Signals: []string{"Posted a job for a support operations lead (2024-12-18)", "Viewed help-desk pricing pages (2024-12-17)",
				"Added Zendesk to its stack (2024-12-10)"},
		}
		for k := range 3 {
			leads[i].Evidence = append(leads[i].Evidence, scorer.Evidence{EventID: fmt.Sprint(i, k), Kind: "job", Source: "greenhouse",
				URL: "https://" + domain + "/jobs", Title: "Support operations lead", Snippet: "scale our customer support tooling", ObservedAt: now})
		}
	}
	return scorer.Result{Leads: leads, TotalMatches: n * 3, Candidates: n * 4,
		Interpretation: scorer.Interpretation{Product: "customer support software", Terms: []string{"customer", "support", "software"}}}
}
