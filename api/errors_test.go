package api_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/leadpoet/leadpoet/api"
)

func TestErrorEnvelopes(t *testing.T) {
	const query = `{"query":"Find companies looking for CRM software"}`
	auth := map[string]string{"Authorization": "Bearer " + goodKey}
	tests := []struct {
		name        string
		ranker      *fakeRanker
		config      func(*api.Config)
		method      string
		path        string
		body        string
		status      int
		code        string
		wantDetails map[string]any
		wantHeader  map[string]string
	}{
		{name: "unknown path", method: "GET", path: "/nope", status: 404, code: "NOT_FOUND",
			wantDetails: map[string]any{"path": "/nope"}},
		{name: "trailing slash is not redirected", method: "POST", path: "/query/", body: query, status: 404, code: "NOT_FOUND"},
		{name: "GET on /query", method: "GET", path: "/query", status: 405, code: "METHOD_NOT_ALLOWED",
			wantDetails: map[string]any{"allowed": []string{"POST"}}, wantHeader: map[string]string{"Allow": "POST"}},
		{name: "POST on /healthz", method: "POST", path: "/healthz", status: 405, code: "METHOD_NOT_ALLOWED",
			wantHeader: map[string]string{"Allow": "GET"}},
		{name: "body too large", method: "POST", path: "/query", config: func(c *api.Config) { c.MaxBodyBytes = 64 },
			body: `{"query":"` + strings.Repeat("a", 100) + `"}`, status: 413, code: "PAYLOAD_TOO_LARGE",
			wantDetails: map[string]any{"max_bytes": 64}},
		{name: "ranker error", ranker: &fakeRanker{err: errSecret}, method: "POST", path: "/query", body: query,
			status: 500, code: "INTERNAL_ERROR"},
		{name: "ranker unavailable", ranker: &fakeRanker{err: fmt.Errorf("retrieve: %w: %w", api.ErrUnavailable, errSecret)},
			method: "POST", path: "/query", body: query, status: 503, code: "SERVICE_UNAVAILABLE"},
		{name: "ranker panics", ranker: &fakeRanker{panicV: errSecret.Error()}, method: "POST", path: "/query", body: query,
			status: 500, code: "INTERNAL_ERROR"},
		{name: "ranker too slow", ranker: &fakeRanker{block: true}, config: func(c *api.Config) { c.QueryTimeout = 1 },
			method: "POST", path: "/query", body: query, status: 503, code: "SERVICE_UNAVAILABLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []option
			if tt.config != nil {
				opts = append(opts, withConfig(tt.config))
			}
			e := newEnv(t, tt.ranker, opts...)
			r := e.do(t, tt.method, tt.path, tt.body, auth)
			env := wantEnvelope(t, r, tt.status, tt.code)
			wantDetails(t, env.Error.Details, tt.wantDetails)
			for k, v := range tt.wantHeader {
				if got := r.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if strings.Contains(string(r.body), "secret") || strings.Contains(string(r.body), "goroutine") {
				t.Errorf("internal detail leaked to the client: %s", r.body)
			}
			if r.status >= 500 && r.status != 503 && !strings.Contains(e.logs.String(), env.RequestID) {
				t.Errorf("server error not logged with its request_id %s; log:\n%s", env.RequestID, e.logs)
			}
		})
	}
}

func TestPanicIsLoggedWithStack(t *testing.T) {
	e := newEnv(t, &fakeRanker{panicV: "boom"})
	r := e.query(t, `{"query":"Find companies looking for CRM software"}`)
	env := wantEnvelope(t, r, 500, "INTERNAL_ERROR")
	logs := e.logs.String()
	for _, want := range []string{`"msg":"panic serving request"`, `"request_id":"` + env.RequestID + `"`, `"panic":"boom"`, `"stack":"goroutine`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	// The server keeps serving after a panic.
	if r := e.do(t, "GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz after panic: %d", r.status)
	}
}

func TestBodyTooLargeWithoutContentLength(t *testing.T) {
	e := newEnv(t, nil, withConfig(func(c *api.Config) { c.MaxBodyBytes = 64 }))
	body := strings.NewReader(`{"query":"` + strings.Repeat("a", 1000) + `"}`)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.ts.URL+"/query", struct{ *strings.Reader }{body})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = -1 // chunked: the limit must hold while reading
	req.Header.Set("Authorization", "Bearer "+goodKey)
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.StatusCode)
	}
}

