package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// malformedBody returns a POST /query body that no valid request could be, of one
// of several families, and the family's name.
func malformedBody(rng *rand.Rand) (string, []byte) {
	good := `{"query":"Find companies looking for CRM software","limit":25,"filters":{"industries":["technology"],"company_size":["51-200"],"location":"United States","exclude":["a.com"]}}`
	prompt := `"Find companies looking for CRM software"`
	switch rng.IntN(9) {
	case 0:
		b := make([]byte, rng.IntN(300))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return "random bytes", b
	case 1:
		return "truncated", []byte(good[:rng.IntN(len(good)-1)])
	case 2:
		wrong := []string{`1`, `-3.5`, `true`, `null`, `"x"`, `[]`, `{}`, `[1,"a"]`, `{"a":1}`}
		w := wrong[rng.IntN(len(wrong))]
		fields := []string{
			`{"query":%s}`,
			`{"query":` + prompt + `,"limit":%s}`,
			`{"query":` + prompt + `,"filters":%s}`,
			`{"query":` + prompt + `,"filters":{"industries":%s}}`,
			`{"query":` + prompt + `,"filters":{"location":%s}}`,
			`{"query":` + prompt + `,"filters":{"company_size":[%s]}}`,
			`{"query":` + prompt + `,"max_cost_usd":%s}`,
			`%s`,
		}
		f := fields[rng.IntN(len(fields))]
		body := fmt.Sprintf(f, w)
		if isValidRequest(body) { // e.g. "limit":null, "filters":{}
			body = fmt.Sprintf(f, `"wrong"`) + "x"
		}
		return "wrong type", []byte(body)
	case 3:
		nums := []string{"1e400", "-1e400", "99999999999999999999999999999", "0", "-1", "1e-400", strings.Repeat("9", 5000), "NaN", "Infinity", "0x10", "1e308"}
		if rng.IntN(2) == 0 {
			nums = append(nums, "2001", "2.5", "4294967297")
			return "huge number", []byte(`{"query":` + prompt + `,"limit":` + nums[rng.IntN(len(nums))] + `}`)
		}
		return "huge number", []byte(`{"query":` + prompt + `,"max_cost_usd":` + nums[rng.IntN(len(nums))] + `}`)
	case 4:
		d := 1 + rng.IntN(20000)
		open, closeB := "[", "]"
		if rng.IntN(2) == 0 {
			open, closeB = `{"a":`, "}"
		}
		return "deep nesting", []byte(`{"query":` + prompt + `,"filters":{"industries":` + strings.Repeat(open, d) + "1" + strings.Repeat(closeB, d) + `}}`)
	case 5:
		b := []byte(good)
		at := 11 + rng.IntN(30) // inside the query string
		bad := [][]byte{{0xff}, {0xc3}, {0xed, 0xa0, 0x80}, {0xf8, 0x88, 0x80, 0x80, 0x80}, {0x80}}
		out := append(append(append([]byte{}, b[:at]...), bad[rng.IntN(len(bad))]...), b[at:]...)
		return "invalid UTF-8", out
	case 6:
		shorts := []string{`""`, `"   "`, `"short"`, `"` + strings.Repeat("x", 1001) + `"`}
		return "bad query", []byte(`{"query":` + shorts[rng.IntN(len(shorts))] + `}`)
	case 7:
		b := []byte(good)
		b[rng.IntN(len(b))] = "{}[]\",:\\"[rng.IntN(8)]
		if isValidRequest(string(b)) {
			b = append(b, '}')
		}
		return "corrupted", b
	default:
		bad := []string{`{"query":` + prompt + `,"filters":{"company_size":["huge"]}}`, `{"query":` + prompt + `,"filters":{"industries":[""]}}`,
			`{"query":` + prompt + `,"filters":{"exclude":[` + strings.Repeat(`"a.com",`, 100) + `"b.com"]}}`,
			`{"query":` + prompt + `,"max_cost_usd":1000}`, `{"query":` + prompt + `}{}`, `{"query":` + prompt + `,}`, `{"query":` + prompt + `"}`}
		return "bad values", []byte(bad[rng.IntN(len(bad))])
	}
}

// isValidRequest reports whether body is a JSON object with a long enough query;
// the generator avoids those.
func isValidRequest(body string) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &m) != nil {
		return false
	}
	var q string
	return json.Unmarshal(m["query"], &q) == nil && len(strings.TrimSpace(q)) >= 10
}

func TestMalformedBodiesGetFourHundreds(t *testing.T) {
	const n = 10_000
	e := newEnv(t, &fakeRanker{res: sampleResult()}, withPlan(roomyPlan()), noThrottle)
	rng := rand.New(rand.NewPCG(1, 2))
	type job struct {
		family string
		body   []byte
	}
	jobs := make(chan job)
	var (
		mu       sync.Mutex
		families = map[string]int{}
		failures int
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if failures++; failures <= 20 {
			t.Errorf(format, args...)
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for j := range jobs {
				req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/query", bytes.NewReader(j.body))
				req.Header.Set("Authorization", "Bearer "+goodKey)
				req.Header.Set("Content-Type", "application/json")
				resp, err := e.ts.Client().Do(req)
				if err != nil {
					fail("%s %q: %v", j.family, trim(j.body), err)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode < 400 || resp.StatusCode > 499 {
					fail("%s %q: status %d, want 4xx; body %s", j.family, trim(j.body), resp.StatusCode, trim(b))
					continue
				}
				var env envelope
				dec := json.NewDecoder(bytes.NewReader(b))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&env); err != nil || env.Error.Code == "" || env.Error.Message == "" ||
					env.Error.Details == nil || env.RequestID == "" || env.RequestID != resp.Header.Get("X-Request-ID") {
					fail("%s %q: body is not the error envelope (%v): %s", j.family, trim(j.body), err, trim(b))
				}
				mu.Lock()
				families[j.family]++
				mu.Unlock()
			}
		})
	}
	for range n {
		family, body := malformedBody(rng)
		jobs <- job{family, body}
	}
	close(jobs)
	wg.Wait()
	if got := len(e.ranker.queries()); got != 0 {
		t.Errorf("%d malformed bodies reached the ranker", got)
	}
	t.Logf("4xx by family: %v", families)
}

func trim(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
