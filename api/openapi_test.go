package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/leadpoet/leadpoet/api"
)

// openAPIDoc loads and validates api/openapi.json as served by the API. The
// server list is dropped so that the router matches the test server's address.
func openAPIDoc(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.json is not a valid document: %v", err)
	}
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// exchange is one request and what the server answered.
type exchange struct {
	name       string
	method     string
	path       string
	body       string
	header     map[string]string
	wantStatus int
	validReq   bool // the request itself must satisfy the document
}

// checkAgainstDocument validates a real response (and, when asked, its request)
// with openapi3filter. Responses of paths or methods the document does not list
// (404, 405) are checked against the ErrorEnvelope schema.
func checkAgainstDocument(t *testing.T, doc *openapi3.T, router routers.Router, x exchange, r response) {
	t.Helper()
	if r.status != x.wantStatus {
		t.Fatalf("status = %d, want %d; body %.300s", r.status, x.wantStatus, r.body)
	}
	req, err := http.NewRequest(x.method, "http://localhost"+x.path, strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range x.header {
		req.Header.Set(k, v)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		if !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
			t.Fatalf("find route: %v", err)
		}
		if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s is not in the document, yet answered %d", x.method, x.path, r.status)
		}
		var v any
		if err := jsonUnmarshal(r.body, &v); err != nil {
			t.Fatalf("body is not JSON: %v", err)
		}
		if err := doc.Components.Schemas["ErrorEnvelope"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Fatalf("%d body does not match ErrorEnvelope: %v; body %s", r.status, err, r.body)
		}
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if x.validReq {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Fatalf("request does not match the document: %v", err)
		}
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.body)),
		Options:                opts,
	})
	if err != nil {
		t.Fatalf("response does not match the document: %v\nheaders %v\nbody %.500s", err, r.header, r.body)
	}
}

func TestOpenAPIDescribesRealResponses(t *testing.T) {
	doc, router := openAPIDoc(t)
	auth := func(key string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + key, "Content-Type": "application/json"}
	}
	good := `{"query":"Find companies looking for CRM software","limit":25,"filters":{"industries":["technology","saas"],"company_size":["10-50","51-200"],"location":"United States","exclude":["competitor1.com"]}}`

	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(roomyPlan()), noThrottle)
	// Some answers first, so that reputation and alerts have content.
	for range 3 {
		e.query(t, good)
	}
	cases := []exchange{
		{"query 200", http.MethodPost, "/query", good, auth(goodKey), 200, true},
		{"query 200 minimal", http.MethodPost, "/query", `{"query":"Find companies looking for CRM software"}`, auth(goodKey), 200, true},
		{"query 400 short", http.MethodPost, "/query", `{"query":"short"}`, auth(goodKey), 400, false},
		{"query 400 not json", http.MethodPost, "/query", `{"query":`, auth(goodKey), 400, false},
		{"query 400 wrong type", http.MethodPost, "/query", `{"query":"Find companies looking for CRM software","limit":"25"}`, auth(goodKey), 400, false},
		{"query 401", http.MethodPost, "/query", good, map[string]string{"Content-Type": "application/json"}, 401, false},
		{"query 401 bad key", http.MethodPost, "/query", good, auth("sk_nope"), 401, false},
		{"query 403", http.MethodPost, "/query", good, auth(noScopeKey), 403, false},
		{"query 413", http.MethodPost, "/query", `{"query":"` + strings.Repeat("a", int(e.cfg.MaxBodyBytes)) + `"}`, auth(goodKey), 413, false},
		{"query 429 cost", http.MethodPost, "/query", `{"query":"Find companies looking for CRM software","limit":2000,"max_cost_usd":1e-9}`, auth(goodKey), 429, true},
		{"healthz 200", http.MethodGet, "/healthz", "", nil, 200, true},
		{"metrics 200", http.MethodGet, "/metrics", "", nil, 200, true},
		{"openapi 200", http.MethodGet, "/openapi.json", "", nil, 200, true},
		{"reputation 200", http.MethodGet, "/query-quality/reputation", "", auth(goodKey), 200, true},
		{"alerts 200", http.MethodGet, "/query-quality/alerts", "", auth(goodKey), 200, true},
		{"reputation 401", http.MethodGet, "/query-quality/reputation", "", nil, 401, false},
		{"alerts 403", http.MethodGet, "/query-quality/alerts", "", auth(queryOnlyKey), 403, false},
		{"404", http.MethodGet, "/nope", "", nil, 404, false},
		{"405", http.MethodGet, "/query", "", auth(goodKey), 405, false},
		{"405 delete", http.MethodDelete, "/healthz", "", nil, 405, false},
	}
	for _, x := range cases {
		t.Run(x.name, func(t *testing.T) {
			r := e.do(t, x.method, x.path, x.body, x.header)
			checkAgainstDocument(t, doc, router, x, r)
			if x.path == "/metrics" && !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
				t.Errorf("metrics Content-Type = %q, want text/plain", r.header.Get("Content-Type"))
			}
		})
	}

	t.Run("query 429 rate limit", func(t *testing.T) {
		p := roomyPlan()
		p.RequestsPerMinute, p.Burst = 1, 1
		e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(p), noThrottle)
		x := exchange{"", http.MethodPost, "/query", good, auth(goodKey), 200, true}
		checkAgainstDocument(t, doc, router, x, e.do(t, x.method, x.path, x.body, x.header))
		x.wantStatus = 429
		checkAgainstDocument(t, doc, router, x, e.do(t, x.method, x.path, x.body, x.header))
	})
	for _, tc := range []struct {
		name   string
		err    error
		status int
	}{
		{"query 500", errors.New("boom"), 500},
		{"query 503", fmt.Errorf("read: %w", api.ErrUnavailable), 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, &fakeRanker{err: tc.err}, withPlan(roomyPlan()), noThrottle)
			x := exchange{"", http.MethodPost, "/query", good, auth(goodKey), tc.status, true}
			checkAgainstDocument(t, doc, router, x, e.do(t, x.method, x.path, x.body, x.header))
		})
	}
	t.Run("healthz 503", func(t *testing.T) {
		e := newEnv(t, nil, withDeps(func(d *api.Deps) { d.Dependencies.Kafka = fakePinger{err: errors.New("down")} }))
		x := exchange{"", http.MethodGet, "/healthz", "", nil, 503, true}
		checkAgainstDocument(t, doc, router, x, e.do(t, x.method, x.path, x.body, x.header))
	})
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
