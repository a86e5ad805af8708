package client_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leadpoet/leadpoet/client"
	"github.com/leadpoet/leadpoet/internal/localsvc"
	"github.com/leadpoet/leadpoet/internal/testkit"
)

// TestLive builds the leadpoet binary, starts `leadpoet dev` on free ports and,
// against that real API, runs the Go client, the Python and JavaScript live
// tests, and API-SPEC.md's two SDK snippets as a user would paste them (with
// the printed key). A second dev instance, whose reputation throttles a key
// after one invalid query for about two seconds and which accepts a key
// without the quality:read scope, shows FORBIDDEN and a QUERY_THROTTLED answer
// retried after its Retry-After.
func TestLive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs leadpoet dev, python3 and node; not in -short mode")
	}
	python, node := requireInterpreters(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "leadpoet")
	build := exec.Command("go", "build", "-o", bin, "./cmd/leadpoet")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build leadpoet: %v\n%s", err, out)
	}

	const limitedKey = "lp_live_test_query_scope_only"
	keysFile := filepath.Join(t.TempDir(), "keys")
	sum := sha256.Sum256([]byte(limitedKey))
	if err := os.WriteFile(keysFile, []byte(hex.EncodeToString(sum[:])+" query\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	var main, strict *devServer
	var wg sync.WaitGroup
	wg.Go(func() { main = startDev(t, bin) })
	wg.Go(func() {
		strict = startDev(t, bin, "-auth.keys-file="+keysFile,
			"-api.reputation.alpha=1", "-api.reputation.min-queries=1", "-api.reputation.recovery-half-life=1s")
	})
	wg.Wait()
	if main == nil || strict == nil {
		t.FailNow()
	}
	// The snippets get the base URL from the environment and their key from
	// their text; the live tests get both from the environment.
	snippetEnv := []string{client.EnvBaseURL + "=" + main.baseURL, client.EnvAPIKey + "=", "PYTHONDONTWRITEBYTECODE=1"}
	env := append(snippetEnv[:1:1], client.EnvAPIKey+"="+main.apiKey, "PYTHONDONTWRITEBYTECODE=1")

	t.Run("go", func(t *testing.T) { liveGo(t, main) })
	t.Run("go/forbidden", func(t *testing.T) {
		c := client.New(limitedKey, client.WithBaseURL(strict.baseURL))
		_, err := c.Reputation(context.Background())
		var ae *client.APIError
		if !errors.Is(err, client.ErrForbidden) || !errors.As(err, &ae) || ae.Status != http.StatusForbidden {
			t.Fatalf("Reputation with a query-only key: %v, want 403 FORBIDDEN", err)
		}
	})
	t.Run("go/throttled-then-retried", func(t *testing.T) { liveThrottle(t, strict, limitedKey) })

	t.Run("python", func(t *testing.T) {
		out := run(t, filepath.Join(root, "sdk/python"), env, python, "-m", "unittest", "-v", "tests.test_live")
		m := regexp.MustCompile(`(?m)^Ran (\d+) tests? `).FindStringSubmatch(out)
		if m == nil || m[1] == "0" || strings.Contains(out, "skipped") {
			t.Fatalf("the Python live tests did not all run:\n%s", out)
		}
	})
	t.Run("js", func(t *testing.T) {
		out := run(t, filepath.Join(root, "sdk/js"), env, node, "--test", "test/live.test.js")
		pass := regexp.MustCompile(`(?m)^# pass (\d+)$`).FindStringSubmatch(out)
		if pass == nil || pass[1] == "0" || !strings.Contains(out, "\n# skipped 0") || !strings.Contains(out, "\n# fail 0") {
			t.Fatalf("the JavaScript live tests did not all run and pass:\n%s", out)
		}
	})

	t.Run("spec-snippet/python", func(t *testing.T) {
		snippet := withKey(t, "testdata/spec_snippet.py", `"your_api_key"`, strconv.Quote(main.apiKey))
		dir := t.TempDir()
		script := filepath.Join(dir, "snippet.py")
		if err := os.WriteFile(script, []byte(snippet), 0o644); err != nil {
			t.Fatal(err)
		}
		pyEnv := append(snippetEnv[:len(snippetEnv):len(snippetEnv)], "PYTHONPATH="+filepath.Join(root, "sdk/python"))
		checkFound(t, run(t, dir, pyEnv, python, script))
	})
	t.Run("spec-snippet/js", func(t *testing.T) {
		snippet := withKey(t, "testdata/spec_snippet.js", `'your_api_key'`, "'"+main.apiKey+"'")
		dir := t.TempDir()
		// require('@leadpoet/client') resolves through node_modules, as after
		// npm install; the snippet's top-level await needs an async function in
		// CommonJS.
		if err := os.MkdirAll(filepath.Join(dir, "node_modules", "@leadpoet"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(root, "sdk/js"), filepath.Join(dir, "node_modules", "@leadpoet", "client")); err != nil {
			t.Fatal(err)
		}
		wrapped := "(async () => {\n" + snippet + "\n})().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});\n"
		script := filepath.Join(dir, "snippet.js")
		if err := os.WriteFile(script, []byte(wrapped), 0o644); err != nil {
			t.Fatal(err)
		}
		checkFound(t, run(t, dir, snippetEnv, node, script))
	})
}

// TestSpecSnippetsVerbatim checks that testdata holds API-SPEC.md's SDK
// snippets unchanged, when LEADPOET_API_SPEC names the spec.
func TestSpecSnippetsVerbatim(t *testing.T) {
	path := os.Getenv("LEADPOET_API_SPEC")
	if path == "" {
		t.Skip("LEADPOET_API_SPEC does not name API-SPEC.md")
	}
	spec, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ section, lang, file string }{
		{"### Python", "python", "testdata/spec_snippet.py"},
		{"### JavaScript/Node.js", "javascript", "testdata/spec_snippet.js"},
	} {
		_, after, ok := strings.Cut(string(spec), c.section+"\n")
		if !ok {
			t.Fatalf("%s: no section %q", path, c.section)
		}
		m := regexp.MustCompile("(?s)```" + c.lang + "\n(.*?)```").FindStringSubmatch(after)
		if m == nil {
			t.Fatalf("%s: no %s block under %q", path, c.lang, c.section)
		}
		got, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != m[1] {
			t.Errorf("%s differs from the spec's snippet:\n%s", c.file, m[1])
		}
	}
}

func liveGo(t *testing.T, dev *devServer) {
	ctx := context.Background()
	c := client.New(dev.apiKey, client.WithBaseURL(dev.baseURL))

	h, err := c.Health(ctx)
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	if h.Status != "degraded" || h.Database != "disabled" || h.Redis != "connected" || h.Kafka != "connected" || h.Version == "" || h.Timestamp.IsZero() {
		t.Errorf("health of dev without ClickHouse: %+v", h)
	}

	before := time.Now().Add(-time.Second)
	resp, err := c.QueryLeads(ctx, client.QueryRequest{
		Query:   "Find companies looking for CRM software",
		Limit:   10,
		Filters: &client.Filters{Industries: []string{"technology"}, CompanySize: []string{"51-200"}},
	})
	if err != nil {
		t.Fatalf("QueryLeads: %v", err)
	}
	if n := len(resp.Leads); n == 0 || n > 10 {
		t.Fatalf("%d leads, want 1 to 10", n)
	}
	for i, l := range resp.Leads {
		if l.LeadID == "" || l.CompanyName == "" || l.Domain == "" || l.CompanySize != "51-200" ||
			l.Score <= 0 || l.Score > 1 || l.Confidence < 0 || l.Confidence > 1 ||
			l.ContactInfo.Name == "" || l.ContactInfo.Title == "" || len(l.IntentSignals) == 0 || len(l.Evidence) == 0 {
			t.Errorf("lead %d incomplete or outside the filters: %+v", i, l)
		}
		if i > 0 && l.Score > resp.Leads[i-1].Score {
			t.Errorf("lead %d scores above lead %d", i, i-1)
		}
	}
	m := resp.Metadata
	if m.QueryProcessed != "Find companies looking for CRM software" || m.TotalLeads < len(resp.Leads) || m.CostUSD <= 0 ||
		m.QueryID == "" || m.Interpretation == nil || m.CostBreakdown == nil || m.CostBreakdown.Leads != len(resp.Leads) {
		t.Errorf("metadata %+v", m)
	}
	rl := resp.RateLimit
	if rl.Limit <= 0 || rl.Remaining < 0 || rl.Remaining >= rl.Limit || rl.Reset.Before(before) {
		t.Errorf("rate limit %+v", rl)
	}
	if !strings.HasPrefix(resp.RequestID, "req_") {
		t.Errorf("request id %q", resp.RequestID)
	}

	_, err = c.QueryLeads(ctx, client.QueryRequest{Query: "CRM"})
	var ae *client.APIError
	if !errors.Is(err, client.ErrInvalidQuery) || !errors.As(err, &ae) || ae.Status != 400 ||
		ae.Details["field"] != "query" || !strings.HasPrefix(ae.RequestID, "req_") || ae.Timestamp.IsZero() {
		t.Errorf("short query: %v (%+v), want 400 INVALID_QUERY on field query", err, ae)
	}
	_, err = c.QueryLeads(ctx, client.QueryRequest{Query: "Find companies looking for CRM software", Filters: &client.Filters{CompanySize: []string{"huge"}}})
	if !errors.Is(err, client.ErrInvalidQuery) || !errors.As(err, &ae) || ae.Details["field"] != "filters.company_size" {
		t.Errorf("bad company_size: %v, want INVALID_QUERY on filters.company_size", err)
	}
	_, err = client.New("lp_not_a_key", client.WithBaseURL(dev.baseURL)).QueryLeads(ctx, client.QueryRequest{Query: "Find companies looking for CRM software"})
	if !errors.Is(err, client.ErrUnauthorized) || !errors.As(err, &ae) || ae.Status != 401 {
		t.Errorf("unknown key: %v, want 401 UNAUTHORIZED", err)
	}

	rep, err := c.Reputation(ctx)
	if err != nil {
		t.Fatalf("Reputation: %v", err)
	}
	if rep.TotalQueries < 2 || rep.SuccessfulQueries < 1 || rep.ReputationScore <= 0 || rep.ReputationScore > 1 ||
		rep.ThrottleStatus == "" || rep.RateLimit.Limit <= 0 || strings.Contains(rep.APIKey, dev.apiKey) {
		t.Errorf("reputation %+v", rep)
	}
	al, err := c.Alerts(ctx)
	if err != nil {
		t.Fatalf("Alerts: %v", err)
	}
	s := al.Summary
	if s.TotalAlerts != len(al.Alerts) || s.CriticalAlerts+s.WarningAlerts+s.InfoAlerts != s.TotalAlerts {
		t.Errorf("alerts %+v", al)
	}
}

// liveThrottle gets key throttled with one invalid query, then checks that the
// client reports QUERY_THROTTLED with its Retry-After when it may not retry,
// and otherwise waits it out and gets its answer.
func liveThrottle(t *testing.T, dev *devServer, key string) {
	ctx := context.Background()
	rec := &statusRecorder{}
	c := client.New(key, client.WithBaseURL(dev.baseURL), client.WithHTTPClient(&http.Client{Transport: rec, Timeout: 30 * time.Second}))
	req := client.QueryRequest{Query: "Find companies looking for CRM software", Limit: 5}

	if _, err := c.QueryLeads(ctx, client.QueryRequest{Query: "CRM"}); !errors.Is(err, client.ErrInvalidQuery) {
		t.Fatalf("short query: %v, want INVALID_QUERY", err)
	}
	_, err := client.New(key, client.WithBaseURL(dev.baseURL), client.WithMaxRetries(0)).QueryLeads(ctx, req)
	var ae *client.APIError
	if !errors.Is(err, client.ErrQueryThrottled) || !errors.As(err, &ae) || ae.Status != 429 ||
		ae.RetryAfter < time.Second || ae.RetryAfter > 5*time.Second {
		t.Fatalf("query after a poor one: %v (%+v), want 429 QUERY_THROTTLED with Retry-After of 1 to 5 s", err, ae)
	}

	rec.reset()
	begin := time.Now()
	resp, err := c.QueryLeads(ctx, req)
	if err != nil {
		t.Fatalf("QueryLeads with retries: %v", err)
	}
	if len(resp.Leads) == 0 {
		t.Errorf("no leads after the retry")
	}
	got := rec.get()
	if len(got) < 2 || got[0] != 429 || got[len(got)-1] != 200 {
		t.Errorf("statuses %v, want 429 first and 200 last", got)
	}
	if took := time.Since(begin); took < 500*time.Millisecond {
		t.Errorf("answered after %s: the Retry-After was not waited", took)
	}
}

type statusRecorder struct {
	mu       sync.Mutex
	statuses []int
}

func (r *statusRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		r.statuses = append(r.statuses, resp.StatusCode)
		r.mu.Unlock()
	}
	return resp, err
}

