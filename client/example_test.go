package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/leadpoet/leadpoet/client"
)

// fakeAPI answers like the Leadpoet API: leads for a long enough query, the
// spec's INVALID_QUERY envelope for a short one.
func fakeAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-ID", "req_abc123")
		if strings.Contains(string(body), `"query":"CRM"`) {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":{"code":"INVALID_QUERY","message":"Query must be at least 10 characters long",`+
				`"details":{"field":"query","min_length":10,"provided_length":3}},"timestamp":"2024-12-19T10:30:00Z","request_id":"req_abc123"}`)
			return
		}
		io.WriteString(w, `{"leads":[
			{"lead_id":"lead_1","company_name":"TechCorp Inc","domain":"techcorp.com","score":0.92,"confidence":0.85,
			 "contact_info":{"name":"John Smith","title":"CTO"},"intent_signals":["Recently posted job for CRM administrator"]},
			{"lead_id":"lead_2","company_name":"Initech","domain":"initech.com","score":0.81,"confidence":0.7,
			 "contact_info":{"name":"Bill Lumbergh","title":"VP Sales"},"intent_signals":[]}],
			"metadata":{"total_leads":2,"query_processed":"Find companies looking for CRM software","processing_time_ms":12,"cost_usd":0.0000012}}`)
	}))
}

func Example() {
	api := fakeAPI() // stands in for https://api.leadpoet.com
	defer api.Close()

	c := client.New("your_api_key", client.WithBaseURL(api.URL))
	resp, err := c.QueryLeads(context.Background(), client.QueryRequest{
		Query: "Find companies looking for CRM software",
		Limit: 25,
		Filters: &client.Filters{
			Industries:  []string{"technology"},
			CompanySize: []string{"51-200"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Found %d leads\n", len(resp.Leads))
	for _, lead := range resp.Leads {
		fmt.Printf("%s - %.2f (%s, %s)\n", lead.CompanyName, lead.Score, lead.ContactInfo.Name, lead.ContactInfo.Title)
	}
	// Output:
	// Found 2 leads
	// TechCorp Inc - 0.92 (John Smith, CTO)
	// Initech - 0.81 (Bill Lumbergh, VP Sales)
}

func ExampleAPIError() {
	api := fakeAPI()
	defer api.Close()

	c := client.New("your_api_key", client.WithBaseURL(api.URL))
	_, err := c.QueryLeads(context.Background(), client.QueryRequest{Query: "CRM"})
	if errors.Is(err, client.ErrInvalidQuery) {
		var ae *client.APIError
		errors.As(err, &ae)
		fmt.Println(ae.Status, ae.Code, ae.Details["field"], ae.RequestID)
		fmt.Println(err)
	}
	// Output:
	// 400 INVALID_QUERY query req_abc123
	// leadpoet: 400 INVALID_QUERY: Query must be at least 10 characters long (request_id req_abc123)
}