func TestRequestID(t *testing.T) {
	generated := regexp.MustCompile(`^req_[0-9a-f]{16}$`)
	tests := []struct {
		name     string
		incoming string
		echoed   bool
	}{
		{"none", "", false},
		{"uuid honoured", "3f2c1b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f", true},
		{"trace-style honoured", "abc.DEF_123:xyz", true},
		{"spaces rejected", "a b", false},
		{"quotes rejected", `x"y`, false},
		{"too long rejected", strings.Repeat("a", 129), false},
	}
	e := newEnv(t, nil)
	for _, tt := range tests {
		for _, path := range []string{"/healthz", "/metrics", "/nope", "/query"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				h := map[string]string{}
				if tt.incoming != "" {
					h["X-Request-ID"] = tt.incoming
				}
				r := e.do(t, "GET", path, "", h)
				got := r.header.Get("X-Request-ID")
				switch {
				case tt.echoed && got != tt.incoming:
					t.Errorf("X-Request-ID = %q, want the incoming %q", got, tt.incoming)
				case !tt.echoed && !generated.MatchString(got):
					t.Errorf("X-Request-ID = %q, want a generated req_<16 hex>", got)
				}
			})
		}
	}
}

func TestAuth(t *testing.T) {
	const query = `{"query":"Find companies looking for CRM software"}`
	tests := []struct {
		name   string
		header string
		keys   api.KeyChecker
		status int
		code   string
	}{
		{name: "valid key", header: "Bearer " + goodKey, status: 200},
		{name: "scheme is case-insensitive", header: "bearer " + goodKey, status: 200},
		{name: "missing header", header: "", status: 401, code: "UNAUTHORIZED"},
		{name: "wrong scheme", header: "Basic " + goodKey, status: 401, code: "UNAUTHORIZED"},
		{name: "empty token", header: "Bearer ", status: 401, code: "UNAUTHORIZED"},
		{name: "bare key", header: goodKey, status: 401, code: "UNAUTHORIZED"},
		{name: "unknown key", header: "Bearer sk_test_unknown", status: 401, code: "UNAUTHORIZED"},
		{name: "key without query scope", header: "Bearer " + noScopeKey, status: 403, code: "FORBIDDEN"},
		{name: "key store unavailable", header: "Bearer " + goodKey, keys: failingKeys{fmt.Errorf("%w: %w", api.ErrUnavailable, errSecret)},
			status: 503, code: "SERVICE_UNAVAILABLE"},
		{name: "key store broken", header: "Bearer " + goodKey, keys: failingKeys{errSecret}, status: 500, code: "INTERNAL_ERROR"},
		{name: "wrapped unknown key", header: "Bearer " + goodKey, keys: failingKeys{fmt.Errorf("lookup: %w", api.ErrUnknownKey)},
			status: 401, code: "UNAUTHORIZED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ranker := &fakeRanker{}
			var opts []option
			if tt.keys != nil {
				opts = append(opts, withDeps(func(d *api.Deps) { d.Keys = tt.keys }))
			}
			e := newEnv(t, ranker, opts...)
			h := map[string]string{}
			if tt.header != "" {
				h["Authorization"] = tt.header
			}
			r := e.do(t, "POST", "/query", query, h)
			if tt.status == 200 {
				if r.status != 200 {
					t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
				}
				return
			}
			env := wantEnvelope(t, r, tt.status, tt.code)
			if tt.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer WWW-Authenticate challenge")
			}
			if tt.status == 403 {
				wantDetails(t, env.Error.Details, map[string]any{"required_scope": "query"})
			}
			if strings.Contains(string(r.body), "secret") {
				t.Errorf("internal detail leaked: %s", r.body)
			}
			if n := len(ranker.queries()); n != 0 {
				t.Errorf("ranker called %d times for a rejected key", n)
			}
		})
	}
}

func TestNoAuthOnHealthAndMetrics(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"/healthz", "/metrics"} {
		if r := e.do(t, "GET", path, "", nil); r.status != 200 {
			t.Errorf("GET %s without a key: %d, want 200", path, r.status)
		}
	}
}

type failingKeys struct{ err error }

func (f failingKeys) Check(context.Context, string) (api.KeyInfo, error) { return api.KeyInfo{}, f.err }

func TestStaticKeys(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 test vector.
	if got, want := api.HashKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Fatalf("HashKey(abc) = %s, want %s", got, want)
	}
	keys := testKeys()
	tests := []struct {
		name    string
		key     string
		wantID  string
		wantErr error
	}{
		{"known", goodKey, "key_good", nil},
		{"second known", noScopeKey, "key_noscope", nil},
		{"unknown", "sk_nope", "", api.ErrUnknownKey},
		{"empty", "", "", api.ErrUnknownKey},
		{"hash is not the key", api.HashKey(goodKey), "", api.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := keys.Check(t.Context(), tt.key)
			if err != tt.wantErr || info.ID != tt.wantID {
				t.Errorf("Check(%q) = %+v, %v; want ID %q, %v", tt.key, info, err, tt.wantID, tt.wantErr)
			}
		})
	}
}