func (r *statusRecorder) reset() { r.mu.Lock(); r.statuses = nil; r.mu.Unlock() }

func (r *statusRecorder) get() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.statuses...)
}

// devServer is a running `leadpoet dev`.
type devServer struct {
	baseURL, apiKey string
}

var (
	bannerAPI = regexp.MustCompile(`(?m)^\s+API\s+(http://\S+)\s*$`)
	bannerKey = regexp.MustCompile(`(?m)^\s+API key\s+(\S+)\s*$`)
)

// startDev starts `leadpoet dev` without ClickHouse on free ports, waits for
// its banner and reads the API's URL and key from it. It stops the process
// when the test ends. On failure it marks t failed and returns nil.
func startDev(t *testing.T, bin string, extra ...string) *devServer {
	t.Helper()
	for try := 1; ; try++ {
		ports, err := localsvc.FreePorts(1)
		if err != nil {
			t.Errorf("find a free port: %v", err)
			return nil
		}
		port := ports[0]
		args := append([]string{"dev", "-dev.kafka-port=0", "-dev.clickhouse=off", "-api.listen=127.0.0.1:" + strconv.Itoa(port)}, extra...)
		out := &syncBuffer{}
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Errorf("start leadpoet %v: %v", args, err)
			return nil
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		t.Cleanup(func() { stopProcess(t, cmd, done, out) })

		deadline := time.After(3 * time.Minute)
		tick := time.NewTicker(50 * time.Millisecond)
		for {
			s := out.String()
			if i := strings.Index(s, "Leadpoet is ready."); i >= 0 && strings.Contains(s[i:], "Press Ctrl-C") {
				tick.Stop()
				api, key := bannerAPI.FindStringSubmatch(s[i:]), bannerKey.FindStringSubmatch(s[i:])
				if api == nil || key == nil {
					t.Errorf("banner lacks the API or API key line:\n%s", s[i:])
					return nil
				}
				return &devServer{baseURL: api[1], apiKey: key[1]}
			}
			select {
			case err := <-done:
				tick.Stop()
				if strings.Contains(s, "already in use") && try < 3 {
					t.Logf("port %d was taken; retrying with another", port)
					goto next
				}
				t.Errorf("leadpoet dev exited before its banner: %v\n%s", err, s)
				return nil
			case <-deadline:
				tick.Stop()
				t.Errorf("leadpoet dev printed no banner within 3 minutes:\n%s", s)
				return nil
			case <-tick.C:
			}
		}
	next:
	}
}

