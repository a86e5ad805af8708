package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("body is not gzip: %v; body %q", err, b)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("read gzip body: %v", err)
	}
	return out
}

func TestGzipResponses(t *testing.T) {
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(roomyPlan()), noThrottle)
	auth := "Bearer " + goodKey
	cases := []struct {
		name, method, path, body, accept string
		status                           int
		gzipped                          bool
		check                            func(t *testing.T, body []byte)
	}{
		{"query", http.MethodPost, "/query", `{"query":"Find companies looking for CRM software"}`, "gzip", 200, true, wantJSONKey("leads")},
		{"query q-values", http.MethodPost, "/query", `{"query":"Find companies looking for CRM software"}`, "br;q=1.0, gzip;q=0.5", 200, true, wantJSONKey("leads")},
		{"error envelope", http.MethodPost, "/query", `{"query":"short"}`, "gzip", 400, true, wantJSONKey("error")},
		{"healthz", http.MethodGet, "/healthz", "", "gzip", 200, true, wantJSONKey("status")},
		{"not found", http.MethodGet, "/nope", "", "gzip", 404, true, wantJSONKey("error")},
		{"metrics, compressed once", http.MethodGet, "/metrics", "", "gzip", 200, true, func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), "leadpoet_api_requests_total") {
				t.Errorf("metrics body lacks leadpoet_api_requests_total: %.200q", b)
			}
		}},
		{"gzip refused", http.MethodPost, "/query", `{"query":"Find companies looking for CRM software"}`, "gzip;q=0", 200, false, wantJSONKey("leads")},
		{"identity", http.MethodGet, "/healthz", "", "", 200, false, wantJSONKey("status")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"Authorization": auth, "Content-Type": "application/json"}
			if tc.accept != "" {
				h["Accept-Encoding"] = tc.accept
			}
			r := e.do(t, tc.method, tc.path, tc.body, h)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d; body %q", r.status, tc.status, r.body)
			}
			if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("Vary = %q, want Accept-Encoding", r.header.Values("Vary"))
			}
			if r.header.Get("X-Request-ID") == "" {
				t.Error("X-Request-ID missing")
			}
			body := r.body
			if got := r.header.Get("Content-Encoding"); tc.gzipped {
				if got != "gzip" {
					t.Fatalf("Content-Encoding = %q, want gzip", got)
				}
				body = gunzip(t, body)
			} else if got != "" {
				t.Fatalf("Content-Encoding = %q, want none", got)
			}
			tc.check(t, body)
		})
	}
}

func wantJSONKey(key string) func(t *testing.T, b []byte) {
	return func(t *testing.T, b []byte) {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("body is not a JSON object: %v; %.200q", err, b)
		}
		if _, ok := m[key]; !ok {
			t.Errorf("body lacks %q: %.200s", key, b)
		}
	}
}