// stopProcess sends SIGTERM, then SIGKILL after 30 s, and logs the output of a
// failed test.
func stopProcess(t *testing.T, cmd *exec.Cmd, done chan error, out *syncBuffer) {
	select {
	case <-done:
	default:
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	if t.Failed() {
		t.Logf("output of leadpoet dev:\n%s", out.String())
	}
}

// syncBuffer collects a child process's output.
type syncBuffer = testkit.Buffer

// requireInterpreters finds python3 (3.9 or later) and node (18 or later), or
// fails the test saying what is missing.
func requireInterpreters(t *testing.T) (python, node string) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to test the Python SDK (sdk/python) and was not found in PATH: install Python 3.9 or later: %v", err)
	}
	if out, err := exec.Command(python, "-c", "import sys; sys.exit(sys.version_info < (3, 9))").CombinedOutput(); err != nil {
		t.Fatalf("the Python SDK needs Python 3.9 or later; %s is older (%v)\n%s", python, err, out)
	}
	node, err = exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed to test the JavaScript SDK (sdk/js) and was not found in PATH: install Node.js 18 or later: %v", err)
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	major, _, _ := strings.Cut(v, ".")
	if n, err := strconv.Atoi(major); err != nil || n < 18 {
		t.Fatalf("the JavaScript SDK needs Node.js 18 or later; %s is %s", node, v)
	}
	return python, node
}

// run runs name in dir with the extra environment and returns its combined
// output, failing the test if it exits non-zero.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// withKey returns the snippet in file with its one placeholder key replaced.
func withKey(t *testing.T, file, placeholder, key string) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), placeholder); n != 1 {
		t.Fatalf("%s holds %s %d times, want once", file, placeholder, n)
	}
	return strings.Replace(string(raw), placeholder, key, 1)
}

var leadLine = regexp.MustCompile(`^\S.* - (0|1)(\.\d+)?$`)

// checkFound checks the snippets' output: "Found N leads" with N > 0, then one
// "company - score" line per lead.
func checkFound(t *testing.T, out string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) == 0 {
		t.Fatal("no output")
	}
	var n int
	if _, err := fmt.Sscanf(lines[0], "Found %d leads", &n); err != nil || lines[0] != fmt.Sprintf("Found %d leads", n) || n <= 0 {
		t.Fatalf("first line %q, want \"Found N leads\" with N > 0\n%s", lines[0], out)
	}
	if len(lines) != n+1 {
		t.Fatalf("%d lead lines, want %d\n%s", len(lines)-1, n, out)
	}
	for _, l := range lines[1:] {
		name, _, _ := strings.Cut(l, " - ")
		if !leadLine.MatchString(l) || name == "undefined" || name == "null" || name == "None" {
			t.Errorf("lead line %q is not \"company - score\"", l)
		}
	}
	t.Logf("%s", lines[0])
}
